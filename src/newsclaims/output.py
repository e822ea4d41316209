"""Renderers: records to JSON, JSONL, CSV, Markdown, HTML or a Rich table. Output code only serialises models."""

from __future__ import annotations

import csv
import json
import os
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TextIO

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from newsclaims.errors import InputError, NewsclaimsError
from newsclaims.models import DocumentResult, Figure, Speaker


class Format(StrEnum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    markdown = "markdown"
    html = "html"


CSV_COLUMNS = (
    "document",
    "claim_id",
    "type",
    "speaker",
    "resolved_speaker",
    "speaker_kind",
    "anonymous",
    "cue",
    "category",
    "content",
    "start",
    "end",
    "figures",
    "confidence",
)


def to_json_line(result: DocumentResult) -> str:
    """One document as compact JSON with a stable key order (the models' field order)."""
    return result.model_dump_json(exclude_none=False)


def write_jsonl(results: Iterable[DocumentResult], fp: TextIO) -> int:
    """One JSON object per line, flushed as it goes; returns the number written."""
    n = 0
    for result in results:
        fp.write(to_json_line(result) + "\n")
        fp.flush()
        n += 1
    return n


def write_json(results: Iterable[DocumentResult], fp: TextIO, *, single: bool) -> int:
    """An object for a single input, else a list written incrementally."""
    n = 0
    if single:
        for result in results:
            fp.write(json.dumps(result.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n")
            n += 1
        return n
    fp.write("[")
    for result in results:
        fp.write(("," if n else "") + "\n")
        body = json.dumps(result.model_dump(mode="json"), indent=2, ensure_ascii=False)
        fp.write("\n".join("  " + line for line in body.splitlines()))
        fp.flush()
        n += 1
    fp.write("\n]\n" if n else "]\n")
    return n


def figure_label(fig: Figure) -> str:
    """A short human form: '> 70 percent', '900000000 USD', '5000–7000'."""
    q = "" if fig.qualifier == "=" else fig.qualifier + " "
    if fig.value is None and fig.low is not None and fig.high is not None:
        amount = f"{_num(fig.low)}–{_num(fig.high)}"
    else:
        amount = _num(fig.value) if fig.value is not None else fig.text
    return f"{q}{amount}{' ' + fig.unit if fig.unit else ''}{' (derived)' if fig.derived else ''}"


def _num(v: float) -> str:
    return f"{int(v):,}" if float(v).is_integer() else f"{v:,.4g}" if abs(v) < 1000 else f"{v:,.2f}"


def document_name(result: DocumentResult) -> str:
    """How a record is named in tables and reports: its path, or '<stdin>'."""
    return result.source.path or "<stdin>"


def speaker_label(sp: Speaker | None) -> str:
    """'he [a senior official] (anonymous)': the mention, its resolution in brackets, the anonymity flag."""
    if sp is None:
        return "—"
    label = sp.text + (f" [{sp.resolved.text}]" if sp.resolved else "")
    return label + (" (anonymous)" if sp.anonymous else "")


def render_table(results: Iterable[DocumentResult], console: Console) -> int:
    """One Rich table per document, one row per claim; content is cut to one line at the terminal width."""
    n = 0
    for result in results:
        n += 1
        title = document_name(result)
        table = Table(title=escape(f"{title} — {len(result.claims)} claims"), show_lines=True, expand=True)
        table.add_column("Speaker", ratio=2)
        table.add_column("Cue", ratio=1)
        table.add_column("Type", ratio=1)
        table.add_column("Content", ratio=5, no_wrap=True, overflow="ellipsis")
        table.add_column("Figures", ratio=2)
        for claim in result.claims:
            speaker = speaker_label(claim.speaker)
            content = " ".join(claim.content.text.split())
            figures = "\n".join(figure_label(f) for f in claim.figures)
            table.add_row(
                escape(speaker),
                f"{escape(claim.cue.text)}\n[dim]{claim.cue.category}[/dim]",
                claim.type,
                escape(content),
                escape(figures),
            )
        console.print(table)
    return n


def _value(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else repr(float(v))


def figure_csv(fig: Figure) -> str:
    """'900000000 USD =' / '70 percent >' / '2-3 percent =': value, unit and qualifier for a flat column."""
    if fig.value is not None:
        amount = _value(fig.value)
    elif fig.low is not None and fig.high is not None:
        amount = f"{_value(fig.low)}-{_value(fig.high)}"
    else:
        amount = fig.text
    return " ".join(part for part in (amount, fig.unit, fig.qualifier) if part)


def csv_rows(results: Iterable[DocumentResult]) -> Iterator[dict[str, str | int | float]]:
    """One flat row per claim, keyed by ``CSV_COLUMNS``."""
    for result in results:
        for claim in result.claims:
            sp = claim.speaker
            yield {
                "document": document_name(result),
                "claim_id": claim.id,
                "type": claim.type,
                "speaker": sp.text if sp else "",
                "resolved_speaker": sp.resolved.text if sp and sp.resolved else "",
                "speaker_kind": sp.kind if sp else "",
                "anonymous": ("true" if sp.anonymous else "false") if sp else "",
                "cue": claim.cue.text,
                "category": claim.cue.category,
                "content": claim.content.text,
                "start": claim.content.start,
                "end": claim.content.end,
                "figures": "; ".join(figure_csv(f) for f in claim.figures),
                "confidence": claim.confidence,
            }


def write_csv(results: Iterable[DocumentResult], fp: TextIO) -> int:
    """CSV with a header row and one row per claim; returns the number of documents."""
    n = 0
    writer = csv.DictWriter(fp, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for result in results:
        writer.writerows(csv_rows([result]))
        fp.flush()
        n += 1
    return n


def _md_cell(text: str) -> str:
    # A pipe ends a cell and a line break ends the row: neither may survive inside one.
    return " ".join(text.split()).replace("\\", "\\\\").replace("|", "\\|") or " "


def write_markdown(results: Iterable[DocumentResult], fp: TextIO) -> int:
    """A heading and a table per document (GitHub-flavoured Markdown)."""
    n = 0
    for result in results:
        if n:
            fp.write("\n")
        n += 1
        fp.write(f"## {_md_cell(document_name(result))} — {len(result.claims)} claims\n\n")
        if not result.claims:
            fp.write("_No claims found._\n")
            continue
        fp.write("| # | Speaker | Cue | Category | Type | Content | Figures | Confidence |\n")
        fp.write("|---|---|---|---|---|---|---|---|\n")
        for i, claim in enumerate(result.claims, 1):
            cells = [
                str(i),
                speaker_label(claim.speaker),
                claim.cue.text,
                claim.cue.category,
                claim.type,
                claim.content.text,
                "; ".join(figure_label(f) for f in claim.figures),
                f"{claim.confidence:.2f}",
            ]
            fp.write("| " + " | ".join(_md_cell(c) for c in cells) + " |\n")
        fp.flush()
    return n


def write_results(
    results: Iterable[DocumentResult], fmt: Format, fp: TextIO, *, single: bool, width: int | None = None
) -> int:
    """Write records in any format; returns the number of documents. ``single``: one JSON object, not a list."""
    if fmt is Format.table:
        return render_table(results, Console(file=fp, width=width, soft_wrap=False))
    if fmt is Format.jsonl:
        return write_jsonl(results, fp)
    if fmt is Format.csv:
        return write_csv(results, fp)
    if fmt is Format.markdown:
        return write_markdown(results, fp)
    if fmt is Format.html:
        from newsclaims.report import write_report

        return write_report(results, fp)
    return write_json(results, fp, single=single)


def read_records(path: Path) -> Iterator[DocumentResult]:
    """Records from a newsclaims JSON (object or list) or JSONL file; a bad line is an InputError naming it."""
    from pydantic import ValidationError

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(f"{path}: cannot read: {getattr(e, 'strerror', None) or e}") from None
    stripped = text.lstrip()
    try:
        if stripped.startswith("["):
            items = [(1, item) for item in json.loads(text)]
        elif stripped.startswith("{") and path.suffix != ".jsonl":
            items = [(1, json.loads(text))]
        else:
            items = [(i, json.loads(line)) for i, line in enumerate(text.splitlines(), 1) if line.strip()]
    except json.JSONDecodeError as e:
        raise InputError(f"{path}: not newsclaims JSON/JSONL: {e.msg} at line {e.lineno}") from None
    for line, item in items:
        try:
            yield DocumentResult.model_validate(item)
        except ValidationError as e:
            first = e.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            raise InputError(f"{path}, line {line}: not a newsclaims record: {where}: {first['msg']}") from None


@contextmanager
def open_output(path: Path | None) -> Iterator[TextIO]:
    """stdout, or ``path`` written under a temporary name and renamed into place only on success.

    An interrupted or failed run never leaves a truncated file where the output should be.
    """
    if path is None:
        yield sys.stdout
        sys.stdout.flush()
        return
    if path.is_dir():
        raise NewsclaimsError(f"{path}: is a directory; give a file name for --output")
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    try:
        fp = tmp.open("w", encoding="utf-8")
    except OSError as e:
        raise NewsclaimsError(f"{path}: cannot write: {e.strerror or e}") from None
    try:
        with fp:
            yield fp
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
