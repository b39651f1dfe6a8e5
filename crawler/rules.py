"""The rules every archived article follows, as pure functions: clean its text and URLs, say
what is wrong with it, and build it from a parsed page. The Scrapy pipelines (pipelines/clean.py,
validate.py) apply them during a crawl; reparse and the distributed writer apply the same
functions directly, so an article is the same whichever path wrote it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from urllib.parse import urlsplit

from w3lib.url import url_query_cleaner

from crawler.items import Article

# Query parameters that only say where a reader came from; the same article without them is
# the same article. Any parameter starting with utm_ counts too.
TRACKING_PARAMS = frozenset({
    "spm", "from", "share", "share_from", "share_token", "isappinstalled", "scene",
    "clicktime", "enterid", "timestamp", "wfr", "fbclid", "gclid", "_t", "_ts",
})
_SPACES = re.compile(r"[ \t\u3000\xa0]+")
_ALL_SPACE = re.compile(r"\s+")
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2}))?$")
_CHARSET = re.compile(r"charset=[\"']?([\w.:-]+)", re.I)


def clean_url(url: str) -> str:
    """The URL without its fragment and tracking parameters (other parameters kept in order)."""
    if "?" not in url:
        return url.split("#", 1)[0]
    query = url.split("?", 1)[1].split("#", 1)[0]
    names = {part.split("=", 1)[0] for part in query.split("&") if part}
    noise = [n for n in names if n.lower() in TRACKING_PARAMS or n.lower().startswith("utm_")]
    return url_query_cleaner(url, noise, remove=True)


def clean_line(text: str) -> str:
    """One line of text: NFC-normalised, runs of spaces (incl. ideographic and nbsp) collapsed."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


def clean_body(body: str) -> str:
    """The body as clean lines, one paragraph each, with empty lines dropped."""
    lines = (clean_line(line) for line in (body or "").splitlines())
    return "\n".join(line for line in lines if line)


def _optional(value: str | None) -> str | None:
    cleaned = clean_line(value) if value else ""
    return cleaned or None


def clean_article(article: Article) -> Article:
    """The article with its text tidied and tracking noise removed from its URLs (in place)."""
    article.url = clean_url(article.url)
    article.fetched_url = clean_url(article.fetched_url) if article.fetched_url else article.url
    article.title = clean_line(article.title or "")
    article.body = clean_body(article.body)
    article.characters = len(_ALL_SPACE.sub("", article.body))
    article.published_at = _optional(article.published_at)
    article.source = _optional(article.source)
    article.author = _optional(article.author)
    article.editor = _optional(article.editor)
    article.column = _optional(article.column)
    article.images = list(dict.fromkeys(article.images))
    article.attachments = list(dict.fromkeys(article.attachments))
    return article


def problems(article: Article) -> list[str]:
    """What is wrong with an article record (empty when it is fit to archive)."""
    found = []
    if not article.title:
        found.append("no title")
    if not article.body:
        found.append("no body")
    if article.published_at and not _ISO.match(article.published_at):
        found.append(f"published_at {article.published_at!r} is not ISO 8601")
    return found


#: What Scrapy's download errors that carry no message mean, for the failures table
#: (Scrapy's names: no Scrapy import is needed to read them).
_SILENT_ERRORS = {
    "DownloadCancelledError": "the body grew larger than download max size (DOWNLOAD_MAXSIZE)",
    "ResponseDataLossError": "the connection closed before the whole response arrived",
}


def describe(exc: BaseException) -> str:
    """One line naming an error, for the failures table and the log."""
    text = " ".join(str(exc).split()) or _SILENT_ERRORS.get(type(exc).__name__, "")
    return f"{type(exc).__name__}: {text}"[:300] if text else type(exc).__name__


def header_charset(content_type: str | None) -> str | None:
    """The charset a Content-Type header names, if any."""
    match = _CHARSET.search(content_type or "")
    return match[1] if match else None


def article_from(record: dict, fetched: Article, allowed_netlocs: set[str]) -> Article:
    """The Article of a parsed page: the parser's `record` on top of `fetched`, an Article that
    carries how the page was fetched (url, status, headers, raw bytes, WARC pointer, site).
    The canonical URL the page names is its key when it is on an allowed host."""
    canonical = record.get("canonical_url")
    url = canonical if canonical and urlsplit(canonical).netloc.lower() in allowed_netlocs else fetched.url
    return replace(
        fetched, url=url, title=record.get("title") or "", published_at=record.get("published_at"),
        body=record.get("body") or "", source=record.get("source"), author=record.get("author"),
        editor=record.get("editor"), column=record.get("column"),
        images=list(record.get("images") or []), attachments=list(record.get("attachments") or []),
        attachment_names=dict(record.get("attachment_names") or {}),
        explain=dict(record.get("explain") or {}),
    )


def join_page(article: Article, record: dict) -> None:
    """Add a further page of a multi-page article to it: body in order, new images and files."""
    if record.get("body"):
        article.body = f"{article.body}\n{record['body']}" if article.body else record["body"]
    for name in ("images", "attachments"):
        have = getattr(article, name)
        have += [u for u in record.get(name) or [] if u not in have]
    article.attachment_names = {**(record.get("attachment_names") or {}), **article.attachment_names}
    for name in ("source", "author", "editor"):  # a credit line may close the last page only
        if not getattr(article, name) and record.get(name):
            setattr(article, name, record[name])
