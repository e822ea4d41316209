"""The SQLite output: schema, speaker merging, replacement in one transaction, quote groups, CLI, Datasette.

Most tests write the examples' expected records (no spaCy needed); one extracts and one runs a batch.
"""

from __future__ import annotations

import io
import json
import os
import random
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsclaims.cli import app
from newsclaims.models import DocumentResult
from newsclaims.output import Format, format_for_path, write_results, write_results_to
from newsclaims.output import sqlite as nsql
from newsclaims.output.corpus import QuoteItem, group_quotes, jaccard, near_pairs, normalise_quote, shingles

ROOT = Path(__file__).resolve().parent.parent
EXPECTED = sorted((ROOT / "examples" / "expected").glob("*.json"))


def records() -> list[DocumentResult]:
    return [DocumentResult.model_validate_json(p.read_text(encoding="utf-8")) for p in EXPECTED]


def rows(db: Path, sql: str, args: tuple = ()) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql, args).fetchall()
    finally:
        conn.close()


def quoted(record: DocumentResult, path: str, site: str, published: str | None, words: str) -> DocumentResult:
    """``record`` as another outlet's article whose first direct claim quotes ``words``."""
    claims = []
    done = False
    for c in record.claims:
        if c.type == "direct" and not done:
            part = c.content.parts[0].model_copy(update={"text": words})
            c = c.model_copy(update={"content": c.content.model_copy(update={"text": words, "parts": [part]})})
            done = True
        claims.append(c)
    source = record.source.model_copy(update={"path": path})
    return record.model_copy(update={"source": source, "site": site, "published": published, "claims": claims})


# --- schema -------------------------------------------------------------------------------------


def test_tables_views_indexes_fts_and_foreign_keys(tmp_path: Path) -> None:
    db = tmp_path / "claims.db"
    recs = records()
    assert write_results_to(db, recs, Format.sqlite) == len(recs)
    names = {n: t for n, t in rows(db, "SELECT name, type FROM sqlite_master")}
    for table in nsql.TABLES:
        assert names[table] == "table"
    for view in nsql.VIEWS:
        assert names[view] == "view"
    assert {"claims_fts", "speakers_fts"} <= set(names)
    assert "idx_claims_category" in names and "idx_documents_site" in names
    assert rows(db, "PRAGMA foreign_key_check") == []
    assert rows(db, "SELECT count(*) FROM claims")[0][0] == sum(len(r.claims) for r in recs)
    # A derived amount (the > $630m of "more than 70% of the $900m") lives only in its claim: its own row.
    derived = sum(1 for r in recs for c in r.claims for f in c.figures if f.derived)
    assert derived >= 1
    assert rows(db, "SELECT count(*) FROM figures")[0][0] == sum(len(r.figures) for r in recs) + derived
    # Figures inside claims are the document's figure rows, linked, not copies.
    linked = rows(db, "SELECT count(*) FROM claim_figures")[0][0]
    assert linked == sum(len(c.figures) for r in recs for c in r.claims)
    hit = rows(
        db,
        "SELECT c.claim_id FROM claims_fts JOIN claims c ON c.id = claims_fts.rowid WHERE claims_fts MATCH 'libraries'",
    )
    assert hit and rows(db, "SELECT rowid FROM speakers_fts WHERE speakers_fts MATCH 'okafor'")
    # The metadata Datasette reads is beside the database, keyed by its stem.
    meta = json.loads((tmp_path / "claims.metadata.json").read_text(encoding="utf-8"))
    assert meta["databases"]["claims"]["tables"]["claims"]["facets"] == ["category", "type"]
    assert format_for_path(db) is Format.sqlite and format_for_path(tmp_path / "a.jsonl") is None


def test_figure_links_point_at_the_figure_they_convert(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    recs = records()
    nsql.write_database(recs, db)
    claim_only = [f for r in recs for c in r.claims for f in c.figures if f.derived]
    every = [*(f for r in recs for f in r.figures), *claim_only]
    expected = sum(1 for f in every if f.of is not None or f.equivalent_of is not None)
    got = rows(db, "SELECT count(*) FROM figures WHERE equivalent_of_id IS NOT NULL OR of_id IS NOT NULL")[0][0]
    assert got == expected
    bad = rows(
        db,
        "SELECT f.id FROM figures f JOIN figures t ON t.id = f.equivalent_of_id WHERE t.document_id != f.document_id",
    )
    assert bad == []


def test_sql_dump_on_stdout_loads_into_sqlite(tmp_path: Path) -> None:
    buf = io.StringIO()
    write_results(records(), Format.sqlite, buf)
    conn = sqlite3.connect(tmp_path / "loaded.db")
    conn.executescript(buf.getvalue())
    assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == len(EXPECTED)
    assert conn.execute("SELECT count(*) FROM claims_fts WHERE claims_fts MATCH 'libraries'").fetchone()[0] == 1
    conn.close()


def test_a_foreign_database_is_refused(tmp_path: Path) -> None:
    from newsclaims.errors import NewsclaimsError

    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    with pytest.raises(NewsclaimsError, match="not a newsclaims database"):
        nsql.write_database(records(), other)


# --- one speaker across documents ---------------------------------------------------------------


def test_named_speakers_merge_across_documents_unnamed_stay_per_document(tmp_path: Path) -> None:
    base = records()[0]
    copy = base.model_copy(update={"source": base.source.model_copy(update={"path": "copy.txt"})})
    # The same person seen unresolved and in other case: one corpus speaker, with the specific kind.
    speakers = [
        s.model_copy(update={"name": s.name.upper(), "kind": "unknown"}) if s.named else s for s in copy.speakers
    ]
    copy = copy.model_copy(update={"speakers": speakers})
    db = tmp_path / "c.db"
    nsql.write_database([base, copy], db)
    named = [s for s in base.speakers if s.named]
    unnamed = [s for s in base.speakers if not s.named]
    stats = nsql.speaker_merging(db)
    assert stats["document_speakers"] == 2 * len(base.speakers)
    assert stats["named_speakers"] == len(named)
    assert stats["speakers"] == len(named) + 2 * len(unnamed)
    for s in named:
        (kind, docs), *rest = rows(db, "SELECT kind, documents FROM speakers WHERE key = ?", (s.name.casefold(),))
        assert not rest and kind == s.kind and docs == 2
    # A person and an organisation of one name stay apart.
    org = copy.model_copy(
        update={
            "source": base.source.model_copy(update={"path": "org.txt"}),
            "speakers": [s.model_copy(update={"kind": "organization"}) if s.named else s for s in base.speakers],
        }
    )
    if any(s.kind == "person" for s in named):
        nsql.write_database([org], db)
        assert nsql.speaker_merging(db)["named_speakers"] > len(named)


def test_speakers_command_reads_a_database(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    nsql.write_database(records(), db)
    res = CliRunner().invoke(app, ["speakers", str(db), "-f", "json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    top = max(out, key=lambda r: r["claims"])
    assert top["claims"] == out[0]["claims"]
    assert "merged into" in res.stderr
    filtered = json.loads(CliRunner().invoke(app, ["speakers", str(db), "-f", "json", "--speaker", "okafor"]).stdout)
    assert filtered and all("Okafor" in r["speaker"] for r in filtered)


# --- adding, replacing, nothing half-written ----------------------------------------------------


def test_unchanged_documents_are_kept_changed_ones_replaced(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    recs = records()
    first = nsql.write_database(recs, db)
    assert (first.added, first.replaced, first.unchanged) == (len(recs), 0, 0)
    ids_before = rows(db, "SELECT id FROM documents ORDER BY id")
    changed = recs[0].model_copy(update={"claims": recs[0].claims[:1]})
    again = nsql.write_database([changed, *recs[1:]], db)
    assert (again.added, again.replaced, again.unchanged) == (0, 1, len(recs) - 1)
    assert rows(db, "SELECT id FROM documents ORDER BY id")[:-1] == ids_before[1:]
    assert rows(db, "SELECT count(*) FROM claims")[0][0] == 1 + sum(len(r.claims) for r in recs[1:])
    assert rows(db, "SELECT count(*) FROM documents")[0][0] == len(recs)
    assert rows(db, "PRAGMA foreign_key_check") == []
    # FTS follows the replacement (its triggers), so a deleted claim is not found.
    assert rows(db, "SELECT count(*) FROM claims_fts")[0][0] == rows(db, "SELECT count(*) FROM claims")[0][0]


def test_a_failure_inside_a_document_leaves_no_part_of_it(tmp_path: Path, monkeypatch) -> None:
    db = tmp_path / "c.db"
    recs = records()
    nsql.write_database(recs[:1], db)
    before = {t: rows(db, f"SELECT count(*) FROM [{t}]")[0][0] for t in nsql.TABLES}
    original = nsql._Writer._figure

    def fail_late(*args, **kwargs):
        raise RuntimeError("killed mid-document")

    # The figures are built after the document row is inserted: the document must vanish with them.
    monkeypatch.setattr(nsql._Writer, "_figure", staticmethod(fail_late))
    with pytest.raises(RuntimeError):
        nsql.write_database(recs[1:], db)
    monkeypatch.setattr(nsql._Writer, "_figure", original)
    after = {t: rows(db, f"SELECT count(*) FROM [{t}]")[0][0] for t in nsql.TABLES}
    assert after == before


def test_transactions_hold_whole_documents_and_earlier_ones_stay(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(nsql, "DOCS_PER_TRANSACTION", 1)
    recs = records()

    def stream():
        yield from recs[:2]
        raise KeyboardInterrupt

    db = tmp_path / "c.db"
    with pytest.raises(KeyboardInterrupt):
        nsql.write_database(stream(), db)
    assert rows(db, "SELECT count(*) FROM documents")[0][0] == 2
    assert rows(db, "SELECT count(*) FROM claims")[0][0] == sum(len(r.claims) for r in recs[:2])


# --- the same quote across outlets --------------------------------------------------------------


def test_normalising_and_near_duplicates() -> None:
    a = normalise_quote("“We cannot keep   asking families to pay more,”")
    assert (
        a
        == normalise_quote('"we cannot keep asking families to pay more"')
        == normalise_quote("We cannot keep asking families to pay more.")
    )
    near = normalise_quote("We cannot keep asking working families to pay more")
    assert jaccard(shingles(a), shingles(near)) >= 0.6
    other = normalise_quote("Nobody came into politics to close libraries")
    assert jaccard(shingles(a), shingles(other)) < 0.2


def test_prefix_filtering_finds_every_pair_brute_force_finds() -> None:
    rng = random.Random(3)
    words = [f"w{i}" for i in range(40)]
    texts = [" ".join(rng.choices(words, k=rng.randint(4, 12))) for _ in range(150)]
    texts += [t.replace("w1", "w2", 1) for t in texts[:40]]
    sets = [shingles(t) for t in texts]
    for t in (0.5, 0.7, 0.9):
        fast = {(i, j) for i, j, _ in near_pairs(sets, t)}
        slow = {(i, j) for i in range(len(sets)) for j in range(i + 1, len(sets)) if jaccard(sets[i], sets[j]) >= t}
        assert fast == slow, t


def test_groups_need_two_documents_and_list_the_earliest_first() -> None:
    text = "The pattern is remarkably stable wherever the air gets worse"
    items = [
        QuoteItem(1, 10, "2024-03-02", text),
        QuoteItem(2, 11, "2024-03-01", "“" + text.upper() + ",”"),
        QuoteItem(3, 12, None, text.replace("remarkably", "very")),
        QuoteItem(4, 12, "2024-01-01", "Something else entirely said by somebody"),
        QuoteItem(5, 13, "2024-01-01", "Something else entirely said by somebody"),
        QuoteItem(6, 13, "2024-01-01", "No."),
        QuoteItem(7, 14, "2024-01-01", "Once only, in one document, in one place"),
        QuoteItem(8, 14, "2024-01-02", "Once only, in one document, in one place"),
    ]
    groups = group_quotes(items)
    assert [[m.claim for m in g.members] for g in groups] == [[2, 1, 3], [4, 5]]
    assert groups[0].similarity[:2] == [1.0, 1.0] and groups[0].similarity[2] < 1 and not groups[0].exact
    assert groups[1].exact


def test_quotes_table_and_command(tmp_path: Path) -> None:
    base = records()
    words = "We will not balance the books on the backs of the poorest families in this city"
    docs = [
        quoted(base[0], "a/one.txt", "Daily A", "2024-05-02", words),
        quoted(base[1], "b/two.txt", "Daily B", "2024-05-01", "“" + words.lower() + "”"),
        quoted(base[2], "c/three.txt", "Daily C", "2024-05-03", words.replace("poorest", "poorest working")),
    ]
    db = tmp_path / "claims.db"
    nsql.write_database(docs, db)
    (_, n, sites, outlets, first), *_ = rows(db, "SELECT id, documents, sites, outlets, first_published FROM quotes")
    assert (n, sites, outlets, first) == (3, 3, "Daily B, Daily A, Daily C", "2024-05-01")
    res = CliRunner().invoke(app, ["quotes", str(db), "-f", "json"])
    assert res.exit_code == 0, res.output
    (group,) = json.loads(res.stdout)
    assert [o["site"] for o in group["outlets"]] == ["Daily B", "Daily A", "Daily C"]
    searched = CliRunner().invoke(app, ["quotes", str(db), "-f", "json", "--search", "poorest"])
    assert len(json.loads(searched.stdout)) == 1
    none = CliRunner().invoke(app, ["quotes", str(db), "-f", "json", "--min-documents", "4"])
    assert json.loads(none.stdout) == []
    csv_out = CliRunner().invoke(app, ["quotes", str(db), "-f", "csv"])
    assert csv_out.stdout.startswith("quote,documents,exact,speaker,text,outlets")
    # Replacing a member regroups: the quote now in two documents only.
    nsql.write_database([base[2].model_copy(update={"source": docs[2].source, "site": "Daily C"})], db)
    assert rows(db, "SELECT documents FROM quotes") == [(2,)]
    assert rows(db, "PRAGMA foreign_key_check") == []


# --- extract and batch --------------------------------------------------------------------------


def test_extract_and_batch_write_a_database_by_suffix_and_resume_adds_only_new(tmp_path: Path, nlp) -> None:
    runner = CliRunner()
    one = tmp_path / "one.db"
    res = runner.invoke(app, ["extract", str(ROOT / "examples" / "council-budget.txt"), "-o", str(one)])
    assert res.exit_code == 0, res.output
    assert rows(one, "SELECT path FROM documents") == [(str(ROOT / "examples" / "council-budget.txt"),)]

    src = tmp_path / "in"
    src.mkdir()
    for name in ("council-budget.txt", "election-poll.txt"):
        shutil.copy(ROOT / "examples" / name, src / name)
    db = tmp_path / "claims.db"
    res = runner.invoke(app, ["batch", str(src), "-o", str(db), "-w", "1", "-q"])
    assert res.exit_code == 0, res.output
    assert rows(db, "SELECT count(*) FROM documents")[0][0] == 2
    stamp = rows(db, "SELECT id, record_sha FROM documents ORDER BY id")
    shutil.copy(ROOT / "examples" / "trade-figures.txt", src / "trade-figures.txt")
    res = runner.invoke(app, ["batch", str(src), "-o", str(db), "-w", "1", "--resume"])
    assert res.exit_code == 0, res.output
    assert "2 reused" in res.stderr
    after = rows(db, "SELECT id, record_sha FROM documents ORDER BY id")
    assert after[:2] == stamp and len(after) == 3


# --- Datasette ------------------------------------------------------------------------------------


def _datasette() -> str | None:
    """The datasette command: NEWSCLAIMS_DATASETTE, this interpreter's environment, or PATH."""
    given = os.environ.get("NEWSCLAIMS_DATASETTE")
    if given:
        return given
    beside = Path(sys.executable).parent / "datasette"
    return str(beside) if beside.exists() else shutil.which("datasette")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as r:
        return r.read().decode("utf-8")


def test_datasette_serves_facets_and_full_text_search(tmp_path: Path) -> None:
    command = _datasette()
    if command is None:
        pytest.skip("datasette is not installed (pip install 'newsclaims[datasette]')")
    db = tmp_path / "claims.db"
    nsql.write_database(records(), db)
    port = _free_port()
    server = subprocess.Popen(
        [command, "serve", str(db), "-m", str(nsql.metadata_path(db)), "-h", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                _get(base + "/-/versions.json")
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    pytest.fail(f"datasette did not start: {server.stderr.read().decode() if server.stderr else ''}")
                time.sleep(0.2)
        # The metadata's facets apply without asking for them.
        page = json.loads(_get(base + "/claims/claims.json?_extra=facet_results"))
        facets = page["facet_results"]
        facets = facets.get("results", facets)
        assert {"category", "type"} <= set(facets)
        html_page = _get(base + "/claims/claims")
        assert "category" in html_page and "Attributed claims" in html_page
        found = json.loads(_get(base + "/claims/claims.json?_search=libraries&_shape=array"))
        assert len(found) == 1 and "libraries" in found[0]["content"]
        speakers = json.loads(_get(base + "/claims/speakers.json?_search=okafor&_shape=array"))
        assert speakers and "Okafor" in speakers[0]["name"]
        chromium = shutil.which("chromium") or shutil.which("chromium-browser")
        if chromium:
            shot = Path(os.environ.get("NEWSCLAIMS_ARTIFACTS", tmp_path)) / "datasette-claims.png"
            shot.parent.mkdir(parents=True, exist_ok=True)
            subprocess.run(
                [
                    chromium,
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    f"--screenshot={shot}",
                    "--window-size=1280,900",
                    base + "/claims/claims",
                ],
                capture_output=True,
                timeout=90,
                check=False,
            )
            assert shot.exists() and shot.stat().st_size > 10_000
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
