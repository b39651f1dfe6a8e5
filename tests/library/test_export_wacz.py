"""`unionnews export --wacz`: a WACZ that the wacz tool validates and replay tools can index."""

from __future__ import annotations

import gzip
import json
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive.cli import cli
from archive.export import validate_wacz
from support import crawl_articles
from support import responses


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    root = tmp_path_factory.mktemp("wacz")
    site = crawl_articles(root)
    return root, site.origin


def export(root: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["export", "--db", str(root / "archive.db"), *args])
    return result.exit_code, result.output


def test_wacz_passes_the_wacz_tools_validation(crawled, tmp_path: Path) -> None:
    root, _ = crawled
    code, output = export(root, "--wacz", str(tmp_path / "a.wacz"))
    assert code == 0, output
    assert output.strip() == f"wrote {tmp_path / 'a.wacz'} (2 article pages listed)"
    valid, said = validate_wacz(tmp_path / "a.wacz")
    assert valid, said


def test_wacz_holds_the_warcs_unchanged_an_index_of_every_capture_and_the_pages(
    crawled, tmp_path: Path
) -> None:
    root, origin = crawled
    export(root, "--wacz", str(tmp_path / "a.wacz"))
    with zipfile.ZipFile(tmp_path / "a.wacz") as wacz:
        for warc in (root / "warc").glob("*.warc.gz"):
            assert wacz.read(f"archive/{warc.name}") == warc.read_bytes()
            assert wacz.getinfo(f"archive/{warc.name}").compress_type == zipfile.ZIP_STORED
        index = gzip.decompress(wacz.read("indexes/index.cdx.gz")).decode()
        pages = [json.loads(line) for line in wacz.read("pages/pages.jsonl").splitlines()]
    indexed = {json.loads(line.split(" ", 2)[2])["url"] for line in index.splitlines()}
    assert {r["url"] for r in responses(root / "warc")} <= indexed
    assert pages[0]["format"] == "json-pages-1.0"
    assert sorted(p["url"] for p in pages[1:]) == [f"{origin}/a/1.html", f"{origin}/a/gbk.html"]


def test_a_damaged_warc_is_not_packaged(crawled, tmp_path: Path) -> None:
    root, _ = crawled
    copy = tmp_path / "copy"
    shutil.copytree(root, copy)
    [warc] = list((copy / "warc").glob("*.warc.gz"))
    data = bytearray(warc.read_bytes())
    data[100] ^= 0xFF
    warc.write_bytes(bytes(data))
    code, output = export(copy, "--wacz", str(tmp_path / "b.wacz"))
    assert code == 1
    assert output.strip() == (f"Error: {warc}: sha256 differs from the manifest "
                              "(run unionnews verify)")
    assert not (tmp_path / "b.wacz").exists()


def test_export_without_a_target_is_a_usage_error(crawled) -> None:
    root, _ = crawled
    code, output = export(root)
    assert code == 2
    assert "say what to write: --wacz PATH and/or --jsonl PATH" in output


def test_no_warc_files_is_one_clear_line(tmp_path: Path) -> None:
    (tmp_path / "warc").mkdir()
    code, output = export(tmp_path, "--wacz", str(tmp_path / "c.wacz"))
    assert code == 1
    assert output.strip() == f"Error: no WARC files in {tmp_path / 'warc'}"


def test_a_page_whose_fetch_time_no_record_has_opens_at_its_capture(crawled, tmp_path: Path) -> None:
    """The wacz tool drops a listed page unless a record of its URL has its ts (to the
    second): an article row whose time is a second off its record is still listed, at the
    record's time."""
    import sqlite3

    root, origin = crawled
    copy = tmp_path / "copy"
    shutil.copytree(root, copy)
    with sqlite3.connect(copy / "archive.db") as conn:
        conn.execute("UPDATE articles SET fetched_at = '2001-01-01T00:00:00Z'")
    code, output = export(copy, "--wacz", str(tmp_path / "d.wacz"))
    assert code == 0, output
    with zipfile.ZipFile(tmp_path / "d.wacz") as wacz:
        pages = [json.loads(line) for line in wacz.read("pages/pages.jsonl").splitlines()[1:]]
    stamps = {r["url"] for r in responses(root / "warc")}
    assert sorted(p["url"] for p in pages) == [f"{origin}/a/1.html", f"{origin}/a/gbk.html"]
    assert all(p["url"] in stamps and not p["ts"].startswith("2001") for p in pages)
