"""`unionnews export --wacz PATH --run N | --since DATE`: a package per run.

Two crawls of the replica (the second `--full`, after one article was edited): the package of
run 2 holds run 2's records and the response records its revisits name, nothing of run 1 else;
its page list is each article in it with URL, ts and title; its datapackage-digest.json holds
the sha256 of datapackage.json; the wacz tool validates it. Bad values are one line.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import sqlite3
import time
import zipfile
from datetime import datetime, timezone
from io import BytesIO
from pathlib import Path

import pytest
from click.testing import CliRunner
from warcio.archiveiterator import ArchiveIterator

from archive.cli import cli
from archive.crawl import run_crawl
from archive.export import run_of, validate_wacz
from replica import ReplicaServer, build_site

EDITED_TITLE = "关于调整职工疗休养安排的通知（更正）"


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("export-runs")
    site = build_site(root / "site", articles_per_column=(12, 10, 10))
    with ReplicaServer(site.root) as server:
        urls = site.start_urls(server.origin)
        run_crawl(urls, root / "archive.db", delay=0)
        time.sleep(1.1)
        between = datetime.now(timezone.utc)
        time.sleep(1.1)
        with sqlite3.connect(root / "archive.db") as conn:
            edited = conn.execute("select url from articles where url like '%/xwzx/tzgg/%' "
                                  "order by id limit 1").fetchone()[0]
        site.edit_article(edited.removeprefix(server.origin), title=EDITED_TITLE)
        run_crawl(urls, root / "archive.db", delay=0, full=True)
    return root, between, edited


def export(root: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["export", "--db", str(root / "archive.db"), *args])
    return result.exit_code, result.output


def package(path: Path) -> tuple[list[dict], list[dict], dict, bytes, dict]:
    """(records, pages, datapackage.json, its bytes, datapackage-digest.json) of a WACZ."""
    found = []
    with zipfile.ZipFile(path) as wacz:
        for name in wacz.namelist():
            if name.startswith("archive/"):
                for record in ArchiveIterator(BytesIO(wacz.read(name))):
                    h = record.rec_headers
                    found.append({"type": record.rec_type, "id": h.get_header("WARC-Record-ID"),
                                  "date": h.get_header("WARC-Date"),
                                  "refers": h.get_header("WARC-Refers-To"), "uri": h.get_header("WARC-Target-URI")})
        pages = [json.loads(line) for line in wacz.read("pages/pages.jsonl").splitlines()]
        datapackage = wacz.read("datapackage.json")
        digest = json.loads(wacz.read("datapackage-digest.json"))
    return found, pages, json.loads(datapackage), datapackage, digest


def records_by_run(warc_dir: Path) -> dict[int, set[str]]:
    found: dict[int, set[str]] = {}
    for path in warc_dir.glob("*.warc.gz"):
        with open(path, "rb") as fh:
            ids = {r.rec_headers.get_header("WARC-Record-ID") for r in ArchiveIterator(fh)}
        found.setdefault(run_of(path), set()).update(ids)
    return found


def test_the_package_of_a_run_holds_its_records_and_the_originals_they_name(two_runs, tmp_path: Path) -> None:
    root, _, edited = two_runs
    code, output = export(root, "--wacz", str(tmp_path / "run2.wacz"), "--run", "2")
    assert code == 0, output
    assert validate_wacz(tmp_path / "run2.wacz")[0]
    found, pages, _, _, _ = package(tmp_path / "run2.wacz")
    by_run = records_by_run(root / "warc")
    assert set(by_run) == {1, 2}
    ids = {r["id"] for r in found}
    assert by_run[2] <= ids  # every record run 2 wrote
    named = {r["refers"] for r in found if r["type"] == "revisit"}
    from_run1 = {r["id"] for r in found if r["id"] in by_run[1]}
    assert named and from_run1 <= named | {r["id"] for r in found if r["type"] == "warcinfo"}
    assert named <= ids  # each revisit's original is in the package: every page replays
    with sqlite3.connect(root / "archive.db") as conn:
        articles = dict(conn.execute("select coalesce(final_url, fetched_url, url), title from articles"))
    assert pages[0]["format"] == "json-pages-1.0"
    assert {p["url"]: p["title"] for p in pages[1:]} == articles  # run 2 asked for every one
    assert articles[edited] == EDITED_TITLE
    dates = {r["uri"]: r["date"] for r in found if r["type"] == "response" and r["id"] in by_run[2]}
    ts = {p["url"]: p["ts"] for p in pages[1:]}
    assert ts[edited][:19] == dates[edited][:19]  # at run 2's capture (the tool keeps seconds)
    assert all(ts[url] for url in articles)


def test_the_package_of_run_1_has_no_record_of_run_2(two_runs, tmp_path: Path) -> None:
    root, _, edited = two_runs
    assert export(root, "--wacz", str(tmp_path / "run1.wacz"), "--run", "1")[0] == 0
    found, pages, _, _, _ = package(tmp_path / "run1.wacz")
    by_run = records_by_run(root / "warc")
    assert {r["id"] for r in found} == by_run[1]
    dates = {r["uri"]: r["date"][:19] for r in found if r["type"] == "response"}
    assert {p["url"]: p["ts"][:19] for p in pages[1:]}[edited] == dates[edited]  # its run 1 version
    assert validate_wacz(tmp_path / "run1.wacz")[0]


def test_since_takes_the_records_fetched_since(two_runs, tmp_path: Path) -> None:
    root, between, _ = two_runs
    code, output = export(root, "--wacz", str(tmp_path / "since.wacz"), "--since",
                          between.strftime("%Y-%m-%dT%H:%M:%S"))
    assert code == 0, output
    found, _, _, _, _ = package(tmp_path / "since.wacz")
    by_run = records_by_run(root / "warc")
    ids = {r["id"] for r in found}
    assert by_run[2] - ids == set()
    assert ids & by_run[1] <= {r["refers"] for r in found if r["type"] == "revisit"} | {
        r["id"] for r in found if r["type"] == "warcinfo"}
    assert validate_wacz(tmp_path / "since.wacz")[0]


def test_the_digest_file_holds_the_sha256_of_the_datapackage(two_runs, tmp_path: Path) -> None:
    root, _, _ = two_runs
    assert export(root, "--wacz", str(tmp_path / "all.wacz"))[0] == 0
    _, _, datapackage, raw, digest = package(tmp_path / "all.wacz")
    assert digest["path"] == "datapackage.json"
    assert digest["hash"] == "sha256:" + hashlib.sha256(raw).hexdigest()
    with zipfile.ZipFile(tmp_path / "all.wacz") as wacz:
        for resource in datapackage["resources"]:  # and that one the sha256 of every file
            assert resource["hash"] == "sha256:" + hashlib.sha256(wacz.read(resource["path"])).hexdigest()
        index = gzip.decompress(wacz.read("indexes/index.cdx.gz"))
    assert index


@pytest.mark.parametrize(("args", "message"), [
    (["--run", "x"], "Error: --run 'x' is not a crawl run number (1, 2, ...)"),
    (["--run", "0"], "Error: --run '0' is not a crawl run number (1, 2, ...)"),
    (["--run", "9"], "Error: --run 9: the archive has no such crawl run (runs are 1 to 2)"),
    (["--since", "yesterday"], "Error: --since 'yesterday' is not a date or time (e.g. 2026-12-04 or "
                               "2026-12-04T08:00:00Z)"),
    (["--run", "1", "--since", "2026-01-01"], "Error: give --run N or --since DATE, not both"),
])
def test_bad_run_or_since_values_are_one_line(two_runs, tmp_path: Path, args: list[str], message: str) -> None:
    root, _, _ = two_runs
    code, output = export(root, "--wacz", str(tmp_path / "bad.wacz"), *args)
    assert code == 1 and output.strip() == message
    assert not (tmp_path / "bad.wacz").exists()


def test_a_time_after_every_capture_is_one_line(two_runs, tmp_path: Path) -> None:
    root, _, _ = two_runs
    code, output = export(root, "--wacz", str(tmp_path / "late.wacz"), "--since", "2999-01-01")
    assert code == 1
    assert output.strip() == f"Error: the WARC files in {root / 'warc'} hold no record of since 2999-01-01T00:00:00Z"
