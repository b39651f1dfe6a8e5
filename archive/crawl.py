"""Running a crawl: the lock, Scrapy in-process, the run's summary and its exit code.

`crawl_in_process` runs the `columns` spider in this process (Twisted's reactor runs once
per process, so once). `run_crawl` runs the same in a child process (`python -m
archive.crawl`) and can be called any number of times; `unionnews crawl` is a fresh process
and crawls in-process, so killing it kills the crawl.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import subprocess
import sys
import tempfile
import tomllib
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from archive.attachments import ReadingAlong
from archive.db import ArchiveError, check_writable, open_archive
from archive.lock import CrawlError, CrawlLock, CrawlLocked, acquire_lock
from archive.options import CrawlOptions
from archive.processes import tune_collector
from archive.records import fail_run
from crawler.profiles import ProfileError
from crawler.settings import UNIONNEWS_PROFILE
from crawler.sites import profiles_by_host, split_start_urls

EXIT_OK = 0
EXIT_CANNOT_RUN = 1
EXIT_SITE_CHANGED = 3
__all__ = ["CrawlError", "CrawlLock", "CrawlLocked", "CrawlOptions", "acquire_lock", "crawl", "crawl_in_process",
           "run_crawl", "RunSummary"]


def load_crawl_config(path: str | Path) -> dict[str, Any]:
    """Read a crawl config file (TOML) naming the columns, and optionally db and delay.

    \b
        start_urls = ["https://example.org/xwzx/ghxw/", "https://example.org/xwzx/tzgg/"]
        # or one table per column:  [[columns]]  name = "工会新闻"  url = "https://..."
        # a column of a sister site names its profile:  site = "cdzgh"  (or "generic")
        db = "archive.db"       # optional
        delay = 1.0             # optional, seconds between requests to the site
    """

    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise CrawlError(f"cannot read config {path}: {exc.strerror}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise CrawlError(f"config {path} is not valid TOML: {exc}") from None
    urls = data.get("start_urls", [])
    columns = data.get("columns", [])
    if not isinstance(urls, list) or not all(isinstance(u, str) for u in urls):
        raise CrawlError(f"config {path}: start_urls must be a list of URLs")
    if not isinstance(columns, list) or not all(isinstance(c, dict) and isinstance(c.get("url"), str)
                                                for c in columns):
        raise CrawlError(f"config {path}: each [[columns]] table needs a url")
    config: dict[str, Any] = {"start_urls": urls + [c["url"] for c in columns]}
    if any("site" in c for c in columns):
        if not all(isinstance(c.get("site", ""), str) for c in columns):
            raise CrawlError(f"config {path}: a column's site must be a profile name")
        config["sites"] = {c["url"]: c.get("site") for c in columns}
    if "db" in data:
        if not isinstance(data["db"], str):
            raise CrawlError(f"config {path}: db must be a path")
        config["db"] = data["db"]
    if "delay" in data:
        if not isinstance(data["delay"], (int, float)) or data["delay"] < 0:
            raise CrawlError(f"config {path}: delay must be a number of seconds >= 0")
        config["delay"] = float(data["delay"])
    return config


@dataclass
class RunSummary:
    """What a crawl run did, as `unionnews crawl` reports it and crawl_runs records it."""

    run_id: int | None = None
    status: str = ""
    fetched: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    seconds: float = 0.0
    requests: int = 0
    list_pages: int = 0
    article_links: int = 0
    coverage: dict[str, float] | None = None
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        """0 ran; 1 could not run (or only partly: a start URL failed, interrupted); 3 site changed."""
        if self.errors:
            return EXIT_CANNOT_RUN
        return EXIT_SITE_CHANGED if self.warnings else EXIT_OK

    def line(self) -> str:
        return (f"crawl {self.status}: fetched {self.fetched}, new {self.new}, "
                f"updated {self.updated}, unchanged {self.unchanged}, failed {self.failed}, "
                f"{self.seconds:.1f} s")


class Progress:
    """Scrapy extension: live counters on stderr, redrawn twice a second (terminals only)."""

    def __init__(self, crawler: Any) -> None:
        from scrapy import signals
        from twisted.internet.task import LoopingCall

        self.stats = crawler.stats
        self.loop = LoopingCall(self.draw)
        crawler.signals.connect(self.opened, signal=signals.spider_opened)
        crawler.signals.connect(self.closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Any) -> Progress:
        return cls(crawler)

    def opened(self) -> None:
        self.loop.start(0.5, now=True)

    def draw(self) -> None:
        get = self.stats.get_value
        sys.stderr.write(f"\r  fetched {get('response_received_count', 0)}  new {get('unionnews/new', 0)}"
                         f"  updated {get('unionnews/updated', 0)}  unchanged "
                         f"{get('unionnews/unchanged', 0)}  failed {get('unionnews/failed', 0)} ")
        sys.stderr.flush()

    def closed(self) -> None:
        if self.loop.running:
            self.loop.stop()
        self.draw()
        sys.stderr.write("\n")


# -- in this process ----------------------------------------------------------------------------

def scrapy_settings(options: CrawlOptions, db_path: Path | None = None) -> Any:
    """crawler/settings.py with the options' settings over it (CrawlOptions.scrapy_settings)."""
    from scrapy.settings import Settings

    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    settings.setdict(options.scrapy_settings(db_path), priority="cmdline")
    return settings


def _prepare(start_urls: list[str], db_path: str | Path) -> tuple[list[str], Path]:

    try:
        urls = split_start_urls(list(start_urls))
    except ValueError as exc:
        raise CrawlError(str(exc)) from None
    if not urls:
        raise CrawlError("no start URL: give --start-url (one per column) or --config")
    path = Path(db_path).expanduser().resolve()
    try:
        db = open_archive(path)
        try:
            check_writable(db, path)
        finally:
            db.close()
    except ArchiveError as exc:
        raise CrawlError(str(exc)) from None
    return urls, path


def crawl_in_process(start_urls: list[str], db_path: str | Path, *, sites: dict[str, str | None] | None = None,
                     settings: dict[str, Any] | None = None, **options: Any) -> RunSummary:
    """crawl() with the options as arguments: `sites` names each start URL's site profile
    (crawler.sites), `settings` overrides Scrapy settings (benchmarks switch parts off), the
    rest are CrawlOptions' fields (full, delay, max_articles, log_file, progress, warc_dir)."""
    sites = {url: (sites or {}).get(url) for url in start_urls}
    return crawl(CrawlOptions(sites, str(db_path), settings=dict(settings or {}), **options))


def crawl(options: CrawlOptions) -> RunSummary:
    """Crawl the columns into the archive in this process (once per process: Twisted's rule).

    Raises CrawlError when the crawl cannot start (bad URL, unwritable or locked archive).
    """
    if not options.sites:
        raise CrawlError("no start URL: give --start-url (one per column) or --config")
    if not Path(options.db).expanduser().resolve().parent.is_dir():
        raise CrawlError(f"cannot open archive {options.db}: its folder does not exist")
    sites = check_sites(options.start_urls, options.sites)
    lock = acquire_lock(Path(options.db).expanduser().resolve())
    try:
        urls, path = _prepare(options.start_urls, options.db)
        # Scrapy is imported here, not at the top: `unionnews` imports this module for every
        # command, and only a crawl should pay for loading Scrapy and Twisted (~0.4 s).
        from scrapy.crawler import CrawlerProcess

        from crawler.spiders.columns import ColumnsSpider

        process = CrawlerProcess(scrapy_settings(options, path))
        # Loggers below the handlers' level would still build every record (measured: ~10 a page).
        logging.getLogger("scrapy").setLevel(process.settings.get("LOG_LEVEL"))
        if not options.log_file:  # an unreachable host is reported once, as a start URL failure
            logging.getLogger("scrapy.downloadermiddlewares.robotstxt").setLevel(logging.CRITICAL)
        crawler = process.create_crawler(ColumnsSpider)
        process.crawl(crawler, start_url=urls, full=options.full, max_articles=options.max_articles,
                      sites=sites)
        tune_collector()
        reading = ReadingAlong(path, files_dir(path, process.settings.get("FILES_STORE"))).start()
        try:
            process.start()
        finally:  # its thread ends before the lock is released, whatever the crawl did
            finish_reading(reading)
        return _summary(path, crawler)
    finally:
        lock.release()


def files_dir(path: Path, files_store: str | None) -> Path:
    """Where the crawl stores images and attachments (FILES_STORE, else files/ beside the archive)."""
    return Path(files_store) if files_store else path.parent / "files"


def read_attachments(path: Path, files_store: str | None) -> None:
    """Read the text of the attachments stored and not read yet (a distributed crawl's writer,
    at its end), as a crawl does with the last files it stores."""
    finish_reading(ReadingAlong(path, files_dir(path, files_store)))


def finish_reading(reading: ReadingAlong) -> None:
    """Read the text of the attachments the crawl's last writes stored (archive/attachments.py:
    the rest was read while it ran), now that Scrapy's reactor has stopped and while the crawl's
    lock is still held. Each file is read in a bounded child process; one that cannot be read is
    recorded with its reason, and an archive that cannot be written now is left for the next run
    or `unionnews reparse`."""
    summary = reading.finish()
    log = logging.getLogger(__name__)
    if reading.error:
        log.warning("attachments not read: %s", reading.error)
    if summary.read:
        log.info("%s", summary.line())


def check_sites(urls: list[str], sites: dict[str, str | None] | None) -> dict[str, str | None]:
    """Each start URL's site, its profile loaded and validated now: a bad one is one clear line."""

    sites = {url: (sites or {}).get(url) for url in urls}
    try:
        split_start_urls(urls)
        profiles_by_host(sites, UNIONNEWS_PROFILE)
    except (ProfileError, ValueError) as exc:
        raise CrawlError(str(exc)) from None
    return sites


def _summary(path: Path, crawler: Any) -> RunSummary:

    stats = crawler.stats
    run_id = stats.get_value("unionnews/run_id")
    if run_id is None:
        raise CrawlError("the crawl did not start (see the log for why)")
    store_error = stats.get_value("unionnews/store_error")
    db = open_archive(path)
    try:
        if store_error:
            _record_failure(db, run_id, f"could not write to {path}: {store_error}", stats)
        row = db["crawl_runs"].get(run_id)
    finally:
        db.close()
    summary = RunSummary(
        run_id=run_id, status=row["status"], fetched=row["fetched"] or 0, new=row["new"] or 0,
        updated=row["updated"] or 0, unchanged=row["unchanged"] or 0, failed=row["failed"] or 0,
        seconds=row["seconds"] or 0.0, requests=row["requests"] or 0,
        list_pages=row["list_pages"] or 0, article_links=row["article_links"] or 0,
        coverage=json.loads(row["coverage"]) if row["coverage"] else None,
        warnings=list(stats.get_value("unionnews/warnings") or []),
    )
    spider = crawler.spider
    summary.errors = [f"could not fetch start URL {url}: {why}"
                      for url, why in spider.report.start_failures.items()]
    if store_error:
        summary.errors.append(f"could not write to {path}: {store_error}")
    if row["status"] == "interrupted":
        summary.errors.append("crawl interrupted; the next run completes what is missing")
    return summary


#: Where a run's figures are in Scrapy's stats, for a run whose own end could not be written.
_RUN_STATS = {"fetched": "response_received_count", "requests": "downloader/request_count",
              "new": "unionnews/new", "updated": "unionnews/updated",
              "unchanged": "unionnews/unchanged", "failed": "unionnews/failed",
              "seconds": "elapsed_time_seconds"}


def _record_failure(db: Any, run_id: int, reason: str, stats: Any) -> None:
    """Mark the run failed, with the reason, now that the crawl's writers are closed (a full
    disk often has room again once their journal is gone). When even this cannot be written,
    the run stays 'running' until the next run marks it interrupted (close_stale_runs)."""

    figures = {name: stats.get_value(key, 0) for name, key in _RUN_STATS.items()}
    try:
        fail_run(db, run_id, reason, figures)
    except sqlite3.Error:
        pass


# -- in a child process -------------------------------------------------------------------------

def run_crawl(start_urls: list[str], db_path: str | Path, *, sites: dict[str, str | None] | None = None,
              **options: Any) -> RunSummary:
    """Crawl the columns into the archive at db_path and return the run's summary.

    Runs Scrapy in a child process (`python -m archive.crawl OPTIONS_JSON RESULT`), so it can
    be called any number of times from one program. Raises CrawlError (one readable line) when
    the crawl could not run at all.
    """
    chosen = CrawlOptions({url: (sites or {}).get(url) for url in start_urls}, str(db_path), **options)
    with tempfile.TemporaryDirectory(prefix="unionnews-crawl-") as tmp:
        result = Path(tmp) / "result.json"
        command = [sys.executable, "-m", "archive.crawl", chosen.to_json(), str(result)]
        code = subprocess.run(command, stdin=subprocess.DEVNULL, check=False).returncode
        if not result.exists():
            raise CrawlError(f"the crawl process ended (exit {code}) without a result")
        data = json.loads(result.read_text(encoding="utf-8"))
    if "error" in data:
        raise CrawlError(data["error"])
    return RunSummary(**data["summary"])


def _child(argv: list[str]) -> int:
    """The child process of run_crawl: the options as JSON, and where to write the result."""
    options, result = CrawlOptions.from_json(argv[0]), Path(argv[1])
    try:
        summary = crawl(options)
    except CrawlError as exc:
        result.write_text(json.dumps({"error": str(exc)}), encoding="utf-8")
        return EXIT_CANNOT_RUN
    result.write_text(json.dumps({"summary": asdict(summary)}, ensure_ascii=False), encoding="utf-8")
    return summary.exit_code


if __name__ == "__main__":
    sys.exit(_child(sys.argv[1:]))
