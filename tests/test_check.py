"""`newsclaims check`: expectations written with --update, and every kind of change caught, with readable diffs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsclaims.check import compare, expected_json, github_annotations, run_check, word_diff
from newsclaims.cli import app
from newsclaims.models import DocumentResult

BRIDGE = (
    "Bridge repairs delayed\n\n"
    "The mayor muttered the budget was late again.\n\n"
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
    assert any(line.startswith("  + added") and '"the budget was late again"' in line for line in lines)
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
    assert "~ changed" in out.stdout and "+ added" not in out.stdout
    # The changed words are marked inline, not the whole content printed twice.
    assert "      content: " in out.stdout and "{+" in out.stdout


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


# --- issue 11: a check that holds -----------------------------------------------------------------


def test_one_inserted_sentence_moves_claims_instead_of_removing_them(
    project: tuple[Path, Path], runner: CliRunner
) -> None:
    expected, inputs = project
    bridge = inputs / "bridge.txt"
    text = BRIDGE.replace("The mayor muttered", "Work began in 2019 on the old crossing. The mayor muttered")
    text = text.replace("would cost about $2m for steel alone", "would cost about $2m for steel and paint")
    bridge.write_text(text, encoding="utf-8")
    out = _check(runner, expected, str(inputs))
    assert out.exit_code == 1
    lines = out.stdout.splitlines()
    assert "+ added" not in out.stdout and "- removed" not in out.stdout, out.stdout
    assert any(line.startswith("  ~ changed ") for line in lines)
    assert "[-alone.-]{+and paint.+}" in out.stdout or "[-alone-]{+and paint+}" in out.stdout
    # 40 characters inserted before both claims, 4 more ("and paint" for "alone") before the second.
    assert "(moved by +40 characters)" in out.stdout and "1 claim(s) moved by +44 characters" in out.stdout
    assert "input text changed" in out.stdout


def test_derived_and_written_figures_over_one_span_do_not_collide(nlp, tmp_path: Path) -> None:
    from conftest import EXAMPLES

    record = DocumentResult.model_validate_json((EXAMPLES / "expected" / "aid-pledge.json").read_text("utf-8"))
    # The derived $630m is a claim figure over the very characters of "More than 70%".
    claim = next(c for c in record.claims if any(f.derived for f in c.figures))
    spans = [(f.start, f.end) for f in claim.figures]
    assert len(spans) > len(set(spans)), "the example must keep the share-of-an-amount case"
    assert compare(record, record).status == "same"
    edited = record.model_copy(deep=True)
    derived = next(f for c in edited.claims for f in c.figures if f.derived)
    derived.value = (derived.value or 0) * 2
    diff = compare(record, edited)
    details = [d for c in diff.claims for d in c.details]
    assert diff.status == "changed" and len(details) == 1 and "(derived).value" in details[0], details


def test_word_diff_marks_only_the_changed_words() -> None:
    old = "the council said on Monday that the repairs would cost far more than planned this year"
    new = "the council said on Monday that the repairs would cost much more than planned this year"
    assert word_diff(old, new, context=3) == "… repairs would cost [-far-]{+much+} more than planned …"
    assert word_diff("a b", "a b c") == "a b {+c+}"


def test_json_and_github_formats(project: tuple[Path, Path], runner: CliRunner) -> None:
    expected, inputs = project
    _edit(expected / "ferry.json", lambda d: d["claims"][0].update(type="indirect"))
    out = _check(runner, expected, str(inputs), "--format", "json")
    assert out.exit_code == 1
    data = json.loads(out.stdout)
    assert data["failed"] is True and data["summary"] == "2 document(s): 1 changed, 1 same"
    ferry = next(d for d in data["documents"] if d["name"] == "ferry")
    assert ferry["status"] == "changed" and ferry["claims"][0]["details"] == ["type: 'indirect' → 'direct'"]
    out = _check(runner, expected, str(inputs), "-f", "github")
    notes = [line for line in out.stdout.splitlines() if line.startswith("::error ")]
    assert len(notes) == 1 and notes[0].startswith(f"::error file={inputs / 'ferry.md'},line=3,")
    assert "title=newsclaims check%3A claim changed::" in notes[0] and "%0A" in notes[0]


def test_github_annotation_escapes() -> None:
    from newsclaims.check import CheckReport, DocumentDiff

    doc = DocumentDiff("a", Path("e/a.json"), "invalid expected", message="100% bad\nline", input=Path("a,b.txt"))
    assert github_annotations(CheckReport([doc])) == [
        "::error file=a%2Cb.txt,title=newsclaims check%3A invalid expected::100%25 bad%0Aline"
    ]


def test_update_of_named_inputs_only(project: tuple[Path, Path], runner: CliRunner) -> None:
    expected, inputs = project
    _edit(expected / "ferry.json", lambda d: d["claims"].clear())
    _edit(expected / "bridge.json", lambda d: d["claims"].clear())
    out = runner.invoke(app, ["check", "--update", str(expected), str(inputs / "bridge.txt")])
    assert out.exit_code == 0 and "1 document(s): 1 updated" in out.stderr
    assert json.loads((expected / "ferry.json").read_text(encoding="utf-8"))["claims"] == []
    # Checking named files checks only them; the other expectations are not "missing input".
    assert _check(runner, expected, str(inputs / "bridge.txt")).exit_code == 0
    assert _check(runner, expected, str(inputs / "ferry.md")).exit_code == 1
