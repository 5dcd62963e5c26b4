"""The rules around the items (triage.rules) on the shipped data, at fixed moments: the 4a
condition, items printed twice, consent per level, national duties in every authority,
contacts as current sources say, when to follow up, and stale contacts."""
from __future__ import annotations

import re
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from triage import clock, rules

LONDON = ZoneInfo("Europe/London")


def uk(y, mo, d, h=0, mi=0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=LONDON)


@pytest.fixture(scope="module")
def data():
    from triage.dataset import load

    return load()


@pytest.fixture(scope="module")
def notts(data):
    return data.authorities["notts"]


def items(authority, *ids):
    by_id = {i.id: i for i in authority.indicators}
    return tuple(by_id[i] for i in ids)


YOUNG_CARER = "notts-threshold-4a-05"  # "Child is a young carer"
ISSUES_NOT_RESOLVED = "Issues not resolved by interventions at Levels 1-3"


# ---------------------------------------------------------------------------------------
# Nottinghamshire 4a: "Issues not resolved by interventions at Levels 1-3 and:"


def test_4a_criterion_alone_without_the_condition_reaches_no_threshold_and_no_level(notts):
    decision = rules.decide_thresholds(notts, items(notts, YOUNG_CARER))
    assert decision.applied == ()
    assert decision.counted == ()  # the level comes from the other items: there are none
    [why] = decision.not_applied
    assert why.threshold == "4a" and why.items == (YOUNG_CARER,)
    assert why.condition.text == ISSUES_NOT_RESOLVED
    assert ISSUES_NOT_RESOLVED in why.reason and "not confirmed" in why.reason


def test_4a_criterion_with_the_condition_confirmed_reaches_4a(notts):
    decision = rules.decide_thresholds(notts, items(notts, YOUNG_CARER), {"4a": True})
    assert decision.applied == ("4a",)
    assert decision.not_applied == ()
    assert [i.id for i in decision.counted] == [YOUNG_CARER]


def test_4a_condition_answered_no_says_so_and_the_level_comes_from_the_other_items(notts):
    level_3 = next(i for i in notts.indicators if i.level == 3)
    decision = rules.decide_thresholds(notts, items(notts, YOUNG_CARER, level_3.id), {"4a": False})
    assert decision.applied == ()
    assert [i.id for i in decision.counted] == [level_3.id]
    assert "you said it does not hold" in decision.not_applied[0].reason


def test_4b_and_4c_have_no_condition(notts):
    decision = rules.decide_thresholds(notts, items(notts, "notts-threshold-4b-01", "notts-threshold-4c-01"))
    assert decision.applied == ("4b", "4c") and decision.not_applied == ()


def test_the_condition_is_asked_once_for_several_4a_criteria(notts):
    asked = rules.conditions_to_ask(notts, items(notts, "notts-threshold-4a-01", YOUNG_CARER, "notts-threshold-4b-01"))
    assert [(c.key, c.text) for c in asked] == [("4a", ISSUES_NOT_RESOLVED)]
    assert rules.conditions_to_ask(notts, items(notts, "notts-threshold-4b-01")) == ()


def test_only_4b_says_its_criteria_list_is_not_exhaustive(notts):
    assert notts.thresholds["4b"].not_exhaustive == "Threshold Criteria include:"
    assert notts.thresholds["4a"].not_exhaustive is None and notts.thresholds["4c"].not_exhaustive is None


# ---------------------------------------------------------------------------------------
# The six Nottinghamshire texts printed both in the Level 4 tables and as 4b/4c criteria

LINKED = [
    ("notts-health-l4-04", "notts-threshold-4b-06", "4b"),  # Fabricated illness
    ("notts-health-l4-03", "notts-threshold-4b-08", "4b"),  # Non-organic failure to thrive
    ("notts-education-learning-l4-05", "notts-threshold-4b-03", "4b"),  # Significant developmental delay ...
    ("notts-family-social-relationships-l4-07", "notts-threshold-4b-07", "4b"),  # Forced marriage of a minor
    ("notts-family-history-functioning-l4-04", "notts-threshold-4c-02", "4c"),  # Parents are deceased ...
    ("notts-family-history-functioning-l4-06", "notts-threshold-4c-03", "4c"),  # Parents are in prison ...
]


@pytest.mark.parametrize("table_copy,criterion,threshold", LINKED, ids=[row[0] for row in LINKED])
@pytest.mark.parametrize("tick", ["table", "criterion"])
def test_ticking_either_copy_reaches_the_same_threshold(notts, table_copy, criterion, threshold, tick):
    ticked = table_copy if tick == "table" else criterion
    decision = rules.decide_thresholds(notts, items(notts, ticked))
    assert decision.applied == (threshold,)
    assert [i.id for i in decision.counted] == [ticked]  # one tick, one item counted
    assert {i.id for i in rules.with_copies(notts, items(notts, ticked))} == {table_copy, criterion}


def test_exactly_the_six_pairs_are_linked(notts):
    links = rules.linked_copies(notts)
    assert {(a, links[a]) for a, _, _ in LINKED} == {(a, (b,)) for a, b, _ in LINKED}
    assert len(links) == 12


# ---------------------------------------------------------------------------------------
# Consent and referral steps per level


def test_herts_level_2_consent_is_its_own(data):
    herts = data.authorities["herts"]
    rule = rules.consent_for(herts, 2)
    assert rule.summary == "You must have consent from the parents, and the child when relevant, for services at Level 2."
    assert rule.source.endswith("Additional – level 2")
    assert rules.consent_for(herts, 3).summary == "You need to have parental consent before submitting a referral."
    assert rules.consent_for(herts, 1) is None


def test_notts_level_2_and_3_consent_is_the_early_help_units(notts):
    for level in (2, 3):
        rule = rules.consent_for(notts, level)
        assert rule.summary.startswith("All referrals will need to evidence that consent has been provided")
        assert "MASH" not in rule.summary
        assert "C1 The Early Help Unit" in rule.source
        assert rule.exceptions == ("attendance matters", "assistance in applications for parenting contracts, "
                                   "parenting orders, acceptable behaviour contracts and anti-social behaviour orders")
        assert rules.referral_steps(notts, level) == ()  # the MASH's steps belong to Level 4


def test_notts_mash_consent_and_steps_at_level_4_only(notts):
    rule = rules.consent_for(notts, 4)
    assert "raising the concern to the MASH" in rule.summary
    assert "C2" in rule.source
    assert any("MASH" in step for step in rules.referral_steps(notts, 4))
    assert rules.consent_for(notts, 1) is None


def test_northants_consent_is_the_mash_reporting_rule_at_levels_3_and_4(data):
    northants = data.authorities["northants"]
    assert rules.consent_for(northants, 2) is None
    assert rules.consent_for(northants, 3) is rules.consent_for(northants, 4)


# ---------------------------------------------------------------------------------------
# Northamptonshire Levels 2 and 3: the MASH, for advice


@pytest.mark.parametrize("number", [2, 3])
def test_northants_levels_2_and_3_name_the_mash_for_advice(data, number):
    northants = data.authorities["northants"]
    level = northants.levels[number]
    contact = northants.contacts[level.call]
    assert contact.phone == ("0300 126 7000",)
    assert "If you need advice about the levels of need and whether to make a referral" in level.action
    assert "0300 126 7000" in level.action
    assert "follow the:" not in level.action
    assert level.takes_referrals is False
    assert "not bundled" in northants.notice


# ---------------------------------------------------------------------------------------
# National duties in every authority

NATIONAL = ("fgm-police", "prevent", "designated-officer", "mental-health-crisis")


@pytest.mark.parametrize("authority_id", ["herts", "notts", "northants"])
@pytest.mark.parametrize("duty", NATIONAL)
def test_every_national_duty_is_present_with_a_line_to_call(data, authority_id, duty):
    authority = data.authorities[authority_id]
    pathway = authority.pathways[duty]
    assert "SOURCES.md" in pathway.source or authority_id == "notts" and duty == "mental-health-crisis"
    contact = authority.contacts[pathway.contact]
    assert contact.phone, f"{authority_id} {duty}: a line to call"


def test_fgm_duty_is_for_a_known_case_in_sentence_case(data):
    for authority in data.authorities.values():
        action = authority.pathways["fgm-police"].action
        assert action[0].isupper() and "a known case of FGM in a girl under 18" in action
        assert authority.contacts[authority.pathways["fgm-police"].contact].phone == ("101",)


def test_mental_health_crisis_is_nhs_111_option_2_unless_the_local_source_names_a_route(data):
    for authority_id in ("herts", "northants"):
        route = data.authorities[authority_id].pathways["mental-health-crisis"]
        contact = data.authorities[authority_id].contacts[route.contact]
        assert contact.phone == ("111",) and contact.hours.always and "option 2" in contact.routing
        assert "999" in route.action
    local = data.authorities["notts"].pathways["mental-health-crisis"]
    assert local.contact == "notts-camhs-spa" and "notts-pathway-to-provision-v8.txt, D5" in local.source


@pytest.mark.parametrize("authority_id,line", [("herts", "0300 123 4043"), ("notts", "0300 500 80 90"),
                                               ("northants", "0300 126 7000")])
def test_designated_officer_without_a_sourced_number_says_so_and_names_the_line(data, authority_id, line):
    authority = data.authorities[authority_id]
    route = authority.pathways["designated-officer"]
    assert "within one working day" in route.action and "do not investigate or approach the person first" in route.action
    assert "also refer to children's social care" in route.action
    assert route.assumption.startswith("No source gives") and line in route.assumption
    assert authority.contacts[route.contact].phone[0] == line


@pytest.mark.parametrize("authority_id", ["northants", "herts"])
def test_prevent_goes_through_the_local_authority_with_999_for_immediate_risk(data, authority_id):
    route = data.authorities[authority_id].pathways["prevent"]
    assert "Call 999 where there is an immediate risk of harm." in route.action
    assert route.assumption  # no source names the authority's Prevent route


def test_herts_risk_of_fgm_points_to_childrens_services_and_the_duty_only_if_known(data):
    herts = data.authorities["herts"]
    route = herts.pathways["fgm-risk"]
    assert herts.contacts[route.contact].phone == ("0300 123 4043",)
    assert "If it is a known case" in route.action
    for item in items(herts, "herts-harmful-practices-l4-03", "herts-harmful-practices-l4-04"):
        assert item.pathways == ("fgm-risk",)


# ---------------------------------------------------------------------------------------
# Contacts as the current sources say


@pytest.mark.parametrize("at,open_now", [(uk(2026, 11, 25, 8, 30), False), (uk(2026, 11, 25, 9, 0), False),
                                         (uk(2026, 11, 25, 10, 29), False), (uk(2026, 11, 25, 10, 30), True)],
                         ids=["08:30", "09:00", "10:29", "10:30"])
def test_notts_mash_on_a_wednesday_morning(notts, at, open_now):
    mash = notts.contacts["notts-mash"]
    assert clock.is_open(mash, at, notts.contacts) is open_now
    assert "08:30" in mash.note and "10:30" in mash.note  # v8's reading kept, the newer one used


def test_notts_mash_lines_and_online_form(notts):
    assert notts.contacts["notts-mash-consultation"].phone == ("0115 977 4247",)
    form = notts.contacts["notts-mash-online-form"]
    assert form.url == "www.nottinghamshire.gov.uk/MASH" and "not urgent" in form.for_
    assert "only telephone the MASH if your referral is urgent" in notts.levels[4].action


@pytest.mark.parametrize("at,expected", [
    (uk(2026, 11, 23, 16, 29), False), (uk(2026, 11, 23, 16, 30), True), (uk(2026, 11, 23, 16, 59), True),
    (uk(2026, 11, 23, 17, 0), False),  # closed: the EDT answers, no MASH rule
    (uk(2026, 11, 27, 15, 59), False), (uk(2026, 11, 27, 16, 0), True),  # Friday closes at 16:30
    (uk(2026, 11, 25, 10, 45), False),
])
def test_notts_mash_last_30_minutes_rule(notts, at, expected):
    note = clock.closing_rule_note(notts.contacts["notts-mash"], at, notts.contacts)
    assert (note is not None) is expected
    if expected:
        assert "only address urgent safeguarding referrals" in note


def test_no_closing_rule_for_other_lines(notts):
    assert clock.closing_rule_note(notts.contacts["notts-early-help-unit"], uk(2026, 11, 23, 16, 15), notts.contacts) is None


@pytest.mark.parametrize("at,open_now", [
    (uk(2026, 11, 28, 20, 0), False),  # Saturday evening: weekends 09:00-18:00
    (uk(2026, 11, 28, 17, 59), True), (uk(2026, 11, 29, 18, 0), False), (uk(2026, 11, 29, 9, 0), True),
    (uk(2026, 11, 27, 21, 59), True), (uk(2026, 11, 27, 22, 0), False), (uk(2026, 11, 27, 7, 59), False),
    (uk(2026, 12, 25, 12, 0), False),  # bank holiday: assumed closed
])
def test_nspcc_telephone_hours(data, at, open_now):
    contacts = data.authorities["herts"].contacts
    nspcc = contacts["nspcc-helpline"]
    assert clock.is_open(nspcc, at, contacts) is open_now
    assert "bank holidays" in nspcc.assumption and "help@nspcc.org.uk" in nspcc.email


def test_nspcc_on_a_weekend_evening_says_when_it_opens(data):
    contacts = data.authorities["herts"].contacts
    assert clock.next_open(contacts["nspcc-helpline"], uk(2026, 11, 28, 20, 0), contacts) == uk(2026, 11, 29, 9, 0)


def test_notts_family_service_lines(notts):
    phones = {c.phone[0] for c in notts.contacts.values() if c.id.startswith("notts-family-service-")}
    assert phones == {"0115 804 1465", "0115 854 6438", "0115 804 0346"}


def test_every_contact_says_when_it_was_confirmed(data):
    for authority in data.authorities.values():
        for contact in authority.contacts.values():
            assert contact.confirmed and len(contact.confirmed) == 7, contact.id


# ---------------------------------------------------------------------------------------
# When to follow up


@pytest.mark.parametrize("at,expected", [
    (uk(2026, 11, 23, 10, 0), "2026-11-24"),  # Monday -> Tuesday
    (uk(2026, 11, 27, 16, 0), "2026-11-30"),  # Friday -> Monday, across the weekend
    (uk(2026, 11, 28, 12, 0), "2026-11-30"),  # Saturday -> Monday
    (uk(2026, 11, 29, 23, 59), "2026-11-30"),  # Sunday night -> Monday
    (uk(2026, 12, 23, 15, 0), "2026-12-24"),  # Wednesday -> Christmas Eve, a working day
    (uk(2026, 12, 24, 15, 0), "2026-12-29"),  # Christmas Day (Fri), weekend, Boxing Day (Mon 28, substitute)
    (uk(2026, 12, 31, 15, 0), "2027-01-04"),  # New Year's Day (Fri), weekend
    (uk(2026, 4, 2, 12, 0), "2026-04-07"),  # Good Friday, weekend, Easter Monday
])
def test_follow_up_by(at, expected):
    assert rules.follow_up_by(at) == expected


def test_follow_up_by_uses_the_uk_date_of_the_moment():
    # 23:30 UTC on Thursday 2 July 2026 is 00:30 on Friday in the UK (summer time).
    assert rules.follow_up_by(datetime(2026, 7, 2, 23, 30, tzinfo=timezone.utc)) == "2026-07-06"


# ---------------------------------------------------------------------------------------
# Stale contacts


def test_contact_from_a_2018_document_is_stale_in_2026(notts):
    warning = rules.stale_warning(notts.contacts["notts-early-help-unit"], uk(2026, 11, 25, 10, 0))
    assert warning and "2018-12" in warning and "95 months ago" in warning


@pytest.mark.parametrize("at,stale", [(uk(2027, 11, 30, 12, 0), False), (uk(2027, 12, 1, 9, 0), True)])
def test_contact_confirmed_more_than_12_months_before_the_moment_is_stale(notts, at, stale):
    mash = notts.contacts["notts-mash"]  # confirmed 2026-11
    assert (rules.stale_warning(mash, at) is not None) is stale


def test_stale_warnings_once_per_contact_and_none_for_fresh(notts):
    contacts = notts.contacts
    at = uk(2026, 11, 25, 10, 0)
    warnings = rules.stale_warnings([contacts["notts-mash"], contacts["notts-early-help-unit"],
                                     contacts["notts-early-help-unit"]], at)
    assert len(warnings) == 1 and warnings[0].startswith("Early Help Unit")


# ---------------------------------------------------------------------------------------
# Through the command line


def test_contacts_json_says_when_each_contact_was_confirmed(run):
    import json

    result = run("contacts", "-a", "notts", "--at", "2026-11-25T09:00", "--json")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    confirmed = {c["id"]: c["confirmed"] for c in document["contacts"]}
    assert confirmed["notts-mash"] == "2026-11" and confirmed["notts-early-help-unit"] == "2018-12"
    assert all(re.fullmatch(r"\d{4}-\d{2}", value) for value in confirmed.values())
    # Wednesday 09:00: the MASH opens at 10:30, so the Emergency Duty Team answers.
    assert document["call_now"]["id"] == "notts-edt" and document["call_now"]["confirmed"] == "2026-11"
    assert document["call_now"]["next_open"] == "2026-11-25T10:30:00+00:00"


def test_contacts_json_nspcc_on_a_weekend_evening(run):
    import json

    result = run("contacts", "-a", "herts", "--at", "2026-11-28T20:00", "--json")
    nspcc = {c["id"]: c for c in json.loads(result.stdout)["contacts"]}["nspcc-helpline"]
    assert nspcc["open_now"] is False
    assert nspcc["next_open"] == "2026-11-29T09:00:00+00:00"
