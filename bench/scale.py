"""Scale benchmark: every command against a tree of 150 authorities, as ratios to the import floor.

    python bench/scale.py [--authorities 150] [--runs 7]

Run it with the interpreter of an environment where triage is installed. It writes a
synthetic tree (bench/synthetic.py: renamed copies of the real authorities) to a temporary
folder, points TRIAGE_DATA_DIR at it, and times whole processes, alternating with the floors
of bench/floors.py (the fastest of each, as in startup.py):

- each command, warm (its cache already built): target 1.3;
- `validate` of the whole tree, cold (an empty cache): target 60;
- the first `lookup` after editing one authority's file (each run a new edit): target 10.

Exit status 1 when a target is missed. Timing lives here, never in the unit tests.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from floors import TABLE_HEAD, Floors, timed  # noqa: E402
from synthetic import generate  # noqa: E402

SCRIPT = Path(sys.executable).parent / "triage"
TRIAGE = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "triage"]
WARM_TARGET, COLD_VALIDATE_TARGET, AFTER_EDIT_TARGET = 1.3, 60.0, 10.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--authorities", type=int, default=150)
    parser.add_argument("--runs", type=int, default=7, help="runs of each warm command")
    parser.add_argument("--cold-runs", type=int, default=3, help="runs of the cold validate and of the edit")
    options = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="triage-scale-"))
    tree = work / "tree"
    ids = generate(tree, options.authorities)
    herts, notts = ids[0], ids[1]
    os.chdir(work)  # import the installed package, not ./triage
    env = {**os.environ, "TRIAGE_DATA_DIR": str(tree), "TRIAGE_CACHE_DIR": str(work / "cache"), "COLUMNS": "80"}
    for name in ("TRIAGE_AUTHORITY", "NO_COLOR"):
        env.pop(name, None)
    origin = subprocess.run([sys.executable, "-c", "import triage; print(triage.__file__)"],
                            capture_output=True, text=True).stdout.strip()
    print(f"triage from {origin}; {len(ids)} authorities in {tree}")

    commands = [
        (f"lookup health --authority {herts}", ["lookup", "health", "--authority", herts]),
        (f'lookup --authority {notts} --search "missing"', ["lookup", "--authority", notts, "--search", "missing"]),
        (f"contacts --authority {notts} --at 2026-11-27T16:45", ["contacts", "--authority", notts, "--at", "2026-11-27T16:45"]),
        (f"assess --authority {herts} --indicator {herts}-health-l4-01 --json",
         ["assess", "--authority", herts, "--indicator", f"{herts}-health-l4-01", "--json"]),
        ("validate", ["validate"]),
    ]
    floors = Floors(env)

    cold_validate = []
    for _ in range(options.cold_runs):
        floors.run()
        cold_env = {**env, "TRIAGE_CACHE_DIR": tempfile.mkdtemp(prefix="cache-", dir=work)}
        cold_validate.append(timed(TRIAGE + ["validate"], cold_env))

    for _, args in commands:  # fill the cache
        timed(TRIAGE + args, env)
    warm: dict[str, list[float]] = {label: [] for label, _ in commands}
    for _ in range(options.runs):
        for label, args in commands:
            floors.run()
            warm[label].append(timed(TRIAGE + args, env))

    edited = tree / "indicators" / herts / "health.yaml"
    original = edited.read_text(encoding="utf-8")
    after_edit = []
    for run in range(options.cold_runs):
        edited.write_text(original.replace("Health", f"Health edit {run}", 1), encoding="utf-8")
        floors.run()
        after_edit.append(timed(TRIAGE + ["lookup", "health", "--authority", herts], env))
    edited.write_text(original, encoding="utf-8")

    print(floors.header() + "\n")
    print(TABLE_HEAD)
    failed = 0

    def report(label: str, times: list[float], target: float) -> None:
        nonlocal failed
        line, met = floors.row(times, target, label)
        failed += not met
        print(line)

    for label, _ in commands:
        report(f"{label} (warm)", warm[label], WARM_TARGET)
    report(f"validate, all {len(ids)} authorities, cold", cold_validate, COLD_VALIDATE_TARGET)
    report(f"lookup health --authority {herts}, first after editing {edited.relative_to(tree)}",
           after_edit, AFTER_EDIT_TARGET)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
