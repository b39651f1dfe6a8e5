"""Hand the archive to other tools: a WACZ package for replay, JSON Lines for the articles.

`export_wacz` packages the closed WARC files with the `wacz` tool's own library (the
Webrecorder reference implementation, the format ReplayWeb.page, pywb and Browsertrix read):
it builds the CDXJ index, the page list and the signed-digest-ready `datapackage.json`. The
page list is the archived articles (URL and headline), so a replay tool opens on the news, not
on list pages and robots.txt. Before packaging, each WARC file is checked against the sha256 the
crawl recorded when closing it: a damaged file is never passed on as if it were sound. The wacz
tool also writes `datapackage-digest.json` (the sha256 of `datapackage.json`, which lists every
file's sha256), so the package can be checked as a whole.

A package of one run (`run`) or of what was fetched since a time (`since`) holds those records
only, copied byte for byte (each record is its own gzip member) into one WARC file per source
file, named `SOURCE-run-N.warc.gz` or `SOURCE-since-STAMP.warc.gz`: a run's records are those of
the files whose warcinfo names it (`isPartOf: unionnews crawl run N`), records since a time
those whose WARC-Date is not earlier. A selected revisit brings the response record it names
(from any run), so every page in the package replays; the page list is the articles whose
payload is in the package, each at the time that payload was fetched (`ts`).

`export_jsonl` writes one JSON object per article (every column, `images`/`attachments` as
lists) with its earlier versions under `revisions`, oldest first, ordered by article id.
"""

from __future__ import annotations

import contextlib
import io
import json
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, TextIO

import sqlite_utils
from wacz.main import main as wacz_main
from warcio.archiveiterator import ArchiveIterator

from archive import db as archive_db
from archive.warcfiles import WARC_SUFFIX, read_manifest, sha256_file

JSON_LIST_COLUMNS = ("images", "attachments")
REVISION_COLUMNS = ("title", "body", "content_hash", "first_seen_at", "last_seen_at",
                    "replaced_at")


class ExportError(Exception):
    """The export could not be made (no WARCs, damaged WARC, bad path): one readable line."""


def open_read_only(db_path: str | Path) -> sqlite_utils.Database:
    """The archive opened read-only: exporting never changes it."""
    return archive_db.open_read_only(db_path, ExportError)


# JSON Lines ---------------------------------------------------------------------------------
def article_records(db: sqlite_utils.Database) -> Iterator[dict[str, Any]]:
    """Each article row as a JSON-ready dict, with its revisions, in id order."""
    if "articles" not in db.table_names():
        raise ExportError("the archive has no articles table (has it been crawled?)")
    revisions = _revisions_by_article(db)
    for row in db["articles"].rows_where(order_by="id"):
        for column in JSON_LIST_COLUMNS:
            if isinstance(row.get(column), str):
                row[column] = _json_list(row[column])
        row["revisions"] = revisions.get(row["id"], [])
        yield row


def _revisions_by_article(db: sqlite_utils.Database) -> dict[int, list[dict[str, Any]]]:
    if "revisions" not in db.table_names():
        return {}
    columns = [c for c in db["revisions"].columns_dict if c not in ("id", "article_id")]
    found: dict[int, list[dict[str, Any]]] = {}
    for row in db["revisions"].rows_where(order_by="article_id, id"):
        found.setdefault(row["article_id"], []).append({c: row[c] for c in columns})
    return found


def _json_list(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


def write_jsonl(records: Iterator[dict[str, Any]], out: TextIO) -> int:
    """Write records one per line (UTF-8 text kept readable, not \\u-escaped); return how many."""
    count = 0
    for record in records:
        out.write(json.dumps(record, ensure_ascii=False, default=_bytes_as_none) + "\n")
        count += 1
    return count


def _bytes_as_none(value: Any) -> None:
    if isinstance(value, bytes):
        return None
    raise TypeError(f"cannot export {type(value).__name__} as JSON")


def export_jsonl(db_path: str | Path, out_path: str | Path) -> int:
    """Write every article record to `out_path` ('-' for stdout); return the number written."""
    db = open_read_only(db_path)
    try:
        if str(out_path) == "-":
            import sys

            return write_jsonl(article_records(db), sys.stdout)
        try:
            with open(out_path, "w", encoding="utf-8") as out:
                return write_jsonl(article_records(db), out)
        except OSError as exc:
            raise ExportError(f"cannot write {out_path}: {exc.strerror}") from None
    finally:
        db.conn.close()


# WACZ ---------------------------------------------------------------------------------------
def sound_warc_files(warc_dir: Path) -> list[Path]:
    """The closed WARC files of `warc_dir`, each checked against its manifest sha256."""
    manifest = read_manifest(warc_dir)
    files = sorted(p for p in warc_dir.glob(f"*{WARC_SUFFIX}") if p.is_file())
    if not files:
        raise ExportError(f"no WARC files in {warc_dir}")
    for path in files:
        expected = manifest.get(path.name)
        if expected is None:
            raise ExportError(f"{path}: not in the manifest, cannot vouch for it")
        if sha256_file(path) != expected:
            raise ExportError(f"{path}: sha256 differs from the manifest (run unionnews verify)")
    return files


@dataclass
class Selection:
    """Which records of which WARC files go into a package: {file name: [(offset, length)]}."""

    label: str
    records: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    #: URL -> when its payload in the package was fetched (the latest 200 or redirect capture
    #: selected; for a 304, the capture it names): the page list's `ts`, which the wacz tool
    #: matches to a record of that URL at that second.
    captures: dict[str, str] = field(default_factory=dict)
    #: (URL, WARC-Date to the second) of every response and revisit record selected.
    stamps: set[tuple[str, str]] = field(default_factory=set)


def run_of(path: Path) -> int | None:
    """The crawl run a WARC file's warcinfo record names (`isPartOf`), None if it names none."""
    with open(path, "rb") as fh:
        for record in ArchiveIterator(fh):
            if record.rec_type != "warcinfo":
                return None
            for line in record.content_stream().read().decode("utf-8", "replace").splitlines():
                name, _, value = line.partition(":")
                if name.strip() == "isPartOf" and value.strip().startswith("unionnews crawl run "):
                    number = value.strip().removeprefix("unionnews crawl run ")
                    return int(number) if number.isdigit() else None
            return None
    return None


def parse_since(text: str) -> datetime:
    """A --since value (2026-12-04, 2026-12-04T08:00, ...; UTC unless it says otherwise)."""
    try:
        when = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ExportError(f"--since {text!r} is not a date or time (e.g. 2026-12-04 or "
                          "2026-12-04T08:00:00Z)") from None
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)


def _record_time(value: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat((value or "").replace("Z", "+00:00"))
    except ValueError:
        return None


def select_records(files: list[Path], run: int | None = None, since: datetime | None = None) -> Selection:
    """The records of run `run` (or fetched at `since` or later), with the response records
    their revisits name and the warcinfo records of their files."""
    label = f"run-{run}" if run is not None else f"since-{since:%Y%m%dT%H%M%SZ}" if since else "all"
    runs = {path: run_of(path) for path in files} if run is not None else {}

    def chosen(path: Path, record: Any) -> bool:
        if run is not None:
            return runs[path] == run
        when = _record_time(record.rec_headers.get_header("WARC-Date"))
        return since is None or (when is not None and when >= since)
    wanted: dict[str, set[tuple[int, int]]] = {}
    infos: dict[str, tuple[int, int]] = {}
    responses: dict[str, tuple[str, int, int]] = {}
    refers: set[str] = set()
    captures: dict[str, str] = {}
    stamps: set[tuple[str, str]] = set()
    for path in files:
        with open(path, "rb") as fh:
            records = ArchiveIterator(fh)
            for record in records:
                kind, headers = record.rec_type, record.rec_headers
                take = chosen(path, record)
                records.read_to_end(record)
                span = (records.get_record_offset(), records.get_record_length())
                if kind == "warcinfo":
                    infos[path.name] = span
                    continue
                if kind == "response":
                    responses[headers.get_header("WARC-Record-ID")] = (path.name, *span)
                if take:
                    wanted.setdefault(path.name, set()).add(span)
                    if kind == "revisit" and headers.get_header("WARC-Refers-To"):
                        refers.add(headers.get_header("WARC-Refers-To"))
                    _note_capture(captures, record)
                    if kind in ("response", "revisit"):
                        stamps.add((headers.get_header("WARC-Target-URI"),
                                    (headers.get_header("WARC-Date") or "")[:19]))
    for record_id in refers:
        if record_id in responses:
            name, offset, length = responses[record_id]
            wanted.setdefault(name, set()).add((offset, length))
    selection = Selection(label, captures=captures, stamps=stamps)
    for name, spans in wanted.items():
        selection.records[name] = sorted({*([infos[name]] if name in infos else []), *spans})
    return selection


def _note_capture(captures: dict[str, str], record: Any) -> None:
    """Note when a selected capture's payload was fetched, under its URL."""
    if record.rec_type not in ("response", "revisit") or record.http_headers is None:
        return
    headers, status = record.rec_headers, record.http_headers.get_statuscode()
    if status == "304":
        when = headers.get_header("WARC-Refers-To-Date")
    elif status == "200" or status.startswith("3"):  # a redirect replays as one
        when = headers.get_header("WARC-Date")
    else:
        return
    url = headers.get_header("WARC-Target-URI")
    if when and url and when > captures.get(url, ""):
        captures[url] = when


def write_selection(warc_dir: Path, selection: Selection, out_dir: Path) -> list[Path]:
    """Copy the selected records byte for byte into one new WARC file per source file."""
    written = []
    for name, spans in sorted(selection.records.items()):
        target = out_dir / f"{name.removesuffix(WARC_SUFFIX)}-{selection.label}{WARC_SUFFIX}"
        with open(warc_dir / name, "rb") as source, open(target, "wb") as out:
            for offset, length in spans:
                source.seek(offset)
                out.write(source.read(length))
        written.append(target)
    return written


def page_list(db: sqlite_utils.Database | None) -> list[dict[str, str]]:
    """The WACZ page list: each live archived article, by the URL its payload came from (after
    redirects: a moved article's old address holds only the redirect, captured at another
    moment), at the time its payload was fetched (`ts`): a later `--full` run that was answered 304 left a
    server-not-modified revisit, which replay tools show as the bare 304 it was. The wacz tool
    keeps a page only where a record of its URL has its ts (to the second): export_wacz moves
    a ts that has none (or, in a package of part of the archive, every ts) to the latest
    capture of the URL with a payload (a 304's: the capture it names)."""
    if db is None or "articles" not in db.table_names():
        return []
    columns = db["articles"].columns_dict
    url = "url"
    for name in ("fetched_url", "final_url"):  # the latest first: coalesce(final_url, fetched_url, url)
        url = f"coalesce({name}, {url})" if name in columns else url
    ts = "fetched_at" if "fetched_at" in columns else "NULL"
    where = "WHERE withdrawn_at IS NULL" if "withdrawn_at" in columns else ""
    sql = f"SELECT {url} AS url, title, {ts} FROM articles {where} ORDER BY id"
    return [{"url": u, "title": t or u, **({"ts": when} if when else {})}
            for u, t, when in db.execute(sql).fetchall()]


def html_pages(files: list[Path]) -> list[dict[str, str]]:
    """Fallback page list when the database lists no articles: every HTML page answered 200."""
    pages, seen = [], set()
    for path in files:
        with open(path, "rb") as fh:
            for record in ArchiveIterator(fh):
                if record.rec_type != "response" or record.http_headers is None:
                    continue
                url = record.rec_headers.get_header("WARC-Target-URI")
                mime = (record.http_headers.get_header("Content-Type") or "").split(";")[0]
                if (record.http_headers.get_statuscode() == "200" and mime == "text/html"
                        and url not in seen):
                    seen.add(url)
                    pages.append({"url": url, "title": url})
    return pages


def export_wacz(warc_dir: str | Path, out_path: str | Path,
                db_path: str | Path | None = None, title: str = "unionnews archive", *,
                run: int | None = None, since: datetime | None = None) -> int:
    """Package the WARC files (or the records of one run, or fetched since a time) into a
    WACZ at `out_path`; return the number of listed pages.

    The page list is the archive's live articles (those whose payload record is in the
    package), or, for WARCs without a database of articles, every HTML page the server
    answered 200 (WACZ requires a page list).
    """
    files = sound_warc_files(Path(warc_dir))
    db = open_read_only(db_path) if db_path and Path(db_path).is_file() else None
    try:
        pages = page_list(db)
        if run is not None:
            _check_run(db, run)
    finally:
        if db is not None:
            db.conn.close()
    with tempfile.TemporaryDirectory() as tmp:
        part = run is not None or since is not None
        selection = select_records(files, run, since)
        if part and not selection.records:
            what = f"run {run}" if run is not None else f"since {since:%Y-%m-%dT%H:%M:%SZ}"
            raise ExportError(f"the WARC files in {warc_dir} hold no record of {what}")
        # Each page at a capture of its URL in the package: the wacz tool keeps a page only
        # when a record of that URL has that time (to the second).
        captures, stamps = selection.captures, selection.stamps
        pages = [p if not part and (p["url"], p.get("ts", "")[:19]) in stamps
                 else {**p, "ts": captures[p["url"]]} if p["url"] in captures else p
                 for p in pages if p["url"] in captures or not part]
        if part:
            files = write_selection(Path(warc_dir), selection, Path(tmp))
        pages = pages or html_pages(files)
        if not pages:
            raise ExportError(f"the WARC files in {warc_dir} hold no HTML page to list")
        pages_file = Path(tmp) / "pages.jsonl"
        header = {"format": "json-pages-1.0", "id": "pages", "title": "Archived pages"}
        with open(pages_file, "w", encoding="utf-8") as out:
            write_jsonl(iter([header, *pages]), out)
        args = ["create", "-o", str(out_path), "--title", title, "--pages", str(pages_file)]
        said = _run_wacz(args + [str(p) for p in files], out_path)
    return len(pages) - said.count("Invalid passed page")  # pages the tool could not place


def _check_run(db: sqlite_utils.Database | None, run: int) -> None:
    if db is not None and "crawl_runs" in db.table_names() and not db.execute(
            "SELECT 1 FROM crawl_runs WHERE id = ?", [run]).fetchone():
        last = db.execute("SELECT max(id) FROM crawl_runs").fetchone()[0]
        raise ExportError(f"--run {run}: the archive has no such crawl run "
                          f"({f'runs are 1 to {last}' if last else 'it has none'})")


def validate_wacz(path: str | Path) -> tuple[bool, str]:
    """Run the wacz tool's own validation; (passed, what it printed)."""
    printed = io.StringIO()
    try:
        with contextlib.redirect_stdout(printed):
            code = wacz_main(["validate", "-f", str(path)])
    except Exception as exc:  # the tool raises on a file it cannot open at all
        return False, f"{printed.getvalue()}{type(exc).__name__}: {exc}"
    return code == 0, printed.getvalue()


def _run_wacz(args: list[str], out_path: str | Path) -> str:
    """Run the wacz tool's `create`, keeping its progress chatter off our output (returned)."""
    printed = io.StringIO()
    try:
        with contextlib.redirect_stdout(printed):
            code = wacz_main(args)
    except OSError as exc:
        raise ExportError(f"cannot write {out_path}: {exc.strerror or exc}") from None
    except Exception as exc:
        raise ExportError(f"wacz could not package the archive: {exc}") from None
    if code != 0:
        raise ExportError(f"wacz could not package the archive: {printed.getvalue().strip()}")
    return printed.getvalue()
