"""A keystroke fuzz of `triage assess` in a real pseudo-terminal: sequences of the keys a
hurried person presses (y, n, Enter, Space, arrows, Ctrl-D), checking after each run what must
never happen whatever was pressed.

Seedable: TRIAGE_KEY_FUZZ_SEED fixes the sequences (the seed is in every failure message);
TRIAGE_KEY_FUZZ sets how many run (50 by default; `python bench/keys_fuzz.py N` runs more).
"""
from __future__ import annotations

import json
import os
import random
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

pexpect = pytest.importorskip("pexpect")

from terminal import CTRL_C, CTRL_D, DOWN, ENTER, LEFT, SPACE, UP, finish, recap, spawn  # noqa: E402

# What a hurried person presses, as they press it: a letter and Enter at once, or apart.
KEYS = {"n" + ENTER: 4, "y" + ENTER: 1.5, ENTER: 5, SPACE: 4, DOWN: 4, UP: 1.5, LEFT: 0.7, "y": 0.5, "n": 0.5,
        SPACE + ENTER: 2, CTRL_D: 0.1}
AUTHORITIES = ("herts", "notts", "northants", None)  # None: the authority is asked too
HELD = {"herts", "notts", "northants"}  # the authorities whose indicators triage holds
MOMENTS = ("2026-11-25T10:00", "2026-11-27T16:45", "2026-11-28T20:00", "2026-12-25T12:00")
STEPS = 60  # keys per sequence (the flow asks more since issue 18: thresholds at Level 3, the FGM trigger, the child's consent); then Ctrl-C if the flow has not ended
QUIET = 0.04  # seconds without output that mean the screen has settled
ENDING = 0.5  # seconds a run may take to finish showing its result before Ctrl-C is sent


def sequence_count() -> int:
    return int(os.environ.get("TRIAGE_KEY_FUZZ", "50"))


def seed() -> int:
    return int(os.environ.get("TRIAGE_KEY_FUZZ_SEED") or time.time_ns() % 2**32)


def run_one(rng: random.Random, folder) -> dict:
    """Drive one sequence; return what the invariants need."""
    authority = rng.choice(AUTHORITIES)
    record = folder / f"record-{rng.getrandbits(32)}.json"
    args = (["--authority", authority] if authority else []) + ["--output", str(record)]
    child = spawn(*args, at=rng.choice(MOMENTS))
    pressed, shown = [], []
    for _ in range(STEPS):
        if settled(child, shown):
            break
        key = rng.choices(list(KEYS), weights=list(KEYS.values()))[0]
        pressed.append(key)
        child.send(key)
    else:  # out of keys: a result still being shown ends by itself; a question waiting is cancelled
        ended = child.expect([pexpect.EOF, pexpect.TIMEOUT], timeout=ENDING) == 0
        shown.append(child.before or "")
        if not ended:
            child.send(CTRL_C)
    screen = finish(child)  # everything shown, from the first question
    document = json.loads(record.read_text(encoding="utf-8")) if record.exists() else None
    return {"status": child.exitstatus if child.signalstatus is None else f"signal {child.signalstatus}", "screen": screen, "record": document, "keys": pressed,
            "authority": authority}


def settled(child, shown: list) -> bool:
    """Wait until the screen stops changing (keys typed while it changes may be discarded, by
    design), keeping what was shown; True when the program has ended."""
    for _ in range(200):
        try:
            data = child.read_nonblocking(65536, timeout=QUIET)
        except pexpect.TIMEOUT:
            return False
        except pexpect.EOF:
            return True
        if child.CURSOR_REQUEST in data:  # answer as a terminal does (see terminal.Terminal)
            child.send("\x1b[1;1R")
        shown.append(data)
    return False


def check(run: dict) -> list[str]:
    """Every invariant a run breaks (none, normally)."""
    problems = []
    screen, document, status = run["screen"], run["record"], run["status"]
    if "Traceback" in screen:
        problems.append("a traceback")
    if status not in (0, 130):
        problems.append(f"exit status {status}")
    if status == 130 and document is not None:
        problems.append("a record written after Ctrl-C or Ctrl-D")
    if status != 0 or document is None:
        return problems
    ticked = [item["level"] for item in document["selected"]]
    expected = max(ticked) if ticked else 1 if document["nothing_applies"] else None
    if document["authority"] not in HELD:  # a council chosen in the list whose threshold document triage does not hold
        expected = None  # never a level, whatever was answered
    if expected == 1 and (document["urgent"] or document["emergency"]):  # an urgent route is never Level 1
        expected = None
    if document["level_indicated"] != expected:
        problems.append(f"level {document['level_indicated']} for ticks at levels {ticked}")
    if document["level_indicated"] == 1 and not ticked and (
            not document["nothing_applies"] or "None of these apply" not in screen):
        problems.append("Level 1 without an explicit 'None of these apply'")
    if document["emergency"] and "In short" not in screen:  # "End here: I am calling 999": the record only
        if "Call 999 now" not in screen:
            problems.append("ended after the 999 question without the 999 advice on screen")
        return problems
    short = recap(screen)
    headline = short[0] if short else ""
    if document["emergency"]:
        if not headline.startswith("CALL 999 NOW"):
            problems.append(f"danger, but the recap begins {headline!r}")
    elif document["level"] is not None and not headline.startswith(f"Level {document['level']}"):
        problems.append(f"level {document['level']}, but the recap begins {headline!r}")
    crisis = [u for u in document["urgent"] if u["id"] == "mental-health-crisis"]
    for route in crisis:
        if route["phone"] and not any(route["contact"]["phone"] in line for line in short):
            problems.append(f"crisis, but its number {route['contact']['phone']} is not in the recap")
    return problems


def test_no_key_sequence_gives_a_wrong_answer(tmp_path):
    start = seed()
    count = sequence_count()
    with ThreadPoolExecutor(max_workers=3) as pool:
        runs = list(pool.map(lambda n: run_one(random.Random(start + n), tmp_path), range(count)))
    failures = [(n, problem, run) for n, run in enumerate(runs) for problem in check(run)]
    shown = [f"sequence {n} ({run['authority']}): {problem}; keys {run['keys']!r}" for n, problem, run in failures]
    assert not failures, f"TRIAGE_KEY_FUZZ_SEED={start}:\n" + "\n".join(shown[:5])
    # The fuzz must reach results, not only cancel: otherwise it checks nothing.
    finished = sum(1 for run in runs if run["record"] is not None)
    assert finished >= count // 10, f"only {finished} of {count} sequences reached a result (seed {start})"
