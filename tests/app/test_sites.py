"""Several sites in one archive: site profiles (validated on load), `unionnews sites`,
`unionnews crawl --site`, the `site` column and its Datasette facet, and the city replica,
a sister site in another CMS template, archived with its profile and with no profile at all."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import subprocess
import sys
import urllib.request
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive.cli import cli
from archive.serve import make_datasette
from crawler.parse import parse_article
from crawler.profiles import ProfileError, generic_profile, load_profile
from replica import ReplicaServer, build_site
from replica.city import build_city_site

FIELDS = ("title", "published_at", "source", "author", "editor", "body", "column", "images", "attachments")


def unionnews(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    command = [sys.executable, "-c", "from archive.cli import main; main()", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=cwd)


def archived(db: Path) -> dict[str, dict]:
    """url -> row of the articles table."""
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        return {row["url"]: dict(row) for row in conn.execute("select * from articles")}


def mismatches(rows: dict[str, dict], truth: dict) -> dict[str, list[str]]:
    """Fields (with up to three URLs each) where the archive differs from the replica's truth."""
    wrong: dict[str, list[str]] = {}
    for article in truth["articles"].values():
        row = rows.get(article["url"])
        for name in FIELDS:
            value = None if row is None else row[name]
            if name in ("images", "attachments") and value is not None:
                value = json.loads(value)
            if value != article["record"][name]:
                wrong.setdefault(name, []).append(article["url"])
    return {name: urls[:3] for name, urls in wrong.items()}


@pytest.fixture(scope="module")
def two_sites(tmp_path_factory: pytest.TempPathFactory):
    """The provincial replica (small) and the city replica, each on its own server."""
    root = tmp_path_factory.mktemp("sites")
    province = build_site(root / "province", articles_per_column=(20, 15, 15))
    city = build_city_site(root / "city")
    with ReplicaServer(province.root) as province_server, ReplicaServer(city.root) as city_server:
        yield province, province_server, city, city_server


# ---------------------------------------------------------------- profiles

@pytest.mark.parametrize("text, message", [
    ('name = "x"\ntitle = "X"\nstart_url = []\n', "unknown field 'start_url'"),
    ('name = "x"\ntitle = "X"\n[list]\narticle_link = "a"\n', "unknown field 'list.article_link'"),
    ('name = "x"\ntitle = "X"\n[article]\nbody = "div[[["\n', "field 'article.body' is not a valid CSS selector"),
    ('name = "x"\ntitle = "X"\nstart_urls = ["https://a.example/", "ftp://b/"]\n', "field 'start_urls[1]' must be an http(s) URL"),
    ('name = "X Site"\ntitle = "X"\n', "field 'name' must be lower-case letters"),
    ('name = "x"\n', "field 'title' must be a non-empty string"),
    ('name = "x"\ntitle = "X"\n[article]\ntitle = ""\n', "field 'article.title' must be a non-empty string"),
    ('name = "x"\ntitle = "X"\nlist = "ul a"\n', "[list] must be a table"),
    ('name = "x"\ntitle = "X\n', "not valid TOML"),
])
def test_a_bad_profile_is_refused_naming_the_field(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ProfileError) as raised:
        load_profile(path)
    assert message in str(raised.value) and str(path) in str(raised.value)


def test_crawl_with_a_bad_profile_file_fails_with_one_line(tmp_path: Path) -> None:
    path = tmp_path / "typo.toml"
    path.write_text('name = "typo"\ntitle = "T"\n[article]\nbdy = "div"\n', encoding="utf-8")
    result = unionnews("crawl", "--site", str(path), "--start-url", "http://127.0.0.1:9/a/",
                       "--db", str(tmp_path / "a.db"))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"Error: {path}: unknown field 'article.bdy' ([article] has title, info, body, breadcrumb, editor)"]
    assert not (tmp_path / "a.db").exists()


def test_sites_lists_the_bundled_profiles() -> None:
    result = CliRunner().invoke(cli, ["sites"])
    assert result.exit_code == 0, result.output
    names = [line.split("\t")[0] for line in result.output.splitlines()]
    assert names == ["cdzgh", "scszjggh", "generic"]
    assert "cdzgh\t成都市总工会\tcolumns by --start-url" in result.output.splitlines()


@pytest.mark.parametrize("args, message", [
    (["--site", "nowhere", "--start-url", "http://127.0.0.1:9/a/"], "no site profile 'nowhere'"),
    (["--site", "cdzgh", "--site", "scszjggh", "--start-url", "http://127.0.0.1:9/a/"],
     "with --start-url give one --site"),
    (["--site", "cdzgh"], "profile cdzgh lists no start_urls: give the columns with --start-url"),
    (["--site", "all"], "no bundled profile lists start_urls"),
    (["--site", "generic"], "--site generic needs --start-url"),
])
def test_site_arguments_that_cannot_work_fail_with_one_line(tmp_path: Path, args: list[str], message: str) -> None:
    result = CliRunner().invoke(cli, ["crawl", *args, "--db", str(tmp_path / "a.db")])
    assert result.exit_code == 1
    assert message in result.output and len(result.output.strip().splitlines()) == 1
    assert not (tmp_path / "a.db").exists()


def test_one_host_cannot_be_two_sites(tmp_path: Path) -> None:
    config = tmp_path / "columns.toml"
    config.write_text('[[columns]]\nurl = "http://127.0.0.1:9/a/"\nsite = "cdzgh"\n'
                      '[[columns]]\nurl = "http://127.0.0.1:9/b/"\nsite = "scszjggh"\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["crawl", "--config", str(config), "--db", str(tmp_path / "a.db")])
    assert result.exit_code == 1
    assert "127.0.0.1:9 is given two sites (cdzgh and scszjggh); one host is one site" in result.output


# ---------------------------------------------------------------- the city replica

def test_city_pages_parse_to_their_truth_with_the_profile_and_without_any(two_sites) -> None:
    *_, city, server = two_sites
    truth = city.truth(server.origin)
    assert len(truth["articles"]) >= 110
    profiles = {"cdzgh": load_profile("cdzgh"), "none": generic_profile("127.0.0.1")}
    wrong: Counter[str] = Counter()
    for article in truth["articles"].values():
        with urllib.request.urlopen(article["url"], timeout=10) as response:
            body, charset = response.read(), response.headers.get_content_charset()
        for label, profile in profiles.items():
            record = parse_article(body, article["url"], encoding=charset, profile=profile)
            wrong.update(f"{label}:{name}" for name in FIELDS if record[name] != article["record"][name])
    assert wrong == Counter()


def test_city_replica_is_another_template(two_sites) -> None:
    """Different URL scheme, class names, pagers and encodings than the provincial site."""
    *_, city, server = two_sites
    truth = city.truth(server.origin)
    assert [c["path"] for c in truth["columns"]] == ["/a/ghyw/", "/a/jcdt/", "/a/tzgg/"]
    assert [c["pager"] for c in truth["columns"]] == ["text", "arrow", "text"]
    first = next(iter(truth["articles"].values()))
    with urllib.request.urlopen(first["url"], timeout=10) as response:
        page = response.read().decode("utf-8")
    assert 'class="art-body"' in page and 'id="zoom"' not in page and "div class=\"info\"" not in page
    with urllib.request.urlopen(server.origin + "/a/tzgg/", timeout=10) as response:
        assert response.headers["Content-Type"] == "text/html" and b"charset=gbk" in response.read()


def crawl_city(city, server, db: Path, *site: str) -> subprocess.CompletedProcess:
    starts = [arg for url in city.start_urls(server.origin) for arg in ("--start-url", url)]
    return unionnews("crawl", *site, *starts, "--db", str(db), "--delay", "0")


@pytest.mark.parametrize("site, expected_site", [("cdzgh", "cdzgh"), ("generic", None)])
def test_city_site_is_archived_completely_with_its_profile_or_none(two_sites, tmp_path: Path,
                                                                   site: str, expected_site: str | None) -> None:
    *_, city, server = two_sites
    truth = city.truth(server.origin)
    db = tmp_path / "city.db"
    server.clear_requests()
    result = crawl_city(city, server, db, "--site", site)
    assert result.returncode == 0, result.stderr
    rows = archived(db)
    assert mismatches(rows, truth) == {}
    assert set(rows) == {a["url"] for a in truth["articles"].values()}
    assert {row["site"] for row in rows.values()} == {expected_site or server.origin.split("//")[1]}
    requests = server.requests
    fetched = Counter(r.path for r in requests if r.path != "/robots.txt")
    assert [path for path, times in fetched.items() if times > 1] == []
    assert not [r for r in requests if r.host.startswith("localhost")]  # off-host links not followed
    assert not [r for r in requests if r.path.startswith("/member/")]  # robots.txt obeyed
    every_list_page = {url.removeprefix(server.origin) for c in truth["columns"] for url in c["list_urls"][1:]}
    every_list_page |= {c["path"] for c in truth["columns"]}
    assert every_list_page <= set(fetched)  # both pagers walked to the end


def test_without_site_a_site_no_profile_claims_is_archived_generically(two_sites, tmp_path: Path) -> None:
    """No --site on a host no bundled profile claims: generic extraction, every article, exit 0
    (the union profile used to be forced on it, and the crawl archived nothing)."""
    *_, city, server = two_sites
    db = tmp_path / "a.db"
    result = crawl_city(city, server, db)
    assert result.returncode == 0, result.stderr
    truth = city.truth(server.origin)["articles"]
    rows = archived(db)
    assert {t["url"] for t in truth.values()} <= set(rows)
    assert {row["site"] for row in rows.values()} == {server.origin.split("//")[1]}


# ---------------------------------------------------------------- one archive, two sites

def test_two_sites_in_one_crawl_and_one_archive_with_a_site_facet(two_sites, tmp_path: Path) -> None:
    province, province_server, city, city_server = two_sites
    config = tmp_path / "sites.toml"
    columns = [(url, "scszjggh") for url in province.start_urls(province_server.origin)]
    columns += [(url, "cdzgh") for url in city.start_urls(city_server.origin)]
    config.write_text("".join(f'[[columns]]\nurl = "{url}"\nsite = "{site}"\n' for url, site in columns),
                      encoding="utf-8")
    db = tmp_path / "unions.db"
    result = unionnews("crawl", "--config", str(config), "--db", str(db), "--delay", "0")
    assert result.returncode == 0, result.stderr
    rows = archived(db)
    province_truth = province.truth(province_server.origin)
    city_truth = city.truth(city_server.origin)
    assert mismatches(rows, city_truth) == {}
    assert mismatches(rows, province_truth) == {}
    by_site = Counter(row["site"] for row in rows.values())
    assert by_site == {"cdzgh": len(city_truth["articles"]), "scszjggh": len(province_truth["articles"])}

    ds = make_datasette(db)
    for table in ("articles", "articles_list"):  # the raw table and the readable list
        response = asyncio.run(ds.client.get(f"/archive/{table}.json?_size=1"))
        facet = response.json()["facet_results"]["site"]["results"]
        assert {item["value"]: item["count"] for item in facet} == dict(by_site)
