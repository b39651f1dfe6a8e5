"""One configuration path: every UNIONNEWS_* setting the code reads is declared, with a comment,
in crawler/settings.py (the one settings module scrapy.cfg points at)."""

from __future__ import annotations

import re
from pathlib import Path

import crawler.settings

ROOT = Path(__file__).resolve().parents[2]
NAME = re.compile(r"\bUNIONNEWS_[A-Z_]+\b")
#: Environment variables, not settings: where the archive and its WARC files are by default.
ENVIRONMENT = {"UNIONNEWS_DB", "UNIONNEWS_WARC_DIR"}


def used_names() -> set[str]:
    found: set[str] = set()
    for package in ("crawler", "pipelines", "archive"):
        for path in (ROOT / package).rglob("*.py"):
            found |= set(NAME.findall(path.read_text(encoding="utf-8")))
    return found


def test_every_setting_the_code_reads_is_declared_in_settings_py() -> None:
    declared = {name for name in vars(crawler.settings) if name.startswith("UNIONNEWS_")}
    assert used_names() - declared - ENVIRONMENT == set()
    assert ENVIRONMENT <= declared  # the two that are also settings (UNIONNEWS_DB, UNIONNEWS_WARC_DIR)


def test_each_declared_setting_has_a_comment_above_it() -> None:
    lines = (ROOT / "crawler" / "settings.py").read_text(encoding="utf-8").splitlines()
    bare = []
    for index, line in enumerate(lines):
        if line.startswith("UNIONNEWS_"):
            above = index - 1
            while above >= 0 and lines[above].startswith("UNIONNEWS_"):
                above -= 1
            if above < 0 or not lines[above].startswith("#"):
                bare.append(line.split("=")[0].strip())
    assert bare == []
