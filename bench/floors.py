"""The floors the benchmarks measure against: Python importing typer and rich, and nothing more.

- `import`: as the targets were set, `python -c "import typer, rich.console, rich.table"`.
- `same gc`: the same imports with the cyclic garbage collector handled as triage's entry
  handles it (off while importing, everything frozen before exit; see triage/entry.py). The
  first floor pays for collections triage skips (about 15 ms of its 65): this one shows what
  triage's own work costs, with the collector's saving taken out.

Targets are judged against the first, as they were set; the second is printed beside it.
"""
from __future__ import annotations

import statistics
import subprocess
import sys
import time

FLOORS = {
    "import": [sys.executable, "-c", "import typer, rich.console, rich.table"],
    "same gc": [sys.executable, "-c", "import gc; gc.disable(); import typer, rich.console, rich.table; gc.freeze()"],
}


def timed(command: list[str], env: dict) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}): {done.stderr.decode()[-500:]}")
    return elapsed


class Floors:
    """Each floor timed between the commands, so that load on the machine hits both alike."""

    def __init__(self, env: dict):
        self.env = env
        self.times: dict[str, list[float]] = {name: [] for name in FLOORS}

    def run(self) -> None:
        for name, command in FLOORS.items():
            self.times[name].append(timed(command, self.env))

    def fastest(self, name: str = "import") -> float:
        return min(self.times[name])

    def ratios(self, seconds: float) -> tuple[float, float]:
        """`seconds` against each floor's fastest run (noise only ever adds time)."""
        return seconds / self.fastest("import"), seconds / self.fastest("same gc")

    def header(self) -> str:
        return "\n".join(f"floor '{name}': fastest {min(times) * 1000:.0f} ms, median "
                         f"{statistics.median(times) * 1000:.0f} ms ({FLOORS[name][-1]}), {len(times)} runs"
                         for name, times in self.times.items())

    def row(self, seconds: list[float], target: float, label: str) -> tuple[str, bool]:
        """One line of the table (both ratios, the target, fastest and median) and whether it is met."""
        ratios = self.ratios(min(seconds))
        met = ratios[0] <= target
        return (f"{ratios[0]:6.2f} {ratios[1]:7.2f} {target:6.1f}  {min(seconds) * 1000:6.0f}ms "
                f"{statistics.median(seconds) * 1000:6.0f}ms  {label}  {'ok' if met else 'SLOW'}"), met


TABLE_HEAD = f"{'import':>6} {'same gc':>7} {'target':>6}  {'fastest':>8} {'median':>8}  command"
