"""Draw the sentences of the real-text figures dev set by seeded random sampling.

Usage:  /work/main/.venv/bin/python bench/realtext/sample.py [--shared ../shared] [--seed 16]
            [--polnear 370] [--html 190] [--neg-polnear 40] [--neg-html 20]

Writes bench/out/realtext/sample.jsonl (git-ignored: it holds article text) for annotation.
This is how figures_gold.jsonl was drawn; it is kept so that the draw can be checked and
extended, not re-run over the gold.

Method, exactly:
1. Texts: every article of polnear/train.jsonl (``text``) and every html-news page
   (``articleBody`` of ground-truth.json), in file order.
2. Split into sentences with ``common.sentences`` (line breaks, then . ! ? before a capital,
   digit, currency sign, quote or bracket; common abbreviations do not split).
3. Keep sentences of 30 to 600 characters (shorter ones are headlines, bylines and captions
   fragments; longer ones are unsplit lists or tables).
4. A sentence is a *candidate* when ``FIGURE_LIKE`` matches it: a digit, a currency or percent
   sign, or a number word (cardinals, scale words, "dozen", fraction words, "percent"). It is a
   *negative* when nothing in ``FIGURE_LIKE`` matches. Candidates whose digits turn out to be
   years or dates stay in the set with no gold figures: they test precision on real text.
5. For each source separately, shuffle candidates with ``random.Random(seed)`` and take them in
   order, skipping any sentence from an article that already gave 2 (so a few long,
   figure-heavy articles cannot fill the set), until the quota is met. Negatives likewise with
   ``random.Random(seed + 1)``, at most 1 per article. Taking a prefix of a fixed shuffle means
   a larger quota keeps every earlier pick.
No sentence is chosen or dropped by looking at its content beyond this filter.

The set was drawn in three steps as annotation showed more sentences were needed for 300 gold
figures (quotas 190/95/30/15, then 340/170/40/20, then the defaults below); by the prefix property
the result is exactly what one run with the defaults gives. html-news has only 174 candidates
under the 2-per-article cap, so its quota of 190 takes them all.
"""

from __future__ import annotations

import argparse
import json
import random
import re
from collections import Counter
from pathlib import Path

from common import DEFAULT_SHARED, OUT, load_texts, sentences, sha256

_WORDS = (
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety "
    "hundred hundreds thousand thousands million millions billion billions trillion trillions "
    "dozen dozens half halves third thirds quarter quarters fifth fifths tenth tenths "
    "percent"
)
_NUMBER_WORDS = _WORDS.split()
FIGURE_LIKE = re.compile(r"\d|[$\u00a3\u20ac\u00a5%]|\b(?:" + "|".join(_NUMBER_WORDS) + r")\b", re.IGNORECASE)
MIN_LEN, MAX_LEN = 30, 600


def draw(
    texts: dict[tuple[str, str], str], source: str, *, candidates: bool, quota: int, seed: int, per_doc: int
) -> list[dict]:
    """The first ``quota`` sentences of a seeded shuffle of one source's pool, ``per_doc`` per article."""
    pool: list[tuple[str, int, int]] = []
    for (src, doc), text in texts.items():
        if src != source:
            continue
        for start, end in sentences(text):
            sent = text[start:end]
            if MIN_LEN <= len(sent) <= MAX_LEN and bool(FIGURE_LIKE.search(sent)) == candidates:
                pool.append((doc, start, end))
    random.Random(seed).shuffle(pool)
    taken: list[dict] = []
    per: Counter[str] = Counter()
    for doc, start, end in pool:
        if len(taken) == quota:
            break
        if per[doc] == per_doc:
            continue
        per[doc] += 1
        sent = texts[(source, doc)][start:end]
        taken.append({"source": source, "doc": doc, "start": start, "end": end, "sha256": sha256(sent),
                      "negative": not candidates, "text": sent})
    return taken


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    ap.add_argument("--seed", type=int, default=16)
    ap.add_argument("--polnear", type=int, default=370)
    ap.add_argument("--html", type=int, default=190)
    ap.add_argument("--neg-polnear", type=int, default=40)
    ap.add_argument("--neg-html", type=int, default=20)
    args = ap.parse_args()
    texts = load_texts(args.shared)
    rows = (
        draw(texts, "polnear-train", candidates=True, quota=args.polnear, seed=args.seed, per_doc=2)
        + draw(texts, "html-news", candidates=True, quota=args.html, seed=args.seed, per_doc=2)
        + draw(texts, "polnear-train", candidates=False, quota=args.neg_polnear, seed=args.seed + 1, per_doc=1)
        + draw(texts, "html-news", candidates=False, quota=args.neg_html, seed=args.seed + 1, per_doc=1)
    )
    OUT.mkdir(parents=True, exist_ok=True)
    with (OUT / "sample.jsonl").open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{len(rows)} sentences -> {OUT / 'sample.jsonl'}")


if __name__ == "__main__":
    main()
