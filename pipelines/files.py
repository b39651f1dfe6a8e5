"""Images and attachments: downloaded with Scrapy's FilesPipeline, stored by content hash.

`ArchiveFilesPipeline` takes each article's `images` and `attachments` URLs, downloads them
through the normal downloader (so the WARC middleware captures them too), refuses bodies over
`UNIONNEWS_FILES_MAXSIZE` bytes (Scrapy's per-request `download_maxsize`), and stores each body
once under `files/<sha256[:2]>/<sha256><ext>`, so identical files share one copy and a changed
file never overwrites the old one. Each stored file is listed in the `files` table, linked to
its article (`article_url`, and `article_id` once the store step has written the article),
with its size, type, when it was seen and its WARC record. A file that could not be stored
(too large, 404, offsite) goes to the `failures` table, stage `fetch`.

Every crawl downloads the files again instead of trusting a stored copy's age (the stock
pipeline's `FILES_EXPIRES`): the point of an archive crawl is to capture what the server
sends now, and a content-addressed store keeps that cheap on disk.
"""

from __future__ import annotations

import hashlib
import logging
import mimetypes
import os
import sqlite3
from collections.abc import Iterator
from io import BytesIO
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

import sqlite_utils
from itemadapter import ItemAdapter
from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.http import Response
from scrapy.http.request import NO_CALLBACK
from scrapy.pipelines.files import FilesPipeline, FSFilesStore
from scrapy.pipelines.media import MediaPipeline
from scrapy.utils.defer import deferred_from_coro, ensure_awaitable

from archive.records import utc_now

logger = logging.getLogger(__name__)
FILES_TABLE = "files"
DEFAULT_MAXSIZE = 32 * 1024 * 1024
KINDS = (("images", "image"), ("attachments", "attachment"), ("files", "listed"))
FILES_COLUMNS: dict[str, type] = {
    "article_id": int, "article_url": str, "url": str, "kind": str, "sha256": str,
    "path": str, "size": int, "content_type": str, "status": int, "fetched_url": str,
    "first_seen_at": str, "last_seen_at": str,
    "warc_file": str, "warc_offset": int, "warc_length": int, "warc_digest": str,
}
FILES_PK = ("article_url", "url", "sha256")
# One row per (article, file URL, content): a row seen again keeps its first_seen_at and the
# article_id close_spider linked it to. One prepared statement per article instead of
# sqlite-utils' insert + update, whose schema lookups on every call were 8% of the crawl
# process's CPU (bench/crawl.py).
UPSERT_FILE = (
    f"INSERT INTO [{FILES_TABLE}] ({', '.join(f'[{c}]' for c in FILES_COLUMNS)}) "
    f"VALUES ({', '.join(f':{c}' for c in FILES_COLUMNS)}) "
    f"ON CONFLICT ({', '.join(f'[{c}]' for c in FILES_PK)}) DO UPDATE SET "
    + ", ".join(f"[{c}] = excluded.[{c}]" for c in FILES_COLUMNS
                if c not in (*FILES_PK, "first_seen_at", "article_id"))
)


def db_path_from(settings: Any) -> Path:
    """The archive file a crawl writes: UNIONNEWS_DB, else $UNIONNEWS_DB, else ./archive.db."""
    return Path(settings.get("UNIONNEWS_DB") or os.environ.get("UNIONNEWS_DB") or "archive.db")


def content_path(sha256: str, url: str) -> str:
    """Where a body with this hash is stored, keeping the URL's extension for humans."""
    suffix = PurePosixPath(urlsplit(url).path).suffix.lower()
    if suffix not in mimetypes.types_map and suffix not in (".doc", ".docx", ".xls", ".xlsx"):
        suffix = ""
    return f"{sha256[:2]}/{sha256}{suffix}"


def media_urls(item: Any) -> Iterator[tuple[str, str]]:
    """(url, kind) for each distinct http(s) image and attachment URL of an article item."""
    adapter, seen = ItemAdapter(item), set()
    for field, kind in KINDS:
        for url in adapter.get(field) or []:
            if url not in seen and urlsplit(url).scheme in ("http", "https"):
                seen.add(url)
                yield url, kind


def ensure_files_table(db: sqlite_utils.Database) -> None:
    """Create the `files` table if the archive does not have it yet."""
    if FILES_TABLE in db.table_names():
        return
    fks = [("article_id", "articles", "id")] if "articles" in db.table_names() else []
    db[FILES_TABLE].create(FILES_COLUMNS, pk=FILES_PK, foreign_keys=fks, if_not_exists=True)
    db[FILES_TABLE].create_index(["article_id"], if_not_exists=True)
    db[FILES_TABLE].create_index(["sha256"], if_not_exists=True)


class ArchiveFilesPipeline(FilesPipeline):
    """FilesPipeline for archives: content-addressed, size-bounded, listed in SQLite."""

    def __init__(self, store_uri: str, *, crawler: Crawler, db_path: Path,
                 maxsize: int) -> None:
        super().__init__(store_uri, crawler=crawler)
        self.db_path = db_path
        self.maxsize = maxsize
        self.db: sqlite_utils.Database | None = None
        self.failed_reasons: dict[str, str] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchiveFilesPipeline:
        settings = crawler.settings
        db_path = db_path_from(settings)
        store = settings.get("FILES_STORE") or str(db_path.resolve().parent / "files")
        maxsize = settings.getint("UNIONNEWS_FILES_MAXSIZE", DEFAULT_MAXSIZE)
        return cls(store, crawler=crawler, db_path=db_path, maxsize=maxsize)

    def open_spider(self, spider: Any = None) -> None:
        super().open_spider(spider)
        self.db = sqlite_utils.Database(self.db_path)
        self.db.execute("PRAGMA busy_timeout = 10000")
        # WAL (set by the archive) + NORMAL: a commit per article without an fsync each time.
        self.db.execute("PRAGMA synchronous = NORMAL")
        ensure_files_table(self.db)

    def close_spider(self, spider: Any = None) -> None:
        """Link rows to article ids the store step has written since (it writes in batches)."""
        if self.db is None:
            return
        db, self.db = self.db, None
        try:
            if "articles" in db.table_names():
                with db.conn:
                    db.execute(
                        f"UPDATE [{FILES_TABLE}] SET article_id = "
                        "(SELECT id FROM articles WHERE articles.url = article_url) "
                        "WHERE article_id IS NULL"
                    )
        except sqlite3.Error as exc:
            self._give_up(exc, stop=False)
        finally:
            db.conn.close()

    # What to fetch -------------------------------------------------------------------------
    def get_media_requests(self, item: Any, info: MediaPipeline.SpiderInfo) -> list[Request]:
        return [
            Request(url, callback=NO_CALLBACK,
                    meta={"download_maxsize": self.maxsize, "unionnews_file_kind": kind})
            for url, kind in media_urls(item)
        ]

    def media_to_download(self, request: Request, info: MediaPipeline.SpiderInfo, *,
                          item: Any = None) -> None:
        """Always fetch: the archive wants this crawl's capture, not a stored copy's age."""
        return None

    # How to store --------------------------------------------------------------------------
    def file_path(self, request: Request, response: Response | None = None,
                  info: MediaPipeline.SpiderInfo | None = None, *, item: Any = None) -> str:
        if response is None:
            return f"by-url/{hashlib.sha256(request.url.encode()).hexdigest()}"
        return content_path(body_sha256(response), request.url)

    async def file_downloaded(self, response: Response, request: Request,
                              info: MediaPipeline.SpiderInfo, *, item: Any = None) -> str:
        sha256 = body_sha256(response)
        path = content_path(sha256, request.url)
        if not (isinstance(self.store, FSFilesStore) and
                (Path(self.store.basedir) / path).is_file()):
            await ensure_awaitable(self.store.persist_file(path, BytesIO(response.body), info))
        return sha256

    def media_failed(self, failure: Any, request: Request,
                     info: MediaPipeline.SpiderInfo) -> None:
        """One warning line instead of the stock pipeline's traceback; item_completed lists it."""
        reason = _reason(failure)
        self.failed_reasons[request.url] = reason
        logger.warning("File not stored: %s (%s)", request.url, reason)

    async def media_downloaded(self, response: Response, request: Request,
                               info: MediaPipeline.SpiderInfo, *, item: Any = None) -> Any:
        if response.status != 200 or not response.body:
            reason = f"HTTP {response.status}" if response.status != 200 else "empty body"
            self.media_failed(reason, request, info)
            return None
        result = await super().media_downloaded(response, request, info, item=item)
        warc = response.meta.get("warc") or {}
        result.update({
            "kind": request.meta.get("unionnews_file_kind", "attachment"),
            "size": len(response.body),
            "content_type": (response.headers.get("Content-Type") or b"").decode("latin-1"),
            "http_status": response.status,
            "fetched_url": response.url,
            "warc": warc,
        })
        return result

    # Where it is listed --------------------------------------------------------------------
    def item_completed(self, results: list[Any], item: Any,
                       info: MediaPipeline.SpiderInfo) -> Any:
        article_url = ItemAdapter(item).get("url")
        stored = [res for ok, res in results if ok and res]
        # Results come back in the order of get_media_requests, which is media_urls' order.
        failed = [(url, res if not ok else self.failed_reasons.get(url, "not stored"))
                  for (url, _), (ok, res) in zip(media_urls(item), results) if not (ok and res)]
        if self.db is not None and article_url and (stored or failed):
            try:
                self._record(article_url, stored, failed)
            except sqlite3.Error as exc:
                self._give_up(exc, stop=True)
        return item

    def _give_up(self, exc: sqlite3.Error, stop: bool) -> None:
        """The archive cannot be written (disk full, read-only): stop the crawl with the one
        error line the store step reports, not a traceback for every article."""
        if self.db is not None:
            self.db.conn.close()
            self.db = None
        stats = self.crawler.stats
        if not stats.get_value("unionnews/store_error"):
            stats.set_value("unionnews/store_error", f"{type(exc).__name__}: {exc}")
        if stop:
            deferred_from_coro(self.crawler.engine.close_spider_async(reason="store_error"))

    def _record(self, article_url: str, stored: list[dict],
                failed: list[tuple[str, Any]]) -> None:
        assert self.db is not None
        now = utc_now()
        with self.db.conn:
            self.db.conn.executemany(UPSERT_FILE, [_file_row(article_url, res, now) for res in stored])
            if failed and "failures" in self.db.table_names():
                self.db["failures"].insert_all(
                    {"url": url, "stage": "fetch", "at": now,
                     "reason": f"file of {article_url} not stored: {_reason(f)}"}
                    for url, f in failed)


def body_sha256(response: Response) -> str:
    """Hex sha256 of a response body, computed once per response (FilesPipeline asks for the
    storage path and then for the checksum: two passes over an attachment that may be MBs)."""
    sha256 = response.meta.get("unionnews_sha256")
    if sha256 is None:
        sha256 = response.meta["unionnews_sha256"] = hashlib.sha256(response.body).hexdigest()
    return sha256


def _file_row(article_url: str, res: dict, now: str) -> dict[str, Any]:
    warc = res.get("warc") or {}
    return {
        "article_id": None, "article_url": article_url, "url": res["url"], "kind": res["kind"],
        "sha256": res["checksum"], "path": res["path"], "size": res["size"],
        "content_type": res["content_type"], "status": res["http_status"],
        "fetched_url": res["fetched_url"], "first_seen_at": now, "last_seen_at": now,
        "warc_file": warc.get("file"), "warc_offset": warc.get("offset"),
        "warc_length": warc.get("length"), "warc_digest": warc.get("digest"),
    }


def _reason(failure: Any) -> str:
    """A failure (or a reason already in words) as one short line."""
    if isinstance(failure, str):
        return failure
    value = getattr(failure, "value", failure)
    return f"{type(value).__name__}: {value}".rstrip(": ")

