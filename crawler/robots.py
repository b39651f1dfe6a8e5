"""robots.txt for every request, including those that wait for the file together.

Scrapy 2.19's RobotsTxtMiddleware has each request to a new host await one Deferred while
robots.txt downloads; awaited more than once, a Deferred hands its result to the first
waiter only and None ("no robots.txt: allow") to the others (the code came with
scrapy/scrapy#6802). A crawl that starts with several requests to one host then fetches
some of them unchecked: measured here, a robots-disallowed article fetched by a distributed
crawler that met it among its first requests. This subclass answers every waiter with the
parser the middleware stored once the file was read.
"""

from __future__ import annotations

from typing import Any

from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred


class SharedRobotsTxtMiddleware(RobotsTxtMiddleware):
    """Scrapy's RobotsTxtMiddleware, with the parser given to all requests that waited for it."""

    async def robot_parser(self, request: Any) -> Any:
        parser = await super().robot_parser(request)
        stored = self._parsers.get(urlparse_cached(request).netloc)
        return parser if stored is None or isinstance(stored, Deferred) else stored
