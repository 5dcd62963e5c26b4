"""Opening hours as a caller meets them: which line answers at a given moment in England,
when a closed office opens again, bank holidays and the nights the clocks change.

Every moment is fixed (no reads of the real clock) and every wall time is Europe/London,
whatever time zone the machine running the tests is in.
"""
from __future__ import annotations

import json
import time
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from triage import clock
from triage.contacts import call_now
from triage.engine import assess
from triage.selections import Selections

LONDON = ZoneInfo("Europe/London")
UTC = timezone.utc

NOTTS_EDT = "0300 456 4546"
NOTTS_MASH = "0300 500 80 90"
NORTHANTS_MASH = "0300 126 7000"
NORTHANTS_OOH = "01604 626 938"
HERTS = "0300 123 4043"


def uk(y, mo, d, h=0, mi=0, fold=0) -> datetime:
    """A UK wall-clock time."""
    return datetime(y, mo, d, h, mi, tzinfo=LONDON, fold=fold)


# ---------------------------------------------------------------------------------------
# Fixtures and helpers (conftest.py sets TRIAGE_CACHE_DIR and provides `run`)


@pytest.fixture(scope="module")
def data():
    from triage.dataset import load

    return load()


def mash_open(data, at) -> bool:
    contacts = data.authorities["notts"].contacts
    return clock.is_open(contacts["notts-mash"], at, contacts)


# ---------------------------------------------------------------------------------------
# Nottinghamshire MASH (the council's current page, SOURCES.md): Mon, Tue, Thu 08:30-17:00,
# Wed 10:30-17:00, Fri 08:30-16:30, closed on bank holidays

MON, TUE, WED, THU, FRI, SAT, SUN = (uk(2026, 11, 23 + n) for n in range(7))


@pytest.mark.parametrize("day", [MON, TUE, THU], ids=["mon", "tue", "thu"])
@pytest.mark.parametrize("hh,mm,expected", [
    (8, 29, False), (8, 30, True), (12, 0, True), (16, 29, True), (16, 30, True), (16, 59, True), (17, 0, False),
    (23, 59, False), (0, 0, False),
])
def test_notts_mash_monday_tuesday_thursday(data, day, hh, mm, expected):
    assert mash_open(data, day.replace(hour=hh, minute=mm)) is expected


@pytest.mark.parametrize("hh,mm,expected", [
    (8, 30, False), (9, 0, False), (10, 29, False), (10, 30, True), (16, 59, True), (17, 0, False),
])
def test_notts_mash_wednesday_opens_at_half_past_ten(data, hh, mm, expected):
    assert mash_open(data, WED.replace(hour=hh, minute=mm)) is expected


def test_wednesday_morning_before_half_past_ten_call_the_edt(data):
    call = call_now(data.authorities["notts"], WED.replace(hour=9, minute=0))
    assert call.contact.id == "notts-edt"
    assert call.next_open == uk(2026, 11, 25, 10, 30)
    assert call.first_choice.id == "notts-mash"


@pytest.mark.parametrize("hh,mm,expected", [
    (8, 29, False), (8, 30, True), (16, 29, True), (16, 30, False), (16, 45, False), (16, 59, False), (17, 0, False),
])
def test_notts_mash_friday_closes_at_half_past_four(data, hh, mm, expected):
    assert mash_open(data, FRI.replace(hour=hh, minute=mm)) is expected


@pytest.mark.parametrize("hh,mm", [(16, 30), (16, 45), (16, 59)])
def test_friday_after_half_past_four_call_the_edt(data, hh, mm):
    at = FRI.replace(hour=hh, minute=mm)
    call = call_now(data.authorities["notts"], at)
    assert call.contact.id == "notts-edt"
    assert call.contact.phone[0] == NOTTS_EDT
    assert call.open_now
    assert "Friday hours end at 16:30" in call.reason
    assert call.next_open == uk(2026, 11, 30, 8, 30)  # Monday 08:30
    assert call.next_open.utcoffset() == timedelta(0)


def test_friday_before_half_past_four_call_the_mash(data):
    call = call_now(data.authorities["notts"], FRI.replace(hour=16, minute=29))
    assert call.contact.id == "notts-mash"
    assert call.contact.phone[0] == NOTTS_MASH
    assert call.open_now and call.next_open is None
    assert "16:30" in call.reason  # "open now until 16:30 today"


def test_next_open_from_the_edt_side_is_the_next_morning(data):
    call = call_now(data.authorities["notts"], WED.replace(hour=17, minute=0))
    assert call.contact.id == "notts-edt"
    assert call.next_open == uk(2026, 11, 26, 8, 30)


def test_edt_is_closed_while_the_mash_is_open_and_says_when_it_takes_over(data):
    contacts = data.authorities["notts"].contacts
    edt = contacts["notts-edt"]
    assert not clock.is_open(edt, THU.replace(hour=10), contacts)
    assert clock.next_open(edt, THU.replace(hour=10), contacts) == uk(2026, 11, 26, 17, 0)
    assert clock.next_open(edt, FRI.replace(hour=10), contacts) == uk(2026, 11, 27, 16, 30)


@pytest.mark.parametrize("at", [SAT.replace(hour=h) for h in (0, 9, 12, 20)] + [SUN.replace(hour=h) for h in (0, 9, 12, 23)],
                         ids=lambda a: f"{a:%a-%H}")
def test_weekend_is_the_edt(data, at):
    call = call_now(data.authorities["notts"], at)
    assert call.contact.id == "notts-edt"
    assert call.contact.phone[0] == NOTTS_EDT
    assert call.next_open == uk(2026, 11, 30, 8, 30)


# ---------------------------------------------------------------------------------------
# Bank holidays


def test_christmas_day_2026_is_the_edt(data):
    at = uk(2026, 12, 25, 10, 0)  # a Friday
    assert at.weekday() == 4
    assert not mash_open(data, at)
    call = call_now(data.authorities["notts"], at)
    assert call.contact.id == "notts-edt"
    assert "Christmas Day" in call.reason
    # Boxing Day falls on the Saturday and is observed on Monday 28th: Tuesday 29th.
    assert call.next_open == uk(2026, 12, 29, 8, 30)


def test_boxing_day_observed_monday_is_closed(data):
    at = uk(2026, 12, 28, 10, 0)
    assert at.weekday() == 0
    assert not mash_open(data, at)
    call = call_now(data.authorities["notts"], at)
    assert call.contact.id == "notts-edt"
    assert call.next_open == uk(2026, 12, 29, 8, 30)
    assert mash_open(data, uk(2026, 12, 29, 8, 30))


def test_good_friday_2027_is_closed_until_after_easter_monday(data):
    at = uk(2027, 3, 26, 11, 0)
    assert not mash_open(data, at)
    call = call_now(data.authorities["notts"], at)
    assert call.contact.id == "notts-edt"
    assert "Good Friday" in call.reason
    # Easter Monday 29 March is a bank holiday, and the clocks went forward on the 28th.
    assert call.next_open == uk(2027, 3, 30, 8, 30)
    assert call.next_open.utcoffset() == timedelta(hours=1)


def test_easter_monday_2027_is_closed(data):
    at = uk(2027, 3, 29, 10, 0)
    assert not mash_open(data, at)
    assert call_now(data.authorities["notts"], at).contact.id == "notts-edt"
    assert not mash_open(data, uk(2027, 3, 29, 16, 0))


def test_new_years_day_2027_is_closed(data):
    at = uk(2027, 1, 1, 10, 0)  # a Friday
    assert not mash_open(data, at)
    assert call_now(data.authorities["notts"], at).next_open == uk(2027, 1, 4, 8, 30)


def test_ordinary_weekday_between_christmas_and_new_year_is_open(data):
    assert mash_open(data, uk(2026, 12, 29, 10, 0))
    assert mash_open(data, uk(2026, 12, 31, 16, 59))


# ---------------------------------------------------------------------------------------
# The nights the clocks change (2026-03-29 forward, 2026-10-25 back)


def test_skipped_time_in_march_is_read_with_fold_0():
    at = clock.parse_at("2026-03-29T01:30")
    assert at.utcoffset() == timedelta(0)  # zoneinfo's reading of a time that never happens
    assert at.astimezone(UTC) == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)


def test_repeated_time_in_october_is_the_first_one():
    at = clock.parse_at("2026-10-25T01:30")
    assert at.utcoffset() == timedelta(hours=1)
    assert at.astimezone(UTC) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


@pytest.mark.parametrize("text,expected_at", [
    ("2026-03-29T01:30", "2026-03-29T01:30:00+00:00"),
    ("2026-10-25T01:30", "2026-10-25T01:30:00+01:00"),
])
def test_cli_shows_the_offset_it_used_on_clock_change_nights(run, data, text, expected_at):
    result = run("contacts", "-a", "notts", "--at", text, "--json")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["at"] == expected_at
    assert document["call_now"]["id"] == "notts-edt"
    assert document["call_now"]["phone"] == NOTTS_EDT
    assert document["call_now"]["next_open"] in ("2026-03-30T08:30:00+01:00", "2026-10-26T08:30:00+00:00")


@pytest.mark.parametrize("fold", [0, 1])
def test_both_readings_of_the_repeated_hour_agree(data, fold):
    at = uk(2026, 10, 25, 1, 30, fold=fold)
    for authority in data.authorities.values():
        call = call_now(authority, at)
        assert call.open_now and clock.is_open(call.contact, at, authority.contacts)
    notts = call_now(data.authorities["notts"], at)
    assert notts.contact.id == "notts-edt"
    assert notts.next_open == uk(2026, 10, 26, 8, 30)


@pytest.mark.parametrize("at,expected", [
    (uk(2026, 10, 24, 20, 0), "2026-10-26T08:30:00+00:00"),  # Saturday evening before the clocks go back
    (uk(2026, 10, 23, 17, 30), "2026-10-26T08:30:00+00:00"),  # Friday evening
    (uk(2026, 10, 25, 3, 0), "2026-10-26T08:30:00+00:00"),  # Sunday, just after the change
    (uk(2026, 3, 28, 20, 0), "2026-03-30T08:30:00+01:00"),  # Saturday evening before the clocks go forward
    (uk(2026, 3, 27, 17, 0), "2026-03-30T08:30:00+01:00"),
    (uk(2026, 3, 29, 3, 0), "2026-03-30T08:30:00+01:00"),
])
def test_next_open_after_a_clock_change_is_monday_morning_local_time(data, at, expected):
    for authority, first in (("notts", "notts-mash"), ("northants", "northants-mash")):
        contacts = data.authorities[authority].contacts
        opens = clock.next_open(contacts[first], at, contacts)
        if authority == "northants":
            expected = expected.replace("08:30", "09:00")
        assert opens.isoformat() == expected
        assert opens.tzinfo is not None and opens.astimezone(LONDON).strftime("%a %H:%M") in ("Mon 08:30", "Mon 09:00")


def test_edt_hands_back_at_the_right_instant_after_the_clocks_go_back(data):
    contacts = data.authorities["notts"].contacts
    monday_0829 = uk(2026, 10, 26, 8, 29)
    monday_0830 = uk(2026, 10, 26, 8, 30)
    assert call_now(data.authorities["notts"], monday_0829).contact.id == "notts-edt"
    assert call_now(data.authorities["notts"], monday_0830).contact.id == "notts-mash"
    # 07:30 UTC is 07:30 in London after the change, not 08:30.
    assert not clock.is_open(contacts["notts-mash"], datetime(2026, 10, 26, 7, 30, tzinfo=UTC), contacts)
    assert clock.is_open(contacts["notts-mash"], datetime(2026, 10, 26, 8, 30, tzinfo=UTC), contacts)
    # In summer time 07:30 UTC is 08:30 in London.
    assert clock.is_open(contacts["notts-mash"], datetime(2026, 10, 22, 7, 30, tzinfo=UTC), contacts)


# ---------------------------------------------------------------------------------------
# Northamptonshire: MASH assumed Mon-Fri 09:00-17:00; the out-of-hours team otherwise


@pytest.mark.parametrize("at,expected_id", [
    (uk(2026, 11, 25, 9, 0), "northants-mash"),
    (uk(2026, 11, 25, 16, 59), "northants-mash"),
    (uk(2026, 11, 27, 16, 45), "northants-mash"),  # Friday: same hours as the other weekdays
    (uk(2026, 11, 25, 8, 59), "northants-out-of-hours"),
    (uk(2026, 11, 25, 17, 0), "northants-out-of-hours"),
    (uk(2026, 11, 25, 23, 0), "northants-out-of-hours"),
    (uk(2026, 11, 28, 12, 0), "northants-out-of-hours"),
    (uk(2026, 11, 29, 12, 0), "northants-out-of-hours"),
    (uk(2026, 12, 25, 12, 0), "northants-out-of-hours"),
    (uk(2026, 12, 28, 12, 0), "northants-out-of-hours"),
])
def test_northants_mash_or_out_of_hours(data, at, expected_id):
    call = call_now(data.authorities["northants"], at)
    assert call.contact.id == expected_id
    assert call.contact.phone[0] == (NORTHANTS_MASH if expected_id == "northants-mash" else NORTHANTS_OOH)
    assert call.open_now


def test_northants_out_of_hours_says_when_the_mash_opens(data):
    call = call_now(data.authorities["northants"], uk(2026, 11, 27, 17, 30))
    assert call.contact.id == "northants-out-of-hours"
    assert call.next_open == uk(2026, 11, 30, 9, 0)


def test_northants_json_call_now_carries_the_mash_assumption(run):
    result = run("contacts", "-a", "northants", "--at", "2026-11-25T10:00", "--json")
    assert result.returncode == 0, result.stderr
    now = json.loads(result.stdout)["call_now"]
    assert now["id"] == "northants-mash"
    assert now["phone"] == NORTHANTS_MASH
    assert now["assumption"] and "09:00-17:00" in now["assumption"]
    assert "01604 626938" in now["assumption"] or "01604 626 938" in now["assumption"]


# ---------------------------------------------------------------------------------------
# Hertfordshire: Children's Services answer at all times


@pytest.mark.parametrize("at", [uk(2026, 11, 25, 3, 0), uk(2026, 11, 27, 16, 45), uk(2026, 11, 28, 20, 0),
                                uk(2026, 12, 25, 12, 0), uk(2026, 3, 29, 1, 30), uk(2026, 10, 25, 1, 30, fold=1)],
                         ids=lambda a: a.isoformat())
def test_herts_childrens_services_always_answer(data, at):
    call = call_now(data.authorities["herts"], at)
    assert call.contact.id == "herts-childrens-services"
    assert call.contact.phone[0] == HERTS
    assert call.open_now and call.next_open is None


# ---------------------------------------------------------------------------------------
# Nottinghamshire mental health crisis: SPA, then the CAMHS Crisis team, then 999


@pytest.mark.parametrize("at,expected_id,phone", [
    (uk(2026, 11, 25, 10, 0), "notts-camhs-spa", "0115 854 2299"),
    (uk(2026, 11, 25, 19, 0), "notts-camhs-crisis", "0115 969 1300"),
    (uk(2026, 11, 25, 21, 59), "notts-camhs-crisis", "0115 969 1300"),
    (uk(2026, 11, 25, 22, 0), "emergency-999", "999"),
    (uk(2026, 11, 25, 23, 0), "emergency-999", "999"),
    (uk(2026, 11, 28, 12, 0), "notts-camhs-crisis", "0115 969 1300"),
    (uk(2026, 11, 28, 20, 0), "emergency-999", "999"),
    (uk(2026, 12, 25, 12, 0), "notts-camhs-crisis", "0115 969 1300"),  # bank holiday
    (uk(2026, 12, 28, 12, 0), "notts-camhs-crisis", "0115 969 1300"),  # bank holiday (observed)
], ids=lambda v: v.isoformat() if isinstance(v, datetime) else None)
def test_notts_camhs_crisis_route(data, at, expected_id, phone):
    notts = data.authorities["notts"]
    outcome = assess(notts, Selections(mental_health_crisis=True), at, data.have_ready)
    route = {p.pathway.id: p for p in outcome.pathways}["mental-health-crisis"]
    assert route.call.contact.id == expected_id
    assert route.call.contact.phone[0] == phone
    assert route.call.open_now
    assert clock.is_open(route.call.contact, at, notts.contacts)


# ---------------------------------------------------------------------------------------
# Every minute: exactly one line answers, and the line named is open


def _days(first: date, last: date):
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


SWEEP_DAYS = sorted({
    *_days(date(2026, 11, 23), date(2026, 11, 29)),  # a whole ordinary week
    *_days(date(2026, 12, 23), date(2027, 1, 4)),  # Christmas to New Year
    *_days(date(2026, 3, 27), date(2026, 3, 30)),  # clocks go forward
    *_days(date(2026, 10, 23), date(2026, 10, 26)),  # clocks go back
})


def _instants(days):
    """Every real minute (in UTC steps, so a repeated hour is covered twice and a skipped
    hour not at all) from the first day's midnight in London to the last day's end."""
    start = datetime.combine(days[0], datetime.min.time(), tzinfo=LONDON).astimezone(UTC)
    end = datetime.combine(days[-1] + timedelta(days=1), datetime.min.time(), tzinfo=LONDON).astimezone(UTC)
    step = timedelta(minutes=1)
    moment = start
    while moment < end:
        yield moment
        moment += step


def _runs(days):
    """Split sorted days into runs of consecutive days."""
    runs, current = [], [days[0]]
    for day in days[1:]:
        if day - current[-1] == timedelta(days=1):
            current.append(day)
        else:
            runs.append(current)
            current = [day]
    runs.append(current)
    return runs


@pytest.mark.parametrize("authority_id", ["notts", "northants", "herts"])
def test_every_minute_exactly_one_line_answers(data, authority_id):
    authority = data.authorities[authority_id]
    contacts = authority.contacts
    front = contacts[authority.front_door]
    cover = contacts.get(front.covered_by or "")
    problems = []
    checked = 0
    verified = set()  # next_open values already checked to be the moment the office opens
    for run in _runs(SWEEP_DAYS):
        for moment in _instants(run):
            at = moment.astimezone(LONDON)
            call = call_now(authority, at)
            checked += 1
            if not (call.open_now and clock.is_open(call.contact, at, contacts) and call.contact.phone):
                problems.append(f"{at.isoformat()}: {call.contact.id} named but not open")
            front_open = clock.is_open(front, at, contacts)
            if cover is not None:
                cover_open = clock.is_open(cover, at, contacts)
                if front_open == cover_open:
                    problems.append(f"{at.isoformat()}: {front.id} open={front_open}, {cover.id} open={cover_open}")
                expected = front if front_open else cover
                if call.contact.id != expected.id:
                    problems.append(f"{at.isoformat()}: call {call.contact.id}, expected {expected.id}")
                if not front_open:
                    opens = call.next_open
                    if opens is None or opens <= at:
                        problems.append(f"{at.isoformat()}: {front.id} next_open {opens} is not after now")
                    elif opens not in verified:
                        verified.add(opens)
                        if not clock.is_open(front, opens, contacts) \
                                or clock.is_open(front, opens - timedelta(minutes=1), contacts):
                            problems.append(f"{at.isoformat()}: {front.id} next_open {opens} is not when it opens")
            elif not front_open:
                problems.append(f"{at.isoformat()}: {front.id} closed and nothing covers it")
            if len(problems) > 20:
                break
    assert checked == len(SWEEP_DAYS) * 1440  # the 23-hour and the 25-hour day balance out
    assert not problems, "\n".join(problems[:20])


# ---------------------------------------------------------------------------------------
# --at with an offset or Z, and bad --at


@pytest.mark.parametrize("text,expected_at,expected_id", [
    ("2026-11-27T16:45:00+01:00", "2026-11-27T15:45:00+00:00", "notts-mash"),
    ("2026-11-27T16:45:00Z", "2026-11-27T16:45:00+00:00", "notts-edt"),
    ("2026-11-27T16:15:00Z", "2026-11-27T16:15:00+00:00", "notts-mash"),
    ("2026-07-03T15:45:00Z", "2026-07-03T16:45:00+01:00", "notts-edt"),  # Friday, summer time
    ("2026-07-02T07:45:00Z", "2026-07-02T08:45:00+01:00", "notts-mash"),  # a Thursday
    ("2026-07-02T07:15:00+00:00", "2026-07-02T08:15:00+01:00", "notts-edt"),
    ("2026-07-01T09:45:00Z", "2026-07-01T10:45:00+01:00", "notts-mash"),  # Wednesday, from 10:30
    ("2026-07-01T09:15:00Z", "2026-07-01T10:15:00+01:00", "notts-edt"),
    ("2026-11-27T11:45:00-05:00", "2026-11-27T16:45:00+00:00", "notts-edt"),
])
def test_at_with_an_offset_is_converted_to_uk_time(run, text, expected_at, expected_id):
    result = run("contacts", "-a", "notts", "--at", text, "--json")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["at"] == expected_at
    assert document["call_now"]["id"] == expected_id


def test_parse_at_with_offset_in_process():
    assert clock.parse_at("2026-11-27T16:45:00+01:00") == uk(2026, 11, 27, 15, 45)
    assert clock.parse_at("2026-11-27T16:45:00Z") == uk(2026, 11, 27, 16, 45)
    assert clock.parse_at("2026-11-27T16:45").utcoffset() == timedelta(0)


@pytest.mark.parametrize("command,bad", [
    (["contacts", "-a", "notts"], "tomorrow"), (["contacts", "-a", "notts"], "2026-13-01"),
    (["contacts", "-a", "notts"], "2026-11-27T25:00"), (["contacts"], ""),
    (["assess", "-a", "herts", "--json"], "tomorrow"), (["assess", "-a", "herts", "--json"], "2026-13-01"),
])
def test_bad_at_is_one_line_and_exit_2(run, command, bad):
    result = run(*command, "--at", bad)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "--at" in lines[0]
    assert result.stdout == ""


# ---------------------------------------------------------------------------------------
# The machine's time zone makes no difference


MOMENTS = ["2026-11-27T16:45", "2026-11-27T16:29", "2026-12-25T10:00", "2026-10-25T01:30",
           "2026-11-27T16:45:00+13:00"]


def _expected_call_nows(data, text):
    at = clock.parse_at(text)
    expected = {}
    for authority in data.authorities.values():
        call = call_now(authority, at)
        expected[authority.id] = (call.contact.id, call.open_now, call.next_open.isoformat() if call.next_open else None)
    return expected, at.isoformat()


@pytest.mark.parametrize("text", MOMENTS)
def test_cli_in_auckland_gives_the_same_answers_as_in_process(run, data, text):
    result = run("contacts", "--at", text, "--json", env={"TZ": "Pacific/Auckland"})
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    expected, expected_at = _expected_call_nows(data, text)
    assert document["at"] == expected_at
    got = {a["authority"]: (a["call_now"]["id"], a["call_now"]["open_now"], a["call_now"]["next_open"])
           for a in document["authorities"]}
    assert got == expected


@pytest.fixture
def far_time_zone(monkeypatch):
    """Run in-process code as if the machine were in New Zealand."""
    if not hasattr(time, "tzset"):
        pytest.skip("time.tzset is not available on this platform")
    monkeypatch.setenv("TZ", "Pacific/Auckland")
    time.tzset()
    if time.timezone == 0:  # the C library has no time zone database: nothing to test
        monkeypatch.undo()
        time.tzset()
        pytest.skip("the system has no zone data for Pacific/Auckland")
    yield
    monkeypatch.undo()
    time.tzset()


def test_in_process_answers_do_not_depend_on_the_machine_time_zone(data, far_time_zone):
    assert time.localtime(datetime(2026, 11, 27, 16, 45, tzinfo=UTC).timestamp()).tm_hour == 5  # 05:45 NZDT
    at = clock.parse_at("2026-11-27T16:45")
    assert at.utcoffset() == timedelta(0)
    call = call_now(data.authorities["notts"], at)
    assert call.contact.id == "notts-edt"
    assert call.next_open == uk(2026, 11, 30, 8, 30)
    assert mash_open(data, clock.parse_at("2026-11-27T16:29"))
    current = clock.now()
    assert current.utcoffset() == datetime.now(UTC).astimezone(LONDON).utcoffset()
    assert abs(current - datetime.now(UTC)) < timedelta(minutes=5)


# ---------------------------------------------------------------------------------------
# Where the bank holidays come from: the wheel's precomputed years, else the user's cache,
# else the `holidays` package; a stored copy counts only for the installed `holidays` release.


@pytest.fixture
def fresh_holidays(tmp_path, private_cache, monkeypatch):
    """No bank holidays in memory, and a packaged file of this test's own."""
    monkeypatch.setattr(clock, "_holidays", {})
    packaged = tmp_path / "bank-holidays.msgpack"
    monkeypatch.setattr(clock, "PACKAGED_HOLIDAYS", str(packaged))
    return packaged


def _refuse_to_compute(monkeypatch):
    def refuse(year):
        raise AssertionError("computed with the holidays package although a stored copy matched")

    monkeypatch.setattr(clock, "compute_bank_holidays", refuse)


def test_the_packaged_bank_holidays_are_used_for_the_installed_release(fresh_holidays, monkeypatch):
    from triage import cache

    cache.store(fresh_holidays, cache.header("bank-holidays", clock.holidays_stamp()),
                clock.encode_holidays({2031: {"2031-06-02": "A day only this file knows"}}))
    _refuse_to_compute(monkeypatch)
    assert clock.bank_holiday(date(2031, 6, 2)) == "A day only this file knows"


@pytest.mark.parametrize("content", ["another release", "damaged"])
def test_packaged_bank_holidays_of_another_release_or_damaged_are_ignored(content, fresh_holidays, private_cache):
    from triage import cache

    if content == "damaged":
        fresh_holidays.write_bytes(cache.header("bank-holidays", clock.holidays_stamp()) + b"\x80\x04garbage")
    else:
        cache.store(fresh_holidays, cache.header("bank-holidays", "holidays-0.1.dist-info"),
                    clock.encode_holidays({2031: {"2031-06-02": "Stale"}}))
    assert clock.bank_holiday(date(2031, 6, 2)) is None
    assert clock.bank_holiday(date(2031, 12, 25)) == "Christmas Day"
    assert (private_cache / "triage" / clock.CACHED_HOLIDAYS).exists(), "computed years are kept for the next run"


def test_computed_bank_holidays_are_reused_by_the_next_run(fresh_holidays, monkeypatch):
    assert clock.bank_holiday(date(2032, 5, 3)) == "May Day"
    monkeypatch.setattr(clock, "_holidays", {})  # as a new process starts
    _refuse_to_compute(monkeypatch)
    assert clock.bank_holiday(date(2032, 5, 3)) == "May Day"
