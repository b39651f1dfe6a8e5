"""The article parser: page bytes + URL in, article record out. Pure: no I/O, no Scrapy.

    >>> record = parse_article(body_bytes, "http://127.0.0.1:8000/xwzx/ghxw/202301/t20230118_1001.html")
    >>> record["published_at"], record["source"], record["column"]
    ('2023-01-18T17:40:03+08:00', '四川省直属机关工会委员会', '工会新闻')

Each field is read with the site profile's CSS selector first and by generic extraction
(crawler/generic.py) when the selector misses, so a redesigned template degrades field by field
instead of failing. A page that is not an article (a list page, an error page, an empty or
binary body) raises NotAnArticle: a typed refusal, never an empty record.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urljoin, urlsplit

from cssselect import GenericTranslator
from lxml import etree
from lxml.html import HtmlElement

from crawler import generic, labels, meta
from crawler.body import is_attachment, read_body
from crawler.encoding import decode_html, looks_binary
from crawler.layout import element_text, parse_tree
from crawler.patterns import COLUMN_META_NAMES, ERROR_PAGE_TITLE, TITLE_META_NAMES
from crawler.profiles import Profile, load_profile

#: Fewer visible body characters than this and the page is not an article.
MIN_BODY_CHARS = 10
#: Profile article selectors every article page of the site should match.
REQUIRED_ARTICLE_KEYS = ("title", "info", "body", "breadcrumb")
#: A page whose list selector finds this many article links, and no body, is a list page.
MIN_LIST_LINKS = 5

_META = etree.XPath("//meta[@name or @property]")
_CANONICAL = etree.XPath("//link[translate(@rel, 'CANONICAL', 'canonical')='canonical']/@href")
_BASE = etree.XPath("//base/@href")
_IMAGES = etree.XPath(".//img")
_ANCHORS = etree.XPath(".//a[@href]")


class NotAnArticle(ValueError):
    """The page is not an article (list page, error page, empty or binary body).

    `reason` says why in a few words, for the failures table and the crawl log.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@lru_cache(maxsize=1)
def _default_profile() -> Profile:
    return load_profile()


@lru_cache(maxsize=256)
def _selector(css: str) -> etree.XPath:
    """A profile's CSS selector compiled to XPath once."""
    return etree.XPath(GenericTranslator().css_to_xpath(css))


def _select(root: HtmlElement, profile: Profile, key: str) -> HtmlElement | None:
    css = profile.article.get(key)
    if not css:
        return None
    found = _selector(css)(root)
    return found[0] if found else None


@dataclass
class _Page:
    """A parsed page and what every field reader needs from it."""

    root: HtmlElement
    url: str
    base: str
    meta: dict[str, str]
    profile: Profile


def parse_article(html: bytes | str, url: str, *, encoding: str | None = None,
                  profile: Profile | None = None) -> dict:
    """Parse one article page into its record.

    `html` is the raw response body (bytes, any of UTF-8/GBK/GB2312) or already decoded text;
    `encoding` is the HTTP header's charset when known; `profile` defaults to the union site's.
    Returns title, published_at, source, author, editor, body, column, images, attachments and
    canonical_url. Raises NotAnArticle for pages that are not articles.
    """
    page = _load(html, url, encoding, profile or _default_profile())
    title_el, title, confident = _title(page)
    body_el = _select(page.root, page.profile, "body")
    if body_el is None and not confident:
        # No heading matches <title>: the headline is the heading right above the body text.
        first_guess = generic.find_body(page.root, None)
        if first_guess is not None:
            el, text = generic.headline_before(page.root, first_guess)
            title_el, title = (el, text) if el is not None else (title_el, title)
    if body_el is None:
        body_el = generic.find_body(page.root, title_el)
    _refuse_non_articles(page, title, body_el)
    body = read_body(body_el, title)
    from_profile = body_el is _select(page.root, page.profile, "body")
    if len(body.text) < MIN_BODY_CHARS or not (from_profile or any(map(generic.prose_weight, body.lines))):
        raise NotAnArticle(_no_text_reason(page))
    info = meta.read_info(page.root, _select(page.root, page.profile, "info"), title_el, body_el, body.lead_meta)
    return {
        "title": title,
        "published_at": meta.published_at(page.root, page.meta, page.url, info, title_el, body_el),
        "source": meta.source(info, body),
        "author": labels.author_value(info.text) or body.author,
        "editor": meta.editor(_select(page.root, page.profile, "editor"), info) or body.editor,
        "body": body.text,
        "column": _column(page, title),
        "images": _images(page, body_el),
        "attachments": _attachments(page, body_el),
        "canonical_url": _canonical(page),
        "misses": profile_misses(page),
    }


# ---------------------------------------------------------------- loading and refusals

def _load(html: bytes | str, url: str, encoding: str | None, profile: Profile) -> _Page:
    if isinstance(html, bytes):
        if not html.strip():
            raise NotAnArticle("empty page")
        if looks_binary(html):
            raise NotAnArticle("binary content, not an HTML page")
        html, _ = decode_html(html, encoding)
    if not html.strip():
        raise NotAnArticle("empty page")
    try:
        root = parse_tree(html)
    except (etree.ParserError, ValueError) as exc:
        raise NotAnArticle(f"not parseable as HTML ({exc})") from None
    base = (resolve_link(url, _BASE(root)[0]) or url) if _BASE(root) else url
    return _Page(root, url, base, _meta_tags(root), profile)


def _meta_tags(root: HtmlElement) -> dict[str, str]:
    """Meta tags by name/property (first wins), e.g. {'PubDate': '2023-01-18 17:40'}."""
    tags: dict[str, str] = {}
    for el in _META(root):
        key, content = el.get("name") or el.get("property"), (el.get("content") or "").strip()
        if key and content:
            tags.setdefault(key.strip(), content)
            tags.setdefault(key.strip().lower(), content)
    return tags


def _refuse_non_articles(page: _Page, title: str | None, body_el: HtmlElement | None) -> None:
    head = generic.head_title(page.root)
    if ERROR_PAGE_TITLE.search(head) or (title and ERROR_PAGE_TITLE.search(title) and len(title) < 30):
        text = element_text(body_el)
        if len(text) < 300:
            raise NotAnArticle(f"error page ({head or title})")
    list_css = page.profile.list.get("article_links")
    if list_css and _select(page.root, page.profile, "body") is None:
        links = _selector(list_css)(page.root)
        if len(links) >= MIN_LIST_LINKS:
            raise NotAnArticle(f"list page ({len(links)} article links, no article text)")
    if not title:
        raise NotAnArticle("no headline on the page")
    if body_el is None:
        raise NotAnArticle(_no_text_reason(page))


def _no_text_reason(page: _Page) -> str:
    """Why a page without article text is refused: a list page if it links like one."""
    list_css = page.profile.list.get("article_links")
    links = len(_selector(list_css)(page.root)) if list_css else 0
    links = links or generic.headline_items(page.root)
    return f"list page ({links} article links, no article text)" if links else "no article text on the page"


def profile_misses(page: _Page) -> list[str]:
    """The profile's article selectors that found nothing on this page (`article.title`...):
    generic extraction read those fields, and the crawl reports the drift. The editor line is
    optional on a page, so its selector is not counted."""
    return [f"article.{key}" for key in REQUIRED_ARTICLE_KEYS
            if page.profile.article.get(key) and _select(page.root, page.profile, key) is None]


# ---------------------------------------------------------------- title

def _title(page: _Page) -> tuple[HtmlElement | None, str | None, bool]:
    """The headline element and text, and whether it is confirmed (profile or <title> match)."""
    el = _select(page.root, page.profile, "title")
    if el is not None and element_text(el):
        return el, element_text(el), True
    head = generic.head_title(page.root)
    references = [page.meta[n] for n in TITLE_META_NAMES if n in page.meta] + [head]
    el, text, confident = generic.find_title(page.root, references)
    if text:
        return el, text, confident
    fallback = next((page.meta[n] for n in TITLE_META_NAMES if n in page.meta), None)
    return None, fallback or (generic.title_from_head(head) if head else None), False


# ---------------------------------------------------------------- column, links

def _column(page: _Page, title: str | None) -> str | None:
    crumb = _select(page.root, page.profile, "breadcrumb")
    if crumb is None:
        crumb = generic.find_breadcrumb(page.root)
    column = generic.breadcrumb_column(crumb, title) if crumb is not None else None
    return column or next((page.meta[n] for n in COLUMN_META_NAMES if n in page.meta), None)


def _absolute(page: _Page, href: str | None) -> str | None:
    return resolve_link(page.base, href)


def resolve_link(base: str, href: str | None) -> str | None:
    """The absolute URL a link points to, or None for no link, a script or data URL (any case),
    or one urllib cannot take apart ("http://[x", a full-width slash in the host, port 99999):
    one malformed link must not cost the page its article."""
    href = (href or "").strip()
    if not href or href.lower().startswith(("data:", "javascript:", "vbscript:", "#", "mailto:")):
        return None
    try:
        url = urljoin(base, href)
        urlsplit(url).port
    except ValueError:
        return None
    return url


def _images(page: _Page, body_el: HtmlElement) -> list[str]:
    urls = []
    for img in _IMAGES(body_el):
        src = img.get("src") or img.get("data-src") or img.get("data-original")
        url = _absolute(page, src)
        if url and url not in urls:
            urls.append(url)
    return urls


def _attachments(page: _Page, body_el: HtmlElement) -> list[str]:
    urls = []
    for a in _ANCHORS(body_el):
        url = _absolute(page, a.get("href"))
        if url and is_attachment(url) and url not in urls:
            urls.append(url)
    return urls


def _canonical(page: _Page) -> str | None:
    found = _CANONICAL(page.root)
    return _absolute(page, found[0]) if found else None
