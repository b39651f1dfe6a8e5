"""The archive writer of a distributed crawl: `unionnews ingest --redis redis://HOST:PORT/N`.

SQLite takes one writer, so crawler processes (`unionnews crawl --redis ...`, any number, on
any machines) push their items onto a Redis list and this process alone writes the archive:
validate, dedup (aliases), then the same ArchiveWriter batches as a local crawl.

It also owns each crawl: started while no crawler is running, it clears the shared frontier
and publishes what the archive already holds (crawler/spiders/state.py: for incremental walks,
retries of transient failures, and --full's conditional requests and recheck); it ends when every
crawler that joined is done (or gone) and every item is written. Items move to a `writing`
list before they are written and leave it after the commit, so a writer killed mid-batch
writes that batch again when restarted.

The crawlers' responses come on the same list, before the items that name them: the writer
writes them into `warc/` beside the archive (archive/capture.py), keeps each one's record
pointer in Redis (`captures`, so a restarted writer still resolves items of this crawl), then
writes the items with those pointers and stores their images and attachments in `files/`.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from archive.capture import CaptureWriter, ShippedExchange
from archive.crawl import CrawlError, CrawlLocked, RunSummary, acquire_lock, read_attachments
from archive.db import ArchiveError, open_archive
from archive.distributed import connect as connect_redis
from archive.fixity import default_dirs
from archive.records import (Alias, ArchiveWriter, FailureRecord, WalkFigures, close_run, close_stale_runs,
                             start_run)
from crawler.frontier import crawl_done, dead_workers, key, lease_key, queued
from crawler.items import Article
from crawler.rules import problems
from crawler.spiders.state import ArchiveState
from pipelines.redis_items import UnknownItem, loads_message

#: The writer announces itself with this key (crawlers refuse to start without it).
WRITER_TTL_SECONDS = 15
BATCH_SIZE = 200
# Move up to N items from the item list to the writing list, atomically.
_TAKE = """
local taken = redis.call('LRANGE', KEYS[1], 0, tonumber(ARGV[1]) - 1)
if #taken > 0 then
  redis.call('LTRIM', KEYS[1], #taken, -1)
  redis.call('RPUSH', KEYS[2], unpack(taken))
end
return taken
"""
# Every key of one crawl but the item lists: cleared when a new crawl starts.
CRAWL_KEYS = ("sites", "dupefilter", "states", "beats", "stats", "drift", "walked", "empty_columns",
              "start_failures", "start_urls", "walks_ended", "full", "captures")


class Ingest:
    """Reads items from Redis and writes them into one archive for one crawl run."""

    def __init__(self, server: Any, db: Any, run_id: int, crawlers: int = 1, wait: float = 60.0,
                 db_path: str | Path = "archive.db") -> None:
        self.server, self.db, self.run_id = server, db, run_id
        self.crawlers, self.deadline = crawlers, time.monotonic() + wait
        self.writer = ArchiveWriter(db, run_id)
        known = {k.decode(): json.loads(v) for k, v in server.hgetall(key("captures")).items()}
        self.captures = CaptureWriter(*default_dirs(db_path), run_id, known)
        self.seen: set[str] = set()  # canonical URLs this run has written
        self.take = server.register_script(_TAKE)
        self.started = time.monotonic()

    def announce(self) -> None:
        self.server.set(key("writer"), self.run_id, ex=WRITER_TTL_SECONDS)

    def write_pending(self) -> int:
        """Write what a previous writer took but did not commit, then forget it."""
        pending = self.server.lrange(key("writing"), 0, -1)
        self._write(pending)
        return len(pending)

    def step(self, wait: float = 1.0) -> int:
        """Take and write one batch (waiting up to `wait` s for the first item); how many."""
        taken = self.take(keys=[key("items"), key("writing")], args=[BATCH_SIZE])
        if not taken and wait > 0:
            first = self.server.blmove(key("items"), key("writing"), wait, "LEFT", "RIGHT")
            if first is None:
                return 0
            taken = [first, *self.take(keys=[key("items"), key("writing")], args=[BATCH_SIZE - 1])]
        if taken:
            self._write(taken)
        return len(taken)

    def _write(self, messages: list[bytes]) -> None:
        decoded = [self._loaded(message) for message in messages]
        shipped = [one for one in decoded if isinstance(one, ShippedExchange)]
        if shipped:  # the responses first: the items that follow name them
            pointers = self.captures.write(shipped)
            self.server.hset(key("captures"), mapping={k: json.dumps(v) for k, v in pointers.items()})
        items = self.captures.resolve([one for one in decoded if not isinstance(one, ShippedExchange)])
        batch = [item for one in items for item in self._prepared(one)]
        if batch:
            self.writer.write(batch)
        self.server.delete(key("writing"))

    @staticmethod
    def _loaded(message: bytes) -> Any:
        try:
            return loads_message(message)
        except UnknownItem as exc:
            return FailureRecord("", "store", str(exc)[:300])

    def _prepared(self, item: Any) -> list[Any]:
        """Validate and dedup one item as the local pipelines would."""
        if isinstance(item, Article):
            if found := problems(item):
                return [FailureRecord(item.fetched_url or item.url, "parse", "; ".join(found),
                                      item.status, item.raw, item.fetched_at)]
            if item.url in self.seen:  # this run wrote the article already (dedup, as a local crawl)
                return [Alias(item.fetched_url, item.url)] if item.fetched_url != item.url else []
            self.seen.add(item.url)
        return [item]

    def finished(self) -> bool:
        """Every crawler that joined has ended (done, stopped, or silent for good), and no
        item is left to write."""
        states = self.server.hgetall(key("states"))
        if not states or (len(states) < self.crawlers and time.monotonic() < self.deadline):
            return False  # more crawlers were announced (--crawlers): wait for them, up to --wait
        gone = set(dead_workers(self.server, lost_too=True))
        live = {w.decode(): s for w, s in states.items() if w.decode() not in gone}
        if any(state not in (b"done", b"stopped") for state in live.values()):
            return False
        return self.server.llen(key("items")) == 0

    def stranded(self) -> int:
        """Requests no crawler will do: still queued, or leased to crawlers that are gone."""
        dead = dead_workers(self.server)
        return queued(self.server) + sum(self.server.hlen(lease_key(w)) for w in dead)


def connect(redis_url: str) -> Any:
    return connect_redis(redis_url)


def start_crawl(server: Any, db: Any) -> bool:
    """Clear the frontier and publish the archive's state, unless crawlers are running now
    (then this writer joins their crawl: a restarted writer). True when a crawl was started."""
    states = server.hgetall(key("states"))
    gone = set(dead_workers(server))
    if any(s in (b"busy", b"idle") and w.decode() not in gone for w, s in states.items()):
        return False
    leftovers = [*server.scan_iter(match=key("lease:*")), *server.scan_iter(match=key("requests:*"))]
    # The record pointers stay while items that may name them are still to be written.
    keep = ("captures",) if server.llen(key("items")) or server.llen(key("writing")) else ()
    server.delete(*[key(name) for name in CRAWL_KEYS if name not in keep], *leftovers)
    ArchiveState.of_archive(db).publish(server)
    return True


def ingest(redis_url: str, db_path: str | Path, *, wait_seconds: float = 60.0, crawlers: int = 1) -> RunSummary:
    """Write a distributed crawl into the archive at db_path until the crawl is done: every
    crawler that joined has ended, and at least `crawlers` joined (or `wait_seconds` passed).

    Raises CrawlError (one line) when it cannot run: Redis unreachable, archive unwritable,
    or another crawl or writer holds the archive's lock; or when no crawler joins within
    `wait_seconds`.
    """
    path = Path(db_path).expanduser().resolve()
    if not path.parent.is_dir():
        raise CrawlError(f"cannot open archive {db_path}: its folder does not exist")
    server = connect(redis_url)
    try:
        lock = acquire_lock(path)
    except CrawlLocked as exc:
        raise CrawlError(str(exc)) from None
    try:
        try:
            db = open_archive(path)
        except ArchiveError as exc:
            raise CrawlError(str(exc)) from None
        try:
            summary = _run(server, db, wait_seconds, crawlers, path)
        finally:
            db.close()
        read_attachments(path, str(default_dirs(path)[1]))  # as a local crawl does at its end
        return summary
    finally:
        lock.release()


def _run(server: Any, db: Any, wait_seconds: float, crawlers: int, path: Path) -> RunSummary:
    close_stale_runs(db)
    start_crawl(server, db)
    run = Ingest(server, db, start_run(db, [], full=False), crawlers, wait_seconds, path)
    run.announce()
    run.write_pending()
    deadline = time.monotonic() + wait_seconds
    status = "finished"
    try:
        while not run.finished():
            run.announce()
            run.step()
            if not server.hlen(key("states")) and time.monotonic() > deadline:
                status = "no_crawlers"
                break
        else:  # every crawler ended; those that died may have left requests nobody did
            status = "interrupted" if run.stranded() else "finished"
    except KeyboardInterrupt:
        status = "interrupted"
    while run.step(wait=0):  # whatever arrived last
        pass
    run.captures.close()
    server.delete(key("writer"))
    return _finish(server, run, status, wait_seconds)


def crawl_drift(server: Any) -> dict[str, dict[str, list[int]]]:
    """The crawlers' summed drift counts: {profile: {selector: [missed, of]}}."""
    drift: dict[str, dict[str, list[int]]] = {}
    for field_name, value in server.hgetall(key("drift")).items():
        profile, selector, which = field_name.decode().split("\t")
        counts = drift.setdefault(profile, {}).setdefault(selector, [0, 0])
        counts[0 if which == "missed" else 1] = int(value)
    return drift


def _finish(server: Any, run: Ingest, status: str, wait_seconds: float) -> RunSummary:
    """Record the run (figures summed over the crawlers) and return its summary."""
    db, counts = run.db, run.writer.totals
    stats = {k.decode(): int(v) for k, v in server.hgetall(key("stats")).items()}
    start_urls = sorted(u.decode() for u in server.smembers(key("start_urls")))
    walk = WalkFigures(
        fetched=stats.get("fetched", 0), requests=stats.get("requests", 0), list_pages=stats.get("list_pages", 0),
        article_links=stats.get("article_links", 0),
        empty_columns=sorted(u.decode() for u in server.smembers(key("empty_columns"))),
        parsed=stats.get("parsed", 0), parse_failures=stats.get("parse_failures", 0), drift=crawl_drift(server),
        walked=sorted(u.decode() for u in server.smembers(key("walked"))))
    db["crawl_runs"].update(run.run_id, {"start_urls": json.dumps(start_urls),
                                         "full": int(bool(server.exists(key("full"))))})
    warnings = close_run(db, run.run_id, status, time.monotonic() - run.started, counts, walk,
                         walked_to_the_end=status == "finished" and crawl_done(server))
    summary = RunSummary(run_id=run.run_id, status=status, fetched=stats.get("fetched", 0),
                         new=counts.new, updated=counts.updated, unchanged=counts.unchanged,
                         failed=counts.failed, seconds=time.monotonic() - run.started,
                         list_pages=stats.get("list_pages", 0), coverage=counts.coverage(),
                         warnings=warnings)
    if run.captures.raw_missing:
        summary.warnings.append(f"{run.captures.raw_missing} article pages' bytes could not be read back "
                                "from their WARC records: their raw pages are not kept")
    if run.captures.unresolved:
        summary.warnings.append(f"{run.captures.unresolved} items named a response this writer never "
                                "received: they are archived without a WARC pointer")
    summary.errors = [f"could not fetch start URL {u.decode()}: {why.decode()}"
                      for u, why in server.hgetall(key("start_failures")).items()]
    if status == "no_crawlers":
        summary.errors.append(f"no crawler joined within {wait_seconds:g} s "
                              "(start them with `unionnews crawl --redis URL ...`)")
    elif status == "interrupted":
        left = run.stranded()
        summary.errors.append(f"crawl interrupted; {left} requests were left undone: start a crawler "
                              "on the same Redis to finish them")
    return summary
