"""An article's history: every version the archive kept, and a readable diff between them.

Government sites edit pages quietly; the archive keeps each earlier version in `revisions`
(title, body, when it was seen, its WARC record). This module turns that into what a reader
wants to see: the versions in order and, for each change, which paragraphs were removed,
added or edited, with the edited words marked inside the paragraph.

For Datasette it is a plugin (`prepare_connection` registers the SQL function
`unionnews_diff(old, new)`, loaded from archive/datasette/plugins) used by the canned query
`article_history` in archive/datasette/metadata.yaml, which lists an article's versions
oldest first with the diff from each to the next.
"""

from __future__ import annotations

import difflib
import sqlite3
from typing import Any

try:  # Datasette is a dependency of unionnews, but this module works without it.
    from datasette import hookimpl
except ImportError:  # pragma: no cover
    def hookimpl(func: Any) -> Any:  # type: ignore[no-redef]
        return func

DELETED = "[-{}-]"
INSERTED = "{{+{}+}}"

def inline_diff(old: str, new: str) -> str:
    """One paragraph edited: the new text with removed words [-so-] and added ones {+so+}."""
    parts = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(old[a1:a2])
            continue
        if a2 > a1:
            parts.append(DELETED.format(old[a1:a2]))
        if b2 > b1:
            parts.append(INSERTED.format(new[b1:b2]))
    return "".join(parts)


def body_diff(old: str | None, new: str | None) -> str | None:
    """What changed between two texts (one paragraph per line), as readable lines.

    Unchanged paragraphs are left out; a removed paragraph is shown `- text`, an added one
    `+ text`, and a paragraph edited in place `~ text` with the edit marked inside it.
    None when there is no earlier version, '' when nothing changed.
    """
    if old is None or new is None:
        return None
    before, after = old.splitlines(), new.splitlines()
    lines: list[str] = []
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            continue
        removed, added = before[a1:a2], after[b1:b2]
        paired = min(len(removed), len(added)) if op == "replace" else 0
        for old_line, new_line in zip(removed[:paired], added[:paired]):
            lines.append("~ " + inline_diff(old_line, new_line))
        lines.extend("- " + line for line in removed[paired:])
        lines.extend("+ " + line for line in added[paired:])
    return "\n".join(lines)


def register(conn: sqlite3.Connection) -> None:
    """Make `unionnews_diff(old, new)` available to SQL on this connection."""
    conn.create_function("unionnews_diff", 2, body_diff, deterministic=True)


@hookimpl
def prepare_connection(conn: sqlite3.Connection) -> None:
    """Datasette plugin hook: every connection Datasette opens can run HISTORY_SQL."""
    register(conn)
