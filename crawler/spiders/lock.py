"""The archive's lock taken by a crawl Scrapy starts itself (`scrapy crawl columns`)."""

from __future__ import annotations

import asyncio
import logging
import weakref
from pathlib import Path
from typing import Any

from scrapy import signals

from archive.lock import CrawlError, acquire_lock
from crawler.spiders.state import db_path


def lock_for_scrapy(crawler: Any) -> None:
    """Take the archive's lock for a crawl Scrapy started itself (`scrapy crawl columns`), as
    the first thing the crawl builds: the WARC capture closes the files an earlier crawl left
    open as soon as it is built, which must never happen beside a running crawl. Released when
    the engine stops, or when the crawler is dropped without running. Nothing to take when the
    caller holds it (`unionnews crawl` sets UNIONNEWS_LOCK_HELD) or the crawl writes no archive
    here (a distributed worker).

    When another crawl holds it, the crawl does not start (Scrapy exits 1) and the log says
    why in one error line naming the holder, not in a traceback.
    """
    settings = crawler.settings
    if settings.getbool("UNIONNEWS_LOCK_HELD") or settings.get("UNIONNEWS_REDIS_URL"):
        return
    try:
        lock = acquire_lock(Path(db_path(settings)).expanduser().resolve())
    except CrawlError as exc:
        logging.getLogger(__name__).error("%s", exc)
        _already_reported(exc)
        raise
    crawler.signals.connect(lock.release, signal=signals.engine_stopped, weak=False)
    weakref.finalize(crawler, lock.release)


def _already_reported(exc: BaseException) -> None:
    """Keep asyncio from logging `exc` again, with its traceback, as the unretrieved exception
    of the task Scrapy runs the crawl in (Scrapy then exits 1 all the same)."""
    try:
        task = asyncio.current_task()
    except RuntimeError:  # no asyncio loop running: Twisted reports the failure its own way
        return
    if task is not None:
        task.add_done_callback(lambda done: done.cancelled() or done.exception())
