"""Publication dates as printed on Chinese pages, read into ISO 8601 (Beijing time unless a zone is named).

`2023-01-18 17:40:03` -> `2023-01-18T17:40:03+08:00`; `2023-01-18 17:40` -> `...17:40:00+08:00`;
`2023年1月18日` -> `2023-01-18` (no time shown, no time invented).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from crawler.patterns import (BEIJING_OFFSET, DATE, DATE_LABELS, ISO_OFFSET, NOT_PUBLISHED_LABELS, SPLIT_DATE,
                              UPDATE_LABELS, URL_DATE, UTC_MARK)

#: How far before a date its label may start ("发布时间：" plus spaces).
LABEL_WINDOW = 14


@dataclass(frozen=True)
class FoundDate:
    """A date read from text: its ISO value, where it starts, and what its label says."""

    iso: str
    start: int
    labelled: bool = False
    is_update: bool = False
    has_time: bool = False
    #: The label printed before the date (发布时间, 日期...), or "".
    label: str = ""


def iso_date(year: int, month: int, day: int, hour: int | None = None, minute: int | None = None,
             second: int | None = None, offset: str = BEIJING_OFFSET) -> str | None:
    """ISO 8601 text for a calendar date (and time), or None for an impossible date."""
    try:
        day_ = dt.date(year, month, day)
    except ValueError:
        return None
    if hour is None or minute is None:
        return day_.isoformat()
    return f"{day_.isoformat()}T{hour:02d}:{minute:02d}:{second or 0:02d}{offset}"


def _from_match(match: re.Match, text: str) -> str | None:
    g = match.groupdict()
    month = g.get("m") or g.get("m1") or g.get("m2")
    day = g.get("d") or g.get("d1") or g.get("d2")
    hour, minute, second = (int(g[k]) if g.get(k) else None for k in ("H", "M", "S"))
    if hour is None:
        hour, minute, second = _time_after(text, match.end())
    zone = text[max(0, match.start() - LABEL_WINDOW - 6):match.end() + 12]
    offset = "+00:00" if hour is not None and UTC_MARK.search(zone) else BEIJING_OFFSET
    return iso_date(int(g["y"]), int(month), int(day), hour, minute, second, offset)


def _time_after(text: str, end: int) -> tuple[int | None, int | None, int | None]:
    """A time printed just after a date but outside its match (a GMT label between them)."""
    rest = text[end:end + 24]
    label = UTC_MARK.search(rest)
    if label and label.start() < 14:
        rest = rest[label.start():]
        match = re.search(r"(?<!\d)([01]?\d|2[0-3])[:：]([0-5]\d)(?::([0-5]\d))?(?!\d)", rest[:16])
        if match:
            return int(match[1]), int(match[2]), int(match[3]) if match[3] else None
    return None, None, None


def find_dates(text: str) -> list[FoundDate]:
    """Every plausible date in `text`, in order, each with its label's verdict."""
    found = []
    for pattern in (DATE, SPLIT_DATE):
        for match in pattern.finditer(text):
            iso = _from_match(match, text)
            if not iso:
                continue
            before = text[max(0, match.start() - LABEL_WINDOW):match.start()]
            label_zone = before.replace("\n", " ")
            label = DATE_LABELS.search(label_zone)
            found.append(FoundDate(
                iso, match.start(),
                labelled=bool(label),
                is_update=bool(NOT_PUBLISHED_LABELS.search(label_zone)),
                has_time="T" in iso,
                label=label.group(1) if label else "",
            ))
        if found:
            break
    return sorted(found, key=lambda f: f.start)


def pick_published(text: str) -> FoundDate | None:
    """The publication date in a meta area: the first labelled one, else the first one.

    Dates labelled as update times, deadlines or today's date are skipped; an update time is
    only used when it is the only date there is (some sites print nothing else).
    """
    dates = find_dates(text)
    usable = [d for d in dates if not d.is_update]
    labelled = [d for d in usable if d.labelled]
    if labelled:
        return labelled[0]
    if usable:
        return usable[0]
    updates = [d for d in dates if UPDATE_LABELS.search(text[max(0, d.start - LABEL_WINDOW):d.start])]
    return updates[0] if updates else None


def parse_date_value(value: str) -> str | None:
    """ISO text for a date given alone (a meta tag's content), or None. An ISO time's own UTC
    offset is kept (2023-02-03T01:15:00Z -> ...+00:00); else Beijing time is meant."""
    dates = find_dates(value)
    if not dates:
        return None
    iso = dates[0].iso
    offset = ISO_OFFSET.search(value.strip())
    if offset and iso.endswith(BEIJING_OFFSET):
        zone = offset["offset"]
        zone = "+00:00" if zone == "Z" else (zone if ":" in zone else f"{zone[:3]}:{zone[3:]}")
        iso = iso[:-len(BEIJING_OFFSET)] + zone
    return iso


def url_date(url: str) -> str | None:
    """The day a TRS-style article URL (/t20230118_1001.html) was published on, date only."""
    match = URL_DATE.search(url)
    return iso_date(int(match["y"]), int(match["m"]), int(match["d"])) if match else None

