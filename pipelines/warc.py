"""WARC capture: every response the crawl receives, written as WARC 1.1 request/response records.

`WarcCaptureMiddleware` is a Scrapy downloader middleware. Enabled by the setting
`UNIONNEWS_WARC_DIR`, it writes each response that reaches the downloader (list pages,
articles, images, attachments, robots.txt, redirects, 404 and 500 pages, every retry) together
with the request that fetched it into rotating, gzip-compressed WARC files, one gzip member per
record so any record can be read alone from its offset. It puts the response record's location
into `response.meta['warc']` (`file`, `offset`, `length`, `digest`, `record_id`, `date`) so
the store step can save it on the article, revision and page rows.

Revisits (archive/warcfiles.py): an answer whose payload the archive already holds (another
URL, an earlier run) is written as an identical-payload-digest `revisit` record, and a 304 to a
conditional request as a server-not-modified one; `meta['warc']` then names the original
response record holding the payload, and the revisit's own place is under `revisit`.

Why warcio and not scrapy-webarchive or wacz: warcio is the maintained reference library of
the Webrecorder tools (pywb, wacz, cdxj-indexer all read through it), it writes WARC 1.1 and
computes block and payload digests itself. scrapy-webarchive 0.5 wraps the same warcio but pins
Scrapy 2.11, idna 2.10 and warcio 1.7 (it would downgrade this project's Scrapy 2.19), writes
WACZ rather than plain rotating WARC files, and does not expose record offsets to the item
pipeline. The `wacz` package is used where it fits: `archive/export.py` packages these files.

Where: records are built, digested, gzipped and written by a child process (`WarcProcess`),
one exchange at a time in the order the responses arrive, and each response waits (asyncio) for
its record's pointer before it goes on to the spider. That work was a seventh of the crawl
process's CPU, and a Scrapy crawl is bound to one core (bench/crawl.py). With
`UNIONNEWS_WARC_PROCESS = False`, or a Twisted reactor without asyncio, the middleware writes in
the crawl's own process (`InlineWarc`), as before. If the WARC process dies, the crawl stops
with that reason: pages it could not capture are not archived.

Fidelity: the middleware sits at priority 950, next to the downloader, so it sees the body
before HttpCompressionMiddleware decodes it and every response before RedirectMiddleware and
RetryMiddleware act on it. Scrapy gives headers in normalised case and has already removed
chunked transfer encoding, so a `Transfer-Encoding` header is kept as
`X-Archive-Orig-Transfer-Encoding` (the convention of warcprox and pywb) to keep the record
readable. Responses served from Scrapy's HTTP cache are not written: the server did not send them.

Fixity: files are written as `NAME.warc.gz.open` and renamed when closed (rotation at
`UNIONNEWS_WARC_MAX_BYTES`, or the end of the crawl); on close the whole-file sha256 is
appended to `manifest-sha256.txt` in the same folder, in `sha256sum` format, so
`sha256sum -c manifest-sha256.txt` and `unionnews verify` can both check it. A file left
`.open` by a killed crawl is closed by the next one: cut after its last whole record, renamed,
hashed and listed, so the rows the killed crawl committed still point at verifiable records.

Distributed crawls: `WarcShipMiddleware` takes the capture middleware's place on each crawler.
It writes nothing on the crawler's disk: each exchange, with the time it was fetched, goes onto
the Redis list the items take (pipelines/redis_items.py), before the response goes on to the
spider, and `response.meta['warc']` is `{"exchange": ID}`; the archive writer writes the
records and puts their pointers in the items that name them (archive/capture.py).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from scrapy.utils.asyncio import is_asyncio_available
from scrapy.utils.defer import deferred_from_coro, maybe_deferred_to_future
from scrapy_redis.connection import get_redis_from_settings
from twisted.internet.task import deferLater
from twisted.internet.threads import deferToThread

from archive.capture import DEFAULT_SHIP_MAX_BYTES
from crawler.frontier import key
from pipelines.redis_items import dumps_exchange

from archive.warcfiles import (
    DEFAULT_MAX_BYTES, ClosedWarc, Exchange, InlineWarc, RotatingWarcWriter, WarcProcess, WarcWriteError,
    recover_open_files, warc_date,
)

logger = logging.getLogger(__name__)
#: Messages on the items list above which a distributed crawler waits for the writer (default),
#: and how often it looks again (s). A message is one response or one item: a few kB to MBs.
DEFAULT_MAX_WAITING = 2000
WAIT_SECONDS = 0.2


def default_warc_dir(settings: Any) -> Path:
    """$UNIONNEWS_WARC_DIR, else `warc/` beside the archive (UNIONNEWS_DB, $UNIONNEWS_DB,
    else ./archive.db)."""
    if os.environ.get("UNIONNEWS_WARC_DIR"):
        return Path(os.environ["UNIONNEWS_WARC_DIR"])
    db = settings.get("UNIONNEWS_DB") or os.environ.get("UNIONNEWS_DB") or "archive.db"
    return Path(db).resolve().parent / "warc"


def exchange_of(request: Request, response: Response, date: str = "") -> Exchange:
    """The plain, picklable record of one Scrapy request and its response."""
    return Exchange(date=date,
        url=response.url, status=response.status, protocol=response.protocol or "HTTP/1.1",
        headers=_header_items(response.headers), body=response.body,
        ip_address=None if response.ip_address is None else str(response.ip_address),
        method=request.method, request_url=request.url,
        request_headers=_header_items(request.headers), request_body=request.body,
    )


def _header_items(headers: Any) -> list[tuple[bytes, list[bytes]]]:
    """(name, values) of Scrapy Headers as it stores them: its keys are normalised already, so
    the dict's own items are what Headers.items() gives, without a lookup per header."""
    return list(dict.items(headers))


class WarcCaptureMiddleware:
    """Downloader middleware writing every downloaded response (and its request) to WARC.

    Settings: `UNIONNEWS_WARC_DIR` (default: $UNIONNEWS_WARC_DIR, else `warc/` beside the
    archive database named by `UNIONNEWS_DB`), `UNIONNEWS_WARC_ENABLED` (default True; False turns capture off),
    `UNIONNEWS_WARC_MAX_BYTES` (rotation size, default 256 MiB), `UNIONNEWS_WARC_PREFIX`
    (file name prefix), `UNIONNEWS_RUN_ID` (named in each file's warcinfo record; by default
    the run number the store step puts in the stats), `UNIONNEWS_WARC_PROCESS` (default True:
    write in a child process; False, or a reactor without asyncio, writes in this one).
    """

    def __init__(self, writer: RotatingWarcWriter, crawler: Crawler, in_process: bool = False) -> None:
        self.writer = writer
        self.crawler = crawler
        self.stats = crawler.stats
        self.in_process = in_process or not is_asyncio_available()
        self.sink: InlineWarc | WarcProcess | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WarcCaptureMiddleware:
        settings = crawler.settings
        if not settings.getbool("UNIONNEWS_WARC_ENABLED", True):
            raise NotConfigured("WARC capture is off (UNIONNEWS_WARC_ENABLED)")
        warc_dir = settings.get("UNIONNEWS_WARC_DIR") or default_warc_dir(settings)
        info = {"operator": settings.get("UNIONNEWS_WARC_OPERATOR", "unionnews")}
        if settings.get("UNIONNEWS_RUN_ID") is not None:
            info["isPartOf"] = f"unionnews crawl run {settings.get('UNIONNEWS_RUN_ID')}"
        writer = RotatingWarcWriter(
            warc_dir,
            prefix=settings.get("UNIONNEWS_WARC_PREFIX", "unionnews"),
            max_bytes=settings.getint("UNIONNEWS_WARC_MAX_BYTES", DEFAULT_MAX_BYTES),
            info=info,
        )
        for closed in recover_open_files(warc_dir) if Path(warc_dir).is_dir() else []:
            logger.warning("closed %s, left open by an interrupted crawl", closed.name)
        middleware = cls(writer, crawler, in_process=not settings.getbool("UNIONNEWS_WARC_PROCESS", True))
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    async def process_response(self, request: Request, response: Response) -> Response:
        """Write the exchange, then hand the response on unchanged with its WARC location."""
        if "cached" in response.flags:
            return response
        if self.sink is None:
            self.sink = self._open()
        pointer = self.sink.write(exchange_of(request, response))
        try:
            request.meta["warc"] = pointer if isinstance(pointer, dict) else await pointer
        except WarcWriteError as exc:
            if getattr(self.sink, "failed", None):
                self._stop(str(exc))
            raise
        if self.stats is not None:
            self.stats.inc_value("warc/records")
            if request.meta["warc"].get("revisit"):
                self.stats.inc_value("warc/revisits")
            else:
                self.stats.inc_value("warc/payload_bytes", len(response.body))
        return response

    def _stop(self, reason: str) -> None:
        """Without its WARC writer the crawl would archive pages it cannot prove: stop it."""
        if self.stats is not None and not self.stats.get_value("unionnews/store_error"):
            self.stats.set_value("unionnews/store_error", reason)
            deferred_from_coro(self.crawler.engine.close_spider_async(reason="store_error"))

    def _open(self) -> InlineWarc | WarcProcess:
        """Start writing, on the first response: by then the store step has numbered the crawl
        run, which the files' warcinfo records name."""
        run_id = self.stats.get_value("unionnews/run_id") if self.stats is not None else None
        if "isPartOf" not in self.writer.info and run_id is not None:
            self.writer.info["isPartOf"] = f"unionnews crawl run {run_id}"
        return InlineWarc(self.writer) if self.in_process else WarcProcess(self.writer)

    def spider_closed(self) -> None:
        closed: list[ClosedWarc] = []
        try:
            closed = self.sink.close() if self.sink is not None else []
        except OSError as exc:  # disk full: the file stays .open; the next crawl closes it
            if self.stats is not None and not self.stats.get_value("unionnews/store_error"):
                self.stats.set_value("unionnews/store_error", f"cannot close WARC file: {exc}")
        if self.stats is not None:
            self.stats.set_value("warc/files", [c.name for c in closed])


class WarcShipMiddleware:
    """Downloader middleware of a distributed crawler: every downloaded response (and its
    request), with when it was fetched, onto the items list for the archive writer to write.

    Settings: `UNIONNEWS_REDIS_URL`, `UNIONNEWS_WORKER_ID` (set by `unionnews crawl --redis`),
    `UNIONNEWS_SHIP_MAX_BYTES` (a larger body is not shipped: the writer records its headers
    with `WARC-Truncated: length`; default: UNIONNEWS_FILES_MAXSIZE, the largest file fetched),
    `UNIONNEWS_SHIP_MAX_WAITING` (more messages than this waiting for the writer hold the crawler
    until it takes them; default 2000).
    """

    def __init__(self, server: Any, worker: str, max_bytes: int, stats: Any,
                 max_waiting: int = DEFAULT_MAX_WAITING) -> None:
        self.server, self.worker, self.max_bytes, self.stats = server, worker, max_bytes, stats
        self.max_waiting = max_waiting
        self.serial = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WarcShipMiddleware:
        settings = crawler.settings
        if not settings.get("UNIONNEWS_REDIS_URL"):
            raise NotConfigured("no distributed crawl (UNIONNEWS_REDIS_URL)")
        if not settings.getbool("UNIONNEWS_WARC_ENABLED", True):
            raise NotConfigured("WARC capture is off (UNIONNEWS_WARC_ENABLED)")
        limit = settings.getint("UNIONNEWS_SHIP_MAX_BYTES") or settings.getint(
            "UNIONNEWS_FILES_MAXSIZE", DEFAULT_SHIP_MAX_BYTES)
        return cls(get_redis_from_settings(settings), settings.get("UNIONNEWS_WORKER_ID") or "worker",
                   limit, crawler.stats, settings.getint("UNIONNEWS_SHIP_MAX_WAITING", DEFAULT_MAX_WAITING))

    async def process_response(self, request: Request, response: Response) -> Response:
        """Ship the exchange; the response goes on once it is on the list (so before any item
        that names it)."""
        if "cached" in response.flags:
            return response
        self.serial += 1
        ident = f"{self.worker}:{self.serial}"
        message = dumps_exchange(ident, exchange_of(request, response, warc_date()), self.max_bytes)
        waiting = await maybe_deferred_to_future(deferToThread(self.server.rpush, key("items"), message))
        if waiting > self.max_waiting:
            await self._wait_for_the_writer(waiting)
        request.meta["warc"] = {"exchange": ident}
        if self.stats is not None:
            self.stats.inc_value("warc/shipped")
            self.stats.inc_value("warc/shipped_bytes", len(message))
            if len(response.body) > self.max_bytes:
                self.stats.inc_value("warc/truncated")
        return response

    async def _wait_for_the_writer(self, waiting: int) -> None:
        """Hold this response (and so, soon, the whole crawler) while more than max_waiting
        messages wait for the writer: Redis keeps what the crawlers send in memory, and a writer
        that is slow or down must not make it hold the whole crawl."""
        from twisted.internet import reactor  # the one Scrapy installed (import it late)

        logger.warning("%d messages wait for the archive writer (UNIONNEWS_SHIP_MAX_WAITING %d): "
                       "this crawler waits until it takes them", waiting, self.max_waiting)
        if self.stats is not None:
            self.stats.inc_value("warc/ship_waits")
        while waiting > self.max_waiting:
            await maybe_deferred_to_future(deferLater(reactor, WAIT_SECONDS, lambda: None))
            waiting = await maybe_deferred_to_future(deferToThread(self.server.llen, key("items")))
