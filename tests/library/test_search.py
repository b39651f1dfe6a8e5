"""Chinese full-text search: the same articles as a LIKE scan, ranked, highlighted, never an error.

The archive is a real crawl of the replica site (310 articles) made once per test session.
"""

from __future__ import annotations

import json
import random
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archive import search
from archive.cli import cli
from archive.db import open_archive


@pytest.fixture
def db(replica_archive: Path):
    return open_archive(replica_archive)


def like_ids(db, query: str, extra: str = "", params: list | None = None) -> set[int]:
    """Ground truth: per word, title or body LIKE '%word%' (escaped); AND across words."""
    clauses, args = [], []
    for word in search.words(query):
        escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        clauses.append("(title LIKE ? ESCAPE '\\' OR body LIKE ? ESCAPE '\\')")
        args += [f"%{escaped}%"] * 2
    if not clauses:
        return set()
    sql = f"SELECT id FROM articles WHERE {' AND '.join(clauses)} {extra}"
    return {row[0] for row in db.execute(sql, args + (params or []))}


def found_ids(db, query: str, **filters) -> list[int]:
    return [hit.id for hit in search.search(db, query, limit=None, **filters)]


QUERIES = [
    # one character, common and rare
    "工", "会", "鑫", "，",
    # two characters: the words journalists type most, and a pair that crosses word boundaries
    "工会", "职工", "活动", "位工", "二十",
    # three and four characters, and longer phrases
    "安康杯", "职工之家", "省直机关", "深入学习贯彻", "为深入学习贯彻党的二十大精神",
    # mixed scripts, digits, ASCII case
    "2022年", "2023", "10月1日", "万余元", "APP", "app",
    # several words (AND) and quoted phrases
    "工会 职工", "安康杯 竞赛 省直", '"工会 职工"', '"为丰富职工"', "职工 鑫",
    # hostile input: syntax of FTS5, LIKE and SQL, unbalanced quotes, emoji, NUL, control chars
    '"', '""', "*", "工*", "OR", "工会 OR 职工", "-工会", "NOT 工会", "(工会", "工会)",
    "NEAR(工会 职工)", "title:工会", "{title}:工会", "%", "_", "%工%", "'; DROP TABLE articles; --",
    "😀", "工会😀", "^工会", "工会\n职工", "\\", "[工会]",
]


@pytest.mark.parametrize("query", QUERIES)
def test_results_are_exactly_the_like_set(db, query: str) -> None:
    expected = like_ids(db, query)
    assert sorted(found_ids(db, query)) == sorted(expected)
    assert search.count(db, query) == len(expected)  # the total the search page shows


def test_the_common_words_are_actually_found(db) -> None:
    """Guards the table above against comparing empty with empty."""
    total = db.execute("SELECT count(*) FROM articles").fetchone()[0]
    assert len(found_ids(db, "工会")) == total  # every replica article mentions the union
    assert 50 < len(found_ids(db, "2022年")) < total
    assert 0 < len(found_ids(db, "安康杯 竞赛 省直")) < len(found_ids(db, "安康杯"))
    assert found_ids(db, "位工") and found_ids(db, '"为丰富职工"')


def test_one_character_words_found_one_in_the_title_and_one_in_the_body(db) -> None:
    """Each article holds a title character that its body lacks (and the reverse): both single-
    character words must match it, as LIKE would, though they sit in different fields."""
    checked = 0
    for article_id, title, body in db.execute("SELECT id, title, body FROM articles LIMIT 40"):
        only_title = next((c for c in title if c not in body and not c.isspace()), None)
        only_body = next((c for c in body if c not in title and not c.isspace()), None)
        if only_title and only_body:
            query = f"{only_title} {only_body}"
            assert article_id in found_ids(db, query), query
            assert sorted(found_ids(db, query)) == sorted(like_ids(db, query))
            checked += 1
    assert checked >= 10


@pytest.mark.parametrize("query", ["\x00", "工\x00会", "\x01\x1f\x7f"])
def test_control_characters_match_what_the_text_holds(db, query: str) -> None:
    """No stored text has control characters; LIKE would stop reading its pattern at a NUL."""
    assert found_ids(db, query) == []


def test_a_10000_character_query_is_answered(db) -> None:
    body = db.execute("SELECT body FROM articles WHERE length(body) > 600 LIMIT 1").fetchone()[0]
    assert found_ids(db, "工" * 10_000) == []
    long_piece = body[:600].split("\n")[0]
    assert sorted(found_ids(db, f'"{long_piece}"')) == sorted(like_ids(db, f'"{long_piece}"'))


def test_random_pieces_of_articles_find_their_article(db) -> None:
    rng = random.Random(4)
    rows = db.execute("SELECT id, title, body FROM articles").fetchall()
    for _ in range(150):
        id_, title, body = rng.choice(rows)
        text = rng.choice([title, body])
        size = rng.randint(1, 8)
        start = rng.randrange(0, max(1, len(text) - size))
        piece = text[start : start + size].strip()
        if not piece or '"' in piece:
            continue
        query = f'"{piece}"'
        found = found_ids(db, query)
        assert id_ in found, query
        assert sorted(found) == sorted(like_ids(db, query)), query


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet="工会职之家安康杯2022年ab \"*-()OR:^，。\n😀", max_size=12))
def test_any_typed_text_gives_the_like_set_and_no_error(db, query: str) -> None:
    assert sorted(found_ids(db, query)) == sorted(like_ids(db, query))


def test_title_hits_rank_above_body_hits(db) -> None:
    hits = search.search(db, "工会", limit=None)
    in_title = ["工会" in hit.title for hit in hits]
    assert any(in_title) and not all(in_title)
    assert in_title == sorted(in_title, reverse=True)  # every title hit before every body hit


def test_rarer_words_rank_by_relevance_then_newest(db) -> None:
    hits = search.search(db, "安康杯", limit=None)
    body_only = [hit for hit in hits if "安康杯" not in hit.title]
    assert body_only, "need body hits to compare"
    counts = [
        db.execute("SELECT body FROM articles WHERE id = ?", [hit.id]).fetchone()[0].count("安康杯")
        for hit in body_only
    ]
    # bm25: an article naming the word several times is not ranked under one naming it once
    assert max(counts) > 1 and counts[0] >= counts[-1]


def test_snippet_and_title_highlight_the_words(db) -> None:
    for hit in search.search(db, "职工 安康杯", limit=10):
        assert hit.highlights, hit
        for start, end in hit.highlights:
            assert hit.snippet[start:end] in ("职工", "安康杯")
        for start, end in hit.title_highlights:
            assert hit.title[start:end] in ("职工", "安康杯")
        assert "\n" not in hit.snippet and len(hit.snippet) <= search.SNIPPET_WIDTH + 2


def test_latin_letters_fold_case_like_like_does(tmp_path: Path) -> None:
    db = open_archive(tmp_path / "a.db")
    db["articles"].insert_all([
        {"url": "u1", "title": "职工APP上线", "body": "扫码下载Wi-Fi助手"},
        {"url": "u2", "title": "Ä与ä", "body": "ÄPP不是app"},
    ])
    search.sync(db)
    for query in ["app", "APP", "App", "wi-fi", "WI-FI", "i-f", "Ä", "ä", "äpp", "ÄPP"]:
        assert sorted(found_ids(db, query)) == sorted(like_ids(db, query)), query
    hit = search.search(db, "App")[0]
    assert [hit.title[s:e] for s, e in hit.title_highlights] == ["APP"]


def test_filters_equal_the_filtered_like_set(db) -> None:
    column, source = "通知公告", "四川省直属机关工会委员会"
    assert sorted(found_ids(db, "工会", columns=[column])) == sorted(
        like_ids(db, "工会", 'AND "column" = ?', [column])
    )
    assert sorted(found_ids(db, "职工", sources=[source])) == sorted(
        like_ids(db, "职工", "AND source = ?", [source])
    )
    dated = "AND substr(published_at, 1, 10) BETWEEN ? AND ?"
    assert sorted(found_ids(db, "职工", since="2022-03", until="2022-12")) == sorted(
        like_ids(db, "职工", dated, ["2022-03-00", "2022-12-99"])
    )
    assert sorted(found_ids(db, "会", since="2023")) == sorted(
        like_ids(db, "会", "AND published_at >= '2023'")
    )
    assert found_ids(db, "工会", since="2023-01-18", until="2023-01-18")


def test_filters_follow_an_article_moved_to_another_column_or_source(replica_archive: Path, tmp_path: Path) -> None:
    """Column, source and site filters are terms of the index: an article whose column changes
    is found under its new column and no longer under its old one, for words of one and more
    characters, in the title tier and the body tier alike."""
    with sqlite3.connect(replica_archive) as source, sqlite3.connect(tmp_path / "a.db") as copy:
        source.backup(copy)
    db = open_archive(tmp_path / "a.db")
    article_id, old_column, title = db.execute(
        "SELECT id, \"column\", title FROM articles WHERE title LIKE '%工会%' ORDER BY id LIMIT 1").fetchone()
    db.execute("UPDATE articles SET \"column\" = '改版后的栏目', source = '新来源 \"OR\" *' WHERE id = ?", [article_id])
    search.sync(db)
    for query in ("工会", "会", title):
        assert found_ids(db, query, columns=["改版后的栏目"]) == [article_id]
        assert article_id not in found_ids(db, query, columns=[old_column])
        assert found_ids(db, query, sources=['新来源 "OR" *']) == [article_id]
        assert search.count(db, query, columns=["改版后的栏目", old_column]) == len(
            like_ids(db, query, 'AND "column" IN (?, ?)', ["改版后的栏目", old_column]))
    assert found_ids(db, "工会", columns=['" OR "', "*"], sources=["{tags}:"]) == []


def test_site_filter_equals_the_filtered_like_set(replica_archive: Path, tmp_path: Path) -> None:
    with sqlite3.connect(replica_archive) as source, sqlite3.connect(tmp_path / "a.db") as copy:
        source.backup(copy)
    db = open_archive(tmp_path / "a.db")
    db.execute("UPDATE articles SET site = 'cdzgh' WHERE id % 3 = 0")  # two sites in one archive
    search.sync(db)  # as the crawl does after its writes, and every open of the archive
    both = {"sites": ["cdzgh"], "columns": ["通知公告"]}
    expected = like_ids(db, "工会", 'AND site = ? AND "column" = ?', ["cdzgh", "通知公告"])
    assert sorted(found_ids(db, "工会", **both)) == sorted(expected) and expected
    assert search.count(db, "工会", **both) == len(expected)


def test_a_capped_count_is_exact_below_the_cap_and_one_more_above(db) -> None:
    for query in ("职工", "安康杯", "鸬", "职工 书屋", "没有这个词"):
        total = search.count(db, query)
        for cap in (0, 1, total - 1, total, total + 5):
            if cap >= 0:
                assert search.count(db, query, at_most=cap) == min(total, cap + 1)
    assert search.count(db, "职工", columns=["通知公告"], at_most=3) == 4


def test_a_bad_date_is_one_clear_error(db) -> None:
    with pytest.raises(search.SearchError, match="--since must be a date"):
        search.search(db, "工会", since="last week")


def test_limit_and_offset_page_through_the_ranking(db) -> None:
    everything = found_ids(db, "职工")
    pages = [hit.id for page in range(3) for hit in search.search(db, "职工", limit=7, offset=7 * page)]
    assert pages == everything[:21]


def test_index_follows_every_kind_of_write(tmp_path: Path) -> None:
    """Triggers queue changes made by any SQLite client; the archive's next open indexes them."""
    path = tmp_path / "a.db"
    db = open_archive(path)
    db["articles"].insert_all(
        [
            {"url": "u1", "title": "职工书屋开放", "body": "第一段\n第二段", "published_at": "2023-01-18"},
            {"url": "u2", "title": "其他", "body": "工会之家", "published_at": "2022-05-01"},
        ]
    )
    search.sync(db)
    assert found_ids(db, "书屋") == [1] and found_ids(db, "工会") == [2]
    with sqlite3.connect(path) as conn:  # a plain client, no unionnews functions registered
        conn.execute("UPDATE articles SET title = '乱码', published_at = '2024-02-02' WHERE id = 1")
        conn.execute("DELETE FROM articles WHERE id = 2")
        conn.execute("INSERT INTO articles (url, title, body) VALUES ('u3', '新文章', '工会活动')")
    db = open_archive(path)
    new_id = db.execute("SELECT id FROM articles WHERE url = 'u3'").fetchone()[0]
    assert found_ids(db, "书屋") == [] and found_ids(db, "乱码") == [1]
    assert found_ids(db, "工会") == [new_id] and found_ids(db, "第二") == [1]
    assert found_ids(db, "乱码", since="2024-02-02") == [1]
    db["articles"].upsert({"url": "u3", "title": "改过的", "body": "职工"}, pk="url")
    db["articles"].insert({"id": 1, "url": "u1", "title": "替换", "body": "x"}, replace=True)
    search.sync(db)
    assert found_ids(db, "工会") == [] and found_ids(db, "职工") == [new_id]
    assert found_ids(db, "乱码") == [] and found_ids(db, "替换") == [1]
    search.rebuild(db)
    assert found_ids(db, "职工") == [new_id] and found_ids(db, "x") == [1]


# ---------------------------------------------------------------------------------------------
# unionnews search


def test_the_index_a_crawl_keeps_is_the_index_a_rebuild_makes(replica_archive: Path, tmp_path: Path) -> None:
    """The crawl's writer indexes each batch's new articles together (search.sync); a rebuild
    (search._fill) indexes every article from scratch: the same keys, the same ranked hits."""
    kept = open_archive(replica_archive)
    with sqlite3.connect(tmp_path / "rebuilt.db") as copy:
        kept.conn.backup(copy)
    rebuilt = open_archive(tmp_path / "rebuilt.db")
    search.rebuild(rebuilt)
    keys = "SELECT article_id, key FROM articles_fts_keys ORDER BY article_id"
    assert kept.execute(keys).fetchall() == rebuilt.execute(keys).fetchall()
    for query in ["工", "工会", "职工之家", "安康杯 竞赛", "2023", "app", '"为丰富职工"']:
        assert found_ids(kept, query) == found_ids(rebuilt, query), query


def run(*args: str, color: bool = False):
    return CliRunner().invoke(cli, ["search", *args], color=color)


def test_rebuilding_an_older_index_says_so_once(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "a.db"
    db = open_archive(path)
    db["articles"].insert_all([{"url": f"u{i}", "title": "标题", "body": "工会正文"} for i in range(3)])
    db.execute(f"DROP TRIGGER {search.INDEX_TABLE}_ai_v{search.INDEX_VERSION}")  # as an earlier version left it
    with caplog.at_level("WARNING", logger="archive.search"):
        db = open_archive(path)
        open_archive(path)
    assert [r.getMessage() for r in caplog.records if r.name == "archive.search"] == [
        "unionnews: building the search index of 3 articles (once, for this version of the index; "
        "about a minute per 100,000 articles)"]
    assert search.count(db, "工会") == 3


def test_an_older_archive_gets_the_current_list_view_and_facet_indexes_on_open(tmp_path: Path) -> None:
    """Datasette's facets count from indexes, not by reading every article, after an upgrade."""
    path = tmp_path / "a.db"
    db = open_archive(path)
    db["articles"].insert({"url": "u1", "title": "标题", "body": "正文", "site": "cdzgh"})
    with sqlite3.connect(path) as conn:  # as an earlier unionnews left it
        conn.execute("DROP VIEW articles_list")
        conn.execute("CREATE VIEW articles_list AS SELECT title, body AS excerpt FROM articles")
        conn.execute("DROP INDEX idx_articles_list_site")
        conn.execute("DROP INDEX idx_articles_list_month")
        conn.execute("CREATE INDEX idx_articles_search_site ON articles (site)")  # a version's own
    db = open_archive(path)
    assert db.execute("SELECT site, excerpt FROM articles_list").fetchall() == [("cdzgh", "正文")]
    for facet, index in (("site", "idx_articles_list_site"), ("month", "idx_articles_list_month")):
        sql = f"EXPLAIN QUERY PLAN SELECT {facet}, count(*) FROM articles_list GROUP BY {facet}"
        assert f"INDEX {index}" in db.execute(sql).fetchall()[-1][-1]
        sql = f"EXPLAIN QUERY PLAN SELECT * FROM articles_list WHERE {facet} = 'x' ORDER BY published_at DESC LIMIT 51"
        assert [step[-1].split(" (")[0] for step in db.execute(sql).fetchall()] == [f"SEARCH articles USING INDEX {index}"]
    assert "idx_articles_search_site" not in {index.name for index in db["articles"].indexes}


def test_cli_prints_ranked_highlighted_results(replica_archive: Path) -> None:
    result = run("--db", str(replica_archive), "--limit", "3", "安康杯", color=True)
    assert result.exit_code == 0, result.output
    assert result.output.count("http://127.0.0.1:") == 3
    assert "\x1b[31m\x1b[1m安康杯\x1b[0m" in result.output  # the word itself is highlighted
    plain = run("--db", str(replica_archive), "--limit", "3", "安康杯")
    assert "安康杯" in plain.output and "\x1b[" not in plain.output
    total = like_ids(open_archive(replica_archive), "安康杯")
    assert f"{len(total)} articles match; the best 3 are shown" in plain.output


def test_cli_filters_by_site(replica_archive: Path) -> None:
    site = run("--db", str(replica_archive), "--json", "--site", "scszjggh", "安康杯")
    assert len(json.loads(site.output)) == 20 and {h["site"] for h in json.loads(site.output)} == {"scszjggh"}
    assert json.loads(run("--db", str(replica_archive), "--json", "--site", "cdzgh", "安康杯").output) == []


def test_cli_json_matches_the_library(replica_archive: Path, db) -> None:
    result = run("--db", str(replica_archive), "--json", "--column", "工会新闻", "职工 活动")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    expected = search.search(db, "职工 活动", columns=["工会新闻"])
    assert [item["url"] for item in data] == [hit.url for hit in expected]
    assert {"url", "title", "published_at", "snippet"} <= set(data[0])


def test_cli_json_prints_an_empty_list_when_nothing_matches(replica_archive: Path) -> None:
    result = run("--db", str(replica_archive), "--json", "没有这样的词语")
    assert (result.exit_code, result.output.strip()) == (0, "[]")


def test_cli_query_starting_with_a_dash_after_double_dash(replica_archive: Path, db) -> None:
    result = run("--db", str(replica_archive), "--json", "--limit", "500", "--", "-1")
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.output)) == len(like_ids(db, "-1"))


@pytest.mark.parametrize(
    "args, message",
    [
        (["--since", "yesterday", "工会"], "--since must be a date"),
        (["--until", "2023-13-45x", "工会"], "--until must be a date"),
    ],
)
def test_cli_bad_input_is_one_line(replica_archive: Path, args: list[str], message: str) -> None:
    result = run("--db", str(replica_archive), *args)
    assert result.exit_code == 2 and message in result.output
    assert "Traceback" not in result.output


def test_cli_missing_archive(tmp_path: Path) -> None:
    result = run("--db", str(tmp_path / "none.db"), "工会")
    assert result.exit_code == 2 and "no archive at" in result.output
    assert not (tmp_path / "none.db").exists()


# ---------------------------------------------------------------------------------------------
# Following a search (issue 14): newest first, every hit in chunks, what is new since last asked


@pytest.mark.parametrize("query", ["职工", "工", "安康杯 竞赛", '"', "'; DROP TABLE articles; --"])
def test_newest_is_the_like_set_newest_archived_first(db, query: str) -> None:
    expected = like_ids(db, query, "ORDER BY first_seen_at DESC, id DESC")
    hits = search.newest(db, query, limit=None)
    assert {hit.id for hit in hits} == expected
    order = [(hit.first_seen_at, hit.id) for hit in hits]
    assert order == sorted(order, reverse=True)
    assert [hit.id for hit in search.newest(db, query)] == [hit.id for hit in hits][: search.FEED_SIZE]


def test_newest_keeps_the_filters_and_the_id_range(db) -> None:
    ids = {hit.id for hit in search.newest(db, "职工", columns=["通知公告"], since="2022", limit=None)}
    assert ids == like_ids(db, "职工", "AND \"column\" = '通知公告' AND published_at >= '2022'")
    middle = sorted(ids)[len(ids) // 2]
    above = search.newest(db, "职工", columns=["通知公告"], since="2022", after_id=middle, limit=None)
    assert {hit.id for hit in above} == {i for i in ids if i > middle}
    upto = search.newest(db, "职工", columns=["通知公告"], since="2022", up_to_id=middle, limit=None)
    assert {hit.id for hit in upto} == {i for i in ids if i <= middle}


def test_ranked_keys_and_hits_for_give_every_hit_in_search_order(db) -> None:
    everything = search.search(db, "职工", limit=None)
    keys = search.ranked_keys(db, "职工")
    chunks = [hit for start in range(0, len(keys), 7) for hit in search.hits_for(db, keys[start : start + 7], "职工")]
    assert [hit.to_dict() for hit in chunks] == [hit.to_dict() for hit in everything]
    assert search.ranked_keys(db, "职工", limit=5, offset=3) == keys[3:8]


def test_query_key_ignores_spacing_order_and_repeats_but_not_filters() -> None:
    assert search.query_key("职工 工会") == search.query_key(" 工会  职工 工会")
    assert search.query_key("职工", columns=["a", "b"]) == search.query_key("职工", columns=["b", "a", "a"])
    assert search.query_key('"工会 职工"') != search.query_key("工会 职工")
    assert search.query_key("职工") != search.query_key("职工", since="2023")


def test_new_matches_moves_its_mark_and_fails_before_recording_a_bad_date(replica_archive, tmp_path) -> None:
    copy = tmp_path / "copy.db"
    with sqlite3.connect(replica_archive) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    archive = open_archive(copy)
    first = search.new_matches(archive, "职工", now="2026-01-01T00:00:00Z")
    assert first.first_time and first.last_asked_at is None
    assert {hit.id for hit in first.hits} == like_ids(archive, "职工")
    again = search.new_matches(archive, "职工", now="2026-01-02T00:00:00Z")
    assert again.hits == [] and not again.first_time and again.last_asked_at == "2026-01-01T00:00:00Z"
    # a new matching article (as a crawl writes it) is all the next call returns
    archive["articles"].insert({"url": "http://example.test/new.html", "title": "职工书屋新开放",
                                "body": "全体职工可借阅。", "published_at": "2026-01-02",
                                "first_seen_at": "2026-01-02T10:00:00Z"})
    search.sync(archive)
    third = search.new_matches(archive, "职工", now="2026-01-03T00:00:00Z")
    assert [hit.url for hit in third.hits] == ["http://example.test/new.html"]
    with pytest.raises(search.SearchError):
        search.new_matches(archive, "职工", since="2026-13")
    assert archive.execute("SELECT count(*) FROM search_marks").fetchone()[0] == 1


def test_new_matches_leaves_an_article_not_yet_indexed_for_the_next_call(replica_archive, tmp_path) -> None:
    copy = tmp_path / "copy.db"
    with sqlite3.connect(replica_archive) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    archive = open_archive(copy)
    search.new_matches(archive, "职工")
    archive["articles"].insert({"url": "http://example.test/queued.html", "title": "职工之家", "body": "职工",
                                "first_seen_at": "2026-01-02T10:00:00Z"})  # queued, not synced yet
    assert search.new_matches(archive, "职工").hits == []
    search.sync(archive)
    assert [hit.url for hit in search.new_matches(archive, "职工").hits] == ["http://example.test/queued.html"]
