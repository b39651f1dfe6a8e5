"""The article body: the body block's lines, cleaned of furniture, captions and credit lines.

Credit lines found at the body's edges are not thrown away: a `（责任编辑：…）` paragraph gives
the editor, a closing `来源：…` line the source, a byline the author, and a date/来源 line the CMS
repeated at the top is handed back for the meta-line readers.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

from lxml import etree
from lxml.html import HtmlElement

from crawler import dates, generic, labels
from crawler.layout import Line, class_words, lay_out
from crawler.patterns import (ATTACHMENT_EXTENSIONS, BODY_NOISE_LINE, BYLINE, CAPTION_LINE, CAPTION_WORDS, CENTRED, DATE,
                              DOWNLOAD_PATH,
                              EDITOR_LINE, MAX_BYLINE_CHARS, MAX_CAPTION_CHARS, SENTENCE_MARKS, SOURCE_LABEL,
                              SOURCE_LINE, SPACES)

#: Body lines at either end that are checked for credit lines (editor, 来源, byline).
EDGE_LINES = 3
#: Longest line read as a caption under a centred picture.
MAX_PICTURE_CAPTION_CHARS = 40
_ANCHORS = etree.XPath(".//a[@href]")


@dataclass
class Body:
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


def read_body(body_el: HtmlElement, title: str | None) -> Body:
    """The body block's paragraphs, one per line, and the credit lines found at its edges."""
    lines = [ln for ln in lay_out(body_el, generic.noise_inside(body_el)) if is_body_line(ln)]
    body = Body([])
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


def is_body_line(line: Line) -> bool:
    """False for lines that are page furniture or picture captions, not article text."""
    text = line.text
    if BODY_NOISE_LINE.match(text):
        return False
    if line.link_ratio > 0.6 and not _is_attachment_line(line):
        return False
    if len(text) <= MAX_CAPTION_CHARS and (CAPTION_LINE.search(text) or class_words(line.block) & CAPTION_WORDS):
        return False
    if line.after_image and len(text) <= MAX_PICTURE_CAPTION_CHARS and _centred(line.block):
        return False
    return not (line.has_image and len(text) <= 30 and not any(p in text for p in "，。；！？"))


def _centred(el: HtmlElement) -> bool:
    return any(CENTRED.search(value) for value in (el.get("style", ""), el.get("class", ""), el.get("align", ""), el.tag))


def _is_attachment_line(line: Line) -> bool:
    return any(is_attachment(a.get("href", ""), a.text_content()) for a in _ANCHORS(line.block))


def _is_meta_line(text: str) -> bool:
    """A date/来源 line repeated at the top of the body: dates, labels and values only. A
    sentence that opens with a date (`2023年2月3日，市总工会召开全委会议。`) is the lead."""
    if len(text) > 80 or not (found := dates.find_dates(text)):
        return False
    rest = text[:found[0].start] + DATE.sub("", text[found[0].start:])
    if any(mark in rest for mark in SENTENCE_MARKS):
        return False
    return bool(SOURCE_LABEL.search(text)) or len(text) <= 40


def is_attachment(href: str, text: str = "") -> bool:
    """True for a link to a file the archive keeps (PDF, Word, Excel, archives...): the file's
    extension in the URL's path, in a query value (downfile.jsp?filename=X.pdf), or, for download
    scripts that name no file, at the end of the link text (`2023年工作要点.pdf`), or a link to
    a download script (down.jsp?i_ID=…)."""
    try:
        parts = urlsplit(href.strip())
    except ValueError:  # a malformed link ("http://[x") is no attachment, and no reason to fail
        return False
    if not href.strip() or parts.scheme not in ("", "http", "https", "ftp"):
        return False
    if _names_a_file(parts.path) or (parts.query and any(_names_a_file(v) for _, v in parse_qsl(parts.query))):
        return True
    if DOWNLOAD_PATH.search(parts.path):
        return True
    return bool(text) and _names_a_file(text.strip(SPACES + "】]）)"))


def _names_a_file(name: str) -> bool:
    last = name.rsplit("/", 1)[-1]
    return "." in last and last.rsplit(".", 1)[-1].lower() in ATTACHMENT_EXTENSIONS
