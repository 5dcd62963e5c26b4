"""Start-up benchmark: each command's wall time against the bare cost of importing typer and rich.

Run from the project root with the interpreter of an environment where triage is installed
(not editable, so the compiled data of the wheel is measured):
    python3 -m venv /tmp/bench && /tmp/bench/bin/pip install -q . && /tmp/bench/bin/python bench/startup.py

Each command runs as a whole process through the installed `triage` script, alternating with
the floor processes (bench/floors.py: `python -c "import typer, rich.console, rich.table"`, and
the same with the garbage collector handled as triage handles it). For each it prints the ratio
of its fastest run to each floor's fastest run (noise on a shared machine only ever adds time),
with its fastest and median times. Targets, against the first floor: 1.3 or less, 1.5 for
`assess --json`.

Then, in a pseudo-terminal, the interactive `triage assess`: the time until the first question
(immediate danger) is on screen, against the same floors (target 1.3), and the pauses a person
feels between questions, answering each a second after it appears (target: under 0.1 s, which
reads as instant).

The first run after installing (an empty cache directory) is measured too: under 2.0.
Exit status 1 when any target is missed. Timing lives here, never in the unit tests.
"""
from __future__ import annotations

import argparse
import fcntl
import os
import pty
import select
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from floors import TABLE_HEAD, Floors, timed  # noqa: E402

SCRIPT = Path(sys.executable).parent / "triage"
TRIAGE = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "triage"]
COMMANDS = [
    ("triage --help", ["--help"], 1.3),
    ("triage lookup health --authority herts", ["lookup", "health", "--authority", "herts"], 1.3),
    ('triage lookup --authority notts --search "missing"', ["lookup", "--authority", "notts", "--search", "missing"], 1.3),
    ("triage contacts --authority notts --at 2026-11-27T16:45", ["contacts", "--authority", "notts", "--at", "2026-11-27T16:45"], 1.3),
    ("triage assess --authority herts --indicator herts-health-l4-01 --json",
     ["assess", "--authority", "herts", "--indicator", "herts-health-l4-01", "--json"], 1.5),
    ("triage validate", ["validate"], 1.3),
    # England's directory (issue 19): an authority without indicators, a district, a postcode.
    ("triage contacts --authority Leeds --at 2026-11-27T16:45", ["contacts", "--authority", "Leeds", "--at", "2026-11-27T16:45"], 1.3),
    ("triage contacts --authority Corby --at 2026-11-27T16:45", ["contacts", "--authority", "Corby", "--at", "2026-11-27T16:45"], 1.3),
    ('triage contacts --postcode "NN17 1AA" --at 2026-11-27T16:45', ["contacts", "--postcode", "NN17 1AA", "--at", "2026-11-27T16:45"], 1.3),
    ('triage assess --postcode "LS1 1UR" --immediate-danger --json',
     ["assess", "--postcode", "LS1 1UR", "--immediate-danger", "--json"], 1.5),
]
FIRST_RUN_TARGET = 2.0
PAUSE_TARGET = 0.1  # seconds
ENTER, SPACE, UP = b"\r", b" ", b"\x1b[A"


class Terminal:
    """`triage assess` in a pseudo-terminal of 80x40, read until some text appears."""

    def __init__(self, env: dict):
        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 80, 0, 0))
        self.started = time.perf_counter()
        self.process = subprocess.Popen(TRIAGE + ["assess", "--authority", "herts"], stdin=slave, stdout=slave,
                                        stderr=slave, env=env, close_fds=True)
        os.close(slave)
        self.seen = b""

    def wait_for(self, text: bytes, timeout: float = 20) -> float:
        """Seconds until `text` appears (what came before it is dropped)."""
        start = time.perf_counter()
        while text not in self.seen:
            if time.perf_counter() - start > timeout:
                raise TimeoutError(f"{text!r} did not appear; the screen ended with {self.seen[-300:]!r}")
            ready, _, _ = select.select([self.master], [], [], 0.05)
            if ready:
                try:
                    self.seen += os.read(self.master, 65536)
                except OSError:  # the process ended
                    raise TimeoutError(f"{text!r} did not appear before the end") from None
        self.seen = self.seen[self.seen.index(text) + len(text):]
        return time.perf_counter() - start

    def send(self, *keys: bytes) -> None:
        for key in keys:
            os.write(self.master, key)

    def close(self) -> None:
        self.process.kill()
        self.process.wait()
        os.close(self.master)


def interactive_run(env: dict) -> dict[str, float]:
    """One interactive assessment; the time to the first question and each pause after it."""
    terminal = Terminal({**env, "TERM": "xterm-256color", "PROMPT_TOOLKIT_NO_CPR": "1"})
    try:
        terminal.wait_for(b"missing? (y/n")
        times = {"first question": time.perf_counter() - terminal.started}
        time.sleep(1)  # a person reads the question
        terminal.send(b"n\r")
        times["no danger -> crisis"] = terminal.wait_for(b"mental health crisis")
        time.sleep(1)
        terminal.send(b"n\r")
        times["crisis -> adult who works with children"] = terminal.wait_for(b"works with children")
        time.sleep(1)
        terminal.send(b"n\r")
        times["adult -> areas"] = terminal.wait_for(b"Which areas")
        terminal.wait_for(b"space ticks")
        time.sleep(1)
        terminal.send(SPACE, ENTER)  # tick the first area (Health) and go on
        times["areas -> first checklist"] = terminal.wait_for(b"which of these apply")
        terminal.wait_for(b"space ticks")
        time.sleep(1)
        terminal.send(UP, SPACE, ENTER)  # "None of these apply": the result follows
        times["checklist -> result"] = terminal.wait_for(b"In short")
        return times
    finally:
        terminal.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=11, help="runs of each command (at least 11)")
    parser.add_argument("--interactive-runs", type=int, default=5, help="interactive assessments (about 4 s each; 0: none)")
    options = parser.parse_args()
    runs = max(11, options.runs)
    cache = tempfile.mkdtemp(prefix="triage-bench-")
    os.chdir(tempfile.mkdtemp(prefix="triage-bench-cwd-"))  # import the installed package, not ./triage
    origin = subprocess.run([sys.executable, "-c", "import triage; print(triage.__file__)"],
                            capture_output=True, text=True).stdout.strip()
    print(f"triage from {origin}, run as {' '.join(TRIAGE)}")
    # The user's cache directory found as users' is (platformdirs), inside a temporary home.
    env = {**os.environ, "XDG_CACHE_HOME": cache, "COLUMNS": "80"}
    for name in ("TRIAGE_DATA_DIR", "TRIAGE_CACHE_DIR", "TRIAGE_AUTHORITY", "NO_COLOR"):
        env.pop(name, None)

    floors = Floors(env)
    # First runs, each with an empty cache directory.
    first = []
    for label, args, _ in COMMANDS:
        first_env = {**env, "XDG_CACHE_HOME": tempfile.mkdtemp(prefix="triage-bench-first-")}
        for _ in range(3):
            floors.run()
        first.append((label, floors.ratios(timed(TRIAGE + args, first_env))[0]))

    times: dict[str, list[float]] = {label: [] for label, _, _ in COMMANDS}
    for _ in range(runs):  # alternate floors and commands so load changes hit both alike
        for label, args, _ in COMMANDS:
            floors.run()
            times[label].append(timed(TRIAGE + args, env))
    interactive: dict[str, list[float]] = {}
    for _ in range(max(0, options.interactive_runs)):
        floors.run()
        for step, seconds in interactive_run(env).items():
            interactive.setdefault(step, []).append(seconds)

    print(floors.header() + "\n")
    print(TABLE_HEAD)
    failed = 0
    for label, _, target in COMMANDS:
        line, met = floors.row(times[label], target, label)
        failed += not met
        print(line)

    print("\ninteractive: triage assess --authority herts, in a pseudo-terminal")
    first_question = interactive.pop("first question", [float("nan")])
    line, met = floors.row(first_question, 1.3, "until the first question")
    failed += not met
    print(line)
    for step, seconds in interactive.items():
        worst = max(seconds)
        failed += worst > PAUSE_TARGET
        print(f"{'':14} {PAUSE_TARGET:5.1f}s  {min(seconds) * 1000:6.0f}ms {worst * 1000:6.0f}ms  "
              f"pause {step} (fastest, slowest)  {'ok' if worst <= PAUSE_TARGET else 'SLOW'}")

    print(f"\nfirst run, empty cache (target {FIRST_RUN_TARGET}):")
    for label, ratio in first:
        failed += ratio > FIRST_RUN_TARGET
        print(f"{ratio:6.2f}  {label}  {'ok' if ratio <= FIRST_RUN_TARGET else 'SLOW'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
