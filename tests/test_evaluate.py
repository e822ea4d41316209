"""Scoring library and `newsclaims eval`, on a small gold file written for these tests.

tests/data/eval_gold.jsonl holds two articles with four gold attributions; eval_pred.jsonl
holds four predictions. Expected scores, worked by hand (word tokens, leading "that" dropped):

- gold contents: A1 "taxes would rise next year" (5), A2 "We will win" (3), B1 "Taxes will rise" (3),
  B2 "The plan" (2, no source). Predictions: P1 "taxes would rise" (3), P2 "We will win" (3),
  P3 "next year" (2, confidence 0.3), Q1 "Taxes will rise" (3). Pairs: A1-P1, A2-P2, B1-Q1.
- content partial P = (1 + 1 + 0 + 1) / 4 = 0.75, R = (3/5 + 1 + 1 + 0) / 4 = 0.65;
  exact P = R = 2/4; hit P = R = 3/4.
- source (paired, both sides have one): 3 exact pairs, P = R = 1.
- cue: P2's cue is "Jones said" for gold "said": partial P = (1 + 1/2 + 1) / 3, R = 1;
  exact P = R = 2/3.
- whole attributions: 3 of 4 predictions, 3 of 4 gold.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsclaims import evaluate as ev
from newsclaims.cli import app

DATA = Path(__file__).parent / "data"
GOLD = DATA / "eval_gold.jsonl"
PRED = DATA / "eval_pred.jsonl"


@pytest.fixture(scope="module")
def report() -> dict:
    gold = ev.load_gold(GOLD)
    return ev.score(gold, ev.load_predictions(PRED, gold)).report()


def test_tokens_drop_leading_that_and_punctuation() -> None:
    text = 'He said that "taxes will rise."'
    toks = ev.Tokens(text)
    assert [toks.spans[i][2] for i in sorted(toks.of([(8, len(text))]))] == ["taxes", "will", "rise"]
    # A span cutting a word in half still touches it.
    assert len(toks.of([(15, 17)])) == 1


def test_pairing_is_one_to_one_by_largest_overlap() -> None:
    gold = [frozenset({1, 2, 3, 4}), frozenset({10, 11})]
    pred = [frozenset({3, 4}), frozenset({1, 2, 3}), frozenset({11})]
    assert ev.pair(gold, pred) == [(0, 1), (1, 2)]


def test_content_scores(report: dict) -> None:
    content = report["content"]
    assert content["partial"]["precision"] == pytest.approx(0.75)
    assert content["partial"]["recall"] == pytest.approx(0.65)
    assert content["partial"]["f1"] == pytest.approx(2 * 0.75 * 0.65 / 1.4, abs=1e-4)
    assert content["exact"]["precision"] == pytest.approx(0.5)
    assert content["exact"]["recall"] == pytest.approx(0.5)
    assert content["hit"]["precision"] == pytest.approx(0.75)
    assert content["hit"]["recall"] == pytest.approx(0.75)


def test_source_and_cue_scores_on_pairs(report: dict) -> None:
    assert report["source"]["partial"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    cue = report["cue"]
    assert cue["partial"]["precision"] == pytest.approx(2.5 / 3, abs=1e-4)
    assert cue["partial"]["recall"] == pytest.approx(1.0)
    assert cue["exact"]["precision"] == pytest.approx(2 / 3, abs=1e-4)
    assert cue["exact"]["recall"] == pytest.approx(2 / 3, abs=1e-4)


def test_whole_attributions_and_counts(report: dict) -> None:
    assert report["attribution"]["precision"] == pytest.approx(0.75)
    assert report["attribution"]["recall"] == pytest.approx(0.75)
    assert report["counts"] == {
        "articles": 2,
        "gold": 4,
        "predicted": 4,
        "paired": 3,
        "whole": 3,
        "gold_with_source": 3,
        "predicted_with_source": 3,
    }


def test_confidence_threshold_drops_the_weak_prediction() -> None:
    gold = ev.load_gold(GOLD)
    rows = {r["min_confidence"]: r for r in ev.threshold_table(gold, ev.load_predictions(PRED, gold))}
    assert rows[0.0]["predicted"] == 4
    assert rows[0.5]["predicted"] == 3
    assert rows[0.5]["precision"] == pytest.approx(1.0)
    assert rows[0.5]["recall"] == pytest.approx(0.65)


def test_per_cue_recall() -> None:
    gold = ev.load_gold(GOLD)
    rows = {r["cue"]: r for r in ev.score(gold, ev.load_predictions(PRED, gold)).per_cue()}
    assert rows["said"]["gold"] == 2 and rows["said"]["found"] == 2
    assert rows["said"]["content_recall"] == pytest.approx((0.6 + 1) / 2)
    assert rows["criticized"]["found"] == 0
    assert rows["criticized"]["source_hit"] is None


def test_cli_eval_with_predictions_json() -> None:
    result = CliRunner().invoke(app, ["eval", str(GOLD), "--predictions", str(PRED), "--format", "json", "--per-cue"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["content"]["partial"]["precision"] == pytest.approx(0.75)
    assert {r["cue"] for r in data["per_cue"]} == {"said", "according to", "criticized"}


def test_cli_eval_table_and_min_confidence() -> None:
    result = CliRunner().invoke(app, ["eval", str(GOLD), "--predictions", str(PRED), "--min-confidence", "0.5"])
    assert result.exit_code == 0, result.output
    assert "content" in result.stdout and "predicted=3" in result.stdout


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json\n", "not valid JSON"),
        ('{"text": "x"}\n', "needs 'text' and 'attributions'"),
        ('{"text": "x", "attributions": [{"content": [[0]]}]}\n', "list of (start, end) pairs"),
        ("", "no articles"),
    ],
)
def test_bad_gold_is_one_clear_error(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "gold.jsonl"
    path.write_text(content, encoding="utf-8")
    result = CliRunner().invoke(app, ["eval", str(path)])
    assert result.exit_code == 1
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_missing_gold_file(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["eval", str(tmp_path / "none.jsonl")])
    assert result.exit_code == 1 and "no such file" in result.stderr


def test_predict_runs_the_pipeline(nlp) -> None:
    gold = ev.load_gold(GOLD)
    preds = list(ev.predict(gold, nlp))
    assert len(preds) == 2
    rep = ev.score(gold, preds).report()
    # The pipeline finds at least the plain "said that" and "according to" claims here.
    assert rep["counts"]["paired"] >= 2
    assert rep["content"]["partial"]["precision"] >= 0.5
