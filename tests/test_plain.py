"""The accessible mode (--plain, ACCESSIBLE=1, TERM=dumb): the same interview line by line,
answered by numbers, printed without escape sequences or box drawing, the summary first and last."""
from __future__ import annotations

import io
import os
import re
import sys

import pexpect
import pytest
from conftest import run_triage
from fake_ui import NO, YES, ScriptedUI
from rich.console import Console

from triage import screen
from triage.flow import AREAS_QUESTION, AUTHORITY_QUESTION, interview
from triage.plain import PlainUI
from triage.selections import Selections
from triage.ui import BACK, NONE, Choice, with_none

WEDNESDAY_10 = "2026-11-25T10:00"
BOX_DRAWING = re.compile("[\u2500-\u257f]")


def flat(text: str) -> str:
    """Shown text with its line breaks as spaces: long questions and messages wrap at 80 columns."""
    return " ".join(text.split())
DOMESTIC_ABUSE_L3 = "herts-domestic-abuse-l3-02"


class NumberedUI(PlainUI):
    """PlainUI answered by typing, as a person would: each scripted answer (the values
    ScriptedUI takes) is typed as the number the question printed beside it."""

    def __init__(self, *answers):
        self.screen = io.StringIO()
        out = Console(file=self.screen, width=80, color_system=None, highlight=False)
        out.plain = True
        super().__init__(out)
        self.answers = list(answers)
        self.questions: list[str] = []
        self.typed: list[str] = []

    def _type(self, question: str, line: str) -> None:
        self.questions.append(question)
        self.typed.append(line)

    def yes_no(self, question, back=False, asked=None):
        answer = self.answers.pop(0)
        self._type(question, "b" if answer == BACK else "y" if answer else "n")
        return super().yes_no(question, back, asked)

    def text(self, question, read):
        self._type(question, self.answers.pop(0))
        return super().text(question, read)

    def choose(self, question, choices, back=False):
        answer = self.answers.pop(0)
        numbers = {c.value: n for n, c in enumerate([c for c in choices if isinstance(c, Choice)], 1)}
        self._type(question, "b" if answer == BACK else str(numbers[answer]))
        return super().choose(question, choices, back)

    def checklist(self, question, choices, *, none=True, back=True, given=()):
        answer = self.answers.pop(0)
        numbers = {c.value: n for n, c in enumerate([c for c in with_none(choices, none) if isinstance(c, Choice)], 1)}
        self._type(question, "b" if answer == BACK else ", ".join(str(numbers[v]) for v in answer))
        return super().checklist(question, choices, none=none, back=back, given=given)

    def read(self) -> str:
        return self.typed.pop(0)

    @property
    def shown(self) -> str:
        return self.screen.getvalue()


# Each authority's case, as ScriptedUI answers: the same answers through both UIs.
CASES = {
    "herts": (NO, NO, NO, ["domestic-abuse"], [DOMESTIC_ABUSE_L3], YES),
    "notts": (NO, NO, NO, ["family-history-functioning"], ["notts-family-history-functioning-l3-01"],
              ["notts-threshold-4b-12"], YES, YES),
    "northants": (NO, YES, NO, [NONE]),
    "leeds": (NO, NO, YES, ["duty:prevent"]),
    "cornwall": (YES, True, NO, NO, [NONE]),
}


@pytest.mark.parametrize("authority", sorted(CASES))
def test_both_uis_ask_the_same_questions_and_reach_the_same_outcome(authority):
    scripted = ScriptedUI(*CASES[authority])
    numbered = NumberedUI(*CASES[authority])
    by_keys = interview(Selections(authority=authority, at=WEDNESDAY_10), scripted)
    by_numbers = interview(Selections(authority=authority, at=WEDNESDAY_10), numbered)
    assert not scripted.answers and not numbered.answers and not numbered.typed
    assert numbered.questions == scripted.questions
    assert by_numbers == by_keys
    assert not BOX_DRAWING.search(numbered.shown), numbered.shown


def test_the_authority_is_found_by_typing_words():
    ui = plain_answers("n", "watford", "n", "n", "12", "6", "y")  # Watford: a district of Hertfordshire
    result = interview(Selections(at=WEDNESDAY_10), ui)
    shown = flat(ui.out.file.getvalue())
    assert AUTHORITY_QUESTION in shown and "Answer: Hertfordshire (Hertfordshire County Council" in shown
    assert result.authority == "herts" and result.indicators == (DOMESTIC_ABUSE_L3,)


def test_words_that_find_several_list_them_by_number():
    ui = plain_answers("north", "zzz", "1")
    choices = [Choice("By the child's home postcode", "postcode"), Choice("Not listed", "none")]
    choices += [Choice(f"Council {n}", n, found_by="North Town" if n % 2 else "") for n in range(20)]
    assert ui.choose("Which?", choices) == "postcode"
    shown = ui.out.file.getvalue()
    assert "10 match “north”:" in shown and "4. Council 1\n" in shown
    assert "Nothing matches “zzz”" in shown


def plain_answers(*lines: str) -> PlainUI:
    """A PlainUI answering `lines` as typed; what it showed is in ui.out.file."""
    out = Console(file=io.StringIO(), width=80, color_system=None, highlight=False)
    out.plain = True
    ui = PlainUI(out)
    typed = iter(lines)
    ui.read = lambda: next(typed)
    return ui


def test_a_checklist_refuses_numbers_not_offered_and_nothing_at_all():
    ui = plain_answers("", "9", "two", "1, 3", "1 2")
    choices = [Choice("Young carer", "a"), Choice("Poor attendance", "b")]
    assert ui.checklist("Which apply?", choices) == ["a", "b"]
    lines = ui.out.file.getvalue()
    assert "1. Young carer\n2. Poor attendance\n" in lines and "3. None of these apply" in lines
    shown = flat(lines)
    assert "Nothing is answered: type the numbers of what applies, or the number of “None of these apply”." in shown
    assert "“9” is not one of the numbers: answer with numbers from 1 to 3." in shown
    assert "“two” is not one of the numbers" in shown
    assert "“None of these apply” cannot go with other answers" in shown
    assert "Answer: Young carer; Poor attendance" in shown


def test_a_checklist_says_why_an_item_ticked_elsewhere_needs_no_tick():
    ui = plain_answers("1", "2")
    choices = [Choice("Young carer", "a", disabled="already ticked under Health: it counts here too"),
               Choice("Poor attendance", "b")]
    assert ui.checklist("Which apply?", choices, given=("a",)) == ["b"]
    assert "1 needs no tick: already ticked under Health" in ui.out.file.getvalue()


def test_back_and_a_choice_not_offered():
    ui = plain_answers("7", "b")
    assert ui.choose("What now?", [Choice("End here", False), Choice("Go on", True)], back=True) == BACK
    assert "There is no choice 7: answer with a number from 1 to 2." in ui.out.file.getvalue()


@pytest.mark.parametrize("env, plain", [({"ACCESSIBLE": "1"}, True), ({"ACCESSIBLE": "0"}, False),
                                        ({"ACCESSIBLE": ""}, False), ({"TERM": "dumb"}, True),
                                        ({"TERM": "xterm-256color"}, False)])
def test_the_accessible_mode_is_chosen_by_the_environment(monkeypatch, env, plain):
    monkeypatch.delenv("ACCESSIBLE", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    try:
        assert screen.use_plain(False) is plain
        assert screen.use_plain(True) is True
    finally:
        screen.plain = False


# ---------------------------------------------------------------------------------------
# The command


def test_answers_piped_line_by_line_reach_level_3():
    result = run_triage("assess", "-a", "herts", "--plain", "--at", WEDNESDAY_10, input="n\nn\nn\n12\n6\ny\n")
    assert result.returncode == 0, result.stderr
    text = result.stdout
    assert "\x1b" not in text and not BOX_DRAWING.search(text)
    first, last = text.index("In short"), text.rindex("In short")
    assert first < text.index("What you ticked") < last  # the summary first as well as last
    assert "0300 123 4043 (answers now): Level 3 referral" in text[first:]  # the number starts the line
    assert "Level 3: Intensive" in text[last:]
    assert "? Have the parents been told, and have they agreed? (y/n, b goes back, then\nEnter) y\n" in text


def test_without_plain_a_pipe_is_refused_and_plain_is_named():
    result = run_triage("assess", "-a", "herts", input="n\n")
    assert result.returncode == 2
    assert "add --plain to answer line by line" in result.stderr


def test_the_end_of_a_pipe_cancels_and_saves_nothing(tmp_path):
    record = tmp_path / "record.md"
    result = run_triage("assess", "-a", "herts", "--plain", "--output", str(record), input="n\nn\n")
    assert result.returncode == 130
    assert result.stderr.endswith("Assessment cancelled: nothing was saved.\n")
    assert not record.exists()


@pytest.mark.parametrize("command", [("contacts", "-a", "notts", "--at", "2026-11-28T22:30"),
                                     ("lookup", "health", "-a", "herts"),
                                     ("assess", "-a", "notts", "--immediate-danger", "--nothing-applies")])
def test_results_without_box_drawing_or_escapes(command):
    result = run_triage(*command, "--plain", env={"COLUMNS": "80", "FORCE_COLOR": "1"})
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stdout and not BOX_DRAWING.search(result.stdout)


def test_the_box_drawing_check_can_fail():
    result = run_triage("contacts", "-a", "notts", "--at", "2026-11-28T22:30", env={"COLUMNS": "80"})
    assert BOX_DRAWING.search(result.stdout)


def test_contacts_put_the_number_first():
    result = run_triage("contacts", "-a", "notts", "--at", "2026-11-28T22:30", "--plain", env={"COLUMNS": "80"})
    lines = result.stdout.splitlines()
    assert any(re.match(r"0300 456 4546: Emergency Duty Team", line) for line in lines), result.stdout


# ---------------------------------------------------------------------------------------
# In a pseudo-terminal with TERM=dumb


def spawn_dumb(*args) -> pexpect.spawn:
    env = {**os.environ, "TERM": "dumb", "COLUMNS": "80", "LINES": "24"}
    env.pop("ACCESSIBLE", None)
    child = pexpect.spawn(sys.executable, ["-m", "triage", *args], env=env, dimensions=(24, 80), timeout=60,
                          encoding="utf-8")
    child.logfile_read = io.StringIO()
    return child


def test_a_dumb_terminal_is_answered_by_numbers_to_level_3_without_one_escape():
    child = spawn_dumb("assess", "--at", WEDNESDAY_10)
    child.expect_exact("immediate danger")
    child.sendline("n")
    child.expect_exact("Or type part of a name")
    child.sendline("Hertfordshire")
    child.expect_exact("mental health crisis")
    child.sendline("n")
    child.expect_exact("an adult who works with children")
    child.sendline("n")
    child.expect_exact(AREAS_QUESTION)
    child.expect_exact("then Enter:")
    child.sendline("")  # Enter on an empty answer: asked again
    child.expect_exact("Nothing is answered")
    child.sendline("12")
    child.expect_exact("Domestic abuse: which of these apply?")
    child.expect_exact("then Enter:")
    child.sendline("6")
    child.expect_exact("Have the parents been told")
    child.sendline("y")
    child.expect(pexpect.EOF)
    child.close()
    shown = child.logfile_read.getvalue()
    assert child.exitstatus == 0, shown
    assert "\x1b" not in shown, repr(shown[shown.index("\x1b") - 40:][:80])
    assert not BOX_DRAWING.search(shown)
    assert "Level 3: Intensive" in shown[shown.rindex("In short"):]


def test_a_dumb_terminal_ends_on_ctrl_d():
    child = spawn_dumb("assess", "-a", "herts")
    child.expect_exact("immediate danger")
    child.sendline("n")
    child.expect_exact("mental health crisis")
    child.sendeof()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert "Assessment cancelled: nothing was saved." in child.logfile_read.getvalue()


def _councils_without_indicators() -> list[str]:
    from triage.session import directory_of, load_data

    return [c.id for c in directory_of(load_data()).authorities if not c.held]


def test_both_uis_agree_for_every_council_without_indicators():
    """Every other English authority: the duties question answered with "Prevent" by both."""
    councils = _councils_without_indicators()
    assert len(councils) == 149  # 153, less Hertfordshire, Nottinghamshire, North and West Northamptonshire
    for council in councils:
        answers = (NO, NO, NO, ["duty:prevent"])
        scripted, numbered = ScriptedUI(*answers), NumberedUI(*answers)
        by_keys = interview(Selections(authority=council, at=WEDNESDAY_10), scripted)
        by_numbers = interview(Selections(authority=council, at=WEDNESDAY_10), numbered)
        assert numbered.questions == scripted.questions, council
        assert by_numbers == by_keys and by_keys.duties == ("prevent",), council


def test_back_to_a_checklist_shows_what_is_ticked_and_enter_keeps_it():
    ui = plain_answers("")
    choices = [Choice("Young carer", "a", checked=True), Choice("Poor attendance", "b")]
    assert ui.checklist("Which apply?", choices) == ["a"]
    shown = ui.out.file.getvalue()
    assert "1. Young carer (ticked)\n2. Poor attendance\n" in shown
    assert "Enter on its own keeps 1" in flat(shown)


def test_ending_after_999_still_writes_the_record_asked_for(tmp_path):
    """Red team: "End here: I am calling 999" with --output wrote nothing and said nothing."""
    record = tmp_path / "record.md"
    result = run_triage("assess", "-a", "herts", "--plain", "--output", record, "--at", WEDNESDAY_10, input="y\n1\n")
    assert result.returncode == 0, result.stderr
    assert result.stderr == f"Record written to {record} (readable by you only).\n"
    assert "999" in record.read_text(encoding="utf-8")
    assert result.stdout.count("In short") == 0  # the 999 advice was shown; no second screen


def test_closed_standard_input_is_one_line(tmp_path):
    import subprocess

    result = subprocess.run([sys.executable, "-m", "triage", "assess", "--plain", "-a", "herts"], stdin=subprocess.DEVNULL,
                            capture_output=True, text=True, cwd=str(tmp_path), timeout=60,
                            preexec_fn=lambda: os.close(0))
    assert result.returncode == 2
    assert result.stderr.startswith("triage: error: standard input is closed, so no question can be answered: if a "
                                    "child is in immediate danger, call 999")


@pytest.mark.parametrize("typed, authority", [("york", "york"), ("Bury", "bury"), ("north northamptonshire", "northants"),
                                              ("st. helens", "st-helens"), ("king's lynn", "norfolk"),
                                              ("Leeds City Council", "leeds")])
def test_a_councils_whole_name_or_town_picks_it(typed, authority):
    """Red team: 'york' listed East Riding, North Yorkshire and York; 'bury' found Canterbury and
    Tewkesbury; "king's lynn" found nothing (the directory writes Kings Lynn)."""
    from triage.flow import choose_authority
    from triage.session import load_data

    ui = plain_answers(typed)
    assert choose_authority(ui, load_data()).id == authority
    assert "match “" not in ui.out.file.getvalue()


def test_a_bad_moment_is_refused_before_the_first_question():
    """Red team: a bad --at was said only after the danger question had been answered."""
    result = run_triage("assess", "--plain", "-a", "herts", "--at", "notadate", input="n\n")
    assert result.returncode == 2 and "immediate danger" not in result.stdout
    assert "'notadate' is not an ISO 8601 date and time" in result.stderr


def test_standard_input_open_for_writing_only_is_one_line(tmp_path):
    """Red team: `0>file` gave "cannot write the output: Bad file descriptor", about the input."""
    import subprocess

    with open(tmp_path / "input", "w") as write_only:
        result = subprocess.run([sys.executable, "-m", "triage", "assess", "--plain", "-a", "herts"], stdin=write_only,
                                capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr.startswith("triage: error: cannot read standard input (Bad file descriptor): if a child is in "
                                    "immediate danger, call 999")


@pytest.mark.parametrize("typed", ["\x1b[D", "\x1b[Db", "\x1bOD", "b"])
def test_left_then_enter_at_a_yes_no_question_goes_back(typed):
    """Review at 80x24: ← at the consent question (← goes back in the lists) printed "^[[D" and
    was refused; it goes back, as b does."""
    ui = plain_answers(typed)
    assert ui.yes_no("Have the parents been told, and have they agreed?", back=True) == BACK


def test_left_is_no_answer_where_there_is_no_way_back():
    ui = plain_answers("\x1b[D", "n")
    assert ui.yes_no("Is a child in immediate danger, left alone or missing?") is False
    assert "Please answer y or n" in ui.out.file.getvalue()
