"""Datasette plugin: what the search page (query-archive-search.html) shows beside its hits.

The hits come from the `search` canned query (metadata.yaml), one page of archive.search.PAGE_SIZE
at a time. This hook adds the exact number of matching articles (the same set, counted by
archive.search.count), the links to the previous and next pages, and the columns and sites
that exist, so the form offers them as choices instead of asking for names to be typed.
"""

from __future__ import annotations

import urllib.parse
from typing import Any

from datasette import hookimpl

from archive import search

DATABASE = "archive"
TEMPLATE = "query-archive-search.html"
FILTERS = ("q", "column", "site", "since", "until")


@hookimpl
def extra_template_vars(template, database, table, view_name, request, datasette):
    if database != DATABASE or template != TEMPLATE or request is None:
        return {}

    async def search_vars() -> dict:
        db = datasette.get_database(DATABASE)
        args = {name: request.args.get(name) or "" for name in FILTERS}
        total = None
        if args["q"].strip():
            sql = f"SELECT {search.COUNT_FUNCTION}(:q, :column, :site, :since, :until)"
            total = (await db.execute(sql, args)).single_value()
        return {
            "search_total": total,
            "search_choices": {
                "column": await _values(db, '"column"'),
                "site": await _values(db, "site"),
            },
            **pages(request.path, args, request.args.get("page"), total),
        }

    return search_vars


async def _values(db: Any, column: str) -> list[str]:
    """The distinct values of one articles column (read from its index)."""
    sql = f"SELECT DISTINCT {column} FROM articles WHERE {column} IS NOT NULL ORDER BY 1"
    return [row[0] for row in (await db.execute(sql)).rows]


def pages(path: str, args: dict[str, str], page: Any, total: int | None) -> dict:
    """The page shown, the range of hits on it, and links to the pages before and after."""
    number = search.page_number(page)
    first = (number - 1) * search.PAGE_SIZE + 1
    last = min(number * search.PAGE_SIZE, total or 0)

    def link(to: int) -> str:
        return path + "?" + urllib.parse.urlencode({**args, "page": to})

    has_next = total is not None and last < total and number < search.MAX_PAGE
    return {
        "search_page": number,
        "search_first": first,
        "search_last": last,
        "search_previous": link(number - 1) if number > 1 else None,
        "search_next": link(number + 1) if has_next else None,
    }
