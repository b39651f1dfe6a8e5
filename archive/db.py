"""The archive's SQLite schema: created and migrated every time the file is opened.

One file, WAL mode, so Datasette can read while a crawl writes. Each migration is a small
function appended to MIGRATIONS; `PRAGMA user_version` records how many have run, so an
archive made by an older unionnews is brought up to date on open and never rebuilt.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

import sqlite_utils

from archive import facets, search

ARTICLE_COLUMNS: dict[str, type] = {
    "id": int,
    "url": str,
    "site": str,
    "title": str,
    "published_at": str,
    "source": str,
    "author": str,
    "editor": str,
    "body": str,
    "column": str,
    "images": str,
    "attachments": str,
    "content_hash": str,
    "first_seen_at": str,
    "last_seen_at": str,
    "fetched_url": str,
    "run_id": int,
    "withdrawn_at": str,
}


def default_db_path() -> Path:
    """Where the archive lives unless told: $UNIONNEWS_DB, else archive.db here."""
    return Path(os.environ.get("UNIONNEWS_DB") or "archive.db")


class ArchiveError(Exception):
    """The archive file cannot be opened or written (the message says which file and why)."""


def _create_articles(db: sqlite_utils.Database) -> None:
    db["articles"].create(ARTICLE_COLUMNS, pk="id", not_null={"url"})
    db["articles"].create_index(["url"], unique=True)
    db["articles"].create_index(["published_at"])
    db["articles"].create_index(["column"])


def _create_revisions(db: sqlite_utils.Database) -> None:
    db["revisions"].create(
        {
            "id": int,
            "article_id": int,
            "title": str,
            "body": str,
            "content_hash": str,
            "first_seen_at": str,
            "last_seen_at": str,
            "replaced_at": str,
        },
        pk="id",
        foreign_keys=[("article_id", "articles", "id")],
    )
    db["revisions"].create_index(["article_id"])


def _create_crawl_runs(db: sqlite_utils.Database) -> None:
    db["crawl_runs"].create(
        {
            "id": int,
            "started_at": str,
            "ended_at": str,
            "status": str,
            "start_urls": str,
            "full": int,
            "fetched": int,
            "new": int,
            "updated": int,
            "unchanged": int,
            "failed": int,
            "seconds": float,
            "coverage": str,
            # Beyond the contract: what the walk saw, to tell "nothing new" from "site changed".
            "list_pages": int,
            "article_links": int,
            "requests": int,
            "warnings": str,
        },
        pk="id",
    )


def _create_failures(db: sqlite_utils.Database) -> None:
    db["failures"].create(
        {
            "id": int,
            "run_id": int,
            "url": str,
            "stage": str,
            "reason": str,
            "http_status": int,
            "at": str,
            "raw": bytes,
        },
        pk="id",
        foreign_keys=[("run_id", "crawl_runs", "id")],
    )
    db["failures"].create_index(["run_id"])
    db["failures"].create_index(["url"])


def _create_pages(db: sqlite_utils.Database) -> None:
    db["pages"].create(
        {
            "id": int,
            "article_id": int,
            "url": str,
            "fetched_at": str,
            "status": int,
            "headers": str,
            "body": bytes,
            "sha256": str,
        },
        pk="id",
        foreign_keys=[("article_id", "articles", "id")],
    )
    db["pages"].create_index(["article_id", "sha256"], unique=True)
    db["pages"].create_index(["url"])


def _create_columns(db: sqlite_utils.Database) -> None:
    """Per column start URL: when its list was last walked to the end.

    An incremental run may stop at the first archived article only once a column has been
    walked completely; until then (first run, a run killed mid-way, --max-articles) it walks
    the whole list again and fetches only what is missing.
    """
    db["columns"].create(
        {"start_url": str, "walked_at": str, "run_id": int}, pk="start_url"
    )


def _create_aliases(db: sqlite_utils.Database) -> None:
    """Other URLs that served an archived article (alias paths, tracking links, redirects).

    Remembered so an incremental run does not fetch the same article again under them.
    """
    db["aliases"].create({"url": str, "article_url": str, "first_seen_at": str}, pk="url")


def _schema_v1(db: sqlite_utils.Database) -> None:
    _create_articles(db)
    _create_revisions(db)
    _create_crawl_runs(db)
    _create_failures(db)
    _create_pages(db)
    _create_columns(db)
    _create_aliases(db)


# Where each capture lives in the WARC files (pipelines.warc) and how the server answered.
WARC_COLUMNS: dict[str, type] = {
    "warc_file": str, "warc_offset": int, "warc_length": int, "warc_digest": str,
}
PROVENANCE_COLUMNS: dict[str, type] = {
    "fetched_at": str, "http_status": int, "final_url": str, "etag": str,
    "last_modified": str, "content_type": str,
}


def _capture_v2(db: sqlite_utils.Database) -> None:
    """Provenance and WARC record pointers on articles, revisions and pages (issue 5)."""
    wanted = {
        "articles": {**PROVENANCE_COLUMNS, **WARC_COLUMNS},
        "revisions": {**PROVENANCE_COLUMNS, **WARC_COLUMNS},
        "pages": {"final_url": str, **WARC_COLUMNS},
    }
    for table, columns in wanted.items():
        have = db[table].columns_dict
        for name, kind in columns.items():
            if name not in have:
                db[table].add_column(name, kind)


#: Images and attachments of articles (and files listed as items of a list page), stored by
#: content hash under files/: one row per (article or list page, file URL, content).
FILES_COLUMNS: dict[str, type] = {
    "article_id": int, "article_url": str, "url": str, "kind": str, "sha256": str,
    "path": str, "size": int, "content_type": str, "status": int, "fetched_url": str,
    "first_seen_at": str, "last_seen_at": str,
    "warc_file": str, "warc_offset": int, "warc_length": int, "warc_digest": str,
    "name": str,
}
FILES_PK = ("article_url", "url", "sha256")


def _files_v5(db: sqlite_utils.Database) -> None:
    """The files table, created by the migrations like every other (archives written before
    had it created by the files pipeline; it is kept as it is)."""
    db["files"].create(FILES_COLUMNS, pk=FILES_PK, foreign_keys=[("article_id", "articles", "id")],
                       if_not_exists=True)
    db["files"].create_index(["article_id"], if_not_exists=True)
    db["files"].create_index(["sha256"], if_not_exists=True)


def _drift_v3(db: sqlite_utils.Database) -> None:
    """Which site-profile selectors missed in a run, and on how many pages (issue 10):
    {"profile": {"list.article_links": [missed, of], "article.title": [missed, of]}}."""
    if "drift" not in db["crawl_runs"].columns_dict:
        db["crawl_runs"].add_column("drift", str)


def _explain_v4(db: sqlite_utils.Database) -> None:
    """Which rule produced each field of an article (issue 11): JSON {field: rule}."""
    if "explain" not in db["articles"].columns_dict:
        db["articles"].add_column("explain", str)


def _characters_v6(db: sqlite_utils.Database) -> None:
    """字数: the body's characters, spaces not counted; filled in for the articles already archived."""
    if "characters" not in db["articles"].columns_dict:
        db["articles"].add_column("characters", int)
        db.execute("update articles set characters = length(replace(replace(replace(replace("
                   "coalesce(body, ''), ' ', ''), char(10), ''), char(13), ''), char(9), ''))")


def _parts_v7(db: sqlite_utils.Database) -> None:
    """Which page of an article a stored page is: 0 (or null, before) its first, 1, 2... the
    further pages of an article split over several, kept so reparse can join them again."""
    if "part" not in db["pages"].columns_dict:
        db["pages"].add_column("part", int)


def _search_marks_v8(db: sqlite_utils.Database) -> None:
    """What `unionnews search --new` last showed for each query and filters (issue 14): the
    largest article id when it was asked, so the next run prints only what arrived since."""
    db[search.MARKS_TABLE].create(search.MARKS_COLUMNS, pk="key", if_not_exists=True)


#: The text of each distinct attachment (by content hash), read by archive/attachments.py.
ATTACHMENT_TEXTS = search.ATTACHMENT_TEXTS
ATTACHMENT_TEXT_COLUMNS: dict[str, type] = {
    "id": int, "sha256": str, "format": str, "status": str, "reason": str, "pages": int,
    "characters": int, "text": str, "extracted_at": str,
}


def _attachment_text_v9(db: sqlite_utils.Database) -> None:
    """The text of attachments and listed files (issue 14): one row per distinct file (sha256)
    with its status (ok, no_text_layer, encrypted, failed, unsupported, too_large, timeout) and
    reason, and the search index of the text, kept in step by triggers like the articles'."""
    db[ATTACHMENT_TEXTS].create(ATTACHMENT_TEXT_COLUMNS, pk="id", not_null={"sha256", "status"},
                                if_not_exists=True)
    db[ATTACHMENT_TEXTS].create_index(["sha256"], unique=True, if_not_exists=True)
    db[ATTACHMENT_TEXTS].create_index(["status"], if_not_exists=True)
    search.create_attachment_index(db)


def _file_names_v10(db: sqlite_utils.Database) -> None:
    """The name the article's (or list page's) link gives a file, where it gives one
    (附件：2022年推荐表.doc): search results name a matching attachment by it."""
    if "name" not in db["files"].columns_dict:
        db["files"].add_column("name", str)


def _facet_counts_v11(db: sqlite_utils.Database) -> None:
    """Facet counts of the articles kept by triggers (archive/facets.py), so Datasette's list
    pages show a million articles' site, column, source, year and month without counting them."""
    facets.create(db)


MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [_schema_v1, _capture_v2, _drift_v3, _explain_v4,
                                                            _files_v5, _characters_v6, _parts_v7,
                                                            _search_marks_v8, _attachment_text_v9,
                                                            _file_names_v10, _facet_counts_v11]


def migrate(db: sqlite_utils.Database) -> int:
    """Run the migrations this file has not seen yet, each in its own transaction."""
    done = db.execute("PRAGMA user_version").fetchone()[0]
    for number, step in enumerate(MIGRATIONS[done:], start=done + 1):
        with db.atomic():
            step(db)
            db.execute(f"PRAGMA user_version = {number}")
    search.install(db)  # the Chinese search index (archive/search.py) is kept in step on open
    return len(MIGRATIONS)


def open_archive(path: str | Path) -> sqlite_utils.Database:
    """Open (creating if needed) the archive at `path`, in WAL mode, migrated to the latest schema.

    Raises ArchiveError with one readable line when the file cannot be opened or written.
    """
    path = Path(path)
    if path.is_dir():
        raise ArchiveError(f"cannot open archive {path}: it is a directory")
    try:
        db = sqlite_utils.Database(path)
        db.execute("PRAGMA busy_timeout = 10000")
        db.enable_wal()
        db.execute("PRAGMA synchronous = NORMAL")
        db.execute("PRAGMA foreign_keys = ON")
        migrate(db)
    except sqlite3.DatabaseError as exc:
        raise ArchiveError(f"cannot open archive {path}: {exc}") from None
    return db


def open_read_only(path: str | Path, error: type[Exception] = ArchiveError) -> sqlite_utils.Database:
    """The archive opened read-only (verify, export): reading it never changes it.

    Raises `error` with one readable line when there is no archive or it cannot be read.
    """
    path = Path(path)
    if not path.is_file():
        raise error(f"no archive database at {path}")
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as exc:
        raise error(f"cannot read archive {path}: {exc}") from None
    return sqlite_utils.Database(conn)


def check_writable(db: sqlite_utils.Database, path: str | Path) -> None:
    """Raise ArchiveError unless the archive can be written.

    A read-only database file opens (and migrates, when nothing is left to migrate) without
    complaint and fails only at the first write, deep inside a crawl: rewriting the schema
    version it already has is a write that changes nothing.
    """
    try:
        version = db.execute("PRAGMA user_version").fetchone()[0]
        db.execute(f"PRAGMA user_version = {int(version)}")
    except sqlite3.DatabaseError as exc:
        raise ArchiveError(f"cannot write archive {path}: {exc}") from None
