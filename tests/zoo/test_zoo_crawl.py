"""Every zoo site crawled as a new user would: `unionnews crawl --start-url ...` with no profile
and no --site flag, then the archive compared with the site's truth, article by article and
field by field.

The figures are held to a per-family baseline (tests/fixtures/zoo_baseline.json): the articles
found and the article-fields exact may only grow. `python3 tests/zoo/test_zoo_crawl.py` crawls
every family, prints the figures and rewrites the baseline (a deliberate act, reviewed in the diff).
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from replica import ReplicaServer
from replica.zoo import FAMILIES, build_zoo_site

FIELDS = ("title", "published_at", "source", "author", "editor", "body", "column", "images", "attachments")
BASELINE = Path(__file__).resolve().parents[1] / "fixtures" / "zoo_baseline.json"
CLI = [sys.executable, "-c", "from archive.cli import main; main()"]
LIST_FIELDS = ("images", "attachments")


def crawl_family(family: str, root: Path) -> dict:
    """Build, serve and crawl one zoo site with no flags; return its figures and misses."""
    site = build_zoo_site(family, root / "site")
    db = root / "archive.db"
    with ReplicaServer(site.root) as server:
        truth = site.truth(server.origin)
        starts = [a for url in site.start_urls(server.origin) for a in ("--start-url", url)]
        result = subprocess.run([*CLI, "crawl", *starts, "--db", str(db), "--delay", "0"],
                                capture_output=True, text=True, timeout=300, check=False)
        requested = {server.origin + r.path for r in server.requests} | {
            server.offsite + r.path for r in server.requests if r.host.startswith("localhost")}
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        rows = {row["url"]: dict(row) for row in conn.execute("select * from articles")}
        listed = {row[0] for row in conn.execute("select url from files where kind = 'listed'")}
    return score(truth, rows, listed, requested, result)


def score(truth: dict, rows: dict, listed: set[str], requested: set[str],
          result: subprocess.CompletedProcess) -> dict:
    articles = truth["articles"]
    found, exact, misses = 0, 0, []
    for article in articles.values():
        row = rows.get(article["url"])
        if row is None:
            misses.append(f"missing {article['url']}")
            continue
        found += 1
        for name in FIELDS:
            got = json.loads(row[name] or "[]") if name in LIST_FIELDS else row[name]
            if got == article["record"][name]:
                exact += 1
            else:
                misses.append(f"{article['url']} {name}: expected {article['record'][name]!r:.80} got {got!r:.80}")
    truth_urls = {a["url"] for a in articles.values()} | {p for a in articles.values() for p in a["pages"]}
    extra = sorted(set(rows) - truth_urls)
    return {
        "articles": len(articles), "found": found, "fields": len(articles) * len(FIELDS), "exact": exact,
        "extra_articles": extra, "files_listed": sorted(set(truth["files"]) & listed),
        "files_expected": len(truth["files"]), "followed_forbidden": sorted(set(truth["not_followed"]) & requested),
        "exit": result.returncode, "summary": (result.stdout.strip().splitlines() or [""])[-1],
        "stderr": result.stderr.strip()[-500:], "misses": misses,
    }


@pytest.mark.parametrize("family", FAMILIES)
def test_zoo_site_crawled_with_no_flags(family: str, tmp_path: Path) -> None:
    figures = crawl_family(family, tmp_path)
    print(json.dumps({k: v for k, v in figures.items() if k != "misses"}, ensure_ascii=False, indent=1))
    print("\n".join(figures["misses"][:40]))
    baseline = json.loads(BASELINE.read_text(encoding="utf-8")).get(family)
    assert baseline is not None, f"no baseline for {family}: run python3 tests/zoo/test_zoo_crawl.py"
    assert figures["exit"] in (0, 3), figures["stderr"]  # 3: the site warns; it must still run
    assert figures["followed_forbidden"] == [], "robots.txt rules or other hosts were not respected"
    assert figures["extra_articles"] == [], "list pages, pager pages or files were archived as articles"
    assert figures["found"] >= baseline["found"], f"{family}: fewer articles found than the baseline"
    assert figures["exact"] >= baseline["exact"], f"{family}: fewer exact fields than the baseline"
    assert len(figures["files_listed"]) >= baseline["files_listed"], f"{family}: a listed file was not kept"


def main() -> None:
    results = {}
    for family in FAMILIES:
        with tempfile.TemporaryDirectory() as tmp:
            figures = crawl_family(family, Path(tmp))
        results[family] = {"articles": figures["articles"], "found": figures["found"], "fields": figures["fields"],
                           "exact": figures["exact"], "files_listed": len(figures["files_listed"]),
                           "files_expected": figures["files_expected"]}
        extra = len(figures["extra_articles"])
        print(f"{family:12} articles {figures['found']}/{figures['articles']}  fields exact "
              f"{figures['exact']}/{figures['fields']}  listed files {len(figures['files_listed'])}/"
              f"{figures['files_expected']}  extra {extra}  forbidden {len(figures['followed_forbidden'])}  "
              f"exit {figures['exit']}")
    BASELINE.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
