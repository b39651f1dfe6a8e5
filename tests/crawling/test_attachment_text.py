"""The words inside attachments, found after a real crawl (issue 14.1): the replica serves
articles whose notices are PDF, DOCX, XLSX and XLS files the test makes with Chinese text, a PDF cut
off mid-file and a PDF of scans; the crawl archives everything, reads the files' text in its
child process, and `unionnews search`, the search page, the Atom feed and `--new` find the
articles through them, naming the attachment."""

from __future__ import annotations

import asyncio
import json
import re
import sqlite3
from pathlib import Path
from urllib.parse import quote

import lxml.etree
import lxml.html
import pytest
from click.testing import CliRunner

import made_documents as made
from archive.cli import cli
from archive.crawl import run_crawl
from archive.serve import make_datasette
from replica import ReplicaServer, build_site
from support import rows

NOTICE_TITLE = "关于公布职工书屋示范点名单的通知"
PDF_LINES = ["职工书屋示范点名单", "成都市青羊区蜀锦社区职工书屋"]
DOCX_LINES = ["羽毛球比赛实施方案", "报名截止时间为三月十日，逾期不予受理。"]
XLSX_ROWS = [["姓名", "单位"], ["王小明", "省测绘地理信息局"]]
ATOM = "{http://www.w3.org/2005/Atom}"


def unionnews(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output




@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory):
    """A small replica with two notices carrying made documents, crawled once."""
    root = tmp_path_factory.mktemp("attachments")
    site = build_site(root / "site", articles_per_column=(6, 6, 6))
    pdf = made.pdf(PDF_LINES)
    notice = site.add_article("/xwzx/tzgg/", NOTICE_TITLE, ["名单及有关材料见附件。"], "2024-03-01T09:30:00",
                              attachments={"mingdan.pdf": pdf, "fangan.docx": made.docx(DOCX_LINES),
                                           "tongji.xlsx": made.xlsx("推荐名单", XLSX_ROWS),
                                           "huizong.xls": made.xls("汇总表", [["单位", "人数"], ["统计报表第八组", 8]]),
                                           "broken.pdf": made.broken_pdf(), "scan.pdf": made.scanned_pdf()})
    again = site.add_article("/xwzx/ghxw/", "省直机关工会转发示范点名单", ["转发如下。"], "2024-03-02T10:00:00",
                             attachments={"copy.pdf": pdf})
    db = root / "archive.db"
    with ReplicaServer(site.root) as server:
        truth = site.truth(server.origin)
        summary = run_crawl(site.start_urls(server.origin), db, delay=0,
                            sites=dict.fromkeys(site.start_urls(server.origin), "scszjggh"))
        yield {"db": db, "summary": summary, "truth": truth, "notice": server.url(notice),
               "again": server.url(again), "origin": server.origin}


def test_cli_search_finds_words_inside_a_pdf_and_names_the_attachment(crawled) -> None:
    db, notice = str(crawled["db"]), crawled["notice"]
    output = unionnews("search", "--db", db, "蜀锦社区")
    assert NOTICE_TITLE in output and notice in output
    assert "附件 mingdan.pdf: " in output and notice.rsplit("/", 1)[0] + "/mingdan.pdf" in output
    assert "附件 copy.pdf: " in output and crawled["again"] in output  # the same file, another article
    hits = json.loads(unionnews("search", "--db", db, "--json", "蜀锦社区"))
    assert {hit["url"] for hit in hits} == {notice, crawled["again"]}
    hit = next(hit for hit in hits if hit["url"] == notice)
    assert {"url", "title", "published_at", "snippet"} <= set(hit)  # the contract's keys stay
    assert hit["title"] == NOTICE_TITLE and "蜀锦社区" not in hit["snippet"]  # not in the page itself
    [found] = hit["attachments"]
    assert found["name"] == "mingdan.pdf" and found["url"].endswith("/mingdan.pdf")
    assert "成都市青羊区蜀锦社区职工书屋" in found["snippet"]
    assert [found["snippet"][s:e] for s, e in found["highlights"]] == ["蜀锦社区"]


def test_cli_search_finds_words_inside_a_docx_and_spreadsheets(crawled) -> None:
    db = str(crawled["db"])
    [docx] = json.loads(unionnews("search", "--db", db, "--json", "报名截止 逾期"))
    assert docx["url"] == crawled["notice"] and [a["name"] for a in docx["attachments"]] == ["fangan.docx"]
    assert "报名截止时间为三月十日" in docx["attachments"][0]["snippet"]
    [xlsx] = json.loads(unionnews("search", "--db", db, "--json", "王小明"))
    assert [a["name"] for a in xlsx["attachments"]] == ["tongji.xlsx"]
    [xls] = json.loads(unionnews("search", "--db", db, "--json", "统计报表第八组"))
    assert [a["name"] for a in xls["attachments"]] == ["huizong.xls"] and "统计报表第八组\t8" in xls["attachments"][0]["snippet"]
    # words from two different files of one article do not make a match
    assert json.loads(unionnews("search", "--db", db, "--json", "王小明 蜀锦社区")) == []


def test_the_replicas_own_notices_are_found_by_the_chinese_in_their_files(crawled) -> None:
    """The replica's PDFs carry a Chinese text layer as office tools write it (Identity-H glyph
    codes with a ToUnicode map), its .doc files are RTF: both read, and a word found only in a
    file's text brings its notice up with the file named."""
    db = crawled["db"]
    texts = rows(db, "select f.url, t.format, t.status, t.text from files f join attachment_texts t "
                     "on t.sha256 = f.sha256 where f.url like '%/P0%'")
    formats = {row["format"] for row in texts if row["status"] == "ok"}
    assert {"pdf", "rtf"} <= formats
    pdf = next(row for row in texts if row["format"] == "pdf")
    assert re.search("[\u4e00-\u9fff]{4}", pdf["text"]), pdf
    word = re.search("[\u4e00-\u9fff]{6}", pdf["text"])[0]
    [hit, *_] = json.loads(unionnews("search", "--db", str(db), "--json", word))
    [named] = [a for a in hit["attachments"] if a["url"] == pdf["url"]]
    # named as the notice's link names it (附件1：<a>2019年…名单.pdf</a>), not P0….pdf
    assert not named["name"].startswith("P0") and named["name"].endswith(".pdf")
    article = rows(db, "select body from articles where url = ?", (hit["url"],))[0]
    assert named["name"] in article["body"]


def test_broken_and_scanned_pdfs_are_recorded_and_the_crawl_archives_everything(crawled) -> None:
    summary, db = crawled["summary"], crawled["db"]
    assert (summary.status, summary.exit_code, summary.errors) == ("finished", 0, [])
    archived = {row["url"] for row in rows(db, "select url from articles")}
    assert archived == {article["url"] for article in crawled["truth"]["articles"].values()}
    texts = {row["url"].rsplit("/", 1)[1]: row for row in rows(
        db, "select f.url, t.status, t.reason, t.format, t.pages from files f "
            "join attachment_texts t on t.sha256 = f.sha256 where f.article_url in (?, ?)",
        (crawled["notice"], crawled["again"]))}
    assert {name: row["status"] for name, row in texts.items()} == {
        "mingdan.pdf": "ok", "copy.pdf": "ok", "fangan.docx": "ok", "tongji.xlsx": "ok", "huizong.xls": "ok",
        "broken.pdf": "failed", "scan.pdf": "no_text_layer"}
    assert texts["broken.pdf"]["reason"].startswith("broken: ") and texts["broken.pdf"]["format"] == "pdf"
    assert texts["scan.pdf"]["reason"] == "no text layer (scanned pages or images only)"
    assert texts["scan.pdf"]["pages"] == 1
    # one row per distinct file: the PDF under two articles was read once
    assert rows(db, "select count(*) as n from attachment_texts where status = 'ok' and text like '%蜀锦社区%'") \
        == [{"n": 1}]
    # every attachment of the replica's own articles has its row too (its .doc files are RTF)
    unread = rows(db, "select f.url from files f where f.kind = 'attachment' and not exists "
                      "(select 1 from attachment_texts t where t.sha256 = f.sha256)")
    assert unread == []
    assert rows(db, "select count(*) as n from attachment_texts where format = 'rtf' and status = 'ok'")[0]["n"] > 0


def test_datasette_shows_the_statuses_and_the_search_page_the_matching_attachment(crawled) -> None:
    ds = make_datasette(crawled["db"])
    failed = asyncio.run(ds.client.get("/archive/attachment_texts.json?status=failed&_shape=array")).json()
    assert [row["format"] for row in failed] == ["pdf"] and failed[0]["reason"].startswith("broken: ")
    listed = asyncio.run(ds.client.get("/archive/attachments_list.json?_shape=array&status=no_text_layer")).json()
    assert [(row["url"].rsplit("/", 1)[1], row["article_url"]) for row in listed] == [("scan.pdf", crawled["notice"])]
    page = asyncio.run(ds.client.get("/archive/search?q=" + quote("蜀锦社区") + "&column=&site=&since=&until="))
    assert page.status_code == 200
    doc = lxml.html.fromstring(page.text)
    cells = doc.cssselect("td.col-snippet")
    assert len(cells) == 2
    listed = [li for cell in cells for li in cell.cssselect("ul.unionnews-attachments li")]
    assert sorted(li.cssselect("a")[0].text for li in listed) == ["copy.pdf", "mingdan.pdf"]
    assert all([m.text for m in li.cssselect("mark")] == ["蜀锦社区"] for li in listed)
    assert all(li.cssselect("a")[0].get("href").startswith(crawled["origin"]) for li in listed)
    plain = lxml.html.fromstring(asyncio.run(ds.client.get("/archive/search?q=" + quote("名单及有关材料"))).text)
    assert len(plain.cssselect("td.col-snippet")) == 1
    assert plain.cssselect("ul.unionnews-attachments") == []  # a match in the page itself lists no attachment


def test_reparse_reads_every_attachment_again(crawled) -> None:
    db = crawled["db"]
    before = rows(db, "select sha256, status, reason, text from attachment_texts order by sha256")
    names = rows(db, "select article_url, url, name from files order by article_url, url")
    assert any(row["name"] for row in names)
    with sqlite3.connect(db) as conn:
        conn.execute("delete from attachment_texts")
        conn.execute("update files set name = null")  # as in an archive from before names were kept
    assert json.loads(unionnews("search", "--db", str(db), "--json", "蜀锦社区")) == []
    output = unionnews("reparse", "--db", str(db))
    assert f"attachments: {len(before)} read (" in output and "1 failed" in output and "1 no text layer" in output
    assert rows(db, "select sha256, status, reason, text from attachment_texts order by sha256") == before
    assert rows(db, "select article_url, url, name from files order by article_url, url") == names
    assert {hit["url"] for hit in json.loads(unionnews("search", "--db", str(db), "--json", "蜀锦社区"))} == \
        {crawled["notice"], crawled["again"]}


def test_the_feed_and_new_gain_an_article_that_matches_through_its_attachment(tmp_path: Path) -> None:
    site = build_site(tmp_path / "site", articles_per_column=(6, 6, 6))
    db = tmp_path / "archive.db"
    with ReplicaServer(site.root) as server:
        urls = site.start_urls(server.origin)
        run_crawl(urls, db, delay=0, sites=dict.fromkeys(urls, "scszjggh"))
        ds = make_datasette(db)
        path = "/archive/search.atom?q=" + quote("蓝莓采摘")
        parser = lxml.etree.XMLParser(resolve_entities=False, no_network=True)
        assert lxml.etree.fromstring(asyncio.run(ds.client.get(path)).content, parser).findall(ATOM + "entry") == []
        assert unionnews("search", "--db", str(db), "--new", "蓝莓采摘") == ""

        article = site.add_article("/xwzx/tzgg/", "关于组织职工参加秋季活动的通知", ["具体安排见附件。"],
                                   "2024-09-01T09:00:00",
                                   attachments={"anpai.pdf": made.pdf(["秋季职工活动安排", "九月十五日 蓝莓采摘"])})
        run_crawl(urls, db, delay=0, sites=dict.fromkeys(urls, "scszjggh"))
        root = lxml.etree.fromstring(asyncio.run(ds.client.get(path)).content, parser)
        [entry] = root.findall(ATOM + "entry")
        assert entry.find(ATOM + "id").text == server.url(article)
        summary = lxml.html.fragment_fromstring(entry.find(ATOM + "summary").text, create_parent="div")
        assert "附件 anpai.pdf: " in summary.text_content()
        assert [m.text for m in summary.iter("mark")] == ["蓝莓采摘"]
        new = unionnews("search", "--db", str(db), "--new", "蓝莓采摘")
        assert new.startswith("1 new article match 蓝莓采摘") and "附件 anpai.pdf" in new
