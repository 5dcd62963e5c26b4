"""`triage assess` driven for real in a pseudo-terminal, as copier tests its questionary UI:
keystrokes in (arrows, space, enter, Ctrl-C, Ctrl-D), the screen's text out, with the habits
of a hurried person (`y` then Enter, Enter on an empty list, keys typed before a question
appears), in every authority."""
from __future__ import annotations

import json

import pytest

pexpect = pytest.importorskip("pexpect")

from terminal import (ADULT, FGM_ASKED, ANSI, AREAS, CRISIS, CTRL_C, CTRL_D, DANGER, DOWN, ENTER, LEFT, SPACE, UP,  # noqa: E402
                      answer, finish, recap, spawn)

EMPTY = "Nothing is ticked"
POSTCODE_ASKED = "Enter on its own goes back"  # the postcode question (the list names "home postcode" too)


def keys(child, *sequence):
    for key in sequence:
        child.send(key)


def no_urgent_routes(child) -> None:
    answer(child, CRISIS, "n")
    answer(child, ADULT, "n")


def consent(child, parents: str = "y", child_too: str | None = None) -> None:
    """The parents' consent answered as a hurried person does; the child's too, where asked."""
    answer(child, "Have the parents been told", parents)
    if child_too is not None:
        answer(child, "Has the child or young person been told", child_too)


def at_the_areas(*args, **options):
    """`triage assess ARGS`, no to danger and to both urgent routes: at the areas question."""
    child = spawn(*args, **options)
    answer(child, DANGER, "n")
    no_urgent_routes(child)
    child.expect(AREAS)
    return child


# ---------------------------------------------------------------------------------------
# The order, most urgent first, in every authority


def test_danger_first_then_end_here(tmp_path):
    child = spawn("--authority", "herts")
    answer(child, DANGER, "y")
    child.expect("Call 999 now")
    child.expect("0300 123 4043")  # Hertfordshire's line to call afterwards
    child.expect("What now")
    keys(child, ENTER)  # "End here: I am calling 999"
    finish(child)
    assert child.exitstatus == 0


def test_danger_then_go_on_leads_with_999_not_a_level(tmp_path):
    child = spawn("--authority", "notts", "--at", "2026-11-26T10:00")  # a Thursday: the MASH is open
    answer(child, DANGER, "y")
    child.expect("What now")
    keys(child, DOWN, ENTER)  # go on to record the concern
    no_urgent_routes(child)
    child.expect(AREAS)
    keys(child, SPACE, ENTER)  # Health
    child.expect("Health: which of these apply")
    keys(child, SPACE, ENTER)  # a Level 4 item
    child.expect("Level 3 or 4 ticked")
    keys(child, UP, SPACE, ENTER)  # None of these apply
    consent(child, "y", "y")
    screen = finish(child)
    assert child.exitstatus == 0
    short = recap(screen)
    assert short[0] == "CALL 999 NOW: immediate danger."
    assert "After 999: Level 4: Specialist" in short[1]
    assert any("0300 500 80 90" in line for line in short)  # then tell the MASH


def test_danger_question_insists_on_an_answer(tmp_path):
    child = spawn("--authority", "herts")
    child.expect(DANGER)
    child.sendline("maybe")
    child.expect("Please answer y or n")
    keys(child, ENTER)  # Enter alone is no answer either
    child.expect("Please answer y or n")
    keys(child, CTRL_C)
    child.expect("Assessment cancelled: nothing was saved.")
    finish(child)
    assert child.exitstatus == 130


@pytest.mark.parametrize("authority,number", [("herts", "111"), ("northants", "111"), ("notts", "0115 854 2299")])
def test_crisis_is_asked_in_every_authority_and_its_line_comes_first(tmp_path, authority, number):
    child = spawn("--authority", authority)
    answer(child, DANGER, "n")
    answer(child, CRISIS, "y")
    child.expect("Mental health crisis: call now")
    child.expect(number)
    answer(child, ADULT, "n")
    child.expect(AREAS)
    keys(child, UP, SPACE, ENTER)  # None of these apply
    screen = finish(child)
    assert child.exitstatus == 0
    short = recap(screen)
    assert short[0].startswith("Urgent: Mental health crisis")  # never Level 1 beside an urgent route
    assert short[1].startswith("Mental health crisis: ") and number in short[1]


@pytest.mark.parametrize("authority,number", [("herts", "0300 123 4043"), ("notts", "0300 500 80 90"),
                                              ("northants", "0300 126 7000")])
def test_an_adult_who_works_with_children_is_asked_in_every_authority(tmp_path, authority, number):
    child = spawn("--authority", authority)
    answer(child, DANGER, "n")
    answer(child, CRISIS, "n")
    answer(child, ADULT, "y")
    child.expect("the designated officer")
    child.expect(number)
    child.expect(AREAS)
    keys(child, UP, SPACE, ENTER)  # None of these apply
    screen = finish(child)
    assert child.exitstatus == 0
    assert any("Allegation" in line for line in recap(screen))


# ---------------------------------------------------------------------------------------
# A stray key never answers a question


def test_y_then_enter_answers_one_question_never_two(tmp_path):
    """The reproduced fault: `y` Enter at the crisis question also submitted the next screen
    with nothing ticked, giving Level 1 for a child at risk."""
    child = spawn("--authority", "notts")
    answer(child, DANGER, "n")
    child.expect(CRISIS)
    child.send("y" + ENTER + ENTER)  # a doubled Enter, typed at once
    child.expect("Mental health crisis: call now")
    child.expect(ADULT)
    child.send("n" + ENTER + ENTER + SPACE + ENTER)  # keys typed ahead of the next question
    child.expect(AREAS)
    keys(child, ENTER)  # nothing was ticked by the keys typed ahead, so Enter is refused
    child.expect(EMPTY)
    keys(child, CTRL_C)
    screen = finish(child)
    assert child.exitstatus == 130
    assert "Level" not in screen.split(AREAS)[-1]


def test_enter_on_an_empty_checklist_stays_and_says_how_to_go_on(tmp_path):
    child = at_the_areas("--authority", "herts")
    keys(child, ENTER)
    child.expect(EMPTY)
    keys(child, SPACE, ENTER)  # Health
    child.expect("Health: which of these apply")
    keys(child, ENTER)  # Enter on the first item, nothing ticked
    child.expect(EMPTY)
    keys(child, UP, ENTER)  # Enter on "None of these apply" without space: still nothing ticked
    assert child.expect([pexpect.TIMEOUT, "In short"], timeout=1) == 0  # still asking
    keys(child, SPACE, ENTER)  # now ticked on purpose
    screen = finish(child)
    assert child.exitstatus == 0
    assert "You said that nothing in the areas you opened applies" in screen
    assert recap(screen)[0].startswith("Level 1: Universal")


def test_none_of_these_cannot_go_with_other_ticks(tmp_path):
    child = at_the_areas("--authority", "herts")
    keys(child, SPACE, UP, SPACE, ENTER)  # Health and "None of these apply"
    child.expect("cannot go with other ticks")
    keys(child, CTRL_D)
    finish(child)
    assert child.exitstatus == 130


def test_a_ticks_nothing_and_i_inverts_nothing(tmp_path):
    """questionary's `a` (tick all) and `i` (invert) would tick a whole checklist on one key."""
    child = at_the_areas("--authority", "herts")
    keys(child, "a", "i", ENTER)
    child.expect(EMPTY)
    keys(child, CTRL_C)
    finish(child)
    assert child.exitstatus == 130


def test_level_4_with_fgm_duty_and_consent_exceptions_shown_first(tmp_path):
    child = at_the_areas("--authority", "herts")
    keys(child, *[DOWN] * 6, SPACE, ENTER)  # the seventh area: Harmful practices
    child.expect("Harmful practices: which of these apply")
    keys(child, DOWN, DOWN, SPACE, ENTER)  # Level 4, third item: reports of FGM
    answer(child, FGM_ASKED, "n")  # someone else told: a risk, not yet the police duty
    child.expect("Exceptions, when consent is not needed")  # before the question
    consent(child, "n")
    answer(child, "Does one of the exceptions above apply", "y")
    child.expect("Which of the exceptions applies")
    keys(child, SPACE, ENTER)
    screen = finish(child)
    assert child.exitstatus == 0
    assert "Level 4: Specialist" in screen
    assert "herts-harmful-practices-l4-03" in screen
    assert "Exception that applies: the child would be placed at increased risk" in screen
    short = recap(screen)
    assert short[0] == "Level 4: Specialist"
    assert any("0300 123 4043" in line for line in short)
    # A risk of FGM is a referral to Children's Services (the police duty only if it is a known case).
    assert any(line.startswith("Risk of FGM") and "0300 123 4043" in line for line in short)


# ---------------------------------------------------------------------------------------
# Going back, ending


def test_left_arrow_goes_back_a_step(tmp_path):
    child = at_the_areas("--authority", "notts")
    keys(child, SPACE, ENTER)  # Health
    child.expect("Health: which of these apply")
    keys(child, LEFT)  # back to the areas
    child.expect(AREAS)
    keys(child, ENTER)  # Health is still chosen: its checklist comes again
    child.expect("Health: which of these apply")
    keys(child, SPACE, ENTER)  # Level 4: "Has severe/chronic health problems"
    child.expect("Level 3 or 4 ticked")  # 4a/4b/4c offered for a Level 4 item
    child.send("physically")  # typing filters the list: the first 4b criterion
    child.expect("physically, significantly harmed")
    keys(child, SPACE, ENTER)
    consent(child, "n")
    answer(child, "Does one of the exceptions above apply", "n")
    answer(child, "Has the child or young person been told", "y")
    screen = finish(child)
    assert child.exitstatus == 0
    assert "Level 4: Specialist" in screen
    assert "Threshold: 4b" in screen
    assert "notts-health-l4-01" in screen and "notts-threshold-4b-01" in screen
    assert "no exception named: ask the parents before you refer" in " ".join(screen.split())
    assert "Consent: ask the parents before you refer, unless an exception applies." in recap(screen)


def test_ctrl_c_mid_checklist_saves_nothing(tmp_path):
    record = tmp_path / "record.md"
    child = at_the_areas("--authority", "herts", "--output", str(record))
    keys(child, SPACE, ENTER)
    child.expect("Health: which of these apply")
    keys(child, SPACE, CTRL_C)
    child.expect("Assessment cancelled: nothing was saved.")
    screen = finish(child)
    assert child.exitstatus == 130
    assert "Traceback" not in screen
    assert not record.exists()


@pytest.mark.parametrize("where", ["select", "checklist", "yes/no"])
def test_ctrl_d_anywhere_ends_as_ctrl_c(tmp_path, where):
    record = tmp_path / "record.md"
    child = spawn("--output", str(record))
    answer(child, DANGER, "n")
    if where != "select":
        child.expect("Which local authority")
        child.send("Hertfordshire")  # the list of 155 is found by typing
        keys(child, ENTER)
        if where == "checklist":
            no_urgent_routes(child)
            child.expect(AREAS)
        else:
            child.expect(CRISIS)
    else:
        child.expect("Which local authority")
    keys(child, CTRL_D)
    child.expect("Assessment cancelled: nothing was saved.")
    screen = finish(child)
    assert child.exitstatus == 130
    assert "Traceback" not in screen
    assert not record.exists()


def test_ctrl_c_at_the_first_question(tmp_path):
    child = spawn()
    child.expect(DANGER)
    keys(child, CTRL_C)
    child.expect("Assessment cancelled: nothing was saved.")
    screen = finish(child)
    assert child.exitstatus == 130 and "Traceback" not in screen


def test_end_of_input_at_the_first_question(tmp_path):
    child = spawn("--authority", "herts")
    child.expect(DANGER)
    child.sendeof()
    child.expect("Assessment cancelled: nothing was saved.")
    finish(child)
    assert child.exitstatus == 130


def test_authority_is_asked_when_not_given(tmp_path):
    child = spawn()
    answer(child, DANGER, "n")
    child.expect("Which local authority")
    child.send("Corby")  # a former district: the list is found by typing, districts too
    child.expect(r"/ (\x1b\[[0-9;]*m)*Corby")  # the filter line, in colour
    keys(child, ENTER)
    child.expect("North Northamptonshire Council")  # the answer, echoed
    no_urgent_routes(child)
    child.expect(AREAS)
    keys(child, SPACE, ENTER)
    child.expect("which of these apply")
    keys(child, SPACE, ENTER)  # a Level 4 item
    consent(child)
    screen = finish(child)
    assert child.exitstatus == 0
    assert "Northamptonshire" in screen
    assert "Level 4: Level 4" not in screen


def test_a_hurried_enter_at_the_authority_asks_the_postcode_and_enter_again_goes_back(tmp_path):
    """The first choice is the child's postcode: Enter asks it, Enter on its own goes back to
    the list, a malformed one is asked again with why, and a real one finds the council."""
    record = tmp_path / "record.md"
    child = spawn("--output", str(record))
    answer(child, DANGER, "n")
    child.expect("Which local authority")
    keys(child, ENTER)
    child.expect(POSTCODE_ASKED)
    keys(child, ENTER)
    child.expect("Which local authority")
    keys(child, ENTER)
    child.expect(POSTCODE_ASKED)
    child.send("NN17 1")
    keys(child, ENTER)
    child.expect("is not a UK postcode")
    keys(child, *["\x7f"] * 6)
    child.send("nn17 1aa")
    keys(child, ENTER)
    child.expect("North Northamptonshire")
    child.expect(CRISIS)
    keys(child, CTRL_C)
    screen = finish(child)
    assert child.exitstatus == 130 and "Traceback" not in screen
    assert not record.exists()


# ---------------------------------------------------------------------------------------
# What stays on screen


@pytest.mark.parametrize("authority,areas,items", [
    ("herts", [SPACE], [SPACE]),  # Health, Level 4
    ("notts", [SPACE], [SPACE]),
    ("northants", [SPACE], [SPACE]),
])
def test_at_80x24_the_recap_is_what_stays_on_screen(tmp_path, authority, areas, items):
    record = tmp_path / "record.json"
    child = spawn("--authority", authority, "--output", str(record), columns=80, rows=24)
    answer(child, DANGER, "n")
    answer(child, CRISIS, "y")
    answer(child, ADULT, "n")
    child.expect(AREAS)
    keys(child, *areas, ENTER)
    child.expect("which of these apply")
    keys(child, *items, ENTER)
    if authority == "notts":
        child.expect("Level 3 or 4 ticked")
        keys(child, UP, SPACE, ENTER)
    consent(child, "y", "y" if authority == "notts" else None)
    screen = finish(child)
    assert child.exitstatus == 0
    document = json.loads(record.read_text(encoding="utf-8"))
    short = recap(screen.split("Record written")[0])
    assert 2 <= len(short) <= 7  # with the rule: at most 8 lines
    assert all(len(line) <= 80 for line in short)
    assert short[0].startswith(f"Level {document['level']}")
    # Every number to ring now for what is urgent and for the level, and whether it answers (the
    # other lines the source gives, an online form, are in the result above and in the recap while there is room).
    for call in [c for c in document["calls"] if c["role"] not in ("level-also", "crisis-also")]:
        assert any(call["phone"] in line and ("answers now" in line or "closed" in line) for line in short)


@pytest.mark.parametrize("columns", [80, 40])
def test_result_and_answers_fit_a_narrow_terminal(tmp_path, columns):
    child = at_the_areas("--authority", "notts", columns=columns)
    keys(child, SPACE, ENTER)
    child.expect("which of these apply")
    keys(child, DOWN, DOWN, DOWN, DOWN, SPACE, ENTER)  # a long Level 4 item, wrapped
    child.expect("Level 3 or 4 ticked")
    keys(child, UP, SPACE, ENTER)
    consent(child, "y", "y")
    screen = finish(child)
    assert child.exitstatus == 0
    assert "Level 4" in screen
    # The answers echoed and the result, after the last question: never cut at the edge.
    last = screen.rindex("Has the child or young person been told")  # the prompt line is the terminal's to wrap
    result = screen[screen.index("\n", last):]
    too_wide = [line for line in result.splitlines() if len(line.rstrip("\r")) > columns]
    assert not too_wide, too_wide[:3]
    assert "Injury and bruising in babies and children who are not independently mobile" in " ".join(
        line.strip() for line in screen.replace("\r", "").split("\n"))


def test_a_ticked_item_is_echoed_as_quoted_even_where_it_was_wrapped(tmp_path):
    """At 80 columns this item's list line ends in "non-": its answer must still read
    "non-accidental", as the source prints it, not "non- accidental"."""
    child = at_the_areas("--authority", "herts")
    keys(child, DOWN, DOWN, DOWN, SPACE, ENTER)  # Abuse and neglect
    child.expect("which of these apply")
    keys(child, DOWN, DOWN, SPACE, ENTER)
    child.expect("── Consent")  # shown after the echoed answer
    echoed = ANSI.sub("", child.before)
    echoed = echoed[echoed.rindex("✔ Abuse and neglect"):]
    child.sendcontrol("c")
    finish(child)
    assert "suspected to be non-accidental injury" in " ".join(echoed.split()), echoed


def test_every_item_and_exception_is_echoed_exactly_as_quoted_at_any_width():
    from triage.data.store import load
    from triage.ui import unwrapped as _unwrapped, wrap as _wrap

    texts = {i.text for a in load().authorities.values() for i in a.indicators} | {
        e for a in load().authorities.values() for c in a.consents for e in c.exceptions}
    misquoted = {(width, text) for text in texts for width in range(20, 121, 7) if _unwrapped(_wrap(text, width)) != text}
    assert not misquoted, sorted(misquoted)[:3]


def test_ctrl_c_just_after_the_last_answer_ends_with_an_exit_status(tmp_path):
    """Found by the keystroke fuzz: a Ctrl-C while Python shut down ended the process by the
    signal. Once the work is decided, a late signal is held: 0 (all done) or 130, never a kill."""
    for attempt in range(3):
        record = tmp_path / f"record-{attempt}.md"
        child = spawn("--authority", "herts", "--output", str(record))
        answer(child, DANGER, "n")
        no_urgent_routes(child)
        child.expect(AREAS)
        keys(child, SPACE, ENTER)
        child.expect("Health: which of these apply")
        keys(child, SPACE, ENTER)
        child.expect("Have the parents been told")
        keys(child, "y", ENTER, CTRL_C)
        screen = finish(child)
        assert child.signalstatus is None and child.exitstatus in (0, 130), (child.signalstatus, child.exitstatus)
        assert "Traceback" not in screen
        assert record.exists() == (child.exitstatus == 0)


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
def test_a_terminal_that_cannot_show_tick_marks_is_told_so_not_asked(tmp_path, monkeypatch, encoding):
    monkeypatch.setenv("PYTHONIOENCODING", encoding)
    child = spawn("--authority", "herts")
    screen = finish(child)
    assert child.exitstatus == 2
    assert "call 999" in screen and "UTF-8" in screen and "Traceback" not in screen
