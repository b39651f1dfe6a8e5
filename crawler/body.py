"""The article body: the body block's lines, cleaned of furniture, captions and credit lines.

Credit lines found at the body's edges are not thrown away: a `（责任编辑：…）` paragraph gives
the editor, a closing `来源：…` line the source, a byline the author, and a date/来源 line the CMS
repeated at the top is handed back for the meta-line readers.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from urllib.parse import parse_qsl, urlsplit

from lxml.html import HtmlElement

from crawler import dates, generic, labels
from crawler.layout import Line, class_words, clean_text, lay_out, text_of
from crawler.patterns import (ATTACHMENT_EXTENSIONS, MEDIUM_CREDIT, WIRE_DATELINE, BODY_NOISE_LINE, BYLINE, CAPTION_LINE, CAPTION_WORDS, CENTRED, DATE,
                              DOWNLOAD_PATH,
                              EDITOR_LINE, MAX_BYLINE_CHARS, MAX_CAPTION_CHARS, NUMBERED_HEADING, PARAGRAPH_TAGS,
                              SENTENCE_MARKS, SIGN_OFF, SOURCE_LABEL, DATELINE_CREDIT, AUTHOR_LABEL, EDITOR_LABEL, FOOTNOTE_MARK, KICKER, SPACE_RUN,
                              SOURCE_LINE, SPACES)

#: Body lines at either end that are checked for credit lines (editor, 来源, byline).
EDGE_LINES = 3
#: Longest line read as a caption under a centred picture.
MAX_PICTURE_CAPTION_CHARS = 40


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


def read_body(body_el: HtmlElement, title: str | None, index: generic.PageIndex | None = None) -> Body:
    """The body block's paragraphs, one per line, and the credit lines found at its edges.
    With the page's index, the lines generic extraction already laid out are reused."""
    noise = generic.noise_inside(body_el)
    laid_out = generic.lines_within(index, body_el, noise)
    laid_out = laid_out if laid_out is not None else lay_out(body_el, noise)
    body = Body([])
    laid_out = _read_credit_lines(laid_out, body)
    lines = _body_lines(laid_out)
    lead = []
    while lines and (lines[0].text == title or _is_meta_line(lines[0].text)):
        lead.append(lines.pop(0).text)
    body.lead_meta = "\n".join(lead)
    for index, line in enumerate(lines):
        at_start, at_end = index < EDGE_LINES - 1, index >= len(lines) - EDGE_LINES
        if match := EDITOR_LINE.match(line.text):
            body.editor = body.editor or labels.editor_value(line.text) or match["name"] or None
        elif (at_start or at_end) and (match := SOURCE_LINE.match(line.text)):
            body.source = body.source or match["value"].strip()
        elif (at_start or at_end) and len(line.text) <= MAX_BYLINE_CHARS and (match := BYLINE.match(line.text)):
            body.author = body.author or match["name"]
        elif at_start and (match := DATELINE_CREDIT.match(line.text)) and match.end() == len(line.text):
            body.author = body.author or match["name"]  # 本报讯（记者 林蜀涛） on a line of its own
        else:
            body.lines.append(line)
    body.lines = _trim_edges(body.lines, title, title in lead)
    if not body.author and body.lines and (match := DATELINE_CREDIT.match(body.lines[0].text)):
        body.author = match["name"]
    if body.lines:
        body.lines[0] = _without_medium_credit(body.lines[0])
    return body


def _without_medium_credit(line: Line) -> Line:
    """The lead without a bare medium credit ("1905电影网讯 …"): the source says who reported
    it; a credit naming reporters (北京商报讯（记者 …）) or a wire dateline (…讯 北京时间…消息)
    carries more than the medium's name and stays."""
    match = MEDIUM_CREDIT.match(line.text)
    if match is None or WIRE_DATELINE.match(line.text[match.end():]):
        return line
    return replace(line, text=line.text[match.end():])


def _container(line: Line) -> HtmlElement:
    """The block a line's paragraph sits in (a <p>'s parent; a <div> holding text itself)."""
    block = line.block
    parent = block.getparent() if block.tag in PARAGRAPH_TAGS else None
    return parent if parent is not None else block


def _trim_edges(lines: list[Line], title: str | None, headline_repeated: bool = False) -> list[Line]:
    """Furniture at the body's edges, left out by its shape:
    - on top: the headline repeated (with a footnote mark) and the short unpunctuated lines right
      under it (a bulletin's issuing bodies and date), or such lines centred like a heading; a
      kicker in 【】; a very short label line (开栏的话); but never a numbered heading or an addressee line (各基层工会：);
    - at the end: a whole-line bracketed sign-off (（万载县统计局）, （完）), a dangling label
      whose links were dropped (点击进入专题：), and a site-home link glued to the last line;
    - at either end, when one container holds most of the text (or twice as much as any other):
      lines from another container (a summary box or video player over the text, a gallery or
      like-button widget under it).
    """
    if len(lines) < 2:
        return lines
    lines = _strip_home_link(lines)
    weights: dict[HtmlElement, int] = {}
    for line in lines:
        weights[_container(line)] = weights.get(_container(line), 0) + len(line.text)
    ranked = sorted(weights.values(), reverse=True)
    main, top = max(weights.items(), key=lambda kv: kv[1])
    runner_up = ranked[1] if len(ranked) > 1 else 0
    main = main if top >= 0.6 * sum(weights.values()) or top >= 2 * runner_up else None
    start = 0
    if headline_repeated or (title and _repeats_headline(lines[0].text, title)):
        start = 0 if headline_repeated else 1
        while start < len(lines) - 1 and _unpunctuated(lines[start], 30):
            start += 1
    while start < len(lines) - 1 and _leading_furniture(lines[start], main):
        start += 1
    end = len(lines)
    while end > start + 1 and _trailing_furniture(lines[end - 1], main):
        end -= 1
    return lines[start:end]


def _repeats_headline(text: str, title: str) -> bool:
    """The headline printed again on top of the text, maybe with a footnote mark: '…公报[1]'."""
    squeeze = lambda t: SPACE_RUN.sub("", t)  # noqa: E731
    text, title = squeeze(FOOTNOTE_MARK.sub("", text)), squeeze(title)
    return bool(text) and text == title


def _unpunctuated(line: Line, limit: int) -> bool:
    text = line.text
    return (len(text) <= limit and not _is_sentence(text) and not NUMBERED_HEADING.match(text)
            and not text.endswith(("：", ":")) and not line.link_chars)


def _is_sentence(text: str) -> bool:
    return any(mark in text for mark in SENTENCE_MARKS)


def _leading_furniture(line: Line, main: HtmlElement | None) -> bool:
    text = line.text
    if main is not None and _container(line) is not main and len(text) <= 300:
        return True
    return bool(KICKER.match(text)) or _unpunctuated(line, 8) or (_unpunctuated(line, 30) and _centred(line.block))


def _trailing_furniture(line: Line, main: HtmlElement | None) -> bool:
    text = line.text
    if SIGN_OFF.match(text) or (text.endswith(("：", ":")) and len(text) <= 20):
        return True
    return main is not None and _container(line) is not main and len(text) <= 20 and not _is_sentence(text)


def _strip_home_link(lines: list[Line]) -> list[Line]:
    """The last line without a trailing link to the site's home page (返回…首页, 查看更多)."""
    last = lines[-1]
    for a in last.block.iter("a"):
        href = (a.get("href") or "").strip()
        text = clean_text(text_of(a))
        try:
            path = urlsplit(href).path
        except ValueError:
            continue
        if href and path in ("", "/") and not href.startswith("#") and text and last.text.endswith(text) \
                and len(text) < len(last.text):
            return [*lines[:-1], replace(last, text=last.text[:-len(text)].rstrip())]
    return lines


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


def _read_credit_lines(lines: list[Line], body: Body) -> list[Line]:
    """A line closing the body that only lists credits (`本文来源：中国新闻网 作者：李金磊
    责任编辑：NF055`) gives the source, author and editor, and is no article text."""
    kept = list(lines)
    for line in lines[-EDGE_LINES:]:
        text = line.text
        labels_on_line = sum(bool(p.search(text)) for p in (SOURCE_LABEL, AUTHOR_LABEL, EDITOR_LABEL))
        if labels_on_line >= 2 and len(text) <= 80 and not _is_sentence(text):
            body.source = body.source or labels.source_value(text)
            body.author = body.author or labels.author_value(text)
            body.editor = body.editor or labels.editor_value(text)
            kept.remove(line)
    return kept


def _body_lines(laid_out: list[Line]) -> list[Line]:
    """The lines that are article text. Captions stacked under a picture go too: after a
    caption, the short centred lines without sentence marks that follow it are captions."""
    kept, in_captions = [], False
    for line in laid_out:
        if is_body_line(line):
            if in_captions and _is_caption_like(line) and not _is_sentence(line.text):
                continue
            kept.append(line)
            in_captions = False
        else:
            in_captions = line.after_image and _is_caption_like(line)
    return kept


def _is_caption_like(line: Line) -> bool:
    return len(line.text) <= MAX_PICTURE_CAPTION_CHARS and _centred(line.block)


def _centred(el: HtmlElement) -> bool:
    return any(CENTRED.search(value) for value in (el.get("style", ""), el.get("class", ""), el.get("align", ""), el.tag))


def _is_attachment_line(line: Line) -> bool:
    return any(is_attachment(a.get("href", ""), text_of(a)) for a in line.block.iterdescendants("a")
               if a.get("href") is not None)


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
