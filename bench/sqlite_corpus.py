"""A synthetic corpus of newsclaims records for the SQLite benchmark, with shared quotes planted at a known rate.

Records, not articles: extracting 10,000 articles would take an hour of CPU and measure spaCy, not
the database. Each record is one of the examples' expected records (examples/expected/*.json) with
new names for its named speakers, a site, a publication date and new quotations. About half of the
indirect claims become direct quotations, so there are ~3 quotations per document.

Quotations are random word sequences from a fixed vocabulary, a third of them opening with a stock
phrase ("we are committed to", "at the end of the day") so that distinct quotations do share words.
Another 15% open with one of 40 shared 6–9 word slogans and go on differently: distinct
quotations that share half their words, the negatives a loose threshold would merge.
A share of them (``--shared``, default 10%) come from a pool of planted quotations, each carried by
2–6 documents, and every carrying document gets a variant: 40% exact, 30% other quotation marks,
case or spacing, 30% near-duplicates (one word changed, one dropped, or the last two cut off).
Ground truth is the planted quotation's id per claim.

Generation of the quotations (``plant``) needs only the standard library, so the MinHash comparison
of bench/sqlite_bench.py can run in an environment without newsclaims' dependencies.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIRST = [
    "Maria",
    "James",
    "Aisha",
    "Tom",
    "Li",
    "Priya",
    "Carlos",
    "Hannah",
    "Kwame",
    "Elena",
    "Omar",
    "Grace",
    "Ines",
    "Pavel",
    "Sofia",
    "Yusuf",
    "Mei",
    "Daniel",
    "Freya",
    "Ravi",
]
LAST = [
    "Okafor",
    "Schmidt",
    "Nakamura",
    "Ellis",
    "Duarte",
    "Novak",
    "Haddad",
    "Brennan",
    "Iversen",
    "Moreau",
    "Lindqvist",
    "Mercer",
    "Shah",
    "Kowalski",
    "Adeyemi",
    "Rossi",
    "Tanaka",
    "Murphy",
    "Weber",
    "Costa",
]
SITES = [
    f"{a} {b}"
    for a in ("Daily", "Evening", "Morning", "Weekly", "National")
    for b in ("Herald", "Courier", "Post", "Times", "Record", "Mirror")
]
STOCK = [
    "we are committed to",
    "at the end of the day",
    "let me be clear",
    "the fact is that",
    "we have always said that",
    "nobody should be surprised that",
]
SYLLABLES = ["ka", "lo", "mi", "ta", "ren", "dor", "vi", "sal", "pe", "qua", "ni", "mor", "tel", "zu", "bra", "fen"]


def vocabulary(rng: random.Random, size: int = 4000) -> list[str]:
    words: set[str] = set()
    while len(words) < size:
        words.add("".join(rng.choices(SYLLABLES, k=rng.randint(1, 3))))
    return sorted(words)


@dataclass
class Quote:
    text: str
    label: int | None  # the planted quotation's id, None for a quotation of its own


def _fresh(rng: random.Random, vocab: list[str], slogans: list[str]) -> str:
    words = rng.choices(vocab, k=rng.randint(8, 24))
    r = rng.random()
    if r < 0.3:
        words = [*rng.choice(STOCK).split(), *words]
    elif r < 0.45:
        # Hard negatives: distinct quotations that open with the same 6-9 word slogan.
        words = [*rng.choice(slogans).split(), *words[: rng.randint(6, 14)]]
    return " ".join(words).capitalize() + "."


def _variant(rng: random.Random, text: str, vocab: list[str]) -> str:
    r = rng.random()
    if r < 0.4:
        return text
    if r < 0.7:
        style = rng.choice(["upper", "lower", "space", "marks"])
        if style == "upper":
            return text.upper()
        if style == "lower":
            return text.lower()
        if style == "space":
            return text.replace(" ", "  ", 3)
        return "\u201c" + text.rstrip(".") + ",\u201d"
    words = text.rstrip(".").split()
    edit = rng.choice(["change", "drop", "cut"])
    i = rng.randrange(len(words))
    if edit == "change":
        words[i] = rng.choice(vocab)
    elif edit == "drop" and len(words) > 6:
        del words[i]
    else:
        words = words[:-2]
    return " ".join(words) + "."


def plant(documents: int, per_document: list[int], shared: float, seed: int) -> list[list[Quote]]:
    """Quotations per document: ``per_document[d]`` each, a share ``shared`` of all from the planted pool."""
    rng = random.Random(seed)
    vocab = vocabulary(rng)
    slogans = [" ".join(rng.choices(vocab, k=rng.randint(6, 9))) for _ in range(40)]
    total = sum(per_document)
    slots = [(d, k) for d in range(documents) for k in range(per_document[d])]
    rng.shuffle(slots)
    out: list[list[Quote | None]] = [[None] * n for n in per_document]
    budget = int(total * shared)
    label = 0
    pos = 0
    while budget >= 2 and pos < len(slots):
        n = min(rng.randint(2, 6), budget)
        text = _fresh(rng, vocab, slogans)
        used: set[int] = set()
        taken = 0
        # One planted quotation per document: the ground truth is about recurring across documents.
        while taken < n and pos < len(slots):
            d, k = slots[pos]
            pos += 1
            if d in used:
                continue
            used.add(d)
            out[d][k] = Quote(_variant(rng, text, vocab), label)
            taken += 1
        budget -= taken
        label += 1
    return [[q if q is not None else Quote(_fresh(rng, vocab, slogans), None) for q in doc] for doc in out]


def templates() -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted((ROOT / "examples" / "expected").glob("*.json"))]


def generate(count: int, shared: float = 0.10, seed: int = 11) -> tuple[Iterator, list[list[Quote]]]:
    """``(records, quotes)``: a lazy stream of ``DocumentResult`` and the planted quotations per document."""
    rng = random.Random(seed)
    temps = templates()
    choice = [rng.randrange(len(temps)) for _ in range(count)]
    # Which claims of each document are quotations: the direct ones and about half the indirect ones.
    direct: list[list[int]] = []
    for d in range(count):
        claims = temps[choice[d]]["claims"]
        direct.append(
            [
                i
                for i, c in enumerate(claims)
                if c["type"] == "direct" or (c["type"] == "indirect" and rng.random() < 0.5)
            ]
        )
    quotes = plant(count, [len(x) for x in direct], shared, seed)

    def records() -> Iterator:
        from newsclaims.models import DocumentResult

        for d in range(count):
            doc = json.loads(json.dumps(temps[choice[d]]))
            names: dict[str, str] = {}
            for s in doc["speakers"]:
                if s["named"]:
                    names[s["name"]] = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
                    s["name"] = names[s["name"]]
            for c, q in zip((doc["claims"][i] for i in direct[d]), quotes[d], strict=True):
                c["type"] = "direct"
                c["content"]["text"] = f"\u201c{q.text}\u201d"
                c["content"]["parts"] = [{"text": q.text, "start": c["content"]["start"], "end": c["content"]["end"]}]
                if c["speaker"] is not None and c["speaker"].get("name") in names:
                    c["speaker"]["name"] = names[c["speaker"]["name"]]
            doc["source"]["path"] = f"corpus/{d:05d}-{doc['source']['path']}"
            doc["site"] = rng.choice(SITES)
            doc["published"] = f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            yield DocumentResult.model_validate(doc)

    return records(), quotes
