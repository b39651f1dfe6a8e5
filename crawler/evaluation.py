"""The strict extraction-quality gate: every labelled page scored field by field, against a baseline.

Three sets of labelled pages are scored, each page field by field, pass or fail:

- `corpus/<id>`: the 40 real pages of ../shared/corpus, by its labels.json. Scored as users
  judge them, stricter than that corpus's README:
  - title: equal after NFKC and removal of all whitespace (`normalize`);
  - date: equal (YYYY-MM-DD);
  - time: equal to the minute, scored only where a time is labelled; the record's published_at
    must then carry the +08:00 offset too (or the offset of CORPUS_OFFSETS, where the page's
    notes say the time shown is GMT);
  - source: equal after `normalize`; a null label must give None;
  - author: equal after `normalize`, scored **only on pages whose label names an author** (the
    corpus README calls author informational: a null author label is not evidence that the page
    shows none, so None is never demanded);
  - editor, column: scored the same way where a label gives them (the corpus gives neither);
  - body: after `normalize` the extracted body must START with the label's body_start and END
    with its body_end. Noise at either edge (a caption, a 原标题 or 责任编辑 line, a share bar)
    fails; merely containing both snippets does not pass.
- `articles/<name>`: tests/fixtures/articles/*/ (body.html raw bytes, url.txt, expected.json),
  and `pages/<name>`: tests/fixtures/pages/*/ (the same layout, maybe charset.txt). Their labels
  are whole records, so every field is compared exactly: title, date (published_at[:10]), time
  (the rest of published_at, "" for a date-only label: a time where none is shown fails),
  source, author, editor, body (the whole text, one paragraph per line), column, images,
  attachments.

A page the parser refuses (NotAnArticle) fails every field it is scored on.

The baseline (tests/fixtures/extraction_baseline.json) records per page id and field whether it
passes. The gate fails when a page-field that passed in the baseline fails now, when the baseline
names a page-field that is no longer scored, and when a scored page-field is missing from the
baseline; it reports (without failing) page-fields that now pass where the baseline says fail.
Rewrite it deliberately:

    python3 -m crawler.evaluation                      # figures per set and field, and every miss
    python3 -m crawler.evaluation --update-baseline    # record what passes today

Also used by bench/extract.py, which scores unionnews, GNE and trafilatura on the corpus with
`field_hits` (other extractors report no offset, so the +08:00 rule applies to unionnews only).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from crawler.parse import NotAnArticle, parse_article

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / ".." / "shared" / "corpus"
FIXTURES = REPO / "tests" / "fixtures"
FIXTURE_SETS = ("articles", "pages")
BASELINE = FIXTURES / "extraction_baseline.json"

#: Fields scored on the corpus (bench/extract.py prints these).
FIELDS = ("title", "date", "time", "source", "author", "body")
#: Fields scored on a whole-record fixture.
RECORD_FIELDS = ("title", "date", "time", "source", "author", "editor", "body", "column", "images",
                 "attachments")
#: Offset a published_at with a time must carry.
OFFSET = "+08:00"
#: Corpus pages whose notes say the time shown is not Beijing time, and the offset it then takes
#: (040: "格林尼治标准时间10:41", the notes give the ISO value as ...T10:41+00:00).
CORPUS_OFFSETS = {"040": "+00:00"}
_WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Labelled:
    """One corpus page and its hand-checked label record."""

    id: str
    path: Path
    url: str
    label: dict


@dataclass(frozen=True)
class Fixture:
    """One stored page whose label is the whole record parse_article must return."""

    id: str
    path: Path
    url: str
    charset: str | None
    expected: dict


@dataclass(frozen=True)
class Extracted:
    """What an extractor returned for a page, in the corpus's terms (any field may be None).

    `offset` is what follows the time in published_at ("+08:00"), None when the extractor
    reports none (GNE, trafilatura); `author` None when it has no author field.
    """

    title: str | None = None
    date: str | None = None
    time: str | None = None
    source: str | None = None
    body: str | None = None
    author: str | None = None
    offset: str | None = None
    editor: str | None = None
    column: str | None = None


@dataclass(frozen=True)
class Outcome:
    """One page-field: passed or not, and what was expected and got (for the failure message)."""

    hit: bool
    expected: Any
    got: Any


@dataclass
class Score:
    """Per-field hits and the number of pages each field was scored on."""

    fields: tuple[str, ...] = FIELDS
    hits: dict[str, int] = field(default_factory=dict)
    scored: dict[str, int] = field(default_factory=dict)
    misses: dict[str, list[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name in self.fields:
            self.hits.setdefault(name, 0)
            self.scored.setdefault(name, 0)
            self.misses.setdefault(name, [])

    def accuracy(self, name: str) -> float:
        return self.hits[name] / self.scored[name] if self.scored[name] else 0.0


def normalize(text: str | None) -> str:
    """NFKC, all whitespace removed: the corpus's comparison form."""
    return _WHITESPACE.sub("", unicodedata.normalize("NFKC", text or ""))


# --- loading ------------------------------------------------------------------------------------

def load_corpus(folder: Path = CORPUS) -> list[Labelled]:
    """The labelled pages of a corpus folder, in id order."""
    labels = json.loads((folder / "labels.json").read_text(encoding="utf-8"))
    return [Labelled(item["id"], folder / item["file"], f"http://{item.get('site') or 'example.org'}/{item['id']}.html", item)
            for item in sorted(labels, key=lambda item: item["id"])]


def load_fixtures(folder: Path, prefix: str) -> list[Fixture]:
    """Every <folder>/<name>/ holding body.html, url.txt and expected.json, in name order."""
    found = []
    for case in sorted(p for p in folder.iterdir() if (p / "body.html").exists()) if folder.is_dir() else []:
        header = case / "charset.txt"
        charset = (header.read_text(encoding="ascii").strip() or None) if header.exists() else None
        found.append(Fixture(f"{prefix}/{case.name}", case / "body.html",
                             (case / "url.txt").read_text(encoding="utf-8").strip(), charset,
                             json.loads((case / "expected.json").read_text(encoding="utf-8"))))
    return found


# --- scoring ------------------------------------------------------------------------------------

def from_record(record: dict) -> Extracted:
    """A unionnews record in the corpus's terms: published_at split into date, time and offset."""
    published = record.get("published_at") or ""
    rest = published[16:].lstrip(":0123456789") if len(published) > 10 else ""
    return Extracted(record.get("title"), published[:10] or None,
                     published[11:16] if len(published) > 10 else None,
                     record.get("source"), record.get("body"), record.get("author"),
                     rest if len(published) > 10 else None, record.get("editor"), record.get("column"))


def _body_hit(label: dict, body: str | None) -> bool:
    text = normalize(body)
    start, end = normalize(label["body_start"]), normalize(label["body_end"])
    return bool(text) and text.startswith(start) and text.endswith(end)


def corpus_outcomes(label: dict, got: Extracted) -> dict[str, Outcome]:
    """Per scored field of a corpus page: its Outcome (fields not scored on this page are absent)."""
    out = {
        "title": Outcome(normalize(got.title) == normalize(label["title"]), label["title"], got.title),
        "date": Outcome(got.date == label["date"], label["date"], got.date),
        "source": Outcome(normalize(got.source) == normalize(label["source"]) if label.get("source")
                          else got.source is None, label.get("source"), got.source),
        "body": Outcome(_body_hit(label, got.body), f"{label['body_start']} … {label['body_end']}",
                        _edges(got.body)),
    }
    if label.get("time"):
        offset = CORPUS_OFFSETS.get(label.get("id", ""), OFFSET)
        hit = (got.time or "")[:5] == label["time"][:5] and got.offset in (None, offset)
        out["time"] = Outcome(hit, f"{label['time'][:5]}{offset}", f"{got.time}{got.offset or ''}")
    for name in ("author", "editor", "column"):
        if label.get(name):
            out[name] = Outcome(normalize(getattr(got, name)) == normalize(label[name]), label[name],
                                getattr(got, name))
    return out


def field_hits(label: dict, got: Extracted) -> dict[str, bool | None]:
    """Per corpus field: True/False, or None when the field is not scored on this page."""
    outcomes = corpus_outcomes(label, got)
    return {name: outcomes[name].hit if name in outcomes else None for name in FIELDS}


def record_outcomes(expected: dict, got: dict) -> dict[str, Outcome]:
    """Per field of a whole-record label: exact equality (see the module docstring)."""
    want, have = expected.get("published_at") or "", got.get("published_at") or ""
    out = {"date": Outcome(want[:10] == have[:10], want[:10] or None, have[:10] or None),
           "time": Outcome(want[10:] == have[10:], want[10:], have[10:])}
    for name in ("title", "source", "author", "editor", "body", "column"):
        out[name] = Outcome(expected.get(name) == got.get(name), expected.get(name), got.get(name))
    for name in ("images", "attachments"):
        out[name] = Outcome(list(expected.get(name) or []) == list(got.get(name) or []),
                            expected.get(name) or [], got.get(name) or [])
    return {name: out[name] for name in RECORD_FIELDS}


def add(score: Score, page_id: str, hits: dict[str, bool | None]) -> None:
    """Count one page's field hits into a running score."""
    for name, hit in hits.items():
        if hit is None:
            continue
        score.scored[name] = score.scored.get(name, 0) + 1
        score.hits[name] = score.hits.get(name, 0) + bool(hit)
        if not hit:
            score.misses.setdefault(name, []).append(page_id)


def _edges(body: str | None) -> str | None:
    if body is None:
        return None
    text = normalize(body)
    return text if len(text) <= 60 else f"{text[:30]} … {text[-30:]}"


Parser = Callable[..., dict]


def _parse(parser: Parser, raw: bytes, url: str, charset: str | None = None) -> dict | None:
    try:
        return parser(raw, url, encoding=charset) if charset else parser(raw, url)
    except NotAnArticle:
        return None


def evaluate(corpus: Path | None = CORPUS, fixtures: Path = FIXTURES,
             parser: Parser | None = None) -> dict[str, dict[str, Outcome]]:
    """Every labelled page's Outcome per scored field, keyed by page id (corpus/, articles/, pages/).

    A refused page (NotAnArticle) fails every field it is scored on.
    """
    parser = parser or parse_article
    results: dict[str, dict[str, Outcome]] = {}
    for page in load_corpus(corpus) if corpus is not None else []:
        record = _parse(parser, page.path.read_bytes(), page.url)
        results[f"corpus/{page.id}"] = corpus_outcomes(page.label, from_record(record or {}))
    for prefix in FIXTURE_SETS:
        for case in load_fixtures(fixtures / prefix, prefix):
            record = _parse(parser, case.path.read_bytes(), case.url, case.charset)
            results[case.id] = record_outcomes(case.expected, record if record is not None else {})
    return results


def summary(results: dict[str, dict[str, Outcome]]) -> dict[str, Score]:
    """Per set (corpus, articles, pages): a Score over its page-fields."""
    sets: dict[str, Score] = {}
    for page_id, outcomes in results.items():
        kind = page_id.split("/", 1)[0]
        score = sets.setdefault(kind, Score(FIELDS if kind == "corpus" else RECORD_FIELDS))
        add(score, page_id, {name: outcome.hit for name, outcome in outcomes.items()})
    return sets


# --- the baseline -------------------------------------------------------------------------------

def as_baseline(results: dict[str, dict[str, Outcome]]) -> dict[str, dict[str, bool]]:
    """Page id -> field -> passes, the form stored in the baseline file."""
    return {page: {name: outcome.hit for name, outcome in sorted(fields.items())}
            for page, fields in sorted(results.items())}


def load_baseline(path: Path = BASELINE) -> dict[str, dict[str, bool]]:
    return json.loads(path.read_text(encoding="utf-8"))


def write_baseline(results: dict[str, dict[str, Outcome]], path: Path = BASELINE) -> None:
    path.write_text(json.dumps(as_baseline(results), ensure_ascii=False, indent=1, sort_keys=True) + "\n",
                    encoding="utf-8")


def _short(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    text = text.replace("\n", "⏎")
    return text if len(text) <= 160 else f"{text[:100]} … {text[-50:]}"


def regressions(results: dict[str, dict[str, Outcome]], baseline: dict[str, dict[str, bool]]) -> list[str]:
    """Why the gate fails, one line each: a pass lost, a baselined pass no longer scored, a
    scored page-field the baseline does not know."""
    problems = []
    for page, fields in sorted(baseline.items()):
        for name, passed in sorted(fields.items()):
            outcome = results.get(page, {}).get(name)
            if outcome is None:
                if passed:
                    problems.append(f"{page} {name}: the baseline has a pass, but this page-field is "
                                    "no longer scored (page or label gone?)")
            elif passed and not outcome.hit:
                problems.append(f"{page} {name}: passed in the baseline, fails now: expected "
                                f"{_short(outcome.expected)!s} got {_short(outcome.got)!s}")
    for page, fields in sorted(results.items()):
        for name in sorted(fields):
            if name not in baseline.get(page, {}):
                problems.append(f"{page} {name}: scored but not in the baseline "
                                "(python3 -m crawler.evaluation --update-baseline)")
    return problems


def improvements(results: dict[str, dict[str, Outcome]], baseline: dict[str, dict[str, bool]]) -> list[str]:
    """Page-fields that pass now but fail in the baseline (to be recorded with --update-baseline)."""
    return [f"{page} {name}" for page, fields in sorted(results.items()) for name, outcome in sorted(fields.items())
            if outcome.hit and baseline.get(page, {}).get(name) is False]


def failures(results: dict[str, dict[str, Outcome]]) -> list[str]:
    """Every failing page-field, with what was expected and what came out."""
    return [f"{page} {name}: expected {_short(o.expected)} got {_short(o.got)}"
            for page, fields in sorted(results.items()) for name, o in sorted(fields.items()) if not o.hit]


def print_summary(results: dict[str, dict[str, Outcome]]) -> None:
    for kind, score in summary(results).items():
        pages = sum(1 for page in results if page.startswith(kind + "/"))
        cells = ", ".join(f"{name} {score.hits[name]}/{score.scored[name]}" for name in score.fields
                          if score.scored[name])
        print(f"{kind} ({pages} pages): {cells}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m crawler.evaluation", description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="folder with labels.json and pages/")
    parser.add_argument("--update-baseline", action="store_true",
                        help=f"rewrite {BASELINE.relative_to(REPO)} with what passes today")
    args = parser.parse_args(argv)
    if not (args.corpus / "labels.json").exists():
        print(f"error: evaluation corpus missing: {args.corpus.resolve() / 'labels.json'}", file=sys.stderr)
        return 2
    results = evaluate(args.corpus)
    print_summary(results)
    for line in failures(results):
        print("  fail", line)
    if args.update_baseline:
        write_baseline(results)
        print(f"baseline written: {BASELINE.relative_to(REPO)}")
        return 0
    if not BASELINE.exists():
        print(f"no baseline yet at {BASELINE.relative_to(REPO)}", file=sys.stderr)
        return 1
    baseline = load_baseline()
    for line in improvements(results, baseline):
        print("  now passes (update the baseline):", line)
    problems = regressions(results, baseline)
    for line in problems:
        print("REGRESSION", line, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
