"""What a crawl is told, resolved once into one typed object, and turned into Scrapy settings in
one place.

Every source is read here, in one order: command-line flags, then the crawl's config file, then
the environment, then the defaults (`crawler/settings.py` for everything Scrapy reads):

| option | flag | config file | environment | default |
| --- | --- | --- | --- | --- |
| columns and their sites | `--start-url`, `--site` | `start_urls`, `[[columns]]` `url`/`site` | | (required) |
| archive | `--db` | `db` | `UNIONNEWS_DB` | `archive.db` |
| pause between requests | `--delay` | `delay` | | 1 s, throttled |
| WARC folder | `--warc-dir` | | `UNIONNEWS_WARC_DIR` | `warc/` beside the archive |
| full walk, article cap, log file, progress, Redis | `--full`, `--max-articles`, `--log-file`, `--progress`, `--redis` | | | off |
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from crawler import settings as project

DEFAULT_DB = "archive.db"


@dataclass(frozen=True)
class CrawlOptions:
    """One crawl run's options. `sites` maps each column's start URL to its site profile (a
    bundled name, a .toml path, `generic`, or None: the profile that claims the host, else
    generic extraction). `settings` are extra Scrapy settings (benchmarks switch parts off)."""

    sites: dict[str, str | None]
    db: str = DEFAULT_DB
    full: bool = False
    delay: float | None = None
    max_articles: int | None = None
    log_file: str | None = None
    progress: bool = False
    warc_dir: str | None = None
    redis_url: str | None = None
    settings: dict[str, Any] = field(default_factory=dict)

    @property
    def start_urls(self) -> list[str]:
        return list(self.sites)

    @classmethod
    def resolve(cls, sites: dict[str, str | None], config: Mapping[str, Any],
                env: Mapping[str, str] = os.environ, *, db: str | None = None, delay: float | None = None,
                warc_dir: str | None = None, **flags: Any) -> CrawlOptions:
        """Flags first, then the config file's values, then the environment, then defaults."""
        return cls(
            sites=dict(sites), db=str(db or config.get("db") or env.get("UNIONNEWS_DB") or DEFAULT_DB),
            delay=delay if delay is not None else config.get("delay"),
            warc_dir=warc_dir or env.get("UNIONNEWS_WARC_DIR") or None, **flags)

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> CrawlOptions:
        return cls(**json.loads(text))

    def scrapy_settings(self, db_path: Path | None = None) -> dict[str, Any]:
        """The Scrapy settings these options set, over crawler/settings.py's (the one place
        options become settings; `db_path` is the archive resolved and checked)."""
        overrides: dict[str, Any] = {"UNIONNEWS_LOCK_HELD": True}
        if db_path is not None:
            overrides["UNIONNEWS_DB"] = str(db_path)
        if self.delay is not None and self.delay <= 0:
            overrides.update(DOWNLOAD_DELAY=0, AUTOTHROTTLE_ENABLED=False,
                             CONCURRENT_REQUESTS=project.FAST_CONCURRENT_REQUESTS,
                             CONCURRENT_REQUESTS_PER_DOMAIN=project.FAST_CONCURRENT_REQUESTS_PER_DOMAIN)
        elif self.delay is not None:
            overrides.update(DOWNLOAD_DELAY=self.delay, AUTOTHROTTLE_START_DELAY=self.delay)
        if self.log_file:
            overrides.update(LOG_FILE=str(self.log_file), LOG_LEVEL="INFO")
        else:  # quiet under cron: failures are in the archive, the summary line says how many
            overrides.update(LOG_LEVEL="ERROR", RETRY_GIVE_UP_LOG_LEVEL="INFO")
        if self.progress:
            overrides["EXTENSIONS"] = {"archive.crawl.Progress": 900}
        if self.warc_dir:
            overrides["UNIONNEWS_WARC_DIR"] = str(self.warc_dir)
        return {**overrides, **self.settings}
