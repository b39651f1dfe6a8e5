"""What the spider needs to know about the archive before it starts walking.

A local crawl reads it from the archive; the workers of a distributed crawl have no archive
and read what the archive writer published in Redis when the crawl began (`publish`), so
both walk by the same state: incremental stops, retries of transient failures, conditional
requests and the recheck of unlisted articles on --full.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from scrapy.settings import BaseSettings

from archive.db import default_db_path, open_archive
from archive.records import (
    archived_urls, failed_urls, known_urls, retry_urls, validators, walked_columns,
)
from crawler.frontier import key

#: Redis keys (crawler.frontier.key names) of each published set, and of the validators hash.
_SET_KEYS = {"known": "known", "archived": "archived", "walked": "walked_before",
             "failed": "failed", "retry": "retry"}
_VALIDATORS_KEY = "validators"
_CHUNK = 5000


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

    @classmethod
    def of_archive(cls, db: Any, want_validators: bool = True) -> ArchiveState:
        """The state of an open archive (validators only when wanted: --full runs)."""
        return cls(known_urls(db), archived_urls(db), walked_columns(db),
                   validators(db) if want_validators else {}, failed_urls(db), retry_urls(db))

    def publish(self, server: Any) -> None:
        """Replace the state in Redis with this one (the archive writer, as a crawl starts)."""
        names = [key(name) for name in (*_SET_KEYS.values(), _VALIDATORS_KEY)]
        with server.pipeline(transaction=True) as pipe:
            pipe.delete(*names)
            for name, redis_key in _SET_KEYS.items():
                values = sorted(getattr(self, name))
                for start in range(0, len(values), _CHUNK):
                    pipe.sadd(key(redis_key), *values[start:start + _CHUNK])
            found = sorted(self.validators.items())
            for start in range(0, len(found), _CHUNK):
                pipe.hset(key(_VALIDATORS_KEY), mapping={
                    url: json.dumps(stored) for url, stored in found[start:start + _CHUNK]})
            pipe.execute()

    @classmethod
    def published(cls, server: Any, want_validators: bool = False) -> ArchiveState:
        """The state the archive writer published (validators only when wanted)."""
        with server.pipeline(transaction=True) as pipe:
            for redis_key in _SET_KEYS.values():
                pipe.smembers(key(redis_key))
            if want_validators:
                pipe.hgetall(key(_VALIDATORS_KEY))
            answers = pipe.execute()
        sets = {name: {url.decode() for url in answer} for name, answer in zip(_SET_KEYS, answers)}
        found = answers[len(_SET_KEYS)] if want_validators else {}
        return cls(**sets, validators={url.decode(): json.loads(v) for url, v in found.items()})



def db_path(settings: BaseSettings) -> str:
    """The archive this crawl writes to: the UNIONNEWS_DB setting, else the default."""
    return str(settings.get("UNIONNEWS_DB") or default_db_path())


def load_state(settings: BaseSettings, want_validators: bool = False) -> ArchiveState:
    """Read the archive once at start; the walk then decides without touching SQLite.

    A worker of a distributed crawl (UNIONNEWS_REDIS_URL set) has no archive: it reads what
    the archive writer published in Redis when the crawl began.
    """
    if settings.get("UNIONNEWS_REDIS_URL"):
        from scrapy_redis.connection import get_redis_from_settings

        return ArchiveState.published(get_redis_from_settings(settings), want_validators)
    db = open_archive(db_path(settings))
    try:
        return ArchiveState.of_archive(db, want_validators)
    finally:
        db.close()
