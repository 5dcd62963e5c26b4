"""The rules of issue 12 in the interactive flow, driven in a pseudo-terminal: a text printed
twice is ticked once (its other copy shows as ticked, not asked again), the thresholds list
says it is not exhaustive, and the national duties (FGM, a known case; Prevent) are offered
beside the areas in every authority, Northamptonshire included, whose items bring neither."""
from __future__ import annotations

import pytest

pexpect = pytest.importorskip("pexpect")

from terminal import ADULT, AREAS, CRISIS, DANGER, DOWN, ENTER, SPACE, UP, answer, finish, recap, spawn  # noqa: E402

THURSDAY = "2026-11-26T10:00"  # every office open


def to_the_areas(child) -> None:
    answer(child, DANGER, "n")
    answer(child, CRISIS, "n")
    answer(child, ADULT, "n")
    child.expect(AREAS)


def test_a_linked_item_is_ticked_once_and_reaches_its_threshold():
    """Notts "Fabricated illness" is a Level 4 Health item and a 4b criterion: ticked under
    Health, the threshold step shows its criterion ticked and does not ask for it again; Enter
    goes on with nothing more ticked; the result reaches 4b and lists the text once."""
    child = spawn("--authority", "notts", at=THURSDAY)
    to_the_areas(child)
    child.send(SPACE)  # Health
    child.send(ENTER)
    child.expect("Health: which of these apply")
    for key in (DOWN, DOWN, DOWN, SPACE, ENTER):  # the 4th Level 4 item: Fabricated illness
        child.send(key)
    child.expect("“Threshold Criteria include:”: the list is")  # 4b's list is not exhaustive
    child.expect("Level 4 ticked")
    child.expect("ticked under Health: it counts here too")
    child.send(ENTER)  # nothing more ticked: the linked criterion counts
    child.expect("Have the parents been told")
    child.send(ENTER)  # yes
    screen = finish(child)
    assert child.exitstatus == 0
    result = screen[screen.index("the level indicated"):]
    assert "Threshold: 4b (Child in Need of Protection)" in result
    ticked = result[result.index("What you ticked"):result.index("What to do")]
    assert ticked.count("Fabricated illness") == 1
    assert recap(screen)[0] == "Level 4: Specialist, threshold 4b"


@pytest.mark.parametrize("authority,prevent_number", [("herts", "0300 123 4043"), ("notts", "101 Ext 801 5060"),
                                                      ("northants", "0300 126 7000")])
def test_the_national_duties_are_offered_beside_the_areas_in_every_authority(authority, prevent_number):
    """Both national duties ticked beside the areas, nothing else: each duty's line is in
    the recap; no level is claimed and no consent is asked."""
    child = spawn("--authority", authority)
    to_the_areas(child)
    child.expect("Duties in every authority")
    # From the top, ↑ wraps to "None of these apply"; the duties are just above it.
    for key in (UP, UP, SPACE, UP, SPACE, ENTER):
        child.send(key)
    screen = finish(child)
    assert child.exitstatus == 0
    short = recap(screen)
    assert short[0] == "No level assessed: no checklist was answered."
    assert any(line.startswith("FGM, a known case: report to the police: 101") for line in short)
    assert any(line.startswith("Prevent") and prevent_number in line for line in short)
    assert "Have the parents been told" not in screen



@pytest.mark.parametrize("holds", ["y", "n"])
def test_the_4a_condition_is_asked_once_before_consent(tmp_path, holds):
    """A 4a criterion ticked: its condition ("Issues not resolved by interventions at Levels
    1-3") is asked before consent, since the level and its consent rule depend on it."""
    child = spawn("--authority", "notts", at=THURSDAY)
    to_the_areas(child)
    child.send(UP * 4 + SPACE + ENTER)  # the last area (above the two duties and None): the social-care thresholds
    child.expect("Thresholds for Children's Social Care Involvement: which of these apply")
    child.send(SPACE + ENTER)  # the first 4a criterion
    answer(child, "apply only where: “Issues not resolved by interventions at Levels 1-3”", holds)
    if holds == "y":
        child.expect("Have the parents been told")  # Level 4: the MASH's consent rule
        child.send(ENTER)
    screen = finish(child)
    assert child.exitstatus == 0  # asked once: a second asking would have waited for an answer
    headline = recap(screen)[0]
    if holds == "y":
        assert headline.startswith("Level 4") and "4a" in headline
    else:
        assert headline.startswith("No level assessed")
        words = " ".join(screen.split())
        assert "4a (Child in Need of Specialist Support from Children's Social Care) was not applied" in words
