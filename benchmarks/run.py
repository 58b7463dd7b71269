"""`python -m benchmarks.run`: the robot against the straight-line script on the mock portals.

Both renew 5, 20 and 100 due locations, alternating run by run in this one process (so a noisy
machine slows both alike), on mocks reset before every run; medians over the rounds are printed
and judged against the targets (README, "Performance"). Not a test: it asserts only that every run
did the renewals.
"""

from __future__ import annotations

import argparse
import itertools
import os
import platform
import statistics
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Browser, sync_playwright

from benchmarks.contenders import Measurement, run_robot, run_straight
from benchmarks.memory import rusage_maxrss_kb
from fixtures.portals import MockPortals
from robot.runtime.chromium import launch_options

ROBOT, STRAIGHT = "robot", "straight"
STEP_ORDER = ("sign-in", "read accounts", "navigation", "download", "check token", "replace", "verify")
MAX_RATIO = 1.25  # robot / straight-line script, at RATIO_COUNTS locations
RATIO_COUNTS = (5, 20)
MAX_GROWTH = 0.15  # how far the per-location time may drift from the first marginal (linear growth)


@dataclass
class Results:
    runs: dict[tuple[str, int], list[Measurement]]
    first_run: Measurement  # the robot's warm-up: one location from an empty state directory
    peak_pss_kb: dict[tuple[str, int], int]  # from one more run of each per count, the only ones sampled

    def median(self, name: str, count: int, value: Callable[[Measurement], float]) -> float:
        return statistics.median(value(m) for m in self.runs[(name, count)])

    def spread(self, name: str, count: int, value: Callable[[Measurement], int]) -> str:
        """The value if every run agrees, else its range: counts that must not vary are shown as they are."""
        seen = sorted({value(m) for m in self.runs[(name, count)]})
        return str(seen[0]) if len(seen) == 1 else f"{seen[0]}-{seen[-1]}"

    def wall(self, name: str, count: int) -> float:
        return self.median(name, count, lambda m: m.wall)

    def walls(self, name: str, count: int) -> list[float]:
        """Wall times round by round: index i of every contender and count ran within the same round."""
        return [m.wall for m in self.runs[(name, count)]]

    def paired_ratio(self, count: int) -> float:
        """The median of each round's robot/straight ratio: a slow spell of the machine that falls on one round
        cancels out within it, where the ratio of medians can pair a slow run with a quick one."""
        pairs = zip(self.walls(ROBOT, count), self.walls(STRAIGHT, count), strict=True)
        return statistics.median(robot / straight for robot, straight in pairs)

    def paired_marginal(self, name: str, low: int, high: int) -> float:
        """The median over rounds of (time at `high` - time at `low`) / (high - low), each from one round."""
        return statistics.median((h - lo) / (high - low)
                                 for lo, h in zip(self.walls(name, low), self.walls(name, high), strict=True))


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__)
    parser.add_argument("--rounds", type=int, default=5, help="runs of each contender per count (default 5)")
    parser.add_argument("--counts", default="5,20,100", help="numbers of due locations (default 5,20,100)")
    parser.add_argument("--memory", action="store_true",
                        help="measure peak memory in one more run of each contender per count")
    parser.add_argument("--shared-browser", action="store_true",
                        help="both reuse one browser launched here (default: each run launches its own)")
    parser.add_argument("--fresh-state", action="store_true",
                        help="every robot run starts from an empty state directory, as a first run does "
                             "(default: one directory shared by the runs, as the nightly job keeps it)")
    parser.add_argument("--robot-args", default="", help='extra robot flags, e.g. "--trace off"')
    return parser.parse_args(argv)


@contextmanager
def shared_browser(wanted: bool) -> Iterator[Browser | None]:
    if not wanted:
        yield None
        return
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(**launch_options(playwright))  # type: ignore[arg-type]
        try:
            yield browser
        finally:
            browser.close()


def measure(portals: MockPortals, counts: list[int], rounds: int, *, browser: Browser | None,
            robot_args: list[str], work: Path | None, memory: bool) -> Results:
    contenders: dict[str, Callable[[int, bool], Measurement]] = {
        ROBOT: lambda n, sample: run_robot(portals, n, browser, robot_args, work, sample_memory=sample),
        STRAIGHT: lambda n, sample: run_straight(portals, n, browser, sample_memory=sample),
    }
    # Warm-up, not counted: imports, disk cache, and the robot's first run (which finds the pages it keeps).
    first_run = contenders[ROBOT](1, False)
    contenders[STRAIGHT](1, False)
    runs: dict[tuple[str, int], list[Measurement]] = {}
    for number in range(rounds):
        for index, count in enumerate(counts):
            order = [ROBOT, STRAIGHT] if (number + index) % 2 == 0 else [STRAIGHT, ROBOT]
            for name in order:
                measurement = contenders[name](count, False)
                runs.setdefault((name, count), []).append(measurement)
                print(f"round {number + 1}/{rounds}: {name:8} {count:3} locations {measurement.wall:6.2f} s",
                      file=sys.stderr)
    # Memory apart from the timed rounds: sampling it would load the very CPUs the times depend on.
    peak_pss_kb = {(name, count): contenders[name](count, True).peak_pss_kb if memory else 0 for count in counts
                   for name in (ROBOT, STRAIGHT)}
    return Results(runs, first_run, peak_pss_kb)


def machine() -> str:
    memory = next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                  if line.startswith("MemTotal:"))
    return (f"{os.cpu_count()} CPUs (nproc), {int(memory) / 1024 ** 2:.0f} GiB RAM, {platform.platform()}, "
            f"Python {platform.python_version()}")


def report_runs(results: Results, counts: list[int], check: Callable[[str, bool], None]) -> None:
    print(f"{'locations':>9} {'robot s':>8} {'straight s':>10} {'ratio':>6} {'paired':>6}  {'launches r/s':>12}  "
          f"{'contexts r/s':>12}  {'sign-ins abm,cortado r / s':>26}  {'peak PSS MB r/s':>15}")
    for count in counts:
        robot, straight = results.wall(ROBOT, count), results.wall(STRAIGHT, count)
        launches = "/".join(results.spread(n, count, lambda m: m.launches) for n in (ROBOT, STRAIGHT))
        contexts = "/".join(results.spread(n, count, lambda m: m.contexts) for n in (ROBOT, STRAIGHT))
        sign_ins = " / ".join(",".join(results.spread(n, count, lambda m, p=p: m.sign_ins[p])  # type: ignore[misc]
                                       for p in ("abm", "cortado")) for n in (ROBOT, STRAIGHT))
        memory = "/".join(f"{results.peak_pss_kb[(n, count)] / 1024:.0f}" for n in (ROBOT, STRAIGHT))
        print(f"{count:>9} {robot:8.2f} {straight:10.2f} {robot / straight:6.2f} {results.paired_ratio(count):6.2f}  "
              f"{launches:>12}  {contexts:>12}  "
              f"{sign_ins:>26}  {memory:>15}")
        ratio = robot / straight
        if count in RATIO_COUNTS:
            check(f"ratio at {count} locations {ratio:.3f} <= {MAX_RATIO:.2f}", ratio <= MAX_RATIO)
        check(f"one sign-in per portal in every robot run at {count} locations",
              all(m.sign_ins == {"abm": 1, "cortado": 1} for m in results.runs[(ROBOT, count)]))


def report_marginal(results: Results, counts: list[int], check: Callable[[str, bool], None]) -> None:
    """Seconds per added location between neighbouring counts; the robot's must stay that of the first pair."""
    print(f"\n{'marginal s/location':>19} {'robot':>7} {'straight':>8} {'ratio':>6}   paired: robot straight ratio")
    first: tuple[str, float] | None = None
    for low, high in itertools.pairwise(counts):
        robot, straight = ((results.wall(n, high) - results.wall(n, low)) / (high - low) for n in (ROBOT, STRAIGHT))
        paired = [results.paired_marginal(n, low, high) for n in (ROBOT, STRAIGHT)]
        print(f"{f'{low} -> {high}':>19} {robot:7.3f} {straight:8.3f} {robot / straight:6.2f}   "
              f"{paired[0]:14.3f} {paired[1]:8.3f} {paired[0] / paired[1]:5.2f}")
        if first is None:
            first = (f"{low}->{high}", robot)
            continue
        growth = robot / first[1] - 1
        check(f"robot's marginal {low}->{high} {robot:.3f} s within {MAX_GROWTH:.0%} of {first[0]}'s {first[1]:.3f} s "
              f"({growth:+.1%})", abs(growth) <= MAX_GROWTH)


def report_steps(results: Results, counts: list[int]) -> None:
    print("\nper-step seconds, medians (the straight-line script checks nothing, so it has no verify)")
    print(f"{'step':>14} " + " ".join(f"{f'{n} loc r/s':>13}" for n in counts))
    found = {k for ms in results.runs.values() for m in ms for k in m.steps}
    kinds = [k for k in STEP_ORDER if k in found] + sorted(found - set(STEP_ORDER))
    rows: list[tuple[str, Callable[[Measurement], float]]] = [
        (kind, lambda m, kind=kind: m.steps.get(kind, 0.0)) for kind in kinds]  # type: ignore[misc]
    rows.append(("outside steps", lambda m: m.outside_steps))
    for label, value in rows:
        cells = [f"{results.median(ROBOT, n, value):.2f}/{results.median(STRAIGHT, n, value):.2f}" for n in counts]
        print(f"{label:>14} " + " ".join(f"{c:>13}" for c in cells))
    print("  robot: Cortado's navigation is counted inside read accounts too; outside steps = Playwright's start,\n"
          "  the browser's launch, contexts, closing, and the robot's own bookkeeping between steps")


def report(results: Results, counts: list[int], args: argparse.Namespace) -> bool:
    """Prints the tables; returns whether every target was met."""
    verdicts: list[tuple[str, bool]] = []

    def check(what: str, ok: bool) -> None:
        verdicts.append((what, ok))

    robot_cmd = " ".join(["python -m robot renew --all", *args.robot_args.split()])
    print(f"robot: `{robot_cmd}` through robot.cli.main; straight: benchmarks/straight_line.py")
    print("paired = the median of the figure computed within each round (for information; the targets are judged "
          "on the medians)")
    print(f"medians of {args.rounds} alternating runs each; browser: "
          f"{'one shared by all runs' if args.shared_browser else 'each run launches its own'}; robot state: "
          f"{'empty every run' if args.fresh_state else 'kept from run to run, as the nightly job keeps it'}")
    versions = sorted({m.browser for ms in results.runs.values() for m in ms})
    print(f"machine: {machine()}, Chromium {', '.join(versions)}")
    print(f"robot's first run (empty state directory, 1 location, warm-up): {results.first_run.wall:.2f} s\n")
    report_runs(results, counts, check)
    if not args.shared_browser:
        check("one browser launch per run", all(m.launches == 1 for ms in results.runs.values() for m in ms))
    check("one context per portal (two per run: no page waits behind another)",
          all(m.contexts == 2 for ms in results.runs.values() for m in ms))
    report_marginal(results, counts, check)
    report_steps(results, counts)
    own, children = rusage_maxrss_kb()
    print(f"\ngetrusage maxrss: RUSAGE_SELF {own / 1024:.0f} MB = this Python process over the whole benchmark "
          f"(mock servers,\n  Playwright's client, every run); RUSAGE_CHILDREN {children / 1024:.0f} MB = the largest "
          "single descendant that has ended\n  (the Playwright driver or one Chromium process), never a live "
          "browser tree. The PSS column (with --memory) samples\n  this process and its whole browser tree from /proc "
          "in one more run of each per count after the\n  timed rounds: sampling loads the CPUs the timed runs "
          "depend on.")
    print("\ntargets:")
    for what, ok in verdicts:
        print(f"  {'met' if ok else 'NOT MET'}: {what}")
    return all(ok for _, ok in verdicts)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    counts = sorted({int(n) for n in args.counts.split(",")})
    with MockPortals() as portals, shared_browser(args.shared_browser) as browser, \
            tempfile.TemporaryDirectory(prefix="bench-robot-") as work:
        results = measure(portals, counts, args.rounds, browser=browser, robot_args=args.robot_args.split(),
                          work=None if args.fresh_state else Path(work), memory=args.memory)
    return 0 if report(results, counts, args) else 1


if __name__ == "__main__":
    sys.exit(main())
