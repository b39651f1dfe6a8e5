"""`unionnews profile`: a profile written from a sample of a zoo site's pages crawls that site
with every article and field exact and no drift; pages of two templates are refused in one line;
bad arguments get one line.

Each zoo site is in one CMS family's template with that family's list mechanism: DedeCMS (a ul
list, 下一页 link), PHPCMS (numbered pager), Hanweb (records in a script datastore, more by POST:
no list selector can hold, generic reading stays), WordPress (article blocks, page/N/ pagers of
two kinds), VSB (下页 pager).
"""

from __future__ import annotations

import sqlite3
import subprocess
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive.cli import cli
from crawler.encoding import decode_html
from crawler.profiles import load_profile
from crawler.profiling import ArticleSample, ListSample, ProfileRefused, derive_profile, list_page_links
from replica import ReplicaServer
from replica.zoo import build_zoo_site
from tests.zoo.test_zoo_crawl import CLI, score

#: Family -> the [list] keys its profile must have (the rest is left to generic reading).
FAMILIES = {
    "dedecms": {"article_links", "next_page_text"},
    "phpcms": {"article_links", "next_page"},
    "hanweb": set(),
    "wordpress": {"article_links"},
    "vsb": {"article_links", "next_page_text"},
}


def run_profile(*args: str) -> object:
    return CliRunner().invoke(cli, ["profile", *args], catch_exceptions=False)


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_profile_written_from_a_sample_crawls_the_site_exactly(family: str, tmp_path: Path) -> None:
    site = build_zoo_site(family, tmp_path / "site")
    out, db = tmp_path / f"{family}.toml", tmp_path / "archive.db"
    with ReplicaServer(site.root) as server:
        starts = [a for url in site.start_urls(server.origin) for a in ("--start-url", url)]
        result = run_profile(*starts, "--name", family, "--out", str(out), "--delay", "0")
        assert result.exit_code == 0, result.output
        profile = load_profile(out)
        crawl = subprocess.run([*CLI, "crawl", *starts, "--site", str(out), "--db", str(db), "--delay", "0"],
                               capture_output=True, text=True, timeout=300, check=False)
        truth = site.truth(server.origin)
        requested = {server.origin + r.path for r in server.requests}
    report = [line for line in result.output.splitlines() if line.startswith(("list.", "article."))]
    assert any(line.split()[0] == "article.body" and line.endswith(" pages") for line in report), result.output
    assert set(profile.list) == FAMILIES[family], result.output
    assert {"title", "body", "breadcrumb"} <= set(profile.article) or family == "wordpress", result.output
    assert profile.hosts == (server.origin.split("//")[1],)
    text = out.read_text(encoding="utf-8")
    assert "# held on " in text and f'body = "{profile.article["body"]}"' in text
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        rows = {row["url"]: dict(row) for row in conn.execute("select * from articles")}
        listed = {row[0] for row in conn.execute("select url from files where kind = 'listed'")}
        sites = {row[0] for row in conn.execute("select distinct site from articles")}
    figures = score(truth, rows, listed, requested, crawl)
    assert crawl.returncode == 0, crawl.stderr[-800:]
    assert "WARNING" not in crawl.stderr, crawl.stderr[-800:]
    assert figures["misses"] == [] and figures["extra_articles"] == []
    assert (figures["found"], figures["exact"]) == (figures["articles"], figures["fields"])
    assert len(figures["files_listed"]) == figures["files_expected"]
    assert sites == {family}


def test_report_line_per_selector(tmp_path: Path) -> None:
    site = build_zoo_site("dedecms", tmp_path / "site")
    with ReplicaServer(site.root) as server:
        start = site.start_urls(server.origin)[0]
        result = run_profile("--start-url", start, "--sample", "3", "--out", str(tmp_path / "d.toml"), "--delay", "0")
    assert result.exit_code == 0, result.output
    lines = {line.split()[0]: line.split() for line in result.output.splitlines() if line.startswith("article.")}
    profile = load_profile(tmp_path / "d.toml")
    assert lines["article.body"] == ["article.body", *profile.article["body"].split(), "3/3", "pages"]
    assert lines["article.title"][-2:] == ["3/3", "pages"]
    assert load_profile(tmp_path / "d.toml").name == "127-0-0-1-" + server.origin.rsplit(":", 1)[1]


# ---------------------------------------------------------------- refusals

def fetch(url: str) -> tuple[str, bytes, str | None]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.url, response.read(), response.headers.get_content_charset()


def sample(family: str, root: Path, articles: int = 3) -> tuple[list[ListSample], list[ArticleSample]]:
    """One column's first two list pages and a few of its articles, fetched from the served site."""
    site = build_zoo_site(family, root)
    with ReplicaServer(site.root) as server:
        url, body, charset = fetch(site.start_urls(server.origin)[0])
        lists = [ListSample(url, decode_html(body, charset)[0])]
        links, next_url = list_page_links(lists[0])
        url, body, charset = fetch(next_url)
        lists.append(ListSample(url, decode_html(body, charset)[0]))
        pages = [ArticleSample(*fetch(link)) for link in links[:articles]]
    return lists, pages


def test_list_pages_of_two_templates_are_refused_in_one_line(tmp_path: Path) -> None:
    dede_lists, dede_articles = sample("dedecms", tmp_path / "dedecms")
    php_lists, _ = sample("phpcms", tmp_path / "phpcms")
    with pytest.raises(ProfileRefused) as refused:
        derive_profile(dede_lists + php_lists, dede_articles, name="mixed")
    message = str(refused.value)
    assert "\n" not in message and "list.article_links" in message and "2 of 4" in message


def test_article_pages_of_two_templates_are_refused_in_one_line(tmp_path: Path) -> None:
    dede_lists, dede_articles = sample("dedecms", tmp_path / "dedecms", articles=2)
    _, vsb_articles = sample("vsb", tmp_path / "vsb", articles=2)
    with pytest.raises(ProfileRefused) as refused:
        derive_profile(dede_lists, dede_articles + vsb_articles, name="mixed")
    assert "\n" not in str(refused.value) and "article." in str(refused.value)


def test_one_template_is_not_refused(tmp_path: Path) -> None:
    lists, articles = sample("dedecms", tmp_path / "dedecms")
    derived = derive_profile(lists, articles, name="dede", title="德德")
    assert derived.data["list"]["article_links"] == "ul.e2 li a"
    assert derived.data["article"]["body"].startswith("div.content")
    assert all(held.held == held.sampled for held in derived.report if held.selector)


# ---------------------------------------------------------------- bad arguments

@pytest.mark.parametrize("args, says", [
    ([], "give at least one --start-url"),
    (["--start-url", "ftp://example.org/x/"], "is not an http(s) URL"),
    (["--start-url", "http://127.0.0.1:9/news/", "--name", "Bad Name"], "--name must be"),
    (["--start-url", "http://127.0.0.1:9/news/", "--out", "x.txt"], "--out must name a .toml file"),
    (["--start-url", "http://127.0.0.1:9/news/", "--delay", "0"], "cannot fetch start URL http://127.0.0.1:9/news/"),
])
def test_bad_arguments_get_one_line(args: list[str], says: str, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["profile", *args])
    assert result.exit_code == 1, result.output
    assert result.output.strip().count("\n") == 0 and says in result.output
    assert "Traceback" not in result.output and not isinstance(result.exception, AssertionError)


def test_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    site = build_zoo_site("dedecms", tmp_path / "site")
    out = tmp_path / "site.toml"
    out.write_text("keep me", encoding="utf-8")
    with ReplicaServer(site.root) as server:
        start = site.start_urls(server.origin)[0]
        result = run_profile("--start-url", start, "--out", str(out), "--delay", "0")
        assert result.exit_code == 1 and "exists; give --force" in result.output
        assert out.read_text(encoding="utf-8") == "keep me"
        result = run_profile("--start-url", start, "--out", str(out), "--delay", "0", "--sample", "2", "--force")
    assert result.exit_code == 0, result.output
    assert load_profile(out).article


def test_robots_txt_is_honoured(tmp_path: Path) -> None:
    site = build_zoo_site("dedecms", tmp_path / "site")
    with ReplicaServer(site.root) as server:
        result = run_profile("--start-url", server.origin + "/member/list.html", "--out", str(tmp_path / "r.toml"),
                             "--delay", "0")
        asked = [r.path for r in server.requests]
    assert result.exit_code == 1 and "forbidden by robots.txt" in result.output
    assert asked == ["/robots.txt"]
