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

from archive.attachments import ExtractSummary, extract_pending
from archive.db import open_archive
from archive.fixity import default_dirs
from archive.lock import acquire_lock
from archive.records import Alias, ArchiveWriter, FailureRecord
from crawler.items import Article
from crawler.parse import parse_article
from crawler.profiles import DEFAULT_PROFILE, Profile, profile_names
from crawler.rules import article_from, clean_article, describe, header_charset, join_page, problems
from crawler.sites import GENERIC, netloc, profile_for

# The latest stored page of every article, with what the parse cannot know by itself
# (the crawl parsed the page at the URL its redirects ended on).
_LATEST_PAGES = """
select a.id as article_id, a.url, a.fetched_url, a.site, coalesce(p.final_url, p.url) as page_url,
       p.headers, p.body, p.status
from articles a join pages p on p.id = (select max(id) from pages
                                        where article_id = a.id and coalesce(part, 0) = 0)
order by a.id
"""

# The latest stored copy of each further page of an article split over several, in order.
_PARTS = """
select coalesce(final_url, url) as url, headers, body, status from pages
where id in (select max(id) from pages where article_id = :article and part > 0 group by part)
order by part
"""


# Pages that failed to parse during a crawl, kept with their bytes, and still not archived.
_FAILED_PAGES = """
select f.url, f.raw from failures f
where f.id in (select max(id) from failures where stage = 'parse' and raw is not null group by url)
  and f.url not in (select url from articles)
  and f.url not in (select fetched_url from articles where fetched_url is not null)
  and f.url not in (select url from aliases)
"""

# The site most of a host's archived articles belong to (a failed page has no site column).
_SITE_OF_HOST = """
select site from articles where substr(url, 1, length(:prefix)) = :prefix and site is not null
group by site order by count(*) desc limit 1
"""


@dataclass
class ReparseSummary:
    pages: int = 0
    updated: int = 0
    unchanged: int = 0
    recovered: int = 0
    failed: int = 0
    seconds: float = 0.0
    attachments: ExtractSummary | None = None

    def line(self) -> str:
        rate = self.pages / self.seconds if self.seconds else 0.0
        return (f"reparse: {self.pages} pages, updated {self.updated}, unchanged {self.unchanged}, "
                f"recovered {self.recovered}, failed {self.failed}, {self.seconds:.1f} s "
                f"({rate:.0f} pages/s)")


class SiteProfiles:
    """The profile each stored page is read with again: the one its site was crawled with.

    A site named after a bundled profile gets that profile; any other name is a site crawled
    without one (`--site generic` archives it under its host), read by generic extraction as
    the crawl read it; no site at all (rows older than the site column) gets the default.
    Each profile is loaded once.
    """

    def __init__(self, default: str = DEFAULT_PROFILE) -> None:
        self.default = default
        self.bundled = set(profile_names())
        self.loaded: dict[str | None, Profile] = {}

    def get(self, site: str | None, url: str) -> Profile:
        if site not in self.loaded:
            name = site if site in self.bundled or site is None else GENERIC
            self.loaded[site] = profile_for(name, url, self.default)
        return self.loaded[site]


def site_of_host(db: sqlite_utils.Database, url: str) -> str | None:
    """The site of the archived articles on the host a URL is on (None when there are none)."""
    parts = url.split("/", 3)
    prefix = "/".join(parts[:3]) + "/"
    row = next(db.query(_SITE_OF_HOST, {"prefix": prefix}), None)
    return row["site"] if row else None


def parse_stored(url: str, raw: bytes, headers: dict[str, str], status: int | None, profile: Profile,
                 parts: list[dict[str, Any]] | None = None) -> Article | FailureRecord | None:
    """The Article the crawl would make of a stored page (canonical URL resolved, cleaned,
    validated), or the failure saying why the page does not parse. For an article over several
    pages, `parts` are its further pages as stored (url, headers, body, status), joined in
    order; None when they are not all stored (the article is left as archived: re-reading the
    first page alone would cut its body)."""
    try:
        record = parse_article(raw, url, encoding=_charset(headers), profile=profile)
        if record.get("pages") and len(parts or []) < len(record["pages"]):
            return None
        fetched = Article(url=url, title="", published_at=None, body="", fetched_url=url,
                          status=status or 200, headers=headers, raw=raw, final_url=url, site=profile.name)
        article = article_from(record, fetched, {netloc(url)})
        for part in (parts or [])[:len(record.get("pages") or [])]:
            part_headers = json.loads(part["headers"] or "{}")
            join_page(article, parse_article(gzip.decompress(part["body"]), part["url"],
                                             encoding=_charset(part_headers), profile=profile))
        article = clean_article(article)
    except Exception as exc:  # NotAnArticle, or a parser bug on one page
        return FailureRecord(url, "parse", f"reparse: {describe(exc)}"[:300])
    if found := problems(article):
        return FailureRecord(url, "parse", "reparse: " + "; ".join(found))
    return article


def _charset(headers: dict[str, str]) -> str | None:
    return header_charset(next((v for k, v in headers.items() if k.lower() == "content-type"), None))


def reparse_row(row: dict[str, Any], profile: Profile,
                parts: list[dict[str, Any]] | None = None) -> Article | FailureRecord | None:
    """One stored page (and the further pages of its article, if any), parsed again, as the
    Article to write (or why it no longer parses).

    The archive's key and fetched URL stay, whatever the canonical link says now, and the page
    is not stored again (it is the one just read).
    """
    headers = json.loads(row["headers"] or "{}")
    article = parse_stored(row["page_url"], gzip.decompress(row["body"]), headers, row["status"], profile,
                           parts)
    if isinstance(article, Article):
        article.url, article.fetched_url, article.raw = row["url"], row["fetched_url"] or row["url"], b""
    return article


def recover_items(url: str, raw: bytes, profile: Profile, seen: set[str]) -> list[Article | Alias] | None:
    """A page that failed to parse during a crawl, as the crawl would store it now that it
    parses (None if it still does not): the article under its canonical URL, or only an alias
    when that article is archived already, and the URL it failed under as an alias."""
    article = parse_stored(url, gzip.decompress(raw), {}, 200, profile)
    if not isinstance(article, Article):
        return None
    items: list[Article | Alias] = [] if article.url in seen else [article]
    seen.add(article.url)
    others = dict.fromkeys(u for u in (url, article.fetched_url) if u and u != article.url)
    return items + [Alias(other, article.url) for other in others]


def _recover(reader: sqlite_utils.Database, writer: ArchiveWriter, profiles: SiteProfiles,
             summary: ReparseSummary) -> None:
    seen = {row["url"] for row in reader.query("select url from articles")}
    for row in reader.query(_FAILED_PAGES):
        summary.pages += 1
        profile = profiles.get(site_of_host(reader, row["url"]), row["url"])
        if (items := recover_items(row["url"], row["raw"], profile, seen)) is not None:
            writer.write(items)
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
                    batch_size: int = 500, files_dir: str | Path | None = None) -> ReparseSummary:
    """Re-extract every archived article from its latest raw page, and the text of every
    attachment from its stored file (in `files_dir`, files/ beside the archive by default);
    return what changed.

    Each page is read with its own site's profile (`profile` is for pages of no known site).
    Takes the crawl lock, so it never runs beside a crawl of the same archive.
    """
    lock = acquire_lock(Path(db_path).expanduser().resolve())
    started = time.perf_counter()
    try:
        reader, db = open_archive(db_path), open_archive(db_path)
        writer = ArchiveWriter(db, None, sighting=False)
        summary, profiles = ReparseSummary(), SiteProfiles(profile)
        for batch in _batches(reader, batch_size):
            summary.pages += len(batch)
            items = (reparse_row(row, profiles.get(row["site"], row["page_url"]),
                                 list(reader.query(_PARTS, {"article": row["article_id"]})))
                     for row in batch)
            writer.write([item for item in items if item is not None])
        summary.updated, summary.unchanged = writer.totals.updated, writer.totals.unchanged
        summary.failed = writer.totals.failed
        _recover(reader, writer, profiles, summary)
        summary.attachments = extract_pending(db, files_dir or default_dirs(db_path)[1], everything=True)
        reader.close()
        db.close()
    finally:
        lock.release()
    summary.seconds = time.perf_counter() - started
    return summary
