"""Running a batch: options, the run itself (ordered JSONL, errors file, Ctrl-C), and its summary.

Files on disk during a run of ``-o claims.jsonl`` (all next to it, or next to the file a
symlink ``claims.jsonl`` points to):

- ``.claims.jsonl.lock``: held (``flock``) for the whole run, so a second run writing the same
  output stops at once with one error line; removed at the end.
- ``.claims.jsonl.partial.tmp``: the output being written, in input order, flushed per record;
  renamed to ``claims.jsonl`` when the run completes, so the final file is never truncated. Its
  name is fixed (the lock makes it this run's own) because ``--resume`` after a SIGKILL reads it.
- ``.claims.jsonl.partial``: records kept from an interrupted run, read by ``--resume``.
- ``claims.errors.jsonl``: one line per failed input (path, error class, message), written
  under a unique temporary name first.

Ctrl-C (or SIGTERM) once: "stopping after the current files…" on stderr at once; queued files are
dropped, the running chunks finish and their records are kept with the others for ``--resume``.
Again during that wait: the workers are killed at once (what they were parsing is lost). Any
more are ignored until the kept records are on disk.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, TYPE_CHECKING

from newsclaims.batch.discover import Discovery
from newsclaims.batch.progress import ProgressCallback
from newsclaims.batch.resume import earlier_stamp, load_known, partial_paths, write_lines
from newsclaims.batch.worker import DEFAULT_FILE_MEMORY_MB, DEFAULT_FILE_TIMEOUT, Engine, Outcome, Settings, Task
from newsclaims.errors import NewsclaimsError
from newsclaims.output.files import exclusive_lock, is_stream, output_target, unique_temp

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
    # Per-file budgets: seconds of wall time, MB of memory a worker may add (0 or None: unlimited).
    file_timeout: float | None = DEFAULT_FILE_TIMEOUT
    file_memory_mb: int | None = DEFAULT_FILE_MEMORY_MB


@dataclass
class BatchSummary:
    """What a batch did, for the summary line and the exit code."""

    total: int
    output: Path
    errors_path: Path
    written: int = 0
    reused: int = 0
    failed: int = 0
    claims: int = 0
    figures: int = 0
    warnings: int = 0
    seconds: float = 0.0
    interrupted: bool = False
    discovery: Discovery | None = None
    # Records went to a stream (stdout), not a file: nothing to resume, no errors file.
    streamed: bool = False

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
            f"({self.reused} reused) with {self.claims} claims and {self.figures} figures, {self.failed} failed"
            + (f", {self.warnings} with warnings" if self.warnings else "")
            + f"; {self.seconds:.1f}s, {rate:.1f} articles/s"
        )
        if self.discovery is not None:
            text += f"; skipped: {self.discovery.skipped_text()}"
        if self.streamed:
            return text + ("; stopped: the records so far were written" if self.interrupted else "")
        if self.interrupted:
            return text + f"; kept {self.written + self.reused} records, continue with --resume"
        text += f"; output {self.output}"
        return text + (f", errors {self.errors_path}" if self.failed else "")


def errors_path_for(output: Path) -> Path:
    """``claims.jsonl`` → ``claims.errors.jsonl``; other names get ``.errors.jsonl`` appended."""
    if output.suffix == ".jsonl":
        return output.with_name(output.stem + ".errors.jsonl")
    return output.with_name(output.name + ".errors.jsonl")


STOPPING = "stopping after the current files… (Ctrl-C again to stop at once)"


def run_batch(
    files: list[str],
    output: Path,
    options: BatchOptions,
    progress: ProgressCallback | None = None,
    notify: Callable[[str], None] | None = None,
) -> BatchSummary:
    """Process ``files`` into ``output`` (JSONL, input order) and its errors file; Ctrl-C stops cleanly.

    ``progress`` is called per parsed file and per finished chunk; ``notify`` gets the one message
    a first Ctrl-C prints (``STOPPING``).
    """
    target = output_target(output)
    if is_stream(target) or (target.exists() and not target.is_file()):
        raise NewsclaimsError(
            f"{output}: batch writes a regular file (renamed into place, resumable); "
            "for a FIFO or device, use --format with a rendered output or `cat` the file afterwards"
        )
    with exclusive_lock(target):
        return _run_locked(files, output, target, options, progress, notify)


def _run_locked(
    files: list[str],
    output: Path,
    target: Path,
    options: BatchOptions,
    progress: ProgressCallback | None,
    notify: Callable[[str], None] | None,
) -> BatchSummary:
    partial, tmp = partial_paths(target)
    errors_path = errors_path_for(target)
    summary = BatchSummary(total=len(files), output=output, errors_path=errors_path)
    known = load_known([target, partial, tmp]) if options.resume else {}
    if known:
        write_lines(partial, (line for by_key in known.values() for line in by_key.values()))
        tmp.unlink(missing_ok=True)
    if options.timestamp and known:
        options = _with_stamp(options, earlier_stamp(known))
    engine = _start(options, files)
    started = time.perf_counter()
    try:
        out_fp = tmp.open("w", encoding="utf-8")
    except OSError as e:
        engine.close()
        raise NewsclaimsError(f"{output}: cannot write: {e.strerror or e}") from None
    try:
        err_tmp, err_fp = unique_temp(errors_path)
    except (OSError, NewsclaimsError) as e:
        engine.close()
        out_fp.close()
        raise NewsclaimsError(f"{errors_path}: cannot write: {getattr(e, 'strerror', None) or e}") from None
    used: set[tuple[str, str]] = set()
    completed = False
    try:
        completed = _drive(
            engine,
            files,
            known,
            options.chunk_size,
            summary,
            _Sink(files, known, used, out_fp, err_fp),
            progress,
            notify,
        )
    finally:
        with _interrupts_kill(engine):
            engine.close()
            summary.seconds = time.perf_counter() - started
            if not completed:
                # Keep every record we have, new and earlier, for --resume; never touch the final output.
                for path, by_key in known.items():
                    out_fp.writelines(line + "\n" for key, line in by_key.items() if (path, key) not in used)
            out_fp.close()
            err_fp.close()
            if completed:
                os.replace(tmp, target)
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


def stream_batch(
    files: list[str],
    out: IO[str],
    options: BatchOptions,
    progress: ProgressCallback | None = None,
    notify: Callable[[str], None] | None = None,
    errors: IO[str] | None = None,
) -> BatchSummary:
    """Process ``files`` into the stream ``out`` (JSONL, input order, flushed per record), no files on disk.

    For a pipe (``newsclaims batch DIR | jq …``): a failed input is one JSON line on ``errors``
    (if given) and the run goes on. Nothing can be resumed: Ctrl-C stops after the current files,
    whose records are written first.
    """
    if options.resume:
        raise NewsclaimsError("--resume needs -o FILE: records streamed to stdout cannot be read back")
    summary = BatchSummary(total=len(files), output=Path("-"), errors_path=Path("-"), streamed=True)
    engine = _start(options, files)
    started = time.perf_counter()
    try:
        _drive(engine, files, {}, options.chunk_size, summary, _Sink(files, {}, set(), out, errors), progress, notify)
    finally:
        with _interrupts_kill(engine):
            engine.close()
            summary.seconds = time.perf_counter() - started
    return summary


def _drive(
    engine: Engine,
    files: list[str],
    known: dict[str, dict[str, str]],
    chunk_size: int,
    summary: BatchSummary,
    sink: _Sink,
    progress: ProgressCallback | None,
    notify: Callable[[str], None] | None,
) -> bool:
    """The run itself: chunks through the engine into ``sink``, in input order; True when every file was done."""
    stop = _Stop(engine, notify)
    parsed = 0

    def tick() -> None:
        # Per parsed file (records reach the output per chunk, in order; both counts only grow).
        nonlocal parsed
        parsed += 1
        if progress is not None:
            progress(min(summary.total, max(summary.done, parsed)), summary.total, summary.failed)

    try:
        with stop.on_signals():
            for outcomes in engine.run(_chunks(files, known, chunk_size, stop), tick if progress else None):
                for outcome in outcomes:
                    sink.write(outcome, summary)
                if progress is not None:
                    progress(max(summary.done, parsed), summary.total, summary.failed)
    except KeyboardInterrupt:
        summary.interrupted = True
        return False
    summary.interrupted = stop.requested
    return not stop.requested


@dataclass
class _Sink:
    """Where outcomes go: records (new, or reused from ``known``) to ``out``, error lines to ``errors``."""

    files: list[str]
    known: dict[str, dict[str, str]]
    used: set[tuple[str, str]]
    out: IO[str]
    errors: IO[str] | None

    def write(self, outcome: Outcome, summary: BatchSummary) -> None:
        if outcome.kind == "record":
            self.out.write(outcome.payload + "\n")
            summary.written += 1
            _count(outcome.payload, summary)
        elif outcome.kind == "reuse":
            path = self.files[outcome.index]
            self.out.write(self.known[path][outcome.payload] + "\n")
            self.used.add((path, outcome.payload))
            summary.reused += 1
            _count(self.known[path][outcome.payload], summary)
        else:
            if self.errors is not None:
                self.errors.write(outcome.payload + "\n")
                self.errors.flush()
            summary.failed += 1
        self.out.flush()


class _Stop:
    """The first Ctrl-C or SIGTERM of a run: stop taking files, let the running ones finish.

    The second raises KeyboardInterrupt after killing the workers, so nothing waits any longer.
    Only in the main thread (the only one that may set signal handlers); elsewhere a Ctrl-C is a
    KeyboardInterrupt as before.
    """

    def __init__(self, engine: Engine, notify: Callable[[str], None] | None) -> None:
        self.engine = engine
        self.notify = notify
        self.requested = False

    def _handle(self, signum: int, frame: object) -> None:
        if self.requested:
            kill = getattr(self.engine, "kill", None)
            if kill is not None:
                kill()
            raise KeyboardInterrupt
        self.requested = True
        self.engine.stop()
        if self.notify is not None:
            self.notify(STOPPING)

    @contextlib.contextmanager
    def on_signals(self) -> Iterator[None]:
        if threading.current_thread() is not threading.main_thread():
            yield
            return
        previous = {sig: signal.signal(sig, self._handle) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            yield
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)


@contextlib.contextmanager
def _interrupts_kill(engine: Engine) -> Iterator[None]:
    """While stopping: Ctrl-C or SIGTERM kills the workers at once and is otherwise ignored.

    The first Ctrl-C has already been taken as "stop"; a second must not hang (waiting for the
    running chunks) nor raise into the clean-up that saves the records for --resume.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    kill = getattr(engine, "kill", None)

    def now(signum: int, frame: object) -> None:
        if kill is not None:
            kill()

    previous = {sig: signal.signal(sig, now) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _with_stamp(options: BatchOptions, stamp: str | None) -> BatchOptions:
    import dataclasses

    return dataclasses.replace(options, timestamp=stamp) if stamp else options


def _count(line: str, summary: BatchSummary) -> None:
    # What the summary line reports; a record line is our own JSON, so it parses.
    record = json.loads(line)
    summary.claims += len(record.get("claims", ()))
    summary.figures += sum(1 for f in record.get("figures", ()) if not f.get("derived"))
    summary.warnings += bool(record.get("warnings"))


def _chunks(files: list[str], known: dict[str, dict[str, str]], size: int, stop: _Stop) -> Iterator[list[Task]]:
    # Chunks depend only on the file list, so every engine and worker count parses the same batches.
    for start in range(0, len(files), size):
        if stop.requested:
            return
        yield [Task(i, files[i], tuple(known.get(files[i], ()))) for i in range(start, min(start + size, len(files)))]


def _start(options: BatchOptions, files: list[str]) -> Engine:
    """The engine for this run: rules and model checked first, the worker count chosen if not given."""
    ruleset = _preflight(options)
    if not options.workers:
        options = replace(options, workers=default_workers(files if options.engine == "local" else None))
    return _make_engine(options, ruleset, len(files))


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
        file_timeout=options.file_timeout or None,
        file_memory_mb=options.file_memory_mb or None,
    )
    if options.engine == "dask":
        from newsclaims.batch.dask import DaskEngine

        return DaskEngine(settings, options.workers or 1, options.scheduler)
    if options.engine != "local":
        raise NewsclaimsError(f"unknown engine '{options.engine}' (use local or dask)")
    from newsclaims.batch.local import LocalEngine

    # More processes than chunks would only add start-up time.
    return LocalEngine(settings, min(options.workers or 1, -(-n_files // options.chunk_size)))


# Input bytes that repay one more worker process, which first imports spaCy and loads the model
# (about 1.4 s of CPU). Measured with bench/speed.py --sections workers on the first PolNeAR dev
# articles, idle 2-core machine, --workers 2 against 1 (wall): 35 KB 1.11x the time, 85 KB 0.85x,
# 233 KB 0.69x, all 84 (405 KB) 0.61x; so two workers from 128 KiB on.
BYTES_PER_WORKER = 64 * 1024
# How long the cores are watched when the load average says they are busy (``cores.busy_cores``):
# the kernel counts their time in 10 ms ticks, so 0.2 s reads each core's use to within 5%.
IDLE_SAMPLE_S = 0.2


def default_workers(files: Sequence[str] | None = None) -> int:
    """Worker processes for a local batch: the cores this process may use, capped by the work.

    Without ``files``, the cores available to this process (``os.sched_getaffinity``: a container
    or ``taskset`` may allow fewer than the machine has). With ``files``, also no more workers than
    cores that are idle (on a busy machine two workers ran 1.17x slower than one) and than
    64 KiB shares of the input (``BYTES_PER_WORKER``), so a small batch runs in-process and
    never pays a worker's start-up for nothing. Idle cores come from the one-minute load average;
    where that says they are busy, the cores are also watched for ``IDLE_SAMPLE_S`` and the lower
    of the two counts is taken, because the average still counts a run that ended up to a minute ago.
    """
    try:
        allowed = sorted(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        allowed = list(range(os.cpu_count() or 1))
    cores = len(allowed)
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
    wanted = min(cores, size // BYTES_PER_WORKER)
    if busy and wanted > cores - busy:
        from newsclaims.batch.cores import busy_cores

        now = busy_cores(allowed, IDLE_SAMPLE_S)
        if now is not None:
            busy = min(busy, round(now))
    return max(1, min(wanted, cores - busy))
