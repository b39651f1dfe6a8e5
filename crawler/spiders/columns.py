"""The `columns` spider: walk each column's list pages, fetch the articles they link to.

    scrapy crawl columns -a start_url=http://127.0.0.1:8000/xwzx/ghxw/ -s UNIONNEWS_DB=a.db

`start_url` takes one URL or several separated by commas or spaces; `site=NAME` names their
site profile (a bundled name, a .toml path, or `generic`; default UNIONNEWS_PROFILE), or
`sites={url: NAME}` one per start URL; `full=1` re-walks and re-fetches everything;
`max_articles=N` stops after N article requests. Callbacks stay small:
links and pagination come from crawler.spiders.listing, fields from crawler.parse.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy
from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Response
from twisted.python.failure import Failure

from archive.crawl import lock_for_scrapy
from archive.records import FailureRecord, NotModified, utc_now
from crawler.items import Article
from crawler import sites as site_profiles
from crawler.profiles import Profile
from crawler.spiders import listing
from crawler.spiders.state import ArchiveState, load_state

_TRUE = {"1", "true", "yes", "on"}


class ColumnsSpider(scrapy.Spider):
    name = "columns"

    def __init__(self, start_url: str = "", full: str | bool = False,
                 max_articles: str | int | None = None, profile: str | None = None,
                 site: str | None = None, sites: dict[str, str | None] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.sites = dict(sites or {})
        self.start_urls = listing.split_start_urls(list(self.sites) or start_url)
        self.sites = {url: self.sites.get(url, site or profile) for url in self.start_urls}
        self.full = str(full).lower() in _TRUE
        self.max_articles = int(max_articles) if max_articles not in (None, "") else None
        self.allowed_netlocs = listing.netlocs(self.start_urls)
        self.allowed_domains = sorted({n.rsplit(":", 1)[0] for n in self.allowed_netlocs})
        self.report = listing.WalkReport()
        self.state = ArchiveState()
        self.profiles: dict[str, Profile] = {}
        self.linked: set[str] = set()
        self.column_links: dict[str, set[str]] = {}
        self.rechecked = False

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> ColumnsSpider:
        lock_for_scrapy(crawler)  # before any component touches the archive or its WARC folder
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.recheck_unlisted, signal=signals.spider_idle)
        return spider

    async def start(self) -> AsyncIterator[scrapy.Request]:
        self.profiles = site_profiles.profiles_by_host(self.sites, self.settings.get("UNIONNEWS_PROFILE"))
        self.state = load_state(self.settings, want_validators=self.full)
        for url in self.start_urls:
            yield scrapy.Request(url, self.parse_list, errback=self.list_failed, priority=1,
                                 cb_kwargs={"column": url, "page": 0})
        for url in sorted(self.state.retry) if not self.full else ():
            if self._on_origin(url) and (request := self._article_request(url)):
                yield request  # failed transiently before (5xx, timeout): ask again

    # -- list pages --------------------------------------------------------------------------

    def parse_list(self, response: Response, column: str, page: int) -> Iterator[Any]:
        profile = self.profile_for(response.url)
        links = [u for u in listing.article_links(response, profile) if self._on_origin(u)]
        self.report.saw_list(column, page, len(links))
        self.linked.update(links)
        limit = self.settings.getint("UNIONNEWS_MAX_LINKS_PER_PAGE")
        if flood := listing.flood(links, limit):  # a link trap: follow the first `limit`
            yield FailureRecord(response.url, "walk", flood, response.status, b"", utc_now())
            links = links[:limit]
        wanted = links if self.full else [u for u in links if u not in self.state.known]
        articles = [request for url in wanted if (request := self._article_request(url))]
        # The next list page goes first, ahead of every queued article (priority 1): a walk
        # that waited behind the articles left the downloader idle (bench/crawl.py).
        next_url = listing.next_page(response, profile)
        if next_url is None:
            self.report.walked.add(column)
        elif trap := self._trap(column, page, links):
            yield FailureRecord(response.url, "walk", trap, response.status, b"", utc_now())
        elif self._keep_walking(column, links):
            yield response.follow(next_url, self.parse_list, errback=self.list_failed, priority=1,
                                  cb_kwargs={"column": column, "page": page + 1})
        yield from articles

    def _keep_walking(self, column: str, links: list[str]) -> bool:
        """Incremental runs stop at a page whose oldest (last) link was seen before, once the
        column was walked to its end: everything below it is archived. Judging by the last
        link, not the first known one, keeps a pinned old article at the top from hiding
        a page of new ones."""
        if self.report.truncated:
            return False
        if self.full or column not in self.state.walked:
            return True
        return not links or links[-1] not in self.state.seen

    def _trap(self, column: str, page: int, links: list[str]) -> str | None:
        """Why the walk of a column must stop at this page though it links a next one: it links
        no article the column's earlier pages did not (a calendar or a pager that repeats), or
        the column reached UNIONNEWS_MAX_LIST_PAGES pages (a pager that never ends)."""
        seen = self.column_links.setdefault(column, set())
        repeats = page > 0 and set(links) <= seen
        seen.update(links)
        if repeats:
            return (f"pagination trap: list page {page + 1} of {column} links no article its earlier "
                    "pages did not; stopped walking the column")
        limit = self.settings.getint("UNIONNEWS_MAX_LIST_PAGES")
        if limit and page + 1 >= limit:
            return (f"pagination trap: stopped walking {column} after {limit} list pages "
                    "(UNIONNEWS_MAX_LIST_PAGES)")
        return None

    def _article_request(self, url: str) -> scrapy.Request | None:
        if self.max_articles is not None and self.report.article_requests >= self.max_articles:
            self.report.truncated = True
            return None
        self.report.article_requests += 1
        headers = listing.conditional_headers(self.state.validators.get(url)) if self.full else {}
        return scrapy.Request(url, self.parse_article, errback=self.article_failed, headers=headers,
                              meta={"handle_httpstatus_list": [304]} if headers else {})

    def recheck_unlisted(self) -> None:
        """After a complete --full walk, ask again for archived articles no list links any more.

        A page taken down answers 404 and its article is marked withdrawn (never deleted).
        """
        if not self.full or self.rechecked or not self.walks_complete():
            return
        self.rechecked = True
        unlisted = self.unlisted()
        for url in unlisted:
            if request := self._article_request(url):
                self.crawler.engine.crawl(request)
        if unlisted:
            raise DontCloseSpider

    def walks_complete(self) -> bool:
        """Every start URL's list was walked to its last page in this crawl."""
        return self.report.walked >= set(self.start_urls)

    def unlisted(self) -> list[str]:
        """Archived articles under this crawl's columns that no list page linked this time."""
        columns = tuple(url.rsplit("/", 1)[0] + "/" for url in self.start_urls)
        return sorted(u for u in self.state.archived - self.linked if u.startswith(columns))

    def profile_for(self, url: str) -> Profile:
        """The site profile of the host a URL is on (start URLs' hosts are the only ones crawled)."""
        return self.profiles[listing.netloc(url)]

    def _on_origin(self, url: str) -> bool:
        return listing.netloc(url) in self.allowed_netlocs

    def list_failed(self, failure: Failure) -> Iterator[FailureRecord]:
        request = failure.request
        record = listing.failure_record(failure, request.url)
        if request.cb_kwargs.get("page") == 0:
            self.report.start_failures[request.url] = listing.describe_failure(failure)
        if record is not None:
            yield record

    # -- article pages -----------------------------------------------------------------------

    def parse_article(self, response: Response) -> Iterator[Article | NotModified | FailureRecord]:
        if response.status == 304:
            yield NotModified(listing.requested_url(response))
            return
        try:
            yield listing.article_item(response, self.profile_for(response.url), self.allowed_netlocs)
            self.report.parsed += 1
        except Exception as exc:  # the parser's NotAnArticle, or any bug on a strange page
            self.report.parse_failures += 1
            yield FailureRecord(listing.requested_url(response), "parse", listing.describe(exc),
                                response.status, response.body, utc_now())

    def article_failed(self, failure: Failure) -> Iterator[FailureRecord]:
        if (record := listing.failure_record(failure, failure.request.url)) is not None:
            yield record
