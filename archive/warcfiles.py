"""WARC files: rotating gzip WARC 1.1 files of request/response records, their manifest, and
the recovery of files a killed crawl left open. No Scrapy here: the capture middleware
(pipelines/warc.py) hands over plain `Exchange` records; `unionnews verify` and `export` read
the files and the manifest through this module.

Records are built, digested, gzipped and written by `RotatingWarcWriter`, either in the crawl's
own process (`InlineWarc`) or in a child process (`WarcProcess`, the default: that work was a
seventh of the crawl process's CPU). Files are written as `NAME.warc.gz.open` and renamed when
closed (rotation at a size, or the end of the crawl); on close the whole-file sha256 is
appended to `manifest-sha256.txt` in `sha256sum` format. A file left `.open` by a killed crawl
is closed by the next one: cut after its last whole record, renamed, hashed and listed.

Revisits: a 200 answer whose payload (sha1, as WARC-Payload-Digest) is already held by a
response record, under another URL or from an earlier run, is written as a `revisit` record
(identical-payload-digest profile: HTTP headers only, WARC-Refers-To, -Target-URI, -Date naming
that response record); a 304 answer to a conditional request is a `revisit` record with the
server-not-modified profile naming the response record that holds the URL's last payload. A
revisit always names a response record, never another revisit, so one step resolves it. The
pointer returned for a revisit is the original response record's (so rows point at a payload);
the revisit's own place is under `revisit`. Which payloads the archive holds survives across
runs in `payload-index.jsonl` beside the WARCs (`PayloadIndex`): a block of lines per WARC
file, appended once the file is closed; a listed file with no block (recovered after a kill,
or older than the index) is read once and its block added.
"""


from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import logging
import os
import socket
import uuid
import zlib
from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timezone
from http import HTTPStatus
from io import BytesIO
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from archive.processes import OrderedChild, serve_in_order

logger = logging.getLogger(__name__)
MANIFEST_NAME = "manifest-sha256.txt"
OPEN_SUFFIX = ".open"
WARC_SUFFIX = ".warc.gz"
DEFAULT_MAX_BYTES = 256 * 1024 * 1024
WARC_VERSION = "WARC/1.1"
SOFTWARE = "unionnews (Scrapy + warcio)"
INDEX_NAME = "payload-index.jsonl"
# WARC 1.1, 6.7.2 and 6.7.3 (the spec's URIs say "revisit", singular).
IDENTICAL_PAYLOAD = "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"
SERVER_NOT_MODIFIED = "http://netpreserve.org/warc/1.1/revisit/server-not-modified"
# Headers the downloader has already undone; kept under a renamed key so replay stays correct.
_RENAMED_HEADERS = {b"transfer-encoding": "X-Archive-Orig-Transfer-Encoding"}


@dataclass(frozen=True)
class WarcPointer:
    """Where one record lives: enough to read it back alone and check it."""

    file: str
    offset: int
    length: int
    digest: str
    record_id: str
    date: str
    revisit: dict[str, Any] | None = None  # the revisit record written for this answer, if any

    def as_meta(self) -> dict[str, Any]:
        """The pointer as `response.meta['warc']` carries it (plain data, picklable)."""
        return asdict(self)


@dataclass(frozen=True)
class ClosedWarc:
    """A finished WARC file and its whole-file fixity."""

    name: str
    sha256: str
    size: int


def sha256_file(path: Path, chunk: int = 1 << 20) -> str:
    """Hex sha256 of a whole file, read in chunks so large WARCs stay out of memory."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def read_manifest(warc_dir: Path) -> dict[str, str]:
    """The manifest's entries as {file name: sha256}; empty when there is none yet."""
    path = Path(warc_dir) / MANIFEST_NAME
    if not path.exists():
        return {}
    entries = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        digest, sep, name = line.partition("  ")
        if sep and digest and name:
            entries[name.strip()] = digest.strip()
    return entries


def _append_manifest(warc_dir: Path, closed: ClosedWarc) -> None:
    line = f"{closed.sha256}  {closed.name}\n"
    with open(warc_dir / MANIFEST_NAME, "a", encoding="utf-8") as fh:
        fh.write(line)
        fh.flush()
        os.fsync(fh.fileno())


def complete_prefix(path: Path, chunk: int = 1 << 16) -> int:
    """Length of the run of whole records at the start of a gzip WARC file.

    Each record is one gzip member; a member is whole when zlib reaches its end (CRC and
    length checked) and it holds a record ending in the two CRLFs WARC requires. warcio
    itself reads a truncated member without complaint, so this is checked here.
    """
    end = 0
    with open(path, "rb") as fh:
        pending = b""
        while True:
            inflater = zlib.decompressobj(zlib.MAX_WBITS | 16)
            tail = b""
            data = pending or fh.read(chunk)
            while data:
                try:
                    tail = (tail + inflater.decompress(data))[-4:]
                except zlib.error:
                    return end
                if inflater.eof:
                    break
                data = fh.read(chunk)
            if not inflater.eof or tail != b"\r\n\r\n":
                return end
            pending = inflater.unused_data
            end = fh.tell() - len(pending)
            if not pending and not (pending := fh.read(chunk)):
                return end


def recover_open_files(warc_dir: str | Path) -> list[ClosedWarc]:
    """Close the files a killed crawl left `.open`: cut a half-written last record, rename,
    and add them to the manifest, so the records its committed rows point at stay verifiable.
    """
    warc_dir = Path(warc_dir)
    recovered = []
    for leftover in sorted(warc_dir.glob(f"*{WARC_SUFFIX}{OPEN_SUFFIX}")):
        keep = complete_prefix(leftover)
        with open(leftover, "r+b") as fh:
            fh.truncate(keep)
        final = leftover.with_name(leftover.name.removesuffix(OPEN_SUFFIX))
        leftover.rename(final)
        closed = ClosedWarc(final.name, sha256_file(final), final.stat().st_size)
        _append_manifest(warc_dir, closed)
        recovered.append(closed)
    return recovered


def read_payload(warc_dir: str | Path, pointer: dict[str, Any]) -> bytes:
    """The payload of the record a pointer names, with its Content-Encoding undone (the body as
    crawler's pipelines saw it); the file may still be open (`NAME.open`)."""
    path = Path(warc_dir) / pointer["file"]
    if not path.exists():
        path = path.with_name(path.name + OPEN_SUFFIX)
    with open(path, "rb") as fh:
        fh.seek(pointer["offset"])
        chunk = fh.read(pointer["length"])
    record = next(iter(ArchiveIterator(BytesIO(chunk))))
    return record.content_stream().read()


def warc_date(when: datetime | None = None) -> str:
    """A WARC-Date as warcio writes it for WARC 1.1: UTC, to the microsecond."""
    when = when or datetime.now(timezone.utc)
    return when.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def payload_digest(body: bytes) -> str:
    """The WARC-Payload-Digest warcio writes for a payload: sha1, base32."""
    return "sha1:" + base64.b32encode(hashlib.sha1(body).digest()).decode("ascii")


EMPTY_DIGEST = payload_digest(b"")


def dedupable(status: int, body: bytes) -> bool:
    """Answers whose payload may be written as a revisit: 200s with a body."""
    return status == 200 and len(body) > 0


@dataclass(frozen=True)
class Original:
    """A response record holding a payload, and the URL it was captured under."""

    url: str
    pointer: WarcPointer


class PayloadIndex:
    """Which payloads the archive's closed WARC files hold, and the last payload of each URL.

    `originals`: payload digest -> pointer of the response record holding it (the first one);
    `latest`: URL -> the digest of its last 200 capture (response or revisit). Kept in
    `payload-index.jsonl` beside the WARCs: for each closed file its captures, one JSON line
    each (`u` URL, `d` digest, and for a response record `o`, `l`, `i`, `t`: offset, length,
    record id, date), then `{"closed": NAME}`. Only files listed in the manifest and on disk
    count; a listed file without its block is read once from the WARC (`scan`) and its block
    appended. Measured in bench/warc.py: loading the index is much faster than reading the
    WARCs again, and it grows by about 200 bytes per capture.
    """

    def __init__(self, warc_dir: Path) -> None:
        self.warc_dir = Path(warc_dir)
        self.originals: dict[str, Original] = {}
        self.latest: dict[str, str] = {}
        self.pending: list[dict[str, Any]] = []  # the open file's captures
        self.scanned: list[str] = []

    @classmethod
    def load(cls, warc_dir: str | Path) -> PayloadIndex:
        index = cls(Path(warc_dir))
        listed = [name for name in read_manifest(index.warc_dir)
                  if (index.warc_dir / name).is_file()]
        blocks: dict[str, list[dict[str, Any]]] = {}
        path = index.warc_dir / INDEX_NAME
        if path.exists():
            block: list[dict[str, Any]] = []
            with open(path, encoding="utf-8") as fh:
                for line in fh:
                    try:
                        entry = json.loads(line)
                    except ValueError:  # a line cut short by a kill
                        block = []
                        continue
                    if "closed" in entry:
                        blocks[entry["closed"]] = block
                        block = []
                    else:
                        block.append(entry)
        for name in listed:  # manifest order: the order the files were closed
            if name not in blocks:
                blocks[name] = scan(index.warc_dir / name)
                index._append(name, blocks[name])
                index.scanned.append(name)
            for entry in blocks[name]:
                index._add(name, entry)
        return index

    def _add(self, name: str, entry: dict[str, Any]) -> None:
        digest = entry["d"]
        if "o" in entry and digest not in self.originals:
            self.originals[digest] = Original(entry["u"], WarcPointer(
                name, entry["o"], entry["l"], digest, entry["i"], entry["t"]))
        if digest in self.originals:
            self.latest[entry["u"]] = digest

    def original(self, digest: str) -> Original | None:
        return self.originals.get(digest)

    def last_capture(self, url: str) -> Original | None:
        digest = self.latest.get(url)
        return self.originals.get(digest) if digest else None

    def captured(self, url: str, pointer: WarcPointer, response: bool) -> None:
        """Note a 200 capture in the open file (a response record, or a revisit of `pointer`)."""
        if not response and self.latest.get(url) == pointer.digest:
            return  # the same URL, the same payload: nothing new to keep
        entry: dict[str, Any] = {"u": url, "d": pointer.digest}
        if response:
            entry.update(o=pointer.offset, l=pointer.length, i=pointer.record_id, t=pointer.date)
        self.pending.append(entry)
        self._add(pointer.file, entry)

    def closed(self, name: str) -> None:
        """The open file is closed and listed: keep its block."""
        self._append(name, self.pending)
        self.pending = []

    def _append(self, name: str, entries: list[dict[str, Any]]) -> None:
        lines = "".join(json.dumps(e, ensure_ascii=False) + "\n"
                        for e in [*entries, {"closed": name}])
        with open(self.warc_dir / INDEX_NAME, "a", encoding="utf-8") as fh:
            fh.write(lines)
            fh.flush()
            os.fsync(fh.fileno())


def scan(path: Path) -> list[dict[str, Any]]:
    """The 200 captures of one WARC file, as index lines (read from its records)."""
    entries = []
    with open(path, "rb") as fh:
        records = ArchiveIterator(fh)
        for record in records:
            kind = record.rec_type
            headers = record.rec_headers
            ok = (kind in ("response", "revisit") and record.http_headers is not None
                  and record.http_headers.get_statuscode() == "200")
            records.read_to_end(record)
            digest = headers.get_header("WARC-Payload-Digest")
            if not ok or not digest or digest == EMPTY_DIGEST:
                continue
            entry: dict[str, Any] = {"u": headers.get_header("WARC-Target-URI"), "d": digest}
            if kind == "response":
                entry.update(o=records.get_record_offset(), l=records.get_record_length(),
                             i=headers.get_header("WARC-Record-ID"),
                             t=headers.get_header("WARC-Date"))
            elif headers.get_header("WARC-Profile") != IDENTICAL_PAYLOAD:
                continue
            entries.append(entry)
    return entries


class RotatingWarcWriter:
    """Appends request/response pairs to gzip WARC files, starting a new file past `max_bytes`;
    an answer whose payload the archive already holds, or a 304, is written as a revisit."""

    def __init__(
        self, warc_dir: str | Path, prefix: str = "unionnews", max_bytes: int = DEFAULT_MAX_BYTES,
        info: dict[str, str] | None = None, dedup: bool = True,
    ) -> None:
        self.warc_dir = Path(warc_dir)
        self.prefix = prefix
        self.max_bytes = max_bytes
        self.info = info or {}
        self.closed_files: list[ClosedWarc] = []
        self._serial = 0
        self._fh: Any = None
        self._name = ""
        self._writer: WARCWriter | None = None
        self.dedup = dedup
        self.index: PayloadIndex | None = None

    def write_exchange(self, exchange: Exchange) -> WarcPointer:
        """Write one exchange: a response record, or a revisit when the payload is held already
        (or the server answered 304); return where its payload lives."""
        if self.dedup and self.index is None:
            self.index = PayloadIndex.load(self.warc_dir)
        index = self.index
        original = None
        if index is not None and exchange.status == 304:
            original = index.last_capture(exchange.url)
            profile = SERVER_NOT_MODIFIED
        elif index is not None and dedupable(exchange.status, exchange.body):
            original = index.original(payload_digest(exchange.body))
            profile = IDENTICAL_PAYLOAD
        if index is None or (original is None and exchange.status != 304):
            pointer = self.write(*build_records(self.writer, exchange))
            if index is not None and dedupable(exchange.status, exchange.body):
                index.captured(exchange.url, pointer, response=True)
            return pointer
        request, revisit = build_records(self.writer, exchange, revisit_of=original,
                                         profile=profile)
        written = self.write(request, revisit)
        if original is None:  # a 304 for a URL with no earlier capture in these files
            return written
        if profile == IDENTICAL_PAYLOAD:
            index.captured(exchange.url, original.pointer, response=False)
        mine = {"file": written.file, "offset": written.offset, "length": written.length,
                "record_id": written.record_id, "date": written.date, "profile": profile}
        return replace(original.pointer, revisit=mine)

    def write(self, request_record: Any, response_record: Any) -> WarcPointer:
        """Write the response (or revisit) record and its request record; return the first's
        location."""
        if self._fh is None:
            self._open()
        assert self._writer is not None
        response_record.rec_headers.add_header(
            "WARC-Warcinfo-ID", self._warcinfo_id
        )
        offset = self._fh.tell()
        self._writer.write_record(response_record)
        length = self._fh.tell() - offset
        request_record.rec_headers.add_header(
            "WARC-Concurrent-To", response_record.rec_headers.get_header("WARC-Record-ID")
        )
        self._writer.write_record(request_record)
        pointer = WarcPointer(
            file=self._name,
            offset=offset,
            length=length,
            digest=response_record.rec_headers.get_header("WARC-Payload-Digest") or "",
            record_id=response_record.rec_headers.get_header("WARC-Record-ID"),
            date=response_record.rec_headers.get_header("WARC-Date"),
        )
        if self._fh.tell() >= self.max_bytes:
            self.close()
        return pointer

    def flush(self) -> None:
        """Hand what was written to the operating system: a pointer given out after this
        names bytes that a killed process does not take with it."""
        if self._fh is not None:
            self._fh.flush()

    @property
    def writer(self) -> WARCWriter:
        """A record builder (no file needed) for callers that build records themselves."""
        return self._writer or WARCWriter(BytesIO(), gzip=True, warc_version=WARC_VERSION)

    def close(self) -> ClosedWarc | None:
        """Finish the current file: rename it, hash it, add it to the manifest."""
        if self._fh is None:
            return None
        self._fh.close()
        self._fh = None
        self._writer = None
        final = self.warc_dir / self._name
        (self.warc_dir / (self._name + OPEN_SUFFIX)).rename(final)
        closed = ClosedWarc(self._name, sha256_file(final), final.stat().st_size)
        _append_manifest(self.warc_dir, closed)
        if self.index is not None:
            self.index.closed(self._name)
        self.closed_files.append(closed)
        return closed

    def _open(self) -> None:
        self.warc_dir.mkdir(parents=True, exist_ok=True)
        self._serial += 1
        stamp = datetime.now(timezone.utc).strftime("%Y%m%d%H%M%S")
        self._name = (
            f"{self.prefix}-{stamp}-{self._serial:05d}-{uuid.uuid4().hex[:8]}{WARC_SUFFIX}"
        )
        self._fh = open(self.warc_dir / (self._name + OPEN_SUFFIX), "xb")
        self._writer = WARCWriter(self._fh, gzip=True, warc_version=WARC_VERSION)
        info = {"software": SOFTWARE, "format": "WARC File Format 1.1",
                "hostname": socket.gethostname(), **self.info}
        warcinfo = self._writer.create_warcinfo_record(self._name, info)
        self._warcinfo_id = warcinfo.rec_headers.get_header("WARC-Record-ID")
        self._writer.write_record(warcinfo)


def _header_lines(headers: Iterable[tuple[bytes, list[bytes]]]) -> list[tuple[str, str]]:
    """(name, values) pairs -> (name, value) pairs, one per value, renaming headers already undone."""
    lines = []
    for key, values in headers:
        name = _RENAMED_HEADERS.get(key.lower(), key.decode("latin-1"))
        for value in values:
            lines.append((name, value.decode("latin-1")))
    return lines


@dataclass(frozen=True)
class Exchange:
    """One request and the response the server sent for it, as plain picklable data: what a
    WARC writer needs, in this process or in the WARC process."""

    url: str
    status: int
    protocol: str
    headers: list[tuple[bytes, list[bytes]]]
    body: bytes
    ip_address: str | None
    method: str
    request_url: str
    request_headers: list[tuple[bytes, list[bytes]]]
    request_body: bytes
    #: When it was fetched (WARC-Date, ISO 8601 UTC); empty: when it is written (a local crawl
    #: writes as it fetches; a distributed crawl's writer writes what a crawler fetched earlier).
    date: str = ""
    #: WARC-Truncated: why the body is not all here ("length": too large to ship); empty: whole.
    truncated: str = ""


def build_records(writer: WARCWriter, exchange: Exchange, revisit_of: Original | None = None,
                  profile: str = "") -> tuple[Any, Any]:
    """Build the WARC request and response records for one exchange (not yet written); with
    `profile`, a revisit record (HTTP headers only) naming `revisit_of`'s record instead."""
    try:
        reason = HTTPStatus(exchange.status).phrase
    except ValueError:
        reason = ""
    status_line = f"{exchange.status} {reason}".strip()
    http_headers = StatusAndHeaders(status_line, _header_lines(exchange.headers),
                                    protocol=exchange.protocol)
    extra = {}
    if exchange.ip_address is not None:
        extra["WARC-IP-Address"] = exchange.ip_address
    if exchange.date:
        extra["WARC-Date"] = exchange.date
    if exchange.truncated:
        extra["WARC-Truncated"] = exchange.truncated
    if profile:
        resp_record = _revisit_record(writer, exchange.url, http_headers, extra, profile,
                                      revisit_of)
    else:
        resp_record = writer.create_warc_record(
            exchange.url, "response", payload=BytesIO(exchange.body),
            length=len(exchange.body), http_headers=http_headers, warc_headers_dict=extra,
        )
    req_record = _request_record(writer, exchange)
    req_record.rec_headers.replace_header(
        "WARC-Date", resp_record.rec_headers.get_header("WARC-Date")
    )
    return req_record, resp_record


def _revisit_record(writer: WARCWriter, url: str, http_headers: StatusAndHeaders,
                    extra: dict[str, str], profile: str, original: Original | None) -> Any:
    """A revisit record: the answer's HTTP headers, no payload, naming the original record."""
    if original is not None:
        extra = {**extra, "WARC-Refers-To": original.pointer.record_id,
                 "WARC-Refers-To-Target-URI": original.url,
                 "WARC-Refers-To-Date": original.pointer.date,
                 "WARC-Payload-Digest": original.pointer.digest}
    record = writer.create_warc_record(url, "revisit", http_headers=http_headers,
                                       warc_headers_dict={"WARC-Profile": profile, **extra})
    return record


def _request_record(writer: WARCWriter, exchange: Exchange) -> Any:
    parts = urlsplit(exchange.request_url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    lines = _header_lines(exchange.request_headers)
    if not any(name.lower() == "host" for name, _ in lines):
        lines.insert(0, ("Host", parts.netloc))
    http_headers = StatusAndHeaders(f"{exchange.method} {target} {exchange.protocol}", lines,
                                    is_http_request=True)
    return writer.create_warc_record(
        exchange.url, "request", payload=BytesIO(exchange.request_body),
        length=len(exchange.request_body), http_headers=http_headers,
    )


class InlineWarc:
    """Writes each exchange at once, in the crawl's process (UNIONNEWS_WARC_PROCESS = False)."""

    def __init__(self, writer: RotatingWarcWriter) -> None:
        self.writer = writer

    def write(self, exchange: Exchange) -> dict[str, Any]:
        return self.writer.write_exchange(exchange).as_meta()

    def close(self) -> list[ClosedWarc]:
        self.writer.close()
        return self.writer.closed_files


class WarcProcess:
    """Writes exchanges in a child process (archive.processes.OrderedChild), in the order given;
    each write answers with the record's pointer, awaited by the crawl (asyncio) before the
    response goes on.

    Building records, digesting and gzipping them cost the crawl's process about a seventh of
    its CPU (bench/crawl.py), on the one core a Scrapy crawl can use; here they run on another.
    The child writes nothing more once the crawl is gone (killed): the file stays `.open` for
    the next crawl to close.
    """

    def __init__(self, writer: RotatingWarcWriter) -> None:
        self.child = OrderedChild("WARC writer", serve, (writer.warc_dir, writer.prefix, writer.max_bytes,
                                                         writer.info, writer.dedup), error=WarcWriteError)

    @property
    def failed(self) -> str | None:
        """Why no exchange can be written any more (the child died), or None."""
        return self.child.failed

    def write(self, exchange: Exchange) -> asyncio.Future[dict[str, Any]]:
        """The pointer of the exchange's response record, once the child has written it."""
        return self.child.submit(exchange)

    def close(self) -> list[ClosedWarc]:
        """Finish the current file (renamed, hashed, listed) and end the child."""
        return [ClosedWarc(**closed) for closed in self.child.close() or []]


class WarcWriteError(OSError):
    """An exchange could not be written to WARC (disk full, the WARC process gone)."""


def serve(jobs: Any, replies: Any, parent: int, warc_dir: Path, prefix: str, max_bytes: int,
          info: dict[str, str], dedup: bool = True) -> None:
    """The WARC process: write each exchange in order and answer with its pointer (or the
    error); on "close", finish the file and answer with the closed files. A file it leaves
    `.open` (the crawl killed) is closed by the next crawl."""
    writer = RotatingWarcWriter(warc_dir, prefix=prefix, max_bytes=max_bytes, info=info,
                                dedup=dedup)

    def finish() -> list[dict[str, Any]]:
        writer.close()
        return [asdict(closed) for closed in writer.closed_files]

    serve_in_order(jobs, replies, parent, lambda exchange: writer.write_exchange(exchange).as_meta(), finish)


