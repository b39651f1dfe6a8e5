"""Extraction benchmark: unionnews vs GNE vs trafilatura, accuracy and speed, in one run.

    python bench/extract.py                      # corpus at ../shared/corpus, replica built in a temp dir
    python bench/extract.py --corpus PATH --repeat 3

Part 1 scores every extractor on the labelled corpus (title, date, time, source, body, by the
strict gate's rules in crawler/evaluation.py: body by its first and last paragraph's
edges, author where labelled) and times each page (its median over the passes), printing the
median, the 95th percentile and the mean over the pages. Part 2 times parse+extract on the replica's
article pages against the baseline of lxml parsing the same bytes, measured in the same run.

Inputs: unionnews and trafilatura get the raw bytes (each decodes them itself); GNE takes text,
so it gets the page decoded by unionnews' decoder. GNE and trafilatura have no 来源 field
(shown as n/a). A GNE/trafilatura date string is read with the same date reader as unionnews;
trafilatura reports a missing time as 00:00:00, which is counted as no time.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import lxml.html

from crawler.dates import find_dates
from crawler.encoding import decode_html
from crawler.evaluation import FIELDS, Extracted, Score, add, field_hits, from_record, load_corpus
from crawler.parse import NotAnArticle, parse_article

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO / ".." / "shared" / "corpus"


def _date_parts(value: str | None) -> tuple[str | None, str | None]:
    """(YYYY-MM-DD, HH:MM or None) from another extractor's date string."""
    found = find_dates(value or "")
    if not found:
        return None, None
    iso = found[0].iso
    return iso[:10], iso[11:16] if len(iso) > 10 else None


def run_unionnews(raw: bytes, url: str) -> Extracted:
    try:
        return from_record(parse_article(raw, url))
    except NotAnArticle:
        return Extracted()


def run_gne(raw: bytes, url: str) -> Extracted:
    from gne import GeneralNewsExtractor

    text, _ = decode_html(raw)
    try:
        result = GeneralNewsExtractor().extract(text)
    except Exception:  # GNE raises on pages it cannot handle; that page scores nothing
        return Extracted()
    date, time_ = _date_parts(result.get("publish_time"))
    return Extracted(result.get("title"), date, time_, None, result.get("content"), result.get("author") or None)


def run_trafilatura(raw: bytes, url: str) -> Extracted:
    import trafilatura

    params = {"extensive_search": True, "original_date": True, "outputformat": "%Y-%m-%d %H:%M:%S"}
    doc = trafilatura.bare_extraction(raw, url=url, with_metadata=True, date_extraction_params=params)
    if doc is None:
        return Extracted()
    date, time_ = _date_parts(doc.date)
    if doc.date and doc.date.endswith("00:00:00"):
        time_ = None
    return Extracted(doc.title, date, time_, None, doc.text, doc.author or None)


EXTRACTORS: dict[str, Callable[[bytes, str], Extracted]] = {
    "unionnews": run_unionnews, "gne": run_gne, "trafilatura": run_trafilatura,
}
HAS_SOURCE = {"unionnews"}


@dataclass
class Timing:
    """Milliseconds per page: each page's time is its median over the passes; then the median,
    the 95th percentile and the mean over the pages."""

    median: float
    p95: float
    mean: float

    @classmethod
    def of(cls, per_page: list[list[float]]) -> "Timing":
        times = sorted(statistics.median(runs) for runs in per_page)
        return cls(statistics.median(times), statistics.quantiles(times, n=20)[-1], statistics.mean(times))


def score_corpus(corpus: Path, repeat: int) -> dict[str, tuple[Score, Timing]]:
    """Per extractor: its score and its time per page over `repeat` timed passes."""
    pages = [(p, p.path.read_bytes()) for p in load_corpus(corpus)]
    results = {}
    for name, run in EXTRACTORS.items():
        score, per_page = Score(), [[] for _ in pages]
        for attempt in range(repeat):
            outputs = []
            for (page, raw), runs in zip(pages, per_page):
                start = time.perf_counter()
                outputs.append(run(raw, page.url))
                runs.append((time.perf_counter() - start) * 1000)
        for (page, _), got in zip(pages, outputs):
            add(score, page.id, field_hits(page.label, got))
        results[name] = (score, Timing.of(per_page))
    return results


def print_corpus_table(results: dict[str, tuple[Score, Timing]], pages: int) -> None:
    print(f"\nCorpus: {pages} labelled real pages (accuracy per field, pages scored in brackets; "
          "ms per page: median, 95th percentile and mean over the pages)")
    header = f"{'extractor':<12}" + "".join(f"{f:>12}" for f in FIELDS) + f"{'median':>8}{'p95':>7}{'mean':>7}"
    print(header)
    print("-" * len(header))
    for name, (score, ms) in results.items():
        cells = []
        for field in FIELDS:
            if field == "source" and name not in HAS_SOURCE:
                cells.append(f"{'n/a':>12}")
            else:
                cells.append(f"{score.accuracy(field):>7.0%} ({score.scored[field]:>2})")
        print(f"{name:<12}" + "".join(cells) + f"{ms.median:>8.2f}{ms.p95:>7.1f}{ms.mean:>7.2f}")
    ours = results["unionnews"][1]
    for name, (_, ms) in results.items():
        if name != "unionnews":
            print(f"unionnews is {ms.median / ours.median:.1f}x faster than {name} per page (median; "
                  f"{ms.p95 / ours.p95:.1f}x at the 95th percentile)")
    misses = results["unionnews"][0].misses
    print("unionnews misses:", {f: ids for f, ids in misses.items() if ids} or "none")


def time_replica(repeat: int) -> None:
    """parse_article on every replica article page vs lxml parsing alone (baseline) and GNE."""
    from gne import GeneralNewsExtractor

    from replica.build import build_site

    with tempfile.TemporaryDirectory() as tmp:
        build_site(Path(tmp))
        files = [p for p in Path(tmp, "www").rglob("t2*.html")]
        pages = [(p.read_bytes(), "http://127.0.0.1:8000/" + p.relative_to(Path(tmp, "www")).as_posix()) for p in files]

    def per_page(func: Callable[[bytes, str], object]) -> float:
        runs = []
        for _ in range(repeat):
            start = time.perf_counter()
            for raw, url in pages:
                func(raw, url)
            runs.append((time.perf_counter() - start) * 1000 / len(pages))
        return statistics.median(runs)

    texts = {url: decode_html(raw)[0] for raw, url in pages}
    baseline = per_page(lambda raw, url: lxml.html.document_fromstring(raw))
    ours = per_page(parse_article)
    gne = per_page(lambda raw, url: GeneralNewsExtractor().extract(texts[url]))
    print(f"\nReplica: {len(pages)} article pages, median of {repeat} passes")
    print(f"  lxml parse only (baseline)   {baseline:6.2f} ms/page")
    print(f"  unionnews parse_article      {ours:6.2f} ms/page  ({ours / baseline:.1f}x the bare lxml parse)")
    print(f"  GNE extract                  {gne:6.2f} ms/page  (unionnews {gne / ours:.1f}x faster)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="folder with labels.json and pages/")
    parser.add_argument("--repeat", type=int, default=3, help="timed passes (each page's median counts)")
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore")
    if not (args.corpus / "labels.json").exists():
        print(f"error: no labelled corpus at {args.corpus} (labels.json missing)", file=sys.stderr)
        return 2
    results = score_corpus(args.corpus, args.repeat)
    print_corpus_table(results, len(load_corpus(args.corpus)))
    time_replica(args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
