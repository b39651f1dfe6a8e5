"""Facet counts of the articles, kept by triggers: Datasette's list pages without counting rows.

Datasette counts a facet with a GROUP BY over every row the page shows. On the articles list
(five facets: site, column, source, year, month) that is five walks of a million index entries
on a province's archive, about 250 ms a page. The whole archive's counts change only when an
article is written, so plain-SQL triggers on `articles` keep them in `article_facets` (facet,
value, count): one small upsert per facet and article, and the unfiltered page reads a few
hundred rows. A filtered page (a column, a year, a search) is counted by Datasette as before.

The table also keeps the number of articles (facet '*'): the page compares it with the count
Datasette has just made, and counts by SQL when they differ, so counts that drifted (an
`INSERT OR REPLACE` from a client without `recursive_triggers` deletes a row without its
trigger) are never shown; `recount` rebuilds them.
"""

from __future__ import annotations

import sqlite3

import sqlite_utils

from archive.search import MONTH_SQL, YEAR_SQL

TABLE = "article_facets"
TOTAL = "*"  # the facet name of the row that counts the articles
#: Facet name (a column of `articles` or of the articles_list view) -> its SQL over `articles`.
FACETS: dict[str, str] = {
    "site": "site",
    "column": '"column"',
    "source": "source",
    "year": YEAR_SQL,
    "month": MONTH_SQL,
}
_VERSION = 1
_WATCHED = ("site", '"column"', "source", "published_at")


def _of(row: str, expression: str) -> str:
    """`expression` over `articles` rewritten for a trigger's `new` or `old` row."""
    for column in _WATCHED:
        expression = expression.replace(column, f"{row}.{column}")
    return expression


def _add(row: str, step: int) -> str:
    """Statements adding `step` to the counts of every facet value of the trigger's `row`."""
    parts = [(f"'{TOTAL}'", f"'{TOTAL}'")] + [(f"'{name}'", _of(row, sql)) for name, sql in FACETS.items()]
    statements = []
    for facet, value in parts:
        if step > 0:
            statements.append(
                f"INSERT INTO {TABLE}(facet, value, count) SELECT {facet}, {value}, 1 "
                f"WHERE {value} IS NOT NULL ON CONFLICT(facet, value) DO UPDATE SET count = count + 1;")
        else:
            statements.append(
                f"UPDATE {TABLE} SET count = count - 1 WHERE facet = {facet} AND value = {value};")
            statements.append(
                f"DELETE FROM {TABLE} WHERE facet = {facet} AND value = {value} AND count <= 0;")
    return "\n            ".join(statements)


_CHANGED = " OR ".join(f"old.{c} IS NOT new.{c}" for c in _WATCHED)
_TRIGGERS = {
    f"{TABLE}_ai_v{_VERSION}": f"AFTER INSERT ON articles BEGIN\n            {_add('new', 1)}\n        END",
    f"{TABLE}_ad_v{_VERSION}": f"AFTER DELETE ON articles BEGIN\n            {_add('old', -1)}\n        END",
    f"{TABLE}_au_v{_VERSION}": (
        f"AFTER UPDATE OF {', '.join(_WATCHED)} ON articles WHEN {_CHANGED} BEGIN\n"
        f"            {_add('old', -1)}\n            {_add('new', 1)}\n        END"),
}


def create(db: sqlite_utils.Database) -> None:
    """Create the counts table and its triggers (idempotent), and count the articles once."""
    db.execute(f"CREATE TABLE IF NOT EXISTS {TABLE} (facet TEXT NOT NULL, value TEXT NOT NULL, "
               "count INTEGER NOT NULL, PRIMARY KEY (facet, value)) WITHOUT ROWID")
    for name, body in _TRIGGERS.items():
        db.execute(f"CREATE TRIGGER IF NOT EXISTS {name} {body}")
    recount(db)


def recount(db: sqlite_utils.Database) -> None:
    """Count every facet again from the articles (one pass per facet, over its index)."""
    with db.atomic():
        db.execute(f"DELETE FROM {TABLE}")
        db.execute(f"INSERT INTO {TABLE}(facet, value, count) "
                   f"SELECT '{TOTAL}', '{TOTAL}', count(*) FROM articles")
        for name, sql in FACETS.items():
            db.execute(f"INSERT INTO {TABLE}(facet, value, count) SELECT '{name}', {sql}, count(*) "
                       f"FROM articles WHERE {sql} IS NOT NULL GROUP BY {sql}")


def counts(conn: sqlite3.Connection, facet: str, limit: int) -> list[tuple[str, int]]:
    """The `limit` most frequent values of `facet` with their counts, as Datasette orders them
    (most articles first, then by value)."""
    sql = f"SELECT value, count FROM {TABLE} WHERE facet = ? ORDER BY count DESC, value LIMIT ?"
    return [tuple(row) for row in conn.execute(sql, [facet, limit]).fetchall()]


def values(conn: sqlite3.Connection, facet: str) -> list[str]:
    """Every value `facet` has in the archive, in order (the search form's choices)."""
    sql = f"SELECT value FROM {TABLE} WHERE facet = ? ORDER BY value"
    return [row[0] for row in conn.execute(sql, [facet]).fetchall()]


def total(conn: sqlite3.Connection) -> int | None:
    """How many articles the counts were kept for (None when the table is empty)."""
    row = conn.execute(f"SELECT count FROM {TABLE} WHERE facet = ? AND value = ?", [TOTAL, TOTAL]).fetchone()
    return row[0] if row else None
