"""Page tree helpers: parse and clean a page, and lay its text out in lines like a browser would.

A "line" is the text of one block (a <p>, a heading, a <div> holding text, or a run of text
between <br>s), with how much of it sits inside links and whether an image shares its block.
Body extraction and scoring both work on lines, so paragraphs come out one per line whatever
mix of <p>, <div> and <br> a CMS writes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import lxml.html
from lxml import etree
from lxml.html import HtmlElement

from crawler.patterns import (BLOCK_TAGS, DROP_TAGS, FILE_HREF, HIDDEN_STYLE, NAME_WORD_SPLIT, NOISE_WORDS,
                              SCRIPTED_LINK, SPACE_RUN, SPACES, TAG, XML_DECLARATION)

_PARSER = etree.HTMLParser(remove_comments=True, remove_pis=True, collect_ids=False)
# Every element is an HtmlElement (text_content, drop_tree...), chosen in C: lxml.html's own
# parser picks the class per element in a Python callback, a third of the time of a tree walk.
_PARSER.set_element_class_lookup(etree.ElementDefaultClassLookup(element=lxml.html.HtmlElement))
#: The same for bytes known to be UTF-8: libxml2 reads UTF-8 faster than Python's text buffers.
_UTF8_PARSER = etree.HTMLParser(remove_comments=True, remove_pis=True, collect_ids=False, encoding="utf-8")
_UTF8_PARSER.set_element_class_lookup(etree.ElementDefaultClassLookup(element=lxml.html.HtmlElement))


@dataclass(slots=True)
class Line:
    """One laid-out line of text and the block element it belongs to."""

    text: str
    block: HtmlElement
    link_chars: int = 0
    has_image: bool = False
    #: The line comes right after a block holding only a picture (where captions go).
    after_image: bool = False

    @property
    def link_ratio(self) -> float:
        return self.link_chars / max(len(self.text), 1)


def parse_tree(text: str, keep: list[HtmlElement] | None = None, utf8: bytes | None = None) -> HtmlElement:
    """Parse page text into an lxml tree, without comments, scripts, styles or hidden elements.

    With `keep`, every element of the tree is appended to it: while that list lives, lxml reuses
    each element's Python object instead of making a new one on every later walk (a walk over a
    page then costs a fifth less). `utf8` is the same page as the UTF-8 bytes it was decoded
    from (no BOM), parsed instead of the text when given: the same tree, an eighth sooner."""
    if utf8 is not None and not XML_DECLARATION.match(text):
        root = lxml.html.document_fromstring(utf8, parser=_UTF8_PARSER)
    else:
        root = lxml.html.document_fromstring(XML_DECLARATION.sub("", text, count=1), parser=_PARSER)
    _keep_scripted_file_links(root)
    etree.strip_elements(root, *DROP_TAGS, with_tail=False)
    every = list(root.iter())
    if keep is not None:
        keep.extend(every)
    # One pass over the attributes (an XPath over them costs three times as much).
    hidden = [el for el in every if (el.get("style") is not None or el.get("hidden") is not None)]
    if len(_HIDING_STYLES) > 20000:
        _HIDING_STYLES.clear()
    for el in hidden:
        if el.getparent() is not None and (el.get("hidden") is not None or _hides(el.get("style", ""))):
            el.drop_tree()  # keeps the element's tail text in place
    return root


#: Whether a style value hides its element, by value (most pages repeat a few style values).
_HIDING_STYLES: dict[str, bool] = {}


def _hides(style: str) -> bool:
    hides = _HIDING_STYLES.get(style)
    if hides is None:
        hides = _HIDING_STYLES[style] = HIDDEN_STYLE.search(style) is not None
    return hides


def _keep_scripted_file_links(root: HtmlElement) -> None:
    """Links to files that a script writes into the page (TRS's `var file_appendix = '<a
    href="./P0….pdf">…</a>'; document.write(…)`) are put where the script stood, so an article's
    attachments survive the removal of scripts."""
    for script in root.iter("script"):
        code = script.text
        if not code or "href" not in code:
            continue
        links = [m for m in SCRIPTED_LINK.finditer(code) if FILE_HREF.search(m["href"])]
        if not links:
            continue
        holder = etree.SubElement(script.getparent(), "span")
        script.addnext(holder)
        holder.tail, script.tail = script.tail, None
        for match in links:
            anchor = etree.SubElement(holder, "a", href=match["href"])
            anchor.text = clean_text(TAG.sub("", match["text"]))


def clean_text(text: str | None) -> str:
    """Collapse whitespace runs to one space and strip ASCII, no-break and ideographic spaces."""
    if not text:
        return ""
    return collapse_spaces(text).strip(SPACES)


def collapse_spaces(text: str) -> str:
    """`SPACE_RUN.sub(" ", text)`: each run of spaces as one space. Most texts of a page have
    nothing to collapse: every character of a run but the plain space is unprintable, so a
    printable text without two spaces in a row is returned as it is, without the regex (whose
    call costs more than these two scans)."""
    if text.isprintable() and "  " not in text:
        return text
    return SPACE_RUN.sub(" ", text)


def element_text(el: HtmlElement | None) -> str:
    """The visible text of an element on one line."""
    return clean_text(text_of(el)) if el is not None else ""


def text_of(el: HtmlElement) -> str:
    """`el.text_content()`, read directly when the element holds no other element (a plain
    link): text_content runs an XPath, whose setup costs more than the read."""
    return (el.text or "") if len(el) == 0 else el.text_content()


def class_words(el: HtmlElement) -> frozenset[str]:
    """Lower-case words of an element's class and id: 'bdshare_box' -> {'bdshare', 'box'}."""
    return _name_words(el.get("class"), el.get("id"))


@lru_cache(maxsize=4096)
def _name_words(class_: str | None, id_: str | None) -> frozenset[str]:
    if not class_ and not id_:
        return frozenset()
    return frozenset(w.lower() for w in NAME_WORD_SPLIT.split(f"{class_ or ''} {id_ or ''}") if w)


def is_noise(el: HtmlElement) -> bool:
    """True for page chrome named as such: nav, sidebar, share bar, related list, footer..."""
    if el.tag in ("nav", "footer", "aside"):
        return True
    class_, id_ = el.get("class"), el.get("id")
    return bool(class_ or id_) and _noise_named(class_, id_)


@lru_cache(maxsize=4096)
def _noise_named(class_: str | None, id_: str | None) -> bool:
    return bool(_name_words(class_, id_) & NOISE_WORDS)


@dataclass(frozen=True)
class Marks:
    """What a lay-out walk also picks out, so one walk can index the page: elements with one of
    `tags`, a class or id matching `names`, or their own text holding `word` (never a link,
    picture or line break)."""

    tags: frozenset[str]
    names: re.Pattern
    word: str
    #: Whether `names` is found in a class or id value, by value: pages repeat a few class
    #: names on most of their elements, and a dict look-up costs less than the search.
    named: dict[str, bool] = field(default_factory=dict, compare=False, hash=False)


#: What the end of an element does in lay_out: nothing but its tail (a skipped subtree, an image,
#: a <br>), close an inline element, close a block (its line ends), close a link.
_PASSED, _INLINE, _BLOCK, _LINK = 0, 1, 2, 3


def lay_out(el: HtmlElement, skip: frozenset[HtmlElement] | set = frozenset(),
            marks: Marks | None = None, marked: list[HtmlElement] | None = None) -> list[Line]:
    """The lines of text inside `el`, in order; subtrees in `skip` are left out. With `marks`,
    the elements they pick out are appended to `marked`, in document order.

    One flat loop over lxml's walk events (no call per element): a page is laid out once per
    parse, and this is the parser's hottest loop."""
    lines: list[Line] = []
    parts: list[str] = []
    state = [0, False, False]  # link chars, image in this line, image-only line just passed
    blocks = [el]
    link_depth = 0
    opened: list[int] = []  # per open element, what its end does (_BLOCK, _LINK...): no second .tag
    collapse, block_tags = collapse_spaces, BLOCK_TAGS
    if marks is not None:
        mark_tags, mark_name, mark_word, named = marks.tags, marks.names.search, marks.word, marks.named
        if len(named) > 20000:
            named.clear()

    def flush(block: HtmlElement) -> None:
        joined = "".join(parts)
        text = collapse(joined).strip(SPACES) if not joined.isspace() else ""
        if text:
            lines.append(Line(text, block, min(state[0], len(text)), state[1], state[2]))
            state[2] = False
        elif state[1]:
            state[2] = True
        parts.clear()
        state[0], state[1] = 0, False

    walker = etree.iterwalk(el, events=("start", "end"))
    for event, node in walker:
        if event == "start":
            tag = node.tag
            if node is not el and (not isinstance(tag, str) or (skip and node in skip)):
                walker.skip_subtree()
                opened.append(_PASSED)
                continue
            if tag == "img":
                state[1] = True
                opened.append(_PASSED)
            elif tag == "br":
                if parts:
                    flush(blocks[-1])
                elif state[1]:
                    state[1], state[2] = False, True
                opened.append(_PASSED)
            else:
                text = node.text
                if marks is not None and tag != "a":
                    if tag in mark_tags or (text and mark_word in text):
                        marked.append(node)
                    else:
                        cls, id_ = node.get("class"), node.get("id")
                        hit = False
                        if cls:
                            hit = named.get(cls)
                            if hit is None:
                                hit = named[cls] = mark_name(cls) is not None
                        if id_ and not hit:
                            hit = named.get(id_)
                            if hit is None:
                                hit = named[id_] = mark_name(id_) is not None
                        if hit:
                            marked.append(node)
                if tag in block_tags and node is not el:
                    if parts:
                        flush(blocks[-1])
                    elif state[1]:
                        state[1], state[2] = False, True
                    blocks.append(node)
                    opened.append(_BLOCK)
                elif tag == "a":
                    link_depth += 1
                    opened.append(_LINK)
                else:
                    opened.append(_INLINE)
                if text and (parts or not text.isspace()):  # a line never starts with spaces
                    parts.append(text)
                    if link_depth:
                        state[0] += len(collapse(text).strip(SPACES))
            continue
        kind = opened.pop()
        if not opened:
            break  # the end of `el` itself
        if kind == _BLOCK:
            if parts:
                flush(node)
            elif state[1]:
                state[1], state[2] = False, True
            blocks.pop()
        elif kind == _LINK:
            link_depth -= 1
        # (_PASSED: a skipped subtree, image or <br> opened nothing; only its tail counts)
        tail = node.tail
        if tail and (parts or not tail.isspace()):
            parts.append(tail)
            if link_depth:
                state[0] += len(collapse(tail).strip(SPACES))
    if parts:
        flush(el)
    return lines
