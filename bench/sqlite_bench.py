"""The SQLite output: load time and memory, quote grouping quality and cost, FTS latency, batch overhead.

    .venv/bin/python bench/sqlite_bench.py corpus [--count 10000] [--shared 0.10]
    .venv/bin/python bench/sqlite_bench.py sweep [--count 10000]          # grouping threshold sweep
    ANY_PYTHON_WITH_DATASKETCH bench/sqlite_bench.py minhash [--count 10000]   # MinHash LSH for comparison
    .venv/bin/python bench/sqlite_bench.py batch [--count 500] [--runs 3]  # DB writing vs a JSONL batch

``corpus`` writes the synthetic corpus of bench/sqlite_corpus.py into a database and reports the
load time, peak RSS, the quote grouping's time and pairwise precision/recall against the planted
quotations, and FTS query latencies. ``sweep`` and ``minhash`` score grouping alone (no database).
``batch`` runs ``newsclaims batch`` on bench/batch_corpus.py's articles to JSONL and to a database,
alternately, and reports the median wall times. Prints Markdown and one JSON line.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(ROOT / "src"))

from sqlite_corpus import Quote, generate  # noqa: E402


def rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def pair_scores(labels: list[int | None], docs: list[int], groups: list[list[int]]) -> tuple[float, float]:
    """Pairwise precision and recall over quotations in different documents (indices into ``labels``)."""

    def pairs(n: int) -> int:
        return n * (n - 1) // 2

    true_pairs = sum(pairs(n) for lab, n in Counter(labels).items() if lab is not None)
    predicted = tp = 0
    for members in groups:
        predicted += pairs(len(members))
        tp += sum(pairs(n) for lab, n in Counter(labels[i] for i in members).items() if lab is not None)
    return (tp / predicted if predicted else 1.0), (tp / true_pairs if true_pairs else 1.0)


def flat(quotes: list[list[Quote]]) -> tuple[list[str], list[int | None], list[int]]:
    texts, labels, docs = [], [], []
    for d, qs in enumerate(quotes):
        for q in qs:
            texts.append(q.text)
            labels.append(q.label)
            docs.append(d)
    return texts, labels, docs


def cmd_corpus(args: argparse.Namespace) -> dict:
    import sqlite3

    from newsclaims.output import sqlite as nsql
    from newsclaims.output.corpus import QuoteItem, group_quotes

    records, quotes = generate(args.count, args.shared)
    texts, labels, docs = flat(quotes)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "corpus.db"
        started = time.perf_counter()
        report = nsql.write_database(records, db)
        load_s = time.perf_counter() - started
        size_mib = db.stat().st_size / 2**20
        conn = sqlite3.connect(db)
        # Grouping alone, on what the database holds (the load above includes it once).
        items = [
            QuoteItem(*row)
            for row in conn.execute(
                "SELECT c.id, c.document_id, d.published, c.words FROM claims c JOIN documents d "
                "ON d.id = c.document_id WHERE c.type = 'direct' ORDER BY c.id"
            )
        ]
        started = time.perf_counter()
        groups = group_quotes(items)
        group_s = time.perf_counter() - started
        # Claims were written in generation order, so the n-th direct claim is the n-th planted quotation.
        index = {it.claim: i for i, it in enumerate(items)}
        precision, recall = pair_scores(labels, docs, [[index[m.claim] for m in g.members] for g in groups])
        queries = {
            "word in claims": "SELECT count(*) FROM claims_fts WHERE claims_fts MATCH 'committed'",
            "phrase in claims": "SELECT count(*) FROM claims_fts WHERE claims_fts MATCH '\"end of the day\"'",
            "speaker name": "SELECT count(*) FROM speakers_fts WHERE speakers_fts MATCH 'okafor'",
            "FTS + join, 20 rows": (
                "SELECT v.* FROM claims_view v JOIN claims_fts f ON f.rowid = v.claim "
                "WHERE claims_fts MATCH 'clear' ORDER BY v.published LIMIT 20"
            ),
        }
        latency = {}
        for name, sql in queries.items():
            times = []
            for _ in range(20):
                t = time.perf_counter()
                conn.execute(sql).fetchall()
                times.append(time.perf_counter() - t)
            latency[name] = round(statistics.median(times) * 1000, 2)
        counts = {
            t: conn.execute(f"SELECT count(*) FROM [{t}]").fetchone()[0] for t in ("claims", "speakers", "mentions")
        }
        merged = nsql.merging(nsql.open_database(db))
        conn.close()
    out = {
        "documents": report.documents,
        "quotations": len(texts),
        "planted": sum(1 for lab in labels if lab is not None),
        "groups": report.quote_groups,
        "load_s": round(load_s, 1),
        "docs_per_s": round(report.documents / load_s),
        "db_mib": round(size_mib, 1),
        "peak_rss_mib": round(rss_mib()),
        "group_s": round(group_s, 2),
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "fts_ms": latency,
        **counts,
        "merging": merged,
    }
    print("| documents | quotations (planted) | load s | docs/s | DB MiB | peak RSS MiB | grouping s | P | R |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    print(
        f"| {out['documents']:,} | {out['quotations']:,} ({out['planted']:,}) | {out['load_s']} | {out['docs_per_s']} "
        f"| {out['db_mib']} | {out['peak_rss_mib']} | {out['group_s']} | {out['precision']} | {out['recall']} |"
    )
    print("\n| FTS query | median ms |\n|---|---:|")
    for name, ms in latency.items():
        print(f"| {name} | {ms} |")
    return out


def cmd_sweep(args: argparse.Namespace) -> dict:
    from newsclaims.output.corpus import QuoteItem, group_quotes

    _, quotes = generate(args.count, args.shared)
    texts, labels, docs = flat(quotes)
    items = [QuoteItem(i, docs[i], None, t) for i, t in enumerate(texts)]
    out = {}
    print("| threshold | P | R | groups | s |\n|---:|---:|---:|---:|---:|")
    for t in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.01):
        started = time.perf_counter()
        groups = group_quotes(items, t)
        secs = time.perf_counter() - started
        p, r = pair_scores(labels, docs, [[m.claim for m in g.members] for g in groups])
        out[t] = {"precision": round(p, 4), "recall": round(r, 4), "groups": len(groups), "s": round(secs, 2)}
        label = "exact only" if t > 1 else t
        print(f"| {label} | {p:.4f} | {r:.4f} | {len(groups):,} | {secs:.2f} |")
    return out


def cmd_minhash(args: argparse.Namespace) -> dict:
    """MinHash LSH (datasketch) over the same shingles, for the cost comparison; exact groups first, as ours."""
    import importlib.util

    from datasketch import MinHash, MinHashLSH

    # The module file alone: importing the newsclaims package would need its dependencies here too.
    spec = importlib.util.spec_from_file_location("corpus", ROOT / "src" / "newsclaims" / "output" / "corpus.py")
    assert spec is not None and spec.loader is not None
    corpus = importlib.util.module_from_spec(spec)
    sys.modules["corpus"] = corpus  # dataclasses look their module up while the file executes
    spec.loader.exec_module(corpus)
    _Union, normalise_quote, shingles = corpus._Union, corpus.normalise_quote, corpus.shingles

    _, quotes = generate(args.count, args.shared)
    texts, labels, docs = flat(quotes)
    started = time.perf_counter()
    normals = [normalise_quote(t) for t in texts]
    forms = list(dict.fromkeys(normals))
    pos = {f: i for i, f in enumerate(forms)}
    lsh = MinHashLSH(threshold=0.5, num_perm=128)
    hashes = []
    for i, f in enumerate(forms):
        m = MinHash(num_perm=128)
        m.update_batch([s.encode() for s in shingles(f)])
        hashes.append(m)
        lsh.insert(str(i), m)
    union = _Union(len(forms))
    for i, m in enumerate(hashes):
        for j in lsh.query(m):
            union.union(i, int(j))
    by_root: dict[int, list[int]] = {}
    for idx, n in enumerate(normals):
        by_root.setdefault(union.find(pos[n]), []).append(idx)
    groups = [g for g in by_root.values() if len({docs[i] for i in g}) > 1]
    secs = time.perf_counter() - started
    p, r = pair_scores(labels, docs, groups)
    print(f"| MinHash LSH (128 perms, 0.5) | {p:.4f} | {r:.4f} | {len(groups):,} | {secs:.2f} | {rss_mib():.0f} MiB |")
    return {"precision": round(p, 4), "recall": round(r, 4), "s": round(secs, 2), "peak_rss_mib": round(rss_mib())}


def cmd_batch(args: argparse.Namespace) -> dict:
    from batch_corpus import generate as articles

    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in"
        articles(src, args.count)
        walls: dict[str, list[float]] = {"jsonl": [], "sqlite": []}
        exe = [sys.executable, "-m", "newsclaims", "batch", str(src), "-w", str(args.workers), "-q"]
        env = {"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"}
        for run in range(args.runs):
            # Alternating, so drift in the machine's load falls on both alike.
            for fmt in ("jsonl", "sqlite") if run % 2 == 0 else ("sqlite", "jsonl"):
                out = Path(tmp) / f"out{run}.{'db' if fmt == 'sqlite' else 'jsonl'}"
                started = time.perf_counter()
                subprocess.run([*exe, "-o", str(out)], check=True, env=env)
                walls[fmt].append(time.perf_counter() - started)
        # The database step alone, from the records the sqlite runs kept.
        from newsclaims.output import read_records
        from newsclaims.output.sqlite import write_database

        store = Path(tmp) / "out0.records.jsonl"
        started = time.perf_counter()
        write_database(read_records(store), Path(tmp) / "alone.db")
        alone = time.perf_counter() - started
    j, s = statistics.median(walls["jsonl"]), statistics.median(walls["sqlite"])
    out = {
        "articles": args.count,
        "workers": args.workers,
        "jsonl_s": walls["jsonl"],
        "sqlite_s": walls["sqlite"],
        "median_jsonl_s": round(j, 2),
        "median_sqlite_s": round(s, 2),
        "overhead": round(s / j - 1, 4),
        "db_step_s": round(alone, 2),
    }
    print("| output | runs (s) | median s |\n|---|---|---:|")
    for fmt in ("jsonl", "sqlite"):
        print(f"| {fmt} | {', '.join(f'{w:.1f}' for w in walls[fmt])} | {statistics.median(walls[fmt]):.1f} |")
    print(
        f"\nDatabase overhead: {100 * (s / j - 1):+.1f}% of wall time; reading the records and writing "
        f"the database alone: {alone:.2f} s."
    )
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("what", choices=["corpus", "sweep", "minhash", "batch"])
    ap.add_argument("--count", type=int, default=None)
    ap.add_argument("--shared", type=float, default=0.10)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--workers", type=int, default=1)
    args = ap.parse_args()
    if args.count is None:
        args.count = 500 if args.what == "batch" else 10_000
    result = {"corpus": cmd_corpus, "sweep": cmd_sweep, "minhash": cmd_minhash, "batch": cmd_batch}[args.what](args)
    print(json.dumps({"bench": args.what, **result}, default=str))


if __name__ == "__main__":
    main()
