"""Labelled values on an article's meta line: 来源 (source), 作者/记者 (author), 责任编辑 (editor).

Each reader takes the meta line's text (pieces joined by newlines) and returns the value only:
`来源：四川省直属机关工会委员会  浏览次数:` -> `四川省直属机关工会委员会`. A value stops at
whitespace, at the next label, or at a date, so a 来源 never swallows the author or the time.
"""

from __future__ import annotations

from crawler.patterns import (ANY_LABEL, AUTHOR_LABEL, DATE, EDITOR_LABEL, PERSON_NAME, ROLE_PREFIX, SOURCE_LABEL,
                              SPACES, VALUE_CHARS)

#: Longest plausible 来源 value (a unit's full name); longer runs are prose, not a label value.
MAX_SOURCE_CHARS = 30
_TRAILING = "·.-—－/／、&"


def _value_after(text: str, start: int) -> str | None:
    """The value that starts at `start` (after a label and its colon), cut at the next stop."""
    rest = text[start:start + 80].lstrip(SPACES)
    match = VALUE_CHARS.match(rest)
    if not match or ANY_LABEL.match(rest):  # an empty 来源： followed by the next label
        return None
    value = match.group(0)
    for stop in (ANY_LABEL.search(value, 1), DATE.search(value)):
        if stop:
            value = value[:stop.start()]
    value = _balance(value.strip(_TRAILING))
    return value or None


def _balance(value: str) -> str:
    """Drop an unmatched closing bracket a value picked up from its surroundings: '新华网）'."""
    for opening, closing in (("(", ")"), ("（", "）"), ("《", "》")):
        while value.endswith(closing) and value.count(closing) > value.count(opening):
            value = value[:-1]
        while value.startswith(opening) and value.count(opening) > value.count(closing):
            value = value[1:]
    return value


def source_value(text: str) -> str | None:
    """The first labelled 来源 value in a meta line, or None when there is no labelled value."""
    found = labelled_source(text)
    return found[0] if found else None


def labelled_source(text: str) -> tuple[str, str] | None:
    """The first labelled 来源 value in a meta line and its label: ('市总工会', '信息来源')."""
    for label in SOURCE_LABEL.finditer(text):
        value = _value_after(text, label.end())
        if value and len(value) <= MAX_SOURCE_CHARS and not ANY_LABEL.match(value):
            return value, label.group(0).strip(SPACES + ":：|丨｜")
    return None


def _person_after(text: str, start: int) -> str | None:
    rest = text[start:start + 40].lstrip(SPACES + ":：")
    rest = ROLE_PREFIX.sub("", rest, count=1)
    match = PERSON_NAME.match(rest)
    if not match or ANY_LABEL.match(rest):  # an empty 作者: followed by the next label
        return None
    name = match.group(0).strip()
    stop = ANY_LABEL.search(rest, 1, match.end() + 4)  # a label the name ran into: 胡彬强发布时间
    return (name[:stop.start()].strip() if stop and stop.start() < len(name) else name) or None


def author_value(text: str) -> str | None:
    """The first 作者/记者/通讯员 name in a meta line, or None."""
    found = labelled_author(text)
    return found[0] if found else None


def labelled_author(text: str) -> tuple[str, str] | None:
    """The first 作者/记者/通讯员 name in a meta line and its label: ('张三', '记者')."""
    for label in AUTHOR_LABEL.finditer(text):
        name = _person_after(text, label.end())
        if name:
            return name, label.group(0).strip(SPACES + ":：/|")
    return None


def editor_value(text: str) -> str | None:
    """The 责任编辑/编辑 name in a line such as `责任编辑：某某` or `（责任编辑：某某）`, or None."""
    for label in EDITOR_LABEL.finditer(text):
        name = _person_after(text, label.end())
        if name:
            return name
    return None
