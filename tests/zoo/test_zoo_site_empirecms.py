"""The EmpireCMS zoo site: served, reachable through its own list mechanism, deterministic.

No parser is involved: the pages are walked with lxml the way a browser user would click
through the index_N.html pager (table.list_page or div.epages), the list items and the
p.pageLink pager of a multi-page article.
"""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from lxml import html as lxml_html

from replica import ReplicaServer
from replica.zoo.empirecms import build


def fetch(url: str) -> tuple[int, str, bytes, str]:
    """(status, final URL, body, declared charset) following redirects."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.url, response.read(), response.headers.get_content_charset() or ""
    except urllib.error.HTTPError as error:
        return error.code, url, error.read(), ""


def decode(body: bytes, header_charset: str) -> str:
    meta = re.search(rb'charset=["\']?([\w-]+)', body[:2048])
    charset = header_charset or (meta.group(1).decode() if meta else "utf-8")
    if charset.lower() in ("gb2312", "gbk"):
        charset = "gb18030"  # what browsers do with a gb2312 label
    return body.decode(charset)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return build(tmp_path_factory.mktemp("empirecms"))


def test_every_article_page_answers_with_its_title(site):
    with ReplicaServer(site.root) as server:
        truth = site.truth(server.origin)
        assert 22 <= len(truth["articles"]) <= 30
        for entry in truth["articles"].values():
            for url in [entry["url"], *entry["pages"]]:
                status, _, body, charset = fetch(url)
                assert status == 200, url
                page = decode(body, charset)
                assert entry["record"]["title"] in page
                assert "gb2312" in page[:600]


def test_walk_from_start_pages_reaches_every_article_and_page(site):
    with ReplicaServer(site.root) as server:
        truth = site.truth(server.origin)
        skip = set(truth["not_followed"]) | set(truth["broken"]) | set(truth["files"])
        todo, seen_lists, reached, files = list(site.start_urls(server.origin)), set(), set(), set()
        list_pages = 0
        while todo:
            url = todo.pop()
            if url in seen_lists:
                continue
            seen_lists.add(url)
            status, final, body, charset = fetch(url)
            assert status == 200, url
            doc = lxml_html.fromstring(decode(body, charset))
            path = urlsplit(final).path
            if doc.xpath("//ul[@class='news_list']"):
                list_pages += 1
                for href in doc.xpath("//*[@class='list_page' or @class='epages']//a/@href"):
                    todo.append(urljoin(final, href))
                for href in doc.xpath("//ul[@class='news_list']/li/a/@href"):
                    target = urljoin(final, href)
                    if target.split("?")[0] in skip or target in skip:
                        if target in truth["files"]:
                            files.add(target)
                        continue
                    todo.append(target)
            else:
                reached.add(server.origin + path)
                for href in doc.xpath("//p[@class='pageLink']/a/@href"):
                    todo.append(urljoin(final, href))
        wanted = {u for e in truth["articles"].values() for u in [e["url"], *e["pages"]]}
        assert wanted <= reached
        assert files == set(truth["files"])
        assert list_pages >= 2 * len(truth["start_paths"])


def test_awkward_cases_answer_as_planned(site):
    with ReplicaServer(site.root) as server:
        truth = site.truth(server.origin)
        codes = sorted(fetch(url)[0] for url in truth["broken"])
        assert codes == [404, 500]
        for url in truth["files"]:
            status, _, body, _ = fetch(url)
            assert status == 200 and body.startswith(b"%PDF")
        robots = fetch(server.origin + "/robots.txt")[2].decode()
        assert "Disallow: /e/member/" in robots
        assert any(u.startswith(server.offsite) for u in truth["not_followed"])
        # the old /news/jcdt/<Ymd>/<id>.html path a list links answers 301 to the article
        routes = (site.root / "routes.json").read_text(encoding="utf-8")
        old = re.search(r'"(/news/jcdt/\d{8}/\d+\.html)"', routes).group(1)
        request = urllib.request.Request(server.origin + old, method="HEAD")
        opener = urllib.request.build_opener(type("NoRedirect", (urllib.request.HTTPRedirectHandler,),
                                                  {"redirect_request": lambda *a, **k: None}))
        with pytest.raises(urllib.error.HTTPError) as moved:
            opener.open(request, timeout=10)
        assert moved.value.code == 301
        # 基层动态 names no charset in its header; the other columns name gb2312
        with urllib.request.urlopen(server.origin + "/news/jcdt/", timeout=10) as response:
            assert response.headers["Content-Type"] == "text/html"
        with urllib.request.urlopen(server.origin + "/news/ghyw/", timeout=10) as response:
            assert response.headers.get_content_charset() == "gb2312"
        # the DownSys script answers the attachment its query names
        down = [a for e in truth["articles"].values() for a in e["record"]["attachments"] if "DownSoft" in a]
        assert len(down) == 1 and fetch(down[0])[2].startswith(b"%PDF")


def test_same_seed_same_bytes(tmp_path):
    first, second = build(tmp_path / "a", seed=3), build(tmp_path / "b", seed=3)
    files = sorted(p.relative_to(first.root) for p in first.root.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second.root) for p in second.root.rglob("*") if p.is_file())
    for name in files:
        assert (first.root / name).read_bytes() == (second.root / name).read_bytes(), name
    other = build(tmp_path / "c", seed=4)
    assert (other.root / "truth.json").read_bytes() != (first.root / "truth.json").read_bytes()


def test_builds_fast(tmp_path):
    import time

    started = time.perf_counter()
    build(Path(tmp_path))
    assert time.perf_counter() - started < 1.0
