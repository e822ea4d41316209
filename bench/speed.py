"""Speed side by side: spaCy versions, thinc ops, workers and input size, as CPU-time ratios.

Usage:
  .venv/bin/python bench/speed.py --python /tmp/venv-spacy387/bin/python --newest-python .venv/bin/python
  .venv/bin/python bench/speed.py --sections size --sizes 0.25,1,4

Every measured run is a fresh child process started with one of the given interpreters
(``PYTHONPATH`` points at this tree's ``src``, so each venv runs the same newsclaims code
with its own spaCy). The parent takes each child's CPU time (user + system, its worker
processes included) and peak RSS from ``os.wait4``; children also report the CPU of the
timed section alone (after imports and model load). Each round runs every variant once,
the order reversed on every other round, and a comparison's ratio is the median of its
per-round ratios, so load from other processes on a shared machine falls on both sides.
Outputs of the compared variants are hashed: "same" means byte-identical output.

Sections (``--sections``, comma-separated; default all):
  startup   `newsclaims --help` against `import spacy` (target: < 0.5x)
  parse     bare ``nlp.pipe`` of the trained model against full extraction
            (``extract_articles`` + JSON), in-process section CPU, on each interpreter
            (a bare parse's "output" is its tags, dependencies and entities, not lemmas)
  version   whole `newsclaims extract DEV/*.txt -f jsonl`: pinned against newest spaCy
  ops       the same on the pinned spaCy with ``NumpyOps(use_blis=False)`` and one BLAS
            thread (threadpoolctl if installed, else OPENBLAS/OMP/MKL_NUM_THREADS=1)
  workers   `newsclaims batch DIR --workers 1` against `--workers 2` and the default (no
            --workers): CPU, wall, articles/s and the peak RSS of the largest process; run
            through the venv's installed `newsclaims` script, as users run it
  size      one synthetic article of each ``--sizes`` MiB (dev articles concatenated):
            extraction CPU s per MiB and the child's peak RSS, pinned spaCy

The dev articles default to ../shared/polnear/dev.jsonl (JSONL with "id" and "text").
"""

import argparse
import functools
import hashlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DEV = ROOT.parent / "shared" / "polnear" / "dev.jsonl"
SECTIONS = ("startup", "parse", "version", "ops", "workers", "size")
BLAS_THREAD_VARS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
MIB = 1024 * 1024


# --------------------------------------------------------------------------- child side


def _apply_ops(choice: str) -> dict[str, Any]:
    """Select thinc ops before any model is built; ``default`` leaves spaCy's choice alone."""
    if choice == "default":
        return {}
    from thinc.api import NumpyOps, set_current_ops

    info: dict[str, Any] = {}
    if choice == "numpy1":
        try:
            from threadpoolctl import threadpool_limits

            # Kept for the life of the process: the limiter restores the old limits when collected.
            info["_limiter"] = threadpool_limits(limits=1, user_api="blas")
            info["blas_threads"] = "threadpoolctl 1"
        except ImportError:
            info["blas_threads"] = "env 1"  # set by _child before numpy was imported
    set_current_ops(NumpyOps(use_blis=False))
    return info


def _run_cli(argv: list[str]) -> int:
    """Run the newsclaims CLI in this process, as the console script would."""
    from newsclaims.cli import app

    sys.argv = ["newsclaims", *argv]
    try:
        app()
    except SystemExit as e:
        return int(e.code or 0)
    return 0


def _child(spec: dict[str, Any]) -> dict[str, Any]:
    """Run one measured task described by ``spec``; return what the parent cannot see from outside."""
    task, ops = spec["task"], spec.get("ops", "default")
    if ops == "numpy1":
        import importlib.util

        if importlib.util.find_spec("threadpoolctl") is None:
            for var in BLAS_THREAD_VARS:
                os.environ[var] = "1"
    result: dict[str, Any] = {}
    if task == "import_spacy":
        import spacy

        return {"spacy": spacy.__version__}
    if task == "help":
        code = _run_cli(["--help"])
        return {"rc": code, "spacy_imported": "spacy" in sys.modules}
    keep = _apply_ops(ops)
    result["blas_threads"] = keep.get("blas_threads", "library default")
    import spacy

    result["spacy"] = spacy.__version__
    if task == "cli":
        start = time.process_time()
        result["rc"] = _run_cli(spec["argv"])
        result["section_cpu"] = time.process_time() - start
        from thinc.api import get_current_ops

        result["ops"] = f"{type(get_current_ops()).__name__}(use_blis={getattr(get_current_ops(), 'use_blis', None)})"
        return result

    texts = [t.rstrip() for t in _read_texts(spec)]
    if task == "bare":
        from newsclaims.pipeline import default_model, load_model

        nlp = load_model(default_model())
        start = time.process_time()
        docs = list(nlp.pipe(texts, batch_size=16))
        result["section_cpu"] = time.process_time() - start
        digest = hashlib.sha256()
        for doc in docs:
            # Lemmas are left out: spaCy 3.8.8 changed a few ("hopes" -> "hop"), and our cues do not read them.
            digest.update(json.dumps([(t.tag_, t.dep_, t.head.i, t.ent_iob_, t.ent_type_) for t in doc]).encode())
        result["sha256"] = digest.hexdigest()
    elif task == "extract":
        from newsclaims.inputs import Article
        from newsclaims.pipeline import extract_articles, get_nlp

        nlp = get_nlp()
        start = time.process_time()
        lines = [r.model_dump_json() for r in extract_articles([Article(text=t) for t in texts], timestamp="-")]
        result["section_cpu"] = time.process_time() - start
        result["sha256"] = hashlib.sha256("\n".join(lines).encode()).hexdigest()
    else:
        raise SystemExit(f"unknown task {task!r}")
    model_ops = nlp.get_pipe("tok2vec").model.ops if "tok2vec" in nlp.pipe_names else None
    result["ops"] = f"{type(model_ops).__name__}(use_blis={getattr(model_ops, 'use_blis', None)})"
    return result


def _read_texts(spec: dict[str, Any]) -> list[str]:
    path = Path(spec["texts"])
    if path.suffix == ".jsonl":
        return [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [path.read_text(encoding="utf-8")]


# --------------------------------------------------------------------------- parent side


@dataclass
class Run:
    """One child process: CPU (user + system, reaped workers included), wall, peak RSS and its report."""

    cpu: float
    wall: float
    rss_mib: float
    report: dict[str, Any]
    out_sha256: str | None = None


@dataclass
class Variant:
    """A task on one interpreter with one ops choice; ``runs`` fills in round by round."""

    key: str
    python: str
    spec: dict[str, Any]
    output: Path | None = None
    runs: list[Run] = field(default_factory=list)


def run_child(python: str, spec: dict[str, Any], src: Path, env_extra: dict[str, str] | None = None) -> Run:
    """Start ``python bench/speed.py --child SPEC`` and measure it with ``os.wait4``."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(src) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env.update(env_extra or {})
    with tempfile.NamedTemporaryFile("r", suffix=".json", delete=False) as fp:
        report_path = Path(fp.name)
    cmd = [python, str(Path(__file__).resolve()), "--child", json.dumps(spec), "--report", str(report_path)]
    if spec["task"] == "batch":
        # The installed console script itself: spawned workers re-run the script that started
        # their parent, so a batch started any other way would not pay (or save) what users do.
        cmd = [str(console_script(python)), *spec["argv"]]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    try:
        report = json.loads(report_path.read_text(encoding="utf-8") or "{}")
    finally:
        report_path.unlink(missing_ok=True)
    if spec["task"] == "batch":
        report = {"rc": proc.returncode, "spacy": spacy_version(python), "ops": "get_nlp"}
    if proc.returncode != 0 or report.get("rc", 0) not in (0,):
        raise SystemExit(f"child failed (exit {proc.returncode}, rc {report.get('rc')}): {' '.join(cmd)}")
    return Run(usage.ru_utime + usage.ru_stime, wall, usage.ru_maxrss / 1024, report)


def console_script(python: str) -> Path:
    """The ``newsclaims`` script installed next to ``python`` (the venv's ``bin``)."""
    script = Path(python).parent / "newsclaims"
    if not script.exists():
        raise SystemExit(f"no newsclaims script next to {python}: install the project in that environment")
    return script


@functools.cache
def spacy_version(python: str) -> str:
    code = "from importlib.metadata import version; print(version('spacy'))"
    return subprocess.run([python, "-c", code], capture_output=True, text=True, check=True).stdout.strip()


def synthetic_text(texts: Sequence[str], mib: float) -> str:
    """Dev articles joined by blank lines, repeated as needed, cut at a paragraph break to ``mib`` MiB of UTF-8."""
    target = int(mib * MIB)
    parts: list[str] = []
    size = 0
    while size < target:
        for t in texts:
            parts.append(t.strip())
            size += len(t.strip().encode("utf-8")) + 2
            if size >= target:
                break
    text = "\n\n".join(parts)
    data = text.encode("utf-8")[:target].decode("utf-8", "ignore")
    cut = data.rfind("\n\n")
    return data[:cut] if cut > 0 else data


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def median(xs: Sequence[float]) -> float:
    return statistics.median(xs) if xs else float("nan")


def build_variants(args: argparse.Namespace, work: Path) -> dict[str, Variant]:
    """The variants the chosen sections need, each keyed by name."""
    texts = [json.loads(line)["text"] for line in args.dev.read_text(encoding="utf-8").splitlines() if line.strip()]
    dev_dir = work / "dev"
    dev_dir.mkdir()
    ids = [json.loads(line)["id"] for line in args.dev.read_text(encoding="utf-8").splitlines() if line.strip()]
    for i, (name, text) in enumerate(zip(ids, texts, strict=True)):
        (dev_dir / f"{i:03d}-{name[:60]}.txt").write_text(text, encoding="utf-8")
    dev_files = sorted(str(p) for p in dev_dir.glob("*.txt"))
    pythons = {"pinned": args.python}
    if args.newest_python:
        pythons["newest"] = args.newest_python
    v: dict[str, Variant] = {}

    def cli(key: str, python: str, ops: str = "default") -> None:
        out = work / f"{key}.jsonl"
        argv = ["extract", *dev_files, "-f", "jsonl", "-o", str(out)]
        v[key] = Variant(key, python, {"task": "cli", "ops": ops, "argv": argv}, out)

    for section in args.sections:
        if section == "startup":
            for label, py in pythons.items():
                v[f"help[{label}]"] = Variant(f"help[{label}]", py, {"task": "help"})
                v[f"import_spacy[{label}]"] = Variant(f"import_spacy[{label}]", py, {"task": "import_spacy"})
        elif section == "parse":
            for label, py in pythons.items():
                for task in ("bare", "extract"):
                    v[f"{task}[{label}]"] = Variant(f"{task}[{label}]", py, {"task": task, "texts": str(args.dev)})
        elif section == "version":
            for label, py in pythons.items():
                cli(f"cli[{label}]", py)
        elif section == "ops":
            for ops in ("default", "numpy1"):
                key = "bare[pinned]" if ops == "default" else "bare[pinned,numpy1]"
                v[key] = Variant(key, args.python, {"task": "bare", "ops": ops, "texts": str(args.dev)})
            cli("cli[pinned]", args.python)
            cli("cli[pinned,numpy1]", args.python, "numpy1")
        elif section == "workers":
            # "default": no --workers, so batch picks the count (cores, their load, the input's size).
            for n in ("1", "2", "default"):
                out = work / f"batch{n}.jsonl"
                argv = ["batch", str(dev_dir), "-o", str(out), "--quiet"] + (["--workers", n] if n != "default" else [])
                v[f"batch[w{n}]"] = Variant(
                    f"batch[w{n}]", args.python, {"task": "batch", "argv": argv, "articles": len(texts)}, out
                )
        elif section == "size":
            for mib in args.sizes:
                path = work / f"long-{mib:g}MiB.txt"
                path.write_text(synthetic_text(texts, mib), encoding="utf-8")
                v[f"long[{mib:g}]"] = Variant(f"long[{mib:g}]", args.python, {"task": "extract", "texts": str(path)})
    return v


def run_rounds(variants: dict[str, Variant], args: argparse.Namespace, log: Callable[[str], None]) -> None:
    """``args.repeat`` rounds over all variants, in reverse order every other round."""
    order = list(variants.values())
    for r in range(args.repeat):
        for variant in order if r % 2 == 0 else reversed(order):
            if variant.output is not None:
                variant.output.unlink(missing_ok=True)
            run = run_child(variant.python, variant.spec, args.src)
            if variant.output is not None:
                run.out_sha256 = file_sha256(variant.output)
            else:
                run.out_sha256 = run.report.get("sha256")
            variant.runs.append(run)
            section = run.report.get("section_cpu")
            log(
                f"round {r + 1}/{args.repeat} {variant.key:<22} cpu {run.cpu:7.2f}s"
                + (f"  section {section:7.2f}s" if section is not None else "")
                + f"  wall {run.wall:7.2f}s  rss {run.rss_mib:6.0f} MiB  spaCy {run.report.get('spacy', '?')}"
                + f"  {run.report.get('ops', '')} {run.report.get('blas_threads', '')}"
            )


def paired_ratio(a: Variant, b: Variant, metric: Callable[[Run], float]) -> float:
    """Median over rounds of metric(a) / metric(b)."""
    return median([metric(x) / metric(y) for x, y in zip(a.runs, b.runs, strict=True)])


def same_output(a: Variant, b: Variant) -> str:
    hashes = {r.out_sha256 for r in a.runs + b.runs}
    if None in hashes:
        return "-"
    return "same" if len(hashes) == 1 else "DIFFERENT"


def report(variants: dict[str, Variant], args: argparse.Namespace) -> list[str]:
    """The table of comparisons and the size rows."""

    def cpu(r: Run) -> float:
        return r.cpu

    def section(r: Run) -> float:
        return float(r.report["section_cpu"])

    def wall(r: Run) -> float:
        return r.wall

    rows: list[tuple[str, str, str, Callable[[Run], float], str]] = []
    labels = ["pinned", "newest"] if args.newest_python else ["pinned"]
    for label in labels:
        rows.append((f"--help / import spacy [{label}]", f"help[{label}]", f"import_spacy[{label}]", cpu, "process"))
        rows.append((f"bare nlp.pipe / extract [{label}]", f"bare[{label}]", f"extract[{label}]", section, "section"))
    rows += [
        ("parse: pinned / newest spaCy", "bare[pinned]", "bare[newest]", section, "section"),
        ("extract API: pinned / newest", "extract[pinned]", "extract[newest]", section, "section"),
        ("CLI extract: pinned / newest", "cli[pinned]", "cli[newest]", cpu, "process"),
        ("parse: numpy1 / default ops", "bare[pinned,numpy1]", "bare[pinned]", section, "section"),
        ("CLI extract: numpy1 / default ops", "cli[pinned,numpy1]", "cli[pinned]", cpu, "process"),
        ("batch: workers 2 / 1, CPU", "batch[w2]", "batch[w1]", cpu, "process"),
        ("batch: workers 2 / 1, wall", "batch[w2]", "batch[w1]", wall, "wall"),
        ("batch: default / workers 1, wall", "batch[wdefault]", "batch[w1]", wall, "wall"),
    ]
    versions = {k: v.runs[0].report.get("spacy", "?") for k, v in variants.items() if v.runs}
    lines = [f"{'comparison':<36} {'A s':>8} {'B s':>8} {'A/B':>6}  {'measure':<8} {'output':<9} spaCy A / B"]
    for title, a_key, b_key, metric, measure in rows:
        a, b = variants.get(a_key), variants.get(b_key)
        if a is None or b is None:
            continue
        ratio = paired_ratio(a, b, metric)
        # Outputs compare only between two runs of the same task (a bare parse has no claims).
        output = same_output(a, b) if a.spec["task"] == b.spec["task"] else "-"
        lines.append(
            f"{title:<36} {median([metric(r) for r in a.runs]):8.2f} {median([metric(r) for r in b.runs]):8.2f}"
            f" {ratio:6.3f}  {measure:<8} {output:<9} {versions.get(a_key)} / {versions.get(b_key)}"
        )
    if len(lines) == 1:
        lines = []
    batch_rows = [v for k, v in variants.items() if k.startswith("batch[")]
    if batch_rows:
        # Peak RSS from wait4 is the largest process of the tree: the parent or one worker.
        head = f"{'batch (pinned)':<16} {'articles/s':>10} {'wall s':>8} {'CPU s':>8} {'peak RSS/process MiB':>21}"
        lines += ["", head]
        for v in batch_rows:
            secs = median([wall(r) for r in v.runs])
            rate = v.spec["articles"] / secs
            lines.append(
                f"{v.key:<16} {rate:10.2f} {secs:8.2f} {median([cpu(r) for r in v.runs]):8.2f}"
                f" {max(r.rss_mib for r in v.runs):21.0f}"
            )
    long_rows = [v for k, v in variants.items() if k.startswith("long[")]
    if long_rows:
        lines += ["", f"{'size (pinned)':<16} {'MiB':>6} {'extract CPU s':>14} {'CPU s/MiB':>10} {'peak RSS MiB':>13}"]
        for v in long_rows:
            mib = Path(v.spec["texts"]).stat().st_size / MIB
            secs = median([section(r) for r in v.runs])
            rss = max(r.rss_mib for r in v.runs)
            lines.append(f"{v.key:<16} {mib:6.3f} {secs:14.2f} {secs / mib:10.2f} {rss:13.0f}")
    return lines


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=(__doc__ or "").split("\n\n", 1)[0],
        epilog=(__doc__ or "").split("\n\n", 1)[1],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--python", default=sys.executable, help="interpreter of the pinned spaCy (default: this one)")
    parser.add_argument("--newest-python", help="interpreter of the newest spaCy 3.8, for the pinned/newest ratios")
    parser.add_argument("--dev", type=Path, default=DEFAULT_DEV, help="JSONL of articles (default: %(default)s)")
    parser.add_argument("--src", type=Path, default=ROOT / "src", help="newsclaims source put on PYTHONPATH")
    parser.add_argument("--repeat", type=int, default=3, help="rounds; each variant runs once a round (default 3)")
    parser.add_argument(
        "--sections", default=",".join(SECTIONS), help="comma-separated subset of: " + ", ".join(SECTIONS)
    )
    parser.add_argument(
        "--sizes", default="0.25,1", help="MiB of the synthetic long inputs (default 0.25,1; 4 is slow)"
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--report", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return args
    args.sections = [s.strip() for s in args.sections.split(",") if s.strip()]
    unknown = set(args.sections) - set(SECTIONS)
    if unknown:
        parser.error(f"unknown section(s): {', '.join(sorted(unknown))}")
    if not args.newest_python:
        args.sections = [s for s in args.sections if s != "version"]
    args.sizes = [float(s) for s in args.sizes.split(",") if s.strip()]
    if not args.dev.exists():
        parser.error(f"no dev articles at {args.dev} (give --dev)")
    return args


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    if args.child:
        result = _child(json.loads(args.child))
        result = {k: v for k, v in result.items() if not k.startswith("_")}
        Path(args.report).write_text(json.dumps(result), encoding="utf-8")
        return
    with tempfile.TemporaryDirectory(prefix="newsclaims-speed-") as tmp:
        variants = build_variants(args, Path(tmp))
        print(f"{len(variants)} variants x {args.repeat} rounds; pinned {args.python}; newest {args.newest_python}")
        run_rounds(variants, args, lambda line: print(line, file=sys.stderr, flush=True))
        print("\n".join(report(variants, args)))


if __name__ == "__main__":
    main()
