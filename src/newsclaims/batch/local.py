"""The local engine: chunks run in this process (one worker) or in a pool of worker processes."""

from __future__ import annotations

import contextlib
import multiprocessing
import signal
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from newsclaims.batch.worker import (
    Outcome,
    Settings,
    Task,
    in_chunk_order,
    memory_budget,
    process_chunk,
    restore_memory,
    watch_parent,
)
from newsclaims.errors import NewsclaimsError


class LocalEngine:
    """``workers == 1``: in-process, no pickling; otherwise a spawn-based process pool."""

    def __init__(self, settings: Settings, workers: int) -> None:
        self.settings = settings
        self.workers = max(1, workers)
        self._pool: ProcessPoolExecutor | None = None

    def run(self, chunks: Iterable[list[Task]]) -> Iterator[list[Outcome]]:
        """Outcomes per chunk, in chunk order (``worker.in_chunk_order``)."""
        if self.workers == 1:
            old = memory_budget(self.settings.file_memory_mb)
            try:
                for chunk in chunks:
                    yield process_chunk(chunk, self.settings)
            finally:
                restore_memory(old)
            return
        # spawn, not fork: the parent may hold threads (Rich's refresher, BLAS) that fork would copy mid-lock.
        self._pool = ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_init_worker,
            initargs=(self.settings,),
        )
        pool, settings = self._pool, self.settings
        try:
            yield from in_chunk_order(chunks, lambda chunk: pool.submit(process_chunk, chunk, settings), self.workers)
        except BrokenProcessPool:
            raise NewsclaimsError(
                "a worker process died (killed from outside, or by the system for lack of memory); "
                "the records so far are kept: rerun with --resume, perhaps with fewer --workers"
            ) from None

    def kill(self) -> None:
        """Stop the workers now, mid-file (a second Ctrl-C): nothing they were doing is kept."""
        for process in _processes(self._pool):
            with contextlib.suppress(Exception):
                process.kill()

    def close(self) -> None:
        """Drop queued chunks and wait for the running ones (``kill`` from a signal handler cuts the wait short)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


def _processes(pool: ProcessPoolExecutor | None) -> list[multiprocessing.process.BaseProcess]:
    # ProcessPoolExecutor has no public way to reach (and kill) its processes.
    return list((getattr(pool, "_processes", None) or {}).values())


def _init_worker(settings: Settings) -> None:
    # Ctrl-C reaches the whole process group; only the parent decides how to stop.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    watch_parent()
    from newsclaims.pipeline import get_nlp

    # A failure here is raised again by the first chunk, as an error the parent can show.
    with contextlib.suppress(Exception):
        get_nlp(settings.model, ruleset=settings.ruleset)
    # After the model is loaded: the budget is what parsing may add to it.
    memory_budget(settings.file_memory_mb)
