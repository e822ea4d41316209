"""`newsclaims check`: expectations written with --update, and every kind of change caught, with readable diffs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsclaims.check import compare, expected_json, run_check
from newsclaims.cli import app
from newsclaims.models import DocumentResult

BRIDGE = (
    "Bridge repairs delayed\n\n"
    "The mayor muttered that the budget was late again.\n\n"
    "A council engineer said the repairs would cost about $2m for steel alone. "
    "She warned that the bridge could close by June.\n"
)
FERRY = "Ferry fares rise\n\n“Fares will rise by 5% in April,” the operator said.\n"


@pytest.fixture(scope="module")
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def project(tmp_path: Path, runner: CliRunner, nlp) -> tuple[Path, Path]:
    """An input folder with two articles and their expectations written by --update."""
    inputs = tmp_path / "articles"
    inputs.mkdir()
    (inputs / "bridge.txt").write_text(BRIDGE, encoding="utf-8")
    (inputs / "ferry.md").write_text(FERRY, encoding="utf-8")
    (inputs / "notes.csv").write_text("not an article\n", encoding="utf-8")
    expected = inputs / "expected"
    out = runner.invoke(app, ["check", "--update", str(expected), str(inputs)])
    assert out.exit_code == 0, out.output
    assert "2 written" in out.stderr
    return expected, inputs


def _check(runner: CliRunner, expected: Path, *args: str):
    return runner.invoke(app, ["check", str(expected), *args])


def _edit(path: Path, change) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def test_update_writes_one_file_per_input_and_check_passes(project: tuple[Path, Path], runner: CliRunner) -> None:
    expected, _ = project
    assert sorted(p.name for p in expected.iterdir()) == ["bridge.json", "ferry.json"]
    record = DocumentResult.model_validate_json((expected / "bridge.json").read_text(encoding="utf-8"))
    assert record.source.path == "bridge.txt" and record.claims
    # INPUT_DIR defaults to EXPECTED_DIR's parent.
    out = _check(runner, expected)
    assert out.exit_code == 0, out.output
    assert out.stdout == "" and "check OK: 2 document(s): 2 same" in out.stderr


def test_a_changed_rule_is_caught(project: tuple[Path, Path], runner: CliRunner, tmp_path: Path) -> None:
    expected, inputs = project
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "cues.yaml").write_text("cues:\n  - lemmas: [mutter]\n    category: assert\n", encoding="utf-8")
    out = _check(runner, expected, str(inputs), "--rules", str(rules))
    assert out.exit_code == 1
    lines = out.stdout.splitlines()
    assert lines[0].endswith("bridge.json: changed (2 difference(s))")
    # The new speaker comes first, so the engineer's id is renumbered: that alone is not a change,
    # and "She" still resolves to the engineer.
    assert not [line for line in lines[1:] if "changed" in line]
    assert any(line.startswith("  + added") and '"that the budget was late again"' in line for line in lines)
    assert any("The mayor / muttered (assert, indirect)" in line for line in lines)
    assert any(line.startswith('  speakers: added "The mayor"') for line in lines)
    # The rules fingerprint explains the change but is not one: ferry.md's output did not change.
    assert any(line.startswith("  (note) generator.rules: ") for line in lines)
    assert "ferry.json" not in out.stdout
    assert "check FAILED: 2 document(s): 1 changed, 1 same" in out.stderr


def test_edited_expectation_shows_changed_and_removed_claims(project: tuple[Path, Path], runner: CliRunner) -> None:
    expected, inputs = project
    bridge = expected / "bridge.json"
    original = json.loads(bridge.read_text(encoding="utf-8"))
    said = next(c for c in original["claims"] if c["cue"]["text"] == "said")

    def change(data: dict) -> None:
        claim = next(c for c in data["claims"] if c["id"] == said["id"])
        claim["cue"]["category"] = "belief"
        claim["speaker"]["text"] = "A council official"
        data["claims"].append({**claim, "id": "c1-5", "content": {"text": "ridge", "start": 1, "end": 5}})
        data["claims"][-1]["cue"] = {**claim["cue"], "start": 0, "end": 1}

    _edit(bridge, change)
    out = _check(runner, expected, str(inputs))
    assert out.exit_code == 1
    text = out.stdout
    assert "~ changed " + said["id"] in text
    assert "      cue.category: 'belief' → 'assert'" in text
    assert "      speaker.text: 'A council official' → 'A council engineer'" in text
    assert '- removed c1-5  A council official / said (belief, indirect): "ridge"' in text


def test_content_span_change_pairs_claims_by_cue(project: tuple[Path, Path], runner: CliRunner) -> None:
    expected, inputs = project

    def change(data: dict) -> None:
        claim = data["claims"][0]
        claim["content"]["end"] -= 3
        claim["content"]["text"] = claim["content"]["text"][:-3]
        claim["id"] = f"c{claim['content']['start']}-{claim['content']['end']}"

    _edit(expected / "bridge.json", change)
    out = _check(runner, expected, str(inputs))
    assert out.exit_code == 1
    assert "~ changed" in out.stdout and "+ added" not in out.stdout and "content.end:" in out.stdout


def test_confidence_tolerance_and_ignored_version(project: tuple[Path, Path], runner: CliRunner) -> None:
    expected, inputs = project

    def change(data: dict) -> None:
        data["claims"][0]["confidence"] = round(data["claims"][0]["confidence"] - 0.04, 3)
        data["generator"]["version"] = "99.0"

    _edit(expected / "ferry.json", change)
    strict = _check(runner, expected, str(inputs))
    assert strict.exit_code == 1 and "confidence: " in strict.stdout and "version" not in strict.stdout
    assert _check(runner, expected, str(inputs), "--tolerance", "0.05").exit_code == 0


def test_figure_change_is_reported(project: tuple[Path, Path], runner: CliRunner) -> None:
    expected, inputs = project

    def change(data: dict) -> None:
        data["figures"][0]["value"] = 6.0
        data["claims"][0]["figures"][0]["value"] = 6.0

    _edit(expected / "ferry.json", change)
    out = _check(runner, expected, str(inputs))
    assert out.exit_code == 1
    assert 'figures "5%".value: 6.0 → 5.0' in out.stdout
    assert _check(runner, expected, str(inputs), "--figure-tolerance", "0.25").exit_code == 0


def test_update_restores_exact_bytes(project: tuple[Path, Path], runner: CliRunner) -> None:
    expected, inputs = project
    before = (expected / "ferry.json").read_bytes()
    _edit(expected / "ferry.json", lambda d: d["claims"].clear())
    out = runner.invoke(app, ["check", "--update", str(expected), str(inputs)])
    assert out.exit_code == 0 and "1 unchanged, 1 updated" in out.stderr
    assert (expected / "ferry.json").read_bytes() == before


def test_missing_input_new_input_and_bad_expectation(project: tuple[Path, Path], runner: CliRunner) -> None:
    expected, inputs = project
    (inputs / "ferry.md").rename(inputs / "ferry-old.md.bak")
    (inputs / "tram.txt").write_text("The operator said that trams would run all night.\n", encoding="utf-8")
    out = _check(runner, expected, str(inputs))
    assert out.exit_code == 1
    assert "ferry.json: missing input" in out.stdout
    assert f"not checked (no expected file): {inputs / 'tram.txt'}" in out.stderr.replace("\n", "")
    (expected / "bridge.json").write_text("{not json", encoding="utf-8")
    out = _check(runner, expected, str(inputs))
    assert "bridge.json: invalid expected" in out.stdout and "rewrite with --update" in out.stdout


def test_errors_are_one_line(runner: CliRunner, tmp_path: Path) -> None:
    out = _check(runner, tmp_path / "nowhere", str(tmp_path))
    assert out.exit_code == 1 and out.stderr.count("\n") == 1
    assert "no such folder of expected JSON (create it with --update)" in out.stderr
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    (tmp_path / "a.md").write_text("x", encoding="utf-8")
    out = runner.invoke(app, ["check", "--update", str(tmp_path / "exp"), str(tmp_path)])
    assert out.exit_code == 1 and "two inputs would share a.json" in out.stderr
    empty = tmp_path / "empty"
    empty.mkdir()
    out = runner.invoke(app, ["check", "--update", str(empty / "exp"), str(empty)])
    assert out.exit_code == 1 and "no article files" in out.stderr


def test_library_compare_and_expected_json_are_stable(project: tuple[Path, Path]) -> None:
    expected, inputs = project
    report = run_check(expected, inputs)
    assert not report.failed and [d.status for d in report.documents] == ["same", "same"]
    record = DocumentResult.model_validate_json((expected / "bridge.json").read_text(encoding="utf-8"))
    assert expected_json(record) == (expected / "bridge.json").read_text(encoding="utf-8")
    assert compare(record, record).status == "same"
