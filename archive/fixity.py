"""Fixity: prove the archive's stored bytes have not changed since they were captured.

`verify_archive` recomputes every digest the archive holds and names each bad file:
- each WARC file's whole-file sha256 against `manifest-sha256.txt` (written when it was closed);
- each WARC record's block and payload digests (warcio's own digest check), so a damaged record
  is found even in a file the manifest cannot vouch for;
- each revisit record's reference: `WARC-Refers-To` names a response record of these files
  with the revisit's URI, date and payload digest (`WARC-Refers-To-Target-URI`, `-Date`);
- each record pointer saved in the database (any table with `warc_file`, `warc_offset`,
  `warc_length`, `warc_digest` columns: articles, revisions, pages, files) reads back alone
  as a record with that payload digest;
- each downloaded attachment or image (table `files`) against the sha256 it is stored under;
- each raw article page kept in the database (table `pages`) against its sha256.
It opens the database read-only: verifying never changes the archive.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from typing import Any

import sqlite_utils
from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from archive.db import open_read_only
from archive.warcfiles import MANIFEST_NAME, OPEN_SUFFIX, WARC_SUFFIX, read_manifest, sha256_file

POINTER_COLUMNS = ("warc_file", "warc_offset", "warc_length", "warc_digest")
FILES_TABLE = "files"
READ_ERRORS = (ArchiveLoadFailed, zlib.error, EOFError, OSError, ValueError)


class FixityError(Exception):
    """Verification could not run at all (no database, unreadable folder): one readable line."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the archive, naming the file it was found in."""

    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


@dataclass
class Report:
    """What was checked and what was wrong; `ok` when nothing was."""

    warc_files: int = 0
    records: int = 0
    pointers: int = 0
    attachments: int = 0
    pages: int = 0
    revisits: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        checked = (f"{self.warc_files} WARC files, {self.records} records, "
                   f"{self.pointers} record pointers, {self.attachments} attachments, "
                   f"{self.pages} raw pages")
        if self.revisits:
            checked += f", {self.revisits} revisits resolved to their originals"
        if self.ok:
            return f"verified {checked}: all digests match"
        return f"checked {checked}: {len(self.problems)} problem(s)"


def default_dirs(db_path: str | Path) -> tuple[Path, Path]:
    """The WARC and attachment folders the crawl uses by default: `warc/` ($UNIONNEWS_WARC_DIR
    when set) and `files/` beside the database."""
    parent = Path(db_path).resolve().parent
    warc_env = os.environ.get("UNIONNEWS_WARC_DIR")
    return (Path(warc_env) if warc_env else parent / "warc"), parent / "files"


def verify_archive(db_path: str | Path, warc_dir: str | Path | None = None,
                   files_dir: str | Path | None = None) -> Report:
    """Recompute every stored digest of the archive at `db_path`; see the module docstring."""
    default_warc, default_files = default_dirs(db_path)
    warc_dir = Path(warc_dir) if warc_dir else default_warc
    files_dir = Path(files_dir) if files_dir else default_files
    report = Report()
    verify_warc_dir(warc_dir, report)
    db = open_read_only(db_path, FixityError)
    try:
        verify_pointers(db, warc_dir, report)
        verify_attachments(db, files_dir, report)
        verify_raw_pages(db, Path(db_path), report)
    finally:
        db.conn.close()
    return report


def verify_warc_dir(warc_dir: Path, report: Report) -> None:
    """Check each WARC file against the manifest and each record against its digests."""
    if not warc_dir.exists():
        return
    if not warc_dir.is_dir():
        raise FixityError(f"WARC folder {warc_dir} is not a folder")
    manifest = read_manifest(warc_dir)
    refs = References()
    on_disk = {p.name for p in warc_dir.iterdir() if p.name != MANIFEST_NAME}
    for name in sorted(set(manifest) - on_disk):
        report.problems.append(Problem(str(warc_dir / name), "missing (listed in the manifest)"))
    for name in sorted(on_disk):
        path = warc_dir / name
        if name.endswith(OPEN_SUFFIX):
            report.problems.append(Problem(str(path), "never closed (crawl interrupted?)"))
            continue
        if not name.endswith(WARC_SUFFIX):
            continue
        report.warc_files += 1
        expected = manifest.get(name)
        if expected is None:
            report.problems.append(Problem(str(path), "not in the manifest: no sha256 to check"))
        elif sha256_file(path) != expected:
            report.problems.append(Problem(str(path), "sha256 differs from the manifest"))
        _check_records(path, report, refs)
    refs.check(report)


@dataclass
class References:
    """The response records seen, and the revisits naming one: resolved once all are read."""

    responses: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    revisits: list[tuple[Path, int, dict[str, str]]] = field(default_factory=list)

    def note(self, path: Path, offset: int, record: Any) -> None:
        headers = record.rec_headers
        if record.rec_type == "response":
            self.responses[headers.get_header("WARC-Record-ID")] = (
                headers.get_header("WARC-Target-URI"), headers.get_header("WARC-Date"),
                headers.get_header("WARC-Payload-Digest"))
        elif record.rec_type == "revisit" and headers.get_header("WARC-Refers-To"):
            self.revisits.append((path, offset, dict(headers.headers)))

    def check(self, report: Report) -> None:
        for path, offset, headers in self.revisits:
            report.revisits += 1
            original = self.responses.get(headers["WARC-Refers-To"])
            said = (headers.get("WARC-Refers-To-Target-URI"), headers.get("WARC-Refers-To-Date"),
                    headers.get("WARC-Payload-Digest"))
            if original is None:
                problem = f"names {headers['WARC-Refers-To']}, no response record here"
            elif original != said:
                problem = "its URI, date or digest differ from the record it names"
            else:
                continue
            report.problems.append(Problem(str(path), f"revisit at offset {offset}: {problem}"))


def _check_records(path: Path, report: Report, refs: References | None = None) -> None:
    position = [0]  # where the record being read starts
    try:
        for offset, problem in _record_problems(path, position, refs):
            report.records += 1
            if problem:
                report.problems.append(Problem(str(path), f"record at offset {offset}: {problem}"))
    except READ_ERRORS as exc:
        report.problems.append(Problem(
            str(path), f"damaged record at offset {position[0]}, not readable from there "
                       f"({_short(exc)})"))


def _short(exc: BaseException, limit: int = 60) -> str:
    """An exception as a short printable phrase (warcio quotes raw, often binary, bytes)."""
    text = "".join(c if c.isprintable() and ord(c) < 0x7F else "?" for c in str(exc))
    text = text if len(text) <= limit else text[:limit] + "..."
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _record_problems(path: Path, position: list[int],
                     refs: References | None = None) -> Iterator[tuple[int, str]]:
    """Yield (offset, problem or '') per record; reading the payload runs the digest check.

    `position[0]` is kept at the start of the next record, to name where damage begins.
    """
    with open(path, "rb") as fh:
        records = ArchiveIterator(fh, check_digests=True)
        for record in records:
            record.raw_stream.read()
            offset = records.get_record_offset()
            if refs is not None:
                refs.note(path, offset, record)
            problems = "; ".join(record.digest_checker.problems)
            records.read_to_end(record)
            position[0] = offset + records.get_record_length()
            yield offset, problems


def verify_pointers(db: sqlite_utils.Database, warc_dir: Path, report: Report) -> None:
    """Each saved (file, offset, length, digest) must read back as a record with that digest."""
    for table in db.table_names():
        columns = set(db[table].columns_dict)
        if not set(POINTER_COLUMNS) <= columns:
            continue
        sql = (f"SELECT rowid, {', '.join(POINTER_COLUMNS)} FROM [{table}] "
               "WHERE warc_file IS NOT NULL")
        for rowid, name, offset, length, digest in db.execute(sql).fetchall():
            report.pointers += 1
            problem = check_pointer(warc_dir / name, offset, length, digest)
            if problem:
                report.problems.append(
                    Problem(str(warc_dir / name), f"{table} row {rowid}: {problem}"))


def check_pointer(path: Path, offset: int, length: int, digest: str) -> str:
    """'' when the record at `offset` in `path` is whole and has payload digest `digest`."""
    try:
        with open(path, "rb") as fh:
            fh.seek(offset)
            chunk = fh.read(length)
        record = next(iter(ArchiveIterator(BytesIO(chunk), check_digests=True)))
        record.raw_stream.read()
    except FileNotFoundError:
        return "file missing"
    except (*READ_ERRORS, StopIteration) as exc:
        return f"no readable record at offset {offset} ({_short(exc)})"
    if record.digest_checker.problems:
        return "; ".join(record.digest_checker.problems)
    found = record.rec_headers.get_header("WARC-Payload-Digest")
    if found != digest:
        return f"record at offset {offset} has digest {found}, the row says {digest}"
    return ""


def verify_raw_pages(db: sqlite_utils.Database, db_path: Path, report: Report) -> None:
    """The raw page bytes kept in the database (gzip) must hash to the sha256 stored beside."""
    if "pages" not in db.table_names() or not {"body", "sha256"} <= set(db["pages"].columns_dict):
        return
    for rowid, body, digest in db.execute(
        "SELECT rowid, body, sha256 FROM pages WHERE body IS NOT NULL"
    ).fetchall():
        report.pages += 1
        try:
            ok = hashlib.sha256(gzip.decompress(body)).hexdigest() == digest
        except (OSError, EOFError, zlib.error):
            ok = False
        if not ok:
            report.problems.append(
                Problem(str(db_path), f"pages row {rowid}: raw bytes differ from their sha256"))


def verify_attachments(db: sqlite_utils.Database, files_dir: Path, report: Report) -> None:
    """Each stored attachment/image must exist and hash to the sha256 it is stored under."""
    if FILES_TABLE not in db.table_names():
        return
    seen: set[str] = set()
    for path, digest in db.execute(
        f"SELECT path, sha256 FROM [{FILES_TABLE}] WHERE path IS NOT NULL"
    ).fetchall():
        if path in seen:
            continue
        seen.add(path)
        report.attachments += 1
        full = files_dir / path
        if not full.is_file():
            report.problems.append(Problem(str(full), "attachment file missing"))
        elif sha256_file(full) != digest:
            report.problems.append(Problem(str(full), "attachment sha256 differs from the archive"))
