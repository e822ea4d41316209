"""Output formats (table, json, jsonl, csv, markdown), the shared claim filters, `speakers`, and determinism."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys

import pytest
from rich.console import Console
from typer.testing import CliRunner

from conftest import EXAMPLES
from newsclaims.cli import app
from newsclaims.filters import ClaimFilter
from newsclaims.models import DocumentResult
from newsclaims.output import CSV_COLUMNS, figure_csv, read_records, render_table, write_csv, write_markdown

# Our own text: one anonymous official under three mentions, a named speaker with a pronoun, figures.
ARTICLE = (
    "Talks stall in Geneva\n\n"
    "A senior US official said on Monday that the talks had stalled over export controls.\n\n"
    "The official said the delegation would return home on Friday. He said a deal was still possible next year.\n\n"
    "Mayor Jane Doe told reporters that prices rose by more than 12% in March.\n\n"
    "She warned that the budget | the plan would need another $3.5bn.\n"
)
EXAMPLE_FILES = sorted(str(p) for p in EXAMPLES.glob("*.txt"))


@pytest.fixture(scope="module")
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(scope="module")
def result(nlp) -> DocumentResult:
    from newsclaims.inputs import Article
    from newsclaims.pipeline import extract_articles

    return next(extract_articles([Article(text=ARTICLE, path="talks.txt")]))


@pytest.fixture(scope="module")
def examples_json(runner: CliRunner, nlp) -> list[dict]:
    out = runner.invoke(app, ["extract", *EXAMPLE_FILES, "-f", "json"])
    assert out.exit_code == 0, out.output
    return json.loads(out.stdout)


def _claims_by_speaker(result: DocumentResult) -> dict[str, list[str]]:
    return {s.name: s.claims for s in result.speakers}


def test_official_he_and_the_official_are_one_speaker(result: DocumentResult) -> None:
    official = [c for c in result.claims if c.speaker and c.speaker.id == result.claims[0].speaker.id]
    assert [c.speaker.text for c in official] == ["A senior US official", "The official", "He"]
    assert {c.speaker.resolved.text for c in official[1:]} == {"A senior US official"}
    assert _claims_by_speaker(result)["A senior US official"] == [c.id for c in official]


def test_speakers_command_merges_pronoun_and_nominal_mentions(runner: CliRunner, tmp_path, nlp) -> None:
    article = tmp_path / "talks.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    out = runner.invoke(app, ["speakers", str(article), "-f", "json"])
    assert out.exit_code == 0, out.output
    rows = {r["speaker"]: r for r in json.loads(out.stdout)}
    official = rows["A senior US official"]
    assert official["claims"] == 3
    assert official["categories"] == {"assert": 3}
    assert official["mentions"] == ["A senior US official", "The official", "He"]
    doe = rows["Mayor Jane Doe"]
    assert doe["figures"] >= 2 and doe["categories"].get("warning") == 1


def test_speakers_across_documents_and_from_jsonl(runner: CliRunner, tmp_path, result: DocumentResult) -> None:
    store = tmp_path / "claims.jsonl"
    # The same record twice under two names: the named mayor merges, the unnamed official does not.
    second = result.model_copy(update={"source": result.source.model_copy(update={"path": "talks2.txt"})})
    store.write_text(result.model_dump_json() + "\n" + second.model_dump_json() + "\n", encoding="utf-8")
    out = runner.invoke(app, ["speakers", str(store), "-f", "csv"])
    assert out.exit_code == 0, out.output
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    by_name: dict[str, list[dict]] = {}
    for row in rows:
        by_name.setdefault(row["speaker"], []).append(row)
    assert len(by_name["Mayor Jane Doe"]) == 1 and by_name["Mayor Jane Doe"][0]["documents"] == "2"
    assert [r["claims"] for r in by_name["A senior US official"]] == ["3", "3"]
    table = runner.invoke(app, ["speakers", str(store), "-f", "table"])
    assert table.exit_code == 0 and "Mayor Jane Doe" in table.stdout


def test_speakers_rejects_a_non_record_json(runner: CliRunner, tmp_path) -> None:
    bad = tmp_path / "x.jsonl"
    bad.write_text('{"hello": 1}\n', encoding="utf-8")
    out = runner.invoke(app, ["speakers", str(bad)])
    assert out.exit_code == 1
    assert out.stderr.count("\n") == 1 and "not a newsclaims record" in out.stderr


# --- filters ---------------------------------------------------------------------------------------


def test_speaker_filter_matches_surface_or_resolved_case_insensitively(result: DocumentResult) -> None:
    kept = ClaimFilter.from_options(speaker="senior us").apply(result)
    assert [c.speaker.text for c in kept.claims] == ["A senior US official", "The official", "He"]
    she = ClaimFilter.from_options(speaker="JANE").apply(result)
    assert {c.speaker.text for c in she.claims} == {"Mayor Jane Doe", "She"}
    assert [s.name for s in she.speakers] == ["Mayor Jane Doe"]


def test_category_type_figures_and_confidence_filters(result: DocumentResult) -> None:
    warning = ClaimFilter.from_options(categories=["warning"]).apply(result)
    assert [c.cue.text for c in warning.claims] == ["warned"]
    several = ClaimFilter.from_options(categories=["assert,warning"]).apply(result)
    assert len(several.claims) == len(result.claims)
    assert ClaimFilter.from_options(types=["direct"]).apply(result).claims == []
    with_figures = ClaimFilter.from_options(with_figures=True).apply(result)
    assert with_figures.claims and all(c.figures for c in with_figures.claims)
    assert len(with_figures.claims) < len(result.claims)
    top = max(c.confidence for c in result.claims)
    assert all(c.confidence >= top for c in ClaimFilter.from_options(min_confidence=top).apply(result).claims)
    assert ClaimFilter().apply(result) is result


def test_unknown_filter_value_is_one_error_line(runner: CliRunner) -> None:
    out = runner.invoke(app, ["extract", "-", "--category", "assert,gossip"], input=ARTICLE)
    assert out.exit_code == 2  # a bad option value is a usage error
    assert out.stderr.strip().splitlines() == [
        "Error: --category: unknown value(s) gossip (choose from: assert, belief, intent, warning, denial, "
        "estimate, announce, claim, acknowledge, argue, report)"
    ]


def test_filters_apply_to_cli_json(runner: CliRunner, nlp) -> None:
    out = runner.invoke(
        app, ["extract", "-", "-f", "json", "--speaker", "official", "--min-confidence", "0.5"], input=ARTICLE
    )
    (data,) = json.loads(out.stdout)
    assert [c["speaker"]["text"] for c in data["claims"]] == ["A senior US official", "The official", "He"]
    assert [s["name"] for s in data["speakers"]] == ["A senior US official"]
    DocumentResult.model_validate(data)


# --- csv -------------------------------------------------------------------------------------------


def test_csv_parses_back_one_row_per_claim(runner: CliRunner, examples_json: list[dict]) -> None:
    out = runner.invoke(app, ["extract", *EXAMPLE_FILES, "-f", "csv"])
    assert out.exit_code == 0, out.output
    reader = csv.DictReader(io.StringIO(out.stdout))
    assert tuple(reader.fieldnames or ()) == CSV_COLUMNS
    rows = list(reader)
    claims = [(doc, c) for doc in examples_json for c in doc["claims"]]
    assert len(rows) == len(claims) > 10
    texts = {p: open(p, encoding="utf-8").read() for p in EXAMPLE_FILES}  # noqa: SIM115
    for row, (doc, claim) in zip(rows, claims, strict=True):
        assert row["document"] == doc["source"]["path"] and row["claim_id"] == claim["id"]
        start, end = int(row["start"]), int(row["end"])
        assert texts[row["document"]][start:end] == row["content"] == claim["content"]["text"]
        assert float(row["confidence"]) == claim["confidence"]
        speaker = claim["speaker"] or {}
        assert row["speaker"] == speaker.get("text", "")
        assert row["resolved_speaker"] == ((speaker.get("resolved") or {}).get("text") or "")
        assert row["anonymous"] in ({"true", "false"} if speaker else {""})
        assert row["figures"] == "; ".join(
            " ".join(
                p
                for p in (
                    _num(f["value"]) if f["value"] is not None else f"{_num(f['low'])}-{_num(f['high'])}",
                    f["unit"],
                    f["qualifier"],
                )
                if p
            )
            for f in claim["figures"]
        )


def _num(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else repr(v)


def test_csv_figures_column_format(result: DocumentResult) -> None:
    figs = [f for c in result.claims for f in c.figures]
    assert "12 percent >" in [figure_csv(f) for f in figs]
    assert "3500000000 USD =" in [figure_csv(f) for f in figs]
    buf = io.StringIO()
    assert write_csv([result], buf) == 1
    rows = list(csv.DictReader(io.StringIO(buf.getvalue())))
    assert any(r["content"] == "that the budget | the plan would need another $3.5bn" for r in rows)


# --- markdown --------------------------------------------------------------------------------------


def _md_cells(line: str) -> list[str]:
    assert line.startswith("| ") and line.endswith(" |")
    return [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", line[1:-1])]


def test_markdown_renders_a_table_per_document(runner: CliRunner, examples_json: list[dict]) -> None:
    out = runner.invoke(app, ["extract", *EXAMPLE_FILES, "-f", "markdown"])
    assert out.exit_code == 0, out.output
    lines = out.stdout.splitlines()
    headings = [i for i, line in enumerate(lines) if line.startswith("## ")]
    assert len(headings) == len(examples_json)
    for i, doc in zip(headings, examples_json, strict=True):
        assert lines[i] == f"## {doc['source']['path']} — {len(doc['claims'])} claims"
        header, sep = _md_cells(lines[i + 2]), lines[i + 3]
        assert header == ["#", "Speaker", "Cue", "Category", "Type", "Content", "Figures", "Confidence"]
        assert re.fullmatch(r"(\|---)+\|", sep)
        body = lines[i + 4 : i + 4 + len(doc["claims"])]
        for n, (line, claim) in enumerate(zip(body, doc["claims"], strict=True), 1):
            cells = _md_cells(line)
            assert len(cells) == 8 and cells[0] == str(n)
            assert cells[2] == claim["cue"]["text"] and cells[5] == " ".join(claim["content"]["text"].split())


def test_markdown_escapes_pipes(result: DocumentResult) -> None:
    buf = io.StringIO()
    write_markdown([result], buf)
    row = next(line for line in buf.getvalue().splitlines() if "budget" in line)
    assert "budget \\| the plan" in row and len(_md_cells(row)) == 8


# --- table -----------------------------------------------------------------------------------------


def test_table_shows_resolved_speaker_cue_category_and_figures(result: DocumentResult) -> None:
    console = Console(file=io.StringIO(), width=400, color_system=None)
    render_table([result], console)
    text = console.file.getvalue()
    assert "He [A senior US official]" in text and "The official [A senior US official]" in text
    assert "warned" in text and "warning" in text and "> 12 percent" in text


def test_table_truncate_cuts_content_to_the_width(result: DocumentResult) -> None:
    console = Console(file=io.StringIO(), width=130, color_system=None)
    render_table([result], console, truncate=True)
    lines = console.file.getvalue().splitlines()
    assert max(len(line) for line in lines) <= 130
    assert any("…" in line for line in lines)


# --- json/jsonl and determinism ------------------------------------------------------------------------


def test_jsonl_and_json_round_trip_through_read_records(runner: CliRunner, tmp_path, nlp) -> None:
    for fmt in ("jsonl", "json"):
        target = tmp_path / f"out.{fmt}"
        out = runner.invoke(app, ["extract", *EXAMPLE_FILES[:2], "-f", fmt, "-o", str(target)])
        assert out.exit_code == 0, out.output
        records = list(read_records(target))
        assert [r.source.path for r in records] == EXAMPLE_FILES[:2]


def test_same_input_gives_byte_identical_output_across_processes() -> None:
    cmd = [sys.executable, "-m", "newsclaims.cli", "extract", *EXAMPLE_FILES, "-f", "json"]
    first = subprocess.run(cmd, capture_output=True, check=True).stdout
    second = subprocess.run(cmd, capture_output=True, check=True).stdout
    assert first == second and len(first) > 1000
    # No run time in the output unless --timestamp asks for it.
    assert first.count(b'"generated_at": null') == len(EXAMPLE_FILES)
    # Keys come in the schema's field order, not sorted or insertion-dependent.
    doc = json.loads(first)[0]
    assert list(doc) == list(DocumentResult.model_fields)


def test_every_format_is_deterministic_in_process(result: DocumentResult) -> None:
    from newsclaims.output import Format, write_results

    for fmt in Format:
        outputs = []
        for _ in range(2):
            buf = io.StringIO()
            write_results([result], fmt, buf, width=120)
            outputs.append(buf.getvalue())
        assert outputs[0] == outputs[1] and outputs[0], fmt


# --- batch -----------------------------------------------------------------------------------------


def test_batch_renders_csv_with_filters_and_keeps_records_for_resume(runner: CliRunner, tmp_path, nlp) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "talks.txt").write_text(ARTICLE, encoding="utf-8")
    (src / "other.txt").write_text("The minister said that taxes would fall by 2% next year.\n", encoding="utf-8")
    out_csv = tmp_path / "claims.csv"
    out = runner.invoke(app, ["batch", str(src), "-o", str(out_csv), "-f", "csv", "-w", "1", "--with-figures", "-q"])
    assert out.exit_code == 0, out.output
    rows = list(csv.DictReader(out_csv.open(encoding="utf-8")))
    assert rows and all(r["figures"] for r in rows)
    assert {r["document"].rsplit("/", 1)[-1] for r in rows} == {"talks.txt", "other.txt"}
    store = list(read_records(tmp_path / "claims.records.jsonl"))
    assert len(store) == 2 and sum(len(r.claims) for r in store) > len(rows)


# --- the writers' table and the one record reader ---------------------------------------------------


def test_every_format_has_one_writer_and_the_cli_derives_its_choices() -> None:
    from newsclaims.cli_support import BatchFormat, SpeakersFormat
    from newsclaims.output import ROW_FORMATS, WRITERS, Format, needs_text

    assert set(WRITERS) == set(Format)
    # batch writes files, so it offers every format but the screen rendering; nobody keeps a copy.
    assert sorted(f.value for f in BatchFormat) == sorted(f.value for f in Format if not WRITERS[f].terminal)
    assert "table" not in {f.value for f in BatchFormat}
    assert [f.value for f in SpeakersFormat] == [f.value for f in ROW_FORMATS]
    assert [f for f in Format if needs_text(f)] == [Format.html]


def test_json_is_an_array_even_for_none_or_one(result: DocumentResult) -> None:
    from newsclaims.output import write_json

    for results, count in (([], 0), ([result], 1), ([result, result], 2)):
        buf = io.StringIO()
        assert write_json(results, buf) == count
        data = json.loads(buf.getvalue())
        assert isinstance(data, list) and len(data) == count
    empty = io.StringIO()
    write_json([], empty)
    assert empty.getvalue() == "[]\n"


def test_read_records_strict_names_the_bad_line_tolerant_skips_and_reports_it(result: DocumentResult, tmp_path) -> None:
    from newsclaims.errors import InputError
    from newsclaims.output import BadLine, read_record_lines, to_json_line

    path = tmp_path / "claims.jsonl"
    good = to_json_line(result)
    # A killed run leaves its last line cut short; a foreign line is not a record.
    path.write_text(f'{good}\n{{"claims": 1}}\n{good}\n{good[:40]}\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"claims\.jsonl, line 2: not a newsclaims record"):
        list(read_records(path))
    bad: list[BadLine] = []
    found = list(read_record_lines(path, tolerant=True, on_bad_line=bad.append))
    assert [(f.line, f.text) for f in found] == [(1, good), (3, good)]
    assert [b.line for b in bad] == [2, 4]
    assert str(bad[1]).startswith(f"{path}, line 4: not newsclaims JSON/JSONL")
    assert list(read_record_lines(tmp_path / "missing.jsonl", tolerant=True)) == []
