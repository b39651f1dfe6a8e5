"""A site profile derived from a sample of a site's pages: selectors that agree with generic
extraction on every sampled page.

Pure: list pages (text + URL) and article pages (bytes + URL) in, profile data and a report out;
no I/O (`unionnews profile` fetches the sample). Generic extraction is the reference: for each
profile field the selector must give, on EVERY sampled page, what generic reading gives there:

- [list] article_links: exactly the links crawler.lists.read_list finds (same URLs, same order,
  files told apart as the crawl tells them); next_page: the link crawler.pagination.find_next
  goes to (or nothing on a last page), else page_script for the CMS's createPageHTML pager;
- [article] title, info, body, breadcrumb, editor: the page parsed with the selector gives the
  same record as the page parsed generically (every field), and the selector matches.

Selectors are built from the element's and its ancestors' tag, id and class names (stable
names only: no positions, no numbered or state classes), shortest first. A field where no
selector agrees on every page is left out (generic extraction stays behind it). Pages that
disagree with each other (two list templates, a field no selector holds on most pages of)
are refused with a one-line reason (ProfileRefused).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import urljoin

import parsel
from cssselect import SelectorError
from lxml import etree
from lxml.html import HtmlElement

from crawler import generic
from crawler.encoding import decode_html
from crawler.layout import clean_text, element_text, parse_tree
from crawler.lists import looks_like_file, parse_list_tree, read_list
from crawler.pagination import find_next, pager_element
from crawler.parse import NotAnArticle, parse_article
from crawler.patterns import TITLE_SUFFIX_SPLIT
from crawler.profiles import Profile, css_xpath

#: The article fields, in the order the profile lists them.
ARTICLE_KEYS = ("title", "info", "body", "breadcrumb", "editor")
#: The order fields are derived in: an info selector takes the meta line from its element
#: alone, so the editor under the body must be settled before it.
ORDER = ("title", "body", "breadcrumb", "editor", "info")
_REPORT_ORDER = ("list.article_links", "list.next_page", "list.next_page_text", "list.page_script",
                 *(f"article.{key}" for key in ARTICLE_KEYS))
#: Fields whose disagreement between pages means the pages are not one template.
CORE_KEYS = ("list.article_links", "article.title", "article.body")
#: Record fields compared between a profiled and a generic parse (explain and misses differ).
RECORD_FIELDS = ("title", "published_at", "source", "author", "editor", "body", "column", "images",
                 "attachments", "canonical_url", "pages")
#: How far up from an element selectors look for a named ancestor.
MAX_ANCESTORS = 6
#: Selectors fully verified (every page re-parsed) per field before giving up.
MAX_VERIFIED = 30
#: Longest text of an info, breadcrumb or editor element.
MAX_LINE_CHARS = 300
#: Class names that say a state or a layout position, not what an element is.
UNSTABLE_WORDS = frozenset({"current", "active", "cur", "on", "hover", "selected", "thisclass", "first",
                            "last", "odd", "even", "curr", "now", "cur", "clearfix", "clear", "fl", "fr", "left", "right", "hide",
                            "show", "hidden", "disabled"})
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
_DIGIT_RUN = re.compile(r"\d{3,}")
_NOT_PAGES = ("javascript:", "mailto:", "tel:", "#")
_SCRIPT_PAGER = re.compile(r"(\w+)" + r"\(\s*(\d+)\s*,\s*(\d+)\s*,\s*[\"']([^\"']+)[\"']\s*,\s*[\"']([^\"']+)[\"']\s*\)")


class ProfileRefused(ValueError):
    """The sampled pages disagree (two templates, or no selector holds on most pages): the
    message is one line saying how."""


@dataclass(frozen=True)
class ListSample:
    """A column's list page as fetched: its decoded text and URL (after redirects)."""

    url: str
    text: str


@dataclass(frozen=True)
class ArticleSample:
    """An article page as fetched: its raw bytes, URL (after redirects), header charset."""

    url: str
    body: bytes
    encoding: str | None = None


@dataclass(frozen=True)
class Held:
    """How one profile key fared: the selector kept (None: left to generic extraction), the
    pages it held on out of those sampled, and why it was left out."""

    key: str
    selector: str | None
    held: int
    sampled: int
    note: str = ""

    def line(self) -> str:
        if self.selector is None:
            return f"{self.key:<20} {'-':<32} generic ({self.note})"
        return f"{self.key:<20} {self.selector:<32} {self.held}/{self.sampled} pages"


@dataclass
class Derived:
    """A derived profile: the data crawler.profiles loads, and the report of every key."""

    data: dict
    report: list[Held]
    skipped: list[str] = field(default_factory=list)

    def toml(self) -> str:
        """The profile as a TOML file, each selector under a comment saying what it held on."""
        notes = {h.key: h for h in self.report}
        out = [f"# Site profile written by `unionnews profile` from {self._sampled()}.",
               "# Each selector agreed with generic extraction on every sampled page; fields left out are",
               "# read by generic extraction. Review it, then: unionnews crawl --site THIS.toml --start-url URL",
               f"name = {_toml(self.data['name'])}", f"title = {_toml(self.data['title'])}",
               f"hosts = [{', '.join(map(_toml, self.data.get('hosts', [])))}]",
               "start_urls = [" + "".join(f"\n    {_toml(u)}," for u in self.data.get("start_urls", []))
               + ("\n]" if self.data.get("start_urls") else "]")]
        for section, keys in (("list", ("article_links", "next_page", "next_page_text", "page_script")),
                              ("article", ARTICLE_KEYS)):
            out += ["", f"[{section}]"]
            for key in keys:
                held = notes.get(f"{section}.{key}")
                value = self.data.get(section, {}).get(key)
                if value is not None and held is not None:
                    out += [f"# held on {held.held}/{held.sampled} sampled {section} pages", f"{key} = {_toml(value)}"]
                elif held is not None and held.selector is None and key not in ("next_page_text", "page_script"):
                    out.append(f"# {key}: left to generic extraction ({held.note})")
        return "\n".join(out) + "\n"

    def _sampled(self) -> str:
        lists = next((h.sampled for h in self.report if h.key == "list.article_links"), 0)
        articles = next((h.sampled for h in self.report if h.key == "article.title"), 0)
        return f"{lists} list pages and {articles} article pages"


def _toml(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


# ---------------------------------------------------------------- the whole derivation

def derive_profile(lists: list[ListSample], articles: list[ArticleSample], *, name: str,
                   title: str | None = None, hosts: tuple[str, ...] | list[str] = (),
                   start_urls: tuple[str, ...] | list[str] = ()) -> Derived:
    """Derive a site profile from sampled list and article pages (see the module doc).
    Raises ProfileRefused when the pages disagree or there is nothing to learn from."""
    if not lists:
        raise ProfileRefused("no list page was sampled")
    reference = Profile(name, name)
    pages, skipped = _article_pages(articles, reference)
    if not pages:
        raise ProfileRefused(f"none of the {len(articles)} sampled article pages parsed as an article"
                             + (f" ({skipped[0]})" if skipped else ""))
    list_pages = [_ListPage.of(sample) for sample in lists]
    report: list[Held] = []
    list_data: dict[str, str] = {}
    held = _article_links(list_pages)
    report.append(held)
    _refuse_split(report)  # two list templates: no need to read the articles
    if held.selector:
        list_data["article_links"] = held.selector
    for held in _pager(list_pages):
        report.append(held)
        if held.selector:
            list_data[held.key.split(".", 1)[1]] = held.selector
    article_data: dict[str, str] = {}
    for key in ORDER:  # each selector is checked together with those kept before it
        held = _article_field(key, pages, name, list_data, article_data)
        report.append(held)
        if held.selector:
            article_data[key] = held.selector
    article_data, report = _hold_together(pages, name, list_data, article_data, report)
    report.sort(key=lambda h: _REPORT_ORDER.index(h.key))
    _refuse_split(report)
    data = {"name": name, "title": title or _site_title(pages) or name, "hosts": list(hosts),
            "start_urls": list(start_urls), "list": list_data, "article": article_data}
    return Derived(data, report, skipped)


def list_page_links(sample: ListSample) -> tuple[list[str], str | None]:
    """What generic reading finds on a list page: its article links (files left out) and the
    next list page when that is a plain GET (a datastore proxy's POST is not sampled)."""
    page = _ListPage.of(sample)
    articles = [url for url in page.wanted if not page.files[url]]
    return articles, page.next_url if page.next_how not in (None, "datastore") else None


def is_article(sample: ArticleSample) -> bool:
    """Whether generic extraction reads the page as an article (a sample worth keeping)."""
    try:
        parse_article(sample.body, sample.url, encoding=sample.encoding, profile=Profile("sample", "sample"))
    except NotAnArticle:
        return False
    return True


def _refuse_split(report: list[Held]) -> None:
    for held in report:
        if held.key in CORE_KEYS and held.note.startswith("refuse:"):
            raise ProfileRefused(held.note[len("refuse:"):].strip())


# ---------------------------------------------------------------- selectors from elements

def stable(name: str) -> bool:
    """A class or id name worth a selector: an identifier, not a state, position or number."""
    return bool(_NAME.match(name)) and not _DIGIT_RUN.search(name) and name.lower() not in UNSTABLE_WORDS


def names_of(el: HtmlElement) -> list[str]:
    """An element's CSS names, most specific first: tag#id, tag.class for each stable class."""
    tag = el.tag if isinstance(el.tag, str) else ""
    found = []
    if el.get("id") and stable(el.get("id").strip()):
        found.append(f"{tag}#{el.get('id').strip()}")
    found += [f"{tag}.{c}" for c in (el.get("class") or "").split() if stable(c)]
    return found


def element_selectors(el: HtmlElement) -> Iterator[str]:
    """Selectors for an element, shortest and best-named first: its own name, then under a
    named ancestor (`div.article h1`), then under two."""
    own = names_of(el)
    yield from own
    own = own + [str(el.tag)]
    ancestors = [(a, names_of(a)) for a in list(el.iterancestors())[:MAX_ANCESTORS] if a.tag not in ("html", "body")]
    for _, names in ancestors:
        for outer in names:
            for inner in own:
                yield f"{outer} {inner}"
    for i, (_, names) in enumerate(ancestors):
        for outer in names:
            for _, middle_names in ancestors[:i]:
                for middle in middle_names:
                    for inner in own:
                        yield f"{outer} {middle} {inner}"


def compiled(css: str) -> etree.XPath | None:
    """A candidate selector compiled (crawler.profiles.css_xpath), or None when it is not one."""
    try:
        return css_xpath(css)
    except (SelectorError, etree.XPathError):
        return None


def first_match(root: HtmlElement, css: str) -> HtmlElement | None:
    xpath = compiled(css)
    found = xpath(root) if xpath is not None else []
    return found[0] if found else None


def _rank(css: str) -> tuple[int, int, int]:
    """Fewer parts first, then ids before classes before bare tags, then shorter."""
    parts = css.split()
    bare = sum(1 for p in parts if "." not in p and "#" not in p)
    return (len(parts) + bare, -css.count("#"), len(css))


# ---------------------------------------------------------------- list links

@dataclass
class _ListPage:
    sample: ListSample
    root: HtmlElement
    selector: parsel.Selector
    base: str
    wanted: list[str]
    files: dict[str, bool]
    found_by: str
    next_url: str | None
    next_how: str | None

    @classmethod
    def of(cls, sample: ListSample) -> _ListPage:
        root = parse_list_tree(sample.text)
        pager = pager_element(root, sample.url)
        listed = read_list(sample.text, sample.url, root, pager)
        found = find_next(root, sample.text, sample.url)
        if found is not None and found.method == "GET" and _same(found.url, sample.url):
            found = None
        return cls(sample, root, parsel.Selector(text=sample.text), _base(root, sample.url),
                   [i.url for i in listed.items], {i.url: i.is_file for i in listed.items},
                   listed.found_by,
                   found.url if found else None, (found.how if found.method == "GET" else "datastore") if found else None)

    def hrefs(self, css: str) -> list[str]:
        """What the crawl takes from the page with `css` as its list selector (in order, once each)."""
        try:
            values = self.selector.css(f"{css}::attr(href)").getall()
        except (SelectorError, ValueError):
            return []
        urls = [urljoin(self.base, h.strip()) for h in values if h.strip() and not h.strip().lower().startswith(_NOT_PAGES)]
        return list(dict.fromkeys(urls))

    def links_hold(self, css: str) -> bool:
        got = self.hrefs(css)
        return bool(got) and got == self.wanted and all(looks_like_file(u) == self.files[u] for u in got)


def _article_links(pages: list[_ListPage]) -> Held:
    key, n = "list.article_links", len(pages)
    kinds = Counter("script" if "script" in p.found_by else p.found_by for p in pages)
    if set(kinds) == {"none"}:
        return Held(key, None, 0, n, "generic list reading found no links")
    if set(kinds) == {"script"}:
        return Held(key, None, 0, n, "the list is kept in scripts, no selector reaches it")
    per_page = [_list_selectors(p) for p in pages]
    order = {css: i for i, css in enumerate(dict.fromkeys(css for found in per_page for css in found))}
    # Generation order: the list's own container first, the way a person would write it;
    # but not a long path of bare tags when a named element says the same.
    found = _choose(key, per_page, n, lambda css, i: pages[i].links_hold(css), rank=lambda css: (_bare(css), order[css]))
    if found.selector is None and not found.note.startswith("refuse:") and "script" not in kinds:
        return _list_group(pages, per_page, order) or found
    return found


def _list_group(pages: list[_ListPage], per_page: list[list[str]], order: dict[str, int]) -> Held | None:
    """Columns whose lists are marked up in two ways (a headline block, then a plain list): a
    group of two selectors (`A, B`) when together they hold on every page."""
    holding = {css: {i for i, p in enumerate(pages) if p.links_hold(css)} for css in order}
    best = sorted((css for css in holding if holding[css]), key=lambda css: (-len(holding[css]), order[css]))[:6]
    for a in best:
        for b in best:
            if order[b] <= order[a] or holding[a] | holding[b] != set(range(len(pages))):
                continue
            group = f"{a}, {b}"
            if all(p.links_hold(group) for p in pages):
                return Held("list.article_links", group, len(pages), len(pages))
    return None


def _list_selectors(page: _ListPage) -> list[str]:
    """Selectors for the anchors of the page's generic list: named containers above the
    anchors' lowest common ancestor, with the tag path down to the anchor."""
    wanted = set(page.wanted)
    anchors = [a for a in page.root.iter("a") if _resolve(page.base, a.get("href")) in wanted]
    if not anchors:
        return []
    common = _list_container(anchors, page.base, wanted)
    anchors = [a for a in anchors if common in a.iterancestors()]
    path = [el.tag for el in reversed([anchors[0], *anchors[0].iterancestors()]) if el is not common
            and common in el.iterancestors()]
    anchor_names = [n.split(".", 1)[1] for n in names_of(anchors[0]) if "." in n
                    and all(n.split(".", 1)[1] in (a.get("class") or "").split() for a in anchors)]
    items = [el for el in [anchors[0], *anchors[0].iterancestors()] if el.getparent() is common]
    item_names = [n for n in names_of(items[0]) if "." in n] if items else []
    longest: dict[str, HtmlElement] = {}
    for a in anchors:  # per link, its headline: the anchor with the longest text (not the date's)
        url = _resolve(page.base, a.get("href"))
        if url not in longest or len(clean_text(a.text_content())) > len(clean_text(longest[url].text_content())):
            longest[url] = a
    headlines = [a for a in longest.values() if a.getparent() is not None]
    holders = list(dict.fromkeys(n for a in headlines for n in names_of(a.getparent())))
    tails = [" ".join(path), " ".join(path[-2:]), "a", *(f"a.{c}" for c in anchor_names),
             *(f"{n} a" for n in item_names + holders)]
    tails = list(dict.fromkeys(t for t in tails if t))
    found = []
    chain = [common, *common.iterancestors()][:MAX_ANCESTORS]
    for depth, el in enumerate(chain):
        for name in names_of(el):
            for tail in tails:
                found.append(f"{name} {tail}")
    found += [f"{n} a" for n in item_names + holders] + [f"a.{c}" for c in anchor_names]
    return list(dict.fromkeys(found))


def _bare(css: str) -> int:
    """How many parts of a list selector past the second are bare tags (`div main article ...`)."""
    return max(0, sum(1 for part in css.split()[:-1] if "." not in part and "#" not in part) - 2)


def _list_container(anchors: list[HtmlElement], base: str, wanted: set[str]) -> HtmlElement:
    """The deepest element holding a link to every listed URL (a sidebar linking one of the
    same articles does not pull the container up to the whole page)."""
    covers: dict[HtmlElement, set[str]] = {}
    for anchor in anchors:
        url = _resolve(base, anchor.get("href"))
        for el in anchor.iterancestors():
            covers.setdefault(el, set()).add(url)
    # Links the page keeps in scripts as well are under no element: then the one covering most.
    return max(covers, key=lambda el: (len(covers[el]), sum(1 for _ in el.iterancestors())))


# ---------------------------------------------------------------- pager

def _pager(pages: list[_ListPage]) -> list[Held]:
    """[list] next_page (a link selector) or page_script, whichever agrees with the generic
    next page on every sampled list page; nothing when no sampled page has a next page."""
    n = len(pages)
    hows = {p.next_how for p in pages if p.next_how}
    if not hows:
        return [Held("list.next_page", None, 0, n, "no sampled list page has a next page")]
    if "datastore" in hows:
        return [Held("list.next_page", None, 0, n, "further records come from a datastore proxy (POST)")]
    names = {m[1] for p in pages for m in _SCRIPT_PAGER.finditer(p.sample.text) if p.next_how == "script"}
    script_note = ""
    for name in sorted(names):
        held = sum(_script_next(p, name) == p.next_url for p in pages)
        if held == n:
            return [Held("list.page_script", name, n, n)]
        script_note = f"page_script {name} held on {held}/{n} pages"
    per_page = [_pager_selectors(p) for p in pages]
    found = _choose("list.next_page", per_page, n, lambda css, i: _css_next(pages[i], css) == pages[i].next_url)
    if found.selector is not None:
        return [found]
    texts = Counter(t for p in pages for t in _next_texts(p) if not t.strip("[]").isdigit())
    for text, _ in texts.most_common():
        if all(_text_next(p, text) == p.next_url for p in pages):
            return [Held("list.next_page_text", text, n, n)]
    kinds = Counter(p.next_how or "none" for p in pages)
    pagers = ", ".join(f"{how} on {count}" for how, count in kinds.most_common())
    note = script_note or found.note
    return [Held("list.next_page", None, found.held, n, f"the sampled pagers differ ({pagers}); {note}"
                 if len(kinds) > 1 else note)]


def _pager_anchors(page: _ListPage) -> list[HtmlElement]:
    if not page.next_url:
        return []
    return [a for a in page.root.iter("a") if _resolve(page.base, a.get("href")) == page.next_url]


def _pager_selectors(page: _ListPage) -> list[str]:
    found: list[str] = []
    for anchor in _pager_anchors(page):
        found += list(element_selectors(anchor))
        before = anchor.getprevious()
        if before is not None and isinstance(before.tag, str):
            holder = names_of(anchor.getparent()) if anchor.getparent() is not None else []
            marks = [f"{before.tag}.{c}" for c in (before.get("class") or "").split() if _NAME.match(c)]
            if before.tag != "a":
                marks.append(str(before.tag))
            for mark in marks:  # a numbered pager: the link after the current page's number
                found += [f"{h} {mark} + a" for h in holder]
    return list(dict.fromkeys(found))


def _next_texts(page: _ListPage) -> list[str]:
    return [t for a in _pager_anchors(page) if (t := " ".join((a.text_content() or "").split()))]


def _css_next(page: _ListPage, css: str) -> str | None:
    try:
        href = page.selector.css(f"{css}::attr(href)").get()
    except (SelectorError, ValueError):
        return None
    return _own_page(page, urljoin(page.base, href.strip()) if href and href.strip() else None)


def _text_next(page: _ListPage, text: str) -> str | None:
    href = page.selector.xpath("//a[normalize-space(.)=$text]/@href", text=text).get()
    return _own_page(page, urljoin(page.base, href.strip()) if href and href.strip() else None)


def _script_next(page: _ListPage, name: str) -> str | None:
    match = re.search(re.escape(name) + _SCRIPT_PAGER.pattern[len(r"(\w+)"):], page.sample.text)
    if not match:
        return None
    count, current, prefix, suffix = int(match[1]), int(match[2]), match[3], match[4]
    return _own_page(page, urljoin(page.base, f"{prefix}_{current + 1}.{suffix}") if current + 1 < count else None)


def _own_page(page: _ListPage, url: str | None) -> str | None:
    """The crawl ignores a pager link back to the page itself."""
    return None if url is None or _same(url, page.sample.url) else url


# ---------------------------------------------------------------- article fields

@dataclass
class _ArticlePage:
    sample: ArticleSample
    root: HtmlElement
    record: dict


def _article_pages(samples: list[ArticleSample], reference: Profile) -> tuple[list[_ArticlePage], list[str]]:
    pages, skipped = [], []
    for sample in samples:
        try:
            record = parse_article(sample.body, sample.url, encoding=sample.encoding, profile=reference)
        except NotAnArticle as exc:
            skipped.append(f"{sample.url}: {exc.reason}")
            continue
        text, _ = decode_html(sample.body, sample.encoding)
        pages.append(_ArticlePage(sample, parse_tree(text), record))
    return pages, skipped


def _field_elements(key: str, page: _ArticlePage) -> list[HtmlElement]:
    """Elements of the page that could hold what generic extraction read for `key`."""
    record, found = page.record, []
    if key == "title":
        title = record["title"] or ""
        for el in page.root.iter():
            if isinstance(el.tag, str) and el.tag not in ("title", "head", "script", "style", "meta") \
                    and title[:8] in (el.text_content() or "") and generic.headline_text(el) == title:
                found.append(el)
    elif key == "body":
        lines = (record["body"] or "").splitlines()
        if lines:
            head, tail = lines[0][:20], lines[-1][-20:]
            found = [el for el in page.root.iter() if isinstance(el.tag, str) and el.tag not in ("html", "body")
                     and head in (text := element_text(el)) and tail in text]
    elif key == "info":
        printed = _printed_date(record["published_at"])
        if printed:
            title = record["title"] or "\0"  # a meta line holder that holds the headline too is not one
            found = [el for el in page.root.iter() if isinstance(el.tag, str) and el.tag not in ("script", "style", "title", "head", "meta")
                     and len(text := element_text(el)) <= MAX_LINE_CHARS and printed.search(text) and title not in text]
    elif key == "breadcrumb":
        column = record["column"]
        if column:
            found = [el for el in page.root.iter() if isinstance(el.tag, str) and el.tag not in ("script", "style", "title", "head", "meta")
                     and column in (text := element_text(el)) and len(text) <= MAX_LINE_CHARS]
    elif key == "editor":
        editor = record["editor"]
        if editor:
            found = [el for el in page.root.iter() if isinstance(el.tag, str) and el.tag not in ("script", "style", "title", "head", "meta")
                     and editor in (text := element_text(el)) and len(text) <= MAX_LINE_CHARS // 3]
    return found


def _article_field(key: str, pages: list[_ArticlePage], name: str, list_data: dict[str, str],
                   kept: dict[str, str]) -> Held:
    n = len(pages)
    elements = [_field_elements(key, p) for p in pages]
    if key == "editor" and not any(elements):
        return Held(f"article.{key}", None, 0, n, "no sampled page names an editor")
    per_page = []
    for els in elements:
        selectors: list[str] = []
        for el in reversed(els[-12:]):  # the innermost ones (where the value is) first
            selectors += list(element_selectors(el))
        per_page.append(list(dict.fromkeys(selectors)))
    # How far each candidate is from holding just the value: how many candidates it holds.
    candidates = [{id(el): sum(1 for d in els if d is not el and el in d.iterancestors()) for el in els}
                  for els in elements]
    hints = {_explained(page.record, key) for page in pages} - {None}

    def cheap(css: str, i: int) -> bool:
        el = first_match(pages[i].root, css)
        if key == "editor" and el is None:
            return True  # optional on a page: the parser reads it elsewhere
        return el is not None and id(el) in candidates[i]

    def rank(css: str) -> tuple:
        found = [first_match(page.root, css) for page in pages]
        far = max((candidates[i].get(id(el), 99) for i, el in enumerate(found) if el is not None), default=99)
        last = css.split()[-1]
        hinted = any(last == hint or (last.split(".")[0].split("#")[0] == hint) for hint in hints)
        # Title and body: the element that holds just the value; a line's holder is named.
        return (not hinted, far if key in ("title", "body") else 0, *_rank(css)[:2], order[css])

    per_page = [[css for css in found if (el := first_match(pages[i].root, css)) is not None and id(el) in candidates[i]]
                for i, found in enumerate(per_page)]

    def verify(css: str) -> list[bool]:
        return _agrees(pages, name, list_data, {**kept, key: css})

    # Generation order: nearest named ancestor first (`div.content td`, not `div.mt1 td`).
    order = {css: i for i, css in enumerate(dict.fromkeys(css for found in per_page for css in found))}

    return _choose(f"article.{key}", per_page, n, cheap, verify, rank=lru_cache(maxsize=None)(rank))


def _agrees(pages: list[_ArticlePage], name: str, list_data: dict[str, str], article: dict[str, str]) -> list[bool]:
    """Per page: the page parsed with these selectors gives generic extraction's record, and
    every selector (but the editor's, optional on a page) matched."""
    profile = Profile(name, name, list=dict(list_data), article=dict(article))
    result = []
    for page in pages:
        try:
            record = parse_article(page.sample.body, page.sample.url, encoding=page.sample.encoding, profile=profile)
        except NotAnArticle:
            result.append(False)
            continue
        same = all(record.get(f) == page.record.get(f) for f in RECORD_FIELDS)
        result.append(same and not record.get("misses"))
    return result


def _hold_together(pages: list[_ArticlePage], name: str, list_data: dict[str, str],
                   article: dict[str, str], report: list[Held]) -> tuple[dict[str, str], list[Held]]:
    """Selectors that each agreed alone must agree together; drop the least needed until they do."""
    article = dict(article)
    dropped: list[str] = []
    for key in ("editor", "breadcrumb", "info", "title", "body", None):
        if all(_agrees(pages, name, list_data, article)):
            break
        if key in article:
            dropped.append(key)
            del article[key]
    if dropped:
        report = [Held(h.key, None, 0, h.sampled, "agreed alone, not with the other selectors")
                  if h.key.split(".", 1)[1] in dropped and h.key.startswith("article.") else h for h in report]
    return article, report


# ---------------------------------------------------------------- choosing

def _choose(key: str, per_page: list[list[str]], n: int, holds: Callable[[str, int], bool],
            verify: Callable[[str], list[bool]] | None = None, rank: Callable[[str], tuple] = _rank) -> Held:
    """The best selector holding on every page; else why none does (a note starting `refuse:`
    when every page has selectors of its own but none holds on most pages)."""
    pool = sorted(set().union(*map(set, per_page)), key=rank)
    counts = {css: [i for i in range(n) if holds(css, i)] for css in pool}
    ranked = sorted(pool, key=lambda css: (-len(counts[css]), rank(css)))
    for css in [c for c in ranked if len(counts[c]) == n][:MAX_VERIFIED]:
        if verify is None or all(verify(css)):
            return Held(key, css, n, n)
    if not ranked:
        return Held(key, None, 0, n, "no element found to build a selector from")
    best = ranked[0]
    held = len(counts[best])
    if held == n:
        return Held(key, None, 0, n, f"{best} and the like found the element but changed the record")
    covered = all(any(i in counts[css] for css in per_page[i]) for i in range(n))
    if n >= 2 and covered and held * 2 <= n:
        return Held(key, None, held, n, f"refuse: the sampled pages disagree on {key}: each has a selector of its "
                                        f"own, but the best ({best}) holds on {held} of {n}: two templates?")
    return Held(key, None, held, n, f"best {best} held on {held}/{n} pages")


# ---------------------------------------------------------------- helpers

def _explained(record: dict, key: str) -> str | None:
    """The element generic extraction named for a field (`density block div#zoom` -> div#zoom)."""
    field_name = {"title": "title", "body": "body"}.get(key)
    rule = (record.get("explain") or {}).get(field_name or "") or ""
    last = rule.split()[-1] if rule.split() else ""
    return last if re.match(r"^[a-z][a-z0-9]*(?:[#.][A-Za-z_][\w-]*)?$", last) and last != "breadcrumb" else None


def _printed_date(iso: str | None) -> re.Pattern | None:
    """The date of an ISO published_at as a page may print it: 2023-01-18, 2023年1月18日, 2023/01/18."""
    found = re.match(r"(\d{4})-(\d{2})-(\d{2})", iso or "")
    if not found:
        return None
    year, month, day = found[1], int(found[2]), int(found[3])
    return re.compile(rf"{year}\s*[-/.年]\s*0?{month}\s*[-/.月]\s*0?{day}(?!\d)")


def _site_title(pages: list[_ArticlePage]) -> str | None:
    """The site's name: the <title> suffix every sampled article page shares."""
    suffixes = Counter()
    for page in pages:
        parts = [p.strip() for p in TITLE_SUFFIX_SPLIT.split(generic.head_title(page.root)) if p.strip()]
        if len(parts) > 1:
            suffixes[parts[-1]] += 1
    found = suffixes.most_common(1)
    return found[0][0] if found and found[0][1] == len(pages) else None


def _base(root: HtmlElement, url: str) -> str:
    found = root.xpath("//base/@href")
    return urljoin(url, found[0].strip()) if found and found[0].strip() else url


def _resolve(base: str, href: str | None) -> str | None:
    href = (href or "").strip()
    if not href or href.lower().startswith(_NOT_PAGES):
        return None
    try:
        return urljoin(base, href)
    except ValueError:
        return None


def _same(a: str, b: str) -> bool:
    return a.split("#")[0].rstrip("/") == b.split("#")[0].rstrip("/")


__all__ = ["ArticleSample", "Derived", "Held", "ListSample", "ProfileRefused", "derive_profile", "is_article",
           "list_page_links",
           "element_selectors", "names_of", "stable"]
