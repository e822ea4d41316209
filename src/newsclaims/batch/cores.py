"""How many of this process's cores other work is using right now, for the default worker count.

The one-minute load average lags: it stays near 1 or 2 for a minute after a run has ended, so a
second ``newsclaims batch`` started straight after the first saw busy cores and ran in one worker on
an idle machine (on 250 PolNeAR train articles, two workers take 0.59-0.60 of that time). Linux's
``/proc/stat`` counts each core's time by state since boot; two readings a moment apart tell how
busy each core is now.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection

PROC_STAT = "/proc/stat"
# Fields of a "cpuN" line in /proc/stat that count a core as not working: idle and iowait.
_IDLE_FIELDS = (3, 4)
# user, nice, system, idle, iowait, irq, softirq, steal; guest time is already counted in user.
_COUNTED_FIELDS = 8


def read_core_times(path: str = PROC_STAT) -> dict[int, tuple[int, int]]:
    """Per core: (all counted time, idle time) in clock ticks since boot; empty where unreadable."""
    try:
        with open(path, encoding="ascii") as f:
            lines = f.read().splitlines()
    except OSError:
        return {}
    times: dict[int, tuple[int, int]] = {}
    for line in lines:
        name, _, rest = line.partition(" ")
        if not (name.startswith("cpu") and name[3:].isdigit()):
            continue
        try:
            fields = [int(v) for v in rest.split()[:_COUNTED_FIELDS]]
        except ValueError:
            continue
        times[int(name[3:])] = (sum(fields), sum(fields[i] for i in _IDLE_FIELDS if i < len(fields)))
    return times


def busy_cores(
    cpus: Collection[int],
    interval: float,
    read: Callable[[], dict[int, tuple[int, int]]] = read_core_times,
    sleep: Callable[[float], None] = time.sleep,
) -> float | None:
    """Cores' worth of work done on ``cpus`` over the next ``interval`` seconds (0.0 to ``len(cpus)``).

    None when the counts cannot be read (not Linux, no /proc) or did not move, so the caller keeps
    another signal. This process sleeps meanwhile, so what is counted is other processes' work.
    """
    before = read()
    if not before:
        return None
    sleep(interval)
    after = read()
    busy, seen = 0.0, False
    for cpu in cpus:
        if cpu not in before or cpu not in after:
            continue
        total = after[cpu][0] - before[cpu][0]
        idle = after[cpu][1] - before[cpu][1]
        if total <= 0:
            continue
        seen = True
        busy += min(1.0, max(0.0, (total - idle) / total))
    return busy if seen else None
