"""Datasette facet type `counted`: a column facet that reads the archive's kept counts.

metadata.yaml names the articles' facets `{"counted": "site"}` instead of `"site"`. On a page
of the whole table, or one filtered only by equality on kept facets (`?column=工会新闻&year=2023`:
what clicking facet values gives), the values and counts come from `article_facets`
(archive/facets.py), which triggers keep as articles are written: a few rows summed instead of
a GROUP BY over every matching article. Datasette's own column facet does the rest: any other
filter, a search or `_where`, and a page whose kept total does not match the row count
Datasette has just made for it.
"""

from __future__ import annotations

import sqlite3

from datasette import hookimpl
from datasette.facets import ColumnFacet
from datasette.utils import path_with_added_args, path_with_removed_args

from archive import facets, search

#: The pages whose rows are the articles, whole or filtered (not a canned query or another table).
ARTICLE_PAGES = ("articles", search.LIST_VIEW)
#: Query-string arguments that change how a page looks, not which rows it counts.
PRESENTATION = frozenset({"_facet", "_facet_size", "_size", "_sort", "_sort_desc", "_next", "_labels",
                          "_nolabels", "_col", "_nocol", "_shape", "_json", "_json_infinity", "_trace",
                          "_timelimit", "_nocount", "_nofacet", "_nosuggest", "_extra", "_hide_sql",
                          "_show_sql", "_facet_array", "_facet_date", "_facet_counted", "_ttl", "_dl",
                          "_stream"})


class CountedFacet(ColumnFacet):
    type = "counted"

    async def facet_results(self):
        chosen = self._chosen() if self.table in ARTICLE_PAGES else None
        configs = self.get_configs()
        names = [config["config"].get("column") or config["config"]["simple"] for config in configs]
        if chosen is None or not set(names) <= set(facets.FACETS) or not await self._agrees(chosen):
            return await super().facet_results()
        size = self.get_facet_size()
        pairs = self.get_querystring_pairs()
        database = self.ds.get_database(self.database)
        results = []
        for config, name in zip(configs, names):
            rows = await database.execute_fn(
                lambda conn, name=name: facets.counts(conn, name, size + 1, chosen))
            results.append({
                "name": name,
                "type": self.type,
                "hideable": config["source"] != "metadata",
                "toggle_url": self.ds.urls.path(path_with_removed_args(self.request, {"_facet": name})),
                "results": [self._value(name, value, count, pairs) for value, count in rows[:size]],
                "truncated": len(rows) > size,
            })
        return results, []

    def _chosen(self) -> dict[str, str] | None:
        """The page's filters when each is `facet=value` (or `facet__exact=value`) on a kept
        facet, once; None when any filter is something else."""
        chosen: dict[str, str] = {}
        for key, value in self.get_querystring_pairs():
            if key in PRESENTATION:
                continue
            name = key.removesuffix("__exact")
            if name not in facets.FACETS or name in chosen:
                return None
            chosen[name] = value
        return chosen

    async def _agrees(self, chosen: dict[str, str]) -> bool:
        """Whether the kept counts hold as many articles for these filters as the page counted."""
        if self.row_count is None:
            return False
        try:
            kept = await self.ds.get_database(self.database).execute_fn(lambda conn: facets.total(conn, chosen))
        except sqlite3.OperationalError:  # an archive from before the counts (a copy never migrated)
            return False
        return kept == self.row_count

    def _value(self, name: str, value: str, count: int, pairs: list[tuple[str, str]]) -> dict:
        """One facet value as Datasette's column facet gives it: its link adds the filter, or
        removes it when the page is already filtered on it."""
        pair = (name, str(value))
        selected = pair in pairs
        toggle = (path_with_removed_args(self.request, {name: str(value)}) if selected
                  else path_with_added_args(self.request, {name: value}))
        return {"value": value, "label": value, "count": count, "selected": selected,
                "toggle_url": self.ds.absolute_url(self.request, self.ds.urls.path(toggle))}


@hookimpl
def register_facet_classes():
    return [CountedFacet]
