"""Captures shipped by the crawlers of a distributed crawl, written by the archive's one writer.

A distributed crawler (`unionnews crawl --redis`) writes nothing to its own disk: each response
it receives travels to the writer as a `ShippedExchange` (the request and the response as the
server sent them, and when it was fetched), and the items it sends name that exchange
(`{"exchange": ID}`) where a local crawl's items carry a WARC pointer. The writer
(`unionnews ingest`) writes the exchanges with the same `RotatingWarcWriter` as a local crawl
(rotation, manifest, revisits, payload index), then `resolve` puts each exchange's pointer in
the items that name it, takes each article page's bytes (kept in `pages`) and stores each image
and attachment in `files/` from the payload of the record it was written to, checked against
the sha256 the crawler computed. So the bytes of a page or a file cross the network once,
inside the exchange.

Why here and not on the crawlers (per-crawler WARC files reported to the writer): the archive
must be whole and verifiable on the writer's machine, and crawlers may run where no shared
folder reaches; one writer also keeps one manifest and one payload index, so a page another
crawler already captured is a revisit, as in a local crawl. bench/warc.py measures both.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from archive.warcfiles import ClosedWarc, Exchange, RotatingWarcWriter, read_payload, recover_open_files
from crawler.items import Article, ListedFile

#: Bodies larger than this are not shipped (default; `UNIONNEWS_SHIP_MAX_BYTES`): the record is
#: written with its headers and `WARC-Truncated: length`, and a file of that size is recorded
#: as not stored. It equals the largest file the crawl downloads (UNIONNEWS_FILES_MAXSIZE).
DEFAULT_SHIP_MAX_BYTES = 32 * 1024 * 1024
POINTER_KEYS = ("file", "offset", "length", "digest")


@dataclass(frozen=True)
class ShippedExchange:
    """One response a crawler received, named so that its items can point at it."""

    ident: str
    exchange: Exchange
    size: int = 0  # the body's length as received (more than len(body) when truncated)


class CaptureWriter:
    """Writes shipped exchanges into the archive's WARC folder and stores their files.

    `pointers` maps exchange ids to record pointers (as `response.meta['warc']` holds them);
    `known` seeds it with the pointers an earlier writer of the same crawl gave out.
    """

    def __init__(self, warc_dir: str | Path, files_dir: str | Path, run_id: int,
                 known: dict[str, dict[str, Any]] | None = None, operator: str = "unionnews") -> None:
        self.warc_dir, self.files_dir = Path(warc_dir), Path(files_dir)
        self.recovered: list[ClosedWarc] = (recover_open_files(self.warc_dir)
                                            if self.warc_dir.is_dir() else [])
        self.writer = RotatingWarcWriter(self.warc_dir, info={
            "operator": operator, "isPartOf": f"unionnews crawl run {run_id}"})
        self.pointers: dict[str, dict[str, Any]] = dict(known or {})
        self.truncated: dict[str, int] = {}  # exchanges shipped without their body: its size
        self.unresolved = 0
        self.raw_missing = 0

    def write(self, shipped: list[ShippedExchange]) -> dict[str, dict[str, Any]]:
        """Write the exchanges in order; return their pointers (the file is flushed first)."""
        new = {one.ident: self.writer.write_exchange(one.exchange).as_meta() for one in shipped}
        self.truncated.update((one.ident, one.size) for one in shipped if one.exchange.truncated)
        self.writer.flush()
        self.pointers.update(new)
        return new

    def resolve(self, batch: list[Any]) -> list[Any]:
        """Put each named exchange's pointer in the batch's items (articles, their further
        pages, their files) and store their files; a file whose bytes cannot be stored moves
        to `files_failed`."""
        for item in batch:
            if isinstance(item, Article):
                item.raw = self._raw(item.warc, item.raw)
                item.warc = self._pointer(item.warc)
                for part in item.parts:
                    part["raw"] = self._raw(part.get("warc") or {}, part["raw"])
                    part["warc"] = self._pointer(part.get("warc") or {})
            if isinstance(item, (Article, ListedFile)) and item.files_stored:
                self._resolve_files(item)
        return batch

    def _raw(self, warc: dict[str, Any], raw: bytes) -> bytes:
        """A page's bytes, from the record its exchange was written to when the crawler sent
        their sha256 instead; b'' (counted in `raw_missing`) when they cannot be had."""
        if raw or "sha256" not in warc:
            return raw
        pointer = self.pointers.get(warc.get("exchange", ""))
        try:
            body = read_payload(self.warc_dir, pointer) if pointer else None
        except (OSError, StopIteration, ValueError):
            body = None
        if body is None or hashlib.sha256(body).hexdigest() != warc["sha256"]:
            self.raw_missing += 1
            return b""
        return body

    def _pointer(self, warc: dict[str, Any]) -> dict[str, Any]:
        ident = warc.get("exchange")
        if ident is None:
            return warc
        pointer = self.pointers.get(ident)
        if pointer is None:
            self.unresolved += 1
            return {}
        return pointer

    def _resolve_files(self, item: Article | ListedFile) -> None:
        stored, failed = [], list(item.files_failed)
        for row in item.files_stored:
            ident = row.pop("warc_exchange", None)
            pointer = self.pointers.get(ident) if ident else None
            if pointer is not None:
                row.update({f"warc_{name}": pointer.get(name) for name in POINTER_KEYS})
            if ident in self.truncated:
                problem = (f"{self.truncated[ident]} bytes, more than a crawler ships "
                           "(UNIONNEWS_SHIP_MAX_BYTES): its WARC record holds the headers only")
            else:
                problem = self.store_file(row["path"], row["sha256"], pointer)
            if problem:
                failed.append((row["url"], problem))
            else:
                stored.append(row)
        item.files_stored, item.files_failed = stored, failed

    def store_file(self, path: str, sha256: str, pointer: dict[str, Any] | None) -> str:
        """Store `files/<path>` from the record's payload unless it is there; '' when done,
        else why not."""
        target = self.files_dir / path
        if target.is_file():
            return ""
        if pointer is None:
            return "its response never reached the archive writer"
        try:
            body = read_payload(self.warc_dir, pointer)
        except (OSError, StopIteration, ValueError) as exc:
            return f"cannot read its WARC record ({type(exc).__name__}: {exc})"
        if hashlib.sha256(body).hexdigest() != sha256:
            return "the bytes in its WARC record differ from what the crawler received"
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".part")
        with open(partial, "wb") as fh:
            fh.write(body)
            fh.flush()
            os.fsync(fh.fileno())
        partial.replace(target)
        return ""

    def close(self) -> list[ClosedWarc]:
        """Finish the open WARC file (renamed, hashed, listed in the manifest)."""
        self.writer.close()
        return self.writer.closed_files
