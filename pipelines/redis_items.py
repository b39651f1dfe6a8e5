"""Items through Redis to the single archive writer (distributed crawls).

Crawler processes push each cleaned item onto one Redis list with scrapy-redis's
RedisPipeline; `unionnews ingest` pops them and is the only process that writes the SQLite
archive. Items travel as JSON (bytes as base64), never pickle: the writer must not run code
that a shared Redis hands it.
"""

from __future__ import annotations

import base64
import dataclasses
import json
from typing import Any

from scrapy_redis.pipelines import RedisPipeline
from twisted.internet.threads import deferToThread

from archive.records import Alias, FailureRecord, NotModified
from crawler.items import Article, ListedFile

ITEM_TYPES = {cls.__name__: cls for cls in (Article, ListedFile, FailureRecord, NotModified, Alias)}
_BYTES_FIELDS = ("raw",)


class UnknownItem(ValueError):
    """A message on the item list that is not one of ITEM_TYPES (named in the message)."""


def dumps_item(item: Any) -> str:
    """An item as one JSON text: {"type": "Article", "fields": {...}} with bytes in base64."""
    fields = dataclasses.asdict(item)
    for name in _BYTES_FIELDS:
        if name in fields:
            fields[name] = base64.b64encode(fields[name] or b"").decode("ascii")
    for part in fields.get("parts") or []:  # the further pages of a multi-page article
        part["raw"] = base64.b64encode(part["raw"] or b"").decode("ascii")
    return json.dumps({"type": type(item).__name__, "fields": fields}, ensure_ascii=False)


def loads_item(data: bytes | str) -> Any:
    """The item dumps_item wrote; UnknownItem for anything else."""
    try:
        message = json.loads(data)
        cls = ITEM_TYPES[message["type"]]
        fields = dict(message["fields"])
    except (ValueError, KeyError, TypeError) as exc:
        raise UnknownItem(f"not a unionnews item: {str(data)[:80]!r} ({exc})") from None
    for name in _BYTES_FIELDS:
        if name in fields:
            fields[name] = base64.b64decode(fields[name])
    for part in fields.get("parts") or []:
        part["raw"] = base64.b64decode(part["raw"])
    if "files_failed" in fields:
        fields["files_failed"] = [tuple(pair) for pair in fields["files_failed"]]
    return cls(**fields)


class RedisItemPipeline(RedisPipeline):
    """scrapy-redis's RedisPipeline on the `unionnews:items` list, with dumps_item."""

    def process_item(self, item: Any) -> Any:
        return deferToThread(self._process_item, item, None)

    def item_key(self, item: Any, spider: Any) -> str:
        return self.key
