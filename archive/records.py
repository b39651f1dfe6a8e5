"""Writing to the archive: articles (upsert + revisions), raw pages, failures and crawl runs.

This is the library layer under the store pipeline and `unionnews reparse`. Every write
method takes a whole batch and runs it in one transaction, so a crawl killed at any moment
leaves the archive as it was after the last complete batch.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

import sqlite_utils

from archive import search

from archive.db import FILES_COLUMNS, FILES_PK
from crawler.items import Article, ListedFile

# Fields whose change makes a row worth rewriting (title/body changes also make a revision).
_RECORD_FIELDS = (
    "title", "published_at", "source", "author", "editor", "body", "column", "images", "attachments",
)
COVERAGE_FIELDS = ("date", "time", "source", "body")


@dataclass
class FailureRecord:
    """A page that could not be archived: where it failed (fetch/parse/store) and why."""

    url: str
    stage: str
    reason: str
    http_status: int | None = None
    raw: bytes = b""
    at: str = ""


@dataclass
class NotModified:
    """An archived article the server answered 304 Not Modified for: seen again, unchanged."""

    url: str


@dataclass
class Alias:
    """Another URL that served an article this run already stored (dropped as a duplicate)."""

    url: str
    article_url: str


@dataclass
class WriteCounts:
    """What a batch (or a whole run) did to the archive, plus field coverage of new articles."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    covered: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COVERAGE_FIELDS, 0))

    def add(self, other: WriteCounts) -> None:
        self.new += other.new
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.failed += other.failed
        for name, count in other.covered.items():
            self.covered[name] += count

    def coverage(self) -> dict[str, float] | None:
        """Share of this run's new articles that have each field; None when nothing was new."""
        if not self.new:
            return None
        return {name: round(count / self.new, 3) for name, count in self.covered.items()}


def utc_now() -> str:
    """Now, as the archive writes times: UTC ISO 8601 with a Z, to the second."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def content_hash(title: str | None, body: str | None) -> str:
    """sha256 of title and body: the archive's notion of 'this article changed'."""
    return hashlib.sha256(f"{title or ''}\n{body or ''}".encode("utf-8")).hexdigest()


def article_fields(article: Article) -> dict[str, Any]:
    """The parsed fields of an Article as archive column values (lists as JSON text)."""
    return {
        "title": article.title,
        "published_at": article.published_at,
        "source": article.source,
        "author": article.author,
        "editor": article.editor,
        "body": article.body,
        "column": article.column,
        "images": json.dumps(list(article.images), ensure_ascii=False),
        "attachments": json.dumps(list(article.attachments), ensure_ascii=False),
        "explain": json.dumps(article.explain, ensure_ascii=False) if article.explain else None,
        "characters": article.characters,
    }


CAPTURE_COLUMNS = ("fetched_at", "http_status", "final_url", "etag", "last_modified",
                   "content_type", "warc_file", "warc_offset", "warc_length", "warc_digest")


def capture_fields(article: Article) -> dict[str, Any]:
    """Provenance of the fetch an article came from, and where its WARC record is."""
    headers = {name.lower(): value for name, value in article.headers.items()}
    warc = article.warc or {}
    return {
        "fetched_at": article.fetched_at or None, "http_status": article.status,
        "final_url": article.final_url or article.fetched_url or article.url,
        "etag": headers.get("etag"), "last_modified": headers.get("last-modified"),
        "content_type": headers.get("content-type"),
        "warc_file": warc.get("file"), "warc_offset": warc.get("offset"),
        "warc_length": warc.get("length"), "warc_digest": warc.get("digest"),
    }


def coverage_of(article: Article) -> dict[str, int]:
    """Which coverage fields an article has: a date, a time of day, a source, a body."""
    published = article.published_at or ""
    return {
        "date": int(bool(published)),
        "time": int("T" in published),
        "source": int(bool(article.source)),
        "body": int(bool((article.body or "").strip())),
    }


@contextmanager
def write_transaction(db: sqlite_utils.Database) -> Iterator[None]:
    """One transaction that takes the write lock at BEGIN (waiting up to busy_timeout).

    A deferred BEGIN that reads first and writes later gets SQLITE_BUSY at once, without
    waiting, when another connection (the attachment store, a second process) wrote in between.
    """
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
        raise
    db.conn.execute("COMMIT")


def _chunks(values: Sequence[Any], size: int = 500) -> Iterable[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start:start + size]


class ArchiveWriter:
    """Writes batches of crawl results for one run into an open archive."""

    def __init__(self, db: sqlite_utils.Database, run_id: int | None, site: str | None = None,
                 *, sighting: bool = True, clock: Callable[[], str] = utc_now):
        """`sighting=False` (reparse) rewrites fields without claiming the page was seen again;
        `clock` gives the time each batch is written at (tests pass their own)."""
        self.clock = clock
        self.db = db
        self.run_id = run_id
        self.site = site
        self.sighting = sighting
        self.totals = WriteCounts()

    def write(self, batch: Sequence[Article | NotModified | FailureRecord | Alias]) -> WriteCounts:
        """Write a mixed batch in one transaction; return (and add to totals) what it did."""
        articles = [item for item in batch if isinstance(item, Article)]
        seen = [item.url for item in batch if isinstance(item, NotModified)]
        failures = [item for item in batch if isinstance(item, FailureRecord)]
        aliases = [item for item in batch if isinstance(item, Alias)]
        with_files = [item for item in batch if isinstance(item, (Article, ListedFile))
                      and (item.files_stored or item.files_failed)]
        now = self.clock()
        with write_transaction(self.db):
            counts = self._write_articles(articles, now)
            counts.unchanged += self._touch(seen, now)
            counts.failed += self._write_failures(failures, now)
            self._write_aliases(aliases, now)
            self._write_files(with_files, now)
            self._name_files([a for a in articles if a.attachment_names and not a.files_stored])
            search.sync(self.db)  # index the articles this batch changed (archive/search.py)
        self.totals.add(counts)
        return counts

    def write_or_record(self, batch: Sequence[Article | NotModified | FailureRecord | Alias]) -> WriteCounts:
        """write(); when the batch cannot be stored, record its articles as store failures.

        Raises only when even that fails: the archive itself cannot be written.
        """
        try:
            return self.write(batch)
        except Exception as exc:  # one bad batch must not lose the rest of the run
            reason = f"{type(exc).__name__}: {exc}"[:300]
            return self.write([
                FailureRecord(item.fetched_url or item.url, "store", reason, item.status, item.raw)
                for item in batch if isinstance(item, Article)
            ])

    # -- articles ----------------------------------------------------------------------------

    def _existing(self, urls: list[str]) -> dict[str, dict[str, Any]]:
        rows: dict[str, dict[str, Any]] = {}
        for chunk in _chunks(urls):
            marks = ", ".join("?" for _ in chunk)
            sql = f"select * from articles where url in ({marks})"
            rows.update((row["url"], row) for row in self.db.query(sql, list(chunk)))
        return rows

    def _write_articles(self, articles: list[Article], now: str) -> WriteCounts:
        counts = WriteCounts()
        if not articles:
            return counts
        existing = self._existing([a.url for a in articles])
        rows, touched = [], []
        for article in articles:
            fields = article_fields(article)
            digest = content_hash(article.title, article.body)
            old = existing.get(article.url)
            if old is None:
                counts.new += 1
                for name, has in coverage_of(article).items():
                    counts.covered[name] += has
                rows.append(self._row(article, fields, digest, now, None))
            elif old["content_hash"] != digest:
                counts.updated += 1
                self._keep_revision(old, now)
                rows.append(self._row(article, fields, digest, now, old))
            else:
                counts.unchanged += 1
                if any(old[name] != value for name, value in fields.items()) or (
                        self.sighting and old["withdrawn_at"]):
                    rows.append(self._row(article, fields, digest, now, old))
                elif self.sighting:
                    touched.append((now, self.run_id, article.url))
        if rows:
            self.db["articles"].upsert_all(rows, pk="url")
        if touched:
            self.db.conn.executemany(
                "update articles set last_seen_at = ?, run_id = ? where url = ?", touched
            )
        self._write_pages(articles)
        return counts

    def _row(self, article: Article, fields: dict[str, Any], digest: str, now: str,
             old: dict[str, Any] | None) -> dict[str, Any]:
        row = {"url": article.url, "site": article.site or self.site, **fields, "content_hash": digest,
               "first_seen_at": old["first_seen_at"] if old else now, "last_seen_at": now,
               "fetched_url": article.fetched_url or article.url, "run_id": self.run_id,
               "withdrawn_at": None}
        if old and not self.sighting:
            for name in ("site", "last_seen_at", "run_id", "withdrawn_at"):
                row[name] = old[name]
        if old and not self.sighting:  # a reparse fetched nothing: the capture stays
            row.update({name: old.get(name) for name in CAPTURE_COLUMNS})
        else:
            row.update(capture_fields(article))
        return row

    def _keep_revision(self, old: dict[str, Any], now: str) -> None:
        """Copy the version being replaced into revisions, with when it was current."""
        since = self.db.execute(
            "select max(replaced_at) from revisions where article_id = ?", [old["id"]]
        ).fetchone()[0]
        self.db["revisions"].insert({
            "article_id": old["id"], "title": old["title"], "body": old["body"],
            "content_hash": old["content_hash"], "first_seen_at": since or old["first_seen_at"],
            "last_seen_at": old["last_seen_at"], "replaced_at": now,
            **{name: old.get(name) for name in CAPTURE_COLUMNS},
        })

    def _write_pages(self, articles: list[Article]) -> None:
        """Keep the raw bytes of each article page, once per distinct content."""
        with_raw = [a for a in articles if a.raw]
        if not with_raw:
            return
        ids = {row["url"]: row["id"] for row in self._ids([a.url for a in with_raw])}
        rows = []
        for article in with_raw:
            first = {"url": article.fetched_url or article.url, "raw": article.raw, "status": article.status,
                     "headers": article.headers, "fetched_at": article.fetched_at, "final_url": article.final_url,
                     "warc": article.warc}
            for number, page in enumerate([first, *article.parts]):
                rows.append({
                    "article_id": ids[article.url], "url": page["url"], "part": number,
                    "fetched_at": page["fetched_at"] or utc_now(), "status": page["status"],
                    "headers": json.dumps(page["headers"], ensure_ascii=False),
                    "body": gzip.compress(page["raw"], compresslevel=6),
                    "sha256": hashlib.sha256(page["raw"]).hexdigest(), "final_url": page["final_url"] or None,
                    **{f"warc_{key}": (page["warc"] or {}).get(key) for key in ("file", "offset", "length", "digest")},
                })
        self.db["pages"].insert_all(rows, ignore=True)

    def _ids(self, urls: list[str]) -> Iterable[dict[str, Any]]:
        for chunk in _chunks(urls):
            marks = ", ".join("?" for _ in chunk)
            yield from self.db.query(f"select id, url from articles where url in ({marks})", list(chunk))

    def _touch(self, urls: list[str], now: str) -> int:
        if urls:
            self.db.conn.executemany(
                "update articles set last_seen_at = ?, run_id = ?, withdrawn_at = null "
                "where url = ? or fetched_url = ?",
                [(now, self.run_id, url, url) for url in urls],
            )
        return len(urls)

    def _write_aliases(self, aliases: list[Alias], now: str) -> None:
        if aliases:
            self.db["aliases"].insert_all(
                [{"url": a.url, "article_url": a.article_url, "first_seen_at": now} for a in aliases],
                pk="url", ignore=True)

    # -- failures ----------------------------------------------------------------------------

    def _write_failures(self, failures: list[FailureRecord], now: str) -> int:
        if not failures:
            return 0
        self.db["failures"].insert_all([
            {"run_id": self.run_id, "url": f.url, "stage": f.stage, "reason": f.reason,
             "http_status": f.http_status, "at": f.at or now,
             "raw": gzip.compress(f.raw) if f.raw else None}
            for f in failures
        ])
        gone = [(now, f.url, f.url) for f in failures if f.http_status in (404, 410)]
        if gone:
            self.db.conn.executemany(
                "update articles set withdrawn_at = ? where (url = ? or fetched_url = ?) "
                "and withdrawn_at is null", gone,
            )
        return len(failures)


    def _name_files(self, articles: list[Article]) -> None:
        """Files already archived named as the article's links name them now (a reparse: the
        article comes from its stored page and its files are not fetched again)."""
        self.db.conn.executemany(
            "UPDATE files SET name = ? WHERE article_url = ? AND url = ? AND name IS NOT ?",
            [(name, a.url, url, name) for a in articles for url, name in a.attachment_names.items()])

    def _write_files(self, items: list[Article | ListedFile], now: str) -> None:
        """The files each article (or list page) had stored, linked to its row, and those that
        could not be stored as fetch failures."""
        if not items:
            return
        ids = {row["url"]: row["id"] for row in self._ids([i.url for i in items if isinstance(i, Article)])}
        rows = [{**row, "article_url": item.url, "article_id": ids.get(item.url),
                 "name": names.get(row["url"]), "first_seen_at": now, "last_seen_at": now}
                for item in items for names in [file_names(item)] for row in item.files_stored]
        if rows:
            self.db.conn.executemany(UPSERT_FILE, [{name: row.get(name) for name in FILES_COLUMNS} for row in rows])
        failed = [{"run_id": self.run_id, "url": url, "stage": "fetch", "at": now,
                   "reason": f"file of {item.url} not stored: {reason}"}
                  for item in items for url, reason in item.files_failed]
        if failed:
            self.db["failures"].insert_all(failed)


def file_names(item: Article | ListedFile) -> dict[str, str]:
    """{file URL: the name its link gives it}: an article's attachment links, a list page's items."""
    if isinstance(item, ListedFile):
        return {url: title for url, title in zip(item.files, item.titles) if title}
    return item.attachment_names


#: One row per (article, file URL, content): a row seen again keeps its first_seen_at.
#: One prepared statement instead of sqlite-utils' insert + update, whose schema lookups on
#: every call were 8% of the crawl process's CPU (bench/crawl.py).
UPSERT_FILE = (
    f"INSERT INTO [files] ({', '.join(f'[{c}]' for c in FILES_COLUMNS)}) "
    f"VALUES ({', '.join(f':{c}' for c in FILES_COLUMNS)}) "
    f"ON CONFLICT ({', '.join(f'[{c}]' for c in FILES_PK)}) DO UPDATE SET "
    + ", ".join(f"[{c}] = excluded.[{c}]" for c in FILES_COLUMNS if c not in (*FILES_PK, "first_seen_at"))
)


# -- crawl runs ----------------------------------------------------------------------------------

def close_stale_runs(db: sqlite_utils.Database) -> int:
    """Mark runs still 'running' as 'interrupted' (call only while holding the crawl lock)."""
    cursor = db.execute(
        "update crawl_runs set status = 'interrupted' where status = 'running'"
    )
    return cursor.rowcount


def start_run(db: sqlite_utils.Database, start_urls: Sequence[str], full: bool) -> int:
    """Record the start of a crawl run and return its id."""
    table = db["crawl_runs"].insert({
        "started_at": utc_now(), "status": "running",
        "start_urls": json.dumps(list(start_urls)), "full": int(full),
    })
    return int(table.last_pk)


def finish_run(db: sqlite_utils.Database, run_id: int, status: str, seconds: float,
               counts: WriteCounts, figures: dict[str, Any]) -> None:
    """Record the end of a run: status, its counts, coverage, and the walk's figures."""
    coverage = counts.coverage()
    db["crawl_runs"].update(run_id, {
        "ended_at": utc_now(), "status": status, "seconds": round(seconds, 3),
        "new": counts.new, "updated": counts.updated, "unchanged": counts.unchanged,
        "failed": counts.failed, "coverage": json.dumps(coverage) if coverage else None,
        **figures,
    })


#: Figures a run that failed may still lack (its own end could not be written).
_FAILED_RUN_FIGURES = ("fetched", "new", "updated", "unchanged", "failed", "requests", "seconds")


def fail_run(db: sqlite_utils.Database, run_id: int, reason: str, figures: dict[str, Any]) -> None:
    """Record that a run failed and why (the archive could not be written): status 'failed',
    the reason first in its warnings, and an end time and `figures` where it has none."""
    names = [name for name in _FAILED_RUN_FIGURES if name in figures]
    fill = "".join(f", [{name}] = coalesce([{name}], ?)" for name in names)
    with db.conn:
        db.execute(
            "update crawl_runs set status = 'failed', ended_at = coalesce(ended_at, ?), "
            f"warnings = ? || coalesce(char(10) || warnings, ''){fill} where id = ?",
            [utc_now(), reason, *[figures[name] for name in names], run_id],
        )


def known_urls(db: sqlite_utils.Database) -> set[str]:
    """URLs an incremental run need not fetch: every URL of an archived article, and pages
    that answered 404/410 (gone for good; --full asks again)."""
    rows = db.execute(
        "select url from articles union select fetched_url from articles "
        "where fetched_url is not null union select url from pages union select url from aliases "
        "union select url from failures where http_status in (404, 410)"
    )
    return {row[0] for row in rows}


def failed_urls(db: sqlite_utils.Database) -> set[str]:
    """URLs any earlier run failed to fetch or parse."""
    return {row[0] for row in db.execute("select distinct url from failures")}


# A page that failed this many times in a row (5xx, timeouts) is left to --full runs.
MAX_RETRIES = 5


def retry_urls(db: sqlite_utils.Database) -> set[str]:
    """Pages that failed transiently (5xx, 429, no answer) and are not archived: an
    incremental run asks for them again, so a bad night does not leave holes for good."""
    sql = (
        "select url from failures where stage = 'fetch' and (http_status is null or "
        "http_status >= 500 or http_status = 429) and url not in (select url from articles) "
        "and url not in (select fetched_url from articles where fetched_url is not null) "
        "group by url having count(*) < ?"
    )
    return {row[0] for row in db.execute(sql, [MAX_RETRIES])}


def archived_urls(db: sqlite_utils.Database) -> set[str]:
    """Canonical URLs of the articles the archive holds as still published."""
    return {row[0] for row in db.execute("select url from articles where withdrawn_at is null")}


def validators(db: sqlite_utils.Database) -> dict[str, dict[str, str]]:
    """ETag / Last-Modified of each article's latest stored page, keyed by the page URL."""
    found: dict[str, dict[str, str]] = {}
    sql = "select url, headers from pages where id in (select max(id) from pages group by article_id)"
    for url, headers in db.execute(sql):
        stored = {k.lower(): v for k, v in json.loads(headers or "{}").items()}
        wanted = {k: stored[k] for k in ("etag", "last-modified") if k in stored}
        if wanted:
            found[url] = wanted
    return found


def walked_columns(db: sqlite_utils.Database) -> set[str]:
    """Start URLs whose list has been walked to its last page at least once."""
    return {row[0] for row in db.execute("select start_url from columns where walked_at is not null")}


def mark_walked(db: sqlite_utils.Database, start_urls: Iterable[str], run_id: int | None) -> None:
    """Record that these columns' lists were walked to the end by a run that finished."""
    now = utc_now()
    db["columns"].upsert_all(
        [{"start_url": url, "walked_at": now, "run_id": run_id} for url in start_urls],
        pk="start_url",
    )


# -- is the site still the site we know? ------------------------------------------------------

# A field's share among a run's new articles that falls below this fraction of its share in
# the archive's earlier runs means the template probably changed under us.
COVERAGE_DROP = 0.5
MIN_NEW_FOR_COVERAGE = 5
MIN_HISTORY_FOR_COVERAGE = 20


def history_coverage(db: sqlite_utils.Database, before_run: int) -> tuple[int, dict[str, float]]:
    """Coverage of all earlier runs' new articles, weighted by how many each run found."""
    total, sums = 0, dict.fromkeys(COVERAGE_FIELDS, 0.0)
    sql = "select new, coverage from crawl_runs where id < ? and coverage is not null and new > 0"
    for new, coverage in db.execute(sql, [before_run]):
        shares = json.loads(coverage)
        total += new
        for name in COVERAGE_FIELDS:
            sums[name] += shares.get(name, 0.0) * new
    return total, {name: value / total for name, value in sums.items()} if total else {}


def coverage_warnings(db: sqlite_utils.Database, run_id: int, counts: WriteCounts) -> list[str]:
    """Fields this run's new articles have far less often than the archive's history says."""
    coverage = counts.coverage()
    if not coverage or counts.new < MIN_NEW_FOR_COVERAGE:
        return []
    total, history = history_coverage(db, run_id)
    if total < MIN_HISTORY_FOR_COVERAGE:
        return []
    return [
        f"only {coverage[name]:.0%} of {counts.new} new articles have a {name} "
        f"(the archive's earlier runs: {history[name]:.0%})"
        for name in COVERAGE_FIELDS
        if history[name] >= 0.3 and coverage[name] < history[name] * COVERAGE_DROP
    ]


@dataclass
class WalkFigures:
    """What a crawl's walk saw, summed over its crawlers: the figures crawl_runs keeps and the
    signs that a site changed (the spider's WalkReport, or a distributed crawl's Redis sums)."""

    fetched: int = 0
    requests: int = 0
    list_pages: int = 0
    article_links: int = 0
    empty_columns: Sequence[str] = ()
    parsed: int = 0
    parse_failures: int = 0
    drift: dict[str, dict[str, list[int]]] = field(default_factory=dict)
    walked: Sequence[str] = ()


def close_run(db: sqlite_utils.Database, run_id: int, status: str, seconds: float, counts: WriteCounts,
              walk: WalkFigures, *, walked_to_the_end: bool) -> list[str]:
    """The one end of every crawl run, local or distributed: record the walked columns (when
    the walk reached their ends), the warnings (a changed site, profile drift, thin coverage)
    and the figures; return the warnings."""
    warnings = walk_warnings(walk.list_pages, walk.article_links, walk.empty_columns,
                             walk.parsed, walk.parse_failures) + drift_warnings(walk.drift)
    if walked_to_the_end:
        mark_walked(db, walk.walked, run_id)
    warnings += coverage_warnings(db, run_id, counts)
    drift = missed_drift(walk.drift)
    finish_run(db, run_id, status, seconds, counts, {
        "fetched": walk.fetched, "requests": walk.requests, "list_pages": walk.list_pages,
        "article_links": walk.article_links, "warnings": "\n".join(warnings) or None,
        "drift": json.dumps(drift, ensure_ascii=False) if drift else None,
    })
    return warnings


def drift_warnings(drift: dict[str, dict[str, list[int]]]) -> list[str]:
    """One line per profile whose selectors missed ({profile: {key: [missed, of]}}): the crawl
    archived with generic extraction, and the profile needs a look."""
    lines = []
    for profile, figures in sorted(drift.items()):
        missed = [f"{key} on {m} of {n} pages" for key, (m, n) in sorted(figures.items()) if m]
        if missed:
            lines.append(f"profile {profile}: selectors found nothing, generic extraction took over: "
                         + "; ".join(missed))
    return lines


def missed_drift(drift: dict[str, dict[str, list[int]]]) -> dict[str, dict[str, list[int]]]:
    """Only the selectors that missed, for crawl_runs.drift."""
    return {p: {k: v for k, v in f.items() if v[0]} for p, f in drift.items() if any(v[0] for v in f.values())}


def walk_warnings(list_pages: int, article_links: int, empty_columns: Sequence[str],
                  parsed: int, parse_failures: int) -> list[str]:
    """Signs in the walk itself that the site's templates no longer match the profile."""
    found = []
    if list_pages and not article_links:
        found.append(f"fetched {list_pages} list pages but found no article links on any of them")
    elif empty_columns:
        found.append("no article links on the first list page of " + ", ".join(empty_columns))
    if parse_failures >= MIN_NEW_FOR_COVERAGE and parse_failures * 2 > parsed + parse_failures:
        found.append(f"{parse_failures} of {parsed + parse_failures} article pages did not parse")
    return found
