"""Datasette plugin for a unionnews archive: Chinese search functions, readable article cells.

- `prepare_connection` registers the search SQL functions (archive.search) and makes every
  connection to the archive query-only, so nothing served can write.
- `render_cell` shows an article's body as a short excerpt in lists and as paragraphs on its
  own page, links titles to the article, and turns search highlights into <mark>. All text is
  escaped: crawled HTML and whatever an archivist's SQL returns are never trusted.
- `extra_template_vars` gives the article page (row-archive-articles.html) its parts: paragraphs,
  image and attachment links (http/https only), and how many earlier versions it has.
- `asgi_wrapper` remembers which page is being rendered (render_cell is not told in 0.65), and
  refuses every request but GET, HEAD and OPTIONS with 405: the archive is read-only.
"""

from __future__ import annotations

import contextvars
import json
import re
import sqlite3
from typing import Any

from datasette import hookimpl
from datasette.utils import urlsafe_components
from markupsafe import Markup, escape

from archive import search

DATABASE = "archive"
EXCERPT_CHARS = 60
#: The only HTTP methods the published archive answers; anything else is refused with 405.
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_ROW_PAGE = re.compile(r"^/[^/]+/(?:articles|attachment_texts)/[^/.]+$")
_path: contextvars.ContextVar[str] = contextvars.ContextVar("unionnews_path", default="")


@hookimpl
def prepare_connection(conn, database, datasette) -> None:
    if database != DATABASE:
        return
    search.register_functions(conn)
    conn.execute("PRAGMA query_only = 1")
    conn.set_authorizer(_private_tables_unread)


#: Tables the archive keeps for its users' own work, not for publishing: which searches a
#: journalist follows (`unionnews search --new`) would tell anyone what they are working on.
PRIVATE_TABLES = frozenset({search.MARKS_TABLE})


def _private_tables_unread(action: int, table: str | None, *_: object) -> int:
    """SQLite authorizer: reading a private table is denied, in any query Datasette runs."""
    if action == sqlite3.SQLITE_READ and table in PRIVATE_TABLES:
        return sqlite3.SQLITE_DENY
    return sqlite3.SQLITE_OK


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def remember_path(scope, receive, send):
            if scope.get("type") == "http" and scope.get("method", "GET") not in READ_METHODS:
                await _read_only(send)
                return
            token = _path.set(scope.get("path", "") if scope.get("type") == "http" else "")
            try:
                await app(scope, receive, send)
            finally:
                _path.reset(token)

        return remember_path

    return wrap


async def _read_only(send) -> None:
    """405 for any request that is not a read: the archive takes no writes, and Datasette 0.65
    answers some POSTs (to a table, a read-only canned query, /-/insert) with a 500 traceback."""
    await send({"type": "http.response.start", "status": 405,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"), (b"allow", b"GET, HEAD, OPTIONS")]})
    await send({"type": "http.response.body", "body": "405 只读档案 · This archive is read-only.\n".encode()})


@hookimpl
def render_cell(row, value, column, table, database, datasette) -> Markup | None:
    if database != DATABASE or not isinstance(value, str):
        return None
    if (table, column) in (("articles", "body"), ("attachment_texts", "text")):
        return paragraphs(value) if _ROW_PAGE.match(_path.get()) else excerpt(value)
    keys = set(row.keys()) if hasattr(row, "keys") else set()
    if column == "title" and "id" in keys and (table == "articles_list" or table is None):
        return _article_link(datasette, row["id"], value)
    if column == "snippet" and table is None:
        return Markup(search.marked_html(value))
    if column == "attachments" and table is None:
        return attachment_list(value)
    return None


def attachment_list(value: str) -> Markup:
    """The attachments a search hit matched through (JSON from the search function) as a list:
    each file's name, linked to its original URL, and its snippet with the words marked."""
    try:
        found = json.loads(value)
    except ValueError:
        return Markup("")
    items = []
    for item in found if isinstance(found, list) else []:
        if not isinstance(item, dict):
            continue
        url, name = str(item.get("url") or ""), escape(str(item.get("name") or ""))
        named = (Markup('<a href="{}" rel="nofollow noopener noreferrer">{}</a>').format(url, name)
                 if re.match(r"https?://", url, re.I) else name)
        items.append(Markup("<li>附件 · Attachment {}: {}</li>").format(
            named, Markup(search.marked_html(str(item.get("snippet") or "")))))
    return Markup('<ul class="unionnews-attachments">{}</ul>').format(Markup("").join(items)) if items else Markup("")


def paragraphs(body: str) -> Markup:
    """The body as escaped paragraphs, one per stored line."""
    lines = [line for line in body.split("\n") if line.strip()]
    return Markup("".join(f"<p>{escape(line)}</p>" for line in lines))


def excerpt(body: str) -> Markup:
    """The first EXCERPT_CHARS characters of the body on one line."""
    flat = " ".join(body.split())
    more = "…" if len(flat) > EXCERPT_CHARS else ""
    return Markup(f'<span class="unionnews-excerpt">{escape(flat[:EXCERPT_CHARS])}{more}</span>')


def _article_link(datasette: Any, article_id: Any, title: str) -> Markup | None:
    if not isinstance(article_id, int):
        return None
    href = datasette.urls.row(DATABASE, "articles", str(article_id))
    return Markup(f'<a href="{escape(href)}">{search.marked_html(title)}</a>')


@hookimpl
def extra_template_vars(template, database, table, view_name, request, datasette):
    if database != DATABASE or table != "articles" or view_name != "row" or request is None:
        return {}

    async def article_vars() -> dict:
        pks = urlsafe_components(request.url_vars.get("pks", ""))
        if len(pks) != 1:
            return {}
        article_id = pks[0]
        db = datasette.get_database(DATABASE)
        result = await db.execute("SELECT * FROM articles WHERE id = ?", [article_id])
        row = result.first()
        if row is None:
            return {}
        revisions = (await db.execute(
            "SELECT count(*) FROM revisions WHERE article_id = ?", [row["id"]])).single_value()
        return {"article": article_parts(dict(row), revisions)}

    return article_vars


def article_parts(row: dict, revisions: int) -> dict:
    """What the article page shows of one articles row: the row itself, its body's paragraphs,
    its image and attachment URLs that are safe to link, and its number of earlier versions."""
    return {
        **row,
        "paragraphs": [line for line in (row.get("body") or "").split("\n") if line.strip()],
        "images": _links(row.get("images")),
        "attachments": _links(row.get("attachments")),
        "href": safe_href(row.get("url")),
        "revisions": revisions,
        "explain": _explain(row.get("explain")),
    }


#: The article page's order and names for the fields an explanation covers.
EXPLAINED = (("title", "标题 · Title"), ("published_at", "发布时间 · Published"), ("source", "来源 · Source"),
             ("author", "作者 · Author"), ("editor", "责任编辑 · Editor"), ("body", "正文 · Body"),
             ("column", "栏目 · Column"), ("images", "图片 · Images"), ("attachments", "附件 · Attachments"))


def _explain(value: Any) -> list[tuple[str, str]]:
    """(field label, rule) pairs of a stored explanation, in page order; [] when none is stored."""
    try:
        rules = json.loads(value) if value else {}
    except ValueError:
        return []
    return [(label, str(rules[name])) for name, label in EXPLAINED if isinstance(rules, dict) and rules.get(name)]


def safe_href(url: Any) -> str | None:
    """The URL when it is http(s) and so harmless as a link target; otherwise None."""
    if isinstance(url, str) and re.match(r"https?://[^\s]+$", url, re.I):
        return url
    return None


def _links(value: Any) -> list[dict]:
    try:
        urls = json.loads(value) if isinstance(value, str) else []
    except ValueError:
        return []
    if not isinstance(urls, list):
        return []
    return [{"url": u, "href": safe_href(u), "name": u.rsplit("/", 1)[-1] or u}
            for u in urls if isinstance(u, str)]
