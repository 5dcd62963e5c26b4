"""Start-up benchmark: each command's wall time against the bare cost of importing typer and rich.

Run from the project root with the interpreter that has triage installed:
    python bench/startup.py [--runs 11]

Each command runs as a whole process, alternating with the floor process
`python -c "import typer, rich.console, rich.table"`. For each command it prints the ratio of
its fastest run to the fastest floor run (noise on a shared machine only ever adds time),
with both medians beside it. Targets: 1.3 or less for every command, 1.5 for assess --json.
The first run after installing (empty cache directory) is measured separately: under 2.0.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

FLOOR = [sys.executable, "-c", "import typer, rich.console, rich.table"]
TRIAGE = [sys.executable, "-m", "triage"]
COMMANDS = [
    ("triage --help", ["--help"], 1.3),
    ("triage lookup health --authority herts", ["lookup", "health", "--authority", "herts"], 1.3),
    ('triage lookup --authority notts --search "missing"', ["lookup", "--authority", "notts", "--search", "missing"], 1.3),
    ("triage contacts --authority notts --at 2026-11-27T16:45", ["contacts", "--authority", "notts", "--at", "2026-11-27T16:45"], 1.3),
    ("triage assess --authority herts --indicator herts-health-l4-01 --json",
     ["assess", "--authority", "herts", "--indicator", "herts-health-l4-01", "--json"], 1.5),
    ("triage validate", ["validate"], 1.3),
]


def timed(command: list[str], env: dict) -> float:
    start = time.perf_counter()
    subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=11, help="runs of each command (at least 11)")
    runs = max(11, parser.parse_args().runs)
    cache = tempfile.mkdtemp(prefix="triage-bench-")
    os.chdir(tempfile.mkdtemp(prefix="triage-bench-cwd-"))  # import the installed package, not ./triage
    origin = subprocess.run([sys.executable, "-c", "import triage; print(triage.__file__)"],
                            capture_output=True, text=True).stdout.strip()
    print(f"triage from {origin}")
    # The user's cache directory found as users' is (platformdirs), inside a temporary home.
    env = {**os.environ, "XDG_CACHE_HOME": cache, "COLUMNS": "80"}
    for name in ("TRIAGE_DATA_DIR", "TRIAGE_CACHE_DIR", "TRIAGE_AUTHORITY"):
        env.pop(name, None)

    # First runs, each with an empty cache directory.
    first = []
    for label, args, _ in COMMANDS:
        first_env = {**env, "XDG_CACHE_HOME": tempfile.mkdtemp(prefix="triage-bench-first-")}
        floor = min(timed(FLOOR, env) for _ in range(3))
        first.append((label, timed(TRIAGE + args, first_env) / floor))

    floor_times: list[float] = []
    times: dict[str, list[float]] = {label: [] for label, _, _ in COMMANDS}
    for _ in range(runs):  # alternate floor and commands so load changes hit both alike
        for label, args, _ in COMMANDS:
            floor_times.append(timed(FLOOR, env))
            times[label].append(timed(TRIAGE + args, env))
    floor_best, floor_median = min(floor_times), statistics.median(floor_times)
    print(f"floor: fastest {floor_best * 1000:.0f} ms, median {floor_median * 1000:.0f} ms "
          f"({' '.join(FLOOR[1:])}), {runs} runs each\n")
    print(f"{'ratio':>6} {'target':>6}  {'fastest':>8} {'median':>8}  command")
    failed = 0
    for label, _, target in COMMANDS:
        best, median = min(times[label]), statistics.median(times[label])
        ratio = best / floor_best
        mark = "ok" if ratio <= target else "SLOW"
        failed += ratio > target
        print(f"{ratio:6.2f} {target:6.1f}  {best * 1000:6.0f}ms {median * 1000:6.0f}ms  {label}  {mark}")
    print("\nfirst run, empty cache (target 2.0):")
    for label, ratio in first:
        failed += ratio > 2.0
        print(f"{ratio:6.2f}  {label}  {'ok' if ratio <= 2.0 else 'SLOW'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
