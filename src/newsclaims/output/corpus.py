"""Corpus-level grouping that no single document can do: one speaker across documents, one quote across outlets.

Pure functions over plain values (no database here), so the rules are testable on their own and
``output.sqlite`` only stores what they decide.

Speakers: a named speaker's key is its canonical name, case- and space-folded; two speakers with
the same key are one when their kinds are compatible (equal, or one of them ``unknown``). Unnamed
sources ("a senior official") are never merged: nothing says two documents' officials are one person.

Quotes: a direct quotation's words (its content parts, without the "she said" frame) are normalised
(quotation marks, dashes, case, whitespace, punctuation); equal normal forms are one group, and
near-duplicates join by the Jaccard similarity of their word-pair shingles at or above a threshold.
The similarity join is exact, not sampled: prefix filtering (Chaudhuri et al. 2006; Bayardo et al.
2007) over shingles ordered rarest first only compares two quotes that share a rare shingle, which
keeps the cost near linear in the number of quotes (bench/sqlite_bench.py measures it against
datasketch's MinHash LSH).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# Chosen by bench/sqlite_bench.py's sweep (README "Query your corpus"): planted variants (one word
# changed or dropped, an end cut off) score 0.56 and above on word pairs; distinct quotations that
# share a 6-9 word slogan reach 0.45. 0.5 sits between, with precision and recall 1.0 on 2,000 documents.
NEAR_THRESHOLD = 0.5
SHINGLE = 2  # words
# A quotation this short ("No.", "We'll see") recurs by chance; it is grouped only when exactly equal.
MIN_NEAR_CHARS = 24

_QUOTES = str.maketrans({c: "'" for c in "‘’‚‛′`´"} | {c: '"' for c in "“”„‟″«»"} | {c: "-" for c in "‐‑‒–—―"})
_NON_WORD = re.compile(r"[^\w\s]+")
_SPACE = re.compile(r"\s+")


def speaker_key(name: str) -> str:
    """The merge key of a canonical name: Unicode-, case- and whitespace-folded ("Tom  Okafor" = "tom okafor")."""
    folded = unicodedata.normalize("NFKC", name).translate(_QUOTES).casefold()
    return _SPACE.sub(" ", folded).strip(" .,;:")


def compatible_kinds(a: str, b: str) -> bool:
    """One speaker may be seen as a person in one article and unresolved (``unknown``) in another."""
    return a == b or "unknown" in (a, b)


def normalise_quote(text: str) -> str:
    """The form that equal quotations share: no quotation marks or punctuation, one case, single spaces."""
    folded = unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold()
    return _SPACE.sub(" ", _NON_WORD.sub(" ", folded)).strip()


def shingles(normal: str, k: int = SHINGLE) -> set[str]:
    """Word k-grams of a normalised quotation (the whole text when it has fewer than k words).

    Words, not characters: character 5-grams are shared by thousands of quotations (every common
    syllable), which defeats prefix filtering; word pairs are rare, so candidates stay few.
    """
    words = normal.split()
    if len(words) < k:
        return {normal}
    return {" ".join(words[i : i + k]) for i in range(len(words) - k + 1)}


def jaccard(a: set, b: set) -> float:
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


@dataclass(frozen=True)
class QuoteItem:
    """One direct quotation as grouping sees it: its row id, document, publication date and words."""

    claim: int
    document: int
    published: str | None
    text: str


@dataclass
class QuoteGroup:
    """Quotations of one group, earliest ``published`` first (undated last), with their similarity to the first."""

    members: list[QuoteItem]
    similarity: list[float]
    exact: bool


class _Union:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, i: int, j: int) -> None:
        ri, rj = self.find(i), self.find(j)
        if ri != rj:
            self.parent[max(ri, rj)] = min(ri, rj)


def near_pairs(sets: Sequence[set[str]], threshold: float) -> Iterable[tuple[int, int, float]]:
    """Every pair (i, j, similarity) with Jaccard >= ``threshold``, by prefix filtering (exact, no sampling).

    With tokens of each set sorted by global frequency (rarest first), two sets with Jaccard >= t
    share at least one token among the first ``|s| - ceil(t*|s|) + 1`` of either; so only sets that
    share such a prefix token are candidates, and a size filter drops candidates too small or large.
    """
    freq: Counter[str] = Counter()
    for s in sets:
        freq.update(s)
    rank = {tok: r for r, (tok, _) in enumerate(sorted(freq.items(), key=lambda kv: (kv[1], kv[0])))}
    ordered = [sorted(rank[t] for t in s) for s in sets]
    # Visiting small sets first lets the size filter look one way only: an earlier set is never larger.
    order = sorted(range(len(sets)), key=lambda i: len(ordered[i]))
    index: dict[int, list[int]] = defaultdict(list)
    for i in order:
        toks = ordered[i]
        size = len(toks)
        prefix = size - math.ceil(threshold * size) + 1
        seen: set[int] = set()
        for tok in toks[:prefix]:
            for j in index[tok]:
                if j in seen:
                    continue
                seen.add(j)
                # |j| <= |i| here; Jaccard <= |j|/|i|, so a set below t*|i| cannot reach t.
                if len(ordered[j]) < threshold * size:
                    continue
                sim = jaccard(sets[i], sets[j])
                if sim >= threshold:
                    yield (j, i, sim) if j < i else (i, j, sim)
            index[tok].append(i)


def _date_key(item: QuoteItem) -> tuple[bool, str, int]:
    return (item.published is None, item.published or "", item.claim)


def group_quotes(items: Sequence[QuoteItem], threshold: float = NEAR_THRESHOLD) -> list[QuoteGroup]:
    """Groups of quotations that recur in two or more documents, largest first.

    Exact groups come from the normal form alone; near-duplicates join groups by shingle similarity
    of their normal forms (each distinct normal form is compared once, however often it recurs).
    """
    normals = [normalise_quote(it.text) for it in items]
    distinct: dict[str, int] = {}
    for n in normals:
        if n:
            distinct.setdefault(n, len(distinct))
    forms = list(distinct)
    union = _Union(len(forms))
    long_forms = [i for i, f in enumerate(forms) if len(f) >= MIN_NEAR_CHARS]
    sets = [shingles(forms[i]) for i in long_forms]
    for a, b, _sim in near_pairs(sets, threshold):
        union.union(long_forms[a], long_forms[b])
    by_root: dict[int, list[int]] = defaultdict(list)
    for idx, n in enumerate(normals):
        if n:
            by_root[union.find(distinct[n])].append(idx)
    groups: list[QuoteGroup] = []
    for members in by_root.values():
        if len({items[i].document for i in members}) < 2:
            continue
        members.sort(key=lambda i: _date_key(items[i]))
        first = shingles(normals[members[0]])
        sims = [
            1.0 if normals[i] == normals[members[0]] else round(jaccard(first, shingles(normals[i])), 3)
            for i in members
        ]
        exact = len({normals[i] for i in members}) == 1
        groups.append(QuoteGroup([items[i] for i in members], sims, exact))
    groups.sort(key=lambda g: (-len({m.document for m in g.members}), _date_key(g.members[0])))
    return groups
