"""Politeness per site across all crawlers of a distributed crawl.

One timetable per host in Redis, read with Redis's own clock (the machines' clocks do not
matter): each request reserves the next start time of its host and waits for it, so N
crawlers together keep the delay that one crawler would.
"""

from __future__ import annotations

from typing import Any

from scrapy import Request
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.task import deferLater

from crawler.frontier import key
from crawler.sites import netloc

# Reserve the next start time for a host, by Redis's clock: max(now, next) and next += delay.
_RESERVE = """
local now = redis.call('TIME')
local t = tonumber(now[1]) + tonumber(now[2]) / 1000000
local at = math.max(t, tonumber(redis.call('GET', KEYS[1]) or '0'))
local delay = tonumber(ARGV[1])
redis.call('SET', KEYS[1], tostring(at + delay), 'PX', math.ceil((at + delay - t) * 1000) + 60000)
return tostring(at - t)
"""


class SharedPoliteness:
    """Downloader middleware: DOWNLOAD_DELAY between requests to one host, across all workers.

    Each request reserves the next start time of its host in Redis (by Redis's clock, so
    the machines' clocks do not matter) and waits for it; with a delay of 0 it does nothing.
    """

    def __init__(self, crawler: Any) -> None:
        from scrapy_redis.connection import get_redis_from_settings

        self.delay = crawler.settings.getfloat("UNIONNEWS_SHARED_DELAY")
        self.server = get_redis_from_settings(crawler.settings)
        self.reserve = self.server.register_script(_RESERVE)

    @classmethod
    def from_crawler(cls, crawler: Any) -> SharedPoliteness:
        return cls(crawler)

    async def process_request(self, request: Request) -> None:
        # One download slot per site (host:port), as the site queues are: Scrapy's default
        # slot is the host name, which would put two sites on one host in one slot.
        request.meta.setdefault("download_slot", netloc(request.url))
        if self.delay <= 0 or request.url.startswith("data:"):
            return None
        wait = reserve_slot(self.reserve, request.url, self.delay)
        if wait > 0:
            from twisted.internet import reactor  # the one Scrapy installed (import it late)

            await maybe_deferred_to_future(deferLater(reactor, wait))
        return None


def reserve_slot(script: Any, url: str, delay: float) -> float:
    """Seconds to wait before requesting `url` so that its host gets one request per `delay`."""
    return float(script(keys=[key(f"polite:{netloc(url)}")], args=[delay]))
