"""Where the store pipeline's batches are written: in the crawl's process, or in a writer process.

Writing a batch (rows, raw pages, the search index) costs about as much CPU as Scrapy spends
fetching the pages (measured with bench/crawl.py), and a crawl is CPU-bound in one process.
`BackgroundWriter` hands each batch to a child process and lets the crawl go on fetching;
`InlineWriter` writes in place (simpler to debug; UNIONNEWS_WRITER_PROCESS = False). Both
write every batch in one transaction, in the order given, through `ArchiveWriter`.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import signal
from collections.abc import Sequence
from typing import Any

from archive.db import open_archive
from archive.processes import start_process, tune_collector
from archive.records import ArchiveWriter, WriteCounts

# Batches handed to the writer process and not yet written before the crawl waits for it.
MAX_BACKLOG = 8
# How often the writer process checks that the crawl that started it is still alive (s).
PARENT_CHECK_SECONDS = 0.5


class StoreFailed(Exception):
    """The archive cannot be written at all (disk full, file gone read-only)."""


class InlineWriter:
    """Writes each batch at once, in the crawl's process."""

    def __init__(self, path: str, run_id: int, site: str | None) -> None:
        self.writer = ArchiveWriter(open_archive(path), run_id, site)
        self.done: list[WriteCounts] = []

    def submit(self, batch: Sequence[Any]) -> None:
        try:
            self.done.append(self.writer.write_or_record(batch))
        except Exception as exc:
            raise StoreFailed(f"{type(exc).__name__}: {exc}") from exc

    def collect(self) -> list[WriteCounts]:
        done, self.done = self.done, []
        return done

    collect_some = collect

    def close(self) -> list[WriteCounts]:
        self.writer.db.close()
        return self.collect()


class BackgroundWriter:
    """Writes batches in a child process, in order; results come back as WriteCounts."""

    def __init__(self, path: str, run_id: int, site: str | None) -> None:
        context = multiprocessing.get_context("spawn")  # never fork a process running a reactor
        self.jobs: Any = context.Queue()
        self.results: Any = context.Queue()
        self.pending = 0
        self.process = context.Process(target=serve, name="unionnews-writer", daemon=True,
                                       args=(path, run_id, site, self.jobs, self.results, os.getpid()))
        start_process(self.process)

    def submit(self, batch: Sequence[Any]) -> None:
        self.jobs.put(list(batch))
        self.pending += 1

    def collect_some(self) -> list[WriteCounts]:
        """What is written so far; waits only when the writer falls MAX_BACKLOG batches
        behind, so a slow disk slows the crawl instead of filling memory with pages."""
        done = self.collect()
        if self.pending > MAX_BACKLOG:
            done += self.collect(wait=True, backlog=MAX_BACKLOG)
        return done

    def collect(self, wait: bool = False, backlog: int = 0) -> list[WriteCounts]:
        """Counts of the batches written since the last call; with wait, wait until no more
        than `backlog` batches are still unwritten."""
        done: list[WriteCounts] = []
        while self.pending > (backlog if wait else 0):
            try:
                result = self.results.get(timeout=PARENT_CHECK_SECONDS) if wait else self.results.get_nowait()
            except queue.Empty:
                if not wait:
                    break
                if not self.process.is_alive():
                    self.abandon()
                    raise StoreFailed(f"the writer process died (exit {self.process.exitcode})") from None
                continue
            self.pending -= 1
            if isinstance(result, str):
                self.abandon()
                raise StoreFailed(result)
            done.append(result)
        return done

    def close(self) -> list[WriteCounts]:
        """Wait for every batch to be written, then let the writer process end."""
        self.jobs.put(None)
        try:
            return self.collect(wait=True)
        finally:
            self.process.join(timeout=30)
            self.abandon()

    def abandon(self) -> None:
        """Stop the writer and drop what it did not read, so this process can always exit."""
        self.jobs.cancel_join_thread()
        if self.process.is_alive():
            self.process.kill()  # it ignores SIGTERM; a half-written batch is rolled back


def serve(path: str, run_id: int, site: str | None, jobs: Any, results: Any, parent: int) -> None:
    """The writer process: write each batch from `jobs`, answer on `results`, until told to stop.

    It ignores SIGINT/SIGTERM (the crawl shuts down gracefully and then stops it) and exits on
    its own when the crawl's process is gone, even killed: the batch it was writing is either
    committed whole or rolled back, never half-written.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    writer = ArchiveWriter(open_archive(path), run_id, site)
    tune_collector()
    try:
        while True:
            try:
                batch = jobs.get(timeout=PARENT_CHECK_SECONDS)
            except queue.Empty:
                if os.getppid() != parent:
                    return
                continue
            if batch is None:
                return
            try:
                results.put(writer.write_or_record(batch))
            except Exception as exc:
                results.put(f"{type(exc).__name__}: {exc}")
                return
    finally:
        writer.db.close()
