"""Clean: tidy an article's text fields and strip tracking noise from its URLs."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from w3lib.url import url_query_cleaner

from crawler.items import Article

# Query parameters that only say where a reader came from; the same article without them is
# the same article. Any parameter starting with utm_ counts too.
TRACKING_PARAMS = frozenset({
    "spm", "from", "share", "share_from", "share_token", "isappinstalled", "scene",
    "clicktime", "enterid", "timestamp", "wfr", "fbclid", "gclid", "_t", "_ts",
})
_SPACES = re.compile(r"[ \t\u3000\xa0]+")


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


class CleanPipeline:
    """Normalises Article text and URLs; anything that is not an Article passes through."""

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, Article):
            return item
        item.url = clean_url(item.url)
        item.fetched_url = clean_url(item.fetched_url) if item.fetched_url else item.url
        item.title = clean_line(item.title or "")
        item.body = clean_body(item.body)
        item.published_at = _optional(item.published_at)
        item.source = _optional(item.source)
        item.author = _optional(item.author)
        item.editor = _optional(item.editor)
        item.column = _optional(item.column)
        item.images = list(dict.fromkeys(item.images))
        item.attachments = list(dict.fromkeys(item.attachments))
        return item
