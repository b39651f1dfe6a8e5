"""The Hanweb JCMS zoo site: served as built, every article reachable the way jpage pages its lists
(the page's datastore, then POSTs to dataproxy.jsp for the records past it)."""

from __future__ import annotations

import html as htmllib
import math
import re
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlencode, urljoin, urlsplit

import pytest

from replica import ReplicaServer
from replica.zoo import build_zoo_site

HREF = re.compile(r"""<a\b[^>]*?\bhref\s*=\s*["']([^"']+)["']""", re.I)
JPAGE = re.compile(r"\$\('#(\d+)'\)\.jpage\(\{(.*?)\}\);", re.S)
RECORD = re.compile(r"<record><!\[CDATA\[(.*?)\]\]></record>", re.S)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # noqa: ANN002, ANN003
        return None


def fetch(url: str, form: bytes | None = None) -> tuple[int, bytes, dict]:
    opener = urllib.request.build_opener(_NoRedirect)
    request = urllib.request.Request(url, data=form)
    if form is not None:
        request.add_header("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read(), dict(error.headers)


def jpage_config(body: str) -> dict[str, str]:
    """The jpage call's options: scalars, and ajaxParam's fields under their own names."""
    ajax = re.search(r"ajaxParam:\{(.*?)\}", body).group(1)
    options = dict(re.findall(r"(\w+):'?([^,'{}]*)'?", body.replace(ajax, "")))
    options["form"] = urlencode(re.findall(r"(\w+):'?([^,']*)'?", ajax))
    return options


def list_links(page_url: str, html: str) -> set[str]:
    """The records a browser shows: the datastore's, then dataproxy.jsp's groups past it."""
    found = {urljoin(page_url, htmllib.unescape(h)) for h in HREF.findall(html)}
    for _unit, body in JPAGE.findall(html):
        options = jpage_config(body)
        total, per, group = int(options["totalRecord"]), int(options["perPage"]), int(options["groupSize"])
        shown = len(RECORD.findall(html))
        assert shown == min(total, per * group)
        for g in range(1, math.ceil(total / (per * group))):
            start, end = g * per * group + 1, (g + 1) * per * group
            proxy = urljoin(page_url, options["proxyUrl"]) + f"?startrecord={start}&endrecord={end}&perpage={per}"
            status, data, _ = fetch(proxy, options["form"].encode())
            assert status == 200
            text = data.decode("utf-8")
            assert f"<totalrecord>{total}</totalrecord>" in text
            records = RECORD.findall(text)
            assert len(records) == min(per * group, total - start + 1)
            found |= {urljoin(page_url, htmllib.unescape(h)) for r in records for h in HREF.findall(r)}
    return {link.split("#")[0] for link in found}


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    site = build_zoo_site("hanweb", tmp_path_factory.mktemp("hanweb"))
    with ReplicaServer(site.root) as server:
        yield site, server, site.truth(server.origin, server.offsite)


def crawl(server, truth) -> tuple[set[str], set[str]]:
    skip = set(truth["not_followed"]) | set(truth["broken"])
    queue = [server.origin + p for p in truth["start_paths"]]
    pages: set[str] = set()
    seen: set[str] = set()
    while queue:
        url = queue.pop(0)
        if url in pages:
            continue
        pages.add(url)
        status, data, headers = fetch(url)
        if status in (301, 302):
            queue.append(urljoin(url, headers["Location"]))
            continue
        assert status == 200, url
        if "html" not in headers.get("Content-Type", ""):
            continue
        for link in list_links(url, data.decode("utf-8")):
            seen.add(link)
            parts = urlsplit(link)
            if parts.scheme + "://" + parts.netloc != server.origin or link in skip:
                continue
            if parts.path.endswith(".html") and link not in pages:
                queue.append(link)
    return pages, seen


def test_every_article_answers_with_its_title(served):
    _site, _server, truth = served
    assert 22 <= len(truth["articles"]) <= 30
    for path, item in truth["articles"].items():
        assert item["pages"] == []
        status, data, headers = fetch(item["url"])
        assert status == 200 and "utf-8" in headers["Content-Type"].lower(), path
        assert item["record"]["title"] in data.decode("utf-8"), path
        for url in item["record"]["images"] + item["record"]["attachments"]:
            assert fetch(url)[0] == 200, url
    for url in truth["files"]:
        status, data, _ = fetch(url)
        assert status == 200 and data.startswith(b"%PDF"), url


def test_every_article_is_reachable_through_jpage_and_dataproxy(served):
    _site, server, truth = served
    pages, seen = crawl(server, truth)
    plain = {urlsplit(u)._replace(query="").geturl() for u in pages}
    for path, item in truth["articles"].items():
        assert item["url"] in plain, path
        for url in item["record"]["attachments"]:
            assert url in seen, url
    for url in truth["files"] + truth["broken"] + truth["not_followed"]:
        assert url in seen, url


def test_some_articles_are_listed_by_dataproxy_only(served):
    _site, server, truth = served
    status, data, _ = fetch(server.origin + truth["start_paths"][0])
    html = data.decode("utf-8")
    on_page = {urljoin(server.origin, h).split("?")[0] for h in HREF.findall(html)}
    listed = {u.split("?")[0] for u in list_links(server.origin + truth["start_paths"][0], html)}
    only_proxy = {u for u in listed - on_page if u in {i["url"] for i in truth["articles"].values()}}
    assert len(only_proxy) >= 2
    # No other page of the site links them.
    _pages, seen = crawl_without_proxy(server, truth)
    assert not only_proxy & seen


def crawl_without_proxy(server, truth):
    skip = set(truth["not_followed"]) | set(truth["broken"])
    queue, pages, seen = [server.origin + "/index.html"] + [server.origin + p for p in truth["start_paths"]], set(), set()
    while queue:
        url = queue.pop(0)
        if url in pages:
            continue
        pages.add(url)
        status, data, headers = fetch(url)
        if status != 200 or "html" not in headers.get("Content-Type", ""):
            continue
        for link in {urljoin(url, h).split("#")[0] for h in HREF.findall(data.decode("utf-8"))}:
            seen.add(link.split("?")[0])
            parts = urlsplit(link)
            if parts.scheme + "://" + parts.netloc == server.origin and link not in skip and parts.path.endswith(".html"):
                queue.append(link)
    return pages, seen


def test_dataproxy_answers_by_parameters(served):
    site, server, truth = served
    proxy = server.origin + "/module/web/jpage/dataproxy.jsp"
    status, data, headers = fetch(proxy + "?startrecord=1&endrecord=9&perpage=3", b"columnid=999")
    assert status == 200 and "xml" in headers["Content-Type"]
    assert b"<totalrecord>0</totalrecord>" in data and b"<record>" not in data
    # GET with every parameter in the query answers as the POST does.
    html = fetch(server.origin + truth["start_paths"][0])[1].decode("utf-8")
    options = jpage_config(JPAGE.search(html).group(2))
    query = f"startrecord=1&endrecord=9&perpage=3&{options['form']}"
    assert fetch(f"{proxy}?{query}")[1] == fetch(proxy + "?startrecord=1&endrecord=9&perpage=3", options["form"].encode())[1]
    assert fetch(f"{proxy}?{query}")[1].count(b"<record>") == 9
    # Attachments are answered by their filename parameter; other paths still refuse POST.
    status, data, _ = fetch(truth["files"][0])
    assert status == 200 and data.startswith(b"%PDF")
    assert fetch(server.origin + "/module/download/downfile.jsp?classid=0&filename=nothing.pdf")[1].startswith(b"<?xml")
    assert fetch(server.origin + truth["start_paths"][0], b"a=1")[0] == 501


def test_awkward_cases_answer_as_declared(served):
    site, server, truth = served
    assert sorted(fetch(url)[0] for url in truth["broken"]) == [404, 500]
    routes = (site.root / "routes.json").read_text(encoding="utf-8")
    moved = re.search(r'"(/jcms/[^"]+\.html)"', routes).group(1)
    status, _, headers = fetch(server.origin + moved)
    assert status == 301 and headers["Location"] in {i["url"] for i in truth["articles"].values()}
    assert "Disallow: /nbgk/" in fetch(server.origin + "/robots.txt")[1].decode()
    copies = [p for p in (site.root / "www" / "art").rglob("art_4128_*.html")
              if b'rel="canonical"' in p.read_bytes()]
    assert len(copies) == 1
    canonical = re.search(rb'rel="canonical" href="([^"]+)"', copies[0].read_bytes()).group(1).decode()
    assert canonical.replace("{{ORIGIN}}", server.origin) in {i["url"] for i in truth["articles"].values()}
    # The meta PubDate is not always the visible date.
    differ = 0
    for item in truth["articles"].values():
        page = fetch(item["url"])[1].decode("utf-8")
        meta = re.search(r'name="PubDate" content="([^"]+)"', page).group(1)
        differ += not item["record"]["published_at"].startswith(meta[:10])
    assert differ >= 2


def test_same_seed_same_bytes(tmp_path):
    a = build_zoo_site("hanweb", tmp_path / "a")
    b = build_zoo_site("hanweb", tmp_path / "b")
    files_a = sorted(p.relative_to(a.root) for p in a.root.rglob("*") if p.is_file())
    assert files_a == sorted(p.relative_to(b.root) for p in b.root.rglob("*") if p.is_file())
    for rel in files_a:
        assert (a.root / rel).read_bytes() == (b.root / rel).read_bytes(), rel
    c = build_zoo_site("hanweb", tmp_path / "c", seed=1)
    assert (c.root / "truth.json").read_bytes() != (a.root / "truth.json").read_bytes()
