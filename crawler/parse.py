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

from crawler import dates, generic, labels
from crawler.encoding import decode_html, looks_binary
from crawler.layout import Line, class_words, clean_text, element_text, lay_out, parse_tree
from crawler.patterns import (ANY_LABEL, ATTACHMENT_EXTENSIONS, AUTHOR_LABEL, BODY_NOISE_LINE, BYLINE, CAPTION_LINE,
                              CAPTION_WORDS, CENTRED, MAX_BYLINE_CHARS, MAX_CAPTION_CHARS,
                              COLUMN_META_NAMES, DATE, DATE_LABELS, DATE_META_NAMES, EDITOR_LINE, ERROR_PAGE_TITLE,
                              SEPARATORS, SOURCE_BADGES, SOURCE_LABEL, SOURCE_LINE, SPACES, TITLE_META_NAMES,
                              VALUE_CHARS)
from crawler.profiles import Profile, load_profile

#: Fewer visible body characters than this and the page is not an article.
MIN_BODY_CHARS = 10
#: A page whose list selector finds this many article links, and no body, is a list page.
MIN_LIST_LINKS = 5
#: Body lines at either end that are checked for credit lines (editor, 来源, meta line).
EDGE_LINES = 3

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
    body = _body(body_el, title)
    from_profile = body_el is _select(page.root, page.profile, "body")
    if len(body.text) < MIN_BODY_CHARS or not (from_profile or any(map(generic.prose_weight, body.lines))):
        raise NotAnArticle(_no_text_reason(page))
    info = _info(page, title_el, body_el, body.lead_meta)
    return {
        "title": title,
        "published_at": _published_at(page, info, title_el, body_el),
        "source": _source(info, body),
        "author": labels.author_value(info.text) or body.author,
        "editor": _editor(page, info) or body.editor,
        "body": body.text,
        "column": _column(page, title),
        "images": _images(page, body_el),
        "attachments": _attachments(page, body_el),
        "canonical_url": _canonical(page),
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
    base = urljoin(url, _BASE(root)[0].strip()) if _BASE(root) else url
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
    return f"list page ({links} article links, no article text)" if links else "no article text on the page"


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


# ---------------------------------------------------------------- body

@dataclass
class _Body:
    """The body's paragraphs, plus credit lines found inside the body block."""

    lines: list[Line]
    editor: str | None = None
    source: str | None = None
    author: str | None = None
    #: A headline/date/来源 line the CMS repeated at the top of the body, removed from it.
    lead_meta: str = ""

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


def _body(body_el: HtmlElement, title: str | None) -> _Body:
    lines = [ln for ln in lay_out(body_el, generic.noise_inside(body_el)) if _is_body_line(ln)]
    body = _Body([])
    lead = []
    while lines and (lines[0].text == title or _is_meta_line(lines[0].text)):
        lead.append(lines.pop(0).text)
    body.lead_meta = "\n".join(lead)
    for index, line in enumerate(lines):
        at_start, at_end = index < EDGE_LINES - 1, index >= len(lines) - EDGE_LINES
        if match := EDITOR_LINE.match(line.text):
            body.editor = body.editor or labels.editor_value(line.text) or match["name"] or None
        elif at_end and (match := SOURCE_LINE.match(line.text)):
            body.source = body.source or match["value"].strip()
        elif (at_start or at_end) and len(line.text) <= MAX_BYLINE_CHARS and (match := BYLINE.match(line.text)):
            body.author = body.author or match["name"]
        else:
            body.lines.append(line)
    return body


def _is_body_line(line: Line) -> bool:
    """False for lines that are page furniture or picture captions, not article text."""
    text = line.text
    if BODY_NOISE_LINE.match(text):
        return False
    if line.link_ratio > 0.6 and not _is_attachment_line(line):
        return False
    if len(text) <= MAX_CAPTION_CHARS and (CAPTION_LINE.search(text) or class_words(line.block) & CAPTION_WORDS):
        return False
    if line.after_image and len(text) <= 40 and _centred(line.block):
        return False
    return not (line.has_image and len(text) <= 30 and not any(p in text for p in "，。；！？"))


def _centred(el: HtmlElement) -> bool:
    return any(CENTRED.search(value) for value in (el.get("style", ""), el.get("class", ""), el.get("align", ""), el.tag))


def _is_attachment_line(line: Line) -> bool:
    return any(_is_attachment(a.get("href", "")) for a in _ANCHORS(line.block))


def _is_meta_line(text: str) -> bool:
    """A date/来源 line repeated at the top of the body (not prose)."""
    return len(text) <= 80 and bool(dates.find_dates(text)) and (
        bool(SOURCE_LABEL.search(text)) or len(text) <= 40)


# ---------------------------------------------------------------- meta line: date, 来源, author, editor

@dataclass
class _Info:
    """Meta-line text. `pieces` is where the date and 来源 are looked for first: the profile's
    info element, else the text between headline and body (plus a meta line the CMS repeated
    at the top of the body). The regions around headline and body are fallbacks for the date."""

    pieces: list[generic.Piece]
    lead_meta: str = ""
    area: generic.MetaArea | None = None

    @property
    def text(self) -> str:
        return "\n".join(filter(None, (generic.joined(self.pieces), self.lead_meta)))

    @property
    def date_text(self) -> str:
        return "\n".join(filter(None, (generic.joined(self.pieces, dates_only=True), self.lead_meta)))


def _info(page: _Page, title_el: HtmlElement | None, body_el: HtmlElement, lead_meta: str) -> _Info:
    info_el = _select(page.root, page.profile, "info")
    if info_el is not None:
        return _Info(generic.pieces_of(info_el), lead_meta)
    area = generic.meta_area(page.root, title_el, body_el)
    return _Info(area.after_title, lead_meta, area)


def _published_at(page: _Page, info: _Info, title_el: HtmlElement | None, body_el: HtmlElement) -> str | None:
    """The printed date near the headline; else one printed just before the headline or
    (labelled) just after the body; else the page's date meta tag; else the TRS URL's day."""
    found = dates.pick_published(info.date_text)
    if found:
        return found.iso
    area = info.area or generic.meta_area(page.root, title_el, body_el)
    found = dates.pick_published(generic.joined(area.before_title, dates_only=True))
    if found:
        return found.iso
    # Only a labelled date counts below the body; it may sit in an aside ("时间：…").
    found = dates.pick_published(generic.joined(area.after_body, dates_only=True, by_name=False))
    if found and found.labelled:
        return found.iso
    for name in DATE_META_NAMES:
        if name in page.meta and (iso := dates.parse_date_value(page.meta[name])):
            return iso
    return dates.url_date(page.url)


def _source(info: _Info, body: _Body) -> str | None:
    """The labelled 来源 on the meta line; else a 来源 line closing the body; else an unlabelled
    source slot beside the date (portal templates print the medium's name there)."""
    return labels.source_value(info.text) or body.source or _slot_source(info.pieces)


def _slot_source(pieces: list[generic.Piece]) -> str | None:
    for index, (text, el) in enumerate(pieces):
        if el is None or not DATE.search(text):
            continue
        for step in (1, -1):
            near = generic.text_pieces_near(pieces, index, step)
            value = _slot_value(near) if near and _close_kin(el, near[1]) else None
            if value:
                return value
        return None
    return None


def _close_kin(a: HtmlElement, b: HtmlElement) -> bool:
    """True when two elements share a parent or grandparent: parts of one meta line, not of
    the share bar or toolbar that follows it."""
    family = {a, *list(a.iterancestors())[:2]}
    return any(node in family for node in (b, *list(b.iterancestors())[:2]))


def _slot_value(piece: generic.Piece | None) -> str | None:
    """A piece beside the date that reads as a medium's name (not a label, badge, number or author)."""
    if piece is None:
        return None
    text, el = piece
    value = clean_text(text).strip(SEPARATORS + SPACES).rsplit("/", 1)[-1].strip()
    if not 2 <= len(value) <= 20 or not VALUE_CHARS.fullmatch(value) or value in SOURCE_BADGES:
        return None
    if ANY_LABEL.match(value) or AUTHOR_LABEL.match(value) or DATE_LABELS.search(value) or DATE.search(value) \
            or value.isdigit():
        return None
    near = [el, *list(el.iterancestors())[:2]]
    return None if any("author" in class_words(node) for node in near) else value


def _editor(page: _Page, info: _Info) -> str | None:
    el = _select(page.root, page.profile, "editor")
    if el is not None:
        return labels.editor_value(element_text(el))
    area = info.area
    return labels.editor_value(generic.joined(area.after_body)) if area and area.after_body else None


# ---------------------------------------------------------------- column, links

def _column(page: _Page, title: str | None) -> str | None:
    crumb = _select(page.root, page.profile, "breadcrumb")
    if crumb is None:
        crumb = generic.find_breadcrumb(page.root)
    column = generic.breadcrumb_column(crumb, title) if crumb is not None else None
    return column or next((page.meta[n] for n in COLUMN_META_NAMES if n in page.meta), None)


def _absolute(page: _Page, href: str | None) -> str | None:
    href = (href or "").strip()
    if not href or href.startswith(("data:", "javascript:", "#", "mailto:")):
        return None
    return urljoin(page.base, href)


def _images(page: _Page, body_el: HtmlElement) -> list[str]:
    urls = []
    for img in _IMAGES(body_el):
        src = img.get("src") or img.get("data-src") or img.get("data-original")
        url = _absolute(page, src)
        if url and url not in urls:
            urls.append(url)
    return urls


def _is_attachment(href: str) -> bool:
    path = urlsplit(href.strip()).path
    return "." in path.rsplit("/", 1)[-1] and path.rsplit(".", 1)[-1].lower() in ATTACHMENT_EXTENSIONS


def _attachments(page: _Page, body_el: HtmlElement) -> list[str]:
    urls = []
    for a in _ANCHORS(body_el):
        url = _absolute(page, a.get("href"))
        if url and _is_attachment(url) and url not in urls:
            urls.append(url)
    return urls


def _canonical(page: _Page) -> str | None:
    found = _CANONICAL(page.root)
    return _absolute(page, found[0]) if found else None
