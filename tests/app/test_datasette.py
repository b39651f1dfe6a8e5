"""The published archive: Datasette pages tested in-process over a real crawl of the replica."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path
from urllib.parse import quote

import lxml.html
import pytest
from click.testing import CliRunner

from archive import search
from archive.cli import cli
from archive.db import open_archive
from archive.serve import make_datasette, serve_in_thread
from crawler.profiles import load_profile



@pytest.fixture(scope="module")
def ds(replica_archive: Path):
    return make_datasette(replica_archive)


def get(ds, path: str):
    response = asyncio.run(ds.client.get(path))
    assert response.status_code == 200, (path, response.status_code, response.text[:500])
    return response


def page(ds, path: str) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(get(ds, path).text)


def q(text: str) -> str:
    return quote(text, safe="")


def rows(archive: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(archive) as conn:
        return conn.execute(sql).fetchall()


def test_home_page_has_title_description_and_licence(ds) -> None:
    html = get(ds, "/").text
    assert "四川省直机关工会新闻档案" in html and "unionnews archive" in html
    assert "仅供存档与研究" in html


def test_articles_list_is_newest_first_with_title_date_column_source_first(ds, replica_archive) -> None:
    doc = page(ds, "/archive/articles_list")
    headers = [th.get("data-column") for th in doc.cssselect("table.rows-and-columns th")]
    assert headers[:5] == ["title", "published_at", "column", "source", "excerpt"]
    dates = [td.text_content().strip() for td in doc.cssselect("td.col-published_at")]
    newest = rows(replica_archive, "SELECT max(published_at) FROM articles")[0][0]
    assert dates[0] == newest and dates == sorted(dates, reverse=True)
    link = doc.cssselect("td.col-title a")[0]
    assert link.get("href").startswith("/archive/articles/")
    assert all(len(td.text_content()) <= 100 for td in doc.cssselect("td.col-excerpt"))


def test_articles_list_has_facets_on_column_source_year_and_month(ds, replica_archive) -> None:
    data = get(ds, "/archive/articles_list.json?_facet_size=max").json()
    facets = data["facet_results"]
    assert set(facets) >= {"column", "source", "year", "month"}
    columns = {item["value"]: item["count"] for item in facets["column"]["results"]}
    assert columns == dict(rows(replica_archive, 'SELECT "column", count(*) FROM articles GROUP BY 1'))
    years = {item["value"]: item["count"] for item in facets["year"]["results"]}
    assert years == dict(rows(replica_archive, "SELECT substr(published_at, 1, 4), count(*) FROM articles GROUP BY 1"))


def facet_counts(data: dict, name: str) -> dict:
    return {item["value"]: item["count"] for item in data["facet_results"][name]["results"]}


def test_articles_list_facets_are_read_from_kept_counts_whatever_facet_values_are_chosen(ds, replica_archive) -> None:
    whole = get(ds, "/archive/articles_list.json?_facet_size=max").json()
    assert {whole["facet_results"][name]["type"] for name in ("site", "column", "source", "year", "month")} == {"counted"}
    assert facet_counts(whole, "source") == dict(rows(
        replica_archive, "SELECT source, count(*) FROM articles WHERE source IS NOT NULL GROUP BY 1"))
    year = max(facet_counts(whole, "year"))
    column = max(facet_counts(whole, "column"), key=facet_counts(whole, "column").get)
    for query, where in ((f"year={year}", f"published_at LIKE '{year}%'"),
                         (f"year={year}&column={q(column)}", f"published_at LIKE '{year}%' AND \"column\" = '{column}'")):
        filtered = get(ds, f"/archive/articles_list.json?_facet_size=max&{query}").json()
        assert filtered["facet_results"]["column"]["type"] == "counted"
        assert facet_counts(filtered, "column") == dict(rows(
            replica_archive, f'SELECT "column", count(*) FROM articles WHERE {where} GROUP BY 1'))
        assert facet_counts(filtered, "year") == {year: filtered["filtered_table_rows_count"]}
        chosen = [item for item in filtered["facet_results"]["year"]["results"] if item["selected"]]
        assert [item["value"] for item in chosen] == [year] and f"year={year}" not in chosen[0]["toggle_url"]
    table = get(ds, "/archive/articles.json?_facet_size=max").json()
    assert facet_counts(table, "column") == facet_counts(whole, "column")


def test_articles_list_facets_of_other_filters_are_counted_by_sql(ds, replica_archive) -> None:
    data = get(ds, "/archive/articles_list.json?_facet_size=max&title__contains=" + q("工会")).json()
    assert facet_counts(data, "column") == dict(rows(
        replica_archive, "SELECT \"column\", count(*) FROM articles WHERE title LIKE '%工会%' GROUP BY 1"))


def test_facet_counts_that_drifted_are_not_shown(replica_archive, tmp_path) -> None:
    """A client without recursive_triggers replaces an article: its old row leaves no trace in
    the kept counts, which then hold one article too many; the page counts by SQL instead."""
    copy = tmp_path / "archive.db"
    copy.write_bytes(replica_archive.read_bytes())
    with sqlite3.connect(copy) as conn:
        conn.execute("PRAGMA foreign_keys = OFF")
        conn.execute("PRAGMA recursive_triggers = OFF")
        conn.execute("INSERT OR REPLACE INTO articles(id, url, title, body, site, \"column\", published_at) "
                     "SELECT id, url, title, body, site, '改过的栏目', published_at FROM articles "
                     "ORDER BY id LIMIT 1")
    data = get(make_datasette(copy), "/archive/articles_list.json?_facet_size=max").json()
    assert facet_counts(data, "column") == dict(rows(copy, 'SELECT "column", count(*) FROM articles GROUP BY 1'))
    assert facet_counts(data, "column")["改过的栏目"] == 1


def test_articles_table_shows_excerpts_and_the_row_page_whole_paragraphs(ds, replica_archive) -> None:
    article_id, body = rows(
        replica_archive, "SELECT id, body FROM articles WHERE length(body) > 300 ORDER BY id LIMIT 1"
    )[0]
    table = page(ds, "/archive/articles?id=" + str(article_id))
    cell = table.cssselect("td.col-body")[0].text_content().strip()
    assert len(cell) <= 61 + 1 and cell.endswith("…")
    row = page(ds, f"/archive/articles/{article_id}")
    paragraphs = [p.text_content() for p in row.cssselect("td.col-body p")]
    assert paragraphs == [line for line in body.split("\n") if line.strip()]


def test_articles_table_sorted_newest_first_with_column_and_source_facets(ds) -> None:
    data = get(ds, "/archive/articles.json?_shape=objects").json()
    assert data["human_description_en"] == "sorted by published_at descending"
    assert {"column", "source"} <= set(data["facet_results"])
    assert "suggested_facets" not in data or not data["suggested_facets"]


def test_search_page_finds_highlights_and_links(ds, replica_archive) -> None:
    doc = page(ds, "/archive/search?q=" + q("安康杯") + "&column=&since=&until=")
    titles = doc.cssselect("td.col-title a")
    db = open_archive(replica_archive)
    expected = search.search(db, "安康杯", limit=search.PAGE_SIZE)
    assert [a.get("href") for a in titles] == [f"/archive/articles/{h.id}" for h in expected]
    marks = doc.cssselect("td.col-snippet mark")
    assert marks and {m.text_content() for m in marks} == {"安康杯"}
    assert doc.cssselect('td.col-url a[href^="http://127.0.0.1:"]')


def test_search_page_counts_every_match_and_pages_through_them_all(ds, replica_archive) -> None:
    db = open_archive(replica_archive)
    like = rows(replica_archive, "SELECT count(*) FROM articles WHERE title LIKE '%职工%' OR body LIKE '%职工%'")
    path, seen = "/archive/search?q=" + q("职工") + "&column=&site=&since=&until=", []
    while path:
        doc = page(ds, path)
        heading = doc.cssselect("h2.unionnews-count")[0].text_content()
        assert heading.startswith(f"共 {like[0][0]} 篇，第 {len(seen) + 1}–")
        seen += [a.get("href") for a in doc.cssselect("td.col-title a")]
        path = next((a.get("href") for a in doc.cssselect("a[rel=next]")), None)
    assert seen == [f"/archive/articles/{h.id}" for h in search.search(db, "职工", limit=None)]
    assert len(seen) > search.PAGE_SIZE  # more than one page was walked


def test_search_page_says_more_than_the_cap_and_still_pages_through_every_hit(
        ds, replica_archive, monkeypatch) -> None:
    """Past COUNT_CAP matches (or past the page shown) the page stops counting and says "more
    than"; Next still walks every hit and the last page gives the exact total."""
    monkeypatch.setattr(search, "COUNT_CAP", 60)
    db = open_archive(replica_archive)
    everything = [f"/archive/articles/{h.id}" for h in search.search(db, "职工", limit=None)]
    assert len(everything) > 2 * 60  # the cap is really passed
    path, seen = "/archive/search?q=" + q("职工") + "&column=&site=&since=&until=", []
    while path:
        doc = page(ds, path)
        heading = doc.cssselect("h2.unionnews-count")[0].text_content()
        shown = len(doc.cssselect("td.col-title a"))
        counted = len(everything) if len(seen) + shown == len(everything) else max(60, len(seen) + shown)
        said = "共" if counted == len(everything) else "超过"
        assert heading.startswith(f"{said} {counted} 篇，第 {len(seen) + 1}–{len(seen) + shown} 篇")
        seen += [a.get("href") for a in doc.cssselect("td.col-title a")]
        path = next((a.get("href") for a in doc.cssselect("a[rel=next]")), None)
    assert seen == everything


def test_search_page_offers_the_archives_columns_to_choose_from(ds, replica_archive) -> None:
    doc = page(ds, "/archive/search?q=" + q("职工") + "&column=" + q("通知公告"))
    options = doc.cssselect("select[name=column] option")
    assert [o.get("value") for o in options] == [""] + sorted(
        r[0] for r in rows(replica_archive, 'SELECT DISTINCT "column" FROM articles'))
    assert [o.get("value") for o in options if o.get("selected") is not None] == ["通知公告"]
    assert not doc.cssselect("select[name=site]")  # one site: nothing to choose


def test_search_page_filters_by_column_and_dates(ds, replica_archive) -> None:
    path = "/archive/search.json?_shape=array&q=" + q("职工") + "&column=" + q("通知公告")
    data = get(ds, path + "&since=2022-01&until=2023").json()
    db = open_archive(replica_archive)
    expected = search.search(db, "职工", columns=["通知公告"], since="2022-01", until="2023",
                             limit=search.PAGE_SIZE)
    assert [item["id"] for item in data] == [hit.id for hit in expected] and data
    assert all(item["column"] == "通知公告" for item in data)


@pytest.mark.parametrize("query", ["", '"', "<script>alert(1)</script>", "工会 OR )(", "x" * 10_000])
def test_search_page_survives_anything_typed(ds, query: str) -> None:
    response = get(ds, "/archive/search?q=" + q(query) + "&column=&since=not-a-date&until=")
    assert "<script>alert(1)</script>" not in response.text


def test_search_page_escapes_crawled_text(ds) -> None:
    """A hostile SQL result cannot inject HTML through the highlight or title renderers."""
    sql = "select 1 as id, '<img src=x onerror=alert(1)>' || char(57344) || 'x' || char(57345) as title, " \
          "'<b>bold</b>' || char(57344) || 'y' || char(57345) as snippet"
    response = get(ds, "/archive?sql=" + q(sql))
    assert "<img src=x" not in response.text and "&lt;img src=x" in response.text
    assert "<mark>y</mark>" in response.text and "<b>bold</b>" not in response.text


def test_canned_queries_count_like_the_archive(ds, replica_archive) -> None:
    per_column = get(ds, "/archive/articles_per_column.json?_shape=array").json()
    assert {r["column"]: r["articles"] for r in per_column} == dict(
        rows(replica_archive, 'SELECT "column", count(*) FROM articles GROUP BY 1'))
    per_month = get(ds, "/archive/articles_per_month.json?_shape=array").json()
    assert sum(r["articles"] for r in per_month) == rows(replica_archive, "SELECT count(*) FROM articles")[0][0]
    per_source = get(ds, "/archive/articles_per_source.json?_shape=array").json()
    assert per_source[0]["articles"] >= per_source[-1]["articles"]
    latest = get(ds, "/archive/latest_articles.json?_shape=array").json()
    assert latest[0]["published_at"] == rows(replica_archive, "SELECT max(published_at) FROM articles")[0][0]


def test_changed_articles_lists_revisions(tmp_path: Path) -> None:
    path = tmp_path / "archive.db"
    db = open_archive(path)
    db["articles"].insert({"url": "http://x/1", "title": "新标题", "body": "正文", "first_seen_at": "2024-01-01T00:00:00Z"})
    db["revisions"].insert({"article_id": 1, "title": "旧标题", "body": "旧", "first_seen_at": "2023-12-01T00:00:00Z",
                            "last_seen_at": "2023-12-31T00:00:00Z", "replaced_at": "2024-01-01T00:00:00Z"})
    db.conn.commit()
    data = get(make_datasette(path), "/archive/changed_articles.json?_shape=array").json()
    assert [(r["title"], r["revisions"]) for r in data] == [("新标题", 1)]
    assert "旧标题" in data[0]["earlier_versions"]


def test_atom_feed_of_new_articles(ds, replica_archive) -> None:
    response = get(ds, "/archive/new_articles.atom")
    assert response.headers["content-type"].startswith("application/xml")
    feed = lxml.etree.fromstring(response.content)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = feed.findall("a:entry", ns)
    assert len(entries) == 50
    newest = rows(replica_archive, "SELECT url FROM articles ORDER BY first_seen_at DESC, id DESC LIMIT 1")[0][0]
    assert newest in {e.find("a:id", ns).text for e in entries}


def test_csv_and_json_exports(ds) -> None:
    csv = get(ds, "/archive/articles_list.csv?_size=5").text.splitlines()
    assert csv[0].startswith("title,published_at,column,source,excerpt")
    assert len(csv) == 6
    data = get(ds, "/archive/articles.json?_shape=array&_size=3").json()
    assert len(data) == 3 and {"url", "title", "body"} <= set(data[0])


def test_published_archive_is_read_only(ds, replica_archive) -> None:
    response = asyncio.run(ds.client.get("/archive.json?sql=" + q("delete from articles")))
    assert response.status_code == 400
    # even Datasette's own write connection cannot change the archive
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        asyncio.run(ds.get_database("archive").execute_write("delete from articles"))
    assert rows(replica_archive, "SELECT count(*) FROM articles")[0][0] == 310


def test_search_index_tables_are_hidden(ds) -> None:
    names = {t["name"] for t in get(ds, "/archive.json").json()["tables"] if not t["hidden"]}
    assert "articles" in names and not {n for n in names if n.startswith("articles_fts")}


def test_serve_command_rejects_a_missing_archive(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["serve", "--db", str(tmp_path / "missing.db"), "--port", "0"])
    assert result.exit_code == 2 and "no archive at" in result.output
    assert "Serving" not in result.output  # said before any "Serving ..." line


def test_serve_command_rejects_a_file_that_is_no_database_in_one_line(tmp_path: Path) -> None:
    (tmp_path / "notes.db").write_text("not a database", encoding="utf-8")
    result = CliRunner().invoke(cli, ["serve", "--db", str(tmp_path / "notes.db"), "--port", "0"])
    assert result.exit_code == 2 and result.exception is None or isinstance(result.exception, SystemExit)
    assert result.output.strip().splitlines() == [f"Error: cannot open archive {tmp_path / 'notes.db'}: file is not a database"]


def test_serve_in_thread_answers_over_http(replica_archive: Path) -> None:
    import urllib.request

    server, url = serve_in_thread(replica_archive)
    try:
        assert url.startswith("http://127.0.0.1:")
        with urllib.request.urlopen(url + "archive/search.json?_shape=array&q=" + q("职工之家")) as r:
            assert r.status == 200 and r.read()
    finally:
        server.should_exit = True


def test_demo_crawls_the_replica_and_serves_search(tmp_path: Path) -> None:
    import json
    import subprocess
    import sys
    import urllib.request

    command = [sys.executable, "-c", "from archive.cli import main; main()",
               "demo", "--dir", str(tmp_path), "--port", "0"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        lines = []
        for line in process.stdout:
            lines.append(line)
            if line.startswith("Datasette: "):
                break
        url = lines[-1].split()[1]
        assert any(line.startswith("crawl finished") for line in lines), lines
        found, number = [], 1
        while True:  # every page of results
            for _ in range(100):  # the URL is printed just before the server binds
                try:
                    with urllib.request.urlopen(f"{url}archive/search.json?_shape=array&q={q('工会')}"
                                                f"&page={number}") as r:
                        hits = json.loads(r.read())
                    break
                except OSError:
                    import time

                    time.sleep(0.1)
            if not hits:
                break
            found, number = found + hits, number + 1
        expected = rows(tmp_path / "archive.db",
                        "SELECT count(*) FROM articles WHERE title LIKE '%工会%' OR body LIKE '%工会%'")
        assert len({hit["id"] for hit in found}) == len(found) == expected[0][0] == 310
        assert all("\ue000工会\ue001" in (hit["snippet"] + hit["title"]) for hit in found)
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_search_page_shows_results_not_sql(ds, replica_archive) -> None:
    html = get(ds, "/archive/search?q=" + q("安康杯") + "&column=&since=&until=").text
    assert "select\n" not in html.lower() and "json_extract" not in html and "Custom SQL" not in html
    doc = lxml.html.fromstring(html)
    assert not doc.cssselect("#sql-query, #sql-editor, textarea")
    assert [th.get("class") for th in doc.cssselect("table.unionnews-hits th")] == [
        "col-title", "col-published_at", "col-column", "col-source", "col-snippet", "col-url"]
    expected = search.search(open_archive(replica_archive), "安康杯", limit=search.PAGE_SIZE)
    total = search.count(open_archive(replica_archive), "安康杯")
    assert doc.cssselect("h2.unionnews-count")[0].text_content().startswith(f"共 {total} 篇，第 1–")
    dates = [td.text_content() for td in doc.cssselect("td.col-published_at")]
    assert dates == [h.published_at[:10] for h in expected]
    assert doc.cssselect('label[for="qp1"]')[0].text_content().startswith("检索词")
    # archivists can still ask for the SQL
    assert "json_extract" in get(ds, "/archive/search?q=" + q("安康杯") + "&_show_sql=1").text


def test_search_page_says_when_nothing_matches(ds) -> None:
    doc = page(ds, "/archive/search?q=" + q("没有这样的文字qqq"))
    assert doc.cssselect("p.zero-results") and not doc.cssselect("table.unionnews-hits")


def test_article_page_reads_like_an_article(ds, replica_archive) -> None:
    article_id, title, body, source, warc_file, url = rows(
        replica_archive, "SELECT id, title, body, source, warc_file, url FROM articles "
        "WHERE length(body) > 300 AND source IS NOT NULL AND images != '[]' ORDER BY id LIMIT 1")[0]
    doc = page(ds, f"/archive/articles/{article_id}")
    article = doc.cssselect("article.unionnews-article")[0]
    assert article.cssselect("h1")[0].text_content() == title
    assert [p.text_content() for p in article.cssselect(".unionnews-body > p")] == [
        line for line in body.split("\n") if line.strip()]
    assert "来源：" + source in article.cssselect(".unionnews-meta")[0].text_content()
    assert article.cssselect(f'.unionnews-source a[href="{url}"]')
    assert article.cssselect(".unionnews-images a[href^='http://127.0.0.1:']")
    assert article.cssselect("dd.unionnews-warc_file")[0].text_content() == warc_file
    assert not article.cssselect(".unionnews-history")  # the replica's articles never changed
    explained = dict(zip([dt.text_content() for dt in article.cssselect(".unionnews-explain dt")],
                         [dd.text_content() for dd in article.cssselect(".unionnews-explain dd")]))
    assert explained["标题 · Title"] == "profile:" + load_profile("scszjggh").article["title"]
    assert explained["正文 · Body"] == "profile:" + load_profile("scszjggh").article["body"]
    assert explained["发布时间 · Published"]  # each field says which rule read it
    json_href = article.cssselect(".export-links a")[0].get("href")
    assert get(ds, json_href).json()["rows"][0][0] == article_id


def test_article_page_links_its_history_and_never_links_unsafe_urls(tmp_path: Path) -> None:
    path = tmp_path / "archive.db"
    db = open_archive(path)
    db["articles"].insert({"url": "javascript:alert(1)", "title": "新标题", "body": "第一段\n\n第二段",
                           "images": '["javascript:alert(2)", "http://x/a.jpg"]', "attachments": "not json",
                           "first_seen_at": "2024-01-01T00:00:00Z"})
    db["revisions"].insert({"article_id": 1, "title": "旧标题", "body": "旧", "first_seen_at": "2023-12-01T00:00:00Z",
                            "last_seen_at": "2023-12-31T00:00:00Z", "replaced_at": "2024-01-01T00:00:00Z"})
    db.conn.commit()
    served = make_datasette(path)
    doc = page(served, "/archive/articles/1")
    assert [p.text for p in doc.cssselect(".unionnews-body p")] == ["第一段", "第二段"]
    history = doc.cssselect(".unionnews-history a")[0].get("href")
    assert history == "/archive/article_history?article_id=1"
    assert [v["version"] for v in get(served, history.replace("history?", "history.json?_shape=array&")).json()] == [
        "revision 1", "current"]
    hrefs = [a.get("href") for a in doc.cssselect("article a")]
    assert "http://x/a.jpg" in hrefs and not [h for h in hrefs if "javascript" in h.lower()]
    assert "javascript:alert(2)" in doc.cssselect(".unionnews-images")[0].text_content()


def test_home_page_offers_search_and_only_the_archive(ds) -> None:
    doc = page(ds, "/")
    form = doc.cssselect("form.unionnews-home-search")[0]
    assert form.get("action") == "/archive/search" and form.cssselect("input[name=q]")
    assert "_memory" not in doc.text_content()
    links = {a.get("href") for a in doc.cssselect("a")}
    assert {"/archive/articles_list", "/archive/changed_articles", "/archive"} <= links


def test_article_tables_have_titles_and_room_for_text(ds) -> None:
    doc = page(ds, "/archive/articles_list")
    assert doc.cssselect("h1")[0].text_content().startswith("文章列表 · Articles")
    css = " ".join(s.text_content() for s in doc.cssselect("style"))
    assert "td.col-title { min-width" in css and "td.col-year" in css
    assert "td.col-title { min-width" in get(ds, "/archive/articles").text


def test_the_searches_journalists_follow_are_never_published(tmp_path: Path, replica_archive: Path) -> None:
    """`unionnews search --new` keeps its marks in the archive; Datasette refuses to read them,
    by any page or SQL, while every other table stays readable."""
    import shutil

    db = tmp_path / "archive.db"
    shutil.copy(replica_archive, db)
    assert CliRunner().invoke(cli, ["search", "--db", str(db), "--new", "安康杯"]).exit_code == 0
    with sqlite3.connect(db) as conn:
        assert conn.execute("select count(*) from search_marks").fetchone()[0] == 1
    served = make_datasette(db)
    for path in ("/archive.json?sql=select+*+from+search_marks", "/archive/search_marks.json",
                 "/archive.json?sql=select+count(*)+from+articles+union+all+select+count(*)+from+search_marks"):
        response = asyncio.run(served.client.get(path))
        assert response.status_code != 200 and "安康杯" not in response.text, path
    for path in ("/archive.json?sql=select+count(*)+from+articles", "/archive", "/archive/articles"):
        get(served, path)  # every other table stays readable
