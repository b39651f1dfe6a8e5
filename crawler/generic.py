"""Generic extraction: find the headline, the body block and the meta line by structure and text.

Used for every field whose profile selector misses. The headline is the h1/h2 that best matches
the page's <title> and title meta tags; the body is the block where prose (long lines, Chinese
punctuation, few links) is densest; the meta line is the text between the headline and the body.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from difflib import SequenceMatcher

from lxml import etree
from lxml.html import HtmlElement

from crawler.layout import Line, class_words, clean_text, element_text, is_noise, lay_out
from crawler.patterns import (BREADCRUMB_SKIP, BREADCRUMB_TEXT, BREADCRUMB_WORDS, CAPTION_LINE,
                              OTHER_ARTICLES_WORDS, PARAGRAPH_TAGS, PROSE_PUNCTUATION, TITLE_CANDIDATES,
                              TITLE_SUFFIX_SPLIT)

_TITLE_CANDIDATES = etree.XPath(TITLE_CANDIDATES)
_HEAD_TITLE = etree.XPath("//title")
_LINKS = etree.XPath(".//a")
#: Characters of meta line read after the headline (and before it, for gov metadata tables).
META_CHARS = 400
#: A line shorter than this, or mostly link text, says nothing about where the body is.
MIN_PROSE_CHARS = 10
MAX_TITLE_CHARS = 120


# ---------------------------------------------------------------- title

def head_title(root: HtmlElement) -> str:
    """The text of the page's <title>, with its site suffix still on."""
    found = _HEAD_TITLE(root)
    return clean_text(found[0].text_content()) if found else ""


def title_from_head(text: str) -> str:
    """A <title> without its column/site suffix: '标题_工会新闻_四川省…' -> '标题'."""
    parts = [p for p in TITLE_SUFFIX_SPLIT.split(text) if p.strip()]
    return parts[0].strip() if parts else text.strip()


def _overlap(candidate: str, references: list[str]) -> float:
    """How much of `candidate` appears, as one run, in the best-matching reference title."""
    best = 0.0
    for ref in references:
        if not ref:
            continue
        if candidate in ref:
            return 1.0
        match = SequenceMatcher(None, candidate, ref, autojunk=False).find_longest_match()
        best = max(best, match.size / len(candidate))
    return best


def find_title(root: HtmlElement, references: list[str]) -> tuple[HtmlElement | None, str | None]:
    """The headline element and its text: the h1/h2/.title best matching the reference titles.

    `references` are the title meta tags and the <title>. When no candidate matches them (a
    generic <title>), the first h1 is taken; when there is no heading at all, the caller falls
    back to the references themselves.
    """
    best: tuple[float, int, HtmlElement, str] | None = None
    first_h1: tuple[HtmlElement, str] | None = None
    for rank, el in enumerate(_TITLE_CANDIDATES(root)):
        text = element_text(el)
        if not 2 <= len(text) <= MAX_TITLE_CHARS or _inside_chrome(el):
            continue
        if el.tag == "h1" and first_h1 is None:
            first_h1 = (el, text)
        score = _overlap(text, references) + (0.05 if el.tag == "h1" else 0.0)
        if best is None or score > best[0]:
            best = (score, rank, el, text)
    if best and best[0] >= 0.6:
        return best[2], best[3]
    if first_h1:
        return first_h1
    return None, None


def _inside_chrome(el: HtmlElement) -> bool:
    """True for headings in the logo, nav bar or footer (the site's name, not the article's)."""
    for node in el.iterancestors():
        if node.tag in ("nav", "footer") or class_words(node) & {"logo", "nav", "footer", "menu", "sidebar"}:
            return True
    return bool(class_words(el) & {"logo"})


# ---------------------------------------------------------------- body

def _line_weight(line: Line) -> float:
    """Prose weight of one line: long, punctuated, not a link, not a photo caption."""
    n = len(line.text)
    if n < MIN_PROSE_CHARS or line.link_ratio > 0.5 or CAPTION_LINE.search(line.text):
        return 0.0
    punctuation = sum(ch in PROSE_PUNCTUATION for ch in line.text)
    if punctuation == 0 and n < 40:
        return 0.0
    return 1.0 + punctuation + min(n / 40, 6.0)


def _link_density(el: HtmlElement) -> float:
    total = len(clean_text(el.text_content())) or 1
    links = sum(len(clean_text(a.text_content())) for a in _LINKS(el))
    return min(links / total, 1.0)


def find_body(root: HtmlElement, title_el: HtmlElement | None) -> HtmlElement | None:
    """The block holding the article text: where prose lines are densest (Readability-style).

    Each prose line credits its container fully and the container's parent by half; the best
    container wins after a penalty for link-heavy and chrome-named blocks and for blocks that
    come before the headline.
    """
    scores: dict[HtmlElement, float] = {}
    for line in lay_out(_body_of(root)):
        weight = _line_weight(line)
        if not weight:
            continue
        container = line.block.getparent() if line.block.tag in PARAGRAPH_TAGS else line.block
        if container is None:
            continue
        scores[container] = scores.get(container, 0.0) + weight
        parent = container.getparent()
        if parent is not None:
            scores[parent] = scores.get(parent, 0.0) + weight / 2
    if not scores:
        return None
    order = {el: i for i, el in enumerate(root.iter())} if title_el is not None else {}
    ranked = sorted(scores.items(), key=lambda kv: kv[1], reverse=True)[:8]
    return max(ranked, key=lambda kv: _adjusted(kv[0], kv[1], title_el, order))[0]


def _adjusted(el: HtmlElement, score: float, title_el: HtmlElement | None, order: dict) -> float:
    score *= 1.0 - _link_density(el)
    if is_noise(el) or any(class_words(a) & OTHER_ARTICLES_WORDS for a in el.iterancestors()):
        score *= 0.3
    if title_el is not None and order.get(el, 0) < order.get(title_el, 0) and title_el not in el.iter():
        score *= 0.5
    return score


def noise_inside(container: HtmlElement) -> set[HtmlElement]:
    """Chrome-named blocks (share bars, related lists, pagers) nested inside the body block."""
    return {el for el in container.iterdescendants() if isinstance(el.tag, str) and is_noise(el)}


# ---------------------------------------------------------------- meta line

@dataclass
class MetaArea:
    """Text around the headline, in pieces, split by where it sits relative to headline and body."""

    after_title: list[tuple[str, HtmlElement]] = field(default_factory=list)
    before_title: list[tuple[str, HtmlElement]] = field(default_factory=list)
    after_body: list[tuple[str, HtmlElement]] = field(default_factory=list)


def meta_area(root: HtmlElement, title_el: HtmlElement | None, body_el: HtmlElement | None) -> MetaArea:
    """Collect, in one pass over the document, the text pieces after the headline up to the
    body, the pieces just before the headline, and those just after the body."""
    area = MetaArea()
    target = area.before_title if title_el is not None else area.after_title
    for event, el in etree.iterwalk(_body_of(root), events=("start", "end")):
        if event == "start" and el is body_el:
            target = None
            continue
        if event == "end" and el is title_el:
            target = area.after_title
        elif event == "end" and el is body_el:
            target = area.after_body
        text = el.text if event == "start" else el.tail
        if target is None or not text or text.isspace():
            continue
        context = el if event == "start" else el.getparent()
        if context is not None and not (title_el is not None and target is area.before_title and _within(context, title_el)):
            target.append((text, context))
        if target is area.after_body and len(target) > 40:
            break
        if body_el is None and target is area.after_title and len(target) > 60:
            break
    area.before_title = _tail_chars(area.before_title, META_CHARS)
    area.after_title = _head_chars(area.after_title, META_CHARS * 3)
    area.after_body = _head_chars(area.after_body, META_CHARS)
    return area


def _body_of(root: HtmlElement) -> HtmlElement:
    found = root.find("body")
    return found if found is not None else root


def _within(el: HtmlElement | None, ancestor: HtmlElement | None) -> bool:
    if el is None or ancestor is None:
        return False
    return el is ancestor or any(a is ancestor for a in el.iterancestors())


def _tail_chars(pieces: list, limit: int) -> list:
    kept, total = [], 0
    for piece in reversed(pieces):
        total += len(piece[0].strip())
        if total > limit:
            break
        kept.append(piece)
    return kept[::-1]


def _head_chars(pieces: list, limit: int) -> list:
    kept, total = [], 0
    for piece in pieces:
        total += len(piece[0].strip())
        if total > limit:
            break
        kept.append(piece)
    return kept


def joined(pieces: list[tuple[str, HtmlElement]], *, dates_only: bool = False) -> str:
    """Pieces joined by newlines; with `dates_only`, pieces in links and in lists of other
    articles (related headlines, sidebars, comments) are left out: their dates are not ours."""
    if dates_only:
        pieces = [p for p in pieces if not _about_other_articles(p[1])]
    return "\n".join(t.strip() for t, _ in pieces)


def _about_other_articles(el: HtmlElement) -> bool:
    for node in (el, *el.iterancestors()):
        tag = node.tag
        if tag == "a" or (tag == "li" and _LINKS(node)) or class_words(node) & OTHER_ARTICLES_WORDS:
            return True
    return False


# ---------------------------------------------------------------- column

def breadcrumb_column(crumb: HtmlElement, title: str | None) -> str | None:
    """The column in a breadcrumb: its last link that is not 首页/正文 or the headline itself."""
    names = [element_text(a) for a in _LINKS(crumb)]
    if not names:
        names = [clean_text(p) for p in BREADCRUMB_TEXT.sub("", element_text(crumb)).replace("»", ">").replace("＞", ">").split(">")]
    names = [n for n in names if n and n not in BREADCRUMB_SKIP and n != title and not BREADCRUMB_TEXT.match(n)]
    return names[-1] if names else None


def find_breadcrumb(root: HtmlElement) -> HtmlElement | None:
    """The breadcrumb block, by its class/id (location, crumb...) or its 当前位置 label."""
    for el in root.iter("div", "p", "span", "nav", "ul", "ol", "td"):
        if class_words(el) & BREADCRUMB_WORDS and _LINKS(el):
            return el
    for el in root.iter("div", "p", "span", "td"):
        if el.text and BREADCRUMB_TEXT.match(el.text) and _LINKS(el):
            return el
    return None
