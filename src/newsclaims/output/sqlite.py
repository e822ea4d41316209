"""The SQLite output: a corpus database written with sqlite-utils (``-o claims.db`` or ``--format sqlite``).

Unlike the other formats a database is not rewritten whole: each document (known by its path, or
by its sha256 when read from stdin) is added, left alone when its record is unchanged, or replaced
with all its rows. Documents are written in transactions that only ever hold whole documents, so a
killed run leaves every document either as it was or as it is now. The corpus-level tables
(speaker totals, quote groups) are recomputed in one transaction at the end of every write.

Tables (README "Query your corpus"): documents, claims, speakers (corpus-level), mentions, figures,
claim_figures, quotes, quote_claims; views claims_view, claim_figures_view, quotes_view and
speaker_merging; FTS5 on claims.content and speakers.name/description.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from newsclaims.errors import NewsclaimsError
from newsclaims.models import DocumentResult, Figure
from newsclaims.output.corpus import NEAR_THRESHOLD, QuoteItem, compatible_kinds, group_quotes, speaker_key

if TYPE_CHECKING:
    from sqlite_utils import Database

# Bumped when the tables change shape; a database of another version is refused, not silently mixed.
DB_SCHEMA_VERSION = 1
# Whole documents per transaction: one commit per document costs an fsync each (slow on 10,000),
# and a transaction holding several whole documents is still never half a document.
DOCS_PER_TRANSACTION = 200

TABLES: dict[str, dict[str, Any]] = {
    "documents": {
        "columns": {
            "id": int,
            "doc_key": str,
            "path": str,
            "sha256": str,
            "title": str,
            "site": str,
            "author": str,
            "published": str,
            "text_length": int,
            "claims": int,
            "figures": int,
            "speakers": int,
            "schema_version": int,
            "generator": str,
            "version": str,
            "model": str,
            "rules": str,
            "generated_at": str,
            "resume_key": str,
            "record_sha": str,
        },
        "not_null": {"doc_key", "sha256"},
        "foreign_keys": [],
        "indexes": [["doc_key"], ["site"], ["published"], ["sha256"], ["author"]],
        "unique": [["doc_key"]],
    },
    "speakers": {
        "columns": {
            "id": int,
            "key": str,
            "name": str,
            "kind": str,
            "named": int,
            "anonymous": int,
            "description": str,
            "document_id": int,
            "documents": int,
            "claims": int,
            "mentions": int,
        },
        "not_null": {"name", "kind"},
        "foreign_keys": [("document_id", "documents", "id")],
        "indexes": [["key"], ["kind"], ["document_id"], ["named", "anonymous"]],
    },
    "mentions": {
        "columns": {
            "id": int,
            "document_id": int,
            "speaker_id": int,
            "doc_speaker": str,
            "text": str,
            "start": int,
            "end": int,
        },
        "not_null": {"document_id", "speaker_id", "text"},
        "foreign_keys": [("document_id", "documents", "id"), ("speaker_id", "speakers", "id")],
        "indexes": [["document_id"], ["speaker_id"]],
    },
    "claims": {
        "columns": {
            "id": int,
            "document_id": int,
            "claim_id": str,
            "type": str,
            "speaker_id": int,
            "speaker_text": str,
            "speaker_resolved": str,
            "speaker_start": int,
            "speaker_end": int,
            "cue": str,
            "cue_lemma": str,
            "category": str,
            "content": str,
            "words": str,
            "content_start": int,
            "content_end": int,
            "parts": str,
            "confidence": float,
            "continues": str,
            "continues_id": int,
            "figures": int,
        },
        "not_null": {"document_id", "claim_id", "type", "content"},
        "foreign_keys": [
            ("document_id", "documents", "id"),
            ("speaker_id", "speakers", "id"),
            ("continues_id", "claims", "id"),
        ],
        "indexes": [["document_id"], ["speaker_id"], ["category"], ["type"], ["confidence"], ["continues_id"]],
    },
    "figures": {
        "columns": {
            "id": int,
            "document_id": int,
            "position": int,
            "text": str,
            "start": int,
            "end": int,
            "kind": str,
            "value": float,
            "low": float,
            "high": float,
            "unit": str,
            "qualifier": str,
            "change": str,
            "measures": str,
            "period": str,
            "of_id": int,
            "equivalent_of_id": int,
            "derived": int,
        },
        "not_null": {"document_id", "text", "kind"},
        "foreign_keys": [
            ("document_id", "documents", "id"),
            ("of_id", "figures", "id"),
            ("equivalent_of_id", "figures", "id"),
        ],
        "indexes": [["document_id"], ["kind"], ["unit"], ["of_id"], ["equivalent_of_id"]],
    },
    "claim_figures": {
        "columns": {"claim_id": int, "figure_id": int},
        "pk": ("claim_id", "figure_id"),
        "not_null": {"claim_id", "figure_id"},
        "foreign_keys": [("claim_id", "claims", "id"), ("figure_id", "figures", "id")],
        "indexes": [["figure_id"]],
    },
    "quotes": {
        "columns": {
            "id": int,
            "text": str,
            "documents": int,
            "sites": int,
            "outlets": str,
            "first_published": str,
            "first_document_id": int,
            "first_claim_id": int,
            "speaker_id": int,
            "exact": int,
            "members": int,
        },
        "not_null": {"text"},
        "foreign_keys": [
            ("first_document_id", "documents", "id"),
            ("first_claim_id", "claims", "id"),
            ("speaker_id", "speakers", "id"),
        ],
        "indexes": [["first_published"], ["documents"], ["speaker_id"]],
    },
    "quote_claims": {
        "columns": {
            "quote_id": int,
            "claim_id": int,
            "document_id": int,
            "rank": int,
            "similarity": float,
            "site": str,
            "published": str,
        },
        "pk": ("quote_id", "claim_id"),
        "not_null": {"quote_id", "claim_id", "document_id"},
        "foreign_keys": [
            ("quote_id", "quotes", "id"),
            ("claim_id", "claims", "id"),
            ("document_id", "documents", "id"),
        ],
        "indexes": [["claim_id"], ["document_id"], ["site"]],
    },
}

VIEWS = {
    # The question asked most: who said what, where and when.
    "claims_view": """
        SELECT c.id AS claim, d.path, d.title, d.site, d.published, s.name AS speaker, s.kind AS speaker_kind,
               s.anonymous, c.speaker_text, c.type, c.cue, c.category, c.content, c.confidence, c.figures,
               c.speaker_id, c.document_id
        FROM claims c JOIN documents d ON d.id = c.document_id LEFT JOIN speakers s ON s.id = c.speaker_id""",
    # Figures a speaker asserted, with the claim they sit in.
    "claim_figures_view": """
        SELECT f.id AS figure, f.text AS figure_text, f.kind, f.value, f.low, f.high, f.unit, f.qualifier,
               f.change, f.measures, f.period, c.id AS claim, s.name AS speaker, s.anonymous, c.category,
               c.content, d.path, d.site, d.published
        FROM claim_figures cf JOIN figures f ON f.id = cf.figure_id JOIN claims c ON c.id = cf.claim_id
        JOIN documents d ON d.id = c.document_id LEFT JOIN speakers s ON s.id = c.speaker_id""",
    # Each quote group's members in order of publication, with their outlets.
    "quotes_view": """
        SELECT q.id AS quote, qc.rank, q.documents AS group_documents, q.text AS group_text, c.words AS text,
               qc.similarity, s.name AS speaker, d.site, d.published, d.title, d.path, c.id AS claim
        FROM quote_claims qc JOIN quotes q ON q.id = qc.quote_id JOIN claims c ON c.id = qc.claim_id
        JOIN documents d ON d.id = qc.document_id LEFT JOIN speakers s ON s.id = c.speaker_id""",
    # How many document-level speakers became how many corpus speakers.
    "speaker_merging": """
        SELECT (SELECT count(*) FROM mentions) AS mentions,
               (SELECT count(*) FROM (SELECT DISTINCT document_id, doc_speaker FROM mentions)) AS document_speakers,
               (SELECT count(*) FROM (SELECT DISTINCT m.document_id, m.doc_speaker FROM mentions m
                 JOIN speakers s ON s.id = m.speaker_id WHERE s.document_id IS NULL)) AS named_document_speakers,
               (SELECT count(*) FROM speakers WHERE document_id IS NULL) AS named_speakers,
               (SELECT count(*) FROM speakers) AS speakers""",
}

FTS = {"claims": ["content"], "speakers": ["name", "description"]}

# Datasette reads this (``datasette claims.db -m claims.metadata.json``): descriptions, facets, labels.
DESCRIPTIONS = {
    "documents": "One row per article: source path, content hash, metadata and the generator that made its rows.",
    "claims": "Attributed claims: type, cue and category, the content and the speaker's words, confidence.",
    "speakers": "Corpus-level speakers: named speakers merged across documents by canonical name and "
    "compatible kind; unnamed sources stay one row per document (document_id set).",
    "mentions": "Every mention of a speaker in a document ('Tom Okafor', 'he', 'the council leader').",
    "figures": "Numbers in the documents, normalised; of_id and equivalent_of_id link to the figure they "
    "are a share or a conversion of.",
    "claim_figures": "Which figures sit inside which claims.",
    "quotes": "Direct quotations carried by two or more documents (exact after normalising, or near-duplicates).",
    "quote_claims": "The quotations of each quote group, earliest published first (rank 1).",
    "claims_view": "Claims with their speaker and document.",
    "claim_figures_view": "Figures inside claims, with speaker, category and document.",
    "quotes_view": "Quote groups member by member, with speaker and outlet.",
    "speaker_merging": "How many document-level speakers the corpus speakers were merged from.",
}
FACETS = {
    "documents": ["site", "author"],
    "claims": ["category", "type"],
    "speakers": ["kind", "named", "anonymous"],
    "figures": ["kind", "unit"],
    "claims_view": ["category", "site", "speaker_kind"],
    "claim_figures_view": ["kind", "unit", "site"],
    "quotes_view": ["site"],
}


def metadata_path(path: Path) -> Path:
    """``claims.db`` → ``claims.metadata.json`` beside it."""
    return path.with_name(path.stem + ".metadata.json")


def datasette_metadata(path: Path) -> dict[str, Any]:
    """Datasette metadata for the database at ``path`` (Datasette names a database by its file stem)."""
    tables: dict[str, dict[str, Any]] = {}
    for name, description in DESCRIPTIONS.items():
        entry: dict[str, Any] = {"description": description}
        if name in FACETS:
            entry["facets"] = FACETS[name]
        tables[name] = entry
    # Foreign keys to speakers and documents show the name or path, not a number.
    tables["speakers"]["label_column"] = "name"
    tables["documents"]["label_column"] = "path"
    tables["quotes"]["label_column"] = "text"
    tables["claims"]["sort_desc"] = "confidence"
    tables["quotes"]["sort_desc"] = "documents"
    return {
        "title": "newsclaims corpus",
        "description": "Attributed claims, speakers, figures and shared quotations extracted by newsclaims.",
        "databases": {path.stem: {"tables": tables}},
    }


@dataclass
class WriteReport:
    """What one write did to the database."""

    added: int = 0
    replaced: int = 0
    unchanged: int = 0
    quote_groups: int = 0

    @property
    def documents(self) -> int:
        return self.added + self.replaced + self.unchanged


def open_database(path: Path) -> Database:
    """The database at ``path`` with its tables, indexes, FTS and views created if missing."""
    import sqlite_utils

    if path.is_dir():
        raise NewsclaimsError(f"{path}: is a directory; give a file name for --output")
    try:
        db = sqlite_utils.Database(path)
        version = db.execute("PRAGMA user_version").fetchone()[0]
        existing = set(db.table_names())
    except sqlite3.DatabaseError as e:
        raise NewsclaimsError(f"{path}: not a SQLite database ({e})") from None
    if existing and version != DB_SCHEMA_VERSION:
        db.close()
        raise NewsclaimsError(
            f"{path}: not a newsclaims database of schema {DB_SCHEMA_VERSION} (found {version}); write to a new file"
        )
    db.execute("PRAGMA foreign_keys = ON")
    if not existing:
        _create_schema(db)
    return db


def _create_schema(db: Database) -> None:
    # WAL lets Datasette (or a second reader) query while a batch writes.
    db.enable_wal()
    with db.atomic():
        for name, spec in TABLES.items():
            db[name].create(  # type: ignore[union-attr]
                spec["columns"],
                pk=spec.get("pk", "id"),
                not_null=spec["not_null"],
                foreign_keys=spec["foreign_keys"],
            )
            for cols in spec["indexes"]:
                db[name].create_index(cols, unique=cols in spec.get("unique", []))  # type: ignore[union-attr]
        for table, columns in FTS.items():
            # Triggers keep the FTS index in step with every insert and delete, replacements included.
            db[table].enable_fts(columns, fts_version="FTS5", create_triggers=True, tokenize="porter")  # type: ignore[union-attr]
        for view, sql in VIEWS.items():
            db.create_view(view, sql.strip())
        db.execute(f"PRAGMA user_version = {DB_SCHEMA_VERSION}")


def _contains(hay: str | None, needle: str | None) -> bool:
    return hay is not None and needle is not None and needle.casefold() in hay.casefold()


@contextmanager
def database(path: Path) -> Iterator[Database]:
    db = open_database(path)
    # Case-folded containment for filters (``--speaker``), as ``ClaimFilter.keeps`` compares.
    db.conn.create_function("newsclaims_contains", 2, _contains, deterministic=True)
    try:
        yield db
    finally:
        db.close()


def doc_key(result: DocumentResult) -> str:
    """How a document is known across writes: its path, or its content hash when read from stdin."""
    return result.source.path if result.source.path is not None else f"sha256:{result.source.sha256}"


def record_sha(result: DocumentResult) -> str:
    """Digest of the whole record: an unchanged record leaves its rows alone (``--resume`` adds only what is new)."""
    return hashlib.sha256(result.model_dump_json().encode("utf-8")).hexdigest()


class _Writer:
    """Rows for documents, with the corpus speaker table kept in memory while writing."""

    def __init__(self, db: Database) -> None:
        self.db = db
        # Named corpus speakers by key: [(id, kind)], for merging without a query per speaker.
        self.named: dict[str, list[list[Any]]] = {}
        for row in db.execute("SELECT id, key, kind FROM speakers WHERE document_id IS NULL"):
            self.named.setdefault(row[1], []).append([row[0], row[2]])
        self.existing = {
            row[0]: (row[1], row[2]) for row in db.execute("SELECT doc_key, id, record_sha FROM documents")
        }
        self._next = {t: self._max_id(t) + 1 for t in ("documents", "speakers", "mentions", "claims", "figures")}

    def _max_id(self, table: str) -> int:
        return self.db.execute(f"SELECT coalesce(max(id), 0) FROM [{table}]").fetchone()[0]

    def _id(self, table: str) -> int:
        value = self._next[table]
        self._next[table] = value + 1
        return value

    def write(self, result: DocumentResult, report: WriteReport) -> None:
        key = doc_key(result)
        digest = record_sha(result)
        old = self.existing.get(key)
        if old is not None and old[1] == digest:
            report.unchanged += 1
            return
        if old is not None:
            self._delete(old[0])
            report.replaced += 1
        else:
            report.added += 1
        doc_id = self._insert(result, digest)
        self.existing[key] = (doc_id, digest)

    def _delete(self, doc_id: int) -> None:
        # Children first: foreign keys are enforced, and no row may point at a deleted one.
        ex = self.db.execute
        ex("DELETE FROM quote_claims WHERE document_id = ?", [doc_id])
        ex("UPDATE quotes SET first_claim_id = NULL, first_document_id = NULL WHERE first_document_id = ?", [doc_id])
        ex("DELETE FROM claim_figures WHERE claim_id IN (SELECT id FROM claims WHERE document_id = ?)", [doc_id])
        ex("UPDATE claims SET continues_id = NULL WHERE document_id = ?", [doc_id])
        ex("DELETE FROM claims WHERE document_id = ?", [doc_id])
        ex("UPDATE figures SET of_id = NULL, equivalent_of_id = NULL WHERE document_id = ?", [doc_id])
        ex("DELETE FROM figures WHERE document_id = ?", [doc_id])
        ex("DELETE FROM mentions WHERE document_id = ?", [doc_id])
        ex(
            "UPDATE quotes SET speaker_id = NULL WHERE speaker_id IN (SELECT id FROM speakers WHERE document_id = ?)",
            [doc_id],
        )
        ex("DELETE FROM speakers WHERE document_id = ?", [doc_id])
        ex("DELETE FROM documents WHERE id = ?", [doc_id])
        # Named corpus speakers left without mentions are removed in ``_finish``.

    def _speaker(self, doc_id: int, summary: Any, speaker_rows: list[dict]) -> int:
        """The corpus speaker a document's speaker is, merging named ones by key and compatible kind."""
        if summary.named:
            key = speaker_key(summary.name)
            for entry in self.named.get(key, []):
                if compatible_kinds(entry[1], summary.kind):
                    if entry[1] == "unknown" and summary.kind != "unknown":
                        # Seen unresolved first and as a person now: the specific kind is the better one.
                        entry[1] = summary.kind
                        self.db.execute("UPDATE speakers SET kind = ? WHERE id = ?", [summary.kind, entry[0]])
                    return entry[0]
            sid = self._id("speakers")
            self.named.setdefault(key, []).append([sid, summary.kind])
            # A merged speaker keeps the description of the document that created it (one row per speaker).
            owner = None
        else:
            sid = self._id("speakers")
            key = speaker_key(summary.name)
            owner = doc_id
        speaker_rows.append(
            {
                "id": sid,
                "key": key,
                "name": summary.name,
                "kind": summary.kind,
                "named": summary.named,
                "anonymous": summary.anonymous,
                "description": summary.description,
                "document_id": owner,
            }
        )
        return sid

    def _insert(self, r: DocumentResult, digest: str) -> int:
        from newsclaims.batch.resume import resume_key

        doc_id = self._id("documents")
        g = r.generator
        self.db["documents"].insert(  # type: ignore[union-attr]
            {
                "id": doc_id,
                "doc_key": doc_key(r),
                "path": r.source.path,
                "sha256": r.source.sha256,
                "title": r.title,
                "site": r.site,
                "author": r.author,
                "published": r.published,
                "text_length": len(r.text) if r.text is not None else None,
                "claims": len(r.claims),
                "figures": len(r.figures),
                "speakers": len(r.speakers),
                "schema_version": r.schema_version,
                "generator": g.name,
                "version": g.version,
                "model": g.model,
                "rules": g.rules,
                "generated_at": g.generated_at,
                "resume_key": resume_key(r.source.sha256, g.model, g.rules, g.version),
                "record_sha": digest,
            }
        )
        speaker_rows: list[dict] = []
        mention_rows: list[dict] = []
        by_doc_speaker: dict[str, int] = {}
        for summary in r.speakers:
            sid = self._speaker(doc_id, summary, speaker_rows)
            by_doc_speaker[summary.id] = sid
            for m in summary.mentions:
                mention_rows.append(
                    {
                        "id": self._id("mentions"),
                        "document_id": doc_id,
                        "speaker_id": sid,
                        "doc_speaker": summary.id,
                        "text": m.text,
                        "start": m.start,
                        "end": m.end,
                    }
                )
        figure_ids = [self._id("figures") for _ in r.figures]
        by_span = {(f.start, f.end, f.kind): figure_ids[i] for i, f in enumerate(r.figures)}
        figure_rows = [self._figure(doc_id, i, f, figure_ids) for i, f in enumerate(r.figures)]
        claim_ids = {c.id: self._id("claims") for c in r.claims}
        claim_rows: list[dict] = []
        link_rows: list[dict] = []
        for c in r.claims:
            cid = claim_ids[c.id]
            sp = c.speaker
            claim_rows.append(
                {
                    "id": cid,
                    "document_id": doc_id,
                    "claim_id": c.id,
                    "type": c.type,
                    "speaker_id": by_doc_speaker.get(sp.id) if sp is not None and sp.id is not None else None,
                    "speaker_text": sp.text if sp else None,
                    "speaker_resolved": sp.resolved.text if sp and sp.resolved else None,
                    "speaker_start": sp.start if sp else None,
                    "speaker_end": sp.end if sp else None,
                    "cue": c.cue.text if c.cue else None,
                    "cue_lemma": c.cue.lemma if c.cue else None,
                    "category": c.cue.category if c.cue else None,
                    "content": c.content.text,
                    "words": " … ".join(p.text for p in c.content.parts) if c.content.parts else c.content.text,
                    "content_start": c.content.start,
                    "content_end": c.content.end,
                    "parts": json.dumps([[p.text, p.start, p.end] for p in c.content.parts], ensure_ascii=False),
                    "confidence": c.confidence,
                    "continues": c.continues,
                    "continues_id": claim_ids.get(c.continues) if c.continues else None,
                    "figures": len(c.figures),
                }
            )
            seen: set[int] = set()
            for f in c.figures:
                fid = by_span.get((f.start, f.end, f.kind))
                if fid is None:
                    # A figure only the claim carries (a derived amount): stored, unpositioned.
                    fid = self._id("figures")
                    figure_rows.append(self._figure(doc_id, None, f, figure_ids))
                    figure_rows[-1]["id"] = fid
                if fid not in seen:
                    seen.add(fid)
                    link_rows.append({"claim_id": cid, "figure_id": fid})
        # Parents before children, so every foreign key holds at every insert.
        for table, rows in (
            ("speakers", speaker_rows),
            ("mentions", mention_rows),
            ("figures", figure_rows),
            ("claims", claim_rows),
            ("claim_figures", link_rows),
        ):
            if rows:
                self.db[table].insert_all(rows)  # type: ignore[union-attr]
        return doc_id

    @staticmethod
    def _figure(doc_id: int, position: int | None, f: Figure, ids: list[int]) -> dict:
        def link(index: int | None) -> int | None:
            return ids[index] if index is not None and 0 <= index < len(ids) else None

        return {
            "id": ids[position] if position is not None else None,
            "document_id": doc_id,
            "position": position,
            "text": f.text,
            "start": f.start,
            "end": f.end,
            "kind": f.kind,
            "value": f.value,
            "low": f.low,
            "high": f.high,
            "unit": f.unit,
            "qualifier": f.qualifier,
            "change": f.change,
            "measures": f.measures,
            "period": f.period,
            "of_id": link(f.of),
            "equivalent_of_id": link(f.equivalent_of),
            "derived": f.derived,
        }


def _finish(db: Database, threshold: float) -> int:
    """Recompute the corpus tables in one transaction: speaker totals and the quote groups."""
    with db.atomic():
        ex = db.execute
        ex(
            "UPDATE quotes SET speaker_id = NULL WHERE speaker_id IN "
            "(SELECT id FROM speakers WHERE id NOT IN (SELECT speaker_id FROM mentions))"
        )
        ex("DELETE FROM speakers WHERE id NOT IN (SELECT speaker_id FROM mentions)")
        ex(
            """UPDATE speakers SET
                 mentions = (SELECT count(*) FROM mentions m WHERE m.speaker_id = speakers.id),
                 documents = (SELECT count(DISTINCT m.document_id) FROM mentions m WHERE m.speaker_id = speakers.id),
                 claims = (SELECT count(*) FROM claims c WHERE c.speaker_id = speakers.id)"""
        )
        items = [
            QuoteItem(row[0], row[1], row[2], row[3])
            for row in ex(
                "SELECT c.id, c.document_id, d.published, c.words FROM claims c "
                "JOIN documents d ON d.id = c.document_id WHERE c.type = 'direct' ORDER BY c.id"
            )
        ]
        groups = group_quotes(items, threshold)
        site = dict(ex("SELECT id, site FROM documents").fetchall())
        speaker_of = dict(ex("SELECT id, speaker_id FROM claims WHERE type = 'direct'").fetchall())
        ex("DELETE FROM quote_claims")
        ex("DELETE FROM quotes")
        quote_rows, member_rows = [], []
        for qid, g in enumerate(groups, start=1):
            first = g.members[0]
            outlets: list[str] = []
            for m in g.members:
                s = site.get(m.document)
                if s and s not in outlets:
                    outlets.append(s)
            quote_rows.append(
                {
                    "id": qid,
                    "text": first.text,
                    "documents": len({m.document for m in g.members}),
                    "sites": len(outlets),
                    "outlets": ", ".join(outlets),
                    "first_published": first.published,
                    "first_document_id": first.document,
                    "first_claim_id": first.claim,
                    "speaker_id": speaker_of.get(first.claim),
                    "exact": g.exact,
                    "members": len(g.members),
                }
            )
            for rank, (m, sim) in enumerate(zip(g.members, g.similarity, strict=True), start=1):
                member_rows.append(
                    {
                        "quote_id": qid,
                        "claim_id": m.claim,
                        "document_id": m.document,
                        "rank": rank,
                        "similarity": sim,
                        "site": site.get(m.document),
                        "published": m.published,
                    }
                )
        if quote_rows:
            db["quotes"].insert_all(quote_rows)  # type: ignore[union-attr]
            db["quote_claims"].insert_all(member_rows)  # type: ignore[union-attr]
        return len(groups)


def write_database(results: Iterable[DocumentResult], path: Path, *, threshold: float = NEAR_THRESHOLD) -> WriteReport:
    """Add or replace ``results`` in the database at ``path`` (created if missing), then regroup quotes.

    Also writes Datasette metadata beside it (``claims.metadata.json``).
    """
    report = WriteReport()
    with database(path) as db:
        writer = _Writer(db)
        pending = iter(results)
        try:
            while True:
                # Reading records happens inside the transaction: a read error rolls back only this block.
                with db.atomic():
                    n = 0
                    for result in pending:
                        writer.write(result, report)
                        n += 1
                        if n >= DOCS_PER_TRANSACTION:
                            break
                if n < DOCS_PER_TRANSACTION:
                    break
        finally:
            # Even an interrupted write leaves consistent corpus tables for what it did write.
            report.quote_groups = _finish(db, threshold)
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    metadata_path(path).write_text(json.dumps(datasette_metadata(path), indent=2) + "\n", encoding="utf-8")
    return report


def write_sqlite(results: Iterable[DocumentResult], path: Path) -> int:
    """The format registry's entry: the number of documents written or kept."""
    return write_database(results, path).documents


def write_sql_dump(results: Iterable[DocumentResult], fp: TextIO) -> int:
    """The database of ``results`` as SQL text (``newsclaims extract a.txt -f sqlite | sqlite3 claims.db``)."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="newsclaims-") as tmp:
        path = Path(tmp) / "claims.db"
        count = write_sqlite(results, path)
        conn = sqlite3.connect(path)
        try:
            # iterdump cannot replay FTS5 tables (their triggers fire before the table exists), so the
            # dump carries the plain tables and ends by creating the FTS tables and rebuilding them.
            fts = [f"{table}_fts" for table in FTS]
            marks = ", ".join("?" * len(fts))
            later = [
                row[0]
                for row in conn.execute(
                    f"SELECT sql FROM sqlite_master WHERE (type = 'table' AND name IN ({marks})) "
                    "OR type = 'trigger' ORDER BY type = 'trigger', name",
                    fts,
                )
            ]
            for (trigger,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
                conn.execute(f"DROP TRIGGER [{trigger}]")
            for name in fts:
                conn.execute(f"DROP TABLE [{name}]")
            fp.writelines(line + "\n" for line in conn.iterdump())
            fp.writelines(sql + ";\n" for sql in later)
            fp.writelines(f"INSERT INTO [{name}]([{name}]) VALUES('rebuild');\n" for name in fts)
            fp.write(f"PRAGMA user_version = {DB_SCHEMA_VERSION};\n")
        finally:
            conn.close()
    return count


# Reading back ----------------------------------------------------------------------------------


def merging(db: Database) -> dict[str, int]:
    """``speaker_merging`` as a dict: mentions, document_speakers, named_document_speakers, named_speakers, speakers."""
    cur = db.execute("SELECT * FROM speaker_merging")
    names = [d[0] for d in cur.description]
    return dict(zip(names, cur.fetchone(), strict=True))


def merging_line(stats: dict[str, int]) -> str:
    return (
        f"{stats['mentions']} mentions of {stats['document_speakers']} document speakers merged into "
        f"{stats['speakers']} corpus speakers ({stats['named_document_speakers']} named ones became "
        f"{stats['named_speakers']}; unnamed sources stay per document)"
    )


@dataclass
class QuoteListing:
    """One quote group for ``newsclaims quotes``."""

    id: int
    text: str
    speaker: str | None
    documents: int
    exact: bool
    outlets: list[tuple[str | None, str | None, str | None, float]]  # (site, published, path, similarity)

    def as_dict(self) -> dict[str, Any]:
        return {
            "quote": self.id,
            "text": self.text,
            "speaker": self.speaker,
            "documents": self.documents,
            "exact": self.exact,
            "outlets": [
                {"site": s, "published": p, "path": path, "similarity": sim} for s, p, path, sim in self.outlets
            ],
        }


def read_quotes(
    path: Path, *, min_documents: int = 2, search: str | None = None, limit: int | None = None
) -> list[QuoteListing]:
    """Quote groups of a newsclaims database, most documents first, each with its outlets in order."""
    if not path.is_file():
        raise NewsclaimsError(f"{path}: no such database")
    with database(path) as db:
        sql = (
            "SELECT q.id, q.text, s.name, q.documents, q.exact FROM quotes q "
            "LEFT JOIN speakers s ON s.id = q.speaker_id WHERE q.documents >= ?"
        )
        args: list[Any] = [min_documents]
        if search:
            sql += " AND q.id IN (SELECT qc.quote_id FROM quote_claims qc JOIN claims c ON c.id = qc.claim_id "
            sql += "WHERE c.id IN (SELECT rowid FROM claims_fts WHERE claims_fts MATCH ?))"
            args.append(search)
        sql += " ORDER BY q.documents DESC, q.first_published IS NULL, q.first_published, q.id"
        if limit is not None:
            sql += " LIMIT ?"
            args.append(limit)
        try:
            groups = db.execute(sql, args).fetchall()
        except sqlite3.OperationalError as e:
            raise NewsclaimsError(f"--search: {e}") from None
        out = []
        for qid, text, speaker, docs, exact in groups:
            members = db.execute(
                "SELECT qc.site, qc.published, d.path, qc.similarity FROM quote_claims qc "
                "JOIN documents d ON d.id = qc.document_id WHERE qc.quote_id = ? ORDER BY qc.rank",
                [qid],
            ).fetchall()
            out.append(QuoteListing(qid, text, speaker, docs, bool(exact), [tuple(m) for m in members]))
        return out


def speaker_totals(path: Path, where: str = "", args: Iterable[Any] = ()) -> list[dict[str, Any]]:
    """Per corpus speaker: kind, flags, documents, claims by category, figures, mention texts.

    ``where`` restricts the claims counted (SQL over ``claims c``), as ``newsclaims speakers``' filters do;
    a speaker with no claim left is dropped then, and one with no claim at all is dropped always.
    """
    if not path.is_file():
        raise NewsclaimsError(f"{path}: no such database")
    with database(path) as db:
        cond = f"AND ({where})" if where else ""
        rows = db.execute(
            f"""SELECT s.id, s.name, s.kind, s.named, s.anonymous, c.category, count(*), sum(c.figures)
                FROM claims c JOIN speakers s ON s.id = c.speaker_id WHERE 1 {cond}
                GROUP BY s.id, c.category""",
            list(args),
        ).fetchall()
        by_id: dict[int, dict[str, Any]] = {}
        for sid, name, kind, named, anon, category, n, figs in rows:
            entry = by_id.setdefault(
                sid,
                {
                    "name": name,
                    "kind": kind,
                    "named": bool(named),
                    "anonymous": bool(anon),
                    "claims": 0,
                    "categories": {},
                    "figures": 0,
                    "documents": [],
                    "mentions": [],
                },
            )
            entry["claims"] += n
            entry["figures"] += figs or 0
            if category is not None:
                entry["categories"][category] = entry["categories"].get(category, 0) + n
        for sid, doc in db.execute(
            "SELECT DISTINCT m.speaker_id, coalesce(d.path, '<stdin>') FROM mentions m "
            "JOIN documents d ON d.id = m.document_id ORDER BY m.speaker_id, d.id"
        ):
            if sid in by_id:
                by_id[sid]["documents"].append(doc)
        for sid, text in db.execute("SELECT speaker_id, text FROM mentions ORDER BY speaker_id, id"):
            if sid in by_id and text not in by_id[sid]["mentions"]:
                by_id[sid]["mentions"].append(text)
        return list(by_id.values())


def speaker_merging(path: Path) -> dict[str, int]:
    with database(path) as db:
        return merging(db)


@dataclass
class QuoteTable:
    """Quote groups in the shape the shared writers take (``newsclaims.output.write_rows``)."""

    groups: list[QuoteListing]
    table_columns: Sequence[tuple[str, str]] = (
        ("Quote", "right"),
        ("Docs", "right"),
        ("Speaker", "left"),
        ("Text", "left"),
        ("Outlets, earliest first", "left"),
    )
    csv_columns: Sequence[str] = ("quote", "documents", "exact", "speaker", "text", "outlets")

    @property
    def title(self) -> str:
        return f"{len(self.groups)} quote groups"

    def json_items(self) -> list[dict[str, Any]]:
        return [g.as_dict() for g in self.groups]

    @staticmethod
    def _outlets(g: QuoteListing) -> str:
        return "; ".join(f"{site or path or '?'} {published or 'undated'}" for site, published, path, _ in g.outlets)

    def table_rows(self) -> Iterator[tuple[str, ...]]:
        for g in self.groups:
            yield (str(g.id), str(g.documents), g.speaker or "—", g.text, self._outlets(g))

    def csv_rows(self) -> Iterator[list[object]]:
        for g in self.groups:
            yield [g.id, g.documents, str(g.exact).lower(), g.speaker or "", g.text, self._outlets(g)]
