"""The default worker count: cores allowed, the work's size, and how busy the cores are now."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from newsclaims.batch import run
from newsclaims.batch.cores import busy_cores, read_core_times

PROC_STAT = """\
cpu  300 0 100 900 20 0 0 0 0 0
cpu0 250 0 50 400 10 0 0 0 0 0
cpu1 50 0 50 500 10 0 0 0 0 0
intr 12345 0 0
ctxt 999
"""


def test_read_core_times_per_core_only(tmp_path: Path) -> None:
    stat = tmp_path / "stat"
    stat.write_text(PROC_STAT, encoding="ascii")
    # The all-cores "cpu" line and the other counters are not cores.
    assert read_core_times(str(stat)) == {0: (710, 410), 1: (610, 510)}
    assert read_core_times(str(tmp_path / "missing")) == {}


def _reader(*readings: dict[int, tuple[int, int]]):
    it = iter(readings)
    return lambda: next(it)


def test_busy_cores_counts_work_between_two_readings() -> None:
    # Core 0 worked all 20 ticks, core 1 five of its 20.
    read = _reader({0: (100, 50), 1: (100, 50)}, {0: (120, 50), 1: (120, 65)})
    slept: list[float] = []
    assert busy_cores([0, 1], 0.2, read, slept.append) == pytest.approx(1.25)
    assert slept == [0.2]
    # Only the cores this process may use count.
    read = _reader({0: (100, 50), 1: (100, 50)}, {0: (120, 50), 1: (120, 65)})
    assert busy_cores([1], 0.2, read, lambda _: None) == pytest.approx(0.25)


def test_busy_cores_none_when_nothing_to_read() -> None:
    assert busy_cores([0], 0.2, lambda: {}, lambda _: None) is None
    # Counts that did not move (a frozen /proc, too short a wait) tell nothing.
    still = {0: (100, 50)}
    assert busy_cores([0], 0.2, _reader(still, still), lambda _: None) is None


@pytest.fixture
def big_input(tmp_path: Path) -> list[str]:
    """Two files of 300 KiB: enough work for two workers by size."""
    paths = []
    for name in ("a.txt", "b.txt"):
        path = tmp_path / name
        with path.open("wb") as f:
            f.truncate(300 * 1024)
        paths.append(str(path))
    return paths


def _machine(monkeypatch: pytest.MonkeyPatch, load: float, now: float | None) -> list[int]:
    """Two allowed cores, a load average, and what watching the cores would show; returns the calls."""
    calls: list[int] = []
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: {0, 1}, raising=False)
    monkeypatch.setattr(os, "getloadavg", lambda: (load, load, load))

    def watched(cpus, interval):
        calls.append(len(cpus))
        return now

    monkeypatch.setattr("newsclaims.batch.cores.busy_cores", watched)
    return calls


def test_default_workers_idle_machine_needs_no_watch(monkeypatch: pytest.MonkeyPatch, big_input: list[str]) -> None:
    calls = _machine(monkeypatch, load=0.4, now=2.0)
    assert run.default_workers(big_input) == 2
    assert calls == []
    assert run.default_workers(None) == 2


def test_default_workers_lagging_load_average(monkeypatch: pytest.MonkeyPatch, big_input: list[str]) -> None:
    # A run that just ended left the average at 1.6; the cores are idle now: two workers.
    calls = _machine(monkeypatch, load=1.6, now=0.1)
    assert run.default_workers(big_input) == 2
    assert calls == [2]


def test_default_workers_busy_machine(monkeypatch: pytest.MonkeyPatch, big_input: list[str]) -> None:
    # Another job holds a core by both signals: one worker.
    _machine(monkeypatch, load=1.2, now=0.9)
    assert run.default_workers(big_input) == 1
    # Where the cores cannot be watched, the load average decides as before.
    _machine(monkeypatch, load=1.2, now=None)
    assert run.default_workers(big_input) == 1
    # The watch never adds busy cores to what the load average says.
    _machine(monkeypatch, load=1.2, now=2.0)
    assert run.default_workers(big_input) == 1


def test_default_workers_small_input_stays_in_process(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    calls = _machine(monkeypatch, load=1.5, now=0.0)
    small = tmp_path / "one.txt"
    small.write_text("A short article.", encoding="utf-8")
    assert run.default_workers([str(small), str(tmp_path / "unreadable.txt")]) == 1
    assert calls == []


def test_default_workers_second_worker_from_two_shares(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    _machine(monkeypatch, load=0.0, now=0.0)
    path = tmp_path / "a.txt"
    with path.open("wb") as f:
        f.truncate(2 * run.BYTES_PER_WORKER - 1)
    assert run.default_workers([str(path)]) == 1
    with path.open("ab") as f:
        f.write(b"x")
    assert run.default_workers([str(path)]) == 2
