"""Shared helpers of the real-text dev set: where the corpora live, how texts are read and split.

The texts are never stored in the repository (their licences forbid it); everything here reads
them from the sibling ``shared`` folder at run time and addresses sentences by character offsets.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
# The corpora sit next to the repository (``../shared`` from the repo root), not inside it.
DEFAULT_SHARED = REPO.parent / "shared"
GOLD = HERE / "figures_gold.jsonl"
OUT = REPO / "bench" / "out" / "realtext"

SOURCES = ("polnear-train", "html-news")

# A sentence ends at . ! ? (optionally followed by closing quotes/brackets) before whitespace and
# an opening capital, digit, quote or bracket; a blank line or a single newline always ends one
# (both corpora put paragraphs, headlines and captions on their own lines). A regex rather than
# spaCy's parser so that the split does not move when the model or spaCy version changes.
_SENT_END = re.compile(r"(?<=[.!?])[\"'\u201d\u2019)\]]*\s+(?=[\"'\u201c\u2018(\[A-Z0-9$\u00a3\u20ac])")
# Abbreviations after which a full stop does not end a sentence ("Mr. Trump", "U.S. Sen.").
_ABBREV = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Lt|Col|Sgt|St|Jr|Sr|Prof|Rev|Mt|No|vs|Inc|Corp|Co|Ltd|"
    r"Jan|Feb|Mar|Apr|Aug|Sept|Sep|Oct|Nov|Dec)|\b[A-Z](?:\.[A-Z])*)\.$"
)


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def load_texts(shared: Path) -> dict[tuple[str, str], str]:
    """Every article text of both corpora, keyed by (source, doc id)."""
    texts: dict[tuple[str, str], str] = {}
    with (shared / "polnear" / "train.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            art = json.loads(line)
            texts[("polnear-train", art["id"])] = art["text"]
    truth = json.loads((shared / "html-news" / "ground-truth.json").read_text(encoding="utf-8"))
    for doc_id, entry in truth.items():
        texts[("html-news", doc_id)] = entry["articleBody"]
    return texts


def sentences(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each sentence, surrounding whitespace excluded."""
    for line in re.finditer(r"[^\n]+", text):
        base = line.start()
        chunk = line.group()
        cut = 0
        for m in _SENT_END.finditer(chunk):
            if _ABBREV.search(chunk[cut : m.start()]):
                continue
            yield from _strip(chunk, base, cut, m.start())
            cut = m.end()
        yield from _strip(chunk, base, cut, len(chunk))


def _strip(chunk: str, base: int, start: int, end: int) -> Iterator[tuple[int, int]]:
    piece = chunk[start:end]
    left = len(piece) - len(piece.lstrip())
    right = len(piece.rstrip())
    if right > left:
        yield base + start + left, base + start + right


def read_gold(path: Path = GOLD) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]
