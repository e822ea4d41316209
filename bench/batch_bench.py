"""Batch throughput and memory: bare spaCy ``nlp.pipe`` vs ``newsclaims batch`` with 1 and 2 workers.

    .venv/bin/python bench/batch_bench.py [--count 500] [--long 2000] [--work DIR]

Generates the corpus (bench/batch_corpus.py), then measures:

1. bare ``nlp.pipe`` of the trained model over the same texts (model loaded, not timed);
2. the newsclaims pipeline, claim assembly and JSON over the same texts, in memory;
3. ``run_batch`` with one worker in this process, pipeline built before timing (steady state);
4. the ``newsclaims batch`` command with ``--workers 1`` and ``--workers 2``, wall clock from
   process start to exit (startup, model loads, file reading, HTML extraction, writing included),
   with the peak RSS summed over the process tree;
5. RSS of one worker streaming ``--long`` articles, after 500 and after all of them.

Prints a Markdown table and a JSON line with every figure.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from batch_corpus import generate  # noqa: E402


def words_of(texts: list[str], nlp) -> int:
    return sum(sum(1 for t in doc if not (t.is_space or t.is_punct)) for doc in nlp.tokenizer.pipe(texts))


def timed(fn) -> tuple[float, float]:
    """Wall and CPU seconds (this process) of ``fn()``."""
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu


def bare_pipe(texts: list[str], model: str) -> tuple[float, float]:
    import spacy

    nlp = spacy.load(model)
    list(nlp.pipe(texts[:16], batch_size=16))
    return timed(lambda: list(nlp.pipe(texts, batch_size=16)))


def pipeline_only(files: list[str]) -> tuple[float, float]:
    from newsclaims.inputs import read_article
    from newsclaims.output import to_json_line
    from newsclaims.pipeline import extract_articles, get_nlp

    articles = [read_article(f) for f in files]
    get_nlp()
    return timed(lambda: [to_json_line(r) for r in extract_articles(articles)])


def in_process_batch(files: list[str], out: Path) -> tuple[float, float]:
    from newsclaims.batch import BatchOptions, run_batch
    from newsclaims.pipeline import get_nlp
    from newsclaims.rules import load_ruleset

    # The worker builds its pipeline from the validated rules run_batch hands it: warm that one.
    get_nlp(ruleset=load_ruleset())
    return timed(lambda: run_batch(files, out, BatchOptions(workers=1)))


def tree_rss(pid: int) -> int:
    import psutil

    try:
        proc = psutil.Process(pid)
        procs = [proc, *proc.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0
    total = 0
    for p in procs:
        with contextlib.suppress(psutil.NoSuchProcess):
            total += p.memory_info().rss
    return total


def cli_batch(corpus: Path, out: Path, workers: int) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds of the process tree, and peak tree RSS (bytes) of `newsclaims batch`."""
    cmd = [str(Path(sys.executable).parent / "newsclaims"), "batch", str(corpus), "-o", str(out)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.Popen([*cmd, "--workers", str(workers), "--quiet"])
    peak = 0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, tree_rss(proc.pid))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    code = proc.wait()
    elapsed = time.perf_counter() - started
    stop.set()
    sampler.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if code != 0:
        raise SystemExit(f"newsclaims batch failed with exit code {code}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu, peak


MEMORY_PROBE = """
import json, sys
from pathlib import Path
from newsclaims.batch import BatchOptions, discover, run_batch

def rss():
    return int(Path("/proc/self/statm").read_text().split()[1]) * 4096

files = discover(sys.argv[1:-1]).files
marks = {}
def progress(done, total, failed):
    for mark in (100, 500, total):
        if done >= mark and mark not in marks:
            marks[mark] = rss()
run_batch(files, Path(sys.argv[-1]), BatchOptions(workers=1, chunk_size=16), progress)
print(json.dumps({str(k): v for k, v in marks.items()}))
"""


def memory_stream(dirs: list[Path], out: Path) -> dict[str, int]:
    res = subprocess.run(
        [sys.executable, "-c", MEMORY_PROBE, *map(str, dirs), str(out)], capture_output=True, text=True, check=True
    )
    return json.loads(res.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=500, help="articles for the throughput runs")
    parser.add_argument("--long", type=int, default=2000, help="articles for the memory run (0 to skip)")
    parser.add_argument("--work", type=Path, default=None, help="folder for the corpus and outputs")
    parser.add_argument("--workers-only", action="store_true", help="only the two `newsclaims batch` runs")
    args = parser.parse_args()

    from newsclaims.inputs import read_article
    from newsclaims.pipeline import default_model, get_nlp

    work = args.work or Path(tempfile.mkdtemp(prefix="newsclaims-bench-"))
    corpus = work / "corpus"
    if not corpus.exists():
        generate(corpus, args.count)
    files = sorted(str(p) for p in corpus.iterdir())
    texts = [read_article(f).text.rstrip() for f in files]
    n = len(texts)
    nlp = get_nlp()
    words = words_of(texts, nlp)
    model = default_model()

    rows: dict[str, tuple[float, float, int | None]] = {}
    load_before = os.getloadavg()[0]
    if not args.workers_only:
        bare = bare_pipe(texts, model)
        rows["bare spaCy nlp.pipe (model only)"] = (*bare, None)
        rows["newsclaims pipeline + assembly + JSON, texts in memory"] = (*pipeline_only(files), None)
        steady = in_process_batch(files, work / "inproc.jsonl")
        rows["batch, 1 worker, in process (pipeline built)"] = (*steady, None)
    w1 = cli_batch(corpus, work / "w1.jsonl", 1)
    rows["`newsclaims batch --workers 1` (whole command)"] = w1
    w2 = cli_batch(corpus, work / "w2.jsonl", 2)
    rows["`newsclaims batch --workers 2` (whole command)"] = w2
    same = (work / "w1.jsonl").read_bytes() == (work / "w2.jsonl").read_bytes()

    memory = {}
    if args.long and not args.workers_only:
        more = work / "corpus-more"
        if not more.exists() and args.long > n:
            generate(more, args.long - n, start=n)
        memory = memory_stream([corpus, more] if args.long > n else [corpus], work / "long.jsonl")

    load = f"{load_before:.2f} before, {os.getloadavg()[0]:.2f} after the throughput runs"
    print(f"\n{n} articles, {words} words ({words / n:.0f} per article), model {model}; load average {load}\n")
    print("| run | wall s | articles/s | words/s | CPU s | articles per CPU s | peak RSS |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, (secs, cpu, rss) in rows.items():
        peak = f"{rss / 2**20:.0f} MiB" if rss else "—"
        print(f"| {name} | {secs:.1f} | {n / secs:.1f} | {words / secs:,.0f} | {cpu:.1f} | {n / cpu:.1f} | {peak} |")
    ratio, ratio_cpu = (0.0, 0.0) if args.workers_only else (bare[0] / steady[0], bare[1] / steady[1])
    speedup = w1[0] / w2[0]
    if not args.workers_only:
        print(f"\nsingle worker / bare nlp.pipe: {ratio:.2f} wall, {ratio_cpu:.2f} CPU (target >= 0.85)")
    print(f"2 workers / 1 worker (wall clock): {speedup:.2f}x (target >= 1.6x); identical output: {same}")
    if memory:
        marks = sorted(memory.items(), key=lambda kv: int(kv[0]))
        print("RSS of one worker: " + ", ".join(f"after {k}: {v / 2**20:.0f} MiB" for k, v in marks))
        growth = memory[str(max(map(int, memory)))] / memory["500"] - 1
        print(f"growth from 500 to {max(map(int, memory))} articles: {growth:+.1%} (target within 10%)")
    print(
        json.dumps(
            {
                "articles": n,
                "words": words,
                "load_average": load,
                "seconds": {k: round(v[0], 2) for k, v in rows.items()},
                "cpu_seconds": {k: round(v[1], 2) for k, v in rows.items()},
                "peak_rss_mib": {k: round(v[2] / 2**20) for k, v in rows.items() if v[2]},
                "ratio_single_to_bare": round(ratio, 3),
                "ratio_single_to_bare_cpu": round(ratio_cpu, 3),
                "speedup_2_workers": round(speedup, 3),
                "identical_output": same,
                "rss_mib": {k: round(v / 2**20) for k, v in memory.items()},
            }
        )
    )


if __name__ == "__main__":
    main()
