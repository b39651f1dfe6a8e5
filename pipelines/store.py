"""Store: write articles, raw pages and failures into the archive in batched transactions."""

from __future__ import annotations

import sqlite3
import time
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.utils.defer import deferred_from_coro

from archive.background import BackgroundWriter, InlineWriter, StoreFailed
from archive.db import open_archive
from archive.records import Alias, FailureRecord, WalkFigures, WriteCounts, close_run, close_stale_runs, start_run
from crawler.items import Article
from crawler.spiders.state import db_path
from pipelines.dedup import DuplicateArticle
from pipelines.validate import InvalidArticle

_STATUS = {"finished": "finished", "shutdown": "interrupted", "cancelled": "interrupted"}


class StorePipeline:
    """Buffers items and writes them in one transaction per batch (size or age, whichever first).

    Batches go to a writer process (archive.background) so the crawl goes on fetching while
    they are written. Opens the crawl run on open and closes it on spider_closed, with the
    walk's figures and any sign that the site's template changed. A killed crawl loses at most
    the batches not yet written; the next run fetches them again.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        settings = crawler.settings
        self.path = db_path(settings)
        self.batch_size = settings.getint("UNIONNEWS_BATCH_SIZE")
        self.batch_seconds = settings.getfloat("UNIONNEWS_BATCH_SECONDS")
        self.in_process = not settings.getbool("UNIONNEWS_WRITER_PROCESS")
        self.buffer: list[Any] = []
        self.oldest = 0.0
        self.db: Any = None
        self.run_id = 0
        self.sink: BackgroundWriter | InlineWriter | None = None
        self.totals = WriteCounts()
        self.started = time.monotonic()
        crawler.signals.connect(self.item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        return cls(crawler)

    def open_spider(self) -> None:
        self.db = open_archive(self.path)
        close_stale_runs(self.db)
        spider = self.crawler.spider
        self.run_id = start_run(self.db, spider.start_urls, getattr(spider, "full", False))
        self.crawler.stats.set_value("unionnews/run_id", self.run_id)
        site = self.crawler.settings.get("UNIONNEWS_PROFILE")
        self.sink = (InlineWriter if self.in_process else BackgroundWriter)(self.path, self.run_id, site)

    def process_item(self, item: Any) -> Any:
        if not self.buffer:
            self.oldest = time.monotonic()
        self.buffer.append(item)
        if len(self.buffer) >= self.batch_size or time.monotonic() - self.oldest >= self.batch_seconds:
            self.flush()
        return item

    def item_dropped(self, item: Any, response: Any, exception: DropItem, spider: Spider) -> None:
        """Rejected articles are parse failures (kept with their bytes); duplicates leave an alias."""
        if not isinstance(item, Article):
            return
        if isinstance(exception, InvalidArticle):
            self.process_item(FailureRecord(item.fetched_url or item.url, "parse", str(exception),
                                            item.status, item.raw, item.fetched_at))
        elif isinstance(exception, DuplicateArticle) and item.fetched_url != item.url:
            self.process_item(Alias(item.fetched_url, item.url))

    def flush(self) -> None:
        batch, self.buffer = self.buffer, []
        if self.sink is None:
            return
        try:
            if batch:
                self.sink.submit(batch)
            self._count(self.sink.collect_some())
        except StoreFailed as exc:
            self._stop(str(exc))

    def _stop(self, reason: str) -> None:
        """The archive cannot be written: stop the crawl rather than fetch for nothing."""
        self.sink = None
        self.crawler.stats.set_value("unionnews/store_error", reason)
        deferred_from_coro(self.crawler.engine.close_spider_async(reason="store_error"))

    def _count(self, done: list[WriteCounts]) -> None:
        for counts in done:
            self.totals.add(counts)
            for name in ("new", "updated", "unchanged", "failed"):
                self.crawler.stats.inc_value(f"unionnews/{name}", getattr(counts, name))

    def close_spider(self) -> None:
        self.flush()
        if self.sink is not None:
            try:
                self._count(self.sink.close())
            except StoreFailed as exc:
                self.crawler.stats.set_value("unionnews/store_error", str(exc))
            self.sink = None

    def spider_closed(self, spider: Spider, reason: str) -> None:
        """Finish the run record (figures, warnings, walked columns) and release the archive."""
        if self.db is None:
            return
        db, report, stats = self.db, spider.report, self.crawler.stats
        status = _STATUS.get(reason, reason)
        if report.start_failures and len(report.start_failures) == len(spider.start_urls):
            status = "failed"
        walk = WalkFigures(
            fetched=stats.get_value("response_received_count", 0),
            requests=stats.get_value("downloader/request_count", 0), list_pages=report.list_pages,
            article_links=report.article_links, empty_columns=report.empty_columns, parsed=report.parsed,
            parse_failures=report.parse_failures, drift=report.drift, walked=sorted(report.walked))
        try:
            warnings = close_run(db, self.run_id, status, time.monotonic() - self.started, self.totals, walk,
                                 walked_to_the_end=reason == "finished" and not report.truncated
                                 and not stats.get_value("unionnews/store_error"))
            stats.set_value("unionnews/warnings", warnings)
        except sqlite3.Error as exc:  # disk full, read-only: the next run closes this run's record
            if not stats.get_value("unionnews/store_error"):
                stats.set_value("unionnews/store_error", f"{type(exc).__name__}: {exc}")
        finally:
            db.close()
