"""Rebuild the real-text dev set's sentences, with their texts, from the shared corpora.

Usage:  /work/main/.venv/bin/python bench/realtext/build.py [--shared ../shared] [--out DIR]

figures_gold.jsonl holds only article ids, offsets and annotations (the texts' licences forbid
copying them into the repository). This script cuts each sentence out of its article, checks
its SHA-256 against the stored one (so a changed corpus file is caught rather than silently
scored against shifted offsets), and writes bench/out/realtext/sentences.jsonl (git-ignored)
with each figure's offsets made relative to its sentence. ``load_sentences`` gives the same
rows in memory, which is what score.py uses.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from common import DEFAULT_SHARED, GOLD, OUT, load_texts, read_gold, sha256


class DriftError(Exception):
    """A gold sentence no longer matches the corpus text it was annotated on."""


@dataclass
class Sentence:
    """One dev-set sentence; ``figures`` offsets are relative to ``text``."""

    source: str
    doc: str
    start: int
    end: int
    negative: bool
    text: str
    figures: list[dict[str, Any]] = field(default_factory=list)


def load_sentences(shared: Path = DEFAULT_SHARED, gold_path: Path = GOLD) -> list[Sentence]:
    """Every gold sentence with its text, verified; raises DriftError listing all mismatches."""
    texts = load_texts(shared)
    rows: list[Sentence] = []
    problems: list[str] = []
    for g in read_gold(gold_path):
        where = f"{g['source']}:{g['doc']}:{g['start']}-{g['end']}"
        article = texts.get((g["source"], g["doc"]))
        if article is None:
            problems.append(f"{where}: article not found")
            continue
        text = article[g["start"] : g["end"]]
        if sha256(text) != g["sha256"]:
            problems.append(f"{where}: sha256 differs (text changed or offsets moved)")
            continue
        figures = []
        for f in g["figures"]:
            if not g["start"] <= f["start"] < f["end"] <= g["end"]:
                problems.append(f"{where}: figure {f['start']}-{f['end']} outside the sentence")
                continue
            figures.append({**f, "start": f["start"] - g["start"], "end": f["end"] - g["start"],
                            "text": article[f["start"] : f["end"]]})
        rows.append(Sentence(g["source"], g["doc"], g["start"], g["end"], bool(g.get("negative")), text, figures))
    if problems:
        raise DriftError(f"{len(problems)} problem(s):\n" + "\n".join(problems))
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", type=Path, default=DEFAULT_SHARED, help="folder holding polnear/ and html-news/")
    ap.add_argument("--out", type=Path, default=OUT, help="where to write sentences.jsonl (keep it git-ignored)")
    args = ap.parse_args()
    try:
        rows = load_sentences(args.shared)
    except DriftError as exc:
        sys.exit(f"build.py: {exc}")
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / "sentences.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(asdict(row), ensure_ascii=False) + "\n")
    figures = sum(len(r.figures) for r in rows)
    print(f"{len(rows)} sentences, {figures} gold figures, all sha256 verified -> {path}")


if __name__ == "__main__":
    main()
