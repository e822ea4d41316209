"""Progress of a batch: the callback ``run_batch`` calls after each chunk, and a Rich progress bar."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console

ProgressCallback = Callable[[int, int, int], None]  # done, total, failed


class RichProgress:
    """A progress bar on stderr: files done/total, articles/s, time left, failures so far."""

    def __init__(self, console: Console, total: int) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self.started = time.perf_counter()
        self.progress = Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("files · {task.fields[rate]:.1f} articles/s ·"),
            TimeRemainingColumn(),
            TextColumn("· [red]{task.fields[failed]} failed"),
            console=console,
            transient=True,
        )
        # Workers spend their first seconds importing spaCy and loading the model: say so, not "0.0/s".
        self.task = self.progress.add_task("loading model…", total=total, rate=0.0, failed=0)

    def __enter__(self) -> ProgressCallback:
        self.progress.start()
        return self.update

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()

    def update(self, done: int, total: int, failed: int) -> None:
        rate = (done - failed) / max(time.perf_counter() - self.started, 1e-9)
        description = "batch" if done else "loading model…"
        self.progress.update(self.task, description=description, completed=done, total=total, rate=rate, failed=failed)
