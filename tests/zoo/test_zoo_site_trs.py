"""The TRS WCM zoo site: served as built, every article reachable the way a browser pages TRS lists."""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from replica import ReplicaServer
from replica.zoo import build_zoo_site

HREF = re.compile(r"""<a\b[^>]*?\bhref\s*=\s*["']([^"']+)["']""", re.I)
CREATE_PAGE = re.compile(r"""createPageHTML\(\s*(\d+)\s*,\s*(\d+)\s*,\s*["']([^"']+)["']\s*,\s*["'](\w+)["']\s*\)""")
COUNT_PAGE = re.compile(r"var\s+countPage\s*=\s*(\d+)")
SCRIPT_URL = re.compile(r"""var\s+str_u\s*=\s*'([^']+)'""")
APPENDIX = re.compile(r"""var\s+file_appendix\s*=\s*'(.*?)';""")
OPTION = re.compile(r"""<option\b[^>]*?\bvalue\s*=\s*["'](https?://[^"']+)["']""", re.I)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # noqa: ANN002, ANN003
        return None


def fetch(url: str) -> tuple[int, bytes, dict]:
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(url, timeout=10) as response:
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read(), dict(error.headers)


def decoded(data: bytes) -> str:
    found = re.search(rb"charset=([\w-]+)", data[:2000])
    return data.decode(found.group(1).decode() if found else "utf-8")


def links(page_url: str, html: str) -> set[str]:
    """Every link a browser would show: anchors, and what TRS's list and content scripts write."""
    found = {urljoin(page_url, h) for h in HREF.findall(html) + OPTION.findall(html)}
    for count, _current, name, ext in CREATE_PAGE.findall(html):
        found |= {urljoin(page_url, f"{name}.{ext}" if i == 0 else f"{name}_{i}.{ext}") for i in range(int(count))}
    for count in COUNT_PAGE.findall(html):
        found |= {urljoin(page_url, "index.html" if i == 0 else f"index_{i}.html") for i in range(int(count))}
    found |= {urljoin(page_url, u) for u in SCRIPT_URL.findall(html)}
    for anchors in APPENDIX.findall(html):
        found |= {urljoin(page_url, h) for h in HREF.findall(anchors)}
    return {link.split("#")[0] for link in found}


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    site = build_zoo_site("trs", tmp_path_factory.mktemp("trs"))
    with ReplicaServer(site.root) as server:
        yield site, server, site.truth(server.origin, server.offsite)


def crawl(server, truth) -> tuple[set[str], set[str]]:
    """Breadth-first over same-host HTML pages, skipping what a polite crawler must not fetch."""
    skip = set(truth["not_followed"]) | set(truth["broken"])
    queue = [server.origin + p for p in truth["start_paths"]]
    seen_pages: set[str] = set()
    seen_links: set[str] = set()
    while queue:
        url = queue.pop(0)
        if url in seen_pages:
            continue
        seen_pages.add(url)
        status, data, headers = fetch(url)
        if status in (301, 302):
            queue.append(urljoin(url, headers["Location"]))
            continue
        assert status == 200, url
        if "html" not in headers.get("Content-Type", ""):
            continue
        for link in links(url, decoded(data)):
            seen_links.add(link)
            parts = urlsplit(link)
            if parts.scheme + "://" + parts.netloc != server.origin or link in skip:
                continue
            if parts.path.endswith((".html", ".htm", "/")) and link not in seen_pages:
                queue.append(link)
    return seen_pages, seen_links


def test_every_article_answers_with_its_title(served):
    _site, _server, truth = served
    assert 22 <= len(truth["articles"]) <= 30
    for path, item in truth["articles"].items():
        for url in [item["url"], *item["pages"]]:
            status, data, _ = fetch(url)
            assert status == 200, url
            assert item["record"]["title"] in decoded(data), url
        for url in item["record"]["images"] + item["record"]["attachments"]:
            assert fetch(url)[0] == 200, url
    for url in truth["files"]:
        status, data, _ = fetch(url)
        assert status == 200 and data.startswith(b"%PDF")


def test_every_article_and_page_is_reachable_from_the_column_lists(served):
    _site, server, truth = served
    pages, seen = crawl(server, truth)
    plain = {urlsplit(u)._replace(query="").geturl() for u in pages}
    for path, item in truth["articles"].items():
        assert item["url"] in plain, path
        for url in item["pages"]:
            assert url in plain, url
        for url in item["record"]["attachments"]:
            assert url in seen, url
    for url in truth["files"]:
        assert url in seen
    for url in truth["broken"] + truth["not_followed"]:
        assert url in seen, url
    # Each column spreads over at least two list pages.
    for start in truth["start_paths"]:
        assert any(u.startswith(server.origin + start + "index_1.html") for u in pages), start


def test_awkward_cases_answer_as_declared(served):
    site, server, truth = served
    statuses = sorted(fetch(url)[0] for url in truth["broken"])
    assert statuses == [404, 500]
    routes = (site.root / "routes.json").read_text(encoding="utf-8")
    moved = re.search(r'"(/jcdt/[^"]+\.htm)"', routes).group(1)
    status, _, headers = fetch(server.origin + moved)
    assert status == 301 and headers["Location"] in {i["url"] for i in truth["articles"].values()}
    robots = fetch(server.origin + "/robots.txt")[1].decode()
    assert "Disallow: /nbzl/" in robots
    assert any(u.startswith(server.offsite) for u in truth["not_followed"])
    # The quoted copy of an article names its canonical address.
    copies = re.findall(rb'<link rel="canonical" href="([^"]+)"', b"".join(
        p.read_bytes() for p in (site.root / "www" / "xwzx" / "jcdt").rglob("t*.html")))
    assert len(copies) == 1 and copies[0].decode().replace("{{ORIGIN}}", server.origin) in {
        i["url"] for i in truth["articles"].values()}


def test_same_seed_same_bytes(tmp_path):
    a = build_zoo_site("trs", tmp_path / "a")
    b = build_zoo_site("trs", tmp_path / "b")
    files_a = sorted(p.relative_to(a.root) for p in a.root.rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(b.root) for p in b.root.rglob("*") if p.is_file())
    assert files_a == files_b
    for rel in files_a:
        assert (a.root / rel).read_bytes() == (b.root / rel).read_bytes(), rel
    c = build_zoo_site("trs", tmp_path / "c", seed=1)
    assert (c.root / "truth.json").read_bytes() != (a.root / "truth.json").read_bytes()
