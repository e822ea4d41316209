"""`newsclaims speakers`: who said how much, across one or many documents.

Within a document, speakers are the resolved speakers of ``DocumentResult.speakers`` (a
pronoun and "the official" already count with the mention they refer to). Across documents,
named speakers with the same name (case-insensitive) are one row; unnamed speakers ("a senior
official") stay one row per document, since nothing says two documents' officials are one person.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from newsclaims.models import DocumentResult
from newsclaims.output import document_name

RECORD_SUFFIXES = (".json", ".jsonl")
CSV_COLUMNS = ("speaker", "kind", "named", "anonymous", "documents", "claims", "categories", "figures", "mentions")


@dataclass
class SpeakerRow:
    """One speaker's totals."""

    name: str
    kind: str
    named: bool
    anonymous: bool
    documents: list[str] = field(default_factory=list)
    claims: int = 0
    categories: Counter[str] = field(default_factory=Counter)
    figures: int = 0
    mentions: list[str] = field(default_factory=list)

    def categories_text(self) -> str:
        return "; ".join(f"{cat} {n}" for cat, n in sorted(self.categories.items(), key=lambda kv: (-kv[1], kv[0])))

    def as_dict(self) -> dict:
        return {
            "speaker": self.name,
            "kind": self.kind,
            "named": self.named,
            "anonymous": self.anonymous,
            "documents": self.documents,
            "claims": self.claims,
            "categories": dict(sorted(self.categories.items())),
            "figures": self.figures,
            "mentions": self.mentions,
        }


def summarise(results: Iterable[DocumentResult]) -> list[SpeakerRow]:
    """Rows by claim count (most first), then name; claims without a speaker are not counted."""
    rows: dict[tuple, SpeakerRow] = {}
    for doc_no, result in enumerate(results):
        name = document_name(result)
        claims = {c.id: c for c in result.claims}
        for summary in result.speakers:
            key = ("named", summary.name.casefold()) if summary.named else ("doc", doc_no, summary.id)
            row = rows.get(key)
            if row is None:
                row = rows[key] = SpeakerRow(summary.name, summary.kind, summary.named, summary.anonymous)
            row.anonymous = row.anonymous or summary.anonymous
            if name not in row.documents:
                row.documents.append(name)
            for mention in summary.mentions:
                if mention.text not in row.mentions:
                    row.mentions.append(mention.text)
            for cid in summary.claims:
                claim = claims.get(cid)
                if claim is None:
                    continue
                row.claims += 1
                row.categories[claim.cue.category] += 1
                row.figures += len(claim.figures)
    return sorted(rows.values(), key=lambda r: (-r.claims, r.name.casefold(), r.documents))


def load_results(
    paths: list[str], *, model: str | None = None, rules_dir: Path | None = None
) -> Iterator[DocumentResult]:
    """Records from newsclaims JSON/JSONL files as they are; any other file is extracted as an article."""
    from newsclaims.inputs import read_article
    from newsclaims.output import read_records

    articles = [read_article(p) for p in paths if Path(p).suffix.lower() not in RECORD_SUFFIXES]
    extracted = iter(())
    if articles:
        from newsclaims.pipeline import extract_articles

        extracted = extract_articles(articles, model=model, rules_dir=rules_dir)
    for p in paths:
        if Path(p).suffix.lower() in RECORD_SUFFIXES:
            yield from read_records(Path(p))
        else:
            yield next(extracted)


def render_table(rows: list[SpeakerRow], console: Console) -> None:
    """A Rich table, one row per speaker."""
    table = Table(title=f"{len(rows)} speakers", show_lines=False, expand=False)
    for column, justify in (
        ("Speaker", "left"),
        ("Kind", "left"),
        ("Claims", "right"),
        ("Categories", "left"),
        ("Figures", "right"),
        ("Docs", "right"),
        ("Mentions", "left"),
    ):
        table.add_column(column, justify=justify)  # type: ignore[arg-type]
    for r in rows:
        name = r.name + (" (anonymous)" if r.anonymous else "")
        cells = (name, r.kind, str(r.claims), r.categories_text(), str(r.figures), str(len(r.documents)))
        table.add_row(*map(escape, cells), escape(", ".join(r.mentions)))
    console.print(table)


def write_json(rows: list[SpeakerRow], fp: TextIO) -> None:
    fp.write(json.dumps([r.as_dict() for r in rows], indent=2, ensure_ascii=False) + "\n")


def write_csv(rows: list[SpeakerRow], fp: TextIO) -> None:
    """Flat rows: categories as 'assert 3; denial 1', documents as a count, mentions joined by '; '."""
    writer = csv.writer(fp, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for r in rows:
        writer.writerow(
            [
                r.name,
                r.kind,
                str(r.named).lower(),
                str(r.anonymous).lower(),
                len(r.documents),
                r.claims,
                r.categories_text(),
                r.figures,
                "; ".join(r.mentions),
            ]
        )
