"""Renderers: document results to JSON, JSONL or a Rich table. Output code only serialises models."""

from __future__ import annotations

import json
from collections.abc import Iterable
from enum import StrEnum
from typing import TextIO

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from newsclaims.models import DocumentResult, Figure


class Format(StrEnum):
    table = "table"
    json = "json"
    jsonl = "jsonl"


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


def render_table(results: Iterable[DocumentResult], console: Console) -> int:
    """One Rich table per document, one row per claim."""
    n = 0
    for result in results:
        n += 1
        title = result.source.path or "<stdin>"
        table = Table(title=escape(f"{title} — {len(result.claims)} claims"), show_lines=True, expand=True)
        table.add_column("Speaker", ratio=2)
        table.add_column("Cue", ratio=1)
        table.add_column("Type", ratio=1)
        table.add_column("Content", ratio=5)
        table.add_column("Figures", ratio=2)
        for claim in result.claims:
            sp = claim.speaker
            speaker = "—" if sp is None else sp.text + (f" [{sp.resolved.text}]" if sp.resolved else "")
            if sp is not None and sp.anonymous:
                speaker += " (anonymous)"
            content = claim.content.text.replace("\n", " ")
            if len(content) > 240:
                content = content[:237] + "…"
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
