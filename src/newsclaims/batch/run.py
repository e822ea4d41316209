"""Running a batch: options, the run itself (ordered JSONL, errors file, Ctrl-C), and its summary.

Files on disk during a run of ``-o claims.jsonl`` (all next to it):

- ``.claims.jsonl.partial.tmp``: the output being written, in input order, flushed per record;
  renamed to ``claims.jsonl`` when the run completes, so the final file is never truncated.
- ``.claims.jsonl.partial``: records kept from an interrupted run, read by ``--resume``.
- ``claims.errors.jsonl``: one line per failed input (path, error class, message).
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, TYPE_CHECKING

from newsclaims.batch.discover import Discovery
from newsclaims.batch.progress import ProgressCallback
from newsclaims.batch.resume import load_known, partial_paths, write_lines
from newsclaims.batch.worker import Engine, Outcome, Settings, Task
from newsclaims.errors import NewsclaimsError

if TYPE_CHECKING:
    from newsclaims.rules import RuleSet

EXIT_OK = 0
EXIT_SOME_FAILED = 3
EXIT_INTERRUPTED = 130


@dataclass
class BatchOptions:
    """How to run a batch (the CLI's options, as a library call)."""

    # None: ``default_workers`` for these files (the CLI's default when --workers is not given).
    workers: int | None = 1
    engine: str = "local"
    scheduler: str | None = None
    resume: bool = False
    include_text: bool = False
    model: str | None = None
    rules_dir: Path | None = None
    # Articles per chunk, and nlp.pipe's batch size. Measured on the 84 PolNeAR dev articles
    # (issue 13): 4 and 16 ran at the same speed with 320 vs 516 MB peak RSS per worker, and
    # smaller chunks also share the work between workers more evenly.
    chunk_size: int = 4
    timestamp: str | None = None


@dataclass
class BatchSummary:
    """What a batch did, for the summary line and the exit code."""

    total: int
    output: Path
    errors_path: Path
    written: int = 0
    reused: int = 0
    failed: int = 0
    seconds: float = 0.0
    interrupted: bool = False
    discovery: Discovery | None = None

    @property
    def done(self) -> int:
        return self.written + self.reused + self.failed

    @property
    def exit_code(self) -> int:
        """0 all inputs have a record; 3 some failed (see the errors file); 130 interrupted."""
        if self.interrupted:
            return EXIT_INTERRUPTED
        return EXIT_SOME_FAILED if self.failed else EXIT_OK

    def line(self) -> str:
        """One plain summary line."""
        rate = self.written / self.seconds if self.seconds else 0.0
        head = "interrupted" if self.interrupted else "done"
        text = (
            f"batch {head}: {self.done}/{self.total} inputs, {self.written + self.reused} records "
            f"({self.reused} reused), {self.failed} failed; {self.seconds:.1f}s, {rate:.1f} articles/s"
        )
        if self.discovery is not None:
            text += f"; skipped: {self.discovery.skipped_text()}"
        if self.interrupted:
            return text + f"; kept {self.written + self.reused} records, continue with --resume"
        text += f"; output {self.output}"
        return text + (f", errors {self.errors_path}" if self.failed else "")


def errors_path_for(output: Path) -> Path:
    """``claims.jsonl`` → ``claims.errors.jsonl``; other names get ``.errors.jsonl`` appended."""
    if output.suffix == ".jsonl":
        return output.with_name(output.stem + ".errors.jsonl")
    return output.with_name(output.name + ".errors.jsonl")


def run_batch(
    files: list[str], output: Path, options: BatchOptions, progress: ProgressCallback | None = None
) -> BatchSummary:
    """Process ``files`` into ``output`` (JSONL, input order) and its errors file; Ctrl-C stops cleanly."""
    if output.is_dir():
        raise NewsclaimsError(f"{output}: is a directory; give a file name for --output")
    partial, tmp = partial_paths(output)
    errors_path = errors_path_for(output)
    summary = BatchSummary(total=len(files), output=output, errors_path=errors_path)
    known = load_known([output, partial, tmp]) if options.resume else {}
    if known:
        write_lines(partial, (line for by_key in known.values() for line in by_key.values()))
        tmp.unlink(missing_ok=True)
    ruleset = _preflight(options)
    if not options.workers:
        options = replace(options, workers=default_workers(files if options.engine == "local" else None))
    engine = _make_engine(options, ruleset, len(files))
    err_tmp = errors_path.with_name(f".{errors_path.name}.tmp")
    started = time.perf_counter()
    try:
        out_fp = tmp.open("w", encoding="utf-8")
        err_fp = err_tmp.open("w", encoding="utf-8")
    except OSError as e:
        engine.close()
        raise NewsclaimsError(f"{output}: cannot write: {e.strerror or e}") from None
    used: set[tuple[str, str]] = set()
    completed = False
    try:
        for outcomes in engine.run(_chunks(files, known, options.chunk_size)):
            for outcome in outcomes:
                _write(outcome, files, known, used, out_fp, err_fp, summary)
            if progress is not None:
                progress(summary.done, summary.total, summary.failed)
        completed = True
    except KeyboardInterrupt:
        summary.interrupted = True
    finally:
        engine.close()
        summary.seconds = time.perf_counter() - started
        if not completed:
            # Keep every record we have, new and earlier, for --resume; never touch the final output.
            for path, by_key in known.items():
                out_fp.writelines(line + "\n" for key, line in by_key.items() if (path, key) not in used)
        out_fp.close()
        err_fp.close()
        if completed:
            os.replace(tmp, output)
            partial.unlink(missing_ok=True)
            if summary.failed:
                os.replace(err_tmp, errors_path)
            else:
                err_tmp.unlink()
                errors_path.unlink(missing_ok=True)
        else:
            os.replace(tmp, partial)
            err_tmp.unlink(missing_ok=True)
    return summary


def _write(
    outcome: Outcome,
    files: list[str],
    known: dict[str, dict[str, str]],
    used: set[tuple[str, str]],
    out_fp: IO[str],
    err_fp: IO[str],
    summary: BatchSummary,
) -> None:
    if outcome.kind == "record":
        out_fp.write(outcome.payload + "\n")
        summary.written += 1
    elif outcome.kind == "reuse":
        path = files[outcome.index]
        out_fp.write(known[path][outcome.payload] + "\n")
        used.add((path, outcome.payload))
        summary.reused += 1
    else:
        err_fp.write(outcome.payload + "\n")
        err_fp.flush()
        summary.failed += 1
    out_fp.flush()


def _chunks(files: list[str], known: dict[str, dict[str, str]], size: int) -> Iterator[list[Task]]:
    # Chunks depend only on the file list, so every engine and worker count parses the same batches.
    for start in range(0, len(files), size):
        yield [Task(i, files[i], tuple(known.get(files[i], ()))) for i in range(start, min(start + size, len(files)))]


def _preflight(options: BatchOptions) -> RuleSet:
    """The validated rules; fail before starting workers when they are invalid or the model is not installed."""
    import importlib.util

    from newsclaims.pipeline import INSTALL_HINT, default_model
    from newsclaims.rules import load_ruleset

    ruleset = load_ruleset(options.rules_dir)
    if options.engine == "local":
        name = options.model or default_model()
        if not Path(name).exists() and importlib.util.find_spec(name) is None:
            raise NewsclaimsError(f"spaCy model '{name}' is not installed; {INSTALL_HINT}")
    return ruleset


def _make_engine(options: BatchOptions, ruleset: RuleSet, n_files: int) -> Engine:
    # Workers get the rules validated here, not the folder: no worker re-reads or re-validates YAML.
    settings = Settings(
        model=options.model,
        ruleset=ruleset,
        include_text=options.include_text,
        batch_size=options.chunk_size,
        timestamp=options.timestamp,
    )
    if options.engine == "dask":
        from newsclaims.batch.dask import DaskEngine

        return DaskEngine(settings, options.workers or 1, options.scheduler)
    if options.engine != "local":
        raise NewsclaimsError(f"unknown engine '{options.engine}' (use local or dask)")
    from newsclaims.batch.local import LocalEngine

    # More processes than chunks would only add start-up time.
    return LocalEngine(settings, min(options.workers or 1, -(-n_files // options.chunk_size)))


# Input bytes that repay one more worker process: spawning one costs 2-4 s of CPU (importing spaCy
# and loading the model, issue 13), and extraction runs at about 28 CPU s per MiB of news text, so
# a quarter MiB (about 7 s of work) is worth two to three start-ups.
BYTES_PER_WORKER = 256 * 1024


def default_workers(files: Sequence[str] | None = None) -> int:
    """Worker processes for a local batch: the cores this process may use, capped by the work.

    Without ``files``, the cores available to this process (``os.sched_getaffinity``: a container
    or ``taskset`` may allow fewer than the machine has). With ``files``, also no more workers than
    cores that are idle (by the one-minute load average: on a busy machine two workers ran 1.17x
    slower than one) and than quarter-MiB shares of the input (``BYTES_PER_WORKER``), so a small
    batch runs in-process and never pays a worker's start-up for nothing.
    """
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    if files is None:
        return cores
    try:
        busy = int(os.getloadavg()[0])
    except (AttributeError, OSError):  # no load average on this platform
        busy = 0
    size = 0
    for path in files:
        # A file that cannot be read is reported as that file's error later; it adds no work.
        with contextlib.suppress(OSError):
            size += os.path.getsize(path)
    return max(1, min(cores, cores - busy, size // BYTES_PER_WORKER))
