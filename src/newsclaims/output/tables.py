"""Flat renderings: CSV, Markdown and Rich tables, for claims and for any command's summary rows."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Sequence
from typing import TextIO

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from newsclaims.models import DocumentResult, Figure
from newsclaims.output.labels import cue_category, cue_text, document_name, figure_label, speaker_label

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


# --- generic: any rows ----------------------------------------------------------------------------


def write_csv_rows(columns: Sequence[str], rows: Iterable[Sequence[object]], fp: TextIO) -> int:
    """A header row and the rows, flushed per row (a long batch shows progress); returns the row count."""
    writer = csv.writer(fp, lineterminator="\n")
    writer.writerow(columns)
    n = 0
    for row in rows:
        writer.writerow(row)
        fp.flush()
        n += 1
    return n


def print_table(console: Console, title: str, columns: Sequence[tuple[str, str]], rows: Iterable[Sequence[str]]) -> int:
    """A plain Rich table of (name, justify) columns; cells are text, never markup. Returns the row count."""
    table = Table(title=escape(title))
    for name, justify in columns:
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    n = 0
    for row in rows:
        table.add_row(*map(escape, row))
        n += 1
    console.print(table)
    return n


# --- claims ---------------------------------------------------------------------------------------


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
                f"{escape(cue_text(claim))}\n[dim]{cue_category(claim)}[/dim]",
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
                "cue": claim.cue.text if claim.cue else "",
                "category": cue_category(claim),
                "content": claim.content.text,
                "start": claim.content.start,
                "end": claim.content.end,
                "figures": "; ".join(figure_csv(f) for f in claim.figures),
                "confidence": claim.confidence,
            }


def write_csv(results: Iterable[DocumentResult], fp: TextIO) -> int:
    """CSV with a header row and one row per claim; returns the number of documents."""
    counted: list[int] = []

    def rows() -> Iterator[list[object]]:
        for result in results:
            counted.append(1)
            for row in csv_rows([result]):
                yield [row[c] for c in CSV_COLUMNS]

    write_csv_rows(CSV_COLUMNS, rows(), fp)
    return len(counted)


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
                cue_text(claim),
                cue_category(claim),
                claim.type,
                claim.content.text,
                "; ".join(figure_label(f) for f in claim.figures),
                f"{claim.confidence:.2f}",
            ]
            fp.write("| " + " | ".join(_md_cell(c) for c in cells) + " |\n")
        fp.flush()
    return n
