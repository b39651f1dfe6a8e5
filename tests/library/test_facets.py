"""Facet counts kept by triggers (archive/facets.py): always what a GROUP BY over the articles
gives, whoever writes the archive and however, and rebuilt when an archive from before them is
opened."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from archive import facets
from archive.db import MIGRATIONS, open_archive


def kept(db, filters: dict | None = None) -> dict[str, dict]:
    """Every facet's kept counts (and the kept total) for `filters`."""
    found = {name: dict(facets.counts(db.conn, name, 10_000, filters)) for name in facets.FACETS}
    return {**found, "*": facets.total(db.conn, filters)}


def counted(db, filters: dict | None = None) -> dict[str, dict]:
    """Ground truth: the GROUP BY Datasette's column facet runs over the filtered articles."""
    where = "".join(f" AND {facets.FACETS[name]} = ?" for name in filters or {})
    params = list((filters or {}).values())
    truth = {}
    for name, sql in facets.FACETS.items():
        truth[name] = dict(db.execute(
            f"SELECT {sql}, count(*) FROM articles WHERE {sql} IS NOT NULL{where} GROUP BY 1", params).fetchall())
    truth["*"] = db.execute(f"SELECT count(*) FROM articles WHERE 1{where}", params).fetchone()[0]
    return truth


def some_filters(db) -> list[dict]:
    """The whole archive, one value of each facet, and pairs of them."""
    row = db.execute('SELECT site, "column", source, substr(published_at, 1, 4), substr(published_at, 1, 7) '
                     "FROM articles WHERE source IS NOT NULL ORDER BY id DESC LIMIT 1").fetchone()
    one = dict(zip(facets.FACETS, row))
    return [{}, *({name: value} for name, value in one.items()),
            {"column": one["column"], "year": one["year"]}, {"site": one["site"], "source": one["source"]}]


@pytest.fixture
def db(replica_archive: Path, tmp_path: Path):
    copy = tmp_path / "archive.db"
    shutil.copyfile(replica_archive, copy)
    db = open_archive(copy)
    db.execute("PRAGMA foreign_keys = OFF")  # deleting articles that have files and revisions
    return db


def test_a_crawled_archive_keeps_every_facet_count_for_any_equality_filters(db) -> None:
    for filters in some_filters(db):
        assert kept(db, filters) == counted(db, filters), filters
    assert all(kept(db)[name] for name in facets.FACETS)


def test_null_and_empty_values_are_kept_apart(db) -> None:
    db.execute("UPDATE articles SET source = '' WHERE id % 4 = 0")
    db.execute("UPDATE articles SET source = NULL WHERE id % 4 = 1")
    assert kept(db)["source"][""] == counted(db)["source"][""]
    assert kept(db) == counted(db)


def test_counts_follow_inserts_updates_and_deletes_made_with_plain_sql(db) -> None:
    conn: sqlite3.Connection = db.conn
    conn.execute("INSERT INTO articles(url, title, body, site, \"column\", source, published_at) "
                 "VALUES ('http://x/1.html', '新', '正文', '新站', '新栏目', '新来源', '1999-12-31')")
    conn.execute("UPDATE articles SET source = NULL, published_at = '2001-02-03T10:00:00+08:00' "
                 "WHERE id = (SELECT min(id) FROM articles)")
    conn.execute("UPDATE articles SET \"column\" = '另一栏目' WHERE id % 7 = 0")
    conn.execute("UPDATE articles SET title = title || '（更新）' WHERE id % 5 = 0")  # no facet changes
    conn.execute("DELETE FROM articles WHERE id % 11 = 0")
    conn.execute("DELETE FROM articles WHERE url = 'http://x/1.html'")
    for filters in some_filters(db) + [{"year": "2001"}, {"column": "另一栏目"}]:
        assert kept(db, filters) == counted(db, filters), filters
    assert "新站" not in kept(db)["site"] and "1999" not in kept(db)["year"]
    assert kept(db)["year"]["2001"] >= 1 and kept(db)["month"]["2001-02"] >= 1


def test_a_value_is_gone_once_its_last_article_is(db) -> None:
    value, = db.execute("SELECT source FROM articles WHERE source IS NOT NULL "
                        "GROUP BY source ORDER BY count(*) LIMIT 1").fetchone()
    db.execute("DELETE FROM articles WHERE source = ?", [value])
    assert value not in kept(db)["source"] and value not in facets.values(db.conn, "source")
    for table in (facets.TABLE, facets.VALUES_TABLE):
        assert db.execute(f"SELECT count(*) FROM {table} WHERE count <= 0").fetchone()[0] == 0
    assert kept(db) == counted(db)


def test_counts_ordered_as_datasette_orders_a_facet(db) -> None:
    rows = facets.counts(db.conn, "column", 3)
    assert len(rows) == 3
    assert rows == sorted(rows, key=lambda row: (-row[1], row[0]))
    assert facets.total(db.conn) == db.execute("SELECT count(*) FROM articles").fetchone()[0]
    with pytest.raises(ValueError):
        facets.counts(db.conn, "body", 3)


def test_an_archive_from_before_the_counts_gets_them_on_open(db, tmp_path: Path) -> None:
    db.execute(f"DROP TABLE {facets.TABLE}")
    db.execute(f"DROP TABLE {facets.VALUES_TABLE}")
    for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE ?",
                              [f"{facets.TABLE}%"]).fetchall():
        db.execute(f"DROP TRIGGER {name}")
    before = [step.__name__ for step in MIGRATIONS].index("_facet_counts_v11")
    db.execute(f"PRAGMA user_version = {before}")
    path = tmp_path / "archive.db"
    db.conn.close()
    reopened = open_archive(path)
    for filters in some_filters(reopened):
        assert kept(reopened, filters) == counted(reopened, filters)

