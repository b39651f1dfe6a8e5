"""`unionnews reparse` over an archive of several sites, and pages it recovers keyed as a crawl
keys them: each page is read again with its own site's profile, and a page that failed to
parse during a crawl lands under its canonical URL, never as a second row of an article."""

from __future__ import annotations

import gzip
import json
import sqlite3
import urllib.request
from pathlib import Path

import pytest

from archive.crawl import run_crawl
from archive.records import content_hash
from archive.reparse import reparse_archive
from replica import ReplicaServer, build_site
from replica.city import build_city_site
from replica.zoo import build_zoo_site

FIELDS = ("title", "published_at", "source", "author", "editor", "body", "column", "images",
          "attachments", "site")
#: A lead paragraph between the city template's meta line and its body, naming a source:
#: generic extraction (and the provincial profile, whose selectors miss here) reads the source
#: from it; the city profile reads the meta line, which names none.
LEAD = '<div class="art-summary"><p>摘要：本文介绍职工代表大会有关情况，来源：新华网。</p></div>'


def records(db: Path) -> dict[str, dict]:
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        return {r["url"]: {f: r[f] for f in FIELDS} for r in conn.execute("select * from articles")}


def query(db: Path, sql: str, params: tuple = ()) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, params).fetchall()


def fail_to_parse(db: Path, url: str, raw: bytes) -> None:
    """Record `url` as a page an older parser refused, kept with its bytes (as a crawl does)."""
    with sqlite3.connect(db) as conn:
        conn.execute("insert into failures (run_id, url, stage, reason, http_status, at, raw) values "
                     "(1, ?, 'parse', 'NotAnArticle: no article text on the page', 200, "
                     "'2024-01-01T00:00:00Z', ?)", (url, gzip.compress(raw)))


def test_each_site_is_reparsed_with_its_own_profile(tmp_path: Path) -> None:
    province = build_site(tmp_path / "province", articles_per_column=(10, 8, 8))
    city = build_city_site(tmp_path / "city", articles_per_column=(8, 8, 8))
    other = build_city_site(tmp_path / "other", articles_per_column=(8, 8, 8))  # a site with no profile
    lead_path = "/a/ghyw/20230711/120.html"  # names no source
    page = city.root / "www" / lead_path.lstrip("/")
    page.write_text(page.read_text(encoding="utf-8").replace('<div class="art-body">', LEAD + '<div class="art-body">', 1),
                    encoding="utf-8")
    db = tmp_path / "a.db"
    with ReplicaServer(province.root) as p, ReplicaServer(city.root) as c, ReplicaServer(other.root) as o:
        sites = {**dict.fromkeys(province.start_urls(p.origin), "scszjggh"), **dict.fromkeys(city.start_urls(c.origin), "cdzgh"),
                 **dict.fromkeys(other.start_urls(o.origin), "generic")}
        summary = run_crawl(list(sites), db, delay=0, sites=sites)
        lead_url = c.url(lead_path)
        truth = city.truth(c.origin)["articles"][lead_path]["record"]
    crawled = records(db)
    assert summary.exit_code == 0 and crawled[lead_url]["source"] == truth["source"] is None
    assert {r["site"] for r in crawled.values()} == {"scszjggh", "cdzgh", o.origin.split("//")[1]}

    result = reparse_archive(db)  # the servers are gone: only the stored bytes are left
    assert (result.pages, result.updated, result.failed) == (len(crawled), 0, 0)
    assert records(db) == crawled  # the city article did not gain 新华网 as its source


@pytest.fixture
def crawled(tmp_path: Path):
    """The small replica crawled into an archive, its server still up (for the twin pages)."""
    site = build_site(tmp_path / "site", articles_per_column=(12, 10, 10))
    db = tmp_path / "a.db"
    with ReplicaServer(site.root) as server:
        run_crawl(site.start_urls(server.origin), db, delay=0)
        yield site, server, db


def test_a_recovered_alias_page_becomes_an_alias_not_a_second_row(crawled) -> None:
    site, server, db = crawled
    article = next(a for a in site.truth(server.origin)["articles"].values() if a["aliases"])
    alias = article["aliases"][0]  # the same article at a second path, rel=canonical to the first
    raw = urllib.request.urlopen(alias).read()
    with sqlite3.connect(db) as conn:  # as if the crawl met the article at its own URL first
        conn.execute("update articles set fetched_url = url where url = ?", (article["url"],))
        conn.execute("delete from aliases where url = ?", (alias,))  # and refused the twin page
    fail_to_parse(db, alias, raw)
    before = records(db)

    summary = reparse_archive(db)
    assert summary.recovered == 1 and summary.failed == 0
    assert records(db) == before  # no row keyed by the twin's URL
    assert query(db, "select article_url from aliases where url = ?", (alias,)) == [(article["url"],)]
    assert reparse_archive(db).recovered == 0


def test_a_recovered_tracking_link_is_archived_under_its_canonical_url(crawled) -> None:
    site, server, db = crawled
    article = next(a for a in site.truth(server.origin)["articles"].values() if a["tracking_urls"])
    tracking = article["tracking_urls"][0]  # the article's URL with ?from=... or ?utm_source=...
    raw = urllib.request.urlopen(tracking).read()
    before = records(db)
    with sqlite3.connect(db) as conn:  # as if the crawl had met only the tracking link, and failed
        (article_id,) = conn.execute("select id from articles where url = ?", (article["url"],)).fetchone()
        conn.execute("delete from pages where article_id = ?", (article_id,))
        conn.execute("delete from articles where id = ?", (article_id,))
    fail_to_parse(db, tracking, raw)

    summary = reparse_archive(db)
    assert summary.recovered == 1 and summary.failed == 0
    assert records(db) == before  # keyed by the canonical URL, not the tracking link
    assert query(db, "select article_url from aliases where url = ?", (tracking,)) == [(article["url"],)]
    assert reparse_archive(db).recovered == 0


@pytest.mark.parametrize("family", ["trs", "dedecms", "wordpress"])
def test_an_article_over_several_pages_keeps_every_page_and_is_reparsed_whole(family: str, tmp_path: Path) -> None:
    """Each page's bytes are kept (part 0, 1, 2...), so reparse joins them again offline."""
    site = build_zoo_site(family, tmp_path / "site")
    db = tmp_path / "a.db"
    with ReplicaServer(site.root) as server:
        run_crawl(site.start_urls(server.origin), db, delay=0)
        truth = site.truth(server.origin)
    [article] = [a for a in truth["articles"].values() if a["pages"]][:1]
    stored = query(db, "select p.part, p.url from pages p join articles a on a.id = p.article_id "
                       "where a.url = ? order by p.part", (article["url"],))
    assert [part for part, _ in stored] == list(range(len(article["pages"]) + 1))
    with sqlite3.connect(db) as conn:  # what an older parser had stored: the first page only
        conn.create_function("content_hash", 2, content_hash)
        conn.execute("update articles set body = substr(body, 1, 20), images = '[]' where url = ?", (article["url"],))
        conn.execute("update articles set content_hash = content_hash(title, body)")
    summary = reparse_archive(db)
    assert summary.updated == 1 and summary.failed == 0
    body, images = query(db, "select body, images from articles where url = ?", (article["url"],))[0]
    assert body == article["record"]["body"] and json.loads(images) == article["record"]["images"]
