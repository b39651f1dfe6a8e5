"""Extraction-quality gate: parse_article scored on the labelled corpus of 40 real Chinese
article pages (../shared/corpus), by the corpus README's rules. Fails when any field drops
below its floor. The floors sit a little below what the parser reaches (40/40 on every field
when they were set), so a regression on a page or two is caught while the suite stays stable.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.evaluation import FIELDS, Score, add, field_hits, from_record, load_corpus
from crawler.parse import NotAnArticle, parse_article

CORPUS = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus"
#: Per-field floors (share of scored pages right).
FLOORS = {"title": 0.95, "date": 0.95, "time": 0.94, "source": 0.92, "body": 0.95}

pytestmark = pytest.mark.skipif(not (CORPUS / "labels.json").exists(),
                                reason=f"evaluation corpus not found at {CORPUS.resolve()}")


@pytest.fixture(scope="module")
def score() -> Score:
    result = Score()
    for page in load_corpus(CORPUS):
        try:
            record = parse_article(page.path.read_bytes(), page.url)
        except NotAnArticle:
            record = {}
        add(result, page.id, field_hits(page.label, from_record(record)))
    return result


@pytest.mark.parametrize("name", FIELDS)
def test_field_accuracy_stays_above_its_floor(score: Score, name: str) -> None:
    assert score.scored[name] >= 30, f"only {score.scored[name]} pages scored for {name}"
    assert score.accuracy(name) >= FLOORS[name], (
        f"{name}: {score.hits[name]}/{score.scored[name]} right, below the floor {FLOORS[name]:.0%}; "
        f"missed on pages {score.misses[name]}")


def test_every_corpus_page_is_read_as_an_article() -> None:
    refused = []
    for page in load_corpus(CORPUS):
        try:
            parse_article(page.path.read_bytes(), page.url)
        except NotAnArticle as exc:
            refused.append((page.id, exc.reason))
    assert refused == []
