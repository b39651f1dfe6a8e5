"""Pagers: the next page of a column's list, and the further pages of an article.

Pure: a page's tree (scripts kept, see crawler.lists.parse_list_tree) and URL in, URLs out.
What it relies on is how CMS families write their pagers, not any one site's names:

- a link saying so: 下一页/下页/后页/next/›/», rel="next", a next-named link or its holder
  (a `javascript:` link gives its target from onclick);
- a numbered pager without such a link: the link numbered one past the current page (the
  number shown without a link, or the link marked current);
- a script pager: TRS's `createPageHTML(count, current, "index", "html")`, or its
  `countPage`/`currentPage` variables; Hanweb's jpage, whose further records come from its
  `dataproxy.jsp` (POSTed, with the datastore's own parameters);
- an article split over pages links its other pages under its own URL plus a page mark
  (`t2023_1.html`, `123_2.html`, `?page=2`, `post/2/`), or names them in its pager script.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from lxml.html import HtmlElement

from crawler.layout import class_words, clean_text
from crawler.lists import page_base

NEXT_TEXT = re.compile(r"^(?:下一?页|后一?页|下一頁|下頁|next(?: page)?|[›»>]{1,2})\s*[›»>]*$"
                       r"|^[«‹<]*\s*(?:较早的?|更早的?|以前的)(?:文章|日志|内容)|^[«‹<]*\s*older (?:posts|entries)", re.I)
#: Any pager link's text: first, previous, last pages.
PAGER_TEXT = re.compile(r"^(?:上一?页|前一?页|上一頁|previous|prev|[‹«<]{1,2})\s*$"
                        r"|^(?:较新的?|更新的?)(?:文章|日志|内容)\s*[»›>]*$|^newer (?:posts|entries)", re.I)
#: First/last page links: pager words, but 首页 is also every site's home link.
EDGE_TEXT = re.compile(r"^(?:首页|尾页|末页|最后一页|first|last)\s*$", re.I)
#: Class/id words of a link (or its holder) that is the next page's.
NEXT_WORDS = frozenset({"next", "nextpage", "next_page", "p_next", "pagenext", "page-next"})
CURRENT_WORDS = frozenset({"current", "active", "cur", "on", "thisclass", "selected", "curr", "now"})
_ONCLICK_URL = re.compile(r"""(?:location(?:\.href)?\s*=|window\.open\(|location\.replace\()\s*(?:encodeURI\(\s*)?['"]([^'"]+)['"]""")
#: A pager script's call: NAME(pageCount, currentPage, "prefix", "ext"), as TRS's createPageHTML.
_PAGER_CALL_ARGS = r"\(\s*(\d+)\s*,\s*(\d+)\s*,\s*[\"']([^\"']+)[\"']\s*,\s*[\"']([^\"']+)[\"']\s*\)"
_CREATE_PAGE = re.compile("createPageHTML" + _PAGER_CALL_ARGS)
_COUNT_PAGE = re.compile(r"\b(?:countPage|pageCount|totalPage)\s*=\s*(\d+)")
_CURRENT_PAGE = re.compile(r"\bcurrentPage\s*=\s*(\d+)")
_DATAPROXY = re.compile(r"""["']?([^"'\s<>]*dataproxy\.jsp\?[^"'\s<>]*)""")
_TOTAL_RECORD = re.compile(r"(?:<totalrecord>\s*|totalRecord\s*[:=]\s*)(\d+)", re.I)
_PER_PAGE = re.compile(r"perPage\s*[:=]\s*['\"]?(\d+)", re.I)
_GROUP_SIZE = re.compile(r"groupSize\s*[:=]\s*['\"]?(\d+)", re.I)
_AJAX_PARAM = re.compile(r"ajaxParam\s*:\s*\{([^}]*)\}")
_JS_PAIR = re.compile(r"""(\w+)\s*:\s*['"]?([^,'"]*)['"]?""")
#: jpage asks for this many pages of records at once unless its config says otherwise.
JPAGE_GROUP = 3
_RECORD = re.compile(r"<record>", re.I)
#: A page mark after an article's own URL stem: _2, -2 (before the extension).
_STEM_PAGE = re.compile(r"^(?P<stem>.+?)[_-](?P<n>\d{1,3})(?P<ext>\.[a-z]+)$", re.I)
#: What the link to a further page of an article ends in: _2.html, -2.htm, /2/, page=2.
#: (Written to start with the one class of the marks' first characters, each branch then asking
#: which it was: sre then skips straight to those characters instead of trying every branch at
#: every character of every link.)
_PAGE_MARK_SHAPE = re.compile(r"[_\-/?&](?:(?<=[_-])\d{1,3}\.[A-Za-z]+|(?<=/)\d{1,3}/?|(?<=[?&])page=\d+)(?:[?#&]|$)")
_NUMBER = re.compile(r"^\[?(\d{1,4})\]?$")
#: Fewer records than this in a datastore answer means the column's end.
MAX_ARTICLE_PAGES = 50


@dataclass(frozen=True)
class NextPage:
    """The next list page to ask for (a POST with `form` for a datastore proxy)."""

    url: str
    method: str = "GET"
    form: tuple[tuple[str, str], ...] = ()
    how: str = "link"  # link, numbered, script, datastore


# ---------------------------------------------------------------- list pagers

def find_next(root: HtmlElement, text: str, url: str) -> NextPage | None:
    """The next list page of a column, by the first pager kind the page has."""
    base = page_base(root, url)
    found = _next_link(root, base) or _numbered(root, base, url) or _script_pager(text, base, url)
    if found and _same(found.url, url):
        found = None
    return found or datastore_next(text, base, records_seen=None)


def pager_element(root: HtmlElement, url: str) -> HtmlElement | None:
    """The block the pager sits in (for telling the column's list from sidebars): the block
    holding the most pager links (a worded one: next, previous, first, last; or two page
    numbers), or the block of a script pager."""
    counts: dict[HtmlElement, int] = {}
    for anchor in root.iter("a"):
        text = clean_text(anchor.text_content())
        if text and (NEXT_TEXT.match(text) or PAGER_TEXT.match(text)):
            weight = 2  # a worded pager link counts for two page numbers
        elif text and (_NUMBER.match(text) or EDGE_TEXT.match(text)):
            weight = 1
        else:
            continue
        holder = _holder(anchor)
        if holder is not None:
            counts[holder] = counts.get(holder, 0) + weight
    best = max(counts.items(), key=lambda kv: kv[1], default=(None, 0))
    if best[1] >= 2:
        return best[0]
    anchor = _next_anchor(root, page_base(root, url))
    if anchor is not None:
        return _holder(anchor)
    for script in root.iter("script"):  # a pager the CMS writes by script where it stands
        if script.text and (_CREATE_PAGE.search(script.text) or _COUNT_PAGE.search(script.text)):
            return _holder(script)
    return None


def _holder(el: HtmlElement) -> HtmlElement | None:
    for node in el.iterancestors():
        if node.tag in ("div", "ul", "p", "td", "nav", "table", "center", "form"):
            return node
    return None


def _next_anchor(root: HtmlElement, base: str) -> HtmlElement | None:
    for anchor in root.iter("a"):
        text = clean_text(anchor.text_content())
        words = class_words(anchor) | (class_words(anchor.getparent()) if anchor.getparent() is not None else frozenset())
        if ((text and NEXT_TEXT.match(text)) or (anchor.get("rel") or "").lower() == "next"
                or clean_text(anchor.get("title")) in ("下一页", "下页")
                or (words & NEXT_WORDS and (not text or len(text) <= 6))):
            if _target(anchor, base):
                return anchor
    return None


def _next_link(root: HtmlElement, base: str) -> NextPage | None:
    anchor = _next_anchor(root, base)
    if anchor is not None:
        return NextPage(_target(anchor, base) or "", how="link")
    for link in root.iter("link"):
        if (link.get("rel") or "").lower() == "next" and link.get("href"):
            return NextPage(urljoin(base, link.get("href").strip()), how="link")
    return None


def _target(anchor: HtmlElement, base: str) -> str | None:
    """Where a pager link goes: its href, or for a script link the URL its onclick opens."""
    href = (anchor.get("href") or "").strip()
    if href and not href.lower().startswith(("javascript:", "#")):
        return urljoin(base, href)
    found = _ONCLICK_URL.search(anchor.get("onclick") or "") or _ONCLICK_URL.search(href)
    return urljoin(base, found[1]) if found else None


def _number_anchors(root: HtmlElement) -> list[HtmlElement]:
    return [a for a in root.iter("a") if _NUMBER.match(clean_text(a.text_content()))]


def _numbered(root: HtmlElement, base: str, url: str) -> NextPage | None:
    """A pager of page numbers only: the link numbered one past the current page."""
    anchors = _number_anchors(root)
    if not anchors:
        return None
    holder = anchors[0].getparent()
    while holder is not None and sum(1 for a in anchors if _inside(a, holder)) < min(2, len(anchors)):
        holder = holder.getparent()
    if holder is None:
        return None
    current = _current_number(holder, base, url)
    by_number = {}
    for anchor in anchors:
        if _inside(anchor, holder):
            by_number.setdefault(int(_NUMBER.match(clean_text(anchor.text_content()))[1]), anchor)
    wanted = by_number.get((current or 1) + 1)
    target = _target(wanted, base) if wanted is not None else None
    return NextPage(target, how="numbered") if target else None


def _current_number(holder: HtmlElement, base: str, url: str) -> int | None:
    for el in holder.iter():
        if not isinstance(el.tag, str):
            continue
        text = clean_text(el.text_content())
        number = _NUMBER.match(text)
        if not number:
            continue
        if el.tag != "a" and not any(child.tag == "a" for child in el.iter()):
            return int(number[1])
        if el.tag == "a" and (class_words(el) & CURRENT_WORDS or _same(_target(el, base) or "", url)):
            return int(number[1])
    return None


def script_pager(text: str, base: str, name: str = "createPageHTML") -> NextPage | None:
    """The next page a pager script names: NAME(count, current, prefix, ext) -> prefix_{current+1}.ext
    (TRS's createPageHTML, or the function a site profile names); None on the last page."""
    call = _CREATE_PAGE if name == "createPageHTML" else re.compile(re.escape(name) + _PAGER_CALL_ARGS)
    found = call.search(text)
    if not found:
        return None
    count, current, prefix, ext = int(found[1]), int(found[2]), found[3], found[4]
    return NextPage(urljoin(base, f"{prefix}_{current + 1}.{ext}"), how="script") if current + 1 < count else None


def _script_pager(text: str, base: str, url: str) -> NextPage | None:
    """TRS's createPageHTML(count, current, prefix, ext), or its countPage/currentPage."""
    if _CREATE_PAGE.search(text):
        return script_pager(text, base)
    count, current = _COUNT_PAGE.search(text), _CURRENT_PAGE.search(text)
    if count and current and int(current[1]) + 1 < int(count[1]):
        path = urlsplit(url).path
        name = path.rsplit("/", 1)[-1] or "index.html"
        stem, _, ext = name.partition(".")
        stem = re.sub(r"_\d+$", "", stem)
        return NextPage(urljoin(base, f"{stem}_{int(current[1]) + 1}.{ext or 'html'}"), how="script")
    return None


def datastore_next(text: str, base: str, records_seen: int | None) -> NextPage | None:
    """Hanweb jpage: the page's datastore holds the first records; the rest are POSTed for to
    dataproxy.jsp with the datastore's parameters, `startrecord`/`endrecord`/`perpage` in the
    query. `records_seen` counts records so far (None: count those in `text`)."""
    proxy = _DATAPROXY.search(text)
    total = _TOTAL_RECORD.search(text)
    if not proxy or not total:
        return None
    seen = len(_RECORD.findall(text)) if records_seen is None else records_seen
    total_records = int(total[1])
    if seen <= 0 or seen >= total_records:
        return None
    per_page = int(_PER_PAGE.search(text)[1]) if _PER_PAGE.search(text) else seen
    target = urljoin(base, proxy[1].replace("&amp;", "&"))
    parts = urlsplit(target)
    params = _AJAX_PARAM.search(text)
    if params:  # jpage posts its ajaxParam object
        form = tuple((k, v) for k, v in _JS_PAIR.findall(params[1]))
    else:  # else the parameters its nextgroup link carries
        form = tuple((k, v.strip("'\"")) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "page")
    group = int(_GROUP_SIZE.search(text)[1]) if _GROUP_SIZE.search(text) else JPAGE_GROUP
    end = min(seen + per_page * group, total_records)
    query = urlencode({"startrecord": seen + 1, "endrecord": end, "perpage": per_page})
    return NextPage(urlunsplit((parts.scheme, parts.netloc, parts.path, query, "")), "POST", form, "datastore")


def datastore_continue(url: str, form: tuple[tuple[str, str], ...], answer: str) -> NextPage | None:
    """After a datastore answer to `url`: the same number of records again, or None when the
    answer held fewer records than asked for (the column's end)."""
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    try:
        start, end = int(query.get("startrecord", "1")), int(query.get("endrecord", "0"))
    except ValueError:
        return None
    size, got = end - start + 1, len(_RECORD.findall(answer))
    if size <= 0 or got < size:
        return None
    following = urlencode({"startrecord": end + 1, "endrecord": end + size, "perpage": query.get("perpage", size)})
    return NextPage(urlunsplit((parts.scheme, parts.netloc, parts.path, following, "")), "POST", tuple(form), "datastore")


# ---------------------------------------------------------------- article pages

def article_pages(root: HtmlElement, base: str, url: str, text: str = "") -> list[str]:
    """The further pages of an article split over several, in order, when `url` is its first
    page: links under the article's own URL with a page mark (`_2`, `?page=2`, `/2/`), or the
    pages its pager script names. [] for a one-page article (or a later page of one)."""
    if _page_mark(url) is not None:
        return []
    if text and not _may_have_pages(text, url):
        return []
    found: dict[int, str] = {}
    for anchor in root.iter("a"):
        if not _PAGE_MARK_SHAPE.search(anchor.get("href") or "") and not anchor.get("onclick"):
            continue  # cheap test first: a further page's link ends in a page mark
        target = _target(anchor, base)
        number = _page_mark(target, url) if target else None
        if number is not None and number >= 1:
            found.setdefault(number, target.split("#")[0])
    script = _CREATE_PAGE.search(text) if text and "createPageHTML" in text else None  # (a scan, then the regex)
    if script and int(script[2]) == 0 and _stem(url) == script[3]:
        for n in range(1, min(int(script[1]), MAX_ARTICLE_PAGES)):
            found.setdefault(n, urljoin(base, f"{script[3]}_{n}.{script[4]}"))
    return [found[n] for n in sorted(found)][:MAX_ARTICLE_PAGES]


def _page_mark(target: str, first: str | None = None) -> int | None:
    """The page number `target` carries as a further page of `first` (or of any article, when
    `first` is None: is this URL itself a later page?)."""
    if first is None:
        return _later_page_number(target)
    t, f = urlsplit(target), urlsplit(first)
    if t.netloc != f.netloc:
        return None
    query = dict(parse_qsl(t.query))
    if "page" in query and query["page"].isdigit():  # ?page=2 on the same path and query
        rest = urlencode(sorted((k, v) for k, v in parse_qsl(t.query) if k != "page"))
        if t.path == f.path and rest == urlencode(sorted(parse_qsl(f.query))):
            return int(query["page"]) - 1 if int(query["page"]) > 1 else None
    if t.query != f.query:
        return None
    stem = _STEM_PAGE.match(t.path)
    if stem and f.path == stem["stem"] + stem["ext"]:
        return int(stem["n"])
    if f.path.endswith("/") and t.path.startswith(f.path) and t.path[len(f.path):].strip("/").isdigit():
        return int(t.path[len(f.path):].strip("/")) - 1  # WordPress: post/2/ is the second page
    return None


def _later_page_number(url: str) -> int | None:
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    if query.get("page", "").isdigit() and int(query["page"]) > 1:
        return int(query["page"])
    return None


def _may_have_pages(text: str, url: str) -> bool:
    """A cheap look at the page's text first: a further page's link names the article's own
    file or folder followed by a page mark, or a page= parameter, or a pager script does."""
    path = urlsplit(url).path
    name = path.rstrip("/").rsplit("/", 1)[-1]
    stem = name.rsplit(".", 1)[0] if not path.endswith("/") else name
    marks = ("page=", "createPageHTML")
    return any(mark in text for mark in marks) or (bool(stem) and _followed_by(text, stem, "_-/"))


def _followed_by(text: str, word: str, marks: str) -> bool:
    """Whether `word` occurs in `text` right before one of `marks`: one search through the
    text for the word (a page names its own file a few times), not one per mark."""
    at = text.find(word)
    while at >= 0:
        after = at + len(word)
        if after < len(text) and text[after] in marks:
            return True
        at = text.find(word, at + 1)
    return False


def _stem(url: str) -> str:
    return urlsplit(url).path.rsplit("/", 1)[-1].rsplit(".", 1)[0]


# ---------------------------------------------------------------- helpers

def _same(a: str, b: str) -> bool:
    return a.split("#")[0].rstrip("/") == b.split("#")[0].rstrip("/")


def _inside(el: HtmlElement, holder: HtmlElement) -> bool:
    return el is holder or any(a is holder for a in el.iterancestors())
