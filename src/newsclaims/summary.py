"""Per-speaker aggregation (``newsclaims speakers``): who said how much, across one or many documents.

Aggregation only: it takes records (read with ``read_results`` from our own files, or the
results of an extraction the caller ran) and gives rows; the output package writes them.

Within a document, speakers are the resolved speakers of ``DocumentResult.speakers`` (a
pronoun and "the official" already count with the mention they refer to). Across documents,
named speakers with the same name (case-insensitive) are one row; unnamed speakers ("a senior
official") stay one row per document, since nothing says two documents' officials are one person.

A newsclaims database (``claims.db``) is read through its corpus-level speakers table instead,
where the merging was done when the documents were written (``newsclaims.output.corpus``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from newsclaims.errors import NewsclaimsError
from newsclaims.filters import ClaimFilter
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


def is_database_file(path: str) -> bool:
    """True for a newsclaims database (``.db``, ``.sqlite``, ``.sqlite3``)."""
    from newsclaims.output.formats import is_database_path

    return is_database_path(Path(path))


def _claim_where(claim_filter: ClaimFilter) -> tuple[str, list[object]]:
    """The filter as SQL over ``claims c``, with the same meaning as ``ClaimFilter.keeps``."""
    conds: list[str] = []
    args: list[object] = []
    if claim_filter.categories:
        conds.append(f"c.category IN ({', '.join('?' * len(claim_filter.categories))})")
        args.extend(sorted(claim_filter.categories))
    if claim_filter.types:
        conds.append(f"c.type IN ({', '.join('?' * len(claim_filter.types))})")
        args.extend(sorted(claim_filter.types))
    if claim_filter.with_figures:
        conds.append("c.figures > 0")
    if claim_filter.min_confidence > 0:
        conds.append("c.confidence >= ?")
        args.append(claim_filter.min_confidence)
    if claim_filter.speaker:
        # newsclaims_contains folds case as Python does (SQLite's lower() knows ASCII only).
        conds.append("(newsclaims_contains(c.speaker_text, ?) OR newsclaims_contains(c.speaker_resolved, ?))")
        args.extend([claim_filter.speaker, claim_filter.speaker])
    return " AND ".join(conds), args


def summarise_database(path: str, claim_filter: ClaimFilter | None = None) -> list[SpeakerRow]:
    """Rows from a newsclaims database's corpus speakers, in ``summarise``'s order."""
    from newsclaims.output.sqlite import speaker_totals

    where, args = _claim_where(claim_filter or ClaimFilter())
    rows = []
    for t in speaker_totals(Path(path), where, args):
        row = SpeakerRow(t["name"], t["kind"], t["named"], t["anonymous"], t["documents"], t["claims"])
        row.categories.update(t["categories"])
        row.figures = t["figures"]
        row.mentions = t["mentions"]
        rows.append(row)
    return sorted(rows, key=lambda r: (-r.claims, r.name.casefold(), r.documents))


def summarise_paths(
    paths: Sequence[str], extracted: Iterable[DocumentResult], claim_filter: ClaimFilter
) -> tuple[list[SpeakerRow], str | None]:
    """Rows for ``newsclaims speakers``, and the database's merging report when PATHS is one database.

    A database is summarised on its own: its speakers were merged when it was written, and
    mixing its rows with records' would count documents in both twice.
    """
    databases = [p for p in paths if is_database_file(p)]
    if not databases:
        return summarise(claim_filter.apply_all(read_results(paths, extracted))), None
    if len(paths) > 1:
        raise NewsclaimsError("give one database, or record files and articles, not both")
    from newsclaims.output.sqlite import merging_line, speaker_merging

    return summarise_database(databases[0], claim_filter), merging_line(speaker_merging(Path(databases[0])))


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
