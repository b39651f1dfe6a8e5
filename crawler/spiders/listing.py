"""Helpers for the columns spider: list-page links, both pagers, and turning responses into records.

Selectors come from the site profile ([list] section); nothing here fetches anything.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

from scrapy.http import Response
from scrapy.exceptions import IgnoreRequest
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from archive.records import FailureRecord, utc_now
from crawler.items import Article
from crawler import pagination
from crawler.lists import ListLink, datastore_links, looks_like_file, page_base, parse_list_tree, read_list
from crawler.pagination import NextPage
from crawler.profiles import Profile, css_xpath
from crawler.rules import article_from, clean_url, describe
from crawler.sites import netloc

_NOT_PAGES = ("javascript:", "mailto:", "tel:", "#")


@dataclass
class WalkReport:
    """What the walk saw, for the run's record and the 'has the site changed?' check."""

    list_pages: int = 0
    article_links: int = 0
    empty_columns: list[str] = field(default_factory=list)
    walked: set[str] = field(default_factory=set)
    start_failures: dict[str, str] = field(default_factory=dict)
    article_requests: int = 0
    truncated: bool = False
    parsed: int = 0
    parse_failures: int = 0
    #: profile -> selector key -> [pages it missed on, pages it was tried on]
    drift: dict[str, dict[str, list[int]]] = field(default_factory=dict)

    def saw_drift(self, profile: str, checked: list[str], missed: list[str]) -> None:
        """Count, per profile selector, the pages it was tried on and the pages it missed."""
        figures = self.drift.setdefault(profile, {})
        for key in checked:
            counts = figures.setdefault(key, [0, 0])
            counts[0] += key in missed
            counts[1] += 1

    def saw_list(self, column: str, page: int, links: int) -> None:
        self.list_pages += 1
        self.article_links += links
        if page == 0 and not links:
            self.empty_columns.append(column)


def netlocs(urls: list[str]) -> set[str]:
    return {netloc(u) for u in urls}


@dataclass
class ListResult:
    """What one list page links to, and which of the profile's list selectors missed on it."""

    articles: list[str]
    files: list[tuple[str, str]] = field(default_factory=list)  # (url, title) of listed files
    next_page: NextPage | None = None
    misses: list[str] = field(default_factory=list)


def read_list_page(response: Response, profile: Profile) -> ListResult:
    """Article links, listed files and the next page of a list page: the profile's selectors
    first, generic discovery (crawler.lists, crawler.pagination) wherever they miss. A profile
    selector that finds nothing, or clearly fewer items than the page's own list holds, is a
    miss: the generic links are used and the miss is reported as drift."""
    text = response.text
    if response.meta.get("datastore"):
        links = datastore_links(text, response.url)
        return ListResult(_urls(l.url for l in links if not l.is_file), _files(links))
    root = parse_list_tree(text)  # the one tree every selector and generic reader below uses
    base = page_base(root, response.url)
    pager = pagination.pager_element(root, response.url)
    generic = read_list(text, response.url, root, pager)
    result = ListResult(_urls(l.url for l in generic.articles), _files(generic.files))
    css = profile.list.get("article_links")
    if css:
        hrefs = _hrefs(css_xpath(css)(root))
        chosen = [urljoin(base, h) for h in hrefs if not h.lower().startswith(_NOT_PAGES)]
        if chosen and len(chosen) * 2 >= len(generic.items):
            files = [u for u in chosen if looks_like_file(u)]
            result = ListResult(_urls(u for u in chosen if u not in files), [(u, "") for u in _urls(files)])
        else:
            result.misses.append("list.article_links")
    result.next_page, missed = _next(response, root, base, profile)
    result.misses += missed
    return result


def _hrefs(elements: list[Any]) -> list[str]:
    """The non-empty href of each selected element, stripped."""
    return [h for el in elements if (h := (el.get("href") or "").strip())]


def _urls(urls: Iterator[str] | list[str]) -> list[str]:
    return list(dict.fromkeys(clean_url(u) for u in urls))


def _files(links: list[ListLink]) -> list[tuple[str, str]]:
    return [(clean_url(link.url), link.title) for link in links if link.is_file]


def _has_pager(profile: Profile) -> bool:
    return any(key in profile.list for key in ("next_page", "next_page_text", "page_script"))


def _next(response: Response, root: Any, base: str, profile: Profile) -> tuple[NextPage | None, list[str]]:
    """The next list page: the profile's pager (a link selector, the 下一页 anchor text, the
    CMS's script pager), then the generic pagers; the profile's pager missed when only the
    generic ones find a next page."""
    found = None
    if _has_pager(profile):
        script = profile.list.get("page_script")
        scripted = pagination.script_pager(response.text, base, script) if script else None
        url = (_css_pager(root, base, profile.list.get("next_page")) or _link_pager(root, base, profile)
               or (scripted.url if scripted else None))
        found = NextPage(url) if url and clean_url(url) != clean_url(response.url) else None
    if found is not None:
        return found, []
    generic = pagination.find_next(root, response.text, response.url)
    if generic is not None and clean_url(generic.url) == clean_url(response.url) and generic.method == "GET":
        generic = None
    missed = [f"list.{key}" for key in ("next_page", "next_page_text", "page_script") if key in profile.list]
    return generic, (missed if generic is not None else [])


def _css_pager(root: Any, base: str, css: str | None) -> str | None:
    """The first selected element's href (none when it is empty)."""
    hrefs = [h for el in css_xpath(css)(root) if (h := el.get("href")) is not None] if css else []
    return urljoin(base, hrefs[0].strip()) if hrefs and hrefs[0].strip() else None


def _link_pager(root: Any, base: str, profile: Profile) -> str | None:
    text = profile.list.get("next_page_text")
    hrefs = [(h or "").strip() for h in root.xpath("//a[normalize-space(.)=$text]/@href", text=text)] if text else []
    return urljoin(base, hrefs[0]) if hrefs and hrefs[0] else None


def conditional_headers(stored: dict[str, str] | None) -> dict[str, str]:
    """If-None-Match / If-Modified-Since from a page's stored ETag / Last-Modified."""
    if not stored:
        return {}
    headers = {}
    if "etag" in stored:
        headers["If-None-Match"] = stored["etag"]
    if "last-modified" in stored:
        headers["If-Modified-Since"] = stored["last-modified"]
    return headers


def requested_url(response: Response) -> str:
    """The URL the spider asked for, before any redirect."""
    return (response.meta.get("redirect_urls") or [response.url])[0]


def response_headers(response: Response) -> dict[str, str]:
    return {
        key.decode("latin-1"): b", ".join(values).decode("latin-1")
        for key, values in response.headers.items()
    }


def fetched_at(response: Response) -> str:
    """When the response was fetched: its WARC record's date, to the second, so the row and the
    record it points at agree (parsing may come seconds later on a busy machine; for a payload
    identical to an earlier capture the row points at that capture, and this is its date). Now,
    when the crawl's record is written elsewhere (a distributed crawl's writer)."""
    date = (response.meta.get("warc") or {}).get("date")
    return f"{date[:19]}Z" if date else utc_now()


def part_of(response: Response) -> dict[str, Any]:
    """A further page of a multi-page article as fetched (its bytes go to the archive too)."""
    return {"url": requested_url(response), "raw": response.body, "status": response.status,
            "headers": response_headers(response), "fetched_at": fetched_at(response), "final_url": response.url,
            "warc": dict(response.meta.get("warc") or {})}


def article_item(response: Response, record: dict, profile: Profile, allowed_netlocs: set[str]) -> Article:
    """The Article item of a parsed article response (canonical URL resolved)."""
    fetched = Article(url=response.url, title="", published_at=None, body="",
                      fetched_url=requested_url(response), status=response.status,
                      headers=response_headers(response), raw=response.body, fetched_at=fetched_at(response),
                      final_url=response.url, warc=dict(response.meta.get("warc") or {}), site=profile.name)
    return article_from(record, fetched, allowed_netlocs)


#: IgnoreRequest messages of the robots.txt and offsite filters: requests the crawl chose not to make.
_CHOSEN_NOT_TO_FETCH = ("Forbidden by robots.txt", "Filtered offsite request")
def describe_failure(failure: Failure) -> str:
    if failure.check(HttpError):
        return f"HTTP {failure.value.response.status}"
    return describe(failure.value)


def failure_record(failure: Failure, url: str) -> FailureRecord | None:
    """A fetch-stage failure record, or None for requests we chose not to make (robots, offsite).

    Other ignored requests are losses and are recorded (under the URL first asked for, when
    redirects led there): a redirect loop or off the site, a body past the size bound."""
    if failure.check(HttpError):
        response = failure.value.response
        return FailureRecord(url, "fetch", f"HTTP {response.status}", response.status,
                             response.body, utc_now())
    if failure.check(IgnoreRequest) and str(failure.value).startswith(_CHOSEN_NOT_TO_FETCH):
        return None
    chain = failure.request.meta.get("redirect_urls") or []
    return FailureRecord(chain[0] if chain else url, "fetch", describe(failure.value), None, b"", utc_now())


def flood(links: list[str], limit: int) -> str | None:
    """The failure reason for a list page linking more articles than any list page should."""
    if not limit or len(links) <= limit:
        return None
    return (f"link flood: the list page links {len(links)} articles; followed the first {limit} "
            "(UNIONNEWS_MAX_LINKS_PER_PAGE)")
