"""The text of attachments (issue 14.1), below the crawl: the readers on documents the tests
make (crawler/documents.py), the bounded child process that runs them (archive/attachments.py),
and the table and index they fill in a real archive file."""

from __future__ import annotations

import asyncio
import hashlib
import io
import json
import zipfile
from pathlib import Path
from urllib.parse import quote

import lxml.html
import pytest
import sqlite_utils
from click.testing import CliRunner

import made_documents as made
from archive import attachments, search
from archive.attachments import Limits, Reader, extract_pending
from archive.cli import cli as main
from archive.db import open_archive
from archive.serve import make_datasette
from crawler import documents
from crawler.documents import extract, file_name, sniff
from replica import assets

NOTICE = ["关于开展职工书屋示范点评选的通知", "各基层工会：请于三月十日前报送蜀锦社区推荐材料。"]


# ---------------------------------------------------------------------------------------------
# The readers


READER_CASES = [
    (made.pdf(NOTICE), "tz.pdf", "ok", ["职工书屋示范点", "蜀锦社区"]),
    (made.docx(["羽毛球比赛实施方案", "报名截止时间为三月十日"], [["单位", "人数"], ["省总工会", "12"]]),
     "fa.docx", "ok", ["羽毛球比赛", "报名截止", "省总工会\t12"]),
    (made.xlsx("推荐名单", [["姓名", "单位"], ["张三", "省测绘地理信息局"], [2024, None]]),
     "md.xlsx", "ok", ["推荐名单", "张三\t省测绘地理信息局", "2024"]),
    (made.xls("汇总表", [["单位", "人数"], ["省测绘地理信息局", 12]]), "hz.xls", "ok",
     ["汇总表", "省测绘地理信息局\t12"]),
    (assets.doc("关于印发《2023年工作要点》的通知"), "yd.doc", "ok", ["《2023年工作要点》"]),
    (made.scanned_pdf(), "scan.pdf", "no_text_layer", []),
    (made.glyph_codes_pdf(), "old.pdf", "no_text_layer", []),
    (made.encrypted_pdf("secret text"), "mm.pdf", "encrypted", []),
    (made.broken_pdf(), "cut.pdf", "failed", []),
    (b"<html>not a file</html>", "page.pdf", "failed", []),
    (b"just some bytes", "notes.txt", "unsupported", []),
]


# Named by file and status: the made files' bytes (dates, ids) differ between xdist workers.
@pytest.mark.parametrize(("data", "name", "status", "words"),
                         [pytest.param(*case, id=f"{case[1]}-{case[2]}") for case in READER_CASES])
def test_each_format_gives_its_text_or_its_reason(data: bytes, name: str, status: str, words: list[str]) -> None:
    result = extract(data, name)
    assert result.status == status, result
    assert all(word in result.text for word in words), result.text
    if status != "ok":
        assert result.text == "" and result.reason
    if status == "failed":
        assert result.reason.startswith("broken: ")
    if status == "no_text_layer":
        assert result.pages == 1 and result.reason in ("no text layer (scanned pages or images only)",
                                                       "text layer without a character map (glyph codes only)")


def test_the_bytes_decide_the_format_not_the_name_or_the_server() -> None:
    pdf = made.pdf(NOTICE)
    assert sniff(pdf, "wrong.doc", "application/msword") == "pdf"
    assert extract(pdf, "download.jsp", "application/octet-stream").text.startswith(NOTICE[0])
    assert sniff(made.docx(["x"]), "file.bin") == "docx" and sniff(made.xlsx("s", [[1]]), "") == "xlsx"
    assert sniff(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "tj.xls") == "xls"
    assert extract(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "old.doc").status == "unsupported"


def test_page_and_size_caps_say_what_was_left_out(monkeypatch: pytest.MonkeyPatch) -> None:
    long = extract(made.pdf(NOTICE, pages=5), "long.pdf", max_pages=2)
    assert long.status == "ok" and long.pages == 5 and long.reason == "read the first 2 of 5 pages"
    assert long.text.count("职工书屋示范点") == 2
    cut = extract(made.docx(["职工" * 100]), "a.docx", max_chars=50)
    assert len(cut.text) == 50 and "text cut at 50 characters" in cut.reason
    monkeypatch.setattr(documents, "MAX_UNPACKED", 10_000)
    bomb = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(made.docx(["x"]))) as source, \
            zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item, source.read(item))
        target.writestr("word/media/zeros.bin", b"\0" * 50_000)
    assert extract(bomb.getvalue(), "bomb.docx").status == "too_large"


@pytest.mark.parametrize(("url", "name"), [
    ("http://x.cn/tzgg/202403/P020240301.pdf", "P020240301.pdf"),
    ("http://x.cn/files/%E5%90%8D%E5%8D%95.xlsx", "名单.xlsx"),
    ("http://x.cn/down.jsp?id=3&filename=%E6%96%B9%E6%A1%88.docx", "方案.docx"),
])
def test_a_file_is_named_by_its_url(url: str, name: str) -> None:
    assert file_name(url) == name


# ---------------------------------------------------------------------------------------------
# The child process


def test_the_reader_survives_a_file_that_overruns_and_reads_the_next(tmp_path: Path) -> None:
    slow = tmp_path / "slow.pdf"
    slow.write_bytes(made.pdf(NOTICE * 15, pages=300))
    good = tmp_path / "good.pdf"
    good.write_bytes(made.pdf(NOTICE))
    with Reader(Limits(seconds=0.3)) as reader:
        first = reader.read(slow, "slow.pdf")
        assert first.status == "timeout" and first.reason == "not read within 0.3 s"
        assert reader.process is None  # the child that overran was killed
        reader.limits.seconds = 60
        assert reader.read(good, "good.pdf").text.startswith(NOTICE[0])
    missing = Reader().read(tmp_path / "gone.pdf")
    assert missing.status == "failed" and missing.reason.startswith("stored file missing")


def test_a_file_over_the_size_cap_is_not_read(tmp_path: Path) -> None:
    big = tmp_path / "big.pdf"
    big.write_bytes(made.pdf(NOTICE))
    result = Reader(Limits(max_bytes=100)).read(big)
    assert result.status == "too_large" and f"{big.stat().st_size} bytes" in result.reason


def test_the_child_runs_out_of_memory_not_the_caller(tmp_path: Path) -> None:
    """A limit far below what the reader needs: the file gets a status, the caller goes on, and
    the next file is read by a fresh child. (Below the child's own size the limit leaves it no
    new memory at all; which call fails first depends on the machine, hence either status.)"""
    path = tmp_path / "a.xlsx"
    path.write_bytes(made.xlsx("名单", [["张三"] * 50] * 2000))
    with Reader(Limits(memory=64 * 1024 * 1024)) as reader:
        result = reader.read(path, "a.xlsx")
        assert result.status in ("too_large", "failed") and result.text == ""
        if result.status == "too_large":
            assert result.reason == "needs more memory than allowed"
            assert reader.process is None  # the child that ran out of memory is gone
    with Reader() as roomy:
        assert roomy.read(path, "a.xlsx").status == "ok"


def test_old_word_and_excel_files_need_their_debian_tool(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = tmp_path / "tz.doc"
    fake.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    broken = attachments.read_file(fake, "tz.doc", "application/msword")
    assert broken.status == "failed" and broken.reason.startswith("broken: antiword"), broken
    monkeypatch.setitem(attachments.TOOLS, "doc", (["no-such-antiword"], "antiword"))
    missing = attachments.read_file(fake, "tz.doc", "")
    assert missing.status == "unsupported"
    assert missing.reason == "DOC: no-such-antiword is not installed (apt-get install antiword)"


# ---------------------------------------------------------------------------------------------
# The archive: one row per distinct file, indexed, kept in step


def _archive(tmp_path: Path, files: dict[str, bytes], articles: dict[str, list[str]],
             listed: dict[str, list[str]] | None = None) -> sqlite_utils.Database:
    """An archive with articles (url -> names of their attachments), files listed on list pages
    (list page url -> names), and the files stored."""
    db = open_archive(tmp_path / "archive.db")
    store = tmp_path / "files"
    pages = [(url, names, True) for url, names in articles.items()]
    pages += [(url, names, False) for url, names in (listed or {}).items()]
    for number, (url, names, is_article) in enumerate(pages, start=1):
        _add_page(db, store, number, url, {name: files[name] for name in names}, is_article)
    search.sync(db)
    return db


def _add_page(db: sqlite_utils.Database, store: Path, number: int, url: str, files: dict[str, bytes],
              is_article: bool = True) -> None:
    """An article (or a list page) and its stored files."""
    article_id = None
    if is_article:
        db["articles"].insert({"url": url, "title": f"通知{number}", "body": "详见附件。", "column": "通知公告",
                               "published_at": f"2024-03-0{number}",
                               "first_seen_at": f"2024-03-0{number}T00:00:00Z"})
        article_id = db.execute("select id from articles where url = ?", [url]).fetchone()[0]
    for name, data in files.items():
        sha = hashlib.sha256(data).hexdigest()
        (store / sha[:2]).mkdir(parents=True, exist_ok=True)
        (store / sha[:2] / f"{sha}.bin").write_bytes(data)
        db["files"].insert({"article_id": article_id, "article_url": url, "url": f"http://x.cn/{name}",
                            "kind": "attachment" if is_article else "listed", "sha256": sha,
                            "path": f"{sha[:2]}/{sha}.bin", "size": len(data),
                            "first_seen_at": f"2024-03-0{number}T00:00:00Z"})


def test_the_same_file_under_two_articles_is_read_once_and_finds_both(tmp_path: Path) -> None:
    pdf = made.pdf(NOTICE)
    db = _archive(tmp_path, {"a.pdf": pdf, "b.pdf": pdf, "c.docx": made.docx(["无关的内容"])},
                  {"http://x.cn/1.html": ["a.pdf", "c.docx"], "http://x.cn/2.html": ["b.pdf"]})
    summary = extract_pending(db, tmp_path / "files")
    assert (summary.read, dict(summary.statuses)) == (2, {"ok": 2})
    assert summary.line() == "attachments: 2 read (2 ok)"
    assert db.execute("select count(*) from attachment_texts").fetchone()[0] == 2
    hits = search.search(db, "蜀锦社区")
    assert [(hit.url, [a.name for a in hit.attachments]) for hit in hits] == [
        ("http://x.cn/2.html", ["b.pdf"]), ("http://x.cn/1.html", ["a.pdf"])]
    snippet = hits[0].attachments[0]
    assert [snippet.snippet[s:e] for s, e in snippet.highlights] == ["蜀锦社区"]
    assert search.count(db, "蜀锦社区") == 2 and search.count(db, "蜀锦社区 无关") == 0  # words in one file
    assert [hit.url for hit in search.search(db, "锦")] == ["http://x.cn/2.html", "http://x.cn/1.html"]
    assert extract_pending(db, tmp_path / "files").read == 0  # nothing left to read


def test_the_index_follows_the_table_whoever_writes_it(tmp_path: Path) -> None:
    db = _archive(tmp_path, {"a.pdf": made.pdf(NOTICE)}, {"http://x.cn/1.html": ["a.pdf"]})
    extract_pending(db, tmp_path / "files")
    with db.conn:
        db.execute("update attachment_texts set text = '换成了别的文字：安康杯'")
    search.sync_attachments(db)
    assert search.count(db, "蜀锦社区") == 0 and search.count(db, "安康杯") == 1
    with db.conn:
        db.execute("delete from attachment_texts")
    search.sync_attachments(db)
    assert search.count(db, "安康杯") == 0
    extract_pending(db, tmp_path / "files")
    search.rebuild_attachments(db)
    assert search.count(db, "蜀锦社区") == 1


def test_an_article_whose_attachment_is_unread_stays_above_the_new_mark(tmp_path: Path) -> None:
    db = _archive(tmp_path, {"a.pdf": made.pdf(NOTICE)}, {"http://x.cn/1.html": [], "http://x.cn/2.html": ["a.pdf"]})
    assert search.new_matches(db, "蜀锦社区").hits == []
    extract_pending(db, tmp_path / "files")
    assert [hit.url for hit in search.new_matches(db, "蜀锦社区").hits] == ["http://x.cn/2.html"]
    assert search.new_matches(db, "蜀锦社区").hits == []


def test_a_file_listed_on_a_list_page_is_found_too(tmp_path: Path) -> None:
    db = _archive(tmp_path, {"a.pdf": made.pdf(NOTICE), "b.docx": made.docx(["蜀锦社区职工之家挂牌"])},
                  {"http://x.cn/1.html": ["a.pdf"]}, listed={"http://x.cn/tzgg/": ["b.docx"]})
    extract_pending(db, tmp_path / "files")
    [found] = search.listed_files(db, "蜀锦社区")
    assert (found.url, found.name, found.listed_on) == ("http://x.cn/b.docx", "b.docx", "http://x.cn/tzgg/")
    assert [found.snippet[s:e] for s, e in found.highlights] == ["蜀锦社区"]
    assert [hit.url for hit in search.search(db, "蜀锦社区")] == ["http://x.cn/1.html"]  # articles stay articles

    def cli(*args: str) -> str:
        result = CliRunner().invoke(main, ["search", "--db", str(tmp_path / "archive.db"), *args])
        assert result.exit_code == 0, result.output
        return result.output

    output = cli("蜀锦社区")
    assert " 2. 附件 b.docx" in output and "listed on http://x.cn/tzgg/" in output
    data = json.loads(cli("--json", "蜀锦社区"))
    assert [(item["url"], item.get("kind")) for item in data] == [("http://x.cn/1.html", None),
                                                                ("http://x.cn/b.docx", "listed")]
    assert {"url", "title", "published_at", "snippet"} <= set(data[1]) and data[1]["title"] == "b.docx"
    assert len(json.loads(cli("--json", "--limit", "1", "蜀锦社区"))) == 1
    assert [item["url"] for item in json.loads(cli("--json", "--column", "通知公告", "蜀锦社区"))] == \
        ["http://x.cn/1.html"]  # a filter on articles leaves out what belongs to no article

    ds = make_datasette(tmp_path / "archive.db")
    page = lxml.html.fromstring(asyncio.run(ds.client.get("/archive/search?q=" + quote("挂牌"))).text)
    [item] = page.cssselect("ul.unionnews-listed-files li")
    assert item.cssselect("a")[0].get("href") == "http://x.cn/b.docx"
    assert [m.text for m in item.cssselect("mark")] == ["挂牌"] and not page.cssselect("p.zero-results")


def test_a_crawl_reads_attachments_while_it_runs_and_the_rest_at_its_end(tmp_path: Path) -> None:
    db = _archive(tmp_path, {"a.pdf": made.pdf(NOTICE)}, {"http://x.cn/1.html": ["a.pdf"]})
    reading = attachments.ReadingAlong(tmp_path / "archive.db", tmp_path / "files", interval=0.05).start()
    try:
        assert _wait_for(lambda: search.count(db, "蜀锦社区") == 1), "not read while the crawl ran"
    finally:
        summary = reading.finish()
    assert (summary.read, dict(summary.statuses), reading.error) == (1, {"ok": 1}, None)
    # A file stored by the crawl's last write, after the last look: read by finish(), at the end.
    reading = attachments.ReadingAlong(tmp_path / "archive.db", tmp_path / "files", interval=3600).start()
    _add_page(db, tmp_path / "files", 2, "http://x.cn/2.html", {"b.docx": made.docx(["羽毛球比赛实施方案"])})
    search.sync(db)
    assert search.count(db, "羽毛球比赛") == 0
    assert reading.finish().read == 1
    assert [hit.url for hit in search.search(db, "羽毛球比赛")] == ["http://x.cn/2.html"]


def test_reading_along_an_archive_it_cannot_open_says_why_and_raises_nothing(tmp_path: Path) -> None:
    (tmp_path / "archive.db").write_bytes(b"not a database at all" * 100)
    reading = attachments.ReadingAlong(tmp_path / "archive.db", tmp_path / "files", interval=0.01).start()
    assert reading.finish().read == 0
    assert reading.error and "database" in reading.error


def _wait_for(condition, seconds: float = 20.0) -> bool:
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False
