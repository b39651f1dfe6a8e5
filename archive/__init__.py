"""The archive: SQLite schema, Chinese search, Datasette publishing and the unionnews CLI."""
