"""The rules around the items, as the flow asks them: items printed twice, the national
duties beside the areas, a criterion's condition. Driven in-process through the flow's UI
interface (tests/fake_ui.py); the terminal itself is tested in test_interactive.py."""
from __future__ import annotations

import pytest
from fake_ui import NO, YES, ScriptedUI

from triage import engine
from triage.flow import FGM_QUESTION, PARENTS_QUESTION, interview
from triage.selections import Selections
from triage.session import moment
from triage.ui import NONE
from triage.views import recap
from triage.page import Page

THURSDAY = "2026-11-26T10:00"  # every office open
FABRICATED = "notts-health-l4-04"  # "Fabricated illness": a Level 4 Health item and a 4b criterion


@pytest.fixture(scope="module")
def data():
    from triage.dataset import load

    return load()


def run(data, authority, *answers):
    ui = ScriptedUI(*answers)
    selections = interview(Selections(authority=authority, at=THURSDAY), ui)
    assert not ui.answers, f"answers left over: {ui.answers}; asked: {ui.questions}"
    outcome = engine.assess(data.authorities[authority], selections, moment(THURSDAY), data.have_ready)
    return outcome, ui


def short(ui, outcome) -> str:
    page = Page(ui.out)
    recap(page, outcome)
    page.show()
    text = ui.shown
    return text[text.rindex("In short"):]


def test_a_linked_item_is_ticked_once_and_reaches_its_threshold(data):
    """Ticked under Health, the threshold criteria show its 4b copy ticked and do not ask for it
    again; nothing more ticked goes on; the result reaches 4b and lists the text once."""
    item = data.authorities["notts"].indicators
    assert any(i.id == FABRICATED and i.same_as for i in item)
    outcome, ui = run(data, "notts", NO, NO, NO, ["health", "social-care-thresholds"], [FABRICATED], [], YES, YES)
    offered = ui.offered("Thresholds for Children's Social Care Involvement")
    copy = [c for c in offered if c.disabled]
    assert len(copy) == 1 and "ticked under Health: it counts here too" in copy[0].disabled
    assert "“Threshold Criteria include:”: the list is not exhaustive." in " ".join(ui.shown.split())
    assert outcome.thresholds == ("4b",) and outcome.level.level == 4
    assert [i.text for i in outcome.selected].count("Fabricated illness") == 1


@pytest.mark.parametrize("authority,prevent_number", [("herts", "0300 123 4043"), ("notts", "101 Ext 801 5060"),
                                                      ("northants", "0300 126 7000")])
def test_the_national_duties_are_offered_beside_the_areas_in_every_authority(data, authority, prevent_number):
    """Both national duties ticked beside the areas, nothing else: each duty's line is in the
    recap, the FGM trigger is asked, no level is claimed and no consent is asked."""
    outcome, ui = run(data, authority, NO, NO, NO, ["duty:fgm-police", "duty:prevent"], YES)
    assert ui.questions[-1] == FGM_QUESTION and PARENTS_QUESTION not in ui.questions
    assert outcome.status == engine.NOT_ASSESSED
    text = short(ui, outcome)
    assert "No level of need assessed" in text
    assert "FGM, a known case: report to the police: 101" in text
    assert prevent_number in text


@pytest.mark.parametrize("holds", [YES, NO])
def test_the_4a_condition_is_asked_once_before_consent(data, holds):
    """A 4a criterion ticked: its condition is asked before consent, since the level and its
    consent rule depend on it; asked once (a second asking would find no answer scripted)."""
    first_4a = next(i.id for i in data.authorities["notts"].indicators if i.threshold == "4a")
    consent = (YES, YES) if holds else ()
    outcome, ui = run(data, "notts", NO, NO, NO, ["social-care-thresholds"], [first_4a], holds, *consent)
    condition = [q for q in ui.questions if "apply only where: “Issues not resolved by interventions at Levels 1-3”" in q]
    assert len(condition) == 1
    if holds:
        assert ui.questions.index(condition[0]) < ui.questions.index(PARENTS_QUESTION)
        assert outcome.level.level == 4 and outcome.thresholds == ("4a",)
    else:
        assert outcome.level is None
        assert "4a (Child in Need of Specialist Support from Children's Social Care) was not applied" in \
            outcome.not_applied[0]
        assert outcome.calls[0].call.contact.id == "notts-early-help-unit"  # where the source sends the doubtful case


def test_nothing_ticked_in_one_area_and_none_in_another_is_said_on_purpose(data):
    outcome, ui = run(data, "herts", NO, NO, NO, ["health", "education"], [NONE], [NONE])
    assert outcome.level.level == 1 and outcome.nothing_applies
