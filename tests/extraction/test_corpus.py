"""The strict extraction-quality gate (crawler/evaluation.py says what is scored and how).

Every labelled page is scored field by field: the 40 real pages of ../shared/corpus (title, date,
time with its +08:00 offset, source, author where labelled, body by its first and last
paragraph's edges), and the whole-record fixtures of tests/fixtures/articles/ and
tests/fixtures/pages/ (every field exact). tests/fixtures/extraction_baseline.json records which
page-fields pass; any pass lost fails the build, naming page, field, expected and got. A missing
corpus is a failure, never a skip. After a deliberate change:

    python3 -m crawler.evaluation --update-baseline
"""

from __future__ import annotations

import pytest

from crawler import evaluation
from crawler.evaluation import BASELINE, CORPUS, Outcome


def _corpus_present() -> None:
    if not (CORPUS / "labels.json").exists():
        pytest.fail(f"evaluation corpus missing: {(CORPUS / 'labels.json').resolve()} "
                    "(the extraction gate cannot run without it)", pytrace=False)


@pytest.fixture(scope="module")
def results() -> dict[str, dict[str, Outcome]]:
    _corpus_present()
    return evaluation.evaluate(CORPUS)


def test_the_corpus_is_there() -> None:
    _corpus_present()
    assert len(evaluation.load_corpus(CORPUS)) >= 40


def test_no_page_field_that_passed_in_the_baseline_fails(results: dict[str, dict[str, Outcome]]) -> None:
    problems = evaluation.regressions(results, evaluation.load_baseline(BASELINE))
    assert not problems, "extraction got worse:\n" + "\n".join(problems)


def test_the_baseline_covers_every_set(results: dict[str, dict[str, Outcome]]) -> None:
    kinds = {page.split("/", 1)[0] for page in evaluation.load_baseline(BASELINE)}
    assert kinds == {"corpus", "articles", "pages"}
    assert sum(page.startswith("articles/") for page in results) >= 60


def test_every_stored_page_is_read_as_an_article() -> None:
    from crawler.parse import NotAnArticle, parse_article

    refused = []
    for case in evaluation.load_fixtures(evaluation.FIXTURES / "articles", "articles"):
        try:
            parse_article(case.path.read_bytes(), case.url)
        except NotAnArticle as exc:
            refused.append((case.id, exc.reason))
    assert refused == []


@pytest.mark.parametrize("name", evaluation.FIELDS)
def test_visible_corpus_is_right_on_every_page(results: dict[str, dict[str, Outcome]], name: str) -> None:
    misses = [f"{page}: expected {o.expected!r} got {o.got!r}" for page, fields in sorted(results.items())
              if page.startswith("corpus/") and name in fields and not (o := fields[name]).hit]
    assert not misses, f"{name} wrong on {len(misses)} corpus pages:\n" + "\n".join(misses)


def test_strict_body_rule_refuses_edge_noise() -> None:
    label = {"title": "t", "date": "2024-01-02", "time": None, "source": None,
             "body_start": "第一段开头", "body_end": "最后一段结尾。"}
    score = lambda body: evaluation.corpus_outcomes(label, evaluation.Extracted(body=body))["body"].hit
    assert score("第一段开头，正文。\n最后一段结尾。")
    assert not score("图为活动现场\n第一段开头，正文。\n最后一段结尾。")
    assert not score("第一段开头，正文。\n最后一段结尾。\n责任编辑：张三")


def test_time_needs_the_beijing_offset() -> None:
    label = {"id": "x", "title": "t", "date": "2024-01-02", "time": "09:30", "source": None,
             "body_start": "a", "body_end": "b"}
    hit = lambda published: evaluation.corpus_outcomes(
        label, evaluation.from_record({"published_at": published}))["time"].hit
    assert hit("2024-01-02T09:30:00+08:00") and hit("2024-01-02T09:30+08:00")
    assert not hit("2024-01-02T09:30:00") and not hit("2024-01-02T09:30:00+00:00")


def test_baseline_regressions_name_page_field_expected_and_got() -> None:
    results = {"articles/x": {"title": Outcome(False, "甲", "乙"), "body": Outcome(True, "b", "b")}}
    problems = evaluation.regressions(results, {"articles/x": {"title": True, "body": True},
                                                "articles/gone": {"title": True}})
    assert problems[0].startswith("articles/gone title") and "no longer scored" in problems[0]
    assert problems[1] == "articles/x title: passed in the baseline, fails now: expected 甲 got 乙"
    assert evaluation.regressions(results, {"articles/x": {"title": False}})[0].startswith("articles/x body: scored but not")
