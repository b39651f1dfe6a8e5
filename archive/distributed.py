"""One crawler process of a distributed crawl: `unionnews crawl --redis redis://HOST:PORT/N`.

The columns spider runs as usual, but its requests go through the shared scrapy-redis
frontier (crawler/frontier.py) and its items onto a Redis list (pipelines/redis_items.py)
for the one archive writer, `unionnews ingest --redis ...`. A worker writes nothing on its
own disk: every response it receives (pages, images, attachments, robots.txt, errors) goes
onto the same list for the writer to write as WARC records (pipelines/warc.py,
WarcShipMiddleware), and the images and attachments it downloads are stored by the writer
from those records (archive/capture.py).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

from archive.crawl import CrawlError, CrawlOptions, check_sites, scrapy_settings
from crawler.frontier import key, new_worker_id, unseen, walk_ended, walks_ended
from crawler.sites import netloc, split_start_urls
from crawler.spiders.columns import ColumnsSpider

#: Seconds between requests to one host, shared by all workers, when --delay is not given.
DEFAULT_SHARED_DELAY = 1.0
SHARED_SLOT_CONCURRENCY = 8


@dataclass
class WorkerSummary:
    """What one worker did (the crawl's totals are the writer's to report)."""

    status: str
    fetched: int
    list_pages: int
    articles: int
    failed: int
    errors: list[str]

    def line(self) -> str:
        return (f"crawl worker {self.status}: fetched {self.fetched}, list pages {self.list_pages}, "
                f"articles sent {self.articles}, failed {self.failed}")

    @property
    def exit_code(self) -> int:
        return 1 if self.errors else 0


class WorkerSpider(ColumnsSpider):
    """The columns spider as one worker: on --full, whether every column was walked to its
    end and which archived articles no list linked are judged across all workers.

    The walks end on whichever workers fetched the last list pages, so the worker that parses
    a column's last page adds it to a shared set (before that page's lease ends: a worker
    killed later does not take it along), and the recheck waits for every column. An article
    some worker's list linked was requested through the shared duplicate filter, so the
    unlisted ones are the archived ones that filter has not seen. Every worker asks for them
    once, through the same filter, so each is fetched once, by whichever worker pops it.
    """

    def parse_list(self, response: Any, column: str, page: int) -> Iterator[Any]:
        yield from super().parse_list(response, column, page)
        if self.full and column in self.report.walked:
            walk_ended(self._redis(), column)

    def walks_complete(self) -> bool:
        return walks_ended(self._redis(), self.start_urls)

    def unlisted(self) -> list[str]:
        return unseen(self._redis(), super().unlisted())

    def _redis(self) -> Any:
        from scrapy_redis.connection import get_redis_from_settings

        if getattr(self, "_server", None) is None:
            self._server = get_redis_from_settings(self.settings)
        return self._server


def connect(redis_url: str) -> Any:
    """A Redis client for the URL, checked with a PING; CrawlError with one line if unreachable."""
    import redis

    try:
        server = redis.Redis.from_url(redis_url, socket_connect_timeout=5, socket_timeout=30)
        server.ping()
    except ValueError as exc:
        raise CrawlError(f"--redis {redis_url!r} is not a Redis URL (redis://HOST:PORT/DB): {exc}") from None
    except redis.RedisError as exc:
        raise CrawlError(f"cannot reach Redis at {redis_url}: {exc}") from None
    return server


def distributed_settings(base: Any, redis_url: str, delay: float | None) -> dict[str, Any]:
    """Scrapy settings that turn the project's crawl into one worker of a shared crawl."""
    middlewares = dict(base.getdict("DOWNLOADER_MIDDLEWARES"))
    middlewares.pop("pipelines.warc.WarcCaptureMiddleware", None)
    middlewares["pipelines.warc.WarcShipMiddleware"] = 950  # where the capture middleware sits
    # Last before the download slot: robots.txt lookups and retries happen before a request
    # takes its place in the host's timetable, so the time it reserves is when it is sent.
    middlewares["crawler.politeness.SharedPoliteness"] = 900
    return {
        # scrapy-redis: one queue and one duplicate filter for all workers, kept when one stops.
        "SCHEDULER": "scrapy_redis.scheduler.Scheduler",
        "SCHEDULER_QUEUE_CLASS": "crawler.frontier.LeasedQueue",
        "SCHEDULER_QUEUE_KEY": key("requests"),
        "DUPEFILTER_CLASS": "crawler.frontier.AtomicDupeFilter",
        "SCHEDULER_DUPEFILTER_KEY": key("dupefilter"),
        "SCHEDULER_PERSIST": True,
        "REDIS_URL": redis_url,
        "REDIS_ITEMS_KEY": key("items"),
        "REDIS_ITEMS_SERIALIZER": "pipelines.redis_items.dumps_item",
        "ITEM_PIPELINES": {"pipelines.clean.CleanPipeline": 100,
                           "pipelines.files.ArchiveFilesPipeline": 350,
                           "pipelines.redis_items.RedisItemPipeline": 900},
        "FILES_STORE": "shipped://archive-writer",
        "SPIDER_MIDDLEWARES": {"crawler.frontier.LeaseAck": 1},
        "EXTENSIONS": {**base.getdict("EXTENSIONS"), "crawler.frontier.Worker": 500},
        "DOWNLOADER_MIDDLEWARES": middlewares,
        # Politeness is shared through Redis (SharedPoliteness), not kept per process.
        "DOWNLOAD_DELAY": 0,
        "AUTOTHROTTLE_ENABLED": False,
        "UNIONNEWS_SHARED_DELAY": DEFAULT_SHARED_DELAY if delay is None else delay,
        # The timetable spaces requests; a small per-host cap only keeps reserved requests
        # from queueing in the slot (and then leaving together) when the site answers slowly.
        **({} if delay == 0 else {"CONCURRENT_REQUESTS_PER_DOMAIN": SHARED_SLOT_CONCURRENCY}),
        "UNIONNEWS_REDIS_URL": redis_url,
        "UNIONNEWS_WORKER_ID": new_worker_id(),
    }


def crawl_worker(options: CrawlOptions) -> WorkerSummary:
    """Run this process as one crawler of the distributed crawl (options.redis_url) until the
    crawl is done.

    Raises CrawlError (one line) when it cannot start: bad URL or site, Redis unreachable,
    or no archive writer running (the writer resets and owns each crawl).
    """
    from scrapy.crawler import CrawlerProcess

    if not options.sites:
        raise CrawlError("no start URL: give --start-url (one per column), --site or --config")
    redis_url = options.redis_url or ""
    sites = check_sites(options.start_urls, options.sites)
    urls = split_start_urls(options.start_urls)
    server = connect(redis_url)
    if not server.exists(key("writer")):
        raise CrawlError(f"no archive writer on {redis_url}: start `unionnews ingest --redis "
                         f"{redis_url}` first (it owns the archive and starts each crawl)")
    base = scrapy_settings(replace(options, settings={}))
    base.setdict({**distributed_settings(base, redis_url, options.delay), **options.settings}, priority="cmdline")
    if "CONCURRENT_REQUESTS" not in options.settings:
        # A worker pops only what it can send now: popped requests wait in its own download
        # slots, where no other worker can take them.
        hosts = {netloc(url) for url in urls}
        base.set("CONCURRENT_REQUESTS", base.getint("CONCURRENT_REQUESTS_PER_DOMAIN") * len(hosts),
                 priority="cmdline")
    process = CrawlerProcess(base)
    logging.getLogger("scrapy").setLevel(process.settings.get("LOG_LEVEL"))
    crawler = process.create_crawler(WorkerSpider)
    process.crawl(crawler, start_url=urls, full=options.full, max_articles=options.max_articles, sites=sites)
    process.start()
    return _summary(crawler)


def _summary(crawler: Any) -> WorkerSummary:
    stats, reason = crawler.stats, crawler.stats.get_value("finish_reason")
    if reason is None or crawler.spider is None:
        raise CrawlError("the crawl did not start (see the log for why)")
    report = crawler.spider.report
    errors = [f"could not fetch start URL {url}: {why}" for url, why in report.start_failures.items()]
    if reason != "finished":
        errors.append(f"worker stopped ({reason}); its unfinished requests went back to the queue")
    return WorkerSummary("finished" if reason == "finished" else "interrupted",
                         stats.get_value("response_received_count", 0), report.list_pages,
                         report.parsed, report.parse_failures, errors)
