"""Every article of the replica, fetched over real HTTP from the replica server, parses to its
truth record exactly, field by field (UTF-8 and GBK pages, with and without a header charset)."""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest

from crawler.parse import NotAnArticle, parse_article
from crawler.profiles import Profile
from replica.build import build_site
from replica.server import ReplicaServer

FIELDS = ("title", "published_at", "source", "author", "editor", "body", "column", "images",
          "attachments", "canonical_url")


def _fetch(url: str) -> tuple[bytes, str | None]:
    """The response body and the charset of its Content-Type header, if it names one."""
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read(), response.headers.get_content_charset()


@pytest.fixture(scope="module")
def replica(tmp_path_factory: pytest.TempPathFactory):
    site_dir = tmp_path_factory.mktemp("replica")
    site = build_site(site_dir)
    with ReplicaServer(site_dir) as server:
        truth = site.truth(server.origin)
        pages = {path: (article, *_fetch(article["url"])) for path, article in truth["articles"].items()}
        list_pages = {url: _fetch(url) for col in truth["columns"] for url in (col["list_urls"][0], col["list_urls"][-1])}
        yield truth, pages, list_pages


def test_every_article_parses_to_its_truth_record(replica) -> None:
    truth, pages, _ = replica
    assert len(pages) >= 300
    wrong: dict[str, list[str]] = {name: [] for name in FIELDS}
    for path, (article, body, charset) in pages.items():
        record = parse_article(body, article["url"], encoding=charset)
        for name in FIELDS:
            if record[name] != article["record"][name]:
                wrong[name].append(path)
    assert {name: paths[:5] for name, paths in wrong.items() if paths} == {}


def _fields(record: dict, expected: dict) -> dict:
    """The record's article fields (its other keys say how it was read)."""
    return {key: record.get(key) for key in expected}


def test_generic_extraction_alone_reproduces_every_truth_record(replica) -> None:
    """With a profile that has no selectors at all (as after a site redesign), the generic
    extractor still finds every field of every replica article."""
    _, pages, _ = replica
    blank = Profile("blank", "a profile without selectors")
    wrong = [path for path, (article, body, charset) in pages.items()
             if _fields(parse_article(body, article["url"], encoding=charset, profile=blank), article["record"])
             != article["record"]]
    assert wrong == []


def test_seed_article_record(replica) -> None:
    truth, pages, _ = replica
    article, body, charset = pages[truth["seed_path"]]
    record = parse_article(body, article["url"], encoding=charset)
    assert _fields(record, article["record"]) == article["record"]
    assert record["published_at"] == "2023-01-18T17:40:03+08:00"
    assert record["source"] == "四川省直属机关工会委员会"
    assert record["column"] == "工会新闻"
    assert record["body"].split("\n")[0] == "四季轮回,川流不息;工人阶级,勇立潮头。"


def test_awkward_variants_are_all_present(replica) -> None:
    """The replica must keep exercising the parser: GBK pages, no-date pages, editors in the
    body, attachments, images, canonical links, missing sources."""
    _, pages, _ = replica
    records = [article["record"] for article, _, _ in pages.values()]
    assert any(a["encoding"] != "utf-8" for a, _, _ in pages.values())
    assert any(r["published_at"] and "T" not in r["published_at"] for r in records)
    assert any(r["source"] is None for r in records) and any(r["author"] for r in records)
    assert any(r["editor"] for r in records) and any(r["attachments"] for r in records)
    assert any(r["images"] for r in records) and any(r["canonical_url"] for r in records)


def test_home_error_and_robots_pages_are_refused(replica) -> None:
    truth, _, _ = replica
    origin = truth["origin"]
    urls = {origin + "/": "list page", origin + "/robots.txt": "no headline",
            truth["not_found"][0]: "error page", truth["server_error"][0]: "error page"}
    for url, reason in urls.items():
        try:
            body, charset = _fetch(url)
        except urllib.error.HTTPError as error:
            body, charset = error.read(), error.headers.get_content_charset()
        with pytest.raises(NotAnArticle, match=reason):
            parse_article(body, url, encoding=charset)


def test_list_pages_are_refused(replica) -> None:
    _, _, list_pages = replica
    assert len(list_pages) == 6
    for url, (body, charset) in list_pages.items():
        with pytest.raises(NotAnArticle, match="list page"):
            parse_article(body, url, encoding=charset)
