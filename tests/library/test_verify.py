"""`unionnews verify`: passes on a clean archive, fails naming the file after any damage."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from archive.cli import cli
from archive.warcfiles import MANIFEST_NAME, read_manifest
from support import crawl_articles


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("pristine")
    crawl_articles(root)
    return root


@pytest.fixture
def archive(pristine: Path, tmp_path: Path) -> Path:
    """A fresh copy of the crawled archive (database, warc/, files/) for one test to damage."""
    root = tmp_path / "archive"
    shutil.copytree(pristine, root)
    return root


def verify(root: Path, *extra: str) -> Result:
    return CliRunner().invoke(cli, ["verify", "--db", str(root / "archive.db"), *extra])


def flip_byte(path: Path, at: int | None = None) -> None:
    data = bytearray(path.read_bytes())
    at = len(data) // 2 if at is None else at
    data[at] ^= 0x01
    path.write_bytes(bytes(data))


def test_clean_archive_passes(archive: Path) -> None:
    result = verify(archive)
    assert result.exit_code == 0, result.output
    assert "all digests match" in result.output
    assert "1 WARC files" in result.output and "4 record pointers" in result.output
    assert "2 attachments" in result.output


def test_one_flipped_byte_in_a_warc_file_fails_naming_it(archive: Path) -> None:
    [warc] = list((archive / "warc").glob("*.warc.gz"))
    flip_byte(warc)
    result = verify(archive)
    assert result.exit_code == 1
    assert f"BAD {warc}: sha256 differs from the manifest" in result.output
    assert "problem(s)" in result.output


def test_a_flipped_byte_inside_a_record_is_found_without_the_manifest(archive: Path) -> None:
    [warc] = list((archive / "warc").glob("*.warc.gz"))
    conn = sqlite3.connect(archive / "archive.db")
    offset, length = conn.execute(
        "SELECT warc_offset, warc_length FROM files WHERE url LIKE '%.pdf' LIMIT 1").fetchone()
    flip_byte(warc, offset + length // 2)
    (archive / "warc" / MANIFEST_NAME).unlink()
    result = verify(archive)
    assert result.exit_code == 1
    assert f"BAD {warc}: not in the manifest" in result.output
    # The damaged record itself is named (gzip CRC, or the record's digest, catches it).
    assert any(line.startswith(f"BAD {warc}: ") and ("record" in line or "unreadable" in line)
               for line in result.output.splitlines()), result.output


def test_one_flipped_byte_in_an_attachment_fails_naming_it(archive: Path) -> None:
    [pdf] = list((archive / "files").rglob("*.pdf"))
    flip_byte(pdf)
    result = verify(archive)
    assert result.exit_code == 1
    assert f"BAD {pdf}: attachment sha256 differs from the archive" in result.output
    assert result.output.count("BAD ") == 1


def test_missing_files_are_named(archive: Path) -> None:
    [png] = list((archive / "files").rglob("*.png"))
    png.unlink()
    [warc] = list((archive / "warc").glob("*.warc.gz"))
    warc.unlink()
    result = verify(archive)
    assert result.exit_code == 1
    assert f"BAD {png}: attachment file missing" in result.output
    assert f"BAD {warc}: missing (listed in the manifest)" in result.output


def test_a_pointer_that_no_longer_matches_its_record_is_named(archive: Path) -> None:
    conn = sqlite3.connect(archive / "archive.db")
    # the first row that has a record (a file the crawl could not fetch has none)
    [rowid] = conn.execute("SELECT min(rowid) FROM files WHERE warc_file IS NOT NULL").fetchone()
    conn.execute("UPDATE files SET warc_offset = warc_offset + 1 WHERE rowid = ?", (rowid,))
    conn.commit()
    conn.close()
    result = verify(archive)
    assert result.exit_code == 1
    assert f"files row {rowid}: no readable record at offset" in result.output


def test_a_warc_left_open_by_an_interrupted_crawl_is_reported(archive: Path) -> None:
    [warc] = list((archive / "warc").glob("*.warc.gz"))
    shutil.copy(warc, archive / "warc" / "unionnews-interrupted.warc.gz.open")
    result = verify(archive)
    assert result.exit_code == 1
    assert "unionnews-interrupted.warc.gz.open: never closed" in result.output


def test_manifest_is_checkable_with_sha256sum_too(archive: Path) -> None:
    manifest = read_manifest(archive / "warc")
    assert len(manifest) == 1
    if shutil.which("sha256sum"):
        import subprocess

        done = subprocess.run(["sha256sum", "-c", MANIFEST_NAME], cwd=archive / "warc",
                              capture_output=True, text=True)
        assert done.returncode == 0 and ": OK" in done.stdout


def test_no_database_is_one_clear_line_and_exit_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["verify", "--db", str(tmp_path / "nope.db")])
    assert result.exit_code == 2
    assert result.output.strip() == f"Error: no archive database at {tmp_path / 'nope.db'}"


def test_verify_does_not_change_the_database(archive: Path) -> None:
    before = (archive / "archive.db").read_bytes()
    verify(archive)
    assert (archive / "archive.db").read_bytes() == before
