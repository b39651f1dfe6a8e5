"""The article parser: page bytes + URL in, article record out. Pure: no I/O, no Scrapy.

    >>> record = parse_article(body_bytes, "http://127.0.0.1:8000/xwzx/ghxw/202301/t20230118_1001.html")
    >>> record["published_at"], record["source"], record["column"]
    ('2023-01-18T17:40:03+08:00', '四川省直属机关工会委员会', '工会新闻')

Each field is read with the site profile's CSS selector first and by generic extraction
(crawler/generic.py) when the selector misses, so a redesigned template degrades field by field
instead of failing. A page that is not an article (a list page, an error page, an empty or
binary body) raises NotAnArticle: a typed refusal, never an empty record.

The record's `explain` says, per field, which rule read it (None when the field is empty), so
an archivist sees why a date is what it is and a maintainer sees which rule to fix:

    profile:<css>             the site profile's selector matched (title, body, breadcrumb, editor)
    title match <tag>         the heading that matches <title>/og:title
    heading above body <tag>  no heading matched <title>: the one right above the body text
    first <tag>               no match and no body heading: the first h1
    meta <name>               a meta tag (ArticleTitle, PubDate, article:published_time,
                              ContentSource, ColumnName...)
    <title>                   the page's <title>, its site suffix cut
    labelled line <label>     a labelled value on the meta line by the headline (发布时间, 来源...)
    meta line                 an unlabelled date on the meta line
    date slot                 an unlabelled medium's name beside the date
    above headline            a date printed just before the headline (政务公开 tables)
    under body <label>        a labelled value in the lines under the body
    under body byline         a date beside a byline under the body
    under body                the 责任编辑 line under the body
    date line under body      a date alone right under the body (a notice's closing date)
    body edge line            a credit line at the body's edge (来源, 责任编辑, byline)
    url day                   the day in a TRS-style URL (/t20230118_1001.html)
    density block <el>        the block where prose is densest (div#zoom, div.TRS_Editor)
    breadcrumb                the breadcrumb's last entry that is not 首页/正文
    body block                images: pictures in the body block
    article block             attachments: files linked in the block holding headline and body
    link rel=canonical        the canonical link
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import urljoin, urlsplit

from lxml import etree
from lxml.html import HtmlElement

from crawler import generic, meta
from crawler.body import is_attachment, read_body
from crawler.encoding import decode_html, looks_binary
from crawler.layout import element_text, is_noise, parse_tree, text_of
from crawler.pagination import article_pages
from crawler.patterns import (ATTACHMENT_LABEL, ATTACHMENT_NUMBER, DOWNLOAD_COMMAND, SPACE_RUN, SPACES, COLUMN_META_NAMES, FILE_HINT, SUMMARY_LINE, ERROR_PAGE_TITLE, SITE_NAME_META_NAMES,
                              TITLE_META_NAMES, TITLE_SUFFIX_SPLIT)
from crawler.profiles import Profile, css_matcher, css_matcher_within, css_xpath, load_profile

#: Fewer visible body characters than this and the page is not an article.
MIN_BODY_CHARS = 10
#: Profile article selectors every article page of the site should match.
REQUIRED_ARTICLE_KEYS = ("title", "info", "body", "breadcrumb")
#: A page whose list selector finds this many article links, and no body, is a list page.
MIN_LIST_LINKS = 5

#: The page's <base href>, canonical link and named meta tags, looked for among the <head>'s
#: children first and then in the whole page; lxml's tag walks (in C) instead of XPath: the
#: same elements, without an XPath's setup, and most pages have no <base>.
_CANONICAL_REL = str.maketrans("CANONICAL", "canonical")


def _base_hrefs(els) -> list[str]:
    return [href for el in els if (href := el.get("href")) is not None]


def _canonical_hrefs(els) -> list[str]:
    return [href for el in els if (el.get("rel") or "").translate(_CANONICAL_REL) == "canonical"
            and (href := el.get("href")) is not None]


def _named_metas(els) -> list[HtmlElement]:
    return [el for el in els if el.get("name") is not None or el.get("property") is not None]


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


#: One tag, class or id (`h1`, `div#zoom`, `div.editor`): no combinator, no attribute test.
_COMPOUND = re.compile(r"[\w\-#.]+")


def _select(root: HtmlElement, profile: Profile, key: str) -> HtmlElement | None:
    css = profile.article.get(key)
    if not css:
        return None
    found = css_matcher(css)(root)
    return found[0] if found else None


@dataclass
class _Page:
    """A parsed page and what every field reader needs from it."""

    root: HtmlElement
    url: str
    base: str
    meta: dict[str, str]
    profile: Profile
    text: str = ""
    selected: dict[str, HtmlElement | None] = field(default_factory=dict)
    #: What the first part of the profile's selectors matched, by that part.
    scopes: dict[str, list[HtmlElement]] = field(default_factory=dict)
    _index: generic.PageIndex | None = None
    _head_title: str | None = None
    #: Every element of the tree, held so that lxml keeps one Python object per element for the
    #: whole parse (see crawler.layout.parse_tree).
    elements: list[HtmlElement] = field(default_factory=list)
    #: The page's <base>, <link> and <meta> elements by tag, once looked for (see _in_head).
    anywhere: dict[str, list[HtmlElement]] = field(default_factory=dict)

    def select(self, key: str) -> HtmlElement | None:
        """The profile's article selector `key` on this page (looked up once). The selectors of a
        profile mostly start alike (`div.article h1`, `div.article div#zoom`): that first part is
        matched once over the page, and the rest only inside what it matched (when the rest is one
        tag, class or id); when the first part matches nothing, none of them can."""
        if key not in self.selected:
            css = self.profile.article.get(key) or ""
            parts = css.split() if css.strip() and "," not in css else []
            if not parts:
                self.selected[key] = _select(self.root, self.profile, key)
            elif not (scopes := self._matches(parts[0])):
                self.selected[key] = None
            elif len(parts) == 1:
                self.selected[key] = scopes[0]
            elif len(parts) == 2 and _COMPOUND.fullmatch(parts[1]):
                inner = css_matcher_within(parts[1])
                self.selected[key] = next((found[0] for scope in scopes if (found := inner(scope))), None)
            else:
                self.selected[key] = _select(self.root, self.profile, key)
        return self.selected[key]

    def _matches(self, css: str) -> list[HtmlElement]:
        if css not in self.scopes:
            self.scopes[css] = css_matcher(css)(self.root)
        return self.scopes[css]

    @property
    def head_title(self) -> str:
        if self._head_title is None:
            self._head_title = generic.head_title(self.root)
        return self._head_title

    @property
    def index(self) -> generic.PageIndex:
        """One walk over the page for generic extraction, made when a field first needs it."""
        if self._index is None:
            self._index = generic.index_page(self.root)
        return self._index

    def rule(self, key: str) -> str:
        return f"profile:{self.profile.article.get(key)}"


def parse_article(html: bytes | str, url: str, *, encoding: str | None = None,
                  profile: Profile | None = None) -> dict:
    """Parse one article page into its record.

    `html` is the raw response body (bytes, any of UTF-8/GBK/GB2312) or already decoded text;
    `encoding` is the HTTP header's charset when known; `profile` defaults to the union site's.
    Returns title, published_at, source, author, editor, body, column, images, attachments,
    canonical_url, misses (the profile selectors that found nothing) and explain (the rule that
    read each field). Raises NotAnArticle for pages that are not articles.
    """
    page = _load(html, url, encoding, profile or _default_profile())
    title_el, title, title_rule = _title(page)
    body_el, body_rule = page.select("body"), page.rule("body")
    if body_el is None and not (title_rule or "").startswith(("profile:", "title match")):
        # No heading matches <title>: the headline is the heading right above the body text.
        first_guess = generic.find_body(page.root, None, page.index)
        if first_guess is not None:
            el, text = generic.headline_before(page.root, first_guess, page.index)
            if el is not None:
                title_el, title, title_rule = el, text, f"heading above body {el.tag}"
    if body_el is None:
        body_el = generic.find_body(page.root, title_el, page.index)
        body_rule = f"density block {_describe(body_el)}" if body_el is not None else None
    _refuse_non_articles(page, title, body_el)
    body = read_body(body_el, title, page._index)
    from_profile = page.select("body") is not None
    if len(body.text) < MIN_BODY_CHARS or not (from_profile or any(map(generic.prose_weight, body.lines))):
        raise NotAnArticle(_no_text_reason(page))
    if not from_profile and _summaries(body.lines):
        raise NotAnArticle(f"list page (its text is {len(body.lines)} cut-short summaries)")
    info = meta.read_info(page.root, page.select("info"), title_el, body_el, body.lead_meta)
    published, published_rule = meta.published_at(page.root, page.meta, page.url, info, title_el, body_el)
    source, source_rule = meta.source(info, body, page.meta, _site_names(page))
    author, author_rule = meta.author(info, body)
    editor, editor_rule = meta.editor(page.select("editor"), page.profile.article.get("editor"), info, body)
    column, column_rule = _column(page, title)
    images = _images(page, body_el)
    attachments, names, attachments_rule = _attachments(page, title_el, body_el)
    canonical = _canonical(page)
    return {
        "title": title,
        "published_at": published,
        "source": source,
        "author": author,
        "editor": editor,
        "body": body.text,
        "column": column,
        "images": images,
        "attachments": attachments,
        "attachment_names": names,
        "canonical_url": canonical,
        "misses": profile_misses(page),
        "pages": _further_pages(page),
        "explain": {
            "title": title_rule, "published_at": published_rule, "source": source_rule,
            "author": author_rule, "editor": editor_rule, "body": body_rule, "column": column_rule,
            "images": "body block" if images else None, "attachments": attachments_rule,
            "canonical_url": "link rel=canonical" if canonical else None,
        },
    }


def _further_pages(page: _Page) -> list[str]:
    """The further pages of an article split over several (crawler.pagination). A malformed
    link there (`http://[x`) must not cost the page its article: then no further pages."""
    try:
        return article_pages(page.root, page.base, page.url, page.text)
    except ValueError:
        return []


def _site_names(page: _Page) -> frozenset[str]:
    """The site's own names: its SiteName/og:site_name meta tags and the <title>'s suffixes."""
    names = {page.meta[n] for n in SITE_NAME_META_NAMES if n in page.meta}
    parts = [p.strip() for p in TITLE_SUFFIX_SPLIT.split(page.head_title) if p.strip()]
    return frozenset(names | set(parts[1:]))


def _describe(el: HtmlElement) -> str:
    """An element as a short CSS-like name: div#zoom, div.TRS_Editor, td."""
    if el.get("id"):
        return f"{el.tag}#{el.get('id').strip()}"
    classes = (el.get("class") or "").split()
    return f"{el.tag}.{classes[0]}" if classes else str(el.tag)


# ---------------------------------------------------------------- loading and refusals

def _load(html: bytes | str, url: str, encoding: str | None, profile: Profile) -> _Page:
    if isinstance(html, bytes):
        if not html.strip():
            raise NotAnArticle("empty page")
        if looks_binary(html):
            raise NotAnArticle("binary content, not an HTML page")
        raw = html
        html, codec = decode_html(raw, encoding)
        utf8 = raw if codec == "utf-8" and not raw.startswith(codecs.BOM_UTF8) else None
    else:
        utf8 = None
    if not html.strip():
        raise NotAnArticle("empty page")
    elements: list[HtmlElement] = []
    try:
        root = parse_tree(html, elements, utf8)
    except (etree.ParserError, ValueError) as exc:
        raise NotAnArticle(f"not parseable as HTML ({exc})") from None
    anywhere: dict[str, list[HtmlElement]] = {}
    base_href = _in_head(root, "base", _base_hrefs, anywhere)
    base = (resolve_link(url, base_href[0]) or url) if base_href else url
    return _Page(root, url, base, _meta_tags(root, anywhere), profile, html, elements=elements, anywhere=anywhere)


def _in_head(root: HtmlElement, tag: str, pick, anywhere: dict[str, list[HtmlElement]] | None = None) -> list:
    """What `pick` takes from the <head>'s `tag` children, else from the page's `tag` elements.
    `anywhere` keeps the page's <base>, <link> and <meta> elements, found in one walk the first
    time a look in the <head> finds nothing (most pages have no <base>, many no canonical link)."""
    head = root.find("head")
    found = pick(head.iterchildren(tag)) if head is not None else []
    if found:
        return found
    if anywhere is None:
        return pick(root.iter(tag))
    if not anywhere:
        anywhere.update((name, []) for name in _HEAD_TAGS)
        for el in root.iter(*_HEAD_TAGS):
            anywhere[el.tag].append(el)
    return pick(anywhere[tag])


_HEAD_TAGS = ("base", "link", "meta")


def _meta_tags(root: HtmlElement, anywhere: dict[str, list[HtmlElement]] | None = None) -> dict[str, str]:
    """Meta tags by name/property (first wins), e.g. {'PubDate': '2023-01-18 17:40'}."""
    tags: dict[str, str] = {}
    for el in _in_head(root, "meta", _named_metas, anywhere):
        key, content = el.get("name") or el.get("property"), (el.get("content") or "").strip()
        if key and content:
            tags.setdefault(key.strip(), content)
            tags.setdefault(key.strip().lower(), content)
    return tags


def _refuse_non_articles(page: _Page, title: str | None, body_el: HtmlElement | None) -> None:
    """Error pages, list pages and pages without a headline or text are refused. A list page is
    decided on the text block, not on the link count: a page is one when it has no block of
    article text, or when its text block is itself a list of links to articles (summaries);
    an article with a long related list or links in its paragraphs is still an article."""
    head = page.head_title
    if ERROR_PAGE_TITLE.search(head) or (title and ERROR_PAGE_TITLE.search(title) and len(title) < 30):
        text = element_text(body_el)
        if len(text) < 300:
            raise NotAnArticle(f"error page ({head or title})")
    list_css = page.profile.list.get("article_links")
    if list_css and body_el is not None and page.select("body") is None:
        inside = [a for a in css_xpath(list_css)(body_el)]
        if len(inside) >= MIN_LIST_LINKS:
            raise NotAnArticle(f"list page ({len(inside)} article links, no article text)")
    if body_el is None or not title:
        reason = _no_text_reason(page) if body_el is None else ""
        raise NotAnArticle(reason if title or reason.startswith("list page") else "no headline on the page")


def _summaries(lines: list) -> bool:
    """True when the text block is a list's summaries, not an article: most of its lines are cut
    short (… then a date or a read-more link; three or more when nothing follows the …)."""
    cut = [match["tail"].strip() for line in lines if (match := SUMMARY_LINE.search(line.text))]
    if len(cut) * 2 < len(lines) or not cut:
        return False
    return len(cut) >= 3 or any(any(ch.isalnum() for ch in tail) for tail in cut)


def _no_text_reason(page: _Page) -> str:
    """Why a page without article text is refused: a list page if it links like one."""
    list_css = page.profile.list.get("article_links")
    links = len(css_xpath(list_css)(page.root)) if list_css else 0
    links = links or generic.headline_items(page.root)
    return f"list page ({links} article links, no article text)" if links else "no article text on the page"


def profile_misses(page: _Page) -> list[str]:
    """The profile's article selectors that found nothing on this page (`article.title`...):
    generic extraction read those fields, and the crawl reports the drift. The editor line is
    optional on a page, so its selector is not counted."""
    return [f"article.{key}" for key in REQUIRED_ARTICLE_KEYS
            if page.profile.article.get(key) and page.select(key) is None]


# ---------------------------------------------------------------- title

def _title(page: _Page) -> tuple[HtmlElement | None, str | None, str | None]:
    """The headline element, its text, and the rule that found it."""
    el = page.select("title")
    if el is not None and generic.headline_text(el):
        return el, generic.headline_text(el), page.rule("title")
    head = page.head_title
    references = [page.meta[n] for n in TITLE_META_NAMES if n in page.meta] + [head]
    el, text, confident = generic.find_title(page.root, references, page.index)
    if text:
        return el, text, f"title match {el.tag}" if confident else f"first {el.tag}"
    for name in TITLE_META_NAMES:
        if name in page.meta:
            return None, page.meta[name], f"meta {name}"
    return (None, generic.title_from_head(head), "<title>") if head else (None, None, None)


# ---------------------------------------------------------------- column, links

def _column(page: _Page, title: str | None) -> tuple[str | None, str | None]:
    crumb, rule = page.select("breadcrumb"), page.rule("breadcrumb")
    if crumb is None:
        crumb, rule = generic.find_breadcrumb(page.root, page.index), "breadcrumb"
    column = generic.breadcrumb_column(crumb, title) if crumb is not None else None
    if column:
        return column, rule
    for name in COLUMN_META_NAMES:
        if name in page.meta:
            return page.meta[name], f"meta {name}"
    return None, None


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
    for img in body_el.iterdescendants("img"):
        src = img.get("src") or img.get("data-src") or img.get("data-original")
        url = _absolute(page, src)
        if url and url not in urls:
            urls.append(url)
    return urls


def _attachments(page: _Page, title_el: HtmlElement | None,
                 body_el: HtmlElement) -> tuple[list[str], dict[str, str], str | None]:
    """Files linked anywhere in the article block: the smallest block holding both headline
    and body (its chrome-named parts left out), else the body and a 附件 block right after it;
    and the name each link gives its file (附件2：2022年推荐表.doc), where it gives one."""
    block = article_block(title_el, body_el)
    scopes = [block] if block is not None else [body_el, *_attachment_blocks_after(body_el)]
    urls: list[str] = []
    names: dict[str, str] = {}
    for scope in scopes:
        for a in scope.iterdescendants("a"):
            href = a.get("href")
            if href is None:
                continue
            text = text_of(a)
            if not (FILE_HINT.search(href) or FILE_HINT.search(text)):
                continue  # cheap test first: most links name no file at all
            url = _absolute(page, href)
            if url and url not in urls and is_attachment(url, text) and not _in_chrome(a, scope):
                urls.append(url)
                if name := file_link_name(text):
                    names[url] = name
    return urls, names, ("article block" if block is not None else "body block") if urls else None


def file_link_name(text: str) -> str | None:
    """The name a file's link gives it, None for a bare command (下载, 点击下载, 附件1)."""
    name = SPACE_RUN.sub(" ", text).strip(SPACES)
    if DOWNLOAD_COMMAND.match(name):
        return None
    return ATTACHMENT_NUMBER.sub("", name) or None


def article_block(title_el: HtmlElement | None, body_el: HtmlElement) -> HtmlElement | None:
    """The smallest element holding both the headline and the body, unless that is the whole page."""
    if title_el is None:
        return None
    above = set(title_el.iterancestors())
    if body_el in above or body_el is title_el:
        return body_el
    for el in body_el.iterancestors():
        if el in above:
            return None if el.tag in ("body", "html") else el
    return None


def _attachment_blocks_after(body_el: HtmlElement) -> list[HtmlElement]:
    """Blocks right after the body that list its files (附件：…, 相关附件：…)."""
    return [el for el in list(body_el.itersiblings())[:3] if ATTACHMENT_LABEL.match(element_text(el))]


def _in_chrome(el: HtmlElement, scope: HtmlElement) -> bool:
    for node in el.iterancestors():
        if node is scope:
            return False
        if is_noise(node):
            return True
    return False


def _canonical(page: _Page) -> str | None:
    found = _in_head(page.root, "link", _canonical_hrefs, page.anywhere)
    return _absolute(page, found[0]) if found else None
