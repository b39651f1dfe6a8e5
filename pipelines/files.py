"""Images and attachments: downloaded with Scrapy's FilesPipeline, stored by content hash.

`ArchiveFilesPipeline` takes each article's `images` and `attachments` URLs, downloads them
through the normal downloader (so the WARC middleware captures them too), refuses bodies over
`UNIONNEWS_FILES_MAXSIZE` bytes (Scrapy's per-request `download_maxsize`), and stores each body
once under `files/<sha256[:2]>/<sha256><ext>`, so identical files share one copy and a changed
file never overwrites the old one. The pipeline writes no database: it puts each stored file's
row (size, type, hash, WARC record) and each file it could not store (too large, 404, offsite)
on the item, and the store step writes them with the article, in its transaction, through the
archive's one writer (`files` table linked to the article's row; `failures`, stage `fetch`).

On a distributed crawler (`FILES_STORE = "shipped://"`) the pipeline stores nothing: the file's
bytes travel to the archive writer inside the response shipped by WarcShipMiddleware, and the
writer stores them in its `files/` from the WARC record, checked against the row's sha256
(archive/capture.py).

Every crawl downloads the files again instead of trusting a stored copy's age (the stock
pipeline's `FILES_EXPIRES`): the point of an archive crawl is to capture what the server
sends now, and a content-addressed store keeps that cheap on disk.
"""

from __future__ import annotations

import asyncio
import errno
import hashlib
import logging
import mimetypes
import os
import posixpath
from collections.abc import Iterator
from dataclasses import is_dataclass
from io import BytesIO
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from itemadapter import ItemAdapter
from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.http import Response
from scrapy.http.request import NO_CALLBACK
from scrapy.pipelines.files import FilesPipeline, FSFilesStore
from scrapy.pipelines.media import FileException, MediaPipeline
from scrapy.utils.asyncio import is_asyncio_available
from scrapy.utils.defer import deferred_from_coro, ensure_awaitable


logger = logging.getLogger(__name__)
DEFAULT_MAXSIZE = 32 * 1024 * 1024
KINDS = (("images", "image"), ("attachments", "attachment"), ("files", "listed"))


#: Errors of the files folder itself, not of one file: the crawl cannot go on storing.
DISK_ERRORS = (errno.ENOSPC, errno.EDQUOT, errno.EROFS)


def db_path_from(settings: Any) -> Path:
    """The archive file a crawl writes: UNIONNEWS_DB, else $UNIONNEWS_DB, else ./archive.db."""
    return Path(settings.get("UNIONNEWS_DB") or os.environ.get("UNIONNEWS_DB") or "archive.db")


def content_path(sha256: str, url: str) -> str:
    """Where a body with this hash is stored, keeping the URL's extension for humans."""
    suffix = posixpath.splitext(urlsplit(url).path.rstrip("/"))[1].lower()
    if suffix not in mimetypes.types_map and suffix not in (".doc", ".docx", ".xls", ".xlsx"):
        suffix = ""
    return f"{sha256[:2]}/{sha256}{suffix}"


def media_urls(item: Any) -> Iterator[tuple[str, str]]:
    """(url, kind) for each distinct http(s) image and attachment URL of an article item."""
    # An Article (a dataclass) is read directly: an ItemAdapter per item costs more than the rest.
    get = (lambda field: getattr(item, field, None)) if is_dataclass(item) else ItemAdapter(item).get
    seen = set()
    for field, kind in KINDS:
        for url in get(field) or []:
            if url not in seen and urlsplit(url).scheme in ("http", "https"):
                seen.add(url)
                yield url, kind


class ShippedFilesStore:
    """The files store of a distributed crawler: the archive writer stores the bytes."""

    def __init__(self, uri: str) -> None:
        self.uri = uri

    def persist_file(self, path: str, buf: BytesIO, info: MediaPipeline.SpiderInfo,
                     meta: dict[str, Any] | None = None, headers: dict[str, str] | None = None) -> None:
        return None

    def stat_file(self, path: str, info: MediaPipeline.SpiderInfo) -> dict[str, Any]:
        return {}


class ArchiveFilesPipeline(FilesPipeline):
    """FilesPipeline for archives: content-addressed, size-bounded, listed in SQLite.

    Each file goes through Scrapy's downloader (`engine.download_async`: robots, offsite,
    politeness, retries, the WARC capture) and is fetched once per crawl, however many items
    name it, as the stock media pipeline does. What the stock pipeline adds around each file
    is skipped (measured with bench/crawl.py): a request fingerprint, four passes through the
    event loop, a Deferred per file and per waiter, a Task per file of an item with one file,
    the `media_to_download` stat and the path and hash computed twice. Under a Twisted reactor
    without asyncio, the stock machinery runs instead, with the same hooks.
    """

    STORE_SCHEMES = {**FilesPipeline.STORE_SCHEMES, "shipped": ShippedFilesStore}

    def __init__(self, store_uri: str, *, crawler: Crawler, db_path: Path,
                 maxsize: int) -> None:
        super().__init__(store_uri, crawler=crawler)
        self.db_path = db_path
        self.maxsize = maxsize
        self.failed_reasons: dict[str, str] = {}
        #: Each URL's outcome this crawl (awaited by the items that name it while it downloads):
        #: a files-table row, or the reason it was not stored.
        self.outcomes: dict[str, asyncio.Future[tuple[bool, Any]]] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchiveFilesPipeline:
        settings = crawler.settings
        db_path = db_path_from(settings)
        store = settings.get("FILES_STORE") or str(db_path.resolve().parent / "files")
        maxsize = settings.getint("UNIONNEWS_FILES_MAXSIZE", DEFAULT_MAXSIZE)
        return cls(store, crawler=crawler, db_path=db_path, maxsize=maxsize)

    # What to fetch -------------------------------------------------------------------------
    def get_media_requests(self, item: Any, info: MediaPipeline.SpiderInfo) -> list[Request]:
        # The stock pipeline's _modify_media_request: non-200 answers reach media_downloaded.
        status = ({"handle_httpstatus_list": self.handle_httpstatus_list} if self.handle_httpstatus_list
                  else {"handle_httpstatus_all": True})
        return [
            Request(url, callback=NO_CALLBACK,
                    meta={"download_maxsize": self.maxsize, "unionnews_file_kind": kind, **status})
            for url, kind in media_urls(item)
        ]

    def media_to_download(self, request: Request, info: MediaPipeline.SpiderInfo, *,
                          item: Any = None) -> None:
        """Always fetch: the archive wants this crawl's capture, not a stored copy's age."""
        return None

    async def process_item(self, item: Any) -> Any:
        info = self.spiderinfo
        requests = self.get_media_requests(item, info)
        if not requests:
            return self.item_completed([], item, info)
        if not is_asyncio_available():
            return await super().process_item(item)
        if len(requests) == 1:
            results = [await self._outcome(requests[0], info)]
        else:
            results = list(await asyncio.gather(*(self._outcome(r, info) for r in requests)))
        return self.item_completed(results, item, info)

    async def _outcome(self, request: Request, info: MediaPipeline.SpiderInfo) -> tuple[bool, Any]:
        """(True, row) or (False, reason) for one file: fetched by the first item that names it,
        awaited by the others."""
        known = self.outcomes.get(request.url)
        if known is not None:
            return await known
        outcome = self.outcomes[request.url] = asyncio.get_running_loop().create_future()
        result: tuple[bool, Any] = (False, "download cancelled")
        try:
            result = await self._fetch(request, info)
        finally:  # also when cancelled: the items waiting for it are told
            outcome.set_result(result)
        return result

    async def _fetch(self, request: Request, info: MediaPipeline.SpiderInfo) -> tuple[bool, Any]:
        try:
            response = await self.crawler.engine.download_async(request)
        except Exception as exc:  # offsite, robots.txt, too large, timed out, refused
            self.media_failed(exc, request, info)
            return False, _reason(exc)
        try:
            row = await self.media_downloaded(response, request, info)
        except Exception as exc:  # the files folder cannot be written
            logger.error("File not stored: %s (%s)", request.url, _reason(exc))
            return False, _reason(exc)
        return (True, row) if row else (False, self.failed_reasons.get(request.url, "not stored"))

    # How to store --------------------------------------------------------------------------
    def file_path(self, request: Request, response: Response | None = None,
                  info: MediaPipeline.SpiderInfo | None = None, *, item: Any = None) -> str:
        if response is None:
            return f"by-url/{hashlib.sha256(request.url.encode()).hexdigest()}"
        return content_path(hashlib.sha256(response.body).hexdigest(), request.url)

    async def _store(self, sha256: str, path: str, body: bytes, info: MediaPipeline.SpiderInfo) -> None:
        """Write a body under its content path, unless a file of that hash is there already."""
        if isinstance(self.store, FSFilesStore) and os.path.isfile(os.path.join(self.store.basedir, path)):
            return
        try:
            await ensure_awaitable(self.store.persist_file(path, BytesIO(body), info))
        except OSError as exc:
            if exc.errno in DISK_ERRORS:  # as when the archive itself cannot be written
                self._stop(f"{exc.strerror} ({os.path.join(self.store.basedir, path)})")
            raise FileException(f"cannot store: {exc.strerror or exc}") from None

    def _stop(self, reason: str) -> None:
        """The files folder cannot be written (disk full, read-only): the crawl stops with one
        error line, as the store step does when the archive cannot be written."""
        stats = self.crawler.stats
        if not stats.get_value("unionnews/store_error"):
            stats.set_value("unionnews/store_error", reason)
            deferred_from_coro(self.crawler.engine.close_spider_async(reason="store_error"))

    def media_failed(self, failure: Any, request: Request,
                     info: MediaPipeline.SpiderInfo) -> None:
        """One warning line instead of the stock pipeline's traceback; item_completed lists it."""
        reason = _reason(failure)
        self.failed_reasons[request.url] = reason
        logger.warning("File not stored: %s (%s)", request.url, reason)

    async def media_downloaded(self, response: Response, request: Request,
                               info: MediaPipeline.SpiderInfo, *, item: Any = None) -> Any:
        """Store the body by its sha256 and answer with its files-table row (None: not stored)."""
        body = response.body
        if response.status != 200 or not body:
            self.media_failed(f"HTTP {response.status}" if response.status != 200 else "empty body",
                              request, info)
            return None
        sha256 = hashlib.sha256(body).hexdigest()
        path = content_path(sha256, request.url)
        await self._store(sha256, path, body, info)
        self.inc_stats("cached" if "cached" in response.flags else "downloaded")
        warc = response.meta.get("warc") or {}
        return {
            "url": request.url, "kind": request.meta.get("unionnews_file_kind", "attachment"),
            "sha256": sha256, "path": path, "size": len(body),
            "content_type": (response.headers.get("Content-Type") or b"").decode("latin-1"),
            "status": response.status, "fetched_url": response.url, "warc_file": warc.get("file"),
            "warc_offset": warc.get("offset"), "warc_length": warc.get("length"),
            "warc_digest": warc.get("digest"),
            **({"warc_exchange": warc["exchange"]} if "exchange" in warc else {}),
        }

    # Where it is listed --------------------------------------------------------------------
    def item_completed(self, results: list[Any], item: Any,
                       info: MediaPipeline.SpiderInfo) -> Any:
        """Put what was stored (files table rows) and what was not on the item: the store step
        writes them with the article, in the same transaction, through the archive's writer."""
        # Results come back in the order of get_media_requests, which is media_urls' order.
        failed = [(url, _reason(res if not ok else self.failed_reasons.get(url, "not stored")))
                  for (url, _), (ok, res) in zip(media_urls(item), results) if not (ok and res)]
        if hasattr(item, "files_stored"):
            item.files_stored = [res for ok, res in results if ok and res]
            item.files_failed = failed
        return item


def _reason(failure: Any) -> str:
    """A failure (or a reason already in words) as one short line."""
    if isinstance(failure, str):
        return failure
    value = getattr(failure, "value", failure)
    return f"{type(value).__name__}: {value}".rstrip(": ")

