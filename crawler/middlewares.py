"""Downloader middlewares: keep the crawl on the origins (scheme, host and port) it started from,
and turn redirect loops and off-site redirects into recorded failures."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.offsite import OffsiteMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.utils.httpobj import urlparse_cached
from w3lib.url import safe_url_string


class OriginOffsiteMiddleware(OffsiteMiddleware):
    """Scrapy's offsite filter, matching host:port instead of host names.

    Scrapy compares host names only, so a spider started on 127.0.0.1:8000 would also
    follow links to 127.0.0.1:9000. A spider that sets `allowed_netlocs` (host:port
    strings) is held to exactly those; otherwise Scrapy's own rule applies.
    """

    def should_follow(self, request: Request, spider: Spider) -> bool:
        netlocs = getattr(spider, "allowed_netlocs", None)
        if not netlocs:
            return super().should_follow(request, spider)
        return urlparse_cached(request).netloc.lower() in netlocs


class RedirectGuardMiddleware:
    """Downloader middleware: a redirect back into its own chain, or off the crawl's origins,
    is a failure to record, not a request to follow.

    Scrapy would hand both to the scheduler, where the duplicate filter (a loop's first URL was
    seen) or the offsite filter drops them silently, and the page would vanish without a
    trace. Placed before Scrapy's RedirectMiddleware in the response chain, this raises
    IgnoreRequest instead, which reaches the spider's errback and lands in `failures`.
    """

    REDIRECTS = (301, 302, 303, 307, 308)

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedirectGuardMiddleware:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        location = response.headers.get("Location")
        if response.status not in self.REDIRECTS or not location:
            return response
        target = safe_url_string(urljoin(request.url, location.decode("latin-1")))
        chain = [*request.meta.get("redirect_urls", []), request.url]
        if target in chain:
            raise IgnoreRequest("redirect loop: " + " -> ".join([*chain, target]))
        netlocs = getattr(self.crawler.spider, "allowed_netlocs", None)
        if netlocs and urlsplit(target).netloc.lower() not in netlocs:
            raise IgnoreRequest(f"redirected off the site: {chain[0]} -> {target}")
        return response
