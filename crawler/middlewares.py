"""Downloader middleware: keep the crawl on the origins (scheme, host and port) it started from."""

from __future__ import annotations

from scrapy import Request, Spider
from scrapy.downloadermiddlewares.offsite import OffsiteMiddleware
from scrapy.utils.httpobj import urlparse_cached


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
