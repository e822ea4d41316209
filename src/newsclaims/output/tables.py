"""Flat renderings: CSV, Markdown and Rich tables, for claims and for any command's summary rows."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Sequence
from typing import TextIO

from rich import box
from rich.console import Console, Group
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from newsclaims.models import Claim, DocumentResult, Figure
from newsclaims.output.labels import cue_category, cue_text, document_name, figure_label, speaker_label
from newsclaims.output.safe_text import for_terminal, for_terminal_line

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


def _markup(text: str) -> str:
    # Article text and file names may carry terminal escape sequences: shown, never obeyed.
    return escape(for_terminal(text))


def write_csv_rows(columns: Sequence[str], rows: Iterable[Sequence[object]], fp: TextIO) -> int:
    """A header row and the rows, flushed per row (a long batch shows progress); returns the row count."""
    writer = csv.writer(fp, lineterminator="\n")
    writer.writerow(columns)
    n = 0
    for row in rows:
        writer.writerow([for_terminal(c) if isinstance(c, str) else c for c in row])
        fp.flush()
        n += 1
    return n


def print_table(console: Console, title: str, columns: Sequence[tuple[str, str]], rows: Iterable[Sequence[str]]) -> int:
    """A plain Rich table of (name, justify) columns; cells are text, never markup. Returns the row count."""
    table = Table(title=_markup(title))
    for name, justify in columns:
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    n = 0
    for row in rows:
        table.add_row(*map(escape, row))
        n += 1
    console.print(table)
    return n


# --- claims ---------------------------------------------------------------------------------------


# Below this width a row of six columns leaves the content ~30 characters: each claim is stacked instead.
STACK_BELOW = 110
PART_JOINER = " … "


def claim_content(claim: Claim) -> str:
    """The speaker's words: the content's parts joined with " … " (the frame "he said" left out)."""
    parts = claim.content.parts or [claim.content]
    return PART_JOINER.join(" ".join(p.text.split()) for p in parts)


def table_caption(result: DocumentResult) -> str:
    """'Title — site, date — 19 claims' when the page named them; the file name otherwise."""
    head = result.title or document_name(result)
    where = ", ".join(x for x in (result.site, (result.published or "")[:10]) if x)
    return " — ".join(x for x in (head, where, f"{len(result.claims)} claims") if x)


def render_table(results: Iterable[DocumentResult], console: Console, *, truncate: bool = False) -> int:
    """One Rich table per document, one row per claim; returns the number of documents.

    Content wraps in full (``truncate`` cuts it to one line); a column empty for every claim is left
    out; below ``STACK_BELOW`` columns each claim is a block of lines instead of a row, as six
    columns in 80 leave the content too little room to be read.
    """
    n = 0
    for result in results:
        n += 1
        stacked = console.width < STACK_BELOW
        table = (_stacked if stacked else _wide)(result, truncate)
        console.print(table)
        if result.title and not stacked:
            console.print(f"[dim]{_markup(document_name(result))}[/dim]", highlight=False)
    return n


def _cells(i: int, claim: Claim) -> dict[str, str]:
    cells = {
        "#": str(i),
        "Speaker": speaker_label(claim.speaker),
        "Cue": cue_text(claim),
        "Category": cue_category(claim),
        "Type": claim.type,
        "Content": claim_content(claim),
        "Figures": "\n".join(figure_label(f) for f in claim.figures),
        "Conf.": f"{claim.confidence:.2f}",
    }
    return {name: for_terminal(value) for name, value in cells.items()}


def _wide(result: DocumentResult, truncate: bool) -> Table:
    rows = [_cells(i, c) for i, c in enumerate(result.claims, 1)]
    table = Table(title=_markup(table_caption(result)), show_lines=True, expand=True)
    # (name, ratio, justify): content takes what the others leave.
    columns = [("#", None, "right"), ("Speaker", 2, "left"), ("Cue", None, "left"), ("Type", None, "left")]
    columns += [("Content", 6, "left"), ("Figures", 2, "left"), ("Conf.", None, "right")]
    for name, ratio, justify in columns:
        if rows and not any(r[name] for r in rows):
            continue  # nobody's figures: the column would only take the content's room
        # A cue cut in two ("according" / "to") reads as two words: cues take the width they need.
        cut = (name == "Content" and truncate) or name == "Cue"
        wrap = {"no_wrap": True, "overflow": "ellipsis"} if cut else {}
        fixed = {"min_width": len(name)} if ratio is None else {"ratio": ratio}
        table.add_column(name, justify=justify, **fixed, **wrap)  # type: ignore[arg-type]
    names = [c.header for c in table.columns]
    for r in rows:
        cue = _markup(r["Cue"]) + (f"\n[dim]{r['Category']}[/dim]" if r["Category"] else "")
        table.add_row(*(cue if name == "Cue" else _markup(r[name]) for name in names))  # type: ignore[arg-type]
    return table


def _stacked(result: DocumentResult, truncate: bool) -> Table:
    """A two-column grid: the claim number, then who/cue/type/confidence, the content, the figures."""
    table = Table(
        title=_markup(table_caption(result)),
        caption=_markup(document_name(result)) if result.title else None,
        show_header=False,
        show_lines=True,
        expand=True,
        box=box.SIMPLE,
    )
    table.add_column("#", justify="right", style="bold")
    table.add_column("Claim", ratio=1, **({"no_wrap": True, "overflow": "ellipsis"} if truncate else {}))  # type: ignore[arg-type]
    for i, claim in enumerate(result.claims, 1):
        r = _cells(i, claim)
        cue = r["Cue"] + (f" ({r['Category']})" if r["Category"] else "")
        head = Text.assemble(
            (r["Speaker"], "bold"), " · ", cue, " · ", (r["Type"], "dim"), " · ", (r["Conf."], "dim")
        )
        lines = [head, Text(r["Content"])]
        if claim.figures:
            lines.append(Text("figures: " + "; ".join(figure_label(f) for f in claim.figures), style="cyan"))
        table.add_row(str(i), Group(*lines))
    return table


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
    return " ".join(for_terminal_line(text).split()).replace("\\", "\\\\").replace("|", "\\|") or " "


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
