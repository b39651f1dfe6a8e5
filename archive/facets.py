"""Facet counts of the articles, kept by triggers: Datasette's list pages without counting rows.

Datasette counts a facet with a GROUP BY over every row the page shows. On the articles list
(five facets: site, column, source, year, month) that is five walks of a million index entries
on a province's archive, about 250 ms a page, and over a second once a column is chosen (each
of its articles' rows read for its site and source). Plain-SQL triggers on `articles` keep
instead how many articles have each combination of site, column, source, year and month
(`article_facets`: one upsert per article written); a page filtered on any of those five by
equality sums the few combinations that match, whatever the archive's size. Any other filter
(a search, a `_where`, a comparison) is counted by Datasette as before. The whole archive's
counts of each facet are also kept on their own (`article_facet_values`: facet, value, count;
the facet `*` counts the articles), so the unfiltered page reads a few hundred rows, not every
combination.

The pages check the kept counts against the row count Datasette has just made for the same
filters and count by SQL when they differ, so counts that drifted (an `INSERT OR REPLACE` from a
client without `recursive_triggers` deletes a row without its trigger) are never shown;
`recount` rebuilds them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping

import sqlite_utils

from archive.search import MONTH_SQL, YEAR_SQL

TABLE = "article_facets"  # one row per combination of the five facets' values
VALUES_TABLE = "article_facet_values"  # one row per facet and value
TOTAL = "*"  # the facet name (and value) of the row that counts every article
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
_NAMES = ", ".join(f'"{name}"' for name in FACETS)


def _of(row: str) -> list[str]:
    """The facets' expressions over a trigger's `new` or `old` row."""
    values = []
    for expression in FACETS.values():
        for column in _WATCHED:
            expression = expression.replace(column, f"{row}.{column}")
        values.append(expression)
    return values


def _key(values: list[str]) -> str:
    # A JSON array tells NULL from '' (a primary key cannot hold NULL, and '' is a value).
    return f"json_array({', '.join(values)})"


def _pairs(row: str) -> list[tuple[str, str]]:
    """(facet, value) SQL of each kept facet of a trigger's row, and of the total."""
    return [(f"'{TOTAL}'", f"'{TOTAL}'")] + [(f"'{name}'", value) for name, value in zip(FACETS, _of(row))]


def _add(row: str) -> str:
    values = _of(row)
    statements = [f"INSERT INTO {TABLE}(key, {_NAMES}, count) VALUES ({_key(values)}, {', '.join(values)}, 1) "
                  "ON CONFLICT(key) DO UPDATE SET count = count + 1;"]
    statements += [f"INSERT INTO {VALUES_TABLE}(facet, value, count) SELECT {facet}, {value}, 1 WHERE {value} "
                   "IS NOT NULL ON CONFLICT(facet, value) DO UPDATE SET count = count + 1;"
                   for facet, value in _pairs(row)]
    return "\n            ".join(statements)


def _remove(row: str) -> str:
    key = _key(_of(row))
    statements = [f"UPDATE {TABLE} SET count = count - 1 WHERE key = {key};",
                  f"DELETE FROM {TABLE} WHERE key = {key} AND count <= 0;"]
    for facet, value in _pairs(row):
        statements += [f"UPDATE {VALUES_TABLE} SET count = count - 1 WHERE facet = {facet} AND value = {value};",
                       f"DELETE FROM {VALUES_TABLE} WHERE facet = {facet} AND value = {value} AND count <= 0;"]
    return "\n            ".join(statements)


_CHANGED = " OR ".join(f"old.{c} IS NOT new.{c}" for c in _WATCHED)
_TRIGGERS = {
    f"{TABLE}_ai_v{_VERSION}": f"AFTER INSERT ON articles BEGIN\n            {_add('new')}\n        END",
    f"{TABLE}_ad_v{_VERSION}": f"AFTER DELETE ON articles BEGIN\n            {_remove('old')}\n        END",
    f"{TABLE}_au_v{_VERSION}": (
        f"AFTER UPDATE OF {', '.join(_WATCHED)} ON articles WHEN {_CHANGED} BEGIN\n"
        f"            {_remove('old')}\n            {_add('new')}\n        END"),
}


def create(db: sqlite_utils.Database) -> None:
    """Create the counts table and its triggers (idempotent), and count the articles once."""
    db.execute(f"CREATE TABLE IF NOT EXISTS {TABLE} (id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, "
               f"{_NAMES}, count INTEGER NOT NULL)")
    for name in FACETS:  # what a page filtered on that facet reads
        db.execute(f'CREATE INDEX IF NOT EXISTS idx_{TABLE}_{name} ON {TABLE}("{name}")')
    db.execute(f"CREATE TABLE IF NOT EXISTS {VALUES_TABLE} (facet TEXT NOT NULL, value TEXT NOT NULL, "
               "count INTEGER NOT NULL, PRIMARY KEY (facet, value)) WITHOUT ROWID")
    for name, body in _TRIGGERS.items():
        db.execute(f"CREATE TRIGGER IF NOT EXISTS {name} {body}")
    recount(db)


def recount(db: sqlite_utils.Database) -> None:
    """Count every combination again from the articles (one pass), then each facet's values."""
    expressions = list(FACETS.values())
    with db.atomic():
        db.execute(f"DELETE FROM {TABLE}")
        db.execute(f"DELETE FROM {VALUES_TABLE}")
        db.execute(f"INSERT INTO {TABLE}(key, {_NAMES}, count) SELECT {_key(expressions)}, "
                   f"{', '.join(expressions)}, count(*) FROM articles GROUP BY {', '.join(expressions)}")
        db.execute(f"INSERT INTO {VALUES_TABLE}(facet, value, count) "
                   f"SELECT '{TOTAL}', '{TOTAL}', sum(count) FROM {TABLE} HAVING sum(count) > 0")
        for name in FACETS:
            db.execute(f'INSERT INTO {VALUES_TABLE}(facet, value, count) SELECT \'{name}\', "{name}", sum(count) '
                       f'FROM {TABLE} WHERE "{name}" IS NOT NULL GROUP BY 2')


def _where(filters: Mapping[str, str]) -> tuple[str, list[str]]:
    """WHERE terms (empty or starting with AND) for equality filters on facets, and their values."""
    unknown = set(filters) - set(FACETS)
    if unknown:
        raise ValueError(f"not a kept facet: {', '.join(sorted(unknown))}")
    return "".join(f' AND "{name}" = ?' for name in filters), list(filters.values())


def counts(conn: sqlite3.Connection, facet: str, limit: int,
           filters: Mapping[str, str] | None = None) -> list[tuple[str, int]]:
    """The `limit` most frequent values of `facet` among the articles matching `filters`
    (facet -> value, all equal), with their counts, as Datasette orders them (most articles
    first, then by value)."""
    if facet not in FACETS:
        raise ValueError(f"not a kept facet: {facet}")
    if not filters:
        sql = f"SELECT value, count FROM {VALUES_TABLE} WHERE facet = ? ORDER BY count DESC, value LIMIT ?"
        return [tuple(row) for row in conn.execute(sql, [facet, limit]).fetchall()]
    where, params = _where(filters)
    sql = (f'SELECT "{facet}", sum(count) FROM {TABLE} WHERE "{facet}" IS NOT NULL{where} '
           "GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ?")
    return [tuple(row) for row in conn.execute(sql, params + [limit]).fetchall()]


def values(conn: sqlite3.Connection, facet: str) -> list[str]:
    """Every value `facet` has in the archive, in order (the search form's choices)."""
    if facet not in FACETS:
        raise ValueError(f"not a kept facet: {facet}")
    sql = f"SELECT value FROM {VALUES_TABLE} WHERE facet = ? ORDER BY value"
    return [row[0] for row in conn.execute(sql, [facet]).fetchall()]


def total(conn: sqlite3.Connection, filters: Mapping[str, str] | None = None) -> int:
    """How many articles match `filters` by the kept counts."""
    if not filters:
        row = conn.execute(f"SELECT count FROM {VALUES_TABLE} WHERE facet = ? AND value = ?", [TOTAL, TOTAL]).fetchone()
        return row[0] if row else 0
    where, params = _where(filters)
    return conn.execute(f"SELECT coalesce(sum(count), 0) FROM {TABLE} WHERE 1{where}", params).fetchone()[0]
