"""The assessment: the level of need from what is ticked, whom to call at that moment, the
extra duties an item triggers, consent, and the warnings a user must see."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from triage import clock
from triage.engine import SelectionError, assess, resolve
from triage.selections import Selections

LONDON = ZoneInfo("Europe/London")
UTC = timezone.utc


def uk(y, mo, d, h=0, mi=0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=LONDON)


# Every office is open (the Nottinghamshire MASH opens at 10:30 on Wednesdays).
THURSDAY_10 = uk(2026, 11, 26, 10, 0)
WEDNESDAY_20 = uk(2026, 11, 25, 20, 0)
SATURDAY_20 = uk(2026, 11, 28, 20, 0)


@pytest.fixture(scope="module")
def data():
    from triage.dataset import load  # conftest.py points TRIAGE_CACHE_DIR at a temporary folder

    return load()


def run(data, authority_id, ids, at=THURSDAY_10, **options):
    authority = data.authorities[authority_id]
    resolve(authority, list(ids), data.authorities)
    return assess(authority, Selections(indicators=tuple(ids), **options), at, data.have_ready)


def first_at(data, authority_id, level, *, pathways=None):
    """The first indicator of an authority at a level (optionally with no extra duties)."""
    for indicator in data.authorities[authority_id].indicators:
        if indicator.level == level and (pathways is None or tuple(indicator.pathways) == tuple(pathways)):
            return indicator.id
    raise LookupError((authority_id, level))


def pathway_ids(outcome):
    return [p.pathway.id for p in outcome.pathways]


# ---------------------------------------------------------------------------------------
# The level


def test_level_is_the_highest_ticked(data):
    ids = [first_at(data, "herts", 2), first_at(data, "herts", 4, pathways=()), first_at(data, "herts", 1)]
    outcome = run(data, "herts", ids)
    assert outcome.level.level == 4
    assert outcome.level.name == "Specialist"
    assert [i.level for i in outcome.selected] == [4, 2, 1]  # the most serious first


@pytest.mark.parametrize("authority_id", ["herts", "notts", "northants"])
def test_nothing_ticked_is_no_level_at_all(data, authority_id):
    outcome = run(data, authority_id, [])
    assert outcome.level is None  # an empty answer is never "nothing applies"
    assert outcome.calls == () and outcome.call is None
    assert outcome.consent.asked is False


@pytest.mark.parametrize("authority_id", ["herts", "notts", "northants"])
def test_nothing_applies_said_on_purpose_is_level_1_with_no_call(data, authority_id):
    outcome = run(data, authority_id, [], nothing_applies=True)
    assert outcome.level.level == 1
    assert outcome.call is None
    assert outcome.selected == ()


@pytest.mark.parametrize("authority_id", ["herts", "notts", "northants"])
def test_danger_only_is_999_then_the_front_door_and_no_level(data, authority_id):
    outcome = run(data, authority_id, [], immediate_danger=True)
    assert outcome.emergency and outcome.level is None and outcome.headline_level is None
    assert outcome.calls[0].call.contact.phone == ("999",)
    assert outcome.calls[1].call.contact.id in data.authorities[authority_id].contacts


@pytest.mark.parametrize("authority_id", ["herts", "notts", "northants"])
def test_crisis_only_puts_the_crisis_line_first_and_no_level(data, authority_id):
    outcome = run(data, authority_id, [], mental_health_crisis=True)
    assert outcome.level is None and not outcome.emergency
    assert outcome.calls[0].why == "Mental health crisis"
    assert [u.pathway.id for u in outcome.urgent] == ["mental-health-crisis"]


def test_crisis_line_comes_before_the_level_4_referral(data):
    outcome = run(data, "herts", [first_at(data, "herts", 4, pathways=())], mental_health_crisis=True)
    assert [c.why for c in outcome.calls] == ["Mental health crisis", "Level 4 referral",
                                              "Hertfordshire online referral portal"]
    assert outcome.level.level == 4


# Northamptonshire has no Level 1 item: its one Level 1 sentence describes the level.
@pytest.mark.parametrize("authority_id", ["herts", "notts"])
def test_only_level_1_ticked_is_level_1_with_no_call(data, authority_id):
    ones = [i.id for i in data.authorities[authority_id].indicators if i.level == 1][:3]
    outcome = run(data, authority_id, ones)
    assert outcome.level.level == 1
    assert outcome.call is None


def test_repeated_id_counts_once(data):
    item = first_at(data, "herts", 3)
    outcome = run(data, "herts", [item, item])
    assert [i.id for i in outcome.selected] == [item]


# ---------------------------------------------------------------------------------------
# Whom to call, by authority and level


def test_herts_level_2_names_no_number_and_sends_to_the_coordinator(data):
    outcome = run(data, "herts", [first_at(data, "herts", 2, pathways=())])
    assert outcome.level.level == 2
    assert outcome.call is None
    assert "Senior Families First Coordinator" in outcome.level.action


@pytest.mark.parametrize("level", [3, 4])
@pytest.mark.parametrize("at", [THURSDAY_10, WEDNESDAY_20, SATURDAY_20, uk(2026, 12, 25, 3, 0)])
def test_herts_levels_3_and_4_call_childrens_services(data, level, at):
    outcome = run(data, "herts", [first_at(data, "herts", level, pathways=())], at=at)
    assert outcome.call.contact.id == "herts-childrens-services"
    assert outcome.call.contact.phone[0] == "0300 123 4043"
    assert outcome.call.open_now


@pytest.mark.parametrize("level", [2, 3])
def test_notts_levels_2_and_3_call_the_early_help_unit(data, level):
    outcome = run(data, "notts", [first_at(data, "notts", level, pathways=())])
    assert outcome.call.contact.id == "notts-early-help-unit"
    assert outcome.call.contact.phone[0] == "0115 804 1248"
    assert outcome.call.open_now


@pytest.mark.parametrize("level", [2, 3])
def test_notts_early_help_unit_closed_in_the_evening_says_when_it_opens(data, level):
    outcome = run(data, "notts", [first_at(data, "notts", level, pathways=())], at=WEDNESDAY_20)
    assert outcome.call.contact.id == "notts-early-help-unit"
    assert outcome.call.open_now is False
    assert outcome.call.next_open == uk(2026, 11, 26, 9, 0)


def test_notts_level_4_mash_in_hours(data):
    outcome = run(data, "notts", [first_at(data, "notts", 4, pathways=())], at=THURSDAY_10)
    assert outcome.call.contact.id == "notts-mash"
    assert outcome.call.contact.phone[0] == "0300 500 80 90"
    assert outcome.call.open_now


@pytest.mark.parametrize("at", [WEDNESDAY_20, SATURDAY_20, uk(2026, 11, 27, 16, 30), uk(2026, 12, 25, 10, 0)])
def test_notts_level_4_edt_out_of_hours(data, at):
    outcome = run(data, "notts", [first_at(data, "notts", 4, pathways=())], at=at)
    assert outcome.call.contact.id == "notts-edt"
    assert outcome.call.contact.phone[0] == "0300 456 4546"
    assert outcome.call.open_now
    assert outcome.call.next_open is not None  # when the MASH opens again


@pytest.mark.parametrize("at,expected", [(THURSDAY_10, "northants-mash"), (WEDNESDAY_20, "northants-out-of-hours"),
                                         (SATURDAY_20, "northants-out-of-hours")])
def test_northants_level_4_mash_or_out_of_hours(data, at, expected):
    outcome = run(data, "northants", [first_at(data, "northants", 4, pathways=())], at=at)
    assert outcome.call.contact.id == expected
    assert outcome.call.open_now


@pytest.mark.parametrize("level", [2, 3])
def test_northants_levels_2_and_3_name_the_mash_for_advice(data, level):
    outcome = run(data, "northants", [first_at(data, "northants", level)])
    assert outcome.level.level == level
    assert outcome.call.contact.id == "northants-mash"
    assert outcome.call.contact.phone[0] == "0300 126 7000"
    assert "advice about the levels of need and whether to make a referral" in outcome.level.action
    assert not outcome.level.action.rstrip().endswith(":")  # no dangling "follow the:"
    assert not outcome.level.takes_referrals  # a line for advice, not a referral


# ---------------------------------------------------------------------------------------
# Social-care thresholds (Nottinghamshire 4a/4b/4c)


def test_protection_comes_before_specialist_support(data):
    outcome = run(data, "notts", ["notts-threshold-4a-01", "notts-threshold-4b-01"], conditions_confirmed=True)  # 4a's condition holds
    assert outcome.threshold == "4b"
    assert list(outcome.thresholds) == ["4b", "4a"]


def test_care_comes_before_specialist_support(data):
    outcome = run(data, "notts", ["notts-threshold-4a-02", "notts-threshold-4c-01"], conditions_confirmed=True)  # 4a's condition holds
    assert outcome.threshold == "4c"
    assert list(outcome.thresholds) == ["4c", "4a"]


def test_all_three_thresholds_in_order_of_urgency(data):
    outcome = run(data, "notts", ["notts-threshold-4a-02", "notts-threshold-4c-01", "notts-threshold-4b-03"], conditions_confirmed=True)  # 4a's condition holds
    assert list(outcome.thresholds) == ["4b", "4c", "4a"]


def test_no_threshold_without_threshold_items(data):
    outcome = run(data, "notts", [first_at(data, "notts", 4, pathways=())])
    assert outcome.threshold is None
    assert outcome.thresholds == ()


# ---------------------------------------------------------------------------------------
# Extra duties


@pytest.mark.parametrize("authority_id,item", [("notts", "notts-health-l4-12")])
def test_fgm_is_reported_to_the_police_on_101(data, authority_id, item):
    outcome = run(data, authority_id, [item], at=SATURDAY_20)
    fgm = {p.pathway.id: p for p in outcome.pathways}["fgm-police"]
    assert fgm.call.contact.phone[0] == "101"
    assert fgm.call.open_now


@pytest.mark.parametrize("item", ["herts-harmful-practices-l4-03", "herts-harmful-practices-l4-04"])
def test_herts_risk_of_fgm_is_a_referral_and_the_police_duty_only_if_known(data, item):
    outcome = run(data, "herts", [item], at=SATURDAY_20)
    routes = {p.pathway.id: p for p in outcome.pathways}
    assert "fgm-police" not in routes  # not shown as if it applied
    risk = routes["fgm-risk"]
    assert risk.call.contact.phone[0] == "0300 123 4043"
    assert "If it is a known case" in risk.pathway.action and "(101)" in risk.pathway.action


def test_herts_extremism_level_4_triggers_prevent(data):
    outcome = run(data, "herts", ["herts-extremism-radicalisation-l4-01"])
    assert "prevent" in pathway_ids(outcome)
    prevent = {p.pathway.id: p for p in outcome.pathways}["prevent"]
    assert prevent.call.contact.phone[0] == "0300 123 4043"


def test_notts_extremism_triggers_prevent_team(data):
    outcome = run(data, "notts", ["notts-identity-l4-05"], at=THURSDAY_10)
    prevent = {p.pathway.id: p for p in outcome.pathways}["prevent"]
    assert prevent.call.contact.id == "notts-prevent"


def test_item_without_duties_adds_none(data):
    outcome = run(data, "herts", [first_at(data, "herts", 4, pathways=())])
    assert outcome.pathways == ()


def test_each_duty_listed_once(data):
    outcome = run(data, "herts", ["herts-extremism-radicalisation-l4-01", "herts-extremism-radicalisation-l4-02",
                                  "herts-extremism-radicalisation-l3-01"])
    assert pathway_ids(outcome) == ["prevent"]


@pytest.mark.parametrize("authority_id,then_id", [("herts", "herts-childrens-services"), ("notts", "notts-edt"),
                                                  ("northants", "northants-out-of-hours")])
def test_immediate_danger_is_999_then_the_authority(data, authority_id, then_id):
    outcome = run(data, authority_id, [], at=SATURDAY_20, immediate_danger=True)
    assert outcome.emergency
    assert outcome.call.contact.phone[0] == "999"
    assert outcome.call.open_now
    then = outcome.calls[1].call
    assert then.contact.id == then_id
    assert then.open_now


def test_immediate_danger_at_level_4_keeps_the_level_behind_999(data):
    outcome = run(data, "notts", [first_at(data, "notts", 4, pathways=())], at=THURSDAY_10, immediate_danger=True)
    assert outcome.call.contact.phone[0] == "999"
    assert outcome.calls[1].call.contact.id == "notts-mash"
    assert outcome.level.level == 4 and outcome.headline_level is None


@pytest.mark.parametrize("at,expected", [
    (THURSDAY_10, "notts-camhs-spa"), (uk(2026, 11, 25, 19, 0), "notts-camhs-crisis"),
    (uk(2026, 11, 25, 23, 0), "emergency-999"), (uk(2026, 11, 28, 12, 0), "notts-camhs-crisis"),
])
def test_notts_mental_health_crisis_route_for_the_moment(data, at, expected):
    outcome = run(data, "notts", [], at=at, mental_health_crisis=True)
    route = {p.pathway.id: p for p in outcome.pathways}["mental-health-crisis"]
    assert route.call.contact.id == expected
    assert route.call.open_now


@pytest.mark.parametrize("authority", ["herts", "northants"])
def test_mental_health_crisis_without_a_local_route_is_nhs_111_option_2(data, authority):
    outcome = run(data, authority, [], mental_health_crisis=True)
    route = {p.pathway.id: p for p in outcome.pathways}["mental-health-crisis"]
    assert route.call.contact.phone == ("111",) and route.call.open_now
    assert "option 2" in route.call.contact.name
    assert "999" in route.pathway.action  # life at risk: still 999


def test_self_harm_item_in_notts_triggers_the_crisis_route(data):
    outcome = run(data, "notts", ["notts-emotional-behavioural-development-l4-03"], at=uk(2026, 11, 25, 19, 0))
    route = {p.pathway.id: p for p in outcome.pathways}["mental-health-crisis"]
    assert route.call.contact.id == "notts-camhs-crisis"


# ---------------------------------------------------------------------------------------
# Consent, errors, warnings


# Hertfordshire: "You must have consent from the parents, and the child when relevant, for
# services at Level 2" (issue 12), and the referral rule at Levels 3 and 4.
@pytest.mark.parametrize("level,asked", [(1, False), (2, True), (3, True), (4, True)])
def test_herts_consent_asked_at_levels_2_to_4(data, level, asked):
    outcome = run(data, "herts", [first_at(data, "herts", level, pathways=())], consent="yes")
    assert outcome.consent.asked is asked
    assert outcome.consent.answer == ("yes" if asked else None)


def test_unknown_id_is_named(data):
    herts = data.authorities["herts"]
    with pytest.raises(SelectionError, match="herts-health-l9-99"):
        resolve(herts, ["herts-health-l9-99"], data.authorities)


def test_another_authoritys_id_is_named_with_its_owner(data):
    herts = data.authorities["herts"]
    with pytest.raises(SelectionError) as error:
        resolve(herts, [first_at(data, "herts", 4), "notts-health-l4-12"], data.authorities)
    assert "notts-health-l4-12" in str(error.value)
    assert "Nottinghamshire" in str(error.value)


def test_notts_guidance_from_2018_carries_a_staleness_warning(data):
    outcome = run(data, "notts", [first_at(data, "notts", 2)])
    assert any("2018" in w and "more than 3 years" in w for w in outcome.warnings), outcome.warnings


# ---------------------------------------------------------------------------------------
# Properties

AUTHORITY_IDS = ["herts", "notts", "northants"]
WEEKS = [uk(2026, 11, 23), uk(2026, 12, 21), uk(2026, 10, 19), uk(2026, 3, 23)]  # ordinary, Christmas, both clock changes


def _ids(data, authority_id):
    return [i.id for i in data.authorities[authority_id].indicators]


@st.composite
def selections(draw, data):
    authority_id = draw(st.sampled_from(AUTHORITY_IDS))
    ids = draw(st.lists(st.sampled_from(_ids(data, authority_id)), unique=True, max_size=12))
    return authority_id, ids


@st.composite
def moments(draw):
    week = draw(st.sampled_from(WEEKS)).astimezone(UTC)
    return (week + timedelta(minutes=draw(st.integers(0, 7 * 24 * 60 - 1)))).astimezone(LONDON)


@pytest.fixture(scope="module")
def levels_of(data):
    return {a.id: {i.id: i.level for i in a.indicators} for a in data.authorities.values()}


def test_level_is_max_of_ticked(data, levels_of):
    @settings(max_examples=200, deadline=None)
    @given(selections(data))
    def check(choice):
        authority_id, ids = choice
        outcome = run(data, authority_id, ids, conditions_confirmed=True)  # every ticked criterion counts
        expected = max((levels_of[authority_id][i] for i in ids), default=None)
        assert (outcome.level.level if outcome.level else None) == expected

    check()


def test_ticking_more_never_lowers_the_level(data):
    @settings(max_examples=200, deadline=None)
    @given(selections(data), st.data())
    def check(choice, extra):
        authority_id, ids = choice
        more = extra.draw(st.sampled_from(_ids(data, authority_id)))
        before = run(data, authority_id, ids, conditions_confirmed=True).level
        after = run(data, authority_id, ids + [more], conditions_confirmed=True).level
        assert after.level >= (before.level if before else 1)

    check()


def test_level_4_always_has_a_line_that_answers(data):
    @settings(max_examples=200, deadline=None)
    @given(st.sampled_from(AUTHORITY_IDS), moments(), st.data())
    def check(authority_id, at, extra):
        fours = [i.id for i in data.authorities[authority_id].indicators if i.level == 4]
        ids = extra.draw(st.lists(st.sampled_from(fours), min_size=1, max_size=3, unique=True))
        outcome = run(data, authority_id, ids, at=at, conditions_confirmed=True)
        assert outcome.level.level == 4
        call = outcome.call
        assert call is not None
        assert call.open_now
        contacts = data.authorities[authority_id].contacts
        assert clock.is_open(call.contact, at, contacts) or call.contact.out_of_hours \
            or call.contact.id == "emergency-999"

    check()


def test_levels_2_and_3_calls_say_when_they_open(data):
    @settings(max_examples=200, deadline=None)
    @given(st.sampled_from(AUTHORITY_IDS), st.sampled_from([2, 3]), moments(), st.data())
    def check(authority_id, level, at, extra):
        candidates = [i.id for i in data.authorities[authority_id].indicators if i.level == level]
        item = extra.draw(st.sampled_from(candidates))
        outcome = run(data, authority_id, [item], at=at)
        call = outcome.call
        if call is None:
            return
        contacts = data.authorities[authority_id].contacts
        assert call.open_now == clock.is_open(call.contact, at, contacts)
        if not call.open_now:
            assert call.next_open is not None and call.next_open > at
            assert clock.is_open(call.contact, call.next_open, contacts)

    check()
