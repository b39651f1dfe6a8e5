"""Following a search (issue 14): its Atom feed, `unionnews search --new`, and the page's
exports of every hit. Real parts: the replica crawled into a real archive, Datasette in-process,
the CLI, and a second crawl that archives a new matching article."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import sqlite3
from pathlib import Path
from urllib.parse import quote, urlsplit

import lxml.etree
import lxml.html
import pytest
from click.testing import CliRunner

from archive import search
from archive.cli import cli
from archive.crawl import run_crawl
from archive.db import open_archive
from archive.serve import make_datasette
from replica import ReplicaServer, build_site

ATOM = "{http://www.w3.org/2005/Atom}"
NEW_TITLE = "省直机关工会举办职工蓝莓采摘节活动"
NEW_BODY = ["为丰富职工业余生活，省直机关工会举办职工蓝莓采摘节活动<script>alert(1)</script>。",
            "各单位职工踊跃参加 & 获得好评。"]


def q(text: str) -> str:
    return quote(text, safe="")


def get(ds, path: str):
    response = asyncio.run(ds.client.get(path))
    assert response.status_code == 200, (path, response.status_code, response.text[:500])
    return response


def feed(ds, path: str) -> lxml.etree._Element:
    response = get(ds, path)
    assert response.headers["content-type"].startswith("application/atom+xml")
    parser = lxml.etree.XMLParser(resolve_entities=False, no_network=True)
    return lxml.etree.fromstring(response.content, parser)


def text(element, tag: str) -> str:
    found = element.find(ATOM + tag)
    assert found is not None, tag
    return found.text or ""


def unionnews(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture
def served_site(tmp_path: Path):
    """A small replica, served, crawled once into its own archive (a crawl can be run again)."""
    site = build_site(tmp_path / "site", articles_per_column=(12, 10, 10))
    with ReplicaServer(site.root) as server:
        urls = site.start_urls(server.origin)
        db = tmp_path / "archive.db"
        run_crawl(urls, db, delay=0, sites=dict.fromkeys(urls, "scszjggh"))

        def crawl_again() -> None:
            run_crawl(urls, db, delay=0, sites=dict.fromkeys(urls, "scszjggh"))

        yield site, server, db, crawl_again


# ---------------------------------------------------------------------------------------------
# The feed


def test_the_search_page_links_the_feed_of_its_query_and_filters(replica_archive) -> None:
    ds = make_datasette(replica_archive)
    doc = lxml.html.fromstring(get(ds, "/archive/search?q=" + q("职工") + "&column=" + q("通知公告")
                                   + "&site=&since=2022&until=").text)
    head = doc.cssselect('link[rel=alternate][type="application/atom+xml"]')[0].get("href")
    body = doc.cssselect("a.unionnews-feed")[0].get("href")
    assert head == body
    url = urlsplit(head)
    assert url.path == "/archive/search.atom"
    assert url.query == "q=" + q("职工").replace("%20", "+") + "&column=" + q("通知公告") + "&since=2022"


def test_feed_is_valid_atom_newest_first_with_row_and_original_links(replica_archive) -> None:
    ds = make_datasette(replica_archive)
    root = feed(ds, "/archive/search.atom?q=" + q("职工") + "&column=" + q("通知公告"))
    assert root.tag == ATOM + "feed"
    assert text(root, "id").startswith("http://") and "search.atom" in text(root, "id")
    assert "职工" in text(root, "title") and "通知公告" in text(root, "title")
    self_link = [link for link in root.findall(ATOM + "link") if link.get("rel") == "self"]
    assert self_link and self_link[0].get("href") == text(root, "id")
    expected = search.newest(open_archive(replica_archive), "职工", columns=["通知公告"])
    entries = root.findall(ATOM + "entry")
    assert 0 < len(entries) == len(expected) <= search.FEED_SIZE
    seen = []
    for entry, hit in zip(entries, expected):
        assert text(entry, "id") == hit.url and text(entry, "title") == hit.title
        seen.append(text(entry, "updated"))
        assert text(entry, "updated") == hit.first_seen_at  # stored as RFC 3339 in UTC (…Z)
        links = {link.get("rel"): link.get("href") for link in entry.findall(ATOM + "link")}
        assert urlsplit(links["alternate"]).path == f"/archive/articles/{hit.id}"
        assert links["via"] == hit.url
        summary = entry.find(ATOM + "summary")
        assert summary.get("type") == "html"
        marked = lxml.html.fragment_fromstring(summary.text, create_parent="div")
        assert [m.text for m in marked.iter("mark")] and all(m.text == "职工" for m in marked.iter("mark"))
        # the snippet, then each attachment that holds the words with its own (issue 14.1)
        assert marked.text_content() == hit.snippet + "".join(f"附件 {found.name}: {found.snippet}"
                                                              for found in hit.attachments)
    assert seen == sorted(seen, reverse=True)
    assert text(root, "updated") == seen[0]
    with sqlite3.connect(replica_archive) as conn:
        newest_ids = [row[0] for row in conn.execute(
            "SELECT id FROM articles WHERE \"column\" = '通知公告' AND (title LIKE '%职工%' OR body LIKE '%职工%') "
            "ORDER BY first_seen_at DESC, id DESC LIMIT ?", [search.FEED_SIZE])]
    assert [hit.id for hit in expected] == newest_ids


@pytest.mark.parametrize("query", ["职工\x01\x0b", '"<&>', "]]>", "😀", "工会 OR 职工", "'; DROP TABLE articles; --"])
def test_feed_of_anything_typed_is_well_formed(replica_archive, query: str) -> None:
    root = feed(make_datasette(replica_archive), "/archive/search.atom?q=" + q(query))
    assert root.tag == ATOM + "feed" and text(root, "updated")


def test_feed_with_a_bad_date_is_refused_in_one_line(replica_archive) -> None:
    response = asyncio.run(make_datasette(replica_archive).client.get(
        "/archive/search.atom?q=" + q("职工") + "&since=not-a-date"))
    assert response.status_code == 400 and "--since must be a date" in response.text


def test_feed_changes_after_a_crawl_archives_a_matching_article(served_site) -> None:
    site, server, db, crawl_again = served_site
    ds = make_datasette(db)
    path = "/archive/search.atom?q=" + q("蓝莓采摘 职工")
    before = feed(ds, path)
    assert before.findall(ATOM + "entry") == []
    others = feed(ds, "/archive/search.atom?q=" + q("职工"))
    count_before = len(others.findall(ATOM + "entry"))
    assert count_before > 0

    article = site.add_article("/xwzx/ghxw/", NEW_TITLE, NEW_BODY, "2024-03-01T09:30:00")
    crawl_again()

    after = feed(ds, path)
    entries = after.findall(ATOM + "entry")
    assert [text(entry, "id") for entry in entries] == [server.url(article)]
    assert text(after, "updated") > text(before, "updated")
    entry = entries[0]
    assert text(entry, "title") == NEW_TITLE
    assert text(entry, "published") == "2024-03-01T09:30:00+08:00"
    summary = entry.find(ATOM + "summary").text
    assert "&lt;script&gt;" in summary and "<script" not in summary  # crawled text stays text
    doc = lxml.html.fragment_fromstring(summary, create_parent="div")
    assert not doc.xpath("//script") and "<script>alert(1)</script>" in doc.text_content()
    # the broader search now starts with the new article
    first = feed(ds, "/archive/search.atom?q=" + q("职工")).findall(ATOM + "entry")[0]
    assert text(first, "id") == server.url(article)


# ---------------------------------------------------------------------------------------------
# unionnews search --new


def test_search_new_prints_everything_first_then_only_what_a_crawl_added(served_site) -> None:
    site, server, db, crawl_again = served_site
    everything = json.loads(unionnews("search", "--db", str(db), "--new", "--json", "职工"))
    assert len(everything) == search.count(open_archive(db), "职工") > 20  # not cut at --limit's 20
    firsts = [hit["first_seen_at"] for hit in everything]
    assert firsts == sorted(firsts, reverse=True)
    assert json.loads(unionnews("search", "--db", str(db), "--new", "--json", "职工")) == []
    assert unionnews("search", "--db", str(db), "--new", "职工") == ""  # cron mails nothing

    article = site.add_article("/xwzx/ghxw/", NEW_TITLE, NEW_BODY, "2024-03-01T09:30:00")
    crawl_again()

    output = unionnews("search", "--db", str(db), "--new", "职工")
    assert output.startswith("1 new article match 职工 (since ")
    assert NEW_TITLE in output and server.url(article) in output
    assert unionnews("search", "--db", str(db), "--new", "职工") == ""
    # spacing and word order make the same search; other filters are another one
    assert json.loads(unionnews("search", "--db", str(db), "--new", "--json", " 职工 ")) == []
    fresh = json.loads(unionnews("search", "--db", str(db), "--new", "--json", "职工", "--column", "工会新闻"))
    assert server.url(article) in [hit["url"] for hit in fresh]
    assert len(fresh) == search.count(open_archive(db), "职工", columns=["工会新闻"])
    # the ordinary search is unchanged by all this
    assert len(json.loads(unionnews("search", "--db", str(db), "--json", "职工"))) == 20
    with sqlite3.connect(db) as conn:
        marks = conn.execute("SELECT query, filters, shown FROM search_marks ORDER BY asked_at, query").fetchall()
    assert len(marks) == 2 and all(json.loads(filters)["columns"] in ([], ["工会新闻"]) for _, filters, _ in marks)


def test_search_new_with_limit_and_bad_date(served_site) -> None:
    _, _, db, _ = served_site
    limited = CliRunner().invoke(cli, ["search", "--db", str(db), "--new", "--limit", "3", "职工"])
    assert limited.exit_code == 0
    assert limited.output.count("\n    http") == 3 and "more new articles are not shown" in limited.output
    bad = CliRunner().invoke(cli, ["search", "--db", str(db), "--new", "职工", "--since", "soon"])
    assert bad.exit_code == 2 and "--since must be a date" in bad.output
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM search_marks").fetchone()[0] == 1  # only the good one


# ---------------------------------------------------------------------------------------------
# Export every hit


def test_the_page_exports_every_hit_as_csv_and_json_in_its_order(replica_archive) -> None:
    ds = make_datasette(replica_archive)
    expected = search.search(open_archive(replica_archive), "职工", limit=None)
    assert len(expected) > search.PAGE_SIZE
    doc = lxml.html.fromstring(get(ds, "/archive/search?q=" + q("职工") + "&column=&site=&since=&until=").text)
    exports = {a.text_content(): a.get("href") for a in doc.cssselect("p.export-links a[download]")}
    assert set(exports) == {"CSV", "JSON"}
    page_columns = get(ds, "/archive/search.json?q=" + q("职工")).json()["columns"]

    rows = get(ds, exports["JSON"]).json()
    assert [row["id"] for row in rows] == [hit.id for hit in expected]
    assert list(rows[0]) == page_columns
    assert rows[-1] == {"id": expected[-1].id, "title": expected[-1].title,
                        "published_at": expected[-1].published_at, "column": expected[-1].column,
                        "source": expected[-1].source, "site": expected[-1].site,
                        "snippet": expected[-1].snippet, "url": expected[-1].url, "attachments": []}

    response = get(ds, exports["CSV"])
    assert response.headers["content-type"].startswith("text/csv")
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert table[0] == page_columns
    assert [int(row[0]) for row in table[1:]] == [hit.id for hit in expected]
    assert [row[7] for row in table[1:]] == [hit.url for hit in expected]


def test_exports_follow_the_filters_and_survive_anything_typed(replica_archive) -> None:
    ds = make_datasette(replica_archive)
    rows = get(ds, "/archive/search-export.json?q=" + q("职工") + "&column=" + q("通知公告") + "&since=2022").json()
    expected = search.search(open_archive(replica_archive), "职工", columns=["通知公告"], since="2022", limit=None)
    assert [row["id"] for row in rows] == [hit.id for hit in expected]
    for query in ['"', "*", "'; DROP TABLE articles; --", "没有这样的文字qqq", ""]:
        assert get(ds, "/archive/search-export.json?q=" + q(query)).json() == []
        assert get(ds, "/archive/search-export.csv?q=" + q(query)).content.decode("utf-8-sig").strip() == \
            ",".join(["id", "title", "published_at", "column", "source", "site", "snippet", "url", "attachments"])
    bad = asyncio.run(ds.client.get("/archive/search-export.csv?q=" + q("职工") + "&until=2023-13"))
    assert bad.status_code == 400


def test_exports_are_streamed_in_pieces_not_built_whole(replica_archive) -> None:
    """Raw ASGI: the response arrives as many body messages (rows as they are read)."""
    app = make_datasette(replica_archive).app()
    messages: list[dict] = []

    async def call(path: str, query: str) -> None:
        scope = {"type": "http", "http_version": "1.1", "method": "GET", "path": path, "raw_path": path.encode(),
                 "query_string": query.encode(), "headers": [(b"host", b"localhost")], "scheme": "http",
                 "server": ("localhost", 80), "client": ("127.0.0.1", 1), "root_path": ""}

        async def receive() -> dict:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message: dict) -> None:
            messages.append(message)

        await app(scope, receive, send)

    asyncio.run(call("/archive/search-export.json", "q=" + q("职工")))
    bodies = [m for m in messages if m["type"] == "http.response.body" and m.get("body")]
    assert messages[0]["status"] == 200
    assert len(bodies) > search.PAGE_SIZE  # one piece per row at least
    rows = json.loads(b"".join(m["body"] for m in bodies))
    assert len(rows) == search.count(open_archive(replica_archive), "职工")


@pytest.mark.parametrize(("cell", "shown"), [
    ("=HYPERLINK(\"http://x\",\"点此\")", "'=HYPERLINK(\"http://x\",\"点此\")"), ("+1", "'+1"), ("-2+3", "'-2+3"),
    ("@SUM(A1)", "'@SUM(A1)"), ("职工之家", "职工之家"), (None, ""), (42, 42),
])
def test_crawled_text_that_starts_like_a_formula_is_exported_as_text(cell, shown) -> None:
    """Datasette loads the plugin from its folder; the test loads the same file."""
    import importlib.util

    from archive.serve import CONFIG_DIR

    spec = importlib.util.spec_from_file_location("search_page", CONFIG_DIR / "plugins" / "unionnews_search_page.py")
    plugin = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(plugin)
    assert plugin.spreadsheet_safe(cell) == shown
