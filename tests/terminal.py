"""A real pseudo-terminal for driving `triage assess`, shared by the interactive tests and the
keystroke fuzz (tests/test_keys_fuzz.py, bench/keys_fuzz.py)."""
from __future__ import annotations

import io
import os
import re
import sys
from pathlib import Path

import pexpect

REPO = Path(__file__).resolve().parent.parent
DOWN, UP, LEFT, SPACE, ENTER, CTRL_C, CTRL_D = "\x1b[B", "\x1b[A", "\x1b[D", " ", "\r", "\x03", "\x04"
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[=>]")
TIMEOUT = 20
WEDNESDAY = "2026-11-25T10:00"  # every office open
# The questions of `triage assess`, as a test waits for them.
DANGER = "immediate danger, left alone or missing"
CRISIS = "mental health crisis"
ADULT = "adult who works with children"
AREAS = "Which areas does the concern touch"
FGM_ASKED = "did the girl tell you herself"


class Terminal(pexpect.spawn):
    """A pseudo-terminal that answers prompt_toolkit's cursor position requests as a real
    terminal does (with the cursor at the top). Without an answer prompt_toolkit cannot tell
    how much room is below the question, and leaves out what it adds later (the message that
    says why Enter was refused)."""

    CURSOR_REQUEST = "\x1b[6n"

    def expect(self, pattern, timeout=-1, **options):
        patterns = pattern if isinstance(pattern, list) else [pattern]
        while True:
            index = super().expect([re.escape(self.CURSOR_REQUEST), *patterns], timeout=timeout, **options)
            if index:
                return index - 1
            self.send("\x1b[1;1R")


def spawn(*args, columns=80, rows=40, at=WEDNESDAY):
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": str(columns), "LINES": str(rows)}
    for name in ("TRIAGE_AUTHORITY", "NO_COLOR", "PROMPT_TOOLKIT_NO_CPR"):
        env.pop(name, None)
    moment = ["--at", at] if at else []
    child = Terminal(sys.executable, ["-m", "triage", "assess", *moment, *args], cwd=str(REPO), env=env,
                     encoding="utf-8", codec_errors="replace", timeout=TIMEOUT, dimensions=(rows, columns))
    child.logfile_read = io.StringIO()  # everything shown, for finish()
    return child


def finish(child) -> str:
    """Wait for the end and return everything the terminal showed from the start, without
    escape sequences: not only what came after the last question matched, so that a check
    that something was never shown can fail."""
    child.expect(pexpect.EOF)
    child.close()
    return ANSI.sub("", child.logfile_read.getvalue())


def recap(screen: str) -> list[str]:
    """The lines after the last 'In short' rule: what stays on screen when the command ends."""
    tail = screen[screen.rindex("In short"):].splitlines()[1:]
    return [line.rstrip("\r") for line in tail if line.strip()]


def answer(child, question: str, text: str) -> None:
    """A yes/no question answered as a hurried person does: the letter, then Enter."""
    child.expect(question)
    child.send(text)
    child.send(ENTER)
