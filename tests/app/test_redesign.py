"""The redesign drill (issue 10, point 5): a profiled site changes its template and loses nothing.

The union replica is crawled with its profile (`--site scszjggh`), then redesigned
(`Site.redesign()`: every class and id renamed, the headline a `div`, the info line reordered,
list rows restyled, new pagers; same URLs and content) and given new articles in every column.
The incremental crawl must archive every new article exactly, exit 3 and name the profile and
the selectors that missed (on stderr and in `crawl_runs.drift`); a `--full` crawl afterwards
sees every old article again without changing any of its fields or recording a revision.

The drill runs once per module (three real `unionnews crawl` processes against one replica
server); each test checks one stage of it, so a failing stage does not hide the others.
Run with `-s` (or `-rP`) to see its figures.
"""

from __future__ import annotations

import json
import random
import sqlite3
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import lxml.html
import pytest

from crawler.profiles import CSS_KEYS, load_profile
from replica import ReplicaServer, Site, build_site, text
from replica.model import SITE_NAME

CLI = [sys.executable, "-c", "from archive.cli import main; main()"]
FIELDS = ("title", "published_at", "source", "author", "editor", "body", "column", "images", "attachments")
PROFILE = "scszjggh"
#: The profile selectors that find nothing on the redesigned pages, where each is used: list pages
#: for the list links, every article page for the article fields. (The pager keys miss only on the
#: list pages that have a next page, and the editor line is optional, so they are not required.)
MISSED = ("list.article_links", "article.title", "article.info", "article.body", "article.breadcrumb")

# (column, source, author, editor) of the articles published after the redesign: 来源 or none,
# an author or none, an editor under the body or none; GBK-only names in the GBK column.
NEW_ARTICLES = (
    ("/xwzx/ghxw/", SITE_NAME, None, "张敏"),
    ("/xwzx/ghxw/", "四川工人日报", "李娟", None),
    ("/xwzx/ghxw/", None, None, None),
    ("/xwzx/tzgg/", SITE_NAME, None, "刘洋"),
    ("/xwzx/tzgg/", SITE_NAME, None, None),
    ("/xwzx/tzgg/", None, "陈静", "赵磊"),
    ("/xwzx/jcdt/", "省交通运输厅工会", "王喆", "周镕"),
    ("/xwzx/jcdt/", "省教育厅工会", None, None),
    ("/xwzx/jcdt/", None, "杨珺", None),
)


def unionnews(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)


def archived(db: Path) -> dict[str, dict]:
    """url -> row of the articles table."""
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        return {row["url"]: dict(row) for row in conn.execute("select * from articles")}


def scalar(db: Path, sql: str):
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchone()[0]


def last_run(db: Path) -> dict:
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        return dict(conn.execute("select * from crawl_runs order by rowid desc limit 1").fetchone())


def record_of(row: dict | None) -> dict | None:
    """The archived row's record fields, images and attachments as lists."""
    if row is None:
        return None
    return {name: json.loads(row[name]) if name in ("images", "attachments") and row[name] is not None else row[name]
            for name in FIELDS}


def mismatches(rows: dict[str, dict], articles: list[dict]) -> dict[str, list[str]]:
    """Fields (with up to three URLs each) where the archive differs from the truth; `missing`
    lists articles not archived at all."""
    wrong: dict[str, list[str]] = {}
    for article in articles:
        got = record_of(rows.get(article["url"]))
        if got is None:
            wrong.setdefault("missing", []).append(article["url"])
            continue
        for name in FIELDS:
            if got[name] != article["record"][name]:
                wrong.setdefault(name, []).append(article["url"])
    return {name: urls[:3] for name, urls in wrong.items()}


def exact_fields(rows: dict[str, dict], articles: list[dict]) -> int:
    got = [record_of(rows.get(a["url"])) for a in articles]
    return sum(g is not None and g[name] == a["record"][name] for g, a in zip(got, articles) for name in FIELDS)


def publish_new_articles(site: Site) -> list[str]:
    """The articles of NEW_ARTICLES, with generated news/notice text, newer than everything."""
    rng = random.Random(2024)
    paths = []
    for i, (column, source, author, editor) in enumerate(NEW_ARTICLES):
        when = datetime(2024, 3, 1 + i, 9 + i, 5 * i, 7 * i)
        kind = {"/xwzx/ghxw/": "news", "/xwzx/jcdt/": "grassroots"}.get(column)
        generated = text.news_text(kind, rng, when) if kind else text.notice_text(rng, when)
        paths.append(site.add_article(column, generated.title, [body for _, body in generated.paragraphs], when,
                                      source=source, author=author, editor=editor))
    return paths


@dataclass
class Crawl:
    result: subprocess.CompletedProcess
    rows: dict[str, dict]
    run: dict
    revisions: int
    requests: list  # LoggedRequest of the replica server during this crawl

    @property
    def warning(self) -> str:
        """The stderr line that names the profile (empty when there is none)."""
        return next((line for line in self.result.stderr.splitlines() if f"profile {PROFILE}" in line), "")


@dataclass
class Drill:
    site: Site
    origin: str
    old: list[dict]  # truth of the articles archived before the redesign
    new: list[dict] = field(default_factory=list)  # truth of the articles published after it
    truth: dict = field(default_factory=dict)  # the whole truth after the redesign
    before: Crawl | None = None
    after: Crawl | None = None  # the incremental crawl after the redesign
    full: Crawl | None = None  # the --full crawl after that


@pytest.fixture(scope="module")
def drill(tmp_path_factory: pytest.TempPathFactory) -> Drill:
    root = tmp_path_factory.mktemp("redesign")
    site = build_site(root / "site", articles_per_column=(24, 22, 22))  # two list pages per column
    db = root / "archive.db"
    with ReplicaServer(site.root) as server:
        starts = [arg for url in site.start_urls(server.origin) for arg in ("--start-url", url)]

        def crawl(*extra: str) -> Crawl:
            server.clear_requests()
            result = unionnews("crawl", "--site", PROFILE, *starts, "--db", str(db), "--delay", "0", *extra)
            return Crawl(result, archived(db), last_run(db), scalar(db, "select count(*) from revisions"),
                         server.requests)

        drill = Drill(site, server.origin, list(site.truth(server.origin)["articles"].values()))
        drill.before = crawl()
        site.redesign()
        paths = publish_new_articles(site)
        drill.truth = site.truth(server.origin)
        drill.new = [drill.truth["articles"][path] for path in paths]
        drill.after = crawl()
        drill.full = crawl("--full")
    return drill


# ---------------------------------------------------------------- the replica's redesign

def test_redesign_keeps_every_articles_truth_and_only_the_template_changes(drill: Drill) -> None:
    assert drill.site.template == "redesign" and Site.load(drill.site.root).template == "redesign"
    articles = drill.truth["articles"]
    assert {a["url"]: a for a in drill.old} == {a["url"]: a for a in articles.values() if a not in drill.new}
    assert len(drill.new) == len(NEW_ARTICLES) and all(a["record"]["published_at"].startswith("2024-03-")
                                                       for a in drill.new)
    assert [c["pager"] for c in drill.truth["columns"]] == ["numbered", "script-vars", "numbered"]


def _pages(site: Site) -> dict[str, lxml.html.HtmlElement]:
    """Every HTML page of the site, decoded with its column's encoding."""
    pages = {}
    for file in site.www.rglob("*.html"):
        path = "/" + file.relative_to(site.www).as_posix()
        encoding = "gbk" if "/jcdt/" in path else "utf-8"  # 基层动态, and its private page
        pages[path] = lxml.html.document_fromstring(file.read_bytes().decode(encoding))
    return pages


def test_no_page_keeps_a_selector_of_the_profile_or_an_old_class(drill: Drill) -> None:
    profile = load_profile(PROFILE)
    pages = _pages(drill.site)
    article_paths = {a["url"].removeprefix(drill.origin) for a in drill.truth["articles"].values()}
    assert article_paths <= set(pages) and len(pages) > len(article_paths) + 6  # lists, home, sections
    old = {"header", "logo", "nav", "main", "footer", "location", "article", "info", "editor", "share",
           "prevnext", "sidebar", "listbox", "list", "page", "column-box", "more", "TRS_Editor"}
    for path, root in pages.items():
        for section in ("list", "article"):
            for key, css in getattr(profile, section).items():
                if f"{section}.{key}" in CSS_KEYS:
                    assert not root.cssselect(css), (path, css)
        classes = {c for value in root.xpath("//@class") for c in value.split()}
        assert not classes & old, (path, classes & old)
        assert not root.xpath("//*[@id='zoom']") and not root.xpath("//h1"), path
        assert not root.xpath("//a[normalize-space()='下一页']"), path  # no 下一页 anchor in the markup
        assert "createPageHTML" not in lxml.html.tostring(root, encoding="unicode"), path


def test_redesigned_pages_show_the_same_content_in_the_new_markup(drill: Drill) -> None:
    www = drill.site.www
    seed = next(a for a in drill.old if a["url"].endswith("t20230118_1001.html"))
    page = (www / seed["url"].removeprefix(drill.origin).lstrip("/")).read_text(encoding="utf-8")
    assert f'<div class="xl-bt">{seed["record"]["title"]}</div>' in page
    info = page[page.index('<div class="xl-xx">'):page.index('<div class="xl-nr"')]
    assert info.index("来源：") < info.index("发布时间：2023-01-18 17:40:03")  # reordered, the CMS's labels
    assert 'class="CurrChnlCls">工会新闻</a>' in page and "正文" not in page
    new = drill.new[6]  # GBK column, GBK-only names: still GBK, declared gb2312
    raw = (www / new["url"].removeprefix(drill.origin).lstrip("/")).read_bytes()
    assert b'<meta charset="gb2312">' in raw and "王喆".encode("gbk") in raw and b'class="xl-bt"' in raw
    listing = (www / "xwzx/ghxw/index.html").read_text(encoding="utf-8")
    assert '<div class="lb-row clearfix">' in listing and '<a href="index_1.html" class="fy-next">&gt;</a>' in listing
    script = (www / "xwzx/tzgg/index_1.html").read_text(encoding="utf-8")
    assert "var currentPage = 1;" in script and "var countPage = 2;" in script


# ---------------------------------------------------------------- the drill

def guessed(drill: Drill, crawl: Crawl) -> list[str]:
    """Paths the crawl asked for that answered 404 although no page links them (URLs made up
    from fragments of the pages, e.g. of a pager script)."""
    linked_404 = {url.removeprefix(drill.origin) for url in drill.truth["not_found"]}
    return sorted({r.path for r in crawl.requests if r.status == 404 and r.path not in linked_404})


def test_a_the_profiled_site_is_archived_exactly(drill: Drill) -> None:
    before = drill.before
    assert before.result.returncode == 0, before.result.stderr
    assert set(before.rows) == {a["url"] for a in drill.old}
    assert mismatches(before.rows, drill.old) == {}
    print(f"\nredesign drill a) before: {len(before.rows)} articles archived, "
          f"{exact_fields(before.rows, drill.old)}/{len(drill.old) * len(FIELDS)} fields exact; "
          f"{before.result.stdout.strip()}")


def test_b_after_the_redesign_the_incremental_crawl_archives_every_new_article_and_exits_3(drill: Drill) -> None:
    after = drill.after
    found = sum(a["url"] in after.rows for a in drill.new)
    print(f"\nredesign drill b) incremental: exit {after.result.returncode}; new articles found {found}/{len(drill.new)}, "
          f"fields exact {exact_fields(after.rows, drill.new)}/{len(drill.new) * len(FIELDS)}; "
          f"{after.result.stdout.strip()}\n  warning: {after.warning or after.result.stderr.strip()}\n"
          f"  drift: {after.run.get('drift')}")
    drift = json.loads(after.run.get("drift") or "{}").get(PROFILE, {})
    problems = {  # every check, so one run names everything that is wrong
        "new articles not exact": mismatches(after.rows, drill.new),
        "old articles changed": [a["url"] for a in drill.old
                                 if record_of(after.rows.get(a["url"])) != record_of(drill.before.rows[a["url"]])],
        "archived but not articles": sorted(set(after.rows) - {a["url"] for a in drill.old + drill.new}),
        "made-up URLs requested (404)": guessed(drill, after),
        "exit status": [] if after.result.returncode == 3 else [after.result.returncode, after.result.stderr[-500:]],
        "summary": [] if f"new {len(drill.new)}," in after.result.stdout else [after.result.stdout],
        "selectors not named in the warning": [key for key in MISSED if key not in after.warning],
        "drift not recorded as missed on every page": {
            key: drift.get(key) for key in MISSED
            if not (drift.get(key) and drift[key][0] == drift[key][1] > 0)},
        "drift of other sites": sorted(set(json.loads(after.run.get("drift") or "{}")) - {PROFILE}),
    }
    assert {name: wrong for name, wrong in problems.items() if wrong} == {}
    assert drift["article.title"][1] >= len(drill.new)


def test_c_a_full_crawl_sees_every_old_article_again_and_changes_nothing(drill: Drill) -> None:
    after, full = drill.after, drill.full
    old = [a["url"] for a in drill.old]
    seen = [url for url in old if url in full.rows and full.rows[url]["last_seen_at"] > after.rows[url]["last_seen_at"]]
    changed = [url for url in old if url in full.rows and
               (record_of(full.rows[url]), full.rows[url]["content_hash"])
               != (record_of(after.rows[url]), after.rows[url]["content_hash"])]
    print(f"\nredesign drill c) full: exit {full.result.returncode}; old articles seen again {len(seen)}/{len(old)}, "
          f"changed {len(changed)}, revisions {after.revisions} -> {full.revisions}; {full.result.stdout.strip()}"
          f"\n  warning: {full.warning or full.result.stderr.strip()}")
    problems = {
        "old articles changed": {url: {name: (record_of(after.rows[url])[name], record_of(full.rows[url])[name])
                                       for name in FIELDS if record_of(after.rows[url])[name] != record_of(full.rows[url])[name]}
                                 for url in changed[:3]},
        "revisions recorded": full.revisions - after.revisions,
        "old articles not seen again": sorted(set(old) - set(seen))[:3],
        "not exact": mismatches(full.rows, drill.old + drill.new),
        "archived but not articles": sorted(set(full.rows) - set(after.rows) - {a["url"] for a in drill.new}),
        "made-up URLs requested (404)": guessed(drill, full),
        "exit status": [] if full.result.returncode == 3 else [full.result.returncode, full.result.stderr[-500:]],
        "summary": [] if "updated 0," in full.result.stdout else [full.result.stdout],
        "selectors not named in the warning": [key for key in MISSED if key not in full.warning],
    }
    assert {name: wrong for name, wrong in problems.items() if wrong} == {}
