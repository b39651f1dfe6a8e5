"""Helpers for the columns spider: list-page links, both pagers, and turning responses into records.

Selectors come from the site profile ([list] section); nothing here fetches anything.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from scrapy.http import Response
from scrapy.exceptions import IgnoreRequest
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from archive.records import FailureRecord, utc_now
from crawler.items import Article
from crawler.layout import is_noise
from crawler.parse import parse_article
from crawler.profiles import Profile
from crawler.sites import netloc
from pipelines.clean import clean_url

_SCRIPT_PAGER_ARGS = r"\(\s*(\d+)\s*,\s*(\d+)\s*,\s*[\"']([^\"']+)[\"']\s*,\s*[\"']([^\"']+)[\"']\s*\)"
_CHARSET = re.compile(r"charset=[\"']?([\w.:-]+)", re.I)
_NOT_PAGES = ("javascript:", "mailto:", "tel:", "#")
# Without a profile selector: article links are anchors outside the page chrome whose text
# (or title) is headline-long; the next page is an anchor saying so (text, title or rel).
GENERIC_MIN_HEADLINE = 8
GENERIC_NEXT_TEXTS = ("下一页", "下页", "后页", "下一頁", "next", "next page", "›", ">")
GENERIC_NEXT_ANCHORS = ("//a[@rel='next'] | //link[@rel='next'] | //a[contains(concat(' ', normalize-space(@class), ' '),"
                        " ' next ')] | //a[normalize-space(@title)='下一页']")
GENERIC_PAGE_SCRIPT = "createPageHTML"
_FILE_SUFFIXES = (".pdf", ".doc", ".docx", ".xls", ".xlsx", ".zip", ".rar", ".jpg", ".png", ".gif")


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

    def saw_list(self, column: str, page: int, links: int) -> None:
        self.list_pages += 1
        self.article_links += links
        if page == 0 and not links:
            self.empty_columns.append(column)


def split_start_urls(value: str | list[str] | tuple[str, ...]) -> list[str]:
    """Start URLs from a spider argument: a list, or one string separated by commas/spaces."""
    parts = value if isinstance(value, (list, tuple)) else re.split(r"[\s,]+", value or "")
    urls = [p.strip() for p in parts if p and p.strip()]
    for url in urls:
        if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).netloc:
            raise ValueError(f"start URL {url!r} is not an http(s) URL")
    return list(dict.fromkeys(urls))


def netlocs(urls: list[str]) -> set[str]:
    return {netloc(u) for u in urls}


def article_links(response: Response, profile: Profile) -> list[str]:
    """Absolute, cleaned article URLs linked from a list page, in page order, once each.

    The profile's selector decides; a profile without one (a site with no profile file)
    gets headline-like links found by generic_article_hrefs.
    """
    css = profile.list.get("article_links")
    hrefs = response.css(f"{css}::attr(href)").getall() if css else generic_article_hrefs(response)
    urls = (clean_url(response.urljoin(h.strip())) for h in hrefs
            if h.strip() and not h.strip().lower().startswith(_NOT_PAGES))
    return list(dict.fromkeys(urls))


def generic_article_hrefs(response: Response) -> list[str]:
    """hrefs of anchors that look like a list's headlines: outside nav/footer/pager chrome,
    headline-long text (or title), not a file download."""
    hrefs = []
    for anchor in response.xpath("//a[@href]"):
        element = anchor.root
        text = " ".join(element.text_content().split()) or (element.get("title") or "").strip()
        href = element.get("href").strip()
        if (len(text) >= GENERIC_MIN_HEADLINE and not href.lower().endswith(_FILE_SUFFIXES)
                and not any(is_noise(el) for el in element.iterancestors())):
            hrefs.append(href)
    return hrefs


def _has_pager(profile: Profile) -> bool:
    return any(key in profile.list for key in ("next_page", "next_page_text", "page_script"))


def next_page(response: Response, profile: Profile) -> str | None:
    """The next list page: the profile's pager (a link selector, the 下一页 anchor text, the
    CMS's script pager), or for a profile without one, a generic next-page anchor or script."""
    if _has_pager(profile):
        url = (_css_pager(response, profile.list.get("next_page")) or _link_pager(response, profile)
               or _script_pager(response, profile.list.get("page_script")))
    else:
        url = _generic_pager(response) or _script_pager(response, GENERIC_PAGE_SCRIPT)
    if url is None or clean_url(url) == clean_url(response.url):
        return None
    return url


def _css_pager(response: Response, css: str | None) -> str | None:
    href = response.css(f"{css}::attr(href)").get() if css else None
    return response.urljoin(href.strip()) if href and href.strip() else None


def _generic_pager(response: Response) -> str | None:
    for anchor in response.xpath("//a[@href]"):
        if " ".join(anchor.root.text_content().split()).lower() in GENERIC_NEXT_TEXTS:
            return response.urljoin(anchor.root.get("href").strip())
    href = response.xpath(GENERIC_NEXT_ANCHORS).xpath("@href").get()
    return response.urljoin(href.strip()) if href and href.strip() else None


def _link_pager(response: Response, profile: Profile) -> str | None:
    text = profile.list.get("next_page_text")
    if not text:
        return None
    href = response.xpath("//a[normalize-space(.)=$text]/@href", text=text).get()
    return response.urljoin(href.strip()) if href and href.strip() else None


def _script_pager(response: Response, name: str | None) -> str | None:
    """createPageHTML(pageCount, currentPage, "index", "html"): page n is index_n.html."""
    if not name:
        return None
    match = re.search(re.escape(name) + _SCRIPT_PAGER_ARGS, response.text)
    if not match:
        return None
    count, current, prefix, suffix = int(match[1]), int(match[2]), match[3], match[4]
    if current + 1 >= count:
        return None
    return response.urljoin(f"{prefix}_{current + 1}.{suffix}")


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


def header_charset(response: Response) -> str | None:
    """The charset the server declared in Content-Type, if any."""
    match = _CHARSET.search(response.headers.get(b"Content-Type", b"").decode("latin-1"))
    return match[1] if match else None


def article_item(response: Response, profile: Profile, allowed_netlocs: set[str]) -> Article:
    """Parse an article response into the Article item (canonical URL resolved)."""
    record = parse_article(response.body, response.url, encoding=header_charset(response),
                           profile=profile)
    canonical = record.get("canonical_url")
    url = canonical if canonical and netloc(canonical) in allowed_netlocs else response.url
    return Article(
        url=url, title=record.get("title") or "", published_at=record.get("published_at"),
        body=record.get("body") or "", source=record.get("source"), author=record.get("author"),
        editor=record.get("editor"), column=record.get("column"),
        images=list(record.get("images") or []), attachments=list(record.get("attachments") or []),
        fetched_url=requested_url(response), status=response.status,
        headers=response_headers(response), raw=response.body, fetched_at=utc_now(),
        final_url=response.url, warc=dict(response.meta.get("warc") or {}), site=profile.name,
    )


#: IgnoreRequest messages of the robots.txt and offsite filters: requests the crawl chose not to make.
_CHOSEN_NOT_TO_FETCH = ("Forbidden by robots.txt", "Filtered offsite request")
#: What Scrapy's download errors that carry no message mean, for the failures table.
_SILENT_ERRORS = {
    "DownloadCancelledError": "the body grew larger than download max size (DOWNLOAD_MAXSIZE)",
    "ResponseDataLossError": "the connection closed before the whole response arrived",
}


def describe(exc: BaseException) -> str:
    """One line naming an error, for the failures table and the log."""
    text = " ".join(str(exc).split()) or _SILENT_ERRORS.get(type(exc).__name__, "")
    return f"{type(exc).__name__}: {text}"[:300] if text else type(exc).__name__


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
