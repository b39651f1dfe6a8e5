"""Every zoo site crawled as a new user would: `unionnews crawl --start-url ...` with no profile
and no --site flag, then the archive compared with the site's truth, article by article and
field by field.

Every article must be archived with every field exact, every listed file kept, nothing else
archived as an article, and no robots.txt rule or other host broken. `python3
tests/zoo/test_zoo_crawl.py` crawls every family and prints its figures (for the closing notes
and for bisecting a regression).
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
    assert figures["exit"] == 0, figures["stderr"]
    assert figures["followed_forbidden"] == [], "robots.txt rules or other hosts were not respected"
    assert figures["extra_articles"] == [], "list pages, pager pages or files were archived as articles"
    assert figures["misses"] == [], f"{family}: articles missing or fields not exact"
    assert (figures["found"], figures["exact"]) == (figures["articles"], figures["fields"])
    assert len(figures["files_listed"]) == figures["files_expected"], f"{family}: a listed file was not kept"


def main() -> None:
    for family in FAMILIES:
        with tempfile.TemporaryDirectory() as tmp:
            figures = crawl_family(family, Path(tmp))
        extra = len(figures["extra_articles"])
        print(f"{family:12} articles {figures['found']}/{figures['articles']}  fields exact "
              f"{figures['exact']}/{figures['fields']}  listed files {len(figures['files_listed'])}/"
              f"{figures['files_expected']}  extra {extra}  forbidden {len(figures['followed_forbidden'])}  "
              f"exit {figures['exit']}")


if __name__ == "__main__":
    main()
