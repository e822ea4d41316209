"""The Dask engine: chunks of files run on a Dask distributed cluster (``pip install 'newsclaims[dask]'``).

The client reads the files and ships their bytes, so workers need newsclaims and the spaCy
model installed but not the client's file system. Each worker process builds the pipeline
once (``get_nlp`` is cached per process) and runs one chunk at a time.
"""

from __future__ import annotations

import logging
import re
from collections import deque
from collections.abc import Iterable, Iterator
from typing import Any

from newsclaims.batch.worker import Outcome, Settings, Task, Tick, in_chunk_order, process_chunk
from newsclaims.errors import NewsclaimsError

INSTALL_HINT = "install it with: pip install 'newsclaims[dask]'"
# tcp://host:8786, tls://[::1]:8786, host:8786, inproc://…, ucx://…: what distributed accepts.
_ADDRESS = re.compile(
    r"^(?:[a-z][a-z0-9+]*://)?(?:\[[0-9a-fA-F:.]+\]|[A-Za-z0-9_.\-]+|[^\s/:]+/[^\s]*)(?::\d{1,5})?/?$"
)


def check_scheduler(address: str) -> str:
    """``address`` when it looks like a Dask scheduler address, else a NewsclaimsError saying what one looks like."""
    if not _ADDRESS.match(address.strip()):
        raise NewsclaimsError(
            f"--scheduler {address!r}: not a Dask scheduler address (expected e.g. tcp://host:8786 or host:8786)"
        )
    return address.strip()


class DaskEngine:
    """Run on the cluster at ``scheduler`` (``tcp://host:8786``), or on a new LocalCluster of ``workers`` processes."""

    def __init__(self, settings: Settings, workers: int, scheduler: str | None = None) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise NewsclaimsError(f"the Dask engine needs dask[distributed]; {INSTALL_HINT}") from None
        self.settings = settings
        self.cluster: Any = None
        try:
            if scheduler:
                self.client = Client(check_scheduler(scheduler), timeout="30s")
            else:
                self.cluster = LocalCluster(
                    n_workers=max(1, workers),
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=None,
                    silence_logs=logging.ERROR,
                )
                self.client = Client(self.cluster)
        except (OSError, ValueError, TypeError) as e:
            # distributed raises ValueError/TypeError for addresses it cannot parse, OSError for unreachable ones.
            raise NewsclaimsError(f"cannot reach the Dask scheduler {scheduler or '(local)'}: {e}") from None
        self.workers = max(1, len(self.client.scheduler_info().get("workers", {})) or workers)
        self._in_flight: deque[Any] = deque()

    def run(self, chunks: Iterable[list[Task]], tick: Tick | None = None) -> Iterator[list[Outcome]]:
        """Outcomes per chunk, in chunk order (``worker.in_chunk_order``); files are read as submitted.

        No per-article ticks: a cluster's workers cannot call back into this process, so progress moves per chunk.
        """

        def submit(chunk: list[Task]) -> Any:
            for task in chunk:
                _attach_bytes(task)
            return self.client.submit(process_chunk, chunk, self.settings, pure=False)

        yield from in_chunk_order(chunks, submit, self.workers, self._in_flight)

    def stop(self) -> None:
        """Cancel the chunks beyond the oldest one per worker: Dask cannot tell a queued chunk from a running one."""
        later = list(self._in_flight)[self.workers :]
        if later:
            self.client.cancel(later)

    def close(self) -> None:
        """Cancel pending chunks and disconnect (a LocalCluster we started is shut down)."""
        if self._in_flight:
            self.client.cancel(list(self._in_flight))
            self._in_flight.clear()
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def _attach_bytes(task: Task) -> None:
    from newsclaims.inputs import read_bytes

    try:
        task.data = read_bytes(task.path)
    except Exception as e:
        task.read_error = (type(e).__name__, str(e))
