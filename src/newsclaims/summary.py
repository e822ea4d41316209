"""Per-speaker aggregation (``newsclaims speakers``): who said how much, across one or many documents.

Aggregation only: it takes records (read with ``read_results`` from our own files, or the
results of an extraction the caller ran) and gives rows; the output package writes them.

Within a document, speakers are the resolved speakers of ``DocumentResult.speakers`` (a
pronoun and "the official" already count with the mention they refer to). Across documents,
named speakers with the same name (case-insensitive) are one row; unnamed speakers ("a senior
official") stay one row per document, since nothing says two documents' officials are one person.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from newsclaims.models import DocumentResult
from newsclaims.output.labels import document_name
from newsclaims.output.records import read_records

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
                if claim.cue is not None:
                    row.categories[claim.cue.category] += 1
                row.figures += len(claim.figures)
    return sorted(rows.values(), key=lambda r: (-r.claims, r.name.casefold(), r.documents))


def is_record_file(path: str) -> bool:
    """True for a newsclaims JSON/JSONL output (read as records); anything else is an article."""
    return Path(path).suffix.lower() in RECORD_SUFFIXES


def read_results(paths: Iterable[str], extracted: Iterable[DocumentResult] = ()) -> Iterator[DocumentResult]:
    """Records in ``paths`` order: record files are read as they are; each other path takes the
    next of ``extracted`` (the caller's extraction of those articles, in the same order)."""
    pending = iter(extracted)
    for p in paths:
        if is_record_file(p):
            yield from read_records(Path(p), tolerant=False)
        else:
            yield next(pending)


TABLE_COLUMNS = (
    ("Speaker", "left"),
    ("Kind", "left"),
    ("Claims", "right"),
    ("Categories", "left"),
    ("Figures", "right"),
    ("Docs", "right"),
    ("Mentions", "left"),
)


@dataclass
class SpeakerTable:
    """Speaker rows in the shape the shared writers take (``newsclaims.output.write_rows``)."""

    rows: list[SpeakerRow]
    table_columns: Sequence[tuple[str, str]] = TABLE_COLUMNS
    csv_columns: Sequence[str] = CSV_COLUMNS

    @property
    def title(self) -> str:
        return f"{len(self.rows)} speakers"

    def json_items(self) -> list[dict]:
        return [r.as_dict() for r in self.rows]

    def table_rows(self) -> Iterator[tuple[str, ...]]:
        for r in self.rows:
            name = r.name + (" (anonymous)" if r.anonymous else "")
            yield (
                name,
                r.kind,
                str(r.claims),
                r.categories_text(),
                str(r.figures),
                str(len(r.documents)),
                ", ".join(r.mentions),
            )

    def csv_rows(self) -> Iterator[list[object]]:
        """Flat rows: categories as 'assert 3; denial 1', documents as a count, mentions joined by '; '."""
        for r in self.rows:
            yield [
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
