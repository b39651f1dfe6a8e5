"""Items through Redis to the single archive writer (distributed crawls).

Crawler processes push each cleaned item onto one Redis list with scrapy-redis's
RedisPipeline; `unionnews ingest` pops them and is the only process that writes the SQLite
archive. Items travel as JSON (bytes as base64), never pickle: the writer must not run code
that a shared Redis hands it.

Every response a crawler receives travels on the same list, before the items that name it
(pipelines/warc.py, WarcShipMiddleware), as one line of JSON (the request, the response's
status and headers, when it was fetched) followed by the body's bytes as they are: base64
would add a third to every page and attachment. The writer writes them as WARC records
(archive/capture.py). An article's page bytes are not sent twice: the article names the
response and the sha256 of its body, and the writer reads the bytes back from the record.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import json
from typing import Any

from scrapy_redis.pipelines import RedisPipeline
from twisted.internet.threads import deferToThread

from archive.capture import ShippedExchange
from archive.records import Alias, FailureRecord, NotModified
from archive.warcfiles import Exchange
from crawler.items import Article, ListedFile

ITEM_TYPES = {cls.__name__: cls for cls in (Article, ListedFile, FailureRecord, NotModified, Alias)}
_BYTES_FIELDS = ("raw",)


class UnknownItem(ValueError):
    """A message on the item list that is not one of ITEM_TYPES (named in the message)."""


def dumps_item(item: Any) -> str:
    """An item as one JSON text: {"type": "Article", "fields": {...}} with bytes in base64."""
    fields = dataclasses.asdict(item)
    for holder in [fields, *(fields.get("parts") or [])]:
        _raw_by_reference(holder)
    for name in _BYTES_FIELDS:
        if name in fields:
            fields[name] = base64.b64encode(fields[name] or b"").decode("ascii")
    for part in fields.get("parts") or []:  # the further pages of a multi-page article
        part["raw"] = base64.b64encode(part["raw"] or b"").decode("ascii")
    return json.dumps({"type": type(item).__name__, "fields": fields}, ensure_ascii=False)


def _raw_by_reference(holder: dict[str, Any]) -> None:
    """A page's bytes already travel in the shipped response its `warc` names: send their sha256
    instead; the writer takes them from the record it wrote (archive/capture.py)."""
    warc = holder.get("warc") or {}
    if "exchange" in warc and holder.get("raw"):
        holder["warc"] = {**warc, "sha256": hashlib.sha256(holder["raw"]).hexdigest()}
        holder["raw"] = b""


def dumps_exchange(ident: str, exchange: Exchange, max_bytes: int) -> bytes:
    """A response as one message: a JSON line, then the body (cut to nothing above max_bytes,
    marked `truncated`, so Redis never holds more than max_bytes of one body)."""
    body, truncated = exchange.body, exchange.truncated
    if len(body) > max_bytes:
        body, truncated = b"", "length"
    head = {"type": "Exchange", "id": ident, "size": len(exchange.body), "fields": {
        **{name: getattr(exchange, name) for name in _EXCHANGE_TEXT},
        "headers": _headers_out(exchange.headers), "request_headers": _headers_out(exchange.request_headers),
        "request_body": base64.b64encode(exchange.request_body or b"").decode("ascii"),
        "truncated": truncated}}
    return json.dumps(head, ensure_ascii=False).encode("utf-8") + b"\n" + body


_EXCHANGE_TEXT = ("url", "status", "protocol", "ip_address", "method", "request_url", "date")


def _headers_out(headers: list[tuple[bytes, list[bytes]]]) -> list[list[Any]]:
    return [[name.decode("latin-1"), [v.decode("latin-1") for v in values]] for name, values in headers]


def _headers_in(headers: list[list[Any]]) -> list[tuple[bytes, list[bytes]]]:
    return [(name.encode("latin-1"), [v.encode("latin-1") for v in values]) for name, values in headers]


def loads_message(data: bytes | str) -> Any:
    """A message of the item list: a ShippedExchange, or the item dumps_item wrote;
    UnknownItem for anything else."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    head, _, body = data.partition(b"\n")  # JSON text holds no raw line break
    if not head.startswith(b'{"type": "Exchange"'):
        return loads_item(data)
    try:
        message = json.loads(head)
        fields = dict(message["fields"])
        fields["headers"] = _headers_in(fields["headers"])
        fields["request_headers"] = _headers_in(fields["request_headers"])
        fields["request_body"] = base64.b64decode(fields["request_body"])
        return ShippedExchange(message["id"], Exchange(body=body, **fields), message["size"])
    except (ValueError, KeyError, TypeError) as exc:
        raise UnknownItem(f"not a unionnews response: {head[:80]!r} ({exc})") from None


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
