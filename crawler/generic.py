"""Generic extraction: find the headline, the body block and the meta line by structure and text.

Used for every field whose profile selector misses. The headline is the h1/h2 that best matches
the page's <title> and title meta tags; the body is the block where prose (long lines, Chinese
punctuation, few links) is densest; the meta line is the text between the headline and the body.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import islice

from lxml import etree
from lxml.html import HtmlElement

from crawler.layout import Line, Marks, class_words, clean_text, element_text, is_noise, lay_out, text_of
from crawler.patterns import SPACE_RUN
from crawler.patterns import (BLOCK_TAGS, BODY_NOISE_LINE, BREADCRUMB_SEPARATORS, BREADCRUMB_SKIP, BREADCRUMB_SPLIT,
                              BREADCRUMB_TEXT, BREADCRUMB_WORDS, CAPTION_LINE, CHROME_LINE, META_LINE_START, OTHER_ARTICLES_WORDS,
                              PARAGRAPH_TAGS, PROSE_PUNCTUATION, SENTENCE_MARKS, SEPARATORS, SPACES, TITLE_WORDS,
                              TITLE_SUFFIX_SPLIT)

_HEAD_TITLE = etree.XPath("//title")


def _links(el: HtmlElement) -> list[HtmlElement]:
    """The links inside `el` (XPath `.//a`, without an XPath's setup cost)."""
    return list(el.iterdescendants("a"))


#: Characters of meta line read after the headline (and before it, for gov metadata tables).
META_CHARS = 400
#: A line shorter than this, or mostly link text, says nothing about where the body is.
MIN_PROSE_CHARS = 10
MAX_TITLE_CHARS = 120
#: How far up a chrome-named ancestor (nav, sidebar...) still marks an element as chrome; page-wide
#: wrappers carry such words too ("blq-int-nav" around a whole page).
NEAR_ANCESTORS = 5
#: This many headline links in list items, and no prose, make a list page.
MIN_HEADLINE_ITEMS = 8


# ---------------------------------------------------------------- one pass over the page

@dataclass
class PageIndex:
    """What generic extraction needs from the whole tree, gathered in one walk: the elements
    that could be the headline (h1-h3, title-named), the h1s, and the elements that could be the
    breadcrumb (crumb-named, or holding 位置 text)."""

    headings: list[HtmlElement]
    h1s: list[HtmlElement]
    crumbs: list[HtmlElement]
    candidates: list[tuple[HtmlElement, str]] | None = None
    #: The page's laid-out lines and the prose score of each container (find_body fills them).
    lines: list[Line] | None = None
    scores: dict[HtmlElement, float] | None = None


def index_page(root: HtmlElement) -> PageIndex:
    """Walk the page's body once: lay its text out in lines (find_body scores them, read_body
    reuses them) and collect the headline and breadcrumb candidates (see PageIndex)."""
    marked: list[HtmlElement] = []
    lines = lay_out(_body_of(root), marks=_MARKS, marked=marked)
    headings: list[HtmlElement] = []
    h1s: list[HtmlElement] = []
    crumbs: list[HtmlElement] = []
    for el in marked:
        tag, cls, id_ = el.tag, el.get("class") or "", el.get("id") or ""
        if tag in _HEADING_TAGS:
            headings.append(el)
            if tag == "h1":
                h1s.append(el)
        elif _TITLE_NAMED.search(cls) or _TITLE_ID.search(id_):
            headings.append(el)
        if _CRUMB_NAMED.search(cls) or _CRUMB_NAMED.search(id_) or "位置" in (el.text or ""):
            crumbs.append(el)
    return PageIndex(headings, h1s, crumbs, lines=lines)


def position(el: HtmlElement) -> tuple[int, ...]:
    """An element's place in document order, comparable with any other's: the child indexes on
    the way down from the root (an ancestor sorts before its descendants)."""
    path = []
    parent = el.getparent()
    while parent is not None:
        path.append(parent.index(el))
        el, parent = parent, parent.getparent()
    return tuple(reversed(path))


_HEADING_TAGS = frozenset({"h1", "h2", "h3"})
#: Class and id values that may name a headline or a breadcrumb (checked word by word later).
_TITLE_NAMED = re.compile(r"[tT]it|headline")
_TITLE_ID = re.compile(r"[tT]it")
_CRUMB_NAMED = re.compile("|".join(sorted(BREADCRUMB_WORDS, key=len, reverse=True)), re.I)
#: The walk's quick test on every class and id: case-sensitive with the spellings pages use
#: (an ignore-case search costs three times as much).
_NAMED = re.compile("|".join(sorted({v for w in ("tit", "headline", *BREADCRUMB_WORDS)
                                     for v in (w, w.capitalize(), w.upper())}, key=len, reverse=True)))
_MARKS = Marks(_HEADING_TAGS, _NAMED, "位置")


# ---------------------------------------------------------------- title

def head_title(root: HtmlElement) -> str:
    """The text of the page's <title>, with its site suffix still on."""
    found = root.find("head/title")
    if found is None:
        found = next(iter(_HEAD_TITLE(root)), None)
    return clean_text(found.text_content()) if found is not None else ""


def title_from_head(text: str) -> str:
    """A <title> without its column/site suffix: '标题_工会新闻_四川省…' -> '标题'."""
    parts = [p for p in TITLE_SUFFIX_SPLIT.split(text) if p.strip()]
    return parts[0].strip() if parts else text.strip()


def _common_run(a: str, b: str) -> int:
    """The length of the longest run of characters `a` and `b` share."""
    if a in b:
        return len(a)
    if b in a:
        return len(b)
    # Grow every run of `a` found in `b` by one character until none grows (each test is a
    # substring search in C: a quarter of difflib's time on titles).
    starts = [i for i, ch in enumerate(a) if ch in b]
    size = 0
    while starts:
        size += 1
        starts = [i for i in starts if i + size < len(a) and a[i:i + size + 1] in b]
    return size


def _overlap(candidate: str, references: list[str]) -> float:
    """How much of `candidate` appears, as one run, in the best-matching reference title."""
    best = 0.0
    for ref in references:
        if not ref:
            continue
        if candidate in ref:
            return 1.0
        best = max(best, _common_run(candidate, ref) / len(candidate))
    return best


def _coverage(candidate: str, heads: list[str]) -> float:
    """How much of the best reference title (suffix removed: `heads`) the candidate covers."""
    return max((_common_run(candidate, head) / max(len(head), 1) for head in heads), default=0.0)


def headline_text(el: HtmlElement) -> str:
    """The headline's own text. When the headline element also holds the meta line (PHPCMS's
    `<h1>标题<br><span>2023-02-03 来源：…</span></h1>`, a title cell with the date under a <br>),
    the text stops at the child or <br> where a date or a 来源/时间 label begins."""
    full = element_text(el)
    if len(el) == 0 or not META_LINE_START.search(full, 2):
        return full
    raw = "".join(el.itertext())
    offset = 0
    for event, node in etree.iterwalk(el, events=("start", "end")):
        if node is not el and event == "start":
            head = clean_text(raw[:offset]).strip(SEPARATORS + SPACES)
            if len(head) >= 2 and META_LINE_START.match(raw[offset:].lstrip(SPACES + SEPARATORS)):
                return head
        offset += len((node.text if event == "start" else node.tail if node is not el else None) or "")
    return full


def headline_candidates(root: HtmlElement, index: PageIndex | None = None) -> list[tuple[HtmlElement, str]]:
    """Headings and title-named elements that could be the headline, in document order."""
    index = index or index_page(root)
    if index.candidates is not None:
        return index.candidates
    found = []
    for el in index.headings:
        if _is_headline_element(el):
            text = headline_text(el)
            if 2 <= len(text) <= MAX_TITLE_CHARS and not _inside_chrome(el):
                found.append((el, text))
    index.candidates = found
    return found


def find_title(root: HtmlElement, references: list[str],
               index: PageIndex | None = None) -> tuple[HtmlElement | None, str | None, bool]:
    """The headline element, its text, and whether it matched the reference titles.

    `references` are the title meta tags and the <title>. The candidate most of whose text
    appears in a reference, and that covers most of it, wins. When none matches (a generic
    <title>), the first h1 is returned as unconfirmed: the caller may prefer the heading
    right before the body.
    """
    best: tuple[float, HtmlElement, str] | None = None
    first_h1: tuple[HtmlElement, str] | None = None
    heads = [title_from_head(ref) for ref in references if ref]
    for el, text in headline_candidates(root, index):
        if el.tag == "h1" and first_h1 is None:
            first_h1 = (el, text)
        score = 0.7 * _overlap(text, references) + 0.3 * _coverage(text, heads)
        score += 0.05 if el.tag == "h1" else 0.0
        if best is None or score > best[0]:
            best = (score, el, text)
    if best and best[0] >= 0.6:
        return best[1], best[2], True
    if first_h1:
        return first_h1[0], first_h1[1], False
    return None, None, False


def headline_before(root: HtmlElement, body_el: HtmlElement,
                    index: PageIndex | None = None) -> tuple[HtmlElement | None, str | None]:
    """The last headline candidate before the body block (or first inside it), if any."""
    index = index or index_page(root)
    start = position(body_el)
    candidates = headline_candidates(root, index)
    before = [(el, t) for el, t in candidates if position(el) < start]
    inside = [(el, t) for el, t in candidates if el is body_el or body_el in el.iterancestors()]
    if before:
        return before[-1]
    return inside[0] if inside else (None, None)


def _is_headline_element(el: HtmlElement) -> bool:
    """A heading, or an element named as a title, that is not a link to somewhere else."""
    if el.tag not in ("h1", "h2", "h3") and not class_words(el) & TITLE_WORDS:
        return False
    if el.tag in ("a", "title", "meta") or next(el.iterancestors("a"), None) is not None:
        return False
    return next(el.iterdescendants("a"), None) is None or el.tag == "h1"


def _inside_chrome(el: HtmlElement) -> bool:
    """True for headings in the logo, nav bar or footer (the site's name, not the article's)."""
    for node in islice(el.iterancestors(), NEAR_ANCESTORS):
        if node.tag in ("nav", "footer") or class_words(node) & {"logo", "nav", "footer", "menu", "sidebar"}:
            return True
    return bool(class_words(el) & {"logo"})


# ---------------------------------------------------------------- body

def prose_weight(line: Line) -> float:
    """Prose weight of one line: long, punctuated, not a link, not a photo caption."""
    text = line.text
    n = len(text)
    if n < MIN_PROSE_CHARS or line.link_chars > 0.5 * n:
        return 0.0
    # The cheap tests first: each of these makes the line weigh nothing.
    punctuation = len(_PUNCTUATION.findall(text))
    if (punctuation == 0 and n < 40) or BODY_NOISE_LINE.match(text) or CAPTION_LINE.search(text) \
            or CHROME_LINE.search(text):
        return 0.0
    return 1.0 + punctuation + min(n / 40, 6.0)


#: One prose punctuation mark: a line's marks are counted in one pass of this (a str.count per
#: mark costs three times as much: each ASCII mark is widened to the line's characters first).
_PUNCTUATION = re.compile("[" + re.escape("".join(sorted(PROSE_PUNCTUATION))) + "]")


def _link_density(el: HtmlElement) -> float:
    total = len(clean_text(el.text_content())) or 1
    links = sum(len(clean_text(text_of(a))) for a in el.iterdescendants("a"))
    return min(links / total, 1.0)


def find_body(root: HtmlElement, title_el: HtmlElement | None, index: PageIndex | None = None) -> HtmlElement | None:
    """The block holding the article text: where prose lines are densest (Readability-style).

    Each prose line credits its container fully and the container's parent by half; the best
    container wins after a penalty for link-heavy and chrome-named blocks and for blocks that
    come before the headline.
    """
    index = index or index_page(root)
    if index.scores is None:
        index.scores = _prose_scores(index.lines)
    scores = index.scores
    if not scores:
        return None
    where = _Layout.of(index, title_el)
    ranked = sorted(scores.items(), key=lambda kv: kv[1], reverse=True)[:8]
    return _best_adjusted(ranked, where)


def _best_adjusted(ranked: list[tuple[HtmlElement, float]], where: "_Layout") -> HtmlElement:
    """The container whose adjusted score is highest (the first of equals). Containers come by
    falling prose score and penalties only lower a score, so once the best adjusted score reaches
    the next container's prose score no later one can beat it: their links are not counted."""
    best, best_score = ranked[0][0], None
    for el, score in ranked:
        if best_score is not None and score <= best_score:
            break
        adjusted = _adjusted(el, score, where)
        if best_score is None or adjusted > best_score:
            best, best_score = el, adjusted
    return best


def _prose_scores(lines: list[Line]) -> dict[HtmlElement, float]:
    scores: dict[HtmlElement, float] = {}
    for line in lines:
        weight = prose_weight(line)
        if not weight:
            continue
        container = line.block.getparent() if line.block.tag in PARAGRAPH_TAGS else line.block
        if container is None:
            continue
        scores[container] = scores.get(container, 0.0) + weight
        parent = container.getparent()
        if parent is not None:
            scores[parent] = scores.get(parent, 0.0) + weight / 2
    return scores


def lines_within(index: PageIndex | None, body_el: HtmlElement, noise: set[HtmlElement]) -> list[Line] | None:
    """The body block's lines taken from the page's layout (laid out once, by find_body), or
    None when they could differ from laying the block out alone: a block that is not a block
    tag, an image before it, or chrome inside it that is inline or has text running past it."""
    if index is None or index.lines is None or body_el.tag not in BLOCK_TAGS:
        return None
    for el in noise:
        if el.tag not in BLOCK_TAGS or (el.tail and el.tail.strip()):
            return None
        after = el.getnext()
        if after is not None and after.tag not in BLOCK_TAGS:
            return None
    inside = set(body_el.iter())
    lines = [line for line in index.lines if line.block in inside]
    if lines and lines[0].after_image:
        return None
    if noise:
        hidden = {el for n in noise for el in n.iter()}
        lines = [line for line in lines if line.block not in hidden]
    return lines


@dataclass
class _Layout:
    """Where the headline is, and where other articles' headlines are, in document order."""

    title_at: tuple[int, ...] | None = None
    title_ancestors: frozenset = frozenset()
    other_headlines: tuple[tuple[int, ...], ...] = ()

    @classmethod
    def of(cls, index: PageIndex, title_el: HtmlElement | None) -> "_Layout":
        if title_el is None:
            return cls()
        others = tuple(position(h) for h in index.h1s if h is not title_el)
        return cls(position(title_el), frozenset(title_el.iterancestors()), others)


def _adjusted(el: HtmlElement, score: float, where: _Layout) -> float:
    """A container's prose score after penalties for links, chrome names and position."""
    score *= 1.0 - _link_density(el)
    if is_noise(el) or any(class_words(a) & OTHER_ARTICLES_WORDS for a in islice(el.iterancestors(), NEAR_ANCESTORS)):
        score *= 0.2
    if where.title_at is not None and el not in where.title_ancestors:
        start = position(el)
        if start < where.title_at:
            score *= 0.5
        elif any(where.title_at < h < start for h in where.other_headlines):
            score *= 0.1  # another article's headline stands between ours and this block
    return score


def noise_inside(container: HtmlElement) -> set[HtmlElement]:
    """Chrome-named blocks (share bars, related lists, pagers) nested inside the body block."""
    return {el for el in container.iterdescendants() if isinstance(el.tag, str) and is_noise(el)}


# ---------------------------------------------------------------- meta line

#: A piece of meta-line text and the element it sits in; (BREAK, None) marks a block boundary.
Piece = tuple[str, "HtmlElement | None"]
BREAK: Piece = ("\n", None)


@dataclass
class MetaArea:
    """Text around the headline, in pieces, split by where it sits relative to headline and body."""

    after_title: list[Piece] = field(default_factory=list)
    before_title: list[Piece] = field(default_factory=list)
    after_body: list[Piece] = field(default_factory=list)


def _is_prose(text: str) -> bool:
    """A long run of sentences: a body paragraph or summary, where the meta line has ended. A
    long meta line (发布日期：… 信息来源：… 作者：… 浏览次数：) has colons, not sentences."""
    return len(text.strip()) >= 60 and sum(ch in SENTENCE_MARKS for ch in text) >= 2


def meta_area(root: HtmlElement, title_el: HtmlElement | None, body_el: HtmlElement | None) -> MetaArea:
    """Collect, in one pass over the document, the text after the headline up to the body (or
    the first paragraph of prose), the text just before the headline, and just after the body."""
    area = MetaArea()
    target: list[Piece] | None = area.before_title if title_el is not None else area.after_title
    in_title: list[Piece] | None = None
    # Nothing inside the body block is collected: unless the headline sits in it, it is skipped.
    skip_body = body_el is not None and (title_el is None or not any(a is body_el for a in title_el.iterancestors()))
    walker = etree.iterwalk(_body_of(root), events=("start", "end"))
    for event, el in walker:
        if in_title is not None:
            if event == "end" and el is title_el:
                # What the headline element holds beyond the headline is meta line.
                area.after_title.extend(_after_headline(in_title, headline_text(title_el)))
                in_title, target = None, area.after_title
                continue
            if el.tag in BLOCK_TAGS:
                in_title.append(BREAK)
            text = el.text if event == "start" else el.tail
            if text:
                in_title.append((" " if text.isspace() else text, el if event == "start" else el.getparent()))
            continue
        if event == "start" and el is title_el:
            in_title = [(el.text, el)] if el.text else []
            continue
        if el is body_el:
            target = None if event == "start" else area.after_body
            if event == "start" and skip_body:
                walker.skip_subtree()
            continue
        if target is None:
            continue
        if el.tag in BLOCK_TAGS:
            target.append(BREAK)
        text = el.text if event == "start" else el.tail
        if not text:
            continue
        if text.isspace():
            target.append((" ", el))
            continue
        if target is area.after_title and _is_prose(text):
            target = None
            continue
        target.append((text, el if event == "start" else el.getparent()))
        if target is area.after_body and len(target) > 150:
            break
        if target is area.before_title and len(target) > 5000:
            # Only the last META_CHARS are kept: cutting as it grows keeps the same pieces. A cut
            # reads back through the hundreds of (mostly blank) pieces it keeps: seldom, then.
            target[:] = _tail_chars(target, META_CHARS)
    area.before_title = _tail_chars(area.before_title, META_CHARS)
    area.after_title = _head_chars(area.after_title, META_CHARS)
    area.after_body = _head_chars(area.after_body, META_CHARS)
    return area


def _after_headline(pieces: list[Piece], headline: str) -> list[Piece]:
    """The pieces of a headline element that come after its headline text."""
    need, seen = len(SPACE_RUN.sub("", headline)), 0
    for index, (text, _) in enumerate(pieces):
        if seen >= need:
            return pieces[index:]
        seen += len(SPACE_RUN.sub("", text).strip(SPACES))
    return []


def pieces_of(el: HtmlElement) -> list[Piece]:
    """The text pieces of one element (a profile's info line), with block boundaries."""
    pieces: list[Piece] = []
    for event, node in etree.iterwalk(el, events=("start", "end")):
        if node.tag in BLOCK_TAGS:
            pieces.append(BREAK)
        text = node.text if event == "start" else (node.tail if node is not el else None)
        if text:
            pieces.append((" " if text.isspace() else text, node if event == "start" else node.getparent()))
    return pieces


def _body_of(root: HtmlElement) -> HtmlElement:
    found = root.find("body")
    return found if found is not None else root


def _tail_chars(pieces: list[Piece], limit: int) -> list[Piece]:
    kept, total = [], 0
    for piece in reversed(pieces):
        total += len(piece[0].strip())
        if total > limit:
            break
        kept.append(piece)
    return kept[::-1]


def _head_chars(pieces: list[Piece], limit: int) -> list[Piece]:
    kept, total = [], 0
    for piece in pieces:
        total += len(piece[0].strip())
        if total > limit:
            break
        kept.append(piece)
    return kept


def joined(pieces: list[Piece], *, dates_only: bool = False, by_name: bool = True) -> str:
    """Pieces as one text: inline neighbours run together, blocks on their own lines. With
    `dates_only`, text in links and in lists of other articles (related headlines, and with
    `by_name` blocks named sidebar, comments...) is blanked out: their dates are not ours."""
    parts = []
    about: dict[HtmlElement, bool] = {}  # pieces of one element (its text, its children's tails) ask once
    for text, el in pieces:
        if dates_only and el is not None and el not in about:
            about[el] = _about_other_articles(el, by_name)
        if el is None or (dates_only and about[el]):
            parts.append("\n")
        else:
            if parts and parts[-1][-1:].isdigit() and text[:1].isdigit():
                parts.append(" ")  # two elements' numbers never run into one: 18:30</time><time>2023
            parts.append(text)
    return "\n".join(line.strip() for line in "".join(parts).split("\n") if line.strip())


def _about_other_articles(el: HtmlElement, by_name: bool = True) -> bool:
    """True for text in a link or a list of other articles. A <time> element in a link is the
    article's own date on its permalink (WordPress's posted-on), not another article's."""
    own_time = el.tag == "time"
    for node in (el, *islice(el.iterancestors(), NEAR_ANCESTORS)):
        tag = node.tag
        if (tag == "a" and not own_time) or (tag == "li" and _is_headline_item(node)):
            return True
        if by_name and class_words(node) & OTHER_ARTICLES_WORDS:
            return True
    return False


def headline_items(root: HtmlElement) -> int:
    """How many list items link to other articles, when they are many (a list page), else 0."""
    count = sum(1 for li in root.iter("li") if _is_headline_item(li) and len(li.text_content().strip()) >= 6)
    return count if count >= MIN_HEADLINE_ITEMS else 0


def _is_headline_item(li: HtmlElement) -> bool:
    """A list item that is a link to another article (a short item holding a link)."""
    return next(li.iterdescendants("a"), None) is not None and len(li.text_content()) < 150


def text_pieces_near(pieces: list[Piece], index: int, step: int) -> Piece | None:
    """The nearest text piece before (step -1) or after (step 1) `index`, skipping breaks and
    separators such as · | /."""
    i = index + step
    while 0 <= i < len(pieces):
        text, el = pieces[i]
        if el is not None and text.strip(SEPARATORS + SPACES):
            return pieces[i]
        i += step
    return None


# ---------------------------------------------------------------- column

def breadcrumb_column(crumb: HtmlElement, title: str | None) -> str | None:
    """The column in a breadcrumb: its last entry that is not 首页/正文 or the headline itself.
    Entries are split from the text at its > marks, so plain-text entries count as much as
    links (`首页 > <a>栏目</a> > 正文`, `当前位置：首页 > 栏目 > 正文`); a breadcrumb without
    such marks is read from its links."""
    text = BREADCRUMB_TEXT.sub("", element_text(crumb))
    names = [clean_text(part) for part in BREADCRUMB_SPLIT.split(text)]
    if sum(1 for n in names if n) < 2:
        names = [element_text(a) for a in _links(crumb)]
    names = [n for n in names if n and n not in BREADCRUMB_SKIP and n != title and not BREADCRUMB_TEXT.match(n)]
    return names[-1] if names else None


def find_breadcrumb(root: HtmlElement, index: PageIndex | None = None) -> HtmlElement | None:
    """The breadcrumb block: named as one (location, crumb...) or opening with a 当前位置 label
    (in its own text or a <strong> inside), and shaped like one (short entries with > marks
    between them, linked or not)."""
    for el in (index or index_page(root)).crumbs:
        if class_words(el) & BREADCRUMB_WORDS:
            if _shaped_like_breadcrumb(el):
                return el
            continue
        while el is not None and el.tag not in BLOCK_TAGS:
            el = el.getparent()
        if el is not None and BREADCRUMB_TEXT.match(element_text(el)[:20]) and _shaped_like_breadcrumb(el):
            return el
    return None


def _shaped_like_breadcrumb(el: HtmlElement) -> bool:
    links = [element_text(a) for a in _links(el)]
    text = element_text(el)
    if len(text) > 200 or not all(len(name) <= 20 for name in links):
        return False
    if len(links) >= 2:
        return any(mark in text for mark in BREADCRUMB_SEPARATORS) or bool(BREADCRUMB_TEXT.match(text))
    entries = [part for part in BREADCRUMB_SPLIT.split(BREADCRUMB_TEXT.sub("", text)) if part.strip()]
    return len(entries) >= 2 and all(len(entry) <= 20 for entry in entries)
