"""The interview driven in-process through its UI interface (tests/fake_ui.py), and the
decision faults practitioners hit (issue 18), each through the flow and through the options.

Every scripted answer is one the terminal would take; the flow asks through the same steps
as in a terminal, so the questions asked, their order and the outcome are the real ones."""
from __future__ import annotations

import json

import pytest
from conftest import run_triage
from fake_ui import NO, YES, ScriptedUI
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from triage import engine
from triage.engine import preview
from triage.flow import (ADULT_QUESTION, AREAS_QUESTION, CHILD_QUESTION, CRISIS_QUESTION, DANGER_QUESTION,
                         EXCEPTION_QUESTION, FGM_QUESTION, PARENTS_QUESTION, THRESHOLDS_QUESTION, interview)
from triage.selections import Selections
from triage.ui import BACK, NONE, TerminalUI

WEDNESDAY_10 = "2026-11-25T10:00"
THURSDAY_10 = "2026-11-26T10:00"
WEDNESDAY_23 = "2026-11-25T23:00"
SATURDAY_2230 = "2026-11-28T22:30"
DOMESTIC_VIOLENCE = "notts-family-history-functioning-l3-01"  # "Evidence of domestic violence" (Level 3)
WITNESSES = "notts-threshold-4b-12"


@pytest.fixture(scope="module")
def data():
    from triage.dataset import load

    return load()


def flow(authority: str, *answers, at=WEDNESDAY_10, **given):
    """The interview for `authority` with scripted answers: (the Selections, the UI)."""
    ui = ScriptedUI(*answers)
    result = interview(Selections(authority=authority, at=at, **given), ui)
    assert not ui.answers, f"answers left over: {ui.answers}; asked: {ui.questions}"
    return result, ui


def outcome_of(data, selections: Selections, at=WEDNESDAY_10):
    from triage.session import moment

    authority = data.authorities[selections.authority]
    return engine.assess(authority, selections, moment(at), data.have_ready)


def cli_json(*args) -> dict:
    result = run_triage("assess", *args, "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def screen(*args) -> str:
    result = run_triage("assess", *args, env={"COLUMNS": "80"})
    assert result.returncode == 0, result.stderr
    return result.stdout


def in_short(text: str) -> str:
    return text[text.rindex("In short"):]


# ---------------------------------------------------------------------------------------
# 1. An urgent route is never a Level 1 result


@pytest.mark.parametrize("authority, flag", [("notts", "--mental-health-crisis"), ("herts", "--allegation"),
                                             ("northants", "--allegation"), ("notts", "--immediate-danger")])
def test_urgent_route_then_nothing_applies_is_not_level_1(authority, flag):
    result = cli_json("-a", authority, flag, "--nothing-applies", "--at", WEDNESDAY_10)
    assert result["level"] is None and result["level_indicated"] is None
    assert result["status"] in ("urgent", "emergency")
    text = screen("-a", authority, flag, "--nothing-applies", "--at", WEDNESDAY_10)
    assert "Level 1" not in in_short(text)
    assert "No safeguarding concerns" not in text  # Hertfordshire's Level 1 description


def test_urgent_route_then_nothing_applies_in_the_flow(data):
    selections, ui = flow("herts", NO, NO, YES, [NONE])
    outcome = outcome_of(data, selections)
    assert outcome.status == engine.URGENT and outcome.level is None
    assert outcome.headline.startswith("Urgent: Allegation")
    assert ui.questions[:4] == [DANGER_QUESTION, CRISIS_QUESTION, ADULT_QUESTION, AREAS_QUESTION]


def test_after_999_the_recap_never_says_level_1():
    text = screen("-a", "herts", "--immediate-danger", "--nothing-applies", "--at", WEDNESDAY_10)
    assert "After 999: Level 1" not in text and "CALL 999 NOW" in in_short(text)


# ---------------------------------------------------------------------------------------
# 2. Nottinghamshire's threshold criteria, whenever the highest tick is Level 3 or 4


def test_domestic_violence_asks_the_thresholds_before_consent_linked_first(data):
    selections, ui = flow("notts", NO, NO, NO, ["family-history-functioning"], [DOMESTIC_VIOLENCE], [WITNESSES],
                          YES, YES, at=THURSDAY_10)  # the MASH opens at 10:30 on Wednesdays
    questions = ui.questions
    assert questions.index(THRESHOLDS_QUESTION) < questions.index(PARENTS_QUESTION)
    first = [c.value for c in ui.offered(THRESHOLDS_QUESTION)][:2]
    assert WITNESSES in first  # "Child witnesses domestic violence ..." among the first offered
    outcome = outcome_of(data, selections, THURSDAY_10)
    assert outcome.level.level == 4 and outcome.thresholds == ("4b",)
    assert outcome.level_call.call.contact.id == "notts-mash"


def test_domestic_violence_with_no_threshold_stays_level_3_and_checked(data):
    selections, ui = flow("notts", NO, NO, NO, ["family-history-functioning"], [DOMESTIC_VIOLENCE], [NONE], YES, YES)
    outcome = outcome_of(data, selections)
    assert outcome.level.level == 3 and outcome.unchecked_thresholds == ()


def test_level_2_ticks_do_not_ask_the_thresholds(data):
    item = next(i.id for i in data.authorities["notts"].indicators if i.level == 2 and i.domain == "health")
    _, ui = flow("notts", NO, NO, NO, ["health"], [item], YES, YES)
    assert THRESHOLDS_QUESTION not in ui.questions


def test_without_a_terminal_the_result_names_the_criteria_not_checked():
    result = cli_json("-a", "notts", "-i", DOMESTIC_VIOLENCE, "--at", WEDNESDAY_10)
    assert result["thresholds_not_checked"] == ["4a", "4b", "4c"]
    text = screen("-a", "notts", "-i", DOMESTIC_VIOLENCE, "--at", WEDNESDAY_10)
    assert "Not checked: the threshold criteria 4a" in text
    checked = cli_json("-a", "notts", "-i", DOMESTIC_VIOLENCE, "--thresholds-checked", "--at", WEDNESDAY_10)
    assert checked["thresholds_not_checked"] == []


# ---------------------------------------------------------------------------------------
# 3. A 4a criterion whose condition is not confirmed keeps its duties and goes somewhere


def test_unconfirmed_4a_keeps_prevent_and_routes_to_the_early_help_unit():
    result = cli_json("-a", "notts", "-i", "notts-threshold-4a-08", "--at", WEDNESDAY_10)
    assert result["status"] == "not-assessed"
    assert [p["id"] for p in result["pathways"]] == ["prevent"]
    assert [c["role"] for c in result["calls"]] == ["in-doubt"]
    assert result["calls"][0]["id"] == "notts-early-help-unit"
    text = screen("-a", "notts", "-i", "notts-threshold-4a-08", "--at", WEDNESDAY_10)
    assert "If you are in doubt please contact the Early Help Unit for advice." in text
    assert "0115 804 1248" in in_short(text)


def test_unconfirmed_4a_in_the_flow_asks_the_condition(data):
    selections, ui = flow("notts", NO, NO, NO, ["social-care-thresholds"], ["notts-threshold-4a-08"], NO)
    assert any(q.startswith("The criteria you ticked apply only where") for q in ui.questions)
    outcome = outcome_of(data, selections)
    assert outcome.level is None and [d.pathway.id for d in outcome.duties] == ["prevent"]


# ---------------------------------------------------------------------------------------
# 4. Consent: nothing preselected, the child's own consent where the source asks it


def test_a_bare_enter_at_consent_records_nothing(monkeypatch, capsys):
    typed = iter(["", "  ", "y"])
    monkeypatch.setattr("builtins.input", lambda: next(typed))
    assert TerminalUI().yes_no(PARENTS_QUESTION, back=True) is True
    assert capsys.readouterr().out.count(PARENTS_QUESTION) == 3  # asked again after each empty answer


def test_back_at_a_yes_no_question(monkeypatch):
    typed = iter(["b"])
    monkeypatch.setattr("builtins.input", lambda: next(typed))
    assert TerminalUI().yes_no(PARENTS_QUESTION, back=True) == BACK


@pytest.mark.parametrize("authority, area, level", [("herts", "health", 2), ("notts", "health", 3),
                                                    ("notts", "health", 4)])
def test_the_child_is_asked_where_the_rule_says_so(data, authority, area, level):
    item = next(i.id for i in data.authorities[authority].indicators if i.level == level and i.domain == area
                and not i.pathways)
    extra = [[NONE]] if authority == "notts" and level >= 3 else []  # the thresholds
    selections, ui = flow(authority, NO, NO, NO, [area], [item], *extra, YES, NO)
    assert ui.questions[-1] == CHILD_QUESTION
    outcome = outcome_of(data, selections)
    assert outcome.consent.child_asked and outcome.consent.child_answer == "no"


def test_no_consent_and_an_exception(data):
    item = next(i.id for i in data.authorities["herts"].indicators if i.level == 4 and i.domain == "health")
    exceptions = data.authorities["herts"].consents[-1].exceptions
    selections, ui = flow("herts", NO, NO, NO, ["health"], [item], NO, YES, [exceptions[0]])
    assert ui.questions[-3:-1] == [PARENTS_QUESTION, EXCEPTION_QUESTION]
    outcome = outcome_of(data, selections)
    assert outcome.consent.exceptions_apply and not outcome.consent.refused


def test_an_allegation_case_keeps_the_consent_line_in_the_recap():
    text = screen("-a", "herts", "--allegation", "-i", "herts-health-l4-01", "--consent", "no", "--at", WEDNESDAY_10)
    assert "Consent: ask the parents before you refer" in in_short(text)


# ---------------------------------------------------------------------------------------
# 5. Assumed hours said wherever a line is shown


def test_northants_then_tell_and_recap_say_the_hours_are_assumed():
    text = screen("-a", "northants", "--immediate-danger", "--nothing-applies", "--at", WEDNESDAY_10)
    box = text[:text.index("╰")]
    assert "Then tell Northamptonshire" in box and "Assumed:" in box
    assert "0300 126 7000 (answers now, hours assumed" in in_short(text)


def test_notts_crisis_box_says_the_spa_hours_are_assumed():
    result = cli_json("-a", "notts", "--mental-health-crisis", "--at", WEDNESDAY_10)
    crisis = result["urgent"][0]["contact"]
    assert crisis["id"] == "notts-camhs-spa" and crisis["assumptions"]
    text = screen("-a", "notts", "--mental-health-crisis", "--at", WEDNESDAY_10)
    box = text[:text.index("NHS 111")]
    assert "Assumed:" in box


# ---------------------------------------------------------------------------------------
# 6. The routes the sources give


def test_notts_crisis_at_night_offers_nhs_111_option_2():
    result = cli_json("-a", "notts", "--mental-health-crisis", "--at", WEDNESDAY_23)
    assert [c["phone"] for c in result["calls"]] == ["999", "111"]
    assert "111 (answers now)" in in_short(screen("-a", "notts", "--mental-health-crisis", "--at", WEDNESDAY_23))


def test_notts_level_4_at_night_the_edt_is_for_emergencies_and_the_form_is_given():
    result = cli_json("-a", "notts", "-i", WITNESSES, "--at", WEDNESDAY_23)
    level = [c for c in result["calls"] if c["role"] == "level"][0]
    assert level["id"] == "notts-edt" and level["only_if"] == "in an emergency"
    also = [c["id"] for c in result["calls"] if c["role"] == "level-also"]
    assert also == ["notts-mash-online-form", "notts-mash-consultation"]
    text = screen("-a", "notts", "-i", WITNESSES, "--at", WEDNESDAY_23)
    assert "www.nottinghamshire.gov.uk/MASH" in text and "0115 977 4247" in text
    assert "in an emergency only" in " ".join(in_short(text).split())


def test_herts_portal_beside_the_referral_line():
    result = cli_json("-a", "herts", "-i", "herts-health-l4-01", "--at", WEDNESDAY_10)
    assert "herts-online-referral" in [c["id"] for c in result["calls"]]


def test_herts_suicidal_ideation_brings_the_crisis_line():
    result = cli_json("-a", "herts", "-i", "herts-mental-emotional-health-l4-03", "--at", WEDNESDAY_10)
    crisis = [p for p in result["pathways"] if p["id"] == "mental-health-crisis"]
    assert crisis and crisis[0]["phone"] == "111"


def test_northants_level_2_says_its_action_link_is_not_held():
    item = "northants-level-2"
    result = run_triage("lookup", "-a", "northants", "--json")
    ids = [i["id"] for i in json.loads(result.stdout) if i["level"] == 2]
    item = ids[0]
    found = cli_json("-a", "northants", "-i", item, "--at", WEDNESDAY_10)
    assert "does not hold" in found["action_not_held"]


# ---------------------------------------------------------------------------------------
# 7. FGM: the trigger of the police duty is asked


def test_fgm_duty_asks_its_trigger_then_names_the_duty_with_its_day(data):
    selections, ui = flow("notts", NO, NO, NO, ["duty:fgm-police"], YES)
    assert ui.questions[-1] == FGM_QUESTION
    outcome = outcome_of(data, selections)
    duty = [d for d in outcome.duties if d.pathway.id == "fgm-police"][0]
    assert duty.due_by == "2026-11-26"  # the end of the next working day after Wednesday


def test_fgm_told_by_someone_else_is_not_the_police_duty(data):
    selections, _ = flow("herts", NO, NO, NO, ["duty:fgm-police"], NO)
    outcome = outcome_of(data, selections)
    assert "fgm-police" not in [d.pathway.id for d in outcome.duties]
    assert "fgm-police" in [d.pathway.id for d in outcome.known_case]


def test_herts_fgm_risk_becomes_the_police_duty_when_she_told_you(data):
    risk = "herts-harmful-practices-l4-03"
    result = cli_json("-a", "herts", "-i", risk, "--fgm-told-or-seen", "yes", "--at", WEDNESDAY_10)
    assert "fgm-police" in [p["id"] for p in result["pathways"]] and result["if_known_case"] == []
    fgm = [p for p in result["pathways"] if p["id"] == "fgm-police"][0]
    assert fgm["due_by"] == "2026-11-26"


# ---------------------------------------------------------------------------------------
# 8. Going back to any earlier answer


def test_back_from_the_areas_reaches_the_urgent_questions(data):
    selections, ui = flow("herts", NO, NO, NO, BACK, YES, [NONE])
    assert ui.questions[3:6] == [AREAS_QUESTION, ADULT_QUESTION, AREAS_QUESTION]
    assert outcome_of(data, selections).status == engine.URGENT


# ---------------------------------------------------------------------------------------
# The flow's preview and the engine's outcome agree


def _agree(data, authority_id: str, ids: tuple[str, ...], confirmed: bool) -> None:
    authority = data.authorities[authority_id]
    selections = Selections(authority=authority_id, indicators=ids, conditions_confirmed=confirmed,
                            thresholds_checked=True)
    seen = preview(authority, selections)
    outcome = engine.assess(authority, selections, engine.to_london(__import__("datetime").datetime(2026, 11, 25, 10)),
                            data.have_ready)
    assert seen.level == (outcome.level.level if outcome.level else None), ids
    assert seen.consent == (outcome.consent.consent if outcome.consent.asked else None), ids


def test_preview_and_outcome_agree_for_every_item_alone(data):
    count = 0
    for authority in data.authorities.values():
        for item in authority.indicators:
            for confirmed in (False, True):
                _agree(data, authority.id, (item.id,), confirmed)
            count += 1
    assert count == sum(len(a.indicators) for a in data.authorities.values()) >= 568


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_preview_and_outcome_agree_for_combinations(data, draw):
    authority = draw.draw(st.sampled_from(sorted(data.authorities)))
    ids = [i.id for i in data.authorities[authority].indicators]
    chosen = draw.draw(st.lists(st.sampled_from(ids), min_size=1, max_size=5, unique=True))
    _agree(data, authority, tuple(chosen), draw.draw(st.booleans()))


def test_back_to_the_thresholds_offers_them_again_with_the_tick_kept(data):
    """Red team: ← from consent back to the threshold criteria offered none of them, only "None
    of these apply", and taking it turned a 4b case (the MASH) into Level 3 (the Early Help
    Unit). The same list is offered again, what was ticked still ticked."""
    selections, ui = flow("notts", NO, NO, NO, ["family-history-functioning"], [DOMESTIC_VIOLENCE], [WITNESSES],
                          BACK, [WITNESSES], YES, YES, at=THURSDAY_10)
    again = [c for c in ui.choices[THRESHOLDS_QUESTION] if hasattr(c, "value") and c.value != NONE]
    assert len(again) == 32 and [c.value for c in again if c.checked] == [WITNESSES]
    outcome = outcome_of(data, selections, THURSDAY_10)
    assert outcome.level.level == 4 and outcome.thresholds == ("4b",)
    assert outcome.level_call.call.contact.id == "notts-mash"


def test_back_from_the_condition_offers_the_thresholds_again(data):
    item_4a = next(i.id for i in data.authorities["notts"].indicators if i.threshold == "4a")
    _, ui = flow("notts", NO, NO, NO, ["family-history-functioning"], [DOMESTIC_VIOLENCE], [item_4a], BACK,
                 [WITNESSES], YES, YES, at=THURSDAY_10)
    again = [c for c in ui.choices[THRESHOLDS_QUESTION] if hasattr(c, "value") and c.value != NONE]
    assert len(again) == 32 and [c.value for c in again if c.checked] == [item_4a]


def test_when_no_number_in_the_summary_answers_it_says_999_and_101():
    """Red team: Leeds on a Friday evening or a bank holiday (its out-of-hours team is not held):
    the summary's only number was closed, and 999 was in the text above."""
    from triage.views import NOTHING_ANSWERS

    for args in (("-a", "leeds", "--allegation", "--at", "2026-12-04T17:30"),
                 ("-a", "leeds", "--nothing-applies", "--at", "2026-12-25T12:00")):
        short = " ".join(in_short(screen(*args)).split())
        assert NOTHING_ANSWERS in short, short
    open_now = " ".join(in_short(screen("-a", "leeds", "--nothing-applies", "--at", WEDNESDAY_10)).split())
    assert "0113 376 0336 (answers now" in open_now and NOTHING_ANSWERS not in open_now


def test_back_to_the_areas_and_on_again_keeps_the_threshold_tick(data):
    """Red team, second pass: ← three times (consent, thresholds, the checklist) to the areas,
    then on with the same answers, lost the 4b tick (Level 3); the criteria come back ticked."""
    area = "family-history-functioning"
    selections, ui = flow("notts", NO, NO, NO, [area], [DOMESTIC_VIOLENCE], [WITNESSES], BACK, BACK, BACK,
                          [area], [DOMESTIC_VIOLENCE], [WITNESSES], YES, YES, at=THURSDAY_10)
    again = [c for c in ui.choices[THRESHOLDS_QUESTION] if hasattr(c, "value") and c.value != NONE]
    assert [c.value for c in again if c.checked] == [WITNESSES]
    outcome = outcome_of(data, selections, THURSDAY_10)
    assert outcome.level.level == 4 and outcome.thresholds == ("4b",)
