"""Generic list-page reading: which links on a column's list page are its articles (or files).

Pure: page text + URL in, links out; no I/O, no Scrapy. Used wherever a site profile's list
selector misses, and for every site that has no profile. What it relies on is how list pages
are built in every CMS family, not any family's names:

- a column's list is a run of like items (li in a ul, tr in a table, dd in a dl, repeated divs),
  each holding one headline link, usually with a date; the main list is the biggest such run,
  and the one right before the pager when the page has one (sidebars of dated headlines are
  runs too, but smaller, and away from the pager);
- some CMSs keep the items only inside a script: Hanweb's `<script type="text/xml">` datastore
  (CDATA records), `document.write("<li><a ...>")` calls, or a JS array of item objects;
- a list item may be a file itself (a notice published as a PDF): it is reported as a file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import lxml.html
from lxml.html import HtmlElement

from crawler.body import is_attachment
from crawler.patterns import ATTACHMENT_EXTENSIONS
from crawler.layout import clean_text, is_noise

#: Headline links are at least this long (a pager's "2", "更多>>", a nav entry are shorter).
MIN_HEADLINE = 5
#: A run of like items needs this many to be a list.
MIN_ITEMS = 2
#: How far up from a link to look for the repeated item that holds it.
MAX_ITEM_DEPTH = 5
#: Runs of links inside page chrome (nav, footer, sidebars named so) weigh this much less.
CHROME_WEIGHT = 0.3
DATE = re.compile(r"(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}|(?<!\d)\d{1,2}[-/]\d{1,2}(?!\d)|\d{1,2}月\d{1,2}日")
_NOT_LINKS = ("javascript:", "mailto:", "tel:", "#", "data:", "vbscript:")
_CDATA = re.compile(r"<!\[CDATA\[(.*?)\]\]>", re.S)
_SCRIPT_ANCHOR = re.compile(r"""<a\s[^>]*?href\s*=\s*["']([^"']+)["'][^>]*>(.*?)</a>""", re.S | re.I)
#: A quoted URL in a script that names a page (not a script, style or picture).
_SCRIPT_PAGE_URL = re.compile(
    r"""["']((?:https?://[^"'\s<>]+?|\.{0,2}/[^"'\s<>]*?|[\w-]+/[^"'\s<>]*?|[\w-]+)"""
    r"""\.(?:s?html?|jhtml|jsp|aspx?|php|""" + "|".join(sorted(ATTACHMENT_EXTENSIONS)) + r""")(?:\?[^"'\s<>]*)?)["']""", re.I)
_SCRIPT_TITLE = re.compile(r"""["']?title["']?\s*:\s*["']([^"']{5,})["']""")
_TAGS = re.compile(r"<[^>]+>")
#: Quotes and + around a JS expression: the string is cut by concatenation.
_BUILT = re.compile(r"""["']\s*\+|\+\s*["']""")
_DIGITS = re.compile(r"\d{3,}")
_PARSER = lxml.html.HTMLParser(remove_comments=True, collect_ids=False)


@dataclass(frozen=True)
class ListLink:
    """One item of a list page: an absolute URL, its headline, and whether it is a file."""

    url: str
    title: str = ""
    is_file: bool = False


@dataclass
class ListPage:
    """What a list page links to: its main list (in page order) and links found in scripts."""

    items: list[ListLink] = field(default_factory=list)
    #: How the items were found: "list" (a run of like items), "script" (datastore, JS), "none".
    found_by: str = "none"

    @property
    def articles(self) -> list[ListLink]:
        return [item for item in self.items if not item.is_file]

    @property
    def files(self) -> list[ListLink]:
        return [item for item in self.items if item.is_file]


def parse_list_tree(text: str) -> HtmlElement:
    """A list page's tree, scripts kept (their items are read too)."""
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text, count=1)
    return lxml.html.document_fromstring(text or "<html></html>", parser=_PARSER)


def read_list(text: str, url: str, root: HtmlElement | None = None,
              pager: HtmlElement | None = None) -> ListPage:
    """The articles and files a list page links to, found by structure (see the module doc).

    `pager` is the page's pager element when one was found: the run right before it is the list.
    """
    root = parse_list_tree(text) if root is None else root
    base = page_base(root, url)
    groups = _runs(root, base)
    best = _best_run(groups, root, pager)
    items = list(best.links) if best else []
    found_by = "list" if items else "none"
    known = {item.url for item in items}
    in_scripts = script_links(root, base, url)
    scripted = [link for link in in_scripts if link.url not in known]
    if len(scripted) >= max(MIN_ITEMS, best.items if best else 0):
        # The list lives in a script (a datastore, document.write): what the page shows around
        # it (a sidebar of headlines) is not the column's list.
        items, found_by = in_scripts, "script"
    elif len(scripted) >= MIN_ITEMS:
        items, found_by = items + scripted, found_by + "+script"
    return ListPage(_unique(items), found_by)


def looks_like_file(url: str, text: str = "") -> bool:
    """A link to a file, whatever the URL's shape: the parser's attachment rule (an extension in
    the path or a query value, a download script, a link text naming a file)."""
    return is_attachment(url, text)


# ---------------------------------------------------------------- runs of like items

@dataclass
class _Run:
    container: HtmlElement
    links: list[ListLink] = field(default_factory=list)
    anchors: list[HtmlElement] = field(default_factory=list)
    dated: int = 0
    items: int = 0

    def score(self) -> float:
        weight = self.items * (1.0 + self.dated / max(self.items, 1))
        chrome = is_noise(self.container) or any(is_noise(a) for a in list(self.container.iterancestors())[:4])
        return weight * (CHROME_WEIGHT if chrome else 1.0)


def _runs(root: HtmlElement, base: str) -> list[_Run]:
    """Headline links grouped by the run of like items they sit in, in document order."""
    headlines = [(anchor, text) for anchor in root.iter("a")
                 if (href := (anchor.get("href") or "").strip()) and not href.lower().startswith(_NOT_LINKS)
                 and len(text := clean_text(anchor.text_content()) or clean_text(anchor.get("title"))) >= MIN_HEADLINE]
    scan = _Scan({el for anchor, _ in headlines for el in (anchor, *list(anchor.iterancestors())[:MAX_ITEM_DEPTH + 2])})
    runs: dict[HtmlElement, _Run] = {}
    seen_items: set[HtmlElement] = set()
    for anchor, text in headlines:
        found = scan.item_of(anchor) or _single_item(anchor)
        if found is None:
            continue
        item, container = found
        key = scan.run_key(container)
        run = runs.setdefault(key, _Run(key))
        link = _link(base, anchor.get("href"), clean_text(anchor.get("title")) or text)
        if link is None:
            continue
        run.links.append(link)
        run.anchors.append(anchor)
        if item not in seen_items:
            seen_items.add(item)
            run.items += 1
            run.dated += bool(DATE.search(clean_text(item.text_content())))
    return list(runs.values())


def _single_item(anchor: HtmlElement) -> tuple[HtmlElement, HtmlElement] | None:
    """A list item with no like sibling (a last page holding one item): the link's list item."""
    for node in list(anchor.iterancestors())[:MAX_ITEM_DEPTH]:
        if node.tag in ("li", "dd", "tr", "article"):
            parent = node.getparent()
            return (node, parent) if parent is not None else None
    return None


@dataclass
class _Scan:
    """Which elements hold a headline link, and per parent how many children of each kind do
    (counted once per parent: a page of 10,000 links stays linear)."""

    holds: set[HtmlElement]
    by_tag: dict[HtmlElement, dict[str, int]] = field(default_factory=dict)
    by_name: dict[HtmlElement, dict[tuple, int]] = field(default_factory=dict)

    def item_of(self, anchor: HtmlElement) -> tuple[HtmlElement, HtmlElement] | None:
        """The repeated item holding a link, and the element the items repeat in: the nearest
        ancestor (or the link) with at least one like sibling that holds a headline link too."""
        node = anchor
        for _ in range(MAX_ITEM_DEPTH):
            parent = node.getparent()
            if parent is None:
                return None
            counts = self.by_tag.get(parent)
            if counts is None:
                counts = self.by_tag[parent] = _count(child.tag for child in parent if child in self.holds)
            if counts.get(node.tag, 0) >= 2:
                return node, parent
            node = parent
        return None

    def run_key(self, container: HtmlElement) -> HtmlElement:
        """Lists split into several like blocks (two <ul>s of ten) are one run: the key is
        their parent when the container has like siblings holding headline links."""
        parent = container.getparent()
        if parent is None or container.tag in ("body", "html", "tr", "li", "dd"):
            return container
        counts = self.by_name.get(parent)
        if counts is None:
            counts = self.by_name[parent] = _count((c.tag, c.get("class")) for c in parent if c in self.holds)
        return parent if counts.get((container.tag, container.get("class")), 0) >= 2 else container


def _count(keys: Iterable) -> dict:
    found: dict = {}
    for key in keys:
        found[key] = found.get(key, 0) + 1
    return found


def _best_run(runs: list[_Run], root: HtmlElement, pager: HtmlElement | None) -> _Run | None:
    """With a pager: of the runs ending before it, the one sharing the deepest block with it
    (the list and its pager sit in one box; sidebars in another), then the nearest. Without:
    the biggest run of at least MIN_ITEMS dated items."""
    if pager is not None:
        order = {el: i for i, el in enumerate(root.iter())}
        at = order.get(pager, -1)
        pager_line = {el: depth for depth, el in enumerate(reversed([pager, *pager.iterancestors()]))}
        before = [r for r in runs if order.get(r.anchors[-1], 0) < at]
        if before:
            return max(before, key=lambda r: (_shared_depth(r.container, pager_line), order.get(r.anchors[-1], 0)))
    runs = [r for r in runs if r.items >= MIN_ITEMS]
    return max(runs, key=_Run.score) if runs else None


def _shared_depth(el: HtmlElement, line: dict[HtmlElement, int]) -> int:
    """How deep the nearest block that holds both `el` and the pager (whose ancestors are
    `line`, by depth) sits."""
    for node in (el, *el.iterancestors()):
        if node in line:
            return line[node]
    return 0


# ---------------------------------------------------------------- links kept in scripts

def script_links(root: HtmlElement, base: str, url: str) -> list[ListLink]:
    """Items a page holds only in scripts: datastore CDATA records, document.write'd anchors,
    and JS arrays of item objects (a quoted page URL, with a title beside it when there is one)."""
    found: list[ListLink] = []
    for script in root.iter("script"):
        code = script.text or ""
        if not code.strip():
            continue
        found += _anchors_in(code, base)
        if not found or script.get("type", "").lower() not in ("text/xml", "application/xml"):
            found += _urls_in(code, base, url)
    return _unique([link for link in found if link.url.split("#")[0] != url])


def datastore_links(text: str, base: str) -> list[ListLink]:
    """The records of an XML datastore answer (Hanweb's dataproxy.jsp): anchors in CDATA."""
    return _unique(_anchors_in(text, base))


def _anchors_in(code: str, base: str) -> list[ListLink]:
    code = code.replace('\\"', '"').replace("\\'", "'").replace("\\/", "/")
    chunks = _CDATA.findall(code) or [code]
    links = []
    for chunk in chunks:
        for href, inner in _SCRIPT_ANCHOR.findall(chunk):
            if _BUILT.search(href) or _BUILT.search(inner):
                continue  # an anchor the script assembles ("index_" + i + ".html"): a pager's, not an item
            text = clean_text(_TAGS.sub("", inner))
            title = re.search(r"""title\s*=\s*["']([^"']+)["']""", chunk[max(0, chunk.find(href) - 300):chunk.find(href) + 300])
            if len(text) >= MIN_HEADLINE or title:
                link = _link(base, href, text or (title[1] if title else ""))
                if link is not None and not href.lower().startswith(_NOT_LINKS):
                    links.append(link)
    return links


def _urls_in(code: str, base: str, url: str) -> list[ListLink]:
    """Quoted page URLs in a script that look like an article's (a number in them: an id or a
    date), each with the nearest title: value after it."""
    links = []
    for match in _SCRIPT_PAGE_URL.finditer(code):
        href = match[1]
        if not _DIGITS.search(href):
            continue
        title = _SCRIPT_TITLE.search(code, match.end(), match.end() + 400) or None
        before = [m for m in _SCRIPT_TITLE.finditer(code, max(0, match.start() - 400), match.start())]
        text = (title[1] if title else before[-1][1] if before else "")
        link = _link(base, href, clean_text(text))
        if link is not None and urlsplit(link.url).netloc == urlsplit(url).netloc:
            links.append(link)
    return links


# ---------------------------------------------------------------- helpers

def page_base(root: HtmlElement, url: str) -> str:
    """The URL a page's relative links resolve against: its <base href>, else its own."""
    found = root.xpath("//base/@href")
    return urljoin(url, found[0].strip()) if found and found[0].strip() else url


def _link(base: str, href: str, text: str) -> ListLink | None:
    href = href.strip()
    if not href or href.lower().startswith(_NOT_LINKS):
        return None
    try:
        url = urljoin(base, href)
        parts = urlsplit(url)
        parts.port
    except ValueError:
        return None
    if parts.scheme not in ("http", "https"):
        return None
    return ListLink(url, text, looks_like_file(url, text))


def _unique(links: list[ListLink]) -> list[ListLink]:
    seen: dict[str, ListLink] = {}
    for link in links:
        seen.setdefault(link.url, link)
    return list(seen.values())


__all__ = ["ListLink", "ListPage", "read_list", "script_links", "datastore_links", "looks_like_file",
           "parse_list_tree", "DATE"]
