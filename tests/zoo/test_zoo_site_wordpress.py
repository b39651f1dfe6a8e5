"""The WordPress zoo site as a browser sees it: every truth article answers with its title,
every article and further page is reachable from the column lists through the pager, broken links
answer 404/500, and the same seed builds the same bytes. (A check of the site, not of the crawler.)"""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urljoin, urlsplit, urlunsplit

import pytest

from replica import ReplicaServer
from replica.zoo.wordpress import build

LINK = re.compile(r"""(?<![\w-])href\s*=\s*["']([^"'#]+)["']|<option[^>]*value=["']([^"']+)["']|"""
                  r"""location(?:\.href)?\s*=\s*(?:encodeURI\(\s*'([^']+)'\s*\)|'([^']+)'\s*;)""")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # noqa: ANN002, ANN003
        return None


OPENER = urllib.request.build_opener(_NoRedirect)


def fetch(url: str) -> tuple[int, dict, bytes]:
    try:
        with OPENER.open(url, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def decode(headers: dict, body: bytes) -> str:
    found = re.search(r"charset=([\w-]+)", headers.get("Content-Type", "")) or \
        re.search(rb"charset=[\"']?([\w-]+)", body[:2000])
    charset = found.group(1) if found else "utf-8"
    return body.decode(charset if isinstance(charset, str) else charset.decode(), errors="replace")


def bare(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory):
    return build(tmp_path_factory.mktemp("wordpress"))


def test_every_truth_article_answers_with_its_title(site) -> None:
    with ReplicaServer(site.root) as server:
        truth = site.truth(server.origin)
        assert 22 <= len(truth["articles"]) <= 30
        for key, entry in truth["articles"].items():
            for url in [entry["url"], *entry["pages"]]:
                status, headers, body = fetch(url)
                assert status == 200, url
                assert headers["Content-Type"].startswith("text/html"), url
                page = decode(headers, body)
                assert entry["record"]["title"] in page, url
                assert "{{ORIGIN}}" not in page and "{{OFFSITE}}" not in page
        assert any(entry["pages"] for entry in truth["articles"].values())
        for url in truth["files"]:
            status, headers, body = fetch(url)
            assert status == 200 and body.startswith(b"%PDF")


def test_articles_are_reachable_from_the_column_lists_through_the_pager(site) -> None:
    with ReplicaServer(site.root) as server:
        truth = site.truth(server.origin)
        avoid = {bare(u) for u in truth["not_followed"]} | set(truth["broken"])
        queue, seen, pages = list(site.start_urls(server.origin)), set(), set()
        redirected = 0
        while queue:
            url = queue.pop(0)
            if bare(url) in seen or bare(url) in avoid or not url.startswith(server.origin):
                continue
            seen.add(bare(url))
            status, headers, body = fetch(url)
            if status == 301:
                redirected += 1
                queue.append(urljoin(url, headers["Location"]))
                continue
            assert status == 200, url
            if not headers.get("Content-Type", "").startswith("text/html"):
                continue
            pages.add(bare(url))
            for match in LINK.finditer(decode(headers, body)):
                link = next(g for g in match.groups() if g)
                if not link.startswith(("javascript:", "mailto:")) and not link.isdigit():
                    queue.append(urljoin(url, link.replace("&amp;", "&")))
        wanted = {u for e in truth["articles"].values() for u in [e["url"], *e["pages"]]}
        assert wanted <= pages, sorted(wanted - pages)
        assert redirected >= 1
        # the pager is what reaches the lists' further pages
        assert {server.origin + f"/category/{c}/page/2/" for c in ("ghyw", "jcdt", "tzgg")} <= pages
        # nothing a polite browser must not request was requested
        asked = {bare(server.origin + r.path) for r in server.requests}
        assert not asked & {bare(u) for u in truth["not_followed"]}


def test_broken_links_answer_404_or_500_and_robots_disallows(site) -> None:
    with ReplicaServer(site.root) as server:
        truth = site.truth(server.origin)
        codes = sorted(fetch(url)[0] for url in truth["broken"])
        assert codes == [404, 500]
        robots = fetch(server.origin + "/robots.txt")[2].decode()
        assert "Disallow: /members/" in robots
        assert any(u.startswith(server.offsite) for u in truth["not_followed"])


def test_same_seed_same_bytes(tmp_path: Path) -> None:
    def snapshot(root: Path) -> dict[str, bytes]:
        return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}

    first, second = build(tmp_path / "a", seed=3), build(tmp_path / "b", seed=3)
    assert snapshot(first.root) == snapshot(second.root)
    assert snapshot(first.root) != snapshot(build(tmp_path / "c", seed=4).root)
