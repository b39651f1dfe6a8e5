"""Page tree helpers: parse and clean a page, and lay its text out in lines like a browser would.

A "line" is the text of one block (a <p>, a heading, a <div> holding text, or a run of text
between <br>s), with how much of it sits inside links and whether an image shares its block.
Body extraction and scoring both work on lines, so paragraphs come out one per line whatever
mix of <p>, <div> and <br> a CMS writes.
"""

from __future__ import annotations

from dataclasses import dataclass
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
_SCRIPTS_WITH_LINKS = etree.XPath("//script[contains(., 'href')]")
_HIDDEN = etree.XPath("//*[@hidden or contains(@style, 'none') or contains(@style, 'hidden')]")


@dataclass
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


def parse_tree(text: str) -> HtmlElement:
    """Parse page text into an lxml tree, without comments, scripts, styles or hidden elements."""
    text = XML_DECLARATION.sub("", text, count=1)
    root = lxml.html.document_fromstring(text, parser=_PARSER)
    _keep_scripted_file_links(root)
    etree.strip_elements(root, *DROP_TAGS, with_tail=False)
    for el in _HIDDEN(root):
        if el.getparent() is not None and (el.get("hidden") is not None or HIDDEN_STYLE.search(el.get("style", ""))):
            el.drop_tree()  # keeps the element's tail text in place
    return root


def _keep_scripted_file_links(root: HtmlElement) -> None:
    """Links to files that a script writes into the page (TRS's `var file_appendix = '<a
    href="./P0….pdf">…</a>'; document.write(…)`) are put where the script stood, so an article's
    attachments survive the removal of scripts."""
    for script in _SCRIPTS_WITH_LINKS(root):
        links = [m for m in SCRIPTED_LINK.finditer(script.text or "") if FILE_HREF.search(m["href"])]
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
    return SPACE_RUN.sub(" ", text).strip(SPACES)


def element_text(el: HtmlElement | None) -> str:
    """The visible text of an element on one line."""
    return clean_text(el.text_content()) if el is not None else ""


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
    return el.tag in ("nav", "footer", "aside") or bool(class_words(el) & NOISE_WORDS)


class _LineBuilder:
    """Accumulates text into lines while an element tree is walked in document order."""

    def __init__(self) -> None:
        self.lines: list[Line] = []
        self.parts: list[str] = []
        self.link_chars = 0
        self.has_image = False
        self.image_pending = False

    def add(self, text: str | None, in_link: bool) -> None:
        if text:
            self.parts.append(text)
            if in_link:
                self.link_chars += len(clean_text(text))

    def flush(self, block: HtmlElement) -> None:
        text = clean_text("".join(self.parts))
        if text:
            self.lines.append(Line(text, block, min(self.link_chars, len(text)), self.has_image,
                                   self.image_pending))
            self.image_pending = False
        elif self.has_image:
            self.image_pending = True
        self.parts, self.link_chars, self.has_image = [], 0, False


def lay_out(el: HtmlElement, skip: frozenset[HtmlElement] | set = frozenset()) -> list[Line]:
    """The lines of text inside `el`, in order; subtrees in `skip` are left out."""
    builder = _LineBuilder()
    _walk(el, el, builder, False, skip)
    builder.flush(el)
    return builder.lines


def _walk(el: HtmlElement, block: HtmlElement, out: _LineBuilder, in_link: bool, skip) -> None:
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag == "img":
        out.has_image = True
    elif tag == "br":
        out.flush(block)
    else:
        is_block = tag in BLOCK_TAGS
        if is_block:
            out.flush(block)
            block = el
        in_link = in_link or tag == "a"
        out.add(el.text, in_link)
        for child in el:
            if child in skip:
                out.add(child.tail, in_link)
                continue
            _walk(child, block, out, in_link, skip)
            out.add(child.tail, in_link)
        if is_block:
            out.flush(block)
