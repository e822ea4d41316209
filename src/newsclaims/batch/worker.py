"""The batch worker: what every engine runs, wherever it runs (this process, a process pool, a Dask cluster).

Every engine runs the same ``process_chunk`` over chunks of files and yields the outcome
lists back in chunk order, so the output does not depend on the engine or worker count.
"""

from __future__ import annotations

import json
import os
import signal
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, Protocol

from newsclaims.batch.resume import resume_key
from newsclaims.errors import NewsclaimsError

if TYPE_CHECKING:
    from spacy.language import Language

    from newsclaims.inputs import Article
    from newsclaims.rules import RuleSet

OutcomeKind = Literal["record", "reuse", "error"]
# Called once per article parsed, as soon as it is parsed: per-file progress inside a chunk.
Tick = Callable[[], None]


@dataclass(frozen=True)
class Settings:
    """What every worker needs to build the same pipeline and records."""

    model: str | None = None
    # Validated once by run_batch and pickled to the workers (about 18 kB); None: the built-in rules.
    ruleset: RuleSet | None = None
    include_text: bool = False
    batch_size: int = 16
    # One time for the whole run, so every record of a batch carries the same stamp.
    timestamp: str | None = None
    # Per-file budgets (None: unlimited); see ``time_budget`` and ``memory_budget``.
    file_timeout: float | None = None
    file_memory_mb: int | None = None


DEFAULT_FILE_TIMEOUT = 600.0
DEFAULT_FILE_MEMORY_MB = 8192


class BudgetExceeded(Exception):
    """A file took longer than its time budget (``--file-timeout``); it becomes an errors-file line."""


@contextmanager
def time_budget(seconds: float | None) -> Iterator[None]:
    """Raise BudgetExceeded in this block after ``seconds`` of wall time (a SIGALRM timer).

    Only in a process's main thread (local workers, a one-worker run); elsewhere (Dask's worker
    threads) the block runs unbounded. The alarm interrupts Python code: a single long call into
    C is stopped when it returns, which is why long punctuation runs are broken up before parsing.
    """
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expired(signum: int, frame: object) -> None:
        raise BudgetExceeded(f"over the time budget of {seconds:g} s per file (--file-timeout)")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _address_space() -> int:
    with open("/proc/self/statm") as fp:
        return int(fp.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


def memory_budget(megabytes: int | None) -> tuple[int, int] | None:
    """Cap this process's address space at what it uses now plus ``megabytes``; returns the old limit.

    Allocations past it raise MemoryError inside the file being parsed, which becomes an errors-file
    line; the memory is freed with that file's objects. Linux only (elsewhere: no budget).
    """
    if not megabytes:
        return None
    try:
        import resource

        old = resource.getrlimit(resource.RLIMIT_AS)
        limit = _address_space() + megabytes * 1024 * 1024
        if old[1] != resource.RLIM_INFINITY:
            limit = min(limit, old[1])
        resource.setrlimit(resource.RLIMIT_AS, (limit, old[1]))
        return old
    except (ImportError, OSError, ValueError):
        return None


def restore_memory(old: tuple[int, int] | None) -> None:
    """Undo ``memory_budget``."""
    if old is not None:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, old)


def watch_parent(interval: float = 0.5) -> None:
    """Exit this worker process as soon as the process that started it is gone.

    A SIGKILLed batch cannot stop its pool; without this its workers stay blocked on the dead
    pipe, holding hundreds of MB each. Polling ``getppid`` works whoever the new parent is.
    """
    parent = os.getppid()

    def watch() -> None:
        import time

        while os.getppid() == parent:
            time.sleep(interval)
        os._exit(1)

    threading.Thread(target=watch, name="newsclaims-parent-watch", daemon=True).start()


@dataclass
class Task:
    """One input file: its place in the batch, and records of it from an earlier run (resume keys)."""

    index: int
    path: str
    known: tuple[str, ...] = ()
    # Engines whose workers may not see the file system (Dask) ship the bytes, or the read error.
    data: bytes | None = None
    read_error: tuple[str, str] | None = None


@dataclass
class Outcome:
    """What became of one task: a JSONL record, a reuse of a known record (its key), or an error line."""

    index: int
    kind: OutcomeKind
    payload: str


class ChunkFuture(Protocol):
    """What both concurrent.futures and Dask futures offer."""

    def result(self) -> list[Outcome]: ...

    def cancelled(self) -> bool: ...


# Chunks submitted and not yet handed back, per worker. A slow chunk holds back only the output: the
# other workers go on through the chunks queued behind it (two per worker left them idle behind one
# long article: 26.6 s wall for 250 files on two workers, 23.2 s with eight).
WINDOW_PER_WORKER = 8


def in_chunk_order(
    chunks: Iterable[list[Task]],
    submit: Callable[[list[Task]], ChunkFuture],
    workers: int,
    submitted: deque[ChunkFuture] | None = None,
) -> Iterator[list[Outcome]]:
    """Outcomes of each chunk in chunk order, from chunks that workers take as they become free.

    ``WINDOW_PER_WORKER * workers`` chunks are submitted ahead and topped up as each is handed
    back, so a free worker takes the next queued chunk while the oldest is still running; the
    window bounds the results held for reordering. Waiting for any other chunk would gain nothing:
    while the oldest runs, no chunk can be handed back and the window cannot grow. A chunk's error
    is raised in its turn, after the outcomes of every chunk before it. ``submitted`` (the
    engine's, to cancel on stop and close) holds the futures not yet handed back, oldest first;
    a cancelled one is skipped.
    """
    window = WINDOW_PER_WORKER * max(1, workers)
    pending: deque[ChunkFuture] = deque() if submitted is None else submitted
    source = iter(chunks)
    while True:
        while len(pending) < window:
            chunk = next(source, None)
            if chunk is None:
                break
            pending.append(submit(chunk))
        if not pending:
            return
        future = pending.popleft()
        if not future.cancelled():  # dropped by a first Ctrl-C (Engine.stop): its files stay for --resume
            yield future.result()


class Engine(Protocol):
    def run(self, chunks: Iterable[list[Task]], tick: Tick | None = None) -> Iterator[list[Outcome]]:
        """Outcomes of each chunk, in the order the chunks were given; ``tick`` per parsed article where supported."""
        ...

    def stop(self) -> None:
        """Drop chunks not yet started; ``run`` still yields the running ones (called from a signal handler)."""
        ...

    def close(self) -> None:
        """Stop workers; pending work is dropped."""
        ...


def error_line(path: str, error: str, message: str) -> str:
    """One line of the errors file (an undecodable file name as escaped surrogates, as in records)."""
    from newsclaims.output.records import escape_surrogates

    return escape_surrogates(json.dumps({"path": path, "error": error, "message": message}, ensure_ascii=False))


# One pipeline use at a time per process: a Dask worker may run several tasks in threads.
_LOCK = threading.Lock()
# A pool worker's way to tell the parent of each parsed article (set by the pool's initializer).
_WORKER_TICK: Tick | None = None


def set_tick(tick: Tick | None) -> None:
    """What ``process_chunk`` calls per parsed article in this process when it is given no ``tick``."""
    global _WORKER_TICK
    _WORKER_TICK = tick


def process_chunk(tasks: list[Task], settings: Settings, tick: Tick | None = None) -> list[Outcome]:
    """Read, parse and assemble a chunk of files in one worker; the pipeline is built once per process."""
    with _LOCK:
        return _process_chunk(tasks, settings, tick or _WORKER_TICK)


def _process_chunk(tasks: list[Task], settings: Settings, tick: Tick | None) -> list[Outcome]:
    from newsclaims.assemble import generator_for
    from newsclaims.inputs import article_from_bytes, read_article
    from newsclaims.pipeline import get_nlp

    nlp = get_nlp(settings.model, ruleset=settings.ruleset)
    # The resume key is made of the same generator fields that load_known reads back from a record.
    generator = generator_for(nlp)
    outcomes: dict[int, Outcome] = {}
    pending: list[tuple[Task, Article]] = []
    for task in tasks:
        if task.read_error is not None:
            outcomes[task.index] = Outcome(task.index, "error", error_line(task.path, *task.read_error))
            continue
        try:
            article = read_article(task.path) if task.data is None else article_from_bytes(task.data, task.path)
        except Exception as e:  # one bad file must not stop the batch
            outcomes[task.index] = _error(task, e)
            continue
        key = resume_key(
            article.sha256,
            generator.model,
            generator.rules,
            generator.version,
            text=settings.include_text,
            stamped=settings.timestamp is not None,
        )
        if key in task.known:
            outcomes[task.index] = Outcome(task.index, "reuse", key)
        else:
            pending.append((task, article))
    for task, outcome in zip((t for t, _ in pending), _extract(pending, nlp, settings, tick), strict=True):
        outcomes[task.index] = outcome
    return [outcomes[t.index] for t in tasks]


def _extract(
    pending: list[tuple[Task, Article]], nlp: Language, settings: Settings, tick: Tick | None = None
) -> list[Outcome]:
    """Records for the pending articles through the one extraction loop, ``pipeline.extract_with``."""
    if not pending:
        return []
    budget = settings.file_timeout * len(pending) if settings.file_timeout else None
    try:
        with time_budget(budget):
            lines = _lines(nlp, [a for _, a in pending], settings, settings.batch_size, tick)
        return [Outcome(task.index, "record", line) for (task, _), line in zip(pending, lines, strict=True)]
    except NewsclaimsError:
        raise  # a broken model or rules: every article would fail the same way, so stop the batch
    except Exception:  # MemoryError and BudgetExceeded included
        pass
    # A failure inside a batched parse (or a chunk over its budget): redo one by one so only the bad
    # article is lost, each within its own budget.
    results = []
    for task, article in pending:
        try:
            with time_budget(settings.file_timeout):
                results.append(Outcome(task.index, "record", _lines(nlp, [article], settings, 1)[0]))
        except MemoryError:
            mb = settings.file_memory_mb
            results.append(_error(task, MemoryError(f"over the memory budget of {mb} MB per worker (--file-memory)")))
        except Exception as e:
            results.append(_error(task, e))
    return results


def _lines(
    nlp: Language, articles: list[Article], settings: Settings, batch_size: int, tick: Tick | None = None
) -> list[str]:
    from newsclaims.output import to_json_line
    from newsclaims.pipeline import extract_with

    results = extract_with(
        nlp, articles, include_text=settings.include_text, timestamp=settings.timestamp, batch_size=batch_size
    )
    lines = []
    for result in results:
        lines.append(to_json_line(result))
        if tick is not None:
            tick()
    return lines


def _error(task: Task, e: BaseException) -> Outcome:
    message = str(e) or type(e).__name__
    return Outcome(task.index, "error", error_line(task.path, type(e).__name__, message))
