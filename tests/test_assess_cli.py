"""`triage assess` without a terminal: options, answers files, the record file, and what must
never be left behind on the machine."""
from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
WHEN = "2026-11-26T10:00"  # a Thursday morning: every office is open (the Notts MASH opens at 10:30 on Wednesdays)
HERTS_L4 = "herts-extremism-radicalisation-l4-01"  # Level 4, triggers Prevent
HERTS_L2 = "herts-health-l2-01"


def one_line_error(result, code=2):
    assert result.returncode == code, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def assess_json(run, *args, env=None, cwd=None):
    result = run("assess", *args, "--json", env=env, cwd=cwd)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


# ---------------------------------------------------------------------------------------
# JSON


def test_json_fields(run):
    document = assess_json(run, "-a", "herts", "-i", HERTS_L4, "--at", WHEN)
    assert document["authority"] == "herts"
    assert document["at"] == "2026-11-26T10:00:00+00:00"
    assert document["immediate_danger"] is False
    assert document["level"] == 4
    assert document["level_name"] == "Specialist"
    assert document["threshold"] is None
    assert document["thresholds"] == []
    [selected] = document["selected"]
    assert selected["id"] == HERTS_L4
    assert selected["domain"] == "extremism-radicalisation"
    assert selected["level"] == 4
    assert selected["text"].startswith("Child expresses beliefs that extreme violence")
    assert "refer to Children Services" in document["action"]
    assert [s["name"] for s in document["services"]] == ["Children’s Services"]
    prevent = {p["id"]: p for p in document["pathways"]}["prevent"]
    assert prevent["name"] and prevent["phone"] == "0300 123 4043"
    assert document["consent"]["required"] is True
    call = document["call"]
    assert {"id", "name", "phone", "open_now", "next_open", "reason"} <= set(call)
    assert call["id"] == "herts-childrens-services"
    assert call["phone"] == "0300 123 4043"
    assert call["open_now"] is True
    assert call["next_open"] is None
    assert call["reason"]


def test_json_notts_thresholds(run):
    document = assess_json(run, "-a", "notts", "-i", "notts-threshold-4a-01", "-i", "notts-threshold-4b-01",
                           "--condition-confirmed", "--at", WHEN)
    assert document["threshold"] == "4b"
    assert document["thresholds"] == ["4b", "4a"]
    assert document["call"]["phone"] == "0300 500 80 90"


def test_authority_name_is_accepted(run):
    document = assess_json(run, "-a", "Hertfordshire", "-i", HERTS_L2, "--at", WHEN)
    assert document["authority"] == "herts"
    assert document["level"] == 2
    assert document["call"] is None


def test_triage_authority_variable(run):
    document = assess_json(run, "-i", HERTS_L2, "--at", WHEN, env={"TRIAGE_AUTHORITY": "herts"})
    assert document["authority"] == "herts"


def test_consent_answer_is_recorded_at_level_4(run):
    document = assess_json(run, "-a", "herts", "-i", HERTS_L4, "--at", WHEN, "--consent", "yes")
    assert document["consent"]["required"] is True
    assert document["consent"]["answer"] == "yes"


def test_immediate_danger_alone_is_999_not_a_level(run):
    document = assess_json(run, "-a", "herts", "--immediate-danger", "--at", WHEN)
    assert document["emergency"] is True and document["immediate_danger"] is True
    assert document["status"] == "emergency"
    assert document["level"] is None and document["level_indicated"] is None
    assert document["call"]["phone"] == "999"
    assert [c["phone"] for c in document["calls"]] == ["999", "0300 123 4043"]
    assert document["then_call"]["phone"] == "0300 123 4043"


def test_immediate_danger_with_a_level_4_item_still_leads_with_999(run):
    document = assess_json(run, "-a", "herts", "--immediate-danger", "-i", HERTS_L4, "--at", WHEN)
    assert document["level"] is None and document["level_indicated"] == 4
    assert document["call"]["phone"] == "999"


def test_no_indicator_and_no_nothing_applies_is_refused(run):
    line = one_line_error(run("assess", "-a", "herts", "--json"))
    assert "--nothing-applies" in line and "--indicator" in line


def test_nothing_applies_is_level_1_said_on_purpose(run):
    document = assess_json(run, "-a", "herts", "--nothing-applies", "--at", WHEN)
    assert document["level"] == 1 and document["nothing_applies"] is True
    assert document["status"] == "level"


def test_nothing_applies_with_an_indicator_is_refused(run):
    line = one_line_error(run("assess", "-a", "herts", "--nothing-applies", "-i", HERTS_L2, "--json"))
    assert "--nothing-applies" in line and "--indicator" in line


@pytest.mark.parametrize("authority,phone", [("herts", "111"), ("northants", "111"), ("notts", "0115 854 2299")])
def test_mental_health_crisis_alone_works_without_a_terminal(run, authority, phone):
    document = assess_json(run, "-a", authority, "--mental-health-crisis", "--at", WHEN)
    assert document["status"] == "urgent" and document["level"] is None  # the route leads, no level
    assert document["calls"][0]["why"] == "Mental health crisis"
    assert document["call"]["phone"] == phone
    assert [u["id"] for u in document["urgent"]] == ["mental-health-crisis"]


def test_mental_health_crisis_comes_before_the_referral_line(run):
    document = assess_json(run, "-a", "herts", "--mental-health-crisis", "-i", HERTS_L4, "--at", WHEN)
    assert [c["phone"] for c in document["calls"]] == ["111", "0300 123 4043", None]  # then the online portal
    assert document["calls"][2]["url"] == "www.hertfordshire.gov.uk/childprotection"
    assert document["level"] == 4


@pytest.mark.parametrize("authority,phone", [("herts", "0300 123 4043"), ("notts", "0300 500 80 90"),
                                             ("northants", "0300 126 7000")])
def test_allegation_works_without_a_terminal_in_every_authority(run, authority, phone):
    document = assess_json(run, "-a", authority, "--allegation", "--at", WHEN)
    route = document["urgent"][0]
    assert route["id"] == "designated-officer"
    assert route["phone"] == phone  # the line that can put you through to the designated officer
    assert phone in route["assumption"]  # no sourced LADO number: said as an assumption


def test_consent_exception_by_number(run):
    document = assess_json(run, "-a", "herts", "-i", HERTS_L4, "--consent-exception", "3", "--at", WHEN)
    assert document["consent"]["answer"] == "no"
    assert document["consent"]["exceptions_apply"] == [document["consent"]["exceptions"][2]]


@pytest.mark.parametrize("args,mentions", [
    (["--consent-exception", "9"], "1 to 3"),
    (["--consent", "yes", "--consent-exception", "1"], "--consent no"),
])
def test_bad_consent_exception_is_one_line(run, args, mentions):
    assert mentions in one_line_error(run("assess", "-a", "herts", "-i", HERTS_L4, *args, "--json"))


def test_answers_file_carries_the_urgent_routes_and_exceptions(run, tmp_path):
    answers = tmp_path / "answers.yaml"
    answers.write_text("authority: herts\nallegation: true\nmental_health_crisis: true\n"
                       f"indicators: [{HERTS_L4}]\nconsent_exceptions: [1]\nat: '{WHEN}'\n", encoding="utf-8")
    document = assess_json(run, "--answers", str(answers))
    assert [u["id"] for u in document["urgent"]] == ["mental-health-crisis", "designated-officer"]
    assert document["consent"]["exceptions_apply"] == [document["consent"]["exceptions"][0]]


def test_answers_file_nothing_applies(run, tmp_path):
    answers = tmp_path / "answers.yaml"
    answers.write_text(f"authority: notts\nnothing_applies: true\nat: '{WHEN}'\n", encoding="utf-8")
    assert assess_json(run, "--answers", str(answers))["level"] == 1


def test_immediate_danger_alone_on_screen(run):
    result = run("assess", "-a", "notts", "--immediate-danger", "--at", "2026-11-28T20:00", env={"COLUMNS": "80"})
    assert result.returncode == 0, result.stderr
    assert "999" in result.stdout
    assert "0300 456 4546" in result.stdout  # then the Emergency Duty Team


# ---------------------------------------------------------------------------------------
# Answers files


def test_answers_file_yaml_and_json_match_the_options(run, tmp_path):
    options = assess_json(run, "-a", "notts", "-i", "notts-health-l4-12", "-i", "notts-threshold-4c-01",
                          "--consent", "no", "--mental-health-crisis", "--at", "2026-11-28T12:00")
    yaml_file = tmp_path / "answers.yaml"
    yaml_file.write_text("authority: notts\n"
                         "indicators:\n  - notts-health-l4-12\n  - notts-threshold-4c-01\n"
                         "consent: no\nmental_health_crisis: true\nat: \"2026-11-28T12:00\"\n", encoding="utf-8")
    json_file = tmp_path / "answers.json"
    json_file.write_text(json.dumps({"authority": "notts", "indicators": ["notts-health-l4-12", "notts-threshold-4c-01"],
                                     "consent": "no", "mental_health_crisis": True, "at": "2026-11-28T12:00"}),
                         encoding="utf-8")
    from_yaml = assess_json(run, "--answers", str(yaml_file))
    from_json = assess_json(run, "--answers", str(json_file))
    assert from_yaml == options
    assert from_json == options
    assert options["level"] == 4
    assert options["consent"]["answer"] == "no"
    assert {"fgm-police", "mental-health-crisis"} <= {p["id"] for p in options["pathways"]}


def test_answers_file_with_an_unquoted_yaml_time(run, tmp_path):
    answers = tmp_path / "answers.yaml"
    answers.write_text("authority: notts\nindicators: [notts-threshold-4b-01]\nat: 2026-07-03T16:45:00+01:00\n",
                       encoding="utf-8")
    from_file = assess_json(run, "--answers", str(answers))
    options = assess_json(run, "-a", "notts", "-i", "notts-threshold-4b-01", "--at", "2026-07-03T16:45:00+01:00")
    assert from_file["at"] == options["at"] == "2026-07-03T16:45:00+01:00"
    assert from_file["call"]["id"] == options["call"]["id"] == "notts-edt"


@pytest.mark.parametrize("content,mentions", [
    ("authority: herts\nindicators: [herts-health-l4-01\n", "answers"),  # unclosed list
    ('{"authority": "herts", "indicators": ["herts-health-l4-01"]', "answers"),  # unclosed JSON
    ("authority: herts\nname: Jo Bloggs\nindicators: [herts-health-l4-01]\n", "name"),  # unknown key
    ("- herts-health-l4-01\n", "answers"),  # not a mapping
    ("authority: herts\nindicators: [herts-health-l9-99]\n", "herts-health-l9-99"),  # unknown id
    ("authority: herts\nindicators: [notts-health-l4-12]\n", "notts-health-l4-12"),  # another authority's id
    ("authority: herts\nimmediate_danger: perhaps\n", "immediate_danger"),
    ("authority: herts\nconsent: maybe\n", "answers.yaml: 'consent' takes yes or no, not 'maybe'"),
])
def test_bad_answers_file_is_one_line(run, tmp_path, content, mentions):
    answers = tmp_path / "answers.yaml"
    answers.write_text(content, encoding="utf-8")
    line = one_line_error(run("assess", "--answers", str(answers), "--json"))
    assert mentions in line
    assert not list(tmp_path.glob("*.md"))


def test_missing_answers_file_is_one_line(run, tmp_path):
    line = one_line_error(run("assess", "--answers", str(tmp_path / "nope.yaml"), "--json"))
    assert "nope.yaml" in line


@pytest.mark.parametrize("args,mentions", [
    (["-a", "herts", "-i", "herts-health-l9-99"], "herts-health-l9-99"),
    (["-a", "herts", "-i", "notts-health-l4-12"], "notts-health-l4-12"),
    (["-a", "herts", "-i", HERTS_L4, "--consent", "maybe"], "maybe"),
    (["-a", "nowhere", "-i", HERTS_L4], "nowhere"),
    (["-i", HERTS_L4], "authority"),
])
def test_bad_options_are_one_line(run, args, mentions):
    result = run("assess", *args, "--json")
    line = one_line_error(result)
    assert mentions in line
    assert result.stdout == ""


def test_another_authoritys_id_says_whose_it_is(run):
    line = one_line_error(run("assess", "-a", "herts", "-i", "notts-health-l4-12", "--json"))
    assert "Nottinghamshire" in line


def test_no_terminal_and_no_options_says_what_to_pass(run):
    result = run("assess")  # stdin is /dev/null: nobody to ask
    line = one_line_error(result)
    assert "--authority" in line
    assert "--indicator" in line or "--answers" in line
    assert result.stdout == ""


def test_no_terminal_with_only_an_authority_says_what_to_pass(run):
    line = one_line_error(run("assess", "-a", "herts"))
    assert "--indicator" in line or "--answers" in line


# ---------------------------------------------------------------------------------------
# The record file


def _listing(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


def test_output_markdown_is_private_and_alone(run, tmp_path):
    record = tmp_path / "rec.md"
    result = run("assess", "-a", "herts", "-i", HERTS_L4, "--at", WHEN, "--output", str(record))
    assert result.returncode == 0, result.stderr
    assert _listing(tmp_path) == {"rec.md"}
    assert stat.S_IMODE(record.stat().st_mode) == 0o600
    text = record.read_text(encoding="utf-8")
    assert "Level: 4" in text
    assert HERTS_L4 in text
    assert "0300 123 4043" in text
    assert text.lstrip().startswith("#")  # Markdown


def test_output_json_is_json(run, tmp_path):
    record = tmp_path / "rec.json"
    result = run("assess", "-a", "herts", "-i", HERTS_L4, "--at", WHEN, "--json", "--output", str(record))
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE(record.stat().st_mode) == 0o600
    written = json.loads(record.read_text(encoding="utf-8"))
    assert written == json.loads(result.stdout)
    assert written["level"] == 4
    assert _listing(tmp_path) == {"rec.json"}


def test_output_relative_to_the_working_directory(run, tmp_path):
    result = run("assess", "-a", "herts", "-i", HERTS_L2, "--at", WHEN, "--output", "rec.md", cwd=tmp_path,
                 env={"PYTHONPATH": str(ROOT)})
    assert result.returncode == 0, result.stderr
    assert _listing(tmp_path) == {"rec.md"}
    assert "Level: 2" in (tmp_path / "rec.md").read_text(encoding="utf-8")


def test_output_never_overwrites_without_force(run, tmp_path):
    record = tmp_path / "rec.md"
    record.write_text("my notes\n", encoding="utf-8")
    line = one_line_error(run("assess", "-a", "herts", "-i", HERTS_L4, "--at", WHEN, "--output", str(record)))
    assert "--force" in line
    assert record.read_text(encoding="utf-8") == "my notes\n"
    assert _listing(tmp_path) == {"rec.md"}


def test_output_with_force_replaces(run, tmp_path):
    record = tmp_path / "rec.md"
    record.write_text("my notes\n", encoding="utf-8")
    record.chmod(0o644)
    result = run("assess", "-a", "herts", "-i", HERTS_L4, "--at", WHEN, "--output", str(record), "--force")
    assert result.returncode == 0, result.stderr
    text = record.read_text(encoding="utf-8")
    assert "my notes" not in text
    assert HERTS_L4 in text
    assert stat.S_IMODE(record.stat().st_mode) == 0o600
    assert _listing(tmp_path) == {"rec.md"}


def test_output_naming_a_folder_is_refused(run, tmp_path):
    folder = tmp_path / "records"
    folder.mkdir()
    one_line_error(run("assess", "-a", "herts", "-i", HERTS_L4, "--at", WHEN, "--output", str(folder)))
    assert list(folder.iterdir()) == []


def test_output_in_a_missing_folder_is_refused(run, tmp_path):
    one_line_error(run("assess", "-a", "herts", "-i", HERTS_L4, "--at", WHEN, "--output", str(tmp_path / "no" / "rec.md")))
    assert _listing(tmp_path) == set()


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root can write to any folder")
def test_output_in_a_read_only_folder_is_refused(run, tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        one_line_error(run("assess", "-a", "herts", "-i", HERTS_L4, "--at", WHEN, "--output", str(folder / "rec.md")))
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o700)


def test_bad_output_is_refused_before_anything_else(run, tmp_path):
    """An existing file and an unknown id: the record is still untouched and only one line is printed."""
    record = tmp_path / "rec.md"
    record.write_text("keep\n", encoding="utf-8")
    one_line_error(run("assess", "-a", "herts", "-i", "herts-health-l9-99", "--output", str(record)))
    assert record.read_text(encoding="utf-8") == "keep\n"


# ---------------------------------------------------------------------------------------
# Nothing left behind


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_without_output_nothing_is_left_behind(run, tmp_path):
    work, tmp, home, cache = (tmp_path / name for name in ("work", "tmp", "home", "cache"))
    for folder in (work, tmp, home, cache):
        folder.mkdir()
    env = {"TMPDIR": str(tmp), "HOME": str(home), "TRIAGE_CACHE_DIR": str(cache), "PYTHONPATH": str(ROOT),
           "XDG_CACHE_HOME": None, "XDG_CONFIG_HOME": None, "XDG_DATA_HOME": None, "XDG_STATE_HOME": None}
    # A cold cache: the first run fills it with public data only (the data tree, bank holidays).
    result = run("assess", "-a", "herts", "-i", HERTS_L4, "--consent", "no", "--at", WHEN, cwd=work, env=env)
    assert result.returncode == 0, result.stderr
    assert HERTS_L4 in result.stdout or "extreme violence" in result.stdout
    assert _snapshot(work) == {} and _listing(work) == set()
    assert _listing(tmp) == set()
    assert _listing(home) == set()
    herts_ids = _all_ids("herts")
    for name, content in _snapshot(cache).items():
        text = content.decode("utf-8", "replace")
        if HERTS_L4 in text:
            # Only the public data tree (every indicator of the authority) may hold the id:
            # never a record of this assessment.
            assert all(i in text for i in herts_ids), f"{name} holds the ticked id but is not the data tree"
    # A warm cache: a second assessment changes nothing at all.
    before = _snapshot(cache)
    result = run("assess", "-a", "herts", "-i", HERTS_L2, "--json", "--at", WHEN, cwd=work, env=env)
    assert result.returncode == 0, result.stderr
    assert _snapshot(cache) == before
    assert _listing(work) == set() and _listing(tmp) == set() and _listing(home) == set()


def _all_ids(authority_id):
    from triage.dataset import load

    return [i.id for i in load().authorities[authority_id].indicators]


NO_NETWORK = """
import os, sys
def refuse(event, args):
    if event.split(".")[0] in ("socket", "http", "urllib", "ftplib", "smtplib"):
        sys.stderr.write(f"NETWORK: {event}\\n")
        os._exit(99)
sys.addaudithook(refuse)
"""
RUN_TRIAGE = """
sys.argv = ["triage", *sys.argv[1:]]
from triage.cli import main
main()
"""


def _without_network(code: str, *args):
    import subprocess
    import sys

    return subprocess.run([sys.executable, "-c", NO_NETWORK + code, *args], cwd=str(ROOT), capture_output=True,
                          text=True, stdin=subprocess.DEVNULL, timeout=120)


def test_the_network_guard_catches_a_lookup():
    result = _without_network("import socket; socket.getaddrinfo('localhost', 80)")
    assert result.returncode == 99 and "NETWORK: socket.getaddrinfo" in result.stderr


@pytest.mark.parametrize("args", [
    ["assess", "-a", "herts", "-i", HERTS_L4, "--consent", "no", "--at", WHEN],
    ["assess", "-a", "notts", "-i", "notts-health-l4-01", "--json"],
    ["contacts", "-a", "northants"],
    ["lookup", "-a", "notts", "--search", "missing"],
    ["validate"],
])
def test_no_command_touches_the_network(args, private_cache):
    """Python's audit hooks see every socket made or name looked up: none may happen, even on
    a first run that builds the cache and computes bank holidays."""
    result = _without_network(RUN_TRIAGE, *args)
    assert "NETWORK" not in result.stderr, result.stderr
    assert result.returncode == 0, result.stderr


# ---------------------------------------------------------------------------------------
# Conditions, consent per level, follow-up (issue 12, wired into assess)

NOTTS_4A = "notts-threshold-4a-05"
THURSDAY = "2026-11-26T10:00"


def test_4a_is_not_applied_without_its_condition_and_says_why(run):
    document = assess_json(run, "-a", "notts", "-i", NOTTS_4A, "-i", "notts-health-l3-01", "--at", THURSDAY)
    assert document["thresholds"] == [] and document["level"] == 3
    assert "Issues not resolved by interventions at Levels 1-3" in document["thresholds_not_applied"][0]


def test_4a_applies_when_its_condition_is_confirmed(run, tmp_path):
    options = assess_json(run, "-a", "notts", "-i", NOTTS_4A, "--condition-confirmed", "--at", THURSDAY)
    assert options["thresholds"] == ["4a"] and options["level"] == 4
    answers = tmp_path / "answers.yaml"
    answers.write_text(f"authority: notts\nindicators: [{NOTTS_4A}]\nconditions_confirmed: true\nat: '{THURSDAY}'\n",
                       encoding="utf-8")
    assert assess_json(run, "--answers", str(answers))["thresholds"] == ["4a"]


@pytest.mark.parametrize("authority,item,words", [
    ("herts", "herts-health-l2-01", "You must have consent from the parents"),
    ("notts", "notts-health-l2-01", "All referrals will need to evidence that consent"),
])
def test_consent_at_level_2_is_the_levels_own_rule(run, authority, item, words):
    consent = assess_json(run, "-a", authority, "-i", item, "--at", THURSDAY)["consent"]
    assert consent["required"] is True and consent["summary"].startswith(words)


@pytest.mark.parametrize("at,expected", [("2026-11-27T16:45", "2026-11-30"), ("2026-12-24T10:00", "2026-12-29")])
def test_follow_up_by_skips_weekends_and_bank_holidays(run, at, expected):
    document = assess_json(run, "-a", "herts", "-i", HERTS_L4, "--at", at)
    assert document["follow_up_by"] == expected


def test_a_consent_exception_is_one_of_the_levels_own_rule(run):
    """Hertfordshire's Level 2 consent rule names no exceptions; Level 4's names three."""
    assert "names none" in one_line_error(run("assess", "-a", "herts", "-i", HERTS_L2, "--consent-exception", "1",
                                              "--json"))
