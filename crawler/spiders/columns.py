"""The `columns` spider: walk each column's list pages, fetch the articles they link to.

    scrapy crawl columns -a start_url=http://127.0.0.1:8000/xwzx/ghxw/ -s UNIONNEWS_DB=a.db

`start_url` takes one URL or several separated by commas or spaces; `site=NAME` names their
site profile (a bundled name, a .toml path, or `generic`; default UNIONNEWS_PROFILE), or
`sites={url: NAME}` one per start URL; `full=1` re-walks and re-fetches everything;
`max_articles=N` stops after N article requests. Callbacks stay small:
links and pagination come from crawler.spiders.listing, fields from crawler.parse.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Iterator
from typing import Any

import scrapy
from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Response
from scrapy.utils.reactor import is_asyncio_reactor_installed
from twisted.python.failure import Failure

from archive.records import FailureRecord, NotModified, utc_now
from crawler.items import Article, ListedFile
from crawler import sites as site_profiles
from crawler import pagination
from crawler.parse import REQUIRED_ARTICLE_KEYS
from crawler.rules import join_page
from crawler.profiles import Profile
from crawler.spiders import listing, parsing
from crawler.spiders.lock import lock_for_scrapy
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
        self.start_urls = site_profiles.split_start_urls(list(self.sites) or start_url)
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
        self.parser: parsing.InlineParser | parsing.ParserProcess | None = None

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> ColumnsSpider:
        lock_for_scrapy(crawler)  # before any component touches the archive or its WARC folder
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.recheck_unlisted, signal=signals.spider_idle)
        crawler.signals.connect(spider.close_parser, signal=signals.spider_closed)
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
        found = listing.read_list_page(response, profile)
        self.report.saw_drift(profile.name, self._list_keys(profile, response), found.misses)
        links = [u for u in found.articles if self._on_origin(u)]
        self.report.saw_list(column, page, len(links) + len(found.files))
        self.linked.update(links)
        limit = self.settings.getint("UNIONNEWS_MAX_LINKS_PER_PAGE")
        if flood := listing.flood(links, limit):  # a link trap: follow the first `limit`
            yield FailureRecord(response.url, "walk", flood, response.status, b"", utc_now())
            links = links[:limit]
        if files := [(u, t) for u, t in found.files if self._on_origin(u)]:
            yield ListedFile(response.url, [u for u, _ in files], [t for _, t in files])
        wanted = links if self.full else [u for u in links if u not in self.state.known]
        articles = [request for url in wanted if (request := self._article_request(url))]
        # The next list page goes first, ahead of every queued article (priority 1): a walk
        # that waited behind the articles left the downloader idle (bench/crawl.py).
        next_page = self._datastore_next(response, links) or found.next_page
        if next_page is None:
            self.report.walked.add(column)
        elif trap := self._trap(column, page, links + [u for u, _ in files]):
            yield FailureRecord(response.url, "walk", trap, response.status, b"", utc_now())
        elif self._keep_walking(column, links):
            yield self._list_request(next_page, response, column, page + 1)
        yield from articles

    def _list_keys(self, profile: Profile, response: Response) -> list[str]:
        """The profile's list selectors a list page is checked against (none on a datastore answer)."""
        if response.meta.get("datastore"):
            return []
        return [f"list.{key}" for key in ("article_links", "next_page", "next_page_text", "page_script")
                if key in profile.list]

    def _list_request(self, next_page: pagination.NextPage, response: Response, column: str,
                      page: int) -> scrapy.Request:
        kwargs = {"column": column, "page": page}
        if next_page.method == "POST":  # a datastore proxy (Hanweb jpage): records as XML
            store = response.meta.get("datastore") or {"form": next_page.form}
            return scrapy.FormRequest(next_page.url, formdata=dict(store["form"]), callback=self.parse_list,
                                      errback=self.list_failed, priority=1, cb_kwargs=kwargs,
                                      meta={"datastore": {**store, "url": next_page.url}},
                                      dont_filter=False)
        return response.follow(next_page.url, self.parse_list, errback=self.list_failed, priority=1,
                               cb_kwargs=kwargs)

    def _datastore_next(self, response: Response, links: list[str]) -> pagination.NextPage | None:
        """After a datastore answer: the next range of records, until an answer holds none."""
        store = response.meta.get("datastore")
        if not store or not links:
            return None
        return pagination.datastore_continue(store["url"], tuple(map(tuple, store["form"])), response.text)

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

    async def parse_article(self, response: Response) -> AsyncIterator[Any]:
        if response.status == 304:
            yield NotModified(listing.requested_url(response))
            return
        profile = self.profile_for(response.url)
        try:
            record = await self.parse_page(response, profile)
            article = listing.article_item(response, record, profile, self.allowed_netlocs)
        except Exception as exc:  # the parser's NotAnArticle, or any bug on a strange page
            self.report.parse_failures += 1
            yield FailureRecord(listing.requested_url(response), "parse", parsing.reason(exc),
                                response.status, response.body, utc_now())
            return
        self.report.parsed += 1
        checked = [f"article.{key}" for key in REQUIRED_ARTICLE_KEYS if profile.article.get(key)]
        self.report.saw_drift(profile.name, checked, record.get("misses") or [])
        pages = [u for u in record.get("pages") or [] if self._on_origin(u)]
        yield self._next_part(article, pages) if pages else article

    def _next_part(self, article: Article, pages: list[str]) -> scrapy.Request:
        """Fetch the next page of a multi-page article; the article is yielded after its last."""
        return scrapy.Request(pages[0], self.parse_article_part, errback=self.article_part_failed,
                              priority=2, cb_kwargs={"article": article, "rest": pages[1:]})

    async def parse_article_part(self, response: Response, article: Article,
                                 rest: list[str]) -> AsyncIterator[Any]:
        """A further page of a multi-page article: its body joins the article's, in order."""
        article.parts.append(listing.part_of(response))
        try:
            join_page(article, await self.parse_page(response, self.profile_for(response.url)))
        except Exception as exc:  # a broken later page: keep what the others gave, say why
            yield FailureRecord(response.url, "parse", parsing.reason(exc), response.status,
                                response.body, utc_now())
        yield self._next_part(article, rest) if rest else article

    def parse_page(self, response: Response, profile: Profile) -> Awaitable[dict]:
        """The parser's record of a page, from the parser process (started at the first page)."""
        if self.parser is None:
            self.parser = parsing.parser_for(self.settings, is_asyncio_reactor_installed())
        return self.parser.parse(response, profile)

    def close_parser(self) -> None:
        if self.parser is not None:
            self.parser.close()

    def article_part_failed(self, failure: Failure) -> Iterator[Any]:
        if (record := listing.failure_record(failure, failure.request.url)) is not None:
            yield record
        rest, article = failure.request.cb_kwargs["rest"], failure.request.cb_kwargs["article"]
        yield self._next_part(article, rest) if rest else article

    def article_failed(self, failure: Failure) -> Iterator[FailureRecord]:
        if (record := listing.failure_record(failure, failure.request.url)) is not None:
            yield record
