"""The rules of issue 12 end to end, through the command line in-process (`invoke`), at fixed
moments: linked items, lists that are not exhaustive, the MASH's last 30 minutes, FGM risk
against a known case, the national duties in every authority, and stale contacts."""
from __future__ import annotations

import json

import pytest

from test_rules import LINKED

WEDNESDAY = "2026-11-25T11:00"  # every office open
FGM_RISK_ITEMS = ["herts-harmful-practices-l4-03", "herts-harmful-practices-l4-04"]


def assess_json(invoke, *args) -> dict:
    result = invoke("assess", "--json", "--consent", "yes", *args)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def assess_text(invoke, *args) -> str:
    result = invoke("assess", "--consent", "yes", *args, env={"COLUMNS": "200"})
    assert result.returncode == 0, result.stderr
    return result.stdout


# ---------------------------------------------------------------------------------------
# Items printed twice


@pytest.mark.parametrize("table_copy,criterion,threshold", LINKED, ids=[row[0] for row in LINKED])
@pytest.mark.parametrize("ticked", ["table", "criterion", "both"])
def test_either_or_both_copies_reach_the_threshold_and_list_the_text_once(invoke, table_copy, criterion, threshold,
                                                                           ticked):
    ids = {"table": [table_copy], "criterion": [criterion], "both": [table_copy, criterion]}[ticked]
    document = assess_json(invoke, "-a", "notts", "--at", WEDNESDAY, *[f"-i{i}" for i in ids])
    assert document["level"] == 4 and document["thresholds"] == [threshold]
    assert [s["id"] for s in document["selected"]] == ids[:1]  # the first ticked copy, once


def test_both_copies_ticked_show_the_text_once_in_the_text_result(invoke):
    text = assess_text(invoke, "-a", "notts", "--at", WEDNESDAY, "-i", "notts-health-l4-04",
                       "-i", "notts-threshold-4b-06")
    ticked = text[text.index("What you ticked"):text.index("What to do")]
    assert ticked.count("Fabricated illness") == 1
    assert "same as notts-threshold-4b-06" in ticked
    assert "Threshold: 4b (Child in Need of Protection)" in text


# ---------------------------------------------------------------------------------------
# A list that is not exhaustive says so where it is shown


def test_lookup_of_the_thresholds_says_4b_is_not_exhaustive(invoke):
    result = invoke("lookup", "-a", "notts", "social-care-thresholds", env={"COLUMNS": "200"})
    assert result.returncode == 0, result.stderr
    out = result.stdout
    note = "4b (Child in Need of Protection): “Threshold Criteria include:”: the list is not exhaustive."
    assert out.count(note) == 1
    # Said before 4b's first criterion, and of no other threshold.
    assert out.index(note) < out.index("Child is likely to be physically, significantly harmed")
    assert "4a (Child in Need of Specialist" not in out and "4c (Child in Need of Care)" not in out


# ---------------------------------------------------------------------------------------
# The Nottinghamshire MASH: its last 30 minutes, and the online form


LAST_30 = "In the last 30 minutes of these opening hours each day, the MASH can only address urgent"


@pytest.mark.parametrize("at,in_rule", [("2026-11-27T16:10", True),  # Friday: closes 16:30
                                        ("2026-11-25T16:40", True),  # Wednesday: closes 17:00
                                        ("2026-11-25T16:20", False), ("2026-11-27T15:55", False)])
def test_contacts_json_says_the_last_30_minutes_rule_when_it_applies(invoke, at, in_rule):
    result = invoke("contacts", "-a", "notts", "--at", at, "--json")
    document = json.loads(result.stdout)
    assert document["call_now"]["id"] == "notts-mash"
    mash = {c["id"]: c for c in document["contacts"]}["notts-mash"]
    assert mash["closing_rule"]["minutes"] == 30
    if in_rule:
        assert document["call_now"]["note"].startswith(LAST_30)
        assert mash["closing_rule_now"].startswith(LAST_30)
    else:
        assert document["call_now"]["note"] is None and mash["closing_rule_now"] is None


@pytest.mark.parametrize("at", ["2026-11-27T16:10", "2026-11-25T16:40"])
def test_assess_says_the_last_30_minutes_rule_on_the_call_and_in_json(invoke, at):
    args = ("-a", "notts", "--at", at, "-i", "notts-threshold-4b-01")
    document = assess_json(invoke, *args)
    assert document["call"]["id"] == "notts-mash" and document["call"]["note"].startswith(LAST_30)
    assert document["calls"][0]["note"].startswith(LAST_30)
    text = assess_text(invoke, *args)
    box = text[text.index("Who to call now"):]
    assert "Now: " + LAST_30 in box[:box.index("╰")]
    short = text[text.rindex("In short"):]  # what stays on screen says it too
    assert "0300 500 80 90 (answers now: its last 30 minutes, see “Now”)" in short


def test_outside_the_last_30_minutes_the_recap_says_answers_now_only(invoke):
    text = assess_text(invoke, "-a", "notts", "--at", "2026-11-25T16:20", "-i", "notts-threshold-4b-01")
    assert "0300 500 80 90 (answers now)" in text[text.rindex("In short"):]


def test_other_calls_carry_no_note(invoke):
    document = assess_json(invoke, "-a", "notts", "--at", "2026-11-25T11:00", "-i", "notts-threshold-4b-01")
    assert document["call"]["note"] is None
    document = assess_json(invoke, "-a", "herts", "--at", "2026-11-27T16:10", "-i", "herts-health-l4-01")
    assert document["call"]["note"] is None


def test_level_4_in_notts_says_telephone_only_if_urgent_otherwise_the_online_form(invoke):
    text = assess_text(invoke, "-a", "notts", "--at", WEDNESDAY, "-i", "notts-threshold-4b-01")
    what_to_do = " ".join(text[text.index("What to do"):text.index("Who to call now")].split())
    assert "Please only telephone the MASH if your referral is urgent" in what_to_do
    assert "For referrals that are not urgent, please submit an online form" in what_to_do


# ---------------------------------------------------------------------------------------
# FGM: a risk is a referral; the police duty is for a known case


@pytest.mark.parametrize("item", FGM_RISK_ITEMS)
def test_a_risk_of_fgm_shows_the_police_duty_only_if_it_is_a_known_case(invoke, item):
    args = ("-a", "herts", "--at", WEDNESDAY, "-i", item)
    document = assess_json(invoke, *args)
    assert [p["id"] for p in document["pathways"]] == ["fgm-risk"]
    assert document["pathways"][0]["phone"] == "0300 123 4043"
    assert document["pathways"][0]["known_case"] == "fgm-police"
    assert [p["id"] for p in document["if_known_case"]] == ["fgm-police"]
    text = assess_text(invoke, *args)
    assert "Duty: Risk of FGM: refer to Children’s Services" in text
    assert "Duty: FGM" not in text  # never shown as a duty that applies
    assert "If it is a known case of FGM in a girl under 18" in text
    short = text[text.rindex("In short"):]
    assert "Only if it is a known case: FGM, a known case: report to the police: 101" in short
    assert "Risk of FGM: refer to Children’s Services: 0300 123 4043" in short


def test_a_known_case_of_fgm_is_a_duty(invoke):
    # Nottinghamshire's item "Female genital mutilation (FGM)", and Hertfordshire's risk item with the known case named.
    for args in (("-a", "notts", "-i", "notts-health-l4-12"),
                 ("-a", "herts", "-i", "herts-harmful-practices-l4-04", "--duty", "fgm-police")):
        document = assess_json(invoke, "--at", WEDNESDAY, *args)
        assert "fgm-police" in [p["id"] for p in document["pathways"]], args
        assert document["if_known_case"] == []
        text = assess_text(invoke, "--at", WEDNESDAY, *args)
        assert "Duty: FGM, a known case: report to the police" in text
        assert "Only if it is a known case" not in text


# ---------------------------------------------------------------------------------------
# The national duties, in every authority


@pytest.mark.parametrize("authority", ["herts", "notts", "northants"])
@pytest.mark.parametrize("duty,phone", [("fgm-police", "101"), ("prevent", None)])
def test_every_national_duty_is_reached_in_every_authority_by_option(invoke, authority, duty, phone):
    document = assess_json(invoke, "-a", authority, "--at", WEDNESDAY, "--duty", duty)
    assert document["status"] == "not-assessed"  # a duty is not a level
    assert [p["id"] for p in document["pathways"]] == [duty]
    assert document["pathways"][0]["phone"] == (phone or document["pathways"][0]["phone"])
    assert document["pathways"][0]["phone"]  # a line to call in every authority


def test_national_duties_from_an_answers_file_with_items(invoke, tmp_path):
    answers = tmp_path / "answers.yaml"
    answers.write_text("authority: northants\nnothing_applies: true\nduties: [prevent, fgm-police]\n")
    document = assess_json(invoke, "--answers", str(answers), "--at", WEDNESDAY)
    assert document["level"] == 1
    assert [p["id"] for p in document["pathways"]] == ["prevent", "fgm-police"]


def test_an_unknown_duty_is_refused(invoke):
    result = invoke("assess", "-a", "northants", "--duty", "fgm", "--json")
    assert result.returncode == 2
    assert "unknown duty 'fgm'" in result.stderr and "fgm-police or prevent" in result.stderr
    assert result.stdout == ""


# ---------------------------------------------------------------------------------------
# Contacts confirmed more than 12 months before the moment


def test_assess_warns_about_a_line_to_call_confirmed_more_than_12_months_before(invoke):
    document = assess_json(invoke, "-a", "notts", "--at", "2028-03-01T11:00", "-i", "notts-threshold-4b-01")
    assert document["call"]["id"] == "notts-mash" and document["call"]["confirmed"] == "2026-11"
    stale = [w for w in document["warnings"] if w.startswith("Multi-Agency Safeguarding Hub (MASH)")]
    assert stale == ["Multi-Agency Safeguarding Hub (MASH): its details were last confirmed in 2026-11, "
                     "16 months ago: check the number and hours with the authority's current pages."]
    # The same line, 12 months on, is not yet stale.
    document = assess_json(invoke, "-a", "notts", "--at", "2027-11-01T11:00", "-i", "notts-threshold-4b-01")
    assert not [w for w in document["warnings"] if w.startswith("Multi-Agency")]


def test_contacts_json_gives_confirmed_for_every_contact(invoke):
    document = json.loads(invoke("contacts", "-a", "northants", "--json", "--at", WEDNESDAY).stdout)
    assert all(c["confirmed"] for c in document["contacts"])
    assert document["call_now"]["confirmed"]


# ---------------------------------------------------------------------------------------
# Consent refused, no exception named: the recap says to ask first


@pytest.mark.parametrize("args, asks_first", [
    (("--consent", "no"), True),
    (("--consent", "no", "--consent-exception", "1"), False),
    (("--consent", "yes"), False),
])
@pytest.mark.parametrize("authority, item", [("notts", "notts-family-social-relationships-l3-03"),
                                             ("herts", "herts-health-l4-01")])
def test_consent_refused_without_an_exception_is_in_the_recap(invoke, authority, item, args, asks_first):
    text = assess_text(invoke, "-a", authority, "-i", item, "--at", WEDNESDAY, *args)
    short = [line for line in text[text.rindex("In short"):].splitlines()[1:] if line.strip()]
    said = "Consent: ask the parents before you refer, unless an exception applies." in short
    assert said == asks_first, short
    assert len(short) <= 7, short  # with the rule, the 8 lines that stay on screen at 80x24
