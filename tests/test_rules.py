"""Rule files: validation messages name file, line and entry; `rules check`; `--rules DIR` layering."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import Result
from typer.testing import CliRunner

from newsclaims.cli import app
from newsclaims.errors import RulesError
from newsclaims.rules import RULE_FILES, builtin_rules_dir, check_rules_dir, load_ruleset, validate_rule_file

CUES_OK = "version: 1\ncues:\n  - lemmas: [mutter, grumble]\n    category: assert\n"

# (case id, rule file name, file text, exact message after "{path}").
BROKEN = [
    (
        "bad-yaml",
        "cues",
        "version: 1\ncues:\n  - lemmas: [mutter, grumble\n    category: assert\n",
        ", line 4, column 13: invalid YAML: expected ',' or ']', but got ':'",
    ),
    (
        "unknown-key",
        "cues",
        CUES_OK + "  - lemmas: [whisper]\n    category: assert\n    colour: red\n",
        ", line 7: cues[1].colour: unknown key 'colour' "
        "(allowed: literal, lemmas, pattern, category, role, lemma, takes_object)",
    ),
    (
        "unknown-top-level-key",
        "speakers",
        "person_noun: [harbourmaster]\n",
        ", line 1: person_noun: unknown key 'person_noun' (allowed: version, person_nouns, group_nouns, "
        "organization_nouns, document_nouns, anonymity_markers, person_suffixes, many_holders, "
        "evidence_nouns, reader_words, source_suffixes)",
    ),
    (
        "wrong-type",
        "cues",
        "version: 1\ncues:\n  - lemmas: mutter\n    category: assert\n",
        ", line 3: cues[0].lemmas: Input should be a valid list (got 'mutter')",
    ),
    (
        "unknown-category",
        "cues",
        "version: 1\ncues:\n  - lemmas: [mutter]\n    category: grumbling\n",
        ", line 4: cues[0].category: Input should be 'assert', 'belief', 'intent', 'warning', 'denial', "
        "'estimate', 'announce', 'claim', 'acknowledge', 'argue' or 'report' (got 'grumbling')",
    ),
    (
        "duplicate-cue-two-categories",
        "cues",
        CUES_OK + "  - lemmas: [ponder]\n    category: belief\n  - lemmas: [grumble]\n    category: denial\n",
        ", line 7: cues[2]: cue 'grumble' has two categories: 'denial' here and 'assert' in cues[0] (line 3)",
    ),
    (
        "cue-conflicts-with-built-in",
        "cues",
        CUES_OK + "  - lemmas: [say]\n    category: belief\n",
        ", line 5: cues[1]: cue 'say' has two categories: 'belief' here and 'assert' in cues[1] of the built-in rules",
    ),
    (
        "empty-cue-pattern",
        "cues",
        CUES_OK + "  - pattern: []\n    category: assert\n",
        ", line 5: cues[1].pattern: empty pattern",
    ),
    (
        "empty-boilerplate-pattern",
        "boilerplate",
        "line_patterns:\n  - '^from our partners'\n  - '  '\n",
        ", line 3: line_patterns[1]: empty pattern",
    ),
    (
        "bad-regular-expression",
        "boilerplate",
        "line_patterns:\n  - '^(from our partners'\n",
        ", line 2: line_patterns[0]: bad regular expression '^(from our partners': "
        "missing ), unterminated subpattern at position 1",
    ),
    (
        "invalid-token-pattern",
        "cues",
        "cues:\n  - pattern: [{LOWER: let}, {COLOUR: red}]\n    category: announce\n",
        ", line 2: cues[0]: invalid token pattern: [pattern -> 1 -> COLOUR] Extra inputs are not permitted",
    ),
    (
        "missing-category",
        "cues",
        "version: 1\ncues:\n  - lemmas: [mutter]\n",
        ", line 3: cues[0]: missing key 'category'",
    ),
    (
        "key-given-twice",
        "boilerplate",
        "line_patterns: ['^a']\nline_patterns: ['^b']\n",
        ", line 2, column 1: invalid YAML: key 'line_patterns' given twice (first on line 1)",
    ),
    (
        "top-level-not-a-mapping",
        "cues",
        "- lemmas: [mutter]\n  category: assert\n",
        ", line 1: (top level): expected a mapping of keys (version, cues…)",
    ),
    (
        "bad-currency-code",
        "figures",
        "currency_symbols:\n  '¤': XX\n",
        ", line 2: currency_symbols.¤: 'XX' is not an ISO 4217 code (three capitals)",
    ),
]


@pytest.fixture(scope="module")
def runner() -> CliRunner:
    return CliRunner()


def _rules_dir(tmp_path: Path, name: str, text: str) -> tuple[Path, Path]:
    folder = tmp_path / "rules"
    folder.mkdir()
    path = folder / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return folder, path


def _in_spacys_wording(message: str) -> str:
    """``message`` with the unknown-key error worded as the installed spaCy words it.

    spaCy 3.8.8+ checks token patterns with pydantic 2 ("Extra inputs are not permitted"),
    older spaCy with pydantic.v1 ("extra fields not permitted"); the suite runs on both.
    """
    from spacy.schemas import TokenPatternSchema, validate

    wording = validate(TokenPatternSchema, {"pattern": [{"COLOUR": "red"}]})[0].split("] ", 1)[1]
    return message.replace("Extra inputs are not permitted", wording)


def _stderr_lines(result: Result) -> list[str]:
    assert "Traceback" not in result.stderr
    return result.stderr.strip().splitlines()


@pytest.mark.parametrize(("name", "text", "message"), [c[1:] for c in BROKEN], ids=[c[0] for c in BROKEN])
def test_broken_rule_file_is_one_error(tmp_path: Path, runner: CliRunner, name: str, text: str, message: str) -> None:
    folder, path = _rules_dir(tmp_path, name, text)
    message = _in_spacys_wording(message)
    with pytest.raises(RulesError) as err:
        load_ruleset(folder)
    assert str(err.value) == f"{path}{message}"
    assert check_rules_dir(folder) == [f"{path}{message}"]

    checked = runner.invoke(app, ["rules", "check", str(folder)])
    assert checked.exit_code == 1
    assert _stderr_lines(checked) == [f"{path}{message}"]

    extracted = runner.invoke(app, ["extract", "-", "--rules", str(folder)], input="The mayor said it was fine.\n")
    assert extracted.exit_code == 1
    assert extracted.stdout == ""
    assert _stderr_lines(extracted) == [f"Error: {path}{message}"]


def test_builtin_rules_pass(runner: CliRunner) -> None:
    assert check_rules_dir(builtin_rules_dir()) == []
    for name in RULE_FILES:
        validate_rule_file(name, builtin_rules_dir() / f"{name}.yaml")
    result = runner.invoke(app, ["rules", "check"])
    assert result.exit_code == 0
    assert _stderr_lines(result) == [f"OK: {len(RULE_FILES)} rule file(s) in {builtin_rules_dir()}"]


def test_complete_file_validated_with_its_line(tmp_path: Path) -> None:
    """validate_rule_file reads a whole rule file (no layering) and names the line of the bad entry."""
    builtin = (builtin_rules_dir() / "cues.yaml").read_text(encoding="utf-8")
    say = next(i for i, c in enumerate(load_ruleset().cues.cues) if "say" in (c.lemmas or []))
    say_line = _entry_line(builtin, say)
    head, sep, tail = builtin.partition("\ncues:\n")
    path = tmp_path / "cues.yaml"
    path.write_text(head + sep + "  - lemmas: [say]\n    category: warning\n" + tail, encoding="utf-8")
    new_line = head.count("\n") + 3
    with pytest.raises(RulesError) as err:
        validate_rule_file("cues", path)
    assert str(err.value) == (
        f"{path}, line {say_line + 2}: cues[{say + 1}]: cue 'say' has two categories: "
        f"'assert' here and 'warning' in cues[0] (line {new_line})"
    )


def _entry_line(text: str, index: int) -> int:
    """Line of entry ``index`` of the ``cues`` list in a rule file's text."""
    root = yaml.compose(text)
    cues = next(v for k, v in root.value if k.value == "cues")
    return cues.value[index].start_mark.line + 1


def test_every_problem_on_its_own_line(tmp_path: Path, runner: CliRunner) -> None:
    folder, cues = _rules_dir(tmp_path, "cues", "cues:\n  - lemmas: mutter\n    category: assert\n    colour: red\n")
    (folder / "boilerplate.yml").write_text("line_patterns: ['^x']\n", encoding="utf-8")
    (folder / "notes.yaml").write_text("hello: 1\n", encoding="utf-8")
    expected = [
        f"{folder / 'boilerplate.yml'}: rule files must end in .yaml (this one would be ignored)",
        f"{cues}, line 2: cues[0].lemmas: Input should be a valid list (got 'mutter')",
        f"{cues}, line 4: cues[0].colour: unknown key 'colour' "
        "(allowed: literal, lemmas, pattern, category, role, lemma, takes_object)",
        f"{folder / 'notes.yaml'}: unknown rule file "
        "(expected one of: cues, boilerplate, speakers, figures, currencies, units)",
    ]
    assert check_rules_dir(folder) == expected
    result = runner.invoke(app, ["rules", "check", str(folder)])
    assert result.exit_code == 1
    assert _stderr_lines(result) == expected
    with pytest.raises(RulesError) as err:
        load_ruleset(folder)
    assert str(err.value) == expected[1] + " (and 1 more; see `newsclaims rules check`)"


def test_missing_rules_folder(tmp_path: Path, runner: CliRunner) -> None:
    missing = tmp_path / "nope"
    with pytest.raises(RulesError, match=r": rules folder not found$"):
        load_ruleset(missing)
    result = runner.invoke(app, ["rules", "check", str(missing)])
    assert result.exit_code == 1
    assert _stderr_lines(result) == [f"{missing}: rules folder not found"]


def test_layer_needs_only_the_keys_it_adds(tmp_path: Path) -> None:
    folder, _ = _rules_dir(tmp_path, "speakers", "person_nouns: [harbourmaster]\n")
    (folder / "cues.yaml").write_text("", encoding="utf-8")  # an empty layer changes nothing
    layered = load_ruleset(folder)
    builtin = load_ruleset()
    assert layered.speakers.person_nouns == [*builtin.speakers.person_nouns, "harbourmaster"]
    assert layered.speakers.organization_nouns == builtin.speakers.organization_nouns
    assert layered.cues == builtin.cues
    assert layered.fingerprint != builtin.fingerprint
    assert check_rules_dir(folder) == []


def test_broken_builtin_copy_is_checked_as_complete(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The built-in folder must hold every rule file with every required key."""
    folder = tmp_path / "rules"
    shutil.copytree(builtin_rules_dir(), folder)
    (folder / "speakers.yaml").write_text("person_nouns: [harbourmaster]\n", encoding="utf-8")
    (folder / "figures.yaml").unlink()
    monkeypatch.setattr("newsclaims.rules.builtin_rules_dir", lambda: folder)
    problems = check_rules_dir(folder)
    assert problems[0].startswith(f"{folder / 'speakers.yaml'}, line 1: (top level): missing key 'organization_nouns'")
    assert problems[-1] == f"{folder / 'figures.yaml'}: missing built-in rule file"


ARTICLE = (
    "The harbourmaster muttered the tide tables were wrong.\n\n"
    "From our partners: the mayor said that the ferry was safe.\n\n"
    "The mayor said that the new pier would open in May.\n"
)


@pytest.fixture
def custom_rules(tmp_path: Path) -> Path:
    folder = tmp_path / "my-rules"
    folder.mkdir()
    (folder / "cues.yaml").write_text("cues:\n  - lemmas: [mutter]\n    category: assert\n", encoding="utf-8")
    (folder / "boilerplate.yaml").write_text('line_patterns:\n  - "^from our partners\\\\b"\n', encoding="utf-8")
    return folder


def _claims(records: list) -> list[tuple[str, str, str]]:
    return [(c.cue.text, c.cue.category, c.content.text) for c in records[0].claims]


def test_rules_dir_layers_a_custom_cue_and_boilerplate(custom_rules: Path, nlp) -> None:
    from newsclaims.inputs import Article
    from newsclaims.pipeline import extract_articles

    article = Article(text=ARTICLE)
    default = list(extract_articles([article]))
    custom = list(extract_articles([article], rules_dir=custom_rules))
    assert ("muttered", "assert", "the tide tables were wrong") not in _claims(default)
    assert ("said", "assert", "that the ferry was safe") in _claims(default)
    assert _claims(custom) == [
        ("muttered", "assert", "the tide tables were wrong"),
        ("said", "assert", "that the new pier would open in May"),
    ]
    assert custom[0].generator.rules != default[0].generator.rules


def test_rules_option_on_the_cli(custom_rules: Path, runner: CliRunner, nlp) -> None:
    import json

    result = runner.invoke(app, ["extract", "-", "-f", "json", "--rules", str(custom_rules)], input=ARTICLE)
    assert result.exit_code == 0, result.output
    claims = json.loads(result.stdout)[0]["claims"]
    assert [(c["speaker"]["text"], c["cue"]["lemma"]) for c in claims] == [
        ("The harbourmaster", "mutter"),
        ("The mayor", "say"),
    ]
    assert runner.invoke(app, ["rules", "check", str(custom_rules)]).exit_code == 0


def test_same_bytes_give_the_cached_rules_and_an_edit_is_read_afresh(tmp_path: Path) -> None:
    folder, _ = _rules_dir(tmp_path, "cues", "cues:\n  - lemmas: [mutter]\n    category: assert\n")
    first = load_ruleset(folder)
    assert load_ruleset(folder) is first
    (folder / "cues.yaml").write_text("cues:\n  - lemmas: [grumble]\n    category: assert\n", encoding="utf-8")
    edited = load_ruleset(folder)
    assert edited.fingerprint != first.fingerprint
    assert any("grumble" in (rule.lemmas or []) for rule in edited.cues.cues)


def test_builtin_token_patterns_pass_spacys_schema() -> None:
    # load_ruleset trusts the shipped patterns (so a batch parent need not import spaCy); this is the check.
    from spacy.schemas import TokenPatternSchema, validate

    cues = validate_rule_file("cues", builtin_rules_dir() / "cues.yaml")
    patterns = [rule.pattern for rule in cues.cues if rule.pattern is not None]  # type: ignore[attr-defined]
    assert patterns
    for pattern in patterns:
        assert validate(TokenPatternSchema, {"pattern": pattern}) == []


def test_loading_the_builtin_rules_does_not_import_spacy() -> None:
    import subprocess
    import sys

    code = "import sys; from newsclaims.rules import load_ruleset; load_ruleset(); print('spacy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
