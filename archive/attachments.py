"""The text of archived attachments, read in a bounded child process and kept for search.

Each distinct attachment (by sha256: the same file under two articles is read once) gets one
row in `attachment_texts` with its text and a status: ok, no_text_layer, encrypted, failed,
unsupported, too_large or timeout, and the reason in words when it is not ok. The readers
(crawler/documents.py: PDF, DOCX, XLSX, XLS, RTF) and Debian's `antiword` for old Word files
run in a child process with an address-space limit
(RLIMIT_AS) and a time limit: a file that hangs it is killed and recorded as `timeout`, one that
crashes it as `failed`, and the next file gets a fresh child. Nothing a file does stops the
caller: a crawl (`ReadingAlong`: while it runs, and what is left at its end), `unionnews
reparse` and the distributed writer call `extract_pending`, which reads what has no text yet.

The search index of the text (archive/search.py, `attachments_fts`) follows the table through
triggers, like the articles' index.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import resource
import shutil
import subprocess
import threading
from collections import Counter
from contextlib import nullcontext
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import sqlite_utils

from archive import search
from archive.processes import start_process
from archive.db import ATTACHMENT_TEXT_COLUMNS as COLUMNS, ATTACHMENT_TEXTS as TABLE, open_archive
from archive.records import utc_now, write_transaction
from crawler import documents
from crawler.documents import Extracted

#: Kinds of files rows whose text is read: attachments of articles and files listed on list pages.
KINDS = ("attachment", "listed")
#: Old binary formats read by a Debian tool: the command, and the package that has it.
TOOLS = {"doc": (["antiword", "-m", "UTF-8.txt", "-w", "0"], "antiword")}

_PENDING = f"""
select f.sha256, min(f.path) as path, min(f.url) as url, min(f.content_type) as content_type
from files f
where f.kind in ({", ".join(f"'{kind}'" for kind in KINDS)}) and f.sha256 is not null
  and not exists (select 1 from {TABLE} t where t.sha256 = f.sha256)
group by f.sha256
"""
_ALL = _PENDING.replace(f"and not exists (select 1 from {TABLE} t where t.sha256 = f.sha256)", "")


@dataclass
class Limits:
    """Bounds on reading one file: wall-clock seconds, the child's address space in bytes,
    the size of a file read at all, PDF pages (and workbook sheets), and characters kept."""

    seconds: float = 30.0
    memory: int = 1024 * 1024 * 1024
    max_bytes: int = 64 * 1024 * 1024
    max_pages: int = documents.MAX_PAGES
    max_chars: int = documents.MAX_CHARS


@dataclass
class ExtractSummary:
    """How many distinct files were read, and their statuses."""

    read: int = 0
    statuses: Counter = field(default_factory=Counter)

    def line(self) -> str:
        parts = ", ".join(f"{count} {status.replace('_', ' ')}" for status, count in sorted(self.statuses.items()))
        return f"attachments: {self.read} read" + (f" ({parts})" if parts else "")


# ---------------------------------------------------------------------------------------------
# The child process


class Reader:
    """Reads files one at a time in a child process; a child that overruns its time is killed,
    one that dies is replaced, and each gives the file a status instead of an exception."""

    def __init__(self, limits: Limits | None = None) -> None:
        self.limits = limits or Limits()
        self.process: Any = None
        self.conn: Any = None

    def _start(self) -> None:
        context = multiprocessing.get_context("spawn")  # never fork a process that ran a reactor
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_serve, name="unionnews-attachments", daemon=True,
                                       args=(child, asdict(self.limits)))
        start_process(self.process)
        child.close()

    def read(self, path: Path, name: str = "", content_type: str = "") -> Extracted:
        """The text of the file at `path` (its URL's name and server type help tell its format)."""
        try:
            size = path.stat().st_size
        except OSError as exc:
            return Extracted(documents.FAILED, reason=f"stored file missing: {exc.strerror}")
        if size > self.limits.max_bytes:
            return Extracted(documents.TOO_LARGE, reason=f"{size} bytes (read up to {self.limits.max_bytes})")
        if self.process is None or not self.process.is_alive():
            self._start()
        self.conn.send((str(path), name, content_type))
        if not self.conn.poll(self.limits.seconds):
            self._stop()
            return Extracted(documents.TIMEOUT, reason=f"not read within {self.limits.seconds:g} s")
        try:
            result = Extracted(**self.conn.recv())
        except (EOFError, OSError):
            self.process.join(timeout=5)
            code = self.process.exitcode
            self._stop()
            return Extracted(documents.FAILED, reason=f"the reader crashed on it (exit {code})")
        if result.status == documents.TOO_LARGE and "memory" in result.reason:
            self._stop()  # the child ends after running out of memory: wait for it, start afresh
        return result

    def _stop(self) -> None:
        if self.process is not None:
            if self.process.is_alive():
                self.process.kill()
            self.process.join(timeout=5)
            self.conn.close()
        self.process = self.conn = None

    def close(self) -> None:
        if self.process is not None and self.process.is_alive():
            try:
                self.conn.send(None)
                self.process.join(timeout=5)
            except OSError:
                pass
        self._stop()

    def __enter__(self) -> Reader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _serve(conn: Any, limits: dict[str, Any]) -> None:
    """The child: the readers loaded, then a bounded address space, then one file per message
    until told to stop. After a file that ran out of memory the child ends (the next file gets a
    fresh one: an allocation that failed half-way may leave a library in a bad state)."""
    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # a warning per odd font is no news here
    documents.load_readers()  # before the limit: the limit is for reading files, not for loading code
    memory = limits["memory"]
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        if job is None:
            return
        result = read_file(Path(job[0]), job[1], job[2], limits["max_pages"], limits["max_chars"], limits["seconds"])
        conn.send(asdict(result))
        if result.status == documents.TOO_LARGE and "memory" in result.reason:
            return


def read_file(path: Path, name: str, content_type: str, max_pages: int = documents.MAX_PAGES,
              max_chars: int = documents.MAX_CHARS, seconds: float = 30.0) -> Extracted:
    """One file's text, in this process (the child calls it): the readers of crawler/documents,
    or the Debian tool for DOC."""
    try:
        data = path.read_bytes()
        kind = documents.sniff(data, name, content_type)
        if kind in TOOLS:
            return documents.cut(tool_text(kind, path, seconds), max_chars)
        return documents.extract(data, name, content_type, max_pages=max_pages, max_chars=max_chars)
    except MemoryError:
        return Extracted(documents.TOO_LARGE, reason="needs more memory than allowed")
    except OSError as exc:
        return Extracted(documents.FAILED, reason=f"cannot read the stored file: {exc}")


def tool_text(kind: str, path: Path, seconds: float) -> Extracted:
    """A DOC file's text from its Debian tool; `unsupported` when the tool is missing."""
    command, package = TOOLS[kind]
    if shutil.which(command[0]) is None:
        return Extracted(documents.UNSUPPORTED, reason=f"{kind.upper()}: {command[0]} is not installed "
                         f"(apt-get install {package})", format=kind)
    try:
        done = subprocess.run([*command, str(path)], capture_output=True, timeout=seconds, check=False,
                              env={**os.environ, "LC_ALL": "C.UTF-8"})
    except subprocess.TimeoutExpired:
        return Extracted(documents.TIMEOUT, reason=f"{command[0]} took over {seconds:g} s", format=kind)
    text = done.stdout.decode("utf-8", "replace")
    if done.returncode != 0:
        why = done.stderr.decode("utf-8", "replace").strip().splitlines()
        return Extracted(documents.FAILED, reason=f"broken: {command[0]}: {why[0] if why else done.returncode}"[:300],
                         format=kind)
    return Extracted(documents.OK, text, format=kind)


# ---------------------------------------------------------------------------------------------
# Filling the table


def extract_pending(db: sqlite_utils.Database, files_dir: str | Path, *, limits: Limits | None = None,
                    everything: bool = False, now: str | None = None, reader: Reader | None = None,
                    summary: ExtractSummary | None = None) -> ExtractSummary:
    """Read the text of every attachment (and listed file) that has none yet; with `everything`,
    of every one again (reparse). Each file's row is written as soon as it is read, with the
    search index, in a short transaction, so a reader of the archive is never held up.
    `reader` is a Reader to use (and leave open), `summary` one to add the figures to."""
    summary = summary if summary is not None else ExtractSummary()
    files_dir = Path(files_dir)
    todo = list(db.query(_ALL if everything else _PENDING))
    if not todo:
        return summary
    with Reader(limits) if reader is None else nullcontext(reader) as reader:
        for row in todo:
            result = reader.read(files_dir / (row["path"] or ""), documents.file_name(row["url"] or ""),
                                 row["content_type"] or "")
            summary.read += 1
            summary.statuses[result.status] += 1
            values = {"sha256": row["sha256"], "format": result.format, "status": result.status,
                      "reason": result.reason or None, "pages": result.pages,
                      "characters": len(result.text) if result.text else 0, "text": result.text or None,
                      "extracted_at": now or utc_now()}
            with write_transaction(db):
                _store(db, values)
                search.sync_attachments(db)
    return summary


class ReadingAlong:
    """Reads attachments' text while a crawl stores the files, then what is left at its end.

    A thread looks for files without text every `interval` seconds and reads them through one
    Reader (its bounded child runs beside the crawl, on another core), in short transactions
    beside the crawl's writer. The text of a long crawl's attachments is searchable as it goes,
    and the crawl's end reads only the last files instead of all of them (bench/crawl.py: 0.7 s
    of a 5,100-article crawl's 15 s were spent reading them after it). `finish()` reads what
    the crawl's last writes left and returns the figures; nothing it meets fails the crawl: the
    reason is kept in `error` and the files are read by the next run or `unionnews reparse`.
    """

    def __init__(self, path: str | Path, files_dir: str | Path, *, interval: float = 1.0,
                 limits: Limits | None = None) -> None:
        self.path, self.files_dir, self.interval, self.limits = path, files_dir, interval, limits
        self.summary = ExtractSummary()
        self.error: str | None = None
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, name="unionnews-attachments", daemon=True)

    def start(self) -> ReadingAlong:
        self._thread.start()
        return self

    def finish(self) -> ExtractSummary:
        """Read what is left (call once the crawl's writes are done) and end the thread; never
        started, read it all here."""
        self._done.set()
        if self._thread.ident is None:
            self._run()
        else:
            self._thread.join()
        return self.summary

    def _run(self) -> None:
        try:
            db = open_archive(self.path)
        except Exception as exc:  # the crawl reports an archive it cannot open by itself
            self.error = f"{type(exc).__name__}: {exc}"
            return
        try:
            with Reader(self.limits) as reader:
                while not self._done.wait(self.interval):
                    extract_pending(db, self.files_dir, reader=reader, summary=self.summary)
                extract_pending(db, self.files_dir, reader=reader, summary=self.summary)
        except Exception as exc:  # the crawl's own work is written: reading files must not undo it
            self.error = f"{type(exc).__name__}: {exc}"
        finally:
            db.close()


def _store(db: sqlite_utils.Database, values: dict[str, Any]) -> None:
    names = [name for name in COLUMNS if name != "id"]
    db.execute(
        f"INSERT INTO {TABLE}({', '.join(names)}) VALUES ({', '.join('?' * len(names))}) "
        "ON CONFLICT(sha256) DO UPDATE SET " + ", ".join(f"{name} = excluded.{name}" for name in names[1:])
        + " WHERE " + " OR ".join(f"{name} IS NOT excluded.{name}" for name in names[1:-1]),
        [values[name] for name in names],
    )
