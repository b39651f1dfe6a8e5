"""Scoring extracted records against a labelled corpus, by the corpus README's rules.

Used by the extraction-quality gate (tests/test_corpus.py) and by bench/extract.py, which runs
unionnews, GNE and trafilatura over the same pages. A corpus is a folder with `labels.json` and
the pages it names; labels carry title, date (YYYY-MM-DD), time (HH:MM[:SS] or null), source
(or null) and body_start/body_end snippets.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

FIELDS = ("title", "date", "time", "source", "body")
_WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Labelled:
    """One corpus page and its hand-checked label record."""

    id: str
    path: Path
    url: str
    label: dict


@dataclass(frozen=True)
class Extracted:
    """What an extractor returned for a page, in the corpus's terms (any field may be None)."""

    title: str | None = None
    date: str | None = None
    time: str | None = None
    source: str | None = None
    body: str | None = None


@dataclass
class Score:
    """Per-field hits and the number of pages each field was scored on."""

    hits: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    scored: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    misses: dict[str, list[str]] = field(default_factory=lambda: {f: [] for f in FIELDS})

    def accuracy(self, name: str) -> float:
        return self.hits[name] / self.scored[name] if self.scored[name] else 0.0


def normalize(text: str | None) -> str:
    """NFKC, all whitespace removed: the corpus's comparison form."""
    return _WHITESPACE.sub("", unicodedata.normalize("NFKC", text or ""))


def load_corpus(folder: Path) -> list[Labelled]:
    """The labelled pages of a corpus folder, in id order."""
    labels = json.loads((folder / "labels.json").read_text(encoding="utf-8"))
    return [Labelled(item["id"], folder / item["file"], f"http://{item.get('site') or 'example.org'}/{item['id']}.html", item)
            for item in sorted(labels, key=lambda item: item["id"])]


def from_record(record: dict) -> Extracted:
    """A unionnews record in the corpus's terms: published_at split into date and time."""
    published = record.get("published_at") or ""
    return Extracted(record.get("title"), published[:10] or None,
                     published[11:16] if len(published) > 10 else None,
                     record.get("source"), record.get("body"))


def field_hits(label: dict, got: Extracted) -> dict[str, bool | None]:
    """Per field: True/False, or None when the field is not scored on this page."""
    body = normalize(got.body)
    return {
        "title": normalize(got.title) == normalize(label["title"]),
        "date": got.date == label["date"],
        "time": (got.time or "")[:5] == label["time"][:5] if label.get("time") else None,
        "source": (normalize(got.source) == normalize(label["source"])) if label.get("source")
        else got.source is None,
        "body": bool(body) and normalize(label["body_start"]) in body and normalize(label["body_end"]) in body,
    }


def add(score: Score, page_id: str, hits: dict[str, bool | None]) -> None:
    """Count one page's field hits into a running score."""
    for name, hit in hits.items():
        if hit is None:
            continue
        score.scored[name] += 1
        score.hits[name] += bool(hit)
        if not hit:
            score.misses[name].append(page_id)
