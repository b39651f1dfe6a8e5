"""Re-extraction without the network: run the parser again over the archived raw pages.

After a parser improvement, `unionnews reparse` brings every article up to date from the
bytes the crawl kept, through the same clean/validate steps and the same writer as a crawl,
so changed titles or bodies leave their earlier version in `revisions`.
"""

from __future__ import annotations

import gzip
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlite_utils

from archive.crawl import acquire_lock
from archive.db import open_archive
from archive.records import ArchiveWriter, FailureRecord
from crawler.items import Article
from crawler.parse import parse_article
from crawler.profiles import DEFAULT_PROFILE, load_profile
from pipelines.clean import CleanPipeline
from pipelines.validate import problems

# The latest stored page of every article, with what the parse cannot know by itself.
_LATEST_PAGES = """
select a.url, a.fetched_url, a.site, p.url as page_url, p.headers, p.body, p.status
from articles a join pages p on p.id = (select max(id) from pages where article_id = a.id)
order by a.id
"""


# Pages that failed to parse during a crawl, kept with their bytes, and still not archived.
_FAILED_PAGES = """
select f.url, f.raw from failures f
where f.id in (select max(id) from failures where stage = 'parse' and raw is not null group by url)
  and f.url not in (select url from articles)
  and f.url not in (select fetched_url from articles where fetched_url is not null)
"""


@dataclass
class ReparseSummary:
    pages: int = 0
    updated: int = 0
    unchanged: int = 0
    recovered: int = 0
    failed: int = 0
    seconds: float = 0.0

    def line(self) -> str:
        rate = self.pages / self.seconds if self.seconds else 0.0
        return (f"reparse: {self.pages} pages, updated {self.updated}, unchanged {self.unchanged}, "
                f"recovered {self.recovered}, failed {self.failed}, {self.seconds:.1f} s "
                f"({rate:.0f} pages/s)")


def _charset(headers: dict[str, str]) -> str | None:
    content_type = {k.lower(): v for k, v in headers.items()}.get("content-type", "")
    if "charset=" not in content_type.lower():
        return None
    return content_type.lower().split("charset=", 1)[1].split(";")[0].strip(" \"'") or None


def reparse_row(row: dict[str, Any], profile: Any, clean: CleanPipeline) -> Article | FailureRecord:
    """One stored page, parsed again, as the Article to write (or why it no longer parses)."""
    raw = gzip.decompress(row["body"])
    headers = json.loads(row["headers"] or "{}")
    try:
        record = parse_article(raw, row["page_url"], encoding=_charset(headers), profile=profile)
    except Exception as exc:  # NotAnArticle, or a parser bug on one page
        return FailureRecord(row["page_url"], "parse", f"reparse: {type(exc).__name__}: {exc}"[:300])
    article = clean.process_item(Article(
        url=row["url"], title=record.get("title") or "", published_at=record.get("published_at"),
        body=record.get("body") or "", source=record.get("source"), author=record.get("author"),
        editor=record.get("editor"), column=record.get("column"),
        images=list(record.get("images") or []), attachments=list(record.get("attachments") or []),
        fetched_url=row["fetched_url"] or row["url"],
    ))
    if found := problems(article):
        return FailureRecord(row["page_url"], "parse", "reparse: " + "; ".join(found))
    article.url = row["url"]  # the archive's key stays, whatever the canonical link says now
    return article


def recover_row(url: str, raw: bytes, profile: Any, clean: CleanPipeline) -> Article | None:
    """A page that failed to parse during a crawl, as an Article if the parser now reads it."""
    row = {"url": url, "fetched_url": url, "page_url": url, "headers": "{}",
           "body": raw, "status": 200}
    article = reparse_row(row, profile, clean)
    if not isinstance(article, Article):
        return None
    article.raw = gzip.decompress(raw)  # so its page is archived like any crawled one
    return article


def _recover(reader: sqlite_utils.Database, writer: ArchiveWriter, profile: Any,
             clean: CleanPipeline, summary: ReparseSummary) -> None:
    for row in reader.query(_FAILED_PAGES):
        summary.pages += 1
        if (article := recover_row(row["url"], row["raw"], profile, clean)) is not None:
            writer.write([article])
            summary.recovered += 1


def _batches(db: sqlite_utils.Database, size: int) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in db.query(_LATEST_PAGES):
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def reparse_archive(db_path: str | Path, *, profile: str = DEFAULT_PROFILE,
                    batch_size: int = 500) -> ReparseSummary:
    """Re-extract every archived article from its latest raw page; return what changed.

    Takes the crawl lock, so it never runs beside a crawl of the same archive.
    """
    lock = acquire_lock(Path(db_path).expanduser().resolve())
    started = time.perf_counter()
    try:
        reader, db = open_archive(db_path), open_archive(db_path)
        writer = ArchiveWriter(db, None, sighting=False)
        summary, site_profile, clean = ReparseSummary(), load_profile(profile), CleanPipeline()
        for batch in _batches(reader, batch_size):
            summary.pages += len(batch)
            writer.write([reparse_row(row, site_profile, clean) for row in batch])
        summary.updated, summary.unchanged = writer.totals.updated, writer.totals.unchanged
        summary.failed = writer.totals.failed
        _recover(reader, writer, site_profile, clean, summary)
        reader.close()
        db.close()
    finally:
        lock.release()
    summary.seconds = time.perf_counter() - started
    return summary
