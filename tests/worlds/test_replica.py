"""The replica site: built files, served bytes and headers, traps, truth consistency, mutations."""

from __future__ import annotations

import json
import re
import tempfile
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import lxml.html
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from replica import SEED_PATH, ReplicaServer, Site, SiteError, build_site
from replica.__main__ import cli

#: The seed page text, in ../shared beside the repository (as the README and CI lay it out).
SEED_FILE = Path(__file__).resolve().parents[3] / "shared" / "seeds" / "000_fb7402f0ad1aa200.txt"
SEED_TITLE = "凝聚起全面建设社会主义现代化四川的磅礴力量——2022年四川省直机关工会工作综述"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def fetch(url: str, headers: dict[str, str] | None = None, method: str = "GET") -> tuple[int, dict, bytes]:
    """GET without following redirects; returns status, headers and body."""
    request = urllib.request.Request(url, headers=headers or {}, method=method)
    try:
        with _OPENER.open(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    return build_site(tmp_path_factory.mktemp("replica"))


@pytest.fixture(scope="module")
def server(site: Site):
    with ReplicaServer(site.root) as running:
        yield running


@pytest.fixture(scope="module")
def truth(site: Site, server: ReplicaServer) -> dict:
    return site.truth(server.origin)


def seed_paragraphs() -> list[str]:
    lines = [line.strip() for line in SEED_FILE.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert lines[2] == "2023-01-18 17:40:03\xa0\xa0来源:四川省直属机关工会委员会"  # breadcrumb, title, info
    return lines[3:]


def list_links(truth: dict, server: ReplicaServer) -> list[str]:
    """Every list link of every column page, absolute, as a browser resolves them."""
    links = []
    for column in truth["columns"]:
        for url in column["list_urls"]:
            status, _, body = fetch(url)
            assert status == 200
            page = lxml.html.document_fromstring(decode(body))
            links += [urljoin(url, href) for href in page.xpath('//ul[@class="list"]/li/a/@href')]
    return links


def decode(body: bytes) -> str:
    """Decode a page by its meta charset, reading gb2312 as GBK (its superset) as browsers do."""
    declared = re.search(rb"charset=([\w-]+)", body).group(1).decode().lower()
    return body.decode("gbk" if declared in ("gb2312", "gbk") else declared)


def zoom_record(body: bytes, url: str) -> dict:
    """Read a page by the contract's rules with lxml (an independent check of the truth)."""
    page = lxml.html.document_fromstring(decode(body))
    lines = []
    for p in page.xpath('//div[@id="zoom"]//p'):
        text = p.text_content().strip()
        if text and not re.fullmatch(r"（责任编辑：.+）", text):
            lines.append(text)
    canonical = page.xpath('//link[@rel="canonical"]/@href')
    return {
        "title": page.xpath("//div[@class='article']/h1")[0].text_content(),
        "body": "\n".join(lines),
        "column": page.xpath('//div[@class="location"]/a')[-1].text_content(),
        "images": [urljoin(url, src) for src in page.xpath('//div[@id="zoom"]//img/@src')],
        "attachments": [urljoin(url, href) for href in page.xpath('//div[@id="zoom"]//a/@href')],
        "canonical_url": canonical[0] if canonical else None,
        "info": page.xpath('//div[@class="info"]')[0].text_content(),
    }


# ---- the seed article -------------------------------------------------------------------

def test_seed_article_is_served_as_the_seed_reads(server: ReplicaServer, truth: dict) -> None:
    status, headers, body = fetch(server.url(SEED_PATH))
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    html = body.decode("utf-8")
    assert f"<h1>{SEED_TITLE}</h1>" in html
    assert "<span>2023-01-18 17:40:03</span>&nbsp;&nbsp;<span>来源:四川省直属机关工会委员会</span>" in html
    paragraphs = re.findall(r"<p>(.*?)</p>", html.split('<div id="zoom">')[1].split("</div></div>")[0])
    assert paragraphs == seed_paragraphs()
    assert "工会新闻</a> &gt; 正文" in html and "{{ORIGIN}}" not in html and server.origin in html


def test_seed_truth_record(truth: dict, server: ReplicaServer) -> None:
    record = truth["articles"][SEED_PATH]["record"]
    assert record == {
        "title": SEED_TITLE, "published_at": "2023-01-18T17:40:03+08:00", "source": "四川省直属机关工会委员会",
        "author": None, "editor": None, "body": "\n".join(seed_paragraphs()), "column": "工会新闻",
        "images": [], "attachments": [], "canonical_url": None,
    }
    assert truth["seed_path"] == SEED_PATH


# ---- encodings and headers --------------------------------------------------------------

def test_gbk_pages_are_gbk_with_both_header_variants(truth: dict) -> None:
    gbk = [a for a in truth["articles"].values() if a["encoding"] == "gbk"]
    assert len(gbk) >= 100
    served = set()
    strict_gb2312_fails = 0
    for article in gbk:
        status, headers, body = fetch(article["url"])
        assert status == 200 and headers["Content-Type"] == article["content_type"]
        served.add(headers["Content-Type"])
        assert b'content="text/html; charset=gb2312"' in body
        with pytest.raises(UnicodeDecodeError):
            body.decode("utf-8")
        text = body.decode("gbk")
        assert f"<h1>{article['record']['title']}</h1>" in text
        try:
            body.decode("gb2312")
        except UnicodeDecodeError:
            strict_gb2312_fails += 1
    assert served == {"text/html; charset=gb2312", "text/html"}
    assert strict_gb2312_fails >= 5  # GBK-only characters: a strict gb2312 codec is not enough


def test_gbk_list_pages_declare_gb2312(truth: dict) -> None:
    column = next(c for c in truth["columns"] if c["encoding"] == "gbk")
    types = set()
    for url in column["list_urls"]:
        status, headers, body = fetch(url)
        types.add(headers["Content-Type"])
        assert "基层动态".encode("gbk") in body and b"charset=gb2312" in body
    assert types == {"text/html; charset=gb2312", "text/html"}


def test_assets_are_served_with_their_types(truth: dict) -> None:
    expected = {".jpg": "image/jpeg", ".pdf": "application/pdf", ".doc": "application/msword"}
    files = [u for a in truth["articles"].values() for u in a["record"]["images"] + a["record"]["attachments"]]
    seen = set()
    for url in files[:: max(1, len(files) // 40)] + files[-3:]:
        status, headers, body = fetch(url)
        suffix = Path(urlsplit(url).path).suffix
        assert status == 200 and headers["Content-Type"] == expected[suffix] and body
        seen.add(suffix)
    assert seen == set(expected)


# ---- special routes ---------------------------------------------------------------------

def test_redirect_answers_301_to_the_article(truth: dict) -> None:
    assert truth["redirects"]
    for source, target in truth["redirects"].items():
        status, headers, _ = fetch(source)
        assert status == 301 and headers["Location"] == target
        assert fetch(target)[0] == 200


def test_failures_answer_404_and_500(truth: dict, server: ReplicaServer) -> None:
    assert truth["not_found"] and truth["server_error"]
    for url in truth["not_found"]:
        assert fetch(url)[0] == 404
    for url in truth["server_error"]:
        assert fetch(url)[0] == 500
    assert fetch(server.url("/../../etc/passwd"))[0] == 404
    assert fetch(server.url("/truth.json"))[0] == 404


def test_robots_disallows_the_private_link(truth: dict, server: ReplicaServer) -> None:
    robots = RobotFileParser()
    robots.parse(fetch(server.url("/robots.txt"))[2].decode().splitlines())
    assert truth["robots_disallowed"]
    for url in truth["robots_disallowed"]:
        assert not robots.can_fetch("unionnews", url)
        assert fetch(url)[0] == 200  # the page exists: only a polite crawler stays out
    assert all(robots.can_fetch("unionnews", a["url"]) for a in truth["articles"].values())


def test_directory_without_slash_redirects(server: ReplicaServer) -> None:
    status, headers, _ = fetch(server.url("/xwzx/ghxw"))
    assert status == 301 and headers["Location"] == server.url("/xwzx/ghxw/")


def test_conditional_requests_get_304(server: ReplicaServer) -> None:
    url = server.url(SEED_PATH)
    status, headers, body = fetch(url)
    assert status == 200 and headers["ETag"] and headers["Last-Modified"] == "Wed, 18 Jan 2023 09:40:03 GMT"
    assert fetch(url, {"If-None-Match": headers["ETag"]})[:3:2] == (304, b"")
    assert fetch(url, {"If-None-Match": '"other"'})[0] == 200
    assert fetch(url, {"If-Modified-Since": headers["Last-Modified"]})[0] == 304
    assert fetch(url, {"If-Modified-Since": "Tue, 17 Jan 2023 00:00:00 GMT"})[0] == 200
    head = fetch(url, method="HEAD")
    assert head[0] == 200 and head[2] == b"" and int(head[1]["Content-Length"]) == len(body)


def test_request_log_records_headers(site: Site) -> None:
    with ReplicaServer(site.root) as server:
        fetch(server.url("/xwzx/tzgg/?from=a"), {"User-Agent": "unionnews-test", "If-None-Match": '"x"'})
        fetch(server.offsite + SEED_PATH)
        first, second = server.requests
    assert 0 < first.at <= second.at
    assert (first.method, first.path, first.status, first.user_agent, first.if_none_match) == (
        "GET", "/xwzx/tzgg/?from=a", 200, "unionnews-test", '"x"')
    assert first.host == f"127.0.0.1:{server.port}"
    assert second.host == f"localhost:{server.port}"


def test_delay_slows_each_response(site: Site) -> None:
    import time

    with ReplicaServer(site.root, delay=0.3) as server:
        started = time.perf_counter()
        fetch(server.url("/robots.txt"))
        assert time.perf_counter() - started >= 0.3


# ---- truth consistency ------------------------------------------------------------------

def test_every_truth_article_page_reads_as_its_truth(truth: dict) -> None:
    assert len(truth["articles"]) >= 310
    for path, article in truth["articles"].items():
        status, _, body = fetch(article["url"])
        assert status == 200, path
        record, seen = article["record"], zoom_record(body, article["url"])
        for key in ("title", "body", "column", "images", "attachments", "canonical_url"):
            assert seen[key] == record[key], (path, key)
        for value in (record["source"], record["author"]):
            assert value is None or value in seen["info"], path
        assert 300 <= len(record["body"]) <= 4000, path


def test_dates_in_truth_match_what_the_page_shows(truth: dict, site: Site) -> None:
    shapes = {"seconds": 0, "minutes": 0, "date": 0, "url": 0}
    for path, article in truth["articles"].items():
        when = article["record"]["published_at"]
        info = zoom_record(fetch(article["url"])[2], article["url"])["info"]
        y, m, d = when[:4], when[5:7], when[8:10]
        if len(when) > 10:
            hms = when[11:19]
            shown = f"{y}-{m}-{d} {hms}" in info
            shapes["seconds" if shown else "minutes"] += 1
            assert shown or f"{y}-{m}-{d} {hms[:5]}" in info, path
        else:
            forms = [f"{y}年{int(m)}月{int(d)}日", f"{y}年{m}月{d}日", f"{y}/{m}/{d}", f"{y}.{m}.{d}"]
            if any(form in info for form in forms):
                shapes["date"] += 1
            else:
                assert f"/t{y}{m}{d}_" in path and not re.search(r"\d{4}[-/.年]", info), path
                shapes["url"] += 1
    assert min(shapes.values()) >= 3, shapes


def test_every_variation_appears_on_several_pages(truth: dict) -> None:
    pages = [zoom_record(fetch(a["url"])[2], a["url"])["info"] for a in truth["articles"].values()]
    for label in ("发布时间：", "日期：", "时间：", "来源:", "来源：", "信息来源：", "稿源：", "文章来源：",
                  "作者：", "记者 ", "通讯员：", "浏览次数"):
        assert sum(label in info for info in pages) >= 3, label
    records = [a["record"] for a in truth["articles"].values()]
    for key in ("source", "author", "editor", "canonical_url"):
        assert sum(r[key] is None for r in records) >= 3 and sum(r[key] is not None for r in records) >= 3, key
    assert sum(bool(r["images"]) for r in records) >= 10 and sum(bool(r["attachments"]) for r in records) >= 10


def test_list_links_all_resolve(truth: dict, server: ReplicaServer) -> None:
    articles = {a["url"] for a in truth["articles"].values()}
    aliases = {u for a in truth["articles"].values() for u in a["aliases"] + a["tracking_urls"]}
    known = articles | aliases | set(truth["redirects"]) | set(truth["not_found"]) | set(truth["server_error"])
    known |= set(truth["robots_disallowed"]) | set(truth["offsite"])
    links = list_links(truth, server)
    assert set(links) <= known
    reached = set(links) | {truth["redirects"][u] for u in links if u in truth["redirects"]}
    canonical_of = {u: a["url"] for a in truth["articles"].values() for u in a["aliases"] + a["tracking_urls"]}
    reached |= {canonical_of[u] for u in links if u in canonical_of}
    assert articles <= reached
    hosts = {urlsplit(u).netloc for u in links}
    assert hosts == {f"127.0.0.1:{server.port}", f"localhost:{server.port}"}
    for kind in ("not_found", "server_error", "robots_disallowed"):
        assert set(truth[kind]) & set(links), kind
    assert any("?from=timeline" in u for u in links) and any("?utm_source=wechat" in u for u in links)


def test_list_links_are_relative_and_absolute(site: Site) -> None:
    hrefs = re.findall(rb'<li><a href="([^"]+)"', (site.www / "xwzx/ghxw/index_1.html").read_bytes())
    hrefs += re.findall(rb'<li><a href="([^"]+)"', (site.www / "xwzx/ghxw/index_2.html").read_bytes())
    assert any(h.startswith(b"./") for h in hrefs) and any(h.startswith(b"{{ORIGIN}}/") for h in hrefs)
    assert any(h.startswith(b"/xwzx/") for h in hrefs)


def test_canonical_alias_is_the_same_article(truth: dict) -> None:
    twins = [a for a in truth["articles"].values() if a["aliases"]]
    assert twins
    for article in twins:
        body = fetch(article["url"])[2]
        for alias in article["aliases"]:
            alias_body = fetch(alias)[2]
            assert alias_body == body
            assert zoom_record(alias_body, alias)["canonical_url"] == article["url"]


def test_list_dates_are_newest_first(truth: dict) -> None:
    for column in truth["columns"]:
        dates = []
        for url in column["list_urls"]:
            page = lxml.html.document_fromstring(decode(fetch(url)[2]))
            dates += page.xpath('//ul[@class="list"]/li/span/text()')
        pinned = 1 if column["key"] == "ghxw" else 0
        assert dates[pinned:] == sorted(dates[pinned:], reverse=True)
        assert len(dates) > column["articles"]


def test_script_pager_counts_match_the_files(site: Site, truth: dict) -> None:
    column = next(c for c in truth["columns"] if c["pager"] == "script")
    files = sorted((site.www / column["path"].strip("/")).glob("index*.html"))
    assert len(files) == column["pages"] >= 5
    for i, url in enumerate(column["list_urls"]):
        calls = re.findall(rb'createPageHTML\((\d+), (\d+), "index", "html"\)', fetch(url)[2])
        assert calls == [(str(len(files)).encode(), str(i).encode())]


def test_link_pager_walks_every_page(truth: dict) -> None:
    for column in (c for c in truth["columns"] if c["pager"] == "link"):
        url, visited = column["start_url"], []
        while url:
            visited.append(url)
            page = lxml.html.document_fromstring(decode(fetch(url)[2]))
            nxt = page.xpath('//div[@class="page"]/a[text()="下一页"]/@href')
            url = urljoin(url, nxt[0]) if nxt else None
        assert len(visited) == column["pages"] >= 5


def test_offsite_links_in_footer_and_lists(truth: dict, server: ReplicaServer) -> None:
    body = fetch(server.url(SEED_PATH))[2].decode()
    footer = body.split('<div class="footer">')[1]
    assert server.offsite + "/gywm/lxwm.html" in footer
    assert sum(u.startswith(server.offsite + "/xwzx/") for u in truth["offsite"]) >= 2


# ---- build ------------------------------------------------------------------------------

def test_build_is_deterministic(tmp_path: Path) -> None:
    first = build_site(tmp_path / "a", articles_per_column=8, seed=3)
    second = build_site(tmp_path / "b", articles_per_column=8, seed=3)
    other = build_site(tmp_path / "c", articles_per_column=8, seed=4)
    read = lambda s: (s.root / "truth.json").read_bytes()  # noqa: E731
    assert read(first) == read(second) != read(other)
    assert SEED_PATH in first.raw_truth()["articles"] and SEED_PATH in other.raw_truth()["articles"]


def test_build_rejects_too_few_articles(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="at least"):
        build_site(tmp_path, articles_per_column=2)


def test_bodies_are_varied(truth: dict) -> None:
    records = [a["record"] for a in truth["articles"].values()]
    lengths = sorted(len(r["body"]) for r in records)
    assert lengths[len(lengths) // 10] < 800 and lengths[-len(lengths) // 10] > 1200
    assert len({r["title"] for r in records}) >= 0.9 * len(records)
    years = {r["published_at"][:4] for r in records}
    assert years == {"2019", "2020", "2021", "2022", "2023"}


@settings(max_examples=6, deadline=None)
@given(seed=st.integers(0, 10_000), counts=st.tuples(*[st.integers(6, 30)] * 3))
def test_any_seed_and_size_gives_a_consistent_site(seed: int, counts: tuple[int, int, int]) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        site = build_site(Path(scratch), articles_per_column=counts, seed=seed)
        with ReplicaServer(site.root) as server:
            truth = site.truth(server.origin)
            assert [c["articles"] for c in truth["columns"]] == list(counts)
            assert truth["articles"][SEED_PATH]["record"]["published_at"] == "2023-01-18T17:40:03+08:00"
            for article in truth["articles"].values():
                seen = zoom_record(fetch(article["url"])[2], article["url"])
                assert (seen["title"], seen["body"]) == (article["record"]["title"], article["record"]["body"])
            links = set(list_links(truth, server))
            for kind in ("redirects", "not_found", "server_error", "robots_disallowed"):
                assert set(truth[kind]) & links, kind


# ---- mutations --------------------------------------------------------------------------

@pytest.fixture
def small(tmp_path: Path):
    site = build_site(tmp_path / "site", articles_per_column=8)
    with ReplicaServer(site.root) as server:
        yield site, server


def first_list_link(server: ReplicaServer, column: str) -> str:
    page = lxml.html.document_fromstring(fetch(server.url(column))[2])
    return urljoin(server.url(column), page.xpath('//ul[@class="list"]/li/a/@href')[0])


def test_add_article_is_newest_and_served(small: tuple[Site, ReplicaServer]) -> None:
    site, server = small
    path = site.add_article("/xwzx/jcdt/", "省气象局工会举办职工读书分享会", ["第一段。", "第二段。"],
                            "2024-03-01T09:30:00", author="王堃")
    assert path == f"/xwzx/jcdt/202403/t20240301_{max(site.specs)}.html"
    assert first_list_link(server, "/xwzx/jcdt/") == server.url(path) or path in first_list_link(server, "/xwzx/jcdt/")
    status, headers, body = fetch(server.url(path))
    assert status == 200 and "省气象局工会举办职工读书分享会".encode("gbk") in body
    record = site.truth(server.origin)["articles"][path]["record"]
    assert (record["published_at"], record["body"], record["author"]) == ("2024-03-01T09:30:00+08:00", "第一段。\n第二段。", "王堃")
    older = site.column_specs(site.spec_at(path).col)[1]
    assert f'href="{path}"'.encode() in fetch(server.url(older.path))[2]  # its 上一篇 now names the new one


def test_edit_article_changes_page_etag_and_truth(small: tuple[Site, ReplicaServer]) -> None:
    site, server = small
    url = server.url(SEED_PATH)
    _, headers, _ = fetch(url)
    site.edit_article(SEED_PATH, title="新标题", body_paragraphs=["改写后的正文。"])
    status, new_headers, body = fetch(url, {"If-None-Match": headers["ETag"]})
    assert status == 200 and "<h1>新标题</h1>" in body.decode()
    assert fetch(url, {"If-Modified-Since": headers["Last-Modified"]})[0] == 200
    assert site.truth(server.origin)["articles"][SEED_PATH]["record"]["body"] == "改写后的正文。"
    assert "新标题".encode() in fetch(server.url("/xwzx/ghxw/"))[2]
    assert Site.load(site.root).spec_at(SEED_PATH).title == "新标题"


def test_remove_article_answers_404_and_leaves_the_list(small: tuple[Site, ReplicaServer]) -> None:
    site, server = small
    path = site.column_specs(site.spec_at(SEED_PATH).col)[2].path
    site.remove_article(path)
    assert fetch(server.url(path))[0] == 404
    truth = site.truth(server.origin)
    assert path not in truth["articles"] and server.url(path) in truth["not_found"]
    assert server.url(path) not in list_links(truth, server)
    with pytest.raises(SiteError, match="no article"):
        site.remove_article(path)
    private = truth["robots_disallowed"][0].removeprefix(server.origin)
    site.edit_article(private, title="内部通知")
    assert "内部通知".encode("gbk") in fetch(server.url(private))[2]
    new = site.add_article("tzgg", "关于开展职工读书月活动的通知", ["各省直单位工会："], "2024-04-23T10:00:00")
    after = site.truth(server.origin)
    used = list(after["articles"]) + [u for a in after["articles"].values() for u in a["aliases"]] + after["not_found"]
    ids = [int(m) for u in used for m in re.findall(r"_(\d+)\.html$", u)]
    assert ids.count(int(re.findall(r"_(\d+)\.html$", new)[0])) == 1  # a fresh id, not an alias's or a gone page's
    with pytest.raises(SiteError, match="no column"):
        site.add_article("/xwzx/nope/", "t", ["b"], "2024-01-01T00:00:00")


# ---- command line -----------------------------------------------------------------------

def test_cli_build_and_bad_dir(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["build", str(tmp_path / "s"), "--articles-per-column", "6"])
    assert result.exit_code == 0 and "built" in result.output
    assert json.loads((tmp_path / "s" / "truth.json").read_text())["articles"]
    (tmp_path / "junk").mkdir()
    (tmp_path / "junk" / "x.txt").write_text("x")
    result = runner.invoke(cli, ["serve", "--dir", str(tmp_path / "junk")])
    assert result.exit_code != 0 and "is not a replica site" in result.output
    assert "Traceback" not in result.output


def test_cli_serve_prints_start_urls_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    import signal
    import subprocess
    import sys

    command = [sys.executable, "-m", "replica", "serve", "--dir", str(tmp_path / "site"), "--articles-per-column", "6"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        lines = [process.stdout.readline() for _ in range(4)]
        urls = [line.strip() for line in lines[1:]]
        assert [urlsplit(u).path for u in urls] == ["/xwzx/ghxw/", "/xwzx/tzgg/", "/xwzx/jcdt/"]
        assert fetch(urls[0])[0] == 200
    finally:
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=10)
    assert process.returncode == 0 and "stopped" in out and "Traceback" not in err
    assert (tmp_path / "site" / "truth.json").exists()
