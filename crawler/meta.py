"""The meta line: publication date, 来源, author and editor, read near the headline.

The date is the first (labelled) one printed on the meta line; then one printed just before
the headline or, labelled, just after the body; then the page's date meta tag; then the day in a
TRS-style URL. Dates in links and in lists of other articles never count.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from itertools import islice

from lxml.html import HtmlElement

from crawler import dates, generic, labels
from crawler.body import Body
from crawler.layout import class_words, clean_text, element_text, is_noise
from crawler.patterns import (ANY_LABEL, AUTHOR_LABEL, DATE, DATE_LABELS, DATE_META_NAMES, SEPARATORS, SOURCE_BADGES,
                              PERSON_NAME, SITE_PLACEHOLDERS, SOURCE_LABEL, SOURCE_META_NAMES, SPACES,
                              VALUE_CHARS)


@dataclass
class Info:
    """Meta-line text. `pieces` is where the date and 来源 are looked for first: the profile's
    info element, else the text between headline and body (plus a meta line the CMS repeated
    at the top of the body). The regions around headline and body are fallbacks for the date."""

    pieces: list[generic.Piece]
    lead_meta: str = ""
    found_area: generic.MetaArea | None = None
    #: How to find the regions around headline and body when the profile's info element gave
    #: the meta line (looked for only if a field is still missing: a 来源 or credit under the body).
    around: Callable[[], generic.MetaArea] | None = None

    @property
    def area(self) -> generic.MetaArea | None:
        if self.found_area is None and self.around is not None:
            self.found_area = self.around()
        return self.found_area

    @property
    def text(self) -> str:
        return "\n".join(filter(None, (generic.joined(self.pieces), self.lead_meta)))

    @property
    def date_text(self) -> str:
        return "\n".join(filter(None, (generic.joined(self.pieces, dates_only=True), self.lead_meta)))


def read_info(root: HtmlElement, info_el: HtmlElement | None, title_el: HtmlElement | None,
              body_el: HtmlElement, lead_meta: str) -> Info:
    """The meta line: the profile's info element when it matched, else found around the headline."""
    if info_el is not None:
        return Info(generic.pieces_of(info_el), lead_meta,
                    around=lambda: generic.meta_area(root, title_el, body_el))
    area = generic.meta_area(root, title_el, body_el)
    return Info(area.after_title, lead_meta, area)


#: A field's value and the rule that read it (see crawler.parse's docstring), or (None, None).
Read = tuple[str | None, str | None]


def published_at(root: HtmlElement, meta: dict[str, str], url: str, info: Info,
                 title_el: HtmlElement | None, body_el: HtmlElement) -> Read:
    """The printed date near the headline; else one printed just before the headline or, under
    the body, labelled or beside a byline/来源; else the page's date meta tag; else the TRS URL's day."""
    found = dates.pick_published(info.date_text)
    if found:
        return found.iso, f"labelled line {found.label}" if found.label else "meta line"
    area = info.area or generic.meta_area(root, title_el, body_el)
    found = dates.pick_published(generic.joined(area.before_title, dates_only=True))
    if found:
        return found.iso, "above headline"
    # Below the body a date counts when labelled or beside a credit; it may sit in an aside.
    below = generic.joined(area.after_body, dates_only=True, by_name=False)
    found = dates.pick_published(below)
    if found and (found.labelled or _beside_credit(below, found.start)):
        return found.iso, f"under body {found.label}" if found.label else "under body byline"
    if found and found.start == 0 and _date_alone(below):
        return found.iso, "date line under body"
    for name in DATE_META_NAMES:
        if name in meta and (iso := dates.parse_date_value(meta[name])):
            return iso, f"meta {name}"
    iso = dates.url_date(url)
    return (iso, "url day") if iso else (None, None)


def _date_alone(text: str) -> bool:
    """True when the text's first line is a date and nothing else (a notice's closing date)."""
    line = text.split("\n", 1)[0]
    return not DATE.sub("", line).strip(SPACES + SEPARATORS)


def _beside_credit(text: str, at: int) -> bool:
    """True when the date's line also names the author or the 来源 (a byline line)."""
    line = text[text.rfind("\n", 0, at) + 1:(text.find("\n", at) + 1 or len(text) + 1) - 1]
    return bool(AUTHOR_LABEL.search(line) or SOURCE_LABEL.search(line))


def source(info: Info, body: Body, meta: dict[str, str], site_names: frozenset[str] = frozenset()) -> Read:
    """The labelled 来源 on the meta line; else a 来源 line closing the body; else an unlabelled
    source slot beside the date (portal templates print the medium's name there); else a
    labelled 来源 under the body; else the 来源 meta tag (Hanweb's ContentSource), unless it is
    the CMS's default filling (the site's own name, 本网) or the page prints that unit under
    another label (责任部门：…, 发布机构：…): then the page names no 来源."""
    found = labels.labelled_source(info.text)
    if found:
        return found[0], f"labelled line {found[1]}"
    if body.source:
        return body.source, "body edge line"
    value = _slot_source(info.pieces)
    if value:
        return value, "date slot"
    area = info.area
    if area and area.after_body:
        found = labels.labelled_source(generic.joined(area.after_body))
        if found:
            return found[0], f"under body {found[1]}"
    for name in SOURCE_META_NAMES:
        if name in meta and (value := _meta_source(meta[name])) and value not in site_names \
                and value not in SITE_PLACEHOLDERS:
            printed = info.text + "".join(t for part in (area.before_title, area.after_body) for t, _ in part) \
                if area else info.text
            labelled = re.search(rf"[:：]\s*{re.escape(value)}", printed)
            return (None, None) if labelled else (value, f"meta {name}")
    return None, None


def _meta_source(value: str) -> str | None:
    value = clean_text(value)
    return value if 2 <= len(value) <= labels.MAX_SOURCE_CHARS and VALUE_CHARS.fullmatch(value) else None


def author(info: Info, body: Body) -> Read:
    """The 作者/记者 name on the meta line, else a byline at the body's edge (or the dateline
    credit opening its lead), else a labelled name under the body."""
    found = labels.labelled_author(info.text)
    if found:
        return found[0], f"labelled line {found[1]}"
    if body.author:
        return body.author, "body edge line"
    if name := _slot_author(info.pieces):
        return name, "date slot"
    if info.area and info.area.after_body:
        found = labels.labelled_author(generic.joined(info.area.after_body))
        if found:
            return found[0], f"under body {found[1]}"
    return None, None


def _slot_source(pieces: list[generic.Piece]) -> str | None:
    found = _slot(pieces)
    return found[0] if found else None


def _slot(pieces: list[generic.Piece]) -> tuple[str, str] | None:
    """The medium's name in the slot beside the date, and the slot's whole text."""
    for index, (text, el) in enumerate(pieces):
        if el is None or not DATE.search(text):
            continue
        for step in (1, -1):
            near = generic.text_pieces_near(pieces, index, step)
            value = _slot_value(near) if near and _close_kin(el, near[1]) else None
            if value:
                return value, clean_text(near[0])
        return None
    return None


def _slot_author(pieces: list[generic.Piece]) -> str | None:
    """A person's name before the medium in the date slot: 石佳/中国青年报 -> 石佳."""
    found = _slot(pieces)
    if not found or "/" not in found[1]:
        return None
    name = found[1].strip(SEPARATORS + SPACES).rsplit("/", 1)[0].strip(SEPARATORS + SPACES)
    return name if PERSON_NAME.fullmatch(name) and not ANY_LABEL.match(name) else None


def _close_kin(a: HtmlElement, b: HtmlElement) -> bool:
    """True when two elements share a parent or grandparent: parts of one meta line, not of
    the share bar or toolbar that follows it."""
    family = {a, *islice(a.iterancestors(), 2)}
    return any(node in family for node in (b, *islice(b.iterancestors(), 2)))


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
    near = [el, *islice(el.iterancestors(), 2)]
    # An author's slot, or a command in the toolbar beside the date (我有话说, 分享) is no medium.
    return None if any("author" in class_words(node) or is_noise(node) for node in near) else value


def editor(el: HtmlElement | None, css: str | None, info: Info, body: Body) -> Read:
    """The 责任编辑 in the profile's editor element, else in the text just after the body, else
    an editor line at the body's edge."""
    if el is not None:
        value = labels.editor_value(element_text(el))
        if value:
            return value, f"profile:{css}"
    area = info.area
    if el is None and area and area.after_body:
        value = labels.editor_value(generic.joined(area.after_body))
        if value:
            return value, "under body"
    return (body.editor, "body edge line") if body.editor else (None, None)
