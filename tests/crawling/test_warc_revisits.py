"""WARC revisit records on the replica: a first crawl, then a `--full` re-crawl with nothing changed.

The same bytes under two URLs (the replica's alias page with rel=canonical, tracking-query links,
images shared by articles) are one response record and revisits; the re-crawl writes no payload
again: pages answered 200 are identical-payload revisits, articles answered 304 to their
conditional requests are server-not-modified revisits. Every revisit is read back with warcio and
resolved to the response record it names (same payload digest); rows point at payload records;
verify and the WACZ export pass.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

import pytest
from click.testing import CliRunner
from warcio.archiveiterator import ArchiveIterator

from archive.cli import cli
from archive.crawl import run_crawl
from archive.export import validate_wacz
from archive.warcfiles import IDENTICAL_PAYLOAD, INDEX_NAME, SERVER_NOT_MODIFIED
from replica import ReplicaServer, build_site
from support import rows, served


@dataclass
class Rec:
    file: str
    offset: int
    kind: str
    uri: str
    record_id: str
    date: str
    status: int
    digest: str | None
    headers: dict
    payload: bytes


def sha1(payload: bytes) -> str:
    return "sha1:" + base64.b32encode(hashlib.sha1(payload).digest()).decode()


def records(warc_dir: Path, names: list[str] | None = None) -> list[Rec]:
    """Every response and revisit record of the folder (or of the files named), in file order."""
    found = []
    for path in sorted(warc_dir.glob("*.warc.gz")):
        if names is not None and path.name not in names:
            continue
        with open(path, "rb") as fh:
            it = ArchiveIterator(fh)
            for record in it:
                if record.rec_type not in ("response", "revisit"):
                    continue
                payload = record.content_stream().read()
                h = record.rec_headers
                found.append(Rec(path.name, it.get_record_offset(), record.rec_type,
                                 h.get_header("WARC-Target-URI"), h.get_header("WARC-Record-ID"),
                                 h.get_header("WARC-Date"), int(record.http_headers.get_statuscode()),
                                 h.get_header("WARC-Payload-Digest"), dict(h.headers), payload))
    return found






@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory):
    """A first crawl, then a --full re-crawl of the unchanged replica (the server stays up)."""
    root = tmp_path_factory.mktemp("warc-revisits")
    site = build_site(root / "site", articles_per_column=(45, 25, 25))
    with ReplicaServer(site.root) as server:
        urls = site.start_urls(server.origin)
        run_crawl(urls, root / "archive.db", delay=0)
        first = sorted(p.name for p in (root / "warc").glob("*.warc.gz"))
        first_requests = len(server.requests)
        run_crawl(urls, root / "archive.db", delay=0, full=True)
        second = sorted(p.name for p in (root / "warc").glob("*.warc.gz") if p.name not in first)
        yield root, site, server, first, second, first_requests


def test_each_revisit_resolves_to_its_original_response_record(crawled) -> None:
    root, *_ = crawled
    found = records(root / "warc")
    by_id = {r.record_id: r for r in found}
    revisits = [r for r in found if r.kind == "revisit"]
    assert revisits
    for revisit in revisits:
        h = revisit.headers
        assert revisit.payload == b""  # HTTP headers only
        assert h["WARC-Profile"] in (IDENTICAL_PAYLOAD, SERVER_NOT_MODIFIED)
        original = by_id[h["WARC-Refers-To"]]
        assert original.kind == "response" and original.status == 200  # one step, a payload
        assert h["WARC-Refers-To-Target-URI"] == original.uri
        assert h["WARC-Refers-To-Date"] == original.date < revisit.date
        assert revisit.digest == original.digest == sha1(original.payload)
        if h["WARC-Profile"] == IDENTICAL_PAYLOAD:
            assert revisit.status == 200
            assert served(revisit.uri) == original.payload
        else:
            assert revisit.status == 304
            assert original.uri == revisit.uri or served(revisit.uri) == original.payload


def test_the_same_bytes_under_two_urls_are_one_response_and_revisits(crawled) -> None:
    root, site, server, first, _, _ = crawled
    truth = site.truth(server.origin)["articles"]
    twin = next(a for a in truth.values() if a["aliases"])
    tracked = [a for a in truth.values() if a["tracking_urls"]]
    assert tracked
    run1 = records(root / "warc", first)
    for article in [twin, *tracked]:
        urls = {article["url"], *article["aliases"], *article["tracking_urls"]}
        captures = [r for r in run1 if r.uri in urls and r.status == 200]
        [response] = [r for r in captures if r.kind == "response"]
        others = [r for r in captures if r.kind == "revisit"]
        fetched = {r.uri for r in captures}
        assert len(captures) == len(fetched)  # each URL fetched once
        assert len(others) == len(fetched) - 1
        for revisit in others:
            assert revisit.headers["WARC-Profile"] == IDENTICAL_PAYLOAD
            assert revisit.headers["WARC-Refers-To"] == response.record_id
    assert any(twin["aliases"][0] == r.uri for r in run1), "the alias page was fetched"
    # images shared by several articles: one response each, revisits for the rest
    digests = [r.digest for r in run1 if r.kind == "response" and r.status == 200]
    assert len(digests) == len(set(digests))


def test_a_full_recrawl_with_nothing_changed_writes_no_payload_again(crawled) -> None:
    root, _, _, first, second, _ = crawled
    run1 = records(root / "warc", first)
    run2 = records(root / "warc", second)
    assert [r for r in run2 if r.kind == "response" and r.status == 200] == []
    profiles = [r.headers.get("WARC-Profile") for r in run2 if r.kind == "revisit"]
    assert profiles.count(SERVER_NOT_MODIFIED) >= 80  # every article answered 304
    assert profiles.count(IDENTICAL_PAYLOAD) > 0  # list pages, robots.txt
    not_modified = [r for r in run2 if r.status == 304]
    assert not_modified and all(r.kind == "revisit" for r in not_modified)
    # the replica's pages are small (2.9 kB a response record): a revisit and its request
    # record (about 0.6 kB each) are a quarter of that; on real pages far less
    size = {name: (root / "warc" / name).stat().st_size for name in first + second}
    assert sum(size[n] for n in second) < 0.35 * sum(size[n] for n in first)
    pages = {r.uri for r in run1 if r.status == 200
             and (r.headers.get("WARC-Target-URI", "").endswith(".html") or "?" in r.uri)}
    assert pages and pages <= {r.uri for r in run2}  # every page was asked for again


def test_rows_point_at_payload_records(crawled) -> None:
    root, *_ = crawled
    warc = root / "warc"
    checked = 0
    for table in ("articles", "pages", "files"):
        for row in rows(root / "archive.db", f"select * from {table} where warc_file is not null"):
            with open(warc / row["warc_file"], "rb") as fh:
                fh.seek(row["warc_offset"])
                chunk = fh.read(row["warc_length"])
            record = next(iter(ArchiveIterator(BytesIO(chunk), check_digests=True)))
            payload = record.content_stream().read()
            assert record.rec_type == "response", (table, row["url"])
            assert record.rec_headers.get_header("WARC-Payload-Digest") == row["warc_digest"]
            assert payload and sha1(payload) == row["warc_digest"]
            if table == "articles":  # the row says when the capture it points at was fetched
                assert row["fetched_at"] == record.rec_headers.get_header("WARC-Date")[:19] + "Z"
            checked += 1
    assert checked > 100


def test_verify_and_the_wacz_export_pass_on_an_archive_with_revisits(crawled, tmp_path) -> None:
    root, *_ = crawled
    result = CliRunner().invoke(cli, ["verify", "--db", str(root / "archive.db")])
    assert result.exit_code == 0, result.output
    assert "revisits resolved to their originals" in result.output
    out = CliRunner().invoke(cli, ["export", "--db", str(root / "archive.db"),
                                   "--wacz", str(tmp_path / "a.wacz")])
    assert out.exit_code == 0, out.output
    valid, said = validate_wacz(tmp_path / "a.wacz")
    assert valid, said
    import json
    import zipfile

    with zipfile.ZipFile(tmp_path / "a.wacz") as wacz:
        pages = [json.loads(x) for x in wacz.read("pages/pages.jsonl").splitlines()[1:]]
    # each page opens at its payload's capture (the response record its row points at, whose
    # date the row's fetched_at is), not at the later 304
    captured = {}
    for r in rows(root / "archive.db", "select * from articles"):
        with open(root / "warc" / r["warc_file"], "rb") as fh:
            fh.seek(r["warc_offset"])
            record = next(iter(ArchiveIterator(BytesIO(fh.read(r["warc_length"])))))
        assert record.rec_type == "response"
        captured[record.rec_headers.get_header("WARC-Target-URI")] = record.rec_headers.get_header("WARC-Date")[:19] + "Z"
    wrong = [(p["url"], p["ts"], captured[p["url"]]) for p in pages if p["ts"] != captured[p["url"]]]
    assert pages and not wrong, wrong[:5]


def test_the_digest_index_is_rebuilt_from_the_warcs_when_it_is_lost(tmp_path: Path) -> None:
    site = build_site(tmp_path / "site", articles_per_column=(8, 6, 6))
    db = tmp_path / "archive.db"
    with ReplicaServer(site.root) as server:
        run_crawl(site.start_urls(server.origin), db, delay=0)
        index = tmp_path / "warc" / INDEX_NAME
        kept = index.read_text(encoding="utf-8")
        index.unlink()
        first = {p.name for p in (tmp_path / "warc").glob("*.warc.gz")}
        run_crawl(site.start_urls(server.origin), db, delay=0, full=True)
    second = [p.name for p in (tmp_path / "warc").glob("*.warc.gz") if p.name not in first]
    assert [r for r in records(tmp_path / "warc", second)
            if r.kind == "response" and r.status == 200] == []
    assert index.read_text(encoding="utf-8").startswith(kept)  # the first file's block, again
    assert CliRunner().invoke(cli, ["verify", "--db", str(db)]).exit_code == 0


def test_verify_names_a_revisit_whose_original_is_gone(crawled, tmp_path: Path) -> None:
    import shutil

    root, _, _, first, second, _ = crawled
    copy = tmp_path / "copy"
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns("site"))
    (copy / "warc" / first[0]).unlink()
    result = CliRunner().invoke(cli, ["verify", "--db", str(copy / "archive.db")])
    assert result.exit_code == 1
    assert f"BAD {copy / 'warc' / first[0]}: missing (listed in the manifest)" in result.output
    assert f"BAD {copy / 'warc' / second[0]}: revisit at offset " in result.output
    assert "no response record here" in result.output
