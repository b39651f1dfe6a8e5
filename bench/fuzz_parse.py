"""A bounded, coverage-guided fuzz run of the article parser with atheris (run by hand).

    pip install atheris
    python bench/fuzz_parse.py                      # 30,000 inputs or 120 s, whichever first
    python bench/fuzz_parse.py --runs 200000 --seconds 900

The contract under test is the parser's (DESIGN.md): for any bytes, parse_article returns a
record with a title and a body, or raises NotAnArticle; nothing else, and never a hang (libFuzzer's
per-input timeout). The corpus starts from the stored fixture pages (UTF-8 and GBK, raw bytes)
and the hostile replica's pages, so the mutations explore real article structure. Any other
exception stops the run, and libFuzzer writes the input that caused it (crash-*) to the folder
given by --artifacts. Figures are printed every 2,500 inputs, then libFuzzer's final stats
(runs, inputs/s, slowest input, peak RSS). tests/hostile/test_hostile_parser_fuzz.py is the
quick tier run by CI.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import atheris

with atheris.instrument_imports():
    from crawler.parse import NotAnArticle, parse_article

REPO = Path(__file__).resolve().parents[1]
URL = "http://127.0.0.1:8000/xwzx/ghxw/202301/t20230118_1001.html"
REPORT_EVERY = 2500
FIGURES = {"inputs": 0, "records": 0, "refused": 0, "slowest_ms": 0.0}


def one_input(data: bytes) -> None:
    """libFuzzer's callback: the parser's contract on one input."""
    began = time.perf_counter()
    FIGURES["inputs"] += 1
    try:
        record = parse_article(data, URL)
    except NotAnArticle as refused:
        if not refused.reason:
            raise AssertionError("NotAnArticle without a reason") from None
        FIGURES["refused"] += 1
    else:
        if not (record["title"] and record["body"]):
            raise AssertionError(f"a record without title or body: {record!r:.200}")
        FIGURES["records"] += 1
    FIGURES["slowest_ms"] = max(FIGURES["slowest_ms"], (time.perf_counter() - began) * 1000)
    if FIGURES["inputs"] % REPORT_EVERY == 0:
        report()


def report() -> None:
    print(f"fuzz_parse: {FIGURES['inputs']} inputs, {FIGURES['records']} records, "
          f"{FIGURES['refused']} refused (NotAnArticle), 0 other exceptions, "
          f"slowest {FIGURES['slowest_ms']:.0f} ms", flush=True)


def seed_corpus(folder: Path) -> int:
    """Fixture pages and hostile replica pages as the starting corpus; returns how many."""
    pages = [p.read_bytes() for p in sorted((REPO / "tests" / "fixtures" / "pages").glob("*/body.html"))]
    from replica.hostile import build_routes

    pages += [r.data for r in build_routes(64 * 1024).values() if 0 < len(r.data) < 256 * 1024]
    for number, page in enumerate(pages):
        (folder / f"seed-{number:03d}.html").write_bytes(page)
    return len(pages)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30_000, help="inputs to try (default 30,000)")
    parser.add_argument("--seconds", type=int, default=120, help="stop after this long (default 120)")
    parser.add_argument("--timeout", type=int, default=5, help="seconds one input may take (a hang)")
    parser.add_argument("--artifacts", default=".", help="folder for crash-* inputs")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="fuzz-parse-") as corpus:
        seeds = seed_corpus(Path(corpus))
        print(f"fuzz_parse: {seeds} seed pages; up to {args.runs} inputs or {args.seconds} s", flush=True)
        atheris.Setup([sys.argv[0], corpus, f"-runs={args.runs}", f"-max_total_time={args.seconds}",
                       f"-timeout={args.timeout}", "-max_len=262144", "-rss_limit_mb=4096",
                       f"-artifact_prefix={args.artifacts.rstrip('/')}/", "-print_final_stats=1"], one_input)
        atheris.Fuzz()  # exits the process; libFuzzer's final stats close the output


if __name__ == "__main__":
    main()
