"""Peak memory of a run: this process plus the browser tree below it, sampled from /proc (Linux).

getrusage cannot answer this: RUSAGE_SELF's maxrss is this process's peak over its whole life (the
mock servers and every earlier run included), and RUSAGE_CHILDREN's is the peak of the single
largest descendant that has already ended and been waited for, not the sum of a live browser tree.
The sum is of PSS (proportional set size): Chromium's processes share most of their pages, and a sum
of RSS would count those once per process.
"""

from __future__ import annotations

import os
import resource
import threading
from pathlib import Path
from types import TracebackType

INTERVAL_S = 0.25  # reading smaps_rollup walks page tables: often enough for a peak, not a load of its own


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # the process ended while we looked
        tree.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    return tree


def _pss_kb(pid: int) -> int:
    try:
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0  # ended while we looked
    return next((int(line.split()[1]) for line in rollup.splitlines() if line.startswith("Pss:")), 0)


def tree_pss_kb(root: int) -> int:
    """Proportional memory of `root` and all its descendants."""
    tree, total, todo = _children(), 0, [root]
    while todo:
        pid = todo.pop()
        todo.extend(tree.get(pid, ()))
        total += _pss_kb(pid)
    return total


class PeakTreePss:
    """Samples this process's tree every INTERVAL_S while the `with` block runs; `peak_kb` afterwards."""

    def __init__(self) -> None:
        self.peak_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while True:
            self.peak_kb = max(self.peak_kb, tree_pss_kb(os.getpid()))
            if self._stop.wait(INTERVAL_S):
                return

    def __enter__(self) -> PeakTreePss:
        if Path("/proc/self/smaps_rollup").exists():
            self._thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        if self._thread.is_alive():
            self._stop.set()
            self._thread.join()


def rusage_maxrss_kb() -> tuple[int, int]:
    """(RUSAGE_SELF, RUSAGE_CHILDREN) maxrss in KiB on Linux: see the module docstring for what each covers."""
    return (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
            resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
