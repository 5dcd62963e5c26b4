"""`triage assess` driven for real in a pseudo-terminal, as copier tests its questionary UI:
keystrokes in (arrows, space, enter, Ctrl-C), the screen's text out."""
from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest

pexpect = pytest.importorskip("pexpect")

REPO = Path(__file__).resolve().parent.parent
DOWN, UP, SPACE, ENTER, CTRL_C = "\x1b[B", "\x1b[A", " ", "\r", "\x03"
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
TIMEOUT = 20


@pytest.fixture(scope="module")
def shared_cache(tmp_path_factory):
    """One cache of the public data for the module, so each run does not re-parse the YAML."""
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(autouse=True)
def _use_shared_cache(shared_cache, monkeypatch):
    monkeypatch.setenv("TRIAGE_CACHE_DIR", str(shared_cache))


def spawn(tmp_path, *args, columns=80):
    # A pseudo-terminal never answers prompt_toolkit's cursor position request; without
    # this every prompt would wait for that answer to time out.
    env = {**os.environ, "TERM": "xterm-256color", "PROMPT_TOOLKIT_NO_CPR": "1",
           "COLUMNS": str(columns), "LINES": "40"}
    env.pop("TRIAGE_AUTHORITY", None)
    env.pop("NO_COLOR", None)
    child = pexpect.spawn(sys.executable, ["-m", "triage", "assess", *args], cwd=str(REPO), env=env,
                          encoding="utf-8", timeout=TIMEOUT, dimensions=(40, columns))
    return child


def keys(child, *sequence):
    for key in sequence:
        child.send(key)


def finish(child) -> str:
    child.expect(pexpect.EOF)
    child.close()
    return ANSI.sub("", child.before or "")


def test_danger_first_then_end_here(tmp_path):
    child = spawn(tmp_path, "--authority", "herts")
    child.expect("immediate danger, left alone or missing")
    child.sendline("y")
    child.expect("Call 999 now")
    child.expect("0300 123 4043")  # Hertfordshire's line to call afterwards
    child.expect("What now")
    keys(child, ENTER)  # "End here: I am calling 999"
    finish(child)
    assert child.exitstatus == 0


def test_danger_question_insists_on_an_answer(tmp_path):
    child = spawn(tmp_path, "--authority", "herts")
    child.expect("immediate danger")
    child.sendline("maybe")
    child.expect("Please answer y or n")
    keys(child, CTRL_C)
    child.expect("Assessment cancelled: nothing was saved.")
    finish(child)
    assert child.exitstatus == 130


def test_nothing_ticked_is_level_1(tmp_path):
    child = spawn(tmp_path, "--authority", "herts")
    child.expect("immediate danger")
    child.sendline("n")
    child.expect("mental health crisis")  # asked in every authority
    child.send("n")
    child.expect("Which areas does the concern touch")
    keys(child, ENTER)
    screen = finish(child)
    assert "Level 1: Universal" in screen
    assert "explore universal services" in screen
    assert child.exitstatus == 0


def test_level_4_with_fgm_duty_and_consent(tmp_path):
    child = spawn(tmp_path, "--authority", "herts", "--at", "2026-11-26T10:00")
    child.expect("immediate danger")
    child.sendline("n")
    child.expect("mental health crisis")
    child.send("n")
    child.expect("Which areas does the concern touch")
    keys(child, *[DOWN] * 6, SPACE, ENTER)  # the seventh domain: Harmful practices
    child.expect("Harmful practices: which of these apply")
    keys(child, DOWN, DOWN, SPACE, ENTER)  # Level 4, third item: reports of FGM, or a girl who suspects she is at risk
    child.expect("Have the parents been told")
    keys(child, ENTER)  # yes
    screen = finish(child)
    assert child.exitstatus == 0
    assert "Level 4: Specialist" in screen
    assert "herts-harmful-practices-l4-03" in screen
    # A risk is a referral to Children's Services; the police duty only if it is a known case.
    assert "Risk of FGM: refer to Children’s Services" in screen
    assert "If it is a known case" in screen and "(101)" in screen
    assert "0300 123 4043" in screen
    assert "Recorded: parents told and agreed" in screen


def test_going_back_a_step_keeps_the_flow(tmp_path):
    child = spawn(tmp_path, "--authority", "notts")
    child.expect("immediate danger")
    child.sendline("n")
    child.expect("mental health crisis")
    child.send("n")
    child.expect("Which areas does the concern touch")
    keys(child, SPACE, ENTER)  # Health
    child.expect("Health: which of these apply")
    keys(child, UP, SPACE, ENTER)  # the last choice: back to the previous step
    child.expect("Which areas does the concern touch")
    keys(child, ENTER)  # Health is still chosen: its checklist comes again
    child.expect("Health: which of these apply")
    keys(child, SPACE, ENTER)  # Level 4: "Has severe/chronic health problems"
    child.expect("Level 4 ticked")  # 4a/4b/4c offered for a Level 4 item
    keys(child, *[DOWN] * 10, SPACE, ENTER)  # the first 4b criterion
    child.expect("Have the parents been told")
    keys(child, DOWN, ENTER)  # no
    child.expect("exceptions applies")
    keys(child, SPACE, ENTER)
    screen = finish(child)
    assert child.exitstatus == 0
    assert "Level 4: Specialist" in screen
    assert "Threshold: 4b" in screen
    assert "notts-health-l4-01" in screen and "notts-threshold-4b-01" in screen
    assert "Exception that applies" in screen


def test_ctrl_c_mid_checklist_saves_nothing(tmp_path):
    record = tmp_path / "record.md"
    child = spawn(tmp_path, "--authority", "herts", "--output", str(record))
    child.expect("immediate danger")
    child.sendline("n")
    child.expect("mental health crisis")
    child.send("n")
    child.expect("Which areas")
    keys(child, SPACE, ENTER)
    child.expect("Health: which of these apply")
    keys(child, SPACE, CTRL_C)
    child.expect("Assessment cancelled: nothing was saved.")
    screen = finish(child)
    assert child.exitstatus == 130
    assert "Traceback" not in screen
    assert not record.exists()


def test_ctrl_c_at_the_first_question(tmp_path):
    child = spawn(tmp_path)
    child.expect("immediate danger")
    keys(child, CTRL_C)
    child.expect("Assessment cancelled: nothing was saved.")
    screen = finish(child)
    assert child.exitstatus == 130 and "Traceback" not in screen


def test_end_of_input_at_a_prompt(tmp_path):
    child = spawn(tmp_path, "--authority", "herts")
    child.expect("immediate danger")
    child.sendeof()
    child.expect("Assessment cancelled: nothing was saved.")
    finish(child)
    assert child.exitstatus == 130


def test_authority_is_asked_when_not_given(tmp_path):
    child = spawn(tmp_path)
    child.expect("immediate danger")
    child.sendline("n")
    child.expect("Which local authority")
    keys(child, DOWN, ENTER)  # the second authority listed: Northamptonshire
    child.expect("mental health crisis")
    child.send("n")
    child.expect("Which areas")
    keys(child, SPACE, ENTER)  # Level features (allegations are a duty route, not an area)
    child.expect("which of these apply")
    keys(child, SPACE, ENTER)  # Level 4, the first feature
    child.expect("Have the parents been told")
    keys(child, ENTER)
    screen = finish(child)
    assert "Northamptonshire" in screen
    assert "Level 4" in screen
    assert "0300 126 7000" in screen or "01604 626" in screen


@pytest.mark.parametrize("columns", [80, 40])
def test_result_fits_a_narrow_terminal(tmp_path, columns):
    child = spawn(tmp_path, "--authority", "notts", columns=columns)
    child.expect("immediate danger")
    child.sendline("n")
    child.expect("mental health crisis")
    child.send("n")
    child.expect("Which areas")
    keys(child, SPACE, ENTER)
    child.expect("which of these apply")
    keys(child, DOWN, DOWN, DOWN, DOWN, SPACE, ENTER)  # a long Level 4 item, wrapped
    child.expect("Level 4 ticked")
    keys(child, ENTER)
    child.expect("Have the parents been told")
    keys(child, ENTER)
    screen = finish(child)
    assert child.exitstatus == 0
    assert "Level 4" in screen
    # The result is everything after the last prompt's answer line (prompts echo one long line).
    result = screen[screen.rindex("Have the parents been told"):].split("\n", 1)[1]
    too_wide = [line for line in result.splitlines() if len(line.rstrip("\r")) > columns]
    assert not too_wide, too_wide[:3]
