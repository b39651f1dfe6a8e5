"""The meta line: publication date, 来源, author and editor, read near the headline.

The date is the first (labelled) one printed on the meta line; then one printed just before
the headline or, labelled, just after the body; then the page's date meta tag; then the day in a
TRS-style URL. Dates in links and in lists of other articles never count.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml.html import HtmlElement

from crawler import dates, generic, labels
from crawler.body import Body
from crawler.layout import class_words, clean_text, element_text
from crawler.patterns import (ANY_LABEL, AUTHOR_LABEL, DATE, DATE_LABELS, DATE_META_NAMES, SEPARATORS, SOURCE_BADGES,
                              SPACES, VALUE_CHARS)


@dataclass
class Info:
    """Meta-line text. `pieces` is where the date and 来源 are looked for first: the profile's
    info element, else the text between headline and body (plus a meta line the CMS repeated
    at the top of the body). The regions around headline and body are fallbacks for the date."""

    pieces: list[generic.Piece]
    lead_meta: str = ""
    area: generic.MetaArea | None = None

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
        return Info(generic.pieces_of(info_el), lead_meta)
    area = generic.meta_area(root, title_el, body_el)
    return Info(area.after_title, lead_meta, area)


def published_at(root: HtmlElement, meta: dict[str, str], url: str, info: Info,
                 title_el: HtmlElement | None, body_el: HtmlElement) -> str | None:
    """The printed date near the headline; else one printed just before the headline or
    (labelled) just after the body; else the page's date meta tag; else the TRS URL's day."""
    found = dates.pick_published(info.date_text)
    if found:
        return found.iso
    area = info.area or generic.meta_area(root, title_el, body_el)
    found = dates.pick_published(generic.joined(area.before_title, dates_only=True))
    if found:
        return found.iso
    # Only a labelled date counts below the body; it may sit in an aside ("时间：…").
    found = dates.pick_published(generic.joined(area.after_body, dates_only=True, by_name=False))
    if found and found.labelled:
        return found.iso
    for name in DATE_META_NAMES:
        if name in meta and (iso := dates.parse_date_value(meta[name])):
            return iso
    return dates.url_date(url)


def source(info: Info, body: Body) -> str | None:
    """The labelled 来源 on the meta line; else a 来源 line closing the body; else an unlabelled
    source slot beside the date (portal templates print the medium's name there)."""
    return labels.source_value(info.text) or body.source or _slot_source(info.pieces)


def _slot_source(pieces: list[generic.Piece]) -> str | None:
    for index, (text, el) in enumerate(pieces):
        if el is None or not DATE.search(text):
            continue
        for step in (1, -1):
            near = generic.text_pieces_near(pieces, index, step)
            value = _slot_value(near) if near and _close_kin(el, near[1]) else None
            if value:
                return value
        return None
    return None


def _close_kin(a: HtmlElement, b: HtmlElement) -> bool:
    """True when two elements share a parent or grandparent: parts of one meta line, not of
    the share bar or toolbar that follows it."""
    family = {a, *list(a.iterancestors())[:2]}
    return any(node in family for node in (b, *list(b.iterancestors())[:2]))


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
    near = [el, *list(el.iterancestors())[:2]]
    return None if any("author" in class_words(node) for node in near) else value


def editor(el: HtmlElement | None, info: Info) -> str | None:
    """The 责任编辑 in the profile's editor element, else in the text just after the body."""
    if el is not None:
        return labels.editor_value(element_text(el))
    area = info.area
    return labels.editor_value(generic.joined(area.after_body)) if area and area.after_body else None
