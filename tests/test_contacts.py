"""`triage contacts`: the JSON a script reads, the district filter, and the screen a person reads."""
from __future__ import annotations

import json
import os
import re
import sys
from datetime import datetime
from pathlib import Path

import pytest
from conftest import held_ids

REPO = Path(__file__).resolve().parent.parent
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07")
FRIDAY_1645 = "2026-11-27T16:45"


@pytest.fixture
def triage(run):
    """conftest's `run`, with the user's colour settings left out."""
    def triage_run(*args, env=None):
        return run(*args, env={"NO_COLOR": None, "FORCE_COLOR": None, **(env or {})})

    return triage_run


def contacts_json(triage, *args, env=None):
    result = triage("contacts", *args, "--json", env=env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def by_id(document):
    return {c["id"]: c for c in document["contacts"]}


# ---------------------------------------------------------------------------------------
# JSON


def test_json_structure(triage):
    document = contacts_json(triage, "-a", "notts", "--at", FRIDAY_1645)
    assert {"authority", "at", "call_now", "contacts"} <= set(document)
    assert document["authority"] == "notts"
    assert document["at"] == "2026-11-27T16:45:00+00:00"
    now = document["call_now"]
    assert {"id", "name", "phone", "open_now", "next_open", "reason"} <= set(now)
    assert now["id"] == "notts-edt"
    assert now["name"] == "Emergency Duty Team (EDT)"
    assert now["phone"] == "0300 456 4546"
    assert now["open_now"] is True
    assert now["next_open"] == "2026-11-30T08:30:00+00:00"
    assert "Friday hours end at 16:30" in now["reason"]
    assert document["contacts"], "no contacts listed"
    for entry in document["contacts"]:
        assert {"id", "name", "phone", "open_now", "next_open", "hours"} <= set(entry), entry["id"]
        assert isinstance(entry["open_now"], bool)
        assert isinstance(entry["hours"], str) and entry["hours"]
    contacts = by_id(document)
    assert contacts["notts-mash"]["phone"] == "0300 500 80 90"
    assert contacts["notts-mash"]["open_now"] is False
    assert contacts["notts-edt"]["open_now"] is True
    assert contacts["emergency-999"]["phone"] == "999"


@pytest.mark.parametrize("authority", ["notts", "northants", "herts"])
@pytest.mark.parametrize("at", [FRIDAY_1645, "2026-12-25T12:00"])
def test_next_open_is_given_exactly_when_closed(triage, authority, at):
    document = contacts_json(triage, "-a", authority, "--at", at)
    for entry in document["contacts"]:
        if entry["open_now"]:
            assert entry["next_open"] is None, entry["id"]
        else:
            assert entry["next_open"] is not None, entry["id"]
            assert datetime.fromisoformat(entry["next_open"]) > datetime.fromisoformat(document["at"]), entry["id"]


def test_call_now_next_open_is_null_while_the_front_door_is_open(triage):
    now = contacts_json(triage, "-a", "notts", "--at", "2026-11-26T10:00")["call_now"]  # a Thursday
    assert now["id"] == "notts-mash"
    assert now["open_now"] is True
    assert now["next_open"] is None


# ---------------------------------------------------------------------------------------
# Districts (Nottinghamshire)


def districts(document):
    return {c["id"] for c in document["contacts"] if c.get("district")}


def test_district_newark_keeps_newark_and_the_joint_housing_office(triage):
    document = contacts_json(triage, "-a", "notts", "--at", FRIDAY_1645, "--district", "Newark")
    assert districts(document) == {"notts-hft-newark", "notts-housing-newark-sherwood"}
    assert "notts-mash" in by_id(document)  # county-wide lines stay
    assert "notts-edt" in by_id(document)


def test_district_newark_and_sherwood_keeps_both_teams_and_housing(triage):
    document = contacts_json(triage, "-a", "notts", "--at", FRIDAY_1645, "--district", "Newark and Sherwood")
    assert districts(document) == {"notts-hft-newark", "notts-hft-sherwood", "notts-housing-newark-sherwood"}


def test_district_gedling_keeps_both_gedling_lines(triage):
    document = contacts_json(triage, "-a", "notts", "--at", FRIDAY_1645, "--district", "Gedling")
    assert districts(document) == {"notts-hft-gedling-1", "notts-hft-gedling-2", "notts-housing-gedling"}


def test_district_is_case_insensitive(triage):
    document = contacts_json(triage, "-a", "notts", "--at", FRIDAY_1645, "--district", "gedling")
    assert "notts-hft-gedling-1" in districts(document)


def test_unknown_district_names_the_known_ones(triage):
    result = triage("contacts", "-a", "notts", "--district", "Nowhere", "--at", FRIDAY_1645)
    assert result.returncode == 2
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    message = result.stderr.strip()
    assert len(message.splitlines()) == 1
    assert "Nowhere" in message
    for known in ("Ashfield", "Bassetlaw", "Broxtowe", "Gedling", "Mansfield", "Newark", "Rushcliffe"):
        assert known in message


def test_district_for_herts_is_refused(triage):
    result = triage("contacts", "-a", "herts", "--district", "Newark", "--at", FRIDAY_1645)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_district_without_authority_is_refused(triage):
    result = triage("contacts", "--district", "Newark", "--at", FRIDAY_1645, "--json")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


# ---------------------------------------------------------------------------------------
# Every authority at once


def test_without_authority_json_gives_every_held_authority(triage):
    document = contacts_json(triage, "--at", FRIDAY_1645)
    assert document["at"] == "2026-11-27T16:45:00+00:00"
    got = {a["authority"]: a["call_now"] for a in document["authorities"]}
    assert sorted(got) == held_ids() and {"herts", "notts", "northants"} <= set(got)
    assert got["herts"]["phone"] == "0300 123 4043"
    assert got["notts"]["phone"] == "0300 456 4546"
    assert got["northants"]["phone"] == "0300 126 7000"  # open until 17:00 on a Friday
    for now in got.values():
        assert now["open_now"] is True


def test_triage_authority_variable_picks_one(triage):
    document = contacts_json(triage, "--at", FRIDAY_1645, env={"TRIAGE_AUTHORITY": "notts"})
    assert document["authority"] == "notts"
    assert document["call_now"]["id"] == "notts-edt"


def test_without_authority_screen_shows_each_call_now_line(triage):
    result = triage("contacts", "--at", FRIDAY_1645, env={"COLUMNS": "80"})
    assert result.returncode == 0, result.stderr
    for name, number in (("Hertfordshire", "0300 123 4043"), ("Nottinghamshire", "0300 456 4546"),
                         ("Northamptonshire", "0300 126 7000")):
        assert name in result.stdout
        assert number in result.stdout
    assert "Friday hours end at 16:30" in result.stdout


# ---------------------------------------------------------------------------------------
# The screen: 80 columns, NO_COLOR


def _all_phones(authority):
    from triage.dataset import load

    return [p for c in load().authorities[authority].contacts.values() for p in c.phone]


@pytest.mark.parametrize("authority", ["notts", "northants", "herts"])
def test_screen_at_80_columns_with_no_color(triage, authority):
    result = triage("contacts", "-a", authority, "--at", FRIDAY_1645, env={"COLUMNS": "80", "NO_COLOR": "1"})
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "\x1b" not in out
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= 80, [line for line in lines if len(line) > 80][:3]
    phones = _all_phones(authority)
    assert phones
    for phone in phones:
        assert phone in out, f"{phone} missing or broken across lines"


def test_no_color_in_a_terminal_has_no_colour_codes():
    pexpect = pytest.importorskip("pexpect")
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "80", "TERM": "xterm-256color"}
    env.pop("TRIAGE_AUTHORITY", None)
    env.pop("FORCE_COLOR", None)
    child = pexpect.spawn(sys.executable, ["-m", "triage", "contacts", "-a", "notts", "--at", FRIDAY_1645], env=env,
                          cwd=str(REPO), dimensions=(50, 80), timeout=60, encoding="utf-8")
    child.expect(pexpect.EOF)
    out = child.before
    child.close()
    assert child.exitstatus == 0, out
    assert "0300 456 4546" in out
    assert "0300 500 80 90" in out
    # NO_COLOR (no-color.org): no colour. Any SGR sequence setting a foreground or
    # background colour counts.
    for sequence in re.findall(r"\x1b\[([0-9;]*)m", out):
        params = [p for p in sequence.split(";") if p]
        for p in params:
            n = int(p)
            assert not (30 <= n <= 49 or 90 <= n <= 107), f"colour code \\x1b[{sequence}m with NO_COLOR set"


def test_screen_without_no_color_through_a_pipe_has_no_escape_codes(triage):
    result = triage("contacts", "-a", "notts", "--at", FRIDAY_1645, env={"COLUMNS": "80"})
    assert result.returncode == 0
    assert not ANSI.search(result.stdout)
    assert "0300 456 4546" in result.stdout


@pytest.mark.parametrize("authority", ["herts", "notts", "northants"])
@pytest.mark.parametrize("columns", ["40", "80"])
def test_every_phone_number_is_shown_whole_on_one_line(triage, shipped, authority, columns):
    result = triage("contacts", "-a", authority, "--at", FRIDAY_1645, env={"COLUMNS": columns})
    assert result.returncode == 0, result.stderr
    # A field may list several numbers: "01909 533455 / 533401 / 533402".
    numbers = {n for c in shipped.authorities[authority].contacts.values() for p in c.phone for n in p.split(" / ")}
    lines = result.stdout.splitlines()
    assert all(len(line) <= int(columns) for line in lines)
    split = [n for n in numbers if not any(n in line for line in lines)]
    assert not split, f"shown split over two lines (or not at all): {split}"


def test_screen_says_when_the_mash_opens(triage):
    result = triage("contacts", "-a", "notts", "--at", FRIDAY_1645, env={"COLUMNS": "80", "NO_COLOR": "1"})
    flat = " ".join(re.sub(r"[│┃╭╮╰╯─━┏┓┗┛┡┩└┘┳╇┻┴┬┼]", " ", result.stdout).split())
    assert "next opens at 08:30 on Monday 30 November" in flat


# ---------------------------------------------------------------------------------------
# Far from London


@pytest.mark.parametrize("args,expected", [
    (["-a", "notts", "--at", "2026-11-27T16:45"], ("2026-11-27T16:45:00+00:00", "notts-edt")),
    (["-a", "notts", "--at", "2026-11-27T16:29"], ("2026-11-27T16:29:00+00:00", "notts-mash")),
    (["-a", "northants", "--at", "2026-11-28T10:00"], ("2026-11-28T10:00:00+00:00", "northants-out-of-hours")),
    (["-a", "notts", "--at", "2026-07-02T08:30"], ("2026-07-02T08:30:00+01:00", "notts-mash")),  # a Thursday
    (["-a", "notts", "--at", "2026-07-02T08:29"], ("2026-07-02T08:29:00+01:00", "notts-edt")),
    (["-a", "herts", "--at", "2026-12-25T03:00"], ("2026-12-25T03:00:00+00:00", "herts-childrens-services")),
])
def test_los_angeles_machine_gets_uk_answers(triage, args, expected):
    document = contacts_json(triage, *args, env={"TZ": "America/Los_Angeles"})
    assert (document["at"], document["call_now"]["id"]) == expected
    for entry in document["contacts"]:
        assert (entry["next_open"] is None) == entry["open_now"]


def test_a_line_standing_in_for_an_office_with_assumed_hours_says_they_are_assumed(triage):
    """Northamptonshire's MASH hours are assumed (no source gives them): on a Saturday night the
    out-of-hours team is the line to call because of them, and the screen and the JSON say so."""
    saturday_night = ("-a", "northants", "--at", "2026-11-28T22:30")
    document = contacts_json(triage, *saturday_night)
    assert document["call_now"]["id"] == "northants-out-of-hours"
    assert "No source gives the MASH's opening hours" in document["call_now"]["stands_in_for"]["assumption"]
    text = triage("contacts", *saturday_night).stdout
    box = " ".join(text[:text.index("╰")].replace("│", " ").split())
    assert "Assumed: No source gives the MASH's opening hours: weekday daytime (09:00-17:00) is assumed." in box
    weekday = contacts_json(triage, "-a", "northants", "--at", "2026-11-25T10:00")["call_now"]
    assert weekday["id"] == "northants-mash" and weekday["stands_in_for"] is None
