"""Extraction overhead: our components and claim assembly, against spaCy's own ``nlp.pipe``.

Usage:  .venv/bin/python bench/overhead.py [GOLD.jsonl | article files ...] [--repeat N]

Times (best of N runs) the bare trained model over the texts, then the full newsclaims
pipeline plus ``document_result`` for every doc, and reports the difference as a share
of the bare parse time (target: under 5%), with a per-component breakdown measured by
re-running each of our components on the parsed docs. On a busy machine the difference
of two wall-clock runs is noisy; the per-component sum is the steadier figure. Without arguments it reads
../shared/polnear/dev.jsonl when present, else the articles in examples/.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from newsclaims.pipeline import FACTORIES

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_GOLD = ROOT.parent / "shared" / "polnear" / "dev.jsonl"
# Our components after the line-ending normaliser (which only touches whitespace lexemes).
OURS = FACTORIES[1:]


def load_texts(paths: list[str]) -> list[str]:
    if not paths:
        paths = (
            [str(DEFAULT_GOLD)] if DEFAULT_GOLD.exists() else sorted(str(p) for p in (ROOT / "examples").glob("*.txt"))
        )
    texts = []
    for p in paths:
        if p.endswith(".jsonl"):
            texts += [json.loads(line)["text"] for line in Path(p).read_text(encoding="utf-8").splitlines() if line]
        else:
            texts.append(Path(p).read_text(encoding="utf-8"))
    return texts


def best_of(repeat: int, fn, clock=time.process_time) -> float:
    times = []
    for _ in range(repeat):
        start = clock()
        fn()
        times.append(clock() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*")
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()

    from newsclaims.assemble import document_result, generator_for
    from newsclaims.inputs import Article
    from newsclaims.pipeline import build_nlp, default_model, load_model, make_docs, parse_articles, use_fast_ops

    texts = load_texts(args.paths)
    words = sum(len(t.split()) for t in texts)
    # Both sides under the ops the CLI and batch use (``get_nlp``), set before either model is
    # loaded: a thinc model keeps the ops current when it was built.
    use_fast_ops()
    bare = load_model(default_model())
    full = build_nlp()
    articles = [Article(text=t) for t in texts]
    generator = generator_for(full)
    # Warm both pipelines so model loading and first-call costs are not timed.
    list(bare.pipe(texts[:2]))
    list(full.pipe(texts[:2]))

    def run_full() -> None:
        # The extraction loop of the CLI, batch and eval (``pipeline.extract_with``).
        for article, doc in parse_articles(full, articles, batch_size=16):
            document_result(doc, article, generator)

    # Interleaved, so that load from other processes hits both sides alike.
    t_bare = t_full = c_bare = c_full = float("inf")
    for _ in range(args.repeat):
        start, cpu = time.perf_counter(), time.process_time()
        list(bare.pipe(texts, batch_size=16))
        t_bare, c_bare = min(t_bare, time.perf_counter() - start), min(c_bare, time.process_time() - cpu)
        start, cpu = time.perf_counter(), time.process_time()
        run_full()
        t_full, c_full = min(t_full, time.perf_counter() - start), min(c_full, time.process_time() - cpu)
    docs = [doc for _, doc in parse_articles(full, articles, batch_size=16)]
    parts = {}
    for name in OURS:
        component = full.get_pipe(name)
        if name == "newsclaims_paragraphs":
            inputs = list(make_docs(full, texts))
            parts[name] = best_of(args.repeat, lambda c=component, d=inputs: [c(x) for x in d])
        else:
            parts[name] = best_of(args.repeat, lambda c=component: [c(x) for x in docs])
    parts["assemble (document_result)"] = best_of(
        args.repeat, lambda: [document_result(d, a, generator) for d, a in zip(docs, articles, strict=True)]
    )

    print(f"{len(texts)} articles, {words} words, model {full.meta.get('name')}, best of {args.repeat}")
    print(f"{'':26s} {'wall s':>8s} {'CPU s':>8s} {'articles/s':>11s}")
    print(f"{'bare spaCy nlp.pipe':26s} {t_bare:8.2f} {c_bare:8.2f} {len(texts) / t_bare:11.1f}")
    print(f"{'newsclaims + assembly':26s} {t_full:8.2f} {c_full:8.2f} {len(texts) / t_full:11.1f}")
    print(
        f"overhead: {100 * (t_full - t_bare) / t_bare:5.1f}% by wall clock, "
        f"{100 * (c_full - c_bare) / c_bare:5.1f}% by CPU time (target < 5%)"
    )
    print("per component (re-run on parsed docs, CPU time, share of the bare CPU):")
    for name, t in parts.items():
        print(f"  {name:28s} {t:6.3f} s  {100 * t / c_bare:5.1f}%")
    print(f"  {'sum':28s} {sum(parts.values()):6.3f} s  {100 * sum(parts.values()) / c_bare:5.1f}%")


if __name__ == "__main__":
    main()
