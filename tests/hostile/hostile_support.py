"""Helpers of the hostile suite: a crawl in a child process with the suite's bounds, and reading
the archive it wrote."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from replica.hostile import SIZE_BOUND

#: Scrapy settings of every hostile crawl: short timeouts so the hang and trickle cases cost
#: seconds, the size bound the hostile server's oversize pages exceed, small trap bounds.
SETTINGS: dict[str, Any] = {
    "DOWNLOAD_TIMEOUT": 2,
    "DOWNLOAD_MAXSIZE": SIZE_BOUND,
    "DOWNLOAD_WARNSIZE": 0,
    "RETRY_TIMES": 1,
    "UNIONNEWS_MAX_LIST_PAGES": 25,
    "UNIONNEWS_MAX_LINKS_PER_PAGE": 300,
}

_CHILD = """
import json, resource, sys, time
from archive.crawl import CrawlError, crawl_in_process
spec = json.loads(sys.argv[1])
began = time.monotonic()
try:
    # The hostile site is written in the union site's template and crawled with its profile:
    # what is under test is the content and the servers, not generic extraction.
    s = crawl_in_process(spec["urls"], spec["db"], delay=0, full=spec["full"], settings=spec["settings"],
                         sites=dict.fromkeys(spec["urls"], "scszjggh"))
    out = {"line": s.line(), "new": s.new, "failed": s.failed, "errors": s.errors, "exit": s.exit_code}
except CrawlError as exc:
    out = {"error": str(exc)}
out["seconds"] = time.monotonic() - began
out["maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(out))
"""


def crawl(urls: list[str], db: Path, *, full: bool = False, settings: dict[str, Any] | None = None,
          timeout: float = 120) -> dict[str, Any]:
    """Run one crawl (Scrapy in a child process) and return its summary, time and peak memory."""
    spec = {"urls": urls, "db": str(db), "full": full, "settings": {**SETTINGS, **(settings or {})}}
    began = time.monotonic()
    result = subprocess.run([sys.executable, "-c", _CHILD, json.dumps(spec)], capture_output=True,
                            text=True, timeout=timeout, stdin=subprocess.DEVNULL)
    assert result.returncode == 0, result.stderr[-3000:]
    out = json.loads(result.stdout.strip().splitlines()[-1])
    out["wall_seconds"] = time.monotonic() - began
    return out


def query(db: Path, sql: str, *params: Any) -> list[tuple]:
    """Rows of a query on the archive, read with a connection of its own."""
    with sqlite3.connect(db, timeout=30) as conn:
        return conn.execute(sql, params).fetchall()


def failures_by_url(db: Path) -> dict[str, list[str]]:
    """{url: [stage: reason, ...]} of the archive's failures table."""
    found: dict[str, list[str]] = {}
    for url, stage, reason in query(db, "select url, stage, reason from failures order by id"):
        found.setdefault(url, []).append(f"{stage}: {reason}")
    return found
