"""Datasette plugin: `unionnews_diff(old, new)` for the article_history canned query.

The function lives in archive.history (tested there); this file only puts its
`prepare_connection` hook in the folder Datasette loads plugins from.
"""

from archive.history import prepare_connection  # noqa: F401 (a hookimpl, found by Datasette)
