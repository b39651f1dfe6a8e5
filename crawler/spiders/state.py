"""What the spider needs to know about the archive before it starts walking."""

from __future__ import annotations

from dataclasses import dataclass, field

from scrapy.settings import BaseSettings

from archive.db import default_db_path, open_archive
from archive.records import (
    archived_urls, failed_urls, known_urls, retry_urls, validators, walked_columns,
)


@dataclass
class ArchiveState:
    """URLs already archived, columns walked to the end before, stored ETag/Last-Modified."""

    known: set[str] = field(default_factory=set)
    archived: set[str] = field(default_factory=set)
    walked: set[str] = field(default_factory=set)
    validators: dict[str, dict[str, str]] = field(default_factory=dict)
    failed: set[str] = field(default_factory=set)
    retry: set[str] = field(default_factory=set)

    @property
    def seen(self) -> set[str]:
        """Links an earlier run met: archived, gone, or failed (a failed one is asked again)."""
        return self.known | self.failed


def db_path(settings: BaseSettings) -> str:
    """The archive this crawl writes to: the UNIONNEWS_DB setting, else the default."""
    return str(settings.get("UNIONNEWS_DB") or default_db_path())


def load_state(settings: BaseSettings, want_validators: bool = False) -> ArchiveState:
    """Read the archive once at start; the walk then decides without touching SQLite.

    A worker of a distributed crawl (UNIONNEWS_REDIS_URL set) has no archive: it reads what
    the archive writer published in Redis when the crawl began (crawler.frontier).
    """
    if settings.get("UNIONNEWS_REDIS_URL"):
        from crawler.frontier import published_state

        known, walked = published_state(settings)
        return ArchiveState(known=known, walked=walked)
    db = open_archive(db_path(settings))
    try:
        return ArchiveState(known_urls(db), archived_urls(db), walked_columns(db),
                            validators(db) if want_validators else {}, failed_urls(db),
                            retry_urls(db))
    finally:
        db.close()
