"""Datasette facet type `counted`: a column facet that reads the archive's kept counts.

metadata.yaml names the articles' facets `{"counted": "site"}` instead of `"site"`. On an
unfiltered page (the articles list as it opens) the values and counts come from
`article_facets` (archive/facets.py), which triggers keep as articles are written: a few
hundred rows read instead of a GROUP BY over every article. Datasette's own column facet does
the rest: any filter, search or `_where` (the counts are of the whole archive), and a table
whose kept counts do not match the article count Datasette has just made.
"""

from __future__ import annotations

import sqlite3

from datasette import hookimpl
from datasette.facets import ColumnFacet
from datasette.utils import escape_sqlite, path_with_added_args, path_with_removed_args

from archive import facets


class CountedFacet(ColumnFacet):
    type = "counted"

    async def facet_results(self):
        if not await self._kept():
            return await super().facet_results()
        size = self.get_facet_size()
        results = []
        for config in self.get_configs():
            column = config["config"].get("column") or config["config"]["simple"]
            if column not in facets.FACETS:
                return await super().facet_results()
            rows = await self.ds.get_database(self.database).execute_fn(
                lambda conn, column=column: facets.counts(conn, column, size + 1))
            results.append({
                "name": column,
                "type": self.type,
                "hideable": config["source"] != "metadata",
                "toggle_url": self.ds.urls.path(path_with_removed_args(self.request, {"_facet": column})),
                "results": [self._value(column, value, count) for value, count in rows[:size]],
                "truncated": len(rows) > size,
            })
        return results, []

    async def _kept(self) -> bool:
        """Whether the page shows the whole table and the kept counts are of all its rows."""
        whole = f"from {escape_sqlite(self.table)} " if self.table else None
        if self.params or not whole or not self.sql.endswith(whole):
            return False
        database = self.ds.get_database(self.database)
        try:
            kept = await database.execute_fn(facets.total)
        except sqlite3.OperationalError:  # an archive from before the counts (a read-only copy never migrated)
            return False
        return kept is not None and kept == self.row_count

    def _value(self, column: str, value: str, count: int) -> dict:
        """One facet value as Datasette's column facet gives it: its link adds the filter."""
        toggle = path_with_added_args(self.request, {column: value})
        return {"value": value, "label": value, "count": count, "selected": False,
                "toggle_url": self.ds.absolute_url(self.request, self.ds.urls.path(toggle))}


@hookimpl
def register_facet_classes():
    return [CountedFacet]
