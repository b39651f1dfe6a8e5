"""Datasette plugin: what the search page (query-archive-search.html) shows beside its hits,
its Atom feed and its exports.

The hits come from the `search` canned query (metadata.yaml), one page of archive.search.PAGE_SIZE
at a time. `extra_template_vars` adds the exact number of matching articles (the same set,
counted by archive.search.count) up to archive.search.COUNT_CAP ("more than" that beyond), the
links to the previous and next pages, to the feed and to the exports, and the columns and sites that exist, so the form offers them as choices
instead of asking for names to be typed.

`register_routes` serves, for the same query and filters as the page (q, column, site, since,
until):
- /archive/search.atom: an Atom feed of the newest matches by when they were first archived
  (archive.search.newest), each entry linking the archived row and the original page, its
  summary the highlighted snippet as escaped HTML;
- /archive/search-export.csv and .json: every hit in the page's order and with its columns,
  streamed a chunk at a time (the page shows 50).
The search text only ever reaches SQLite through archive.search (see its `plan`).
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
import urllib.parse
from datetime import datetime, timedelta, timezone
from typing import Any
from xml.etree import ElementTree as ET

import sqlite_utils
from datasette import hookimpl
from datasette.utils.asgi import AsgiStream, Response

from archive import facets, search

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
        total, more, files = None, False, []
        if args["q"].strip():
            # Counted up to the cap, or to the end of this page if further: past it, the page
            # says "more than" and is full, so Next is right without the exact total.
            cap = max(search.COUNT_CAP, search.page_number(request.args.get("page")) * search.PAGE_SIZE)
            sql = f"SELECT {search.COUNT_FUNCTION}(:q, :column, :site, :since, :until, :cap)"
            total = (await db.execute(sql, {**args, "cap": cap})).single_value()
            more = total > cap
            total = min(total, cap)
            if search.page_number(request.args.get("page")) == 1 and not any(
                    args[name] for name in FILTERS if name != "q"):  # they belong to no column or date
                files = await db.execute_fn(lambda conn: search.listed_files(
                    sqlite_utils.Database(conn), args["q"], LISTED_FILES))
        return {
            "search_total": total,
            "search_more": more,
            "search_files": files,
            "search_choices": {
                "column": await _values(db, "column"),
                "site": await _values(db, "site"),
            },
            **pages(request.path, args, request.args.get("page"), total, more),
            **links(args),
        }

    return search_vars


async def _values(db: Any, facet: str) -> list[str]:
    """The values one articles column has, from the kept facet counts (archive/facets.py): a
    DISTINCT over a million articles' index took tens of milliseconds a page."""
    return await db.execute_fn(lambda conn: facets.values(conn, facet))


def pages(path: str, args: dict[str, str], page: Any, total: int | None, more: bool = False) -> dict:
    """The page shown, the range of hits on it, and links to the pages before and after.

    `more`: there are more than `total` hits, and `total` reaches past this page."""
    number = search.page_number(page)
    first = (number - 1) * search.PAGE_SIZE + 1
    last = number * search.PAGE_SIZE if more else min(number * search.PAGE_SIZE, total or 0)

    def link(to: int) -> str:
        return path + "?" + urllib.parse.urlencode({**args, "page": to})

    has_next = total is not None and (more or last < total) and number < search.MAX_PAGE
    return {
        "search_page": number,
        "search_first": first,
        "search_last": last,
        "search_previous": link(number - 1) if number > 1 else None,
        "search_next": link(number + 1) if has_next else None,
    }


# ---------------------------------------------------------------------------------------------
# The feed and the exports of a search

#: Files listed on list pages (no article of their own) shown under the first page of hits.
LISTED_FILES = 20
FEED_PATH = f"/{DATABASE}/search.atom"
EXPORT_PATH = f"/{DATABASE}/search-export"
#: The columns of the page's hits (the `search` canned query), in its order.
EXPORT_COLUMNS = ("id", "title", "published_at", "column", "source", "site", "snippet", "url", "attachments")
#: Hits turned into rows per database call while an export streams.
EXPORT_CHUNK = 500
ATOM = "http://www.w3.org/2005/Atom"
CHINA = timezone(timedelta(hours=8))
# Characters XML 1.0 cannot carry (control characters in crawled text would make the feed invalid).
_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def links(args: dict[str, str]) -> dict:
    """The feed and export URLs of the search a page shows (none without search text)."""
    if not args.get("q", "").strip():
        return {"search_feed": None, "search_exports": {}}
    query = "?" + urllib.parse.urlencode({name: value for name, value in args.items() if value})
    return {
        "search_feed": FEED_PATH + query,
        "search_exports": {name: f"{EXPORT_PATH}.{name}{query}" for name in ("csv", "json")},
    }


def _search_args(request) -> tuple[str, dict[str, Any]]:
    """The search text and the library's filters from a request (the page's parameters)."""
    get = lambda name: (request.args.get(name) or "").strip()  # noqa: E731
    filters = {"columns": [get("column")] if get("column") else [],
               "sites": [get("site")] if get("site") else [],
               "since": get("since") or None, "until": get("until") or None}
    return request.args.get("q") or "", filters


def _bad_request(message: str) -> Response:
    return Response.text(message + "\n", status=400)


@hookimpl
def register_routes():
    return [
        (r"^/" + DATABASE + r"/search\.atom$", search_feed),
        (r"^/" + DATABASE + r"/search-export\.(?P<format>csv|json)$", search_export),
    ]


async def search_feed(datasette, request) -> Response:
    """The Atom feed of a search: its FEED_SIZE newest matches, newest first."""
    query, filters = _search_args(request)
    db = datasette.get_database(DATABASE)

    def read(conn):
        archive = sqlite_utils.Database(conn)
        hits = search.newest(archive, query, **filters) if query.strip() else []
        latest = conn.execute("SELECT max(first_seen_at) FROM articles").fetchone()[0]
        return hits, latest

    try:
        hits, latest = await db.execute_fn(read)
    except search.SearchError as exc:
        return _bad_request(str(exc))
    args = {name: request.args.get(name) for name in ("q", "column", "site", "since", "until")
            if request.args.get(name)}
    query_string = "?" + urllib.parse.urlencode(args) if args else ""
    xml = atom_feed(
        hits, query=query, filters=filters,
        feed_url=datasette.absolute_url(request, FEED_PATH + query_string),
        page_url=datasette.absolute_url(request, f"/{DATABASE}/search" + query_string),
        row_url=lambda hit: datasette.absolute_url(
            request, datasette.urls.row(DATABASE, "articles", str(hit.id))),
        fallback_updated=latest,
    )
    return Response(xml, content_type="application/atom+xml; charset=utf-8")


def atom_feed(hits: list[search.Hit], *, query: str, filters: dict[str, Any], feed_url: str,
              page_url: str, row_url, fallback_updated: str | None) -> str:
    """An Atom 1.0 document (RFC 4287) for the hits of one search, built with an XML library so
    every crawled or typed character is escaped; characters XML cannot hold are dropped."""
    ET.register_namespace("", ATOM)

    def add(parent, tag: str, text: str | None = None, **attrs: str):
        element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", {k: _xml(v) for k, v in attrs.items()})
        if text is not None:
            element.text = _xml(text)
        return element

    feed = ET.Element(f"{{{ATOM}}}feed")
    described = " · ".join(filter(None, [*filters.get("columns", []), *filters.get("sites", []),
                                          _dates(filters.get("since"), filters.get("until"))]))
    add(feed, "id", feed_url)
    add(feed, "title", f"检索「{query.strip()}」" + (f"（{described}）" if described else "") + " · unionnews")
    add(feed, "subtitle", "新归档的匹配文章，最新在前 · Newly archived articles that match, newest first")
    updated = [_rfc3339(hit.first_seen_at) for hit in hits]
    add(feed, "updated", max(filter(None, updated), default=None) or _rfc3339(fallback_updated)
        or "1970-01-01T00:00:00Z")
    add(feed, "link", rel="self", type="application/atom+xml", href=feed_url)
    add(feed, "link", rel="alternate", type="text/html", href=page_url)
    add(add(feed, "author"), "name", "unionnews")
    add(feed, "generator", "unionnews")
    for hit in hits:
        entry = add(feed, "entry")
        add(entry, "id", hit.url)
        add(entry, "title", hit.title or hit.url)
        add(entry, "updated", _rfc3339(hit.first_seen_at) or "1970-01-01T00:00:00Z")
        published = _rfc3339(hit.published_at, CHINA)
        if published:
            add(entry, "published", published)
        add(entry, "link", rel="alternate", type="text/html", href=row_url(hit))
        if re.match(r"https?://\S+$", hit.url or "", re.I):
            add(entry, "link", rel="via", type="text/html", href=hit.url)
        if hit.source:
            add(add(entry, "author"), "name", hit.source)
        if hit.column:
            add(entry, "category", term=hit.column)
        summary = search.mark(hit.snippet, hit.highlights, "<mark>", "</mark>", html.escape)
        for found in hit.attachments:  # the attachments it matched through, with their snippets
            summary += (f"<br>附件 {html.escape(found.name)}: "
                        + search.mark(found.snippet, found.highlights, "<mark>", "</mark>", html.escape))
        add(entry, "summary", summary, type="html")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"


def _xml(text: str) -> str:
    return _NOT_XML.sub("", text)


def _dates(since: str | None, until: str | None) -> str:
    return f"{since or ''}–{until or ''}" if since or until else ""


def _rfc3339(value: str | None, zone: timezone = timezone.utc) -> str | None:
    """A stored time (ISO 8601, with or without zone, or a date) as an RFC 3339 date-time;
    None when it is none. Times without a zone are taken in `zone`."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    text = moment.isoformat(timespec="seconds")
    return text[:-6] + "Z" if text.endswith("+00:00") else text


#: A cell starting with one of these is run as a formula by spreadsheet programs (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> object:
    """A CSV cell a spreadsheet shows as text: crawled text that starts like a formula gets a
    leading apostrophe (the usual guard against CSV injection); None is an empty cell."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


async def search_export(datasette, request) -> Response | AsgiStream:
    """Every hit of a search as CSV or JSON (a list of objects), the page's columns and order,
    streamed EXPORT_CHUNK hits at a time."""
    query, filters = _search_args(request)
    db = datasette.get_database(DATABASE)
    try:
        keys = await db.execute_fn(lambda conn: search.ranked_keys(
            sqlite_utils.Database(conn), query, **filters, limit=None))
    except search.SearchError as exc:
        return _bad_request(str(exc))
    as_csv = request.url_vars["format"] == "csv"

    async def rows():
        for start in range(0, len(keys), EXPORT_CHUNK):
            chunk = keys[start : start + EXPORT_CHUNK]
            hits = await db.execute_fn(
                lambda conn: search.hits_for(sqlite_utils.Database(conn), chunk, query))
            for hit in hits:
                yield export_row(hit)

    async def write_csv(out) -> None:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        buffer.write("\ufeff")  # so spreadsheet programs read the Chinese as UTF-8
        writer.writerow(EXPORT_COLUMNS)
        async for row in rows():
            writer.writerow([spreadsheet_safe(csv_cell(row[name])) for name in EXPORT_COLUMNS])
            if buffer.tell() > 65536:
                await out.write(buffer.getvalue())
                buffer.seek(0)
                buffer.truncate()
        await out.write(buffer.getvalue())

    async def write_json(out) -> None:
        separator = "[\n"
        async for row in rows():
            await out.write(separator + json.dumps(row, ensure_ascii=False))
            separator = ",\n"
        await out.write("[]\n" if separator == "[\n" else "\n]\n")

    name = "unionnews-search." + ("csv" if as_csv else "json")
    return AsgiStream(
        write_csv if as_csv else write_json,
        headers={"content-disposition": f'attachment; filename="{name}"'},
        content_type="text/csv; charset=utf-8" if as_csv else "application/json; charset=utf-8",
    )


def export_row(hit: search.Hit) -> dict[str, Any]:
    """One exported hit: the page's columns, plain text (no highlight markers)."""
    return {"id": hit.id, "title": hit.title, "published_at": hit.published_at, "column": hit.column,
            "source": hit.source, "site": hit.site, "snippet": hit.snippet, "url": hit.url,
            "attachments": [{"url": found.url, "name": found.name, "snippet": found.snippet}
                            for found in hit.attachments]}


def csv_cell(value: Any) -> Any:
    """A value for a CSV cell: the attachments a hit matched through as `name: snippet <url>`,
    one a line; anything else as it is."""
    if isinstance(value, list):
        return "\n".join(f"{item['name']}: {item['snippet']} <{item['url']}>" for item in value)
    return value
