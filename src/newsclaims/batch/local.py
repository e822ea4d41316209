"""The local engine: chunks run in this process (one worker) or in a pool of worker processes."""

from __future__ import annotations

import contextlib
import functools
import multiprocessing
import signal
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from newsclaims.batch.worker import (
    Outcome,
    Settings,
    Task,
    Tick,
    in_chunk_order,
    memory_budget,
    process_chunk,
    restore_memory,
    set_tick,
    watch_parent,
)
from newsclaims.errors import NewsclaimsError


class LocalEngine:
    """``workers == 1``: in-process, no pickling; otherwise a spawn-based process pool."""

    def __init__(self, settings: Settings, workers: int) -> None:
        self.settings = settings
        self.workers = max(1, workers)
        self._pool: ProcessPoolExecutor | None = None
        self._in_flight: deque[Future[list[Outcome]]] = deque()
        self._ticks: Any = None

    def run(self, chunks: Iterable[list[Task]], tick: Tick | None = None) -> Iterator[list[Outcome]]:
        """Outcomes per chunk, in chunk order (``worker.in_chunk_order``).

        ``tick`` is called once per article parsed, as it is parsed (from a thread of this process
        when workers run in a pool), so progress can move per file rather than per chunk.
        """
        if self.workers == 1:
            old = memory_budget(self.settings.file_memory_mb)
            try:
                for chunk in chunks:
                    yield process_chunk(chunk, self.settings, tick)
            finally:
                restore_memory(old)
            return
        context = multiprocessing.get_context("spawn")
        self._ticks = context.SimpleQueue() if tick is not None else None
        # spawn, not fork: the parent may hold threads (Rich's refresher, BLAS) that fork would copy mid-lock.
        self._pool = ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=context,
            initializer=_init_worker,
            initargs=(self.settings, self._ticks),
        )
        if tick is not None:
            threading.Thread(target=_relay, args=(self._ticks, tick), name="newsclaims-ticks", daemon=True).start()
        pool, settings = self._pool, self.settings
        try:
            yield from in_chunk_order(
                chunks, lambda chunk: pool.submit(process_chunk, chunk, settings), self.workers, self._in_flight
            )
        except BrokenProcessPool:
            raise NewsclaimsError(
                "a worker process died (killed from outside, or by the system for lack of memory); "
                "the records so far are kept: rerun with --resume, perhaps with fewer --workers"
            ) from None

    def stop(self) -> None:
        """Drop the chunks no worker has started; those running still come out of ``run`` (a first Ctrl-C)."""
        for future in list(self._in_flight):
            future.cancel()

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
        if self._ticks is not None:
            self._ticks.put(None)  # ends the relay thread
            self._ticks = None


def _processes(pool: ProcessPoolExecutor | None) -> list[multiprocessing.process.BaseProcess]:
    # ProcessPoolExecutor has no public way to reach (and kill) its processes.
    return list((getattr(pool, "_processes", None) or {}).values())


def _relay(ticks: Any, tick: Tick) -> None:
    # One message per parsed article from any worker; None (from ``close``) ends the thread.
    while ticks.get() is not None:
        tick()


def _init_worker(settings: Settings, ticks: Any = None) -> None:
    # Ctrl-C reaches the whole process group; only the parent decides how to stop.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    watch_parent()
    if ticks is not None:
        set_tick(functools.partial(ticks.put, 1))
    from newsclaims.pipeline import freeze_built_pipelines, get_nlp

    freeze_built_pipelines()
    # A failure here is raised again by the first chunk, as an error the parent can show.
    with contextlib.suppress(Exception):
        get_nlp(settings.model, ruleset=settings.ruleset)
    # After the model is loaded: the budget is what parsing may add to it.
    memory_budget(settings.file_memory_mb)
