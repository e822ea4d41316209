"""The project's own examples: a fresh extraction equals examples/expected (what CI runs with `newsclaims check`).

When a rule change alters the examples' output on purpose, review the diff and rewrite the
expectations with `newsclaims check --update examples/expected examples`.
"""

from __future__ import annotations

import json

from typer.testing import CliRunner

from conftest import EXAMPLES
from newsclaims.cli import app
from newsclaims.models import DocumentResult

EXPECTED = EXAMPLES / "expected"


def test_every_example_has_an_expectation() -> None:
    inputs = sorted(p.stem for p in EXAMPLES.glob("*.txt"))
    assert len(inputs) >= 4
    assert sorted(p.stem for p in EXPECTED.glob("*.json")) == inputs


def test_expectations_are_valid_records() -> None:
    for path in EXPECTED.glob("*.json"):
        record = DocumentResult.model_validate(json.loads(path.read_text(encoding="utf-8")))
        text = (EXAMPLES / record.source.path).read_text(encoding="utf-8")
        for claim in record.claims:
            assert text[claim.content.start : claim.content.end] == claim.content.text


def test_check_passes_on_the_examples(nlp) -> None:
    out = CliRunner().invoke(app, ["check", str(EXPECTED), str(EXAMPLES)])
    hint = "examples changed; review the diff, then run `newsclaims check --update examples/expected examples`"
    assert out.exit_code == 0, f"{hint}:\n{out.stdout}{out.stderr}"
    assert out.stdout == ""
