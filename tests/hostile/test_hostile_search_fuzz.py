"""Search input: random strings with FTS5 operators, quotes, NUL, markup and very long runs,
typed into `unionnews search` and the Datasette search page, over the hostile archive (whose
articles are full of <script>, quotes and entities). Never an error, never a wrong result set:
each answer is compared with a plain substring check of every archived article."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from urllib.parse import quote

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archive.cli import cli

#: Pieces that mean something to FTS5, SQL, LIKE, HTML or a shell, and words the archive holds.
PIECES = ['"', "'", "*", "-", "+", "^", "(", ")", ":", "{", "}", "[", "]", ",", ".", "%", "_", "\\", ";",
          "OR", "AND", "NOT", "NEAR", "NEAR(", "title:", "body:", "^工", "工*", "-工", "--", "/*", "*/",
          "<script>", "</td>", "&lt;", "&amp;", "\x00", "\u3000", " ", "  ", "\t", "\n",
          "职工", "工会", "工", "会", "书屋", "alert(1)", "onerror", "pwned", "PWNED", "Script", "2023",
          "\ud800", "é", "ß", "Σ", "🙂"]
QUERIES = st.one_of(
    st.lists(st.sampled_from(PIECES), min_size=1, max_size=8).map("".join),
    st.lists(st.sampled_from(PIECES), min_size=1, max_size=4).map(" ".join),
    st.text(max_size=30),
    st.builds(lambda piece, n: piece * n, st.sampled_from(PIECES), st.integers(1000, 20_000)),
)
#: An ASCII-only case fold, as SQLite's LIKE folds (the search's documented semantics).
_ASCII_LOWER = {c: c + 32 for c in range(ord("A"), ord("Z") + 1)}


def words(query: str) -> list[str]:
    """The words a query asks for, by the documented rule: whitespace separates words, text in
    double quotes is one word (an unclosed quote runs to the end), nothing else is syntax."""
    found: list[str] = []
    for index, part in enumerate(query.split('"')):
        found.extend([part] if index % 2 else part.split())
    return [w for w in found if w]


def expected(articles: list[tuple[str, str, str]], query: str) -> set[str]:
    """URLs of the articles whose title or body holds every word of the query."""
    wanted = [w.translate(_ASCII_LOWER) for w in words(query)]
    if not wanted or any(_unencodable(w) for w in wanted):
        return set()
    return {url for url, title, body in articles
            if all(w in title.translate(_ASCII_LOWER) or w in body.translate(_ASCII_LOWER) for w in wanted)}


def _unencodable(word: str) -> bool:
    try:
        word.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


@pytest.fixture(scope="module")
def corpus(hostile_archive):
    from archive.serve import make_datasette

    with sqlite3.connect(hostile_archive.db) as conn:
        rows = conn.execute("select url, title, body from articles").fetchall()
    return hostile_archive.db, rows, make_datasette(hostile_archive.db)


FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                         HealthCheck.too_slow])


@FUZZ
@given(QUERIES)
def test_the_search_command_answers_any_query_exactly(corpus, query: str) -> None:
    db, rows, _ = corpus
    result = CliRunner().invoke(cli, ["search", "--db", str(db), "--json", "--limit", "1000", "--", query])
    assert result.exit_code == 0, (query[:80], result.output[-500:], result.exception)
    hits = json.loads(result.output)
    assert {hit["url"] for hit in hits} == expected(rows, query), query[:80]
    assert len(hits) == len({hit["url"] for hit in hits})


@FUZZ
@given(QUERIES)
def test_the_search_page_answers_any_query_exactly(corpus, query: str) -> None:
    _, rows, ds = corpus
    query = query[:5000]  # a URL holds 64 KB at most, and a Chinese character takes 9 bytes of it
    typed = quote(query.encode("utf-8", "surrogatepass"), safe="")  # a lone surrogate: bad UTF-8
    data = asyncio.run(ds.client.get("/archive/search.json?_shape=array&q=" + typed))
    assert data.status_code == 200, (query[:80], data.text[:300])
    assert {hit["url"] for hit in data.json()} == expected(rows, query), query[:80]
    page = asyncio.run(ds.client.get("/archive/search?q=" + typed))
    assert page.status_code == 200 and "<script>alert" not in page.text


def test_the_oracle_is_not_trivial(corpus) -> None:
    """The comparison above means something: queries that match some, all and none."""
    _, rows, _ = corpus
    assert 0 < len(expected(rows, "<script>")) < len(rows)
    assert expected(rows, "工会") and not expected(rows, "工会 pwned-nothing")
    assert expected(rows, '"</td></tr>"') == expected(rows, "</td></tr>") != set()
