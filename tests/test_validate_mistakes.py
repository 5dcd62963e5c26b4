"""A data officer's mistakes that once passed `validate` (or crashed every command), one test
each (issue 21): each makes one mistake in a copy of the shipped tree and expects validate
to say where (`file:line`), what is wrong and what would be right.
"""
from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import pytest

from conftest import copy_data, invoke_triage
from test_loader import find_line, lines_of, replace_in_line, set_line

NOTTS_CONTACTS = "contacts/notts.yaml"
NOTTS = "indicators/notts/authority.yaml"
HEALTH = "indicators/herts/health.yaml"  # lines 5-7: the first item (id, level, text)


def validate(root: Path, capsys) -> tuple[int, list[str]]:
    from triage.data.validate import run_validate

    code = run_validate(str(root))
    return code, capsys.readouterr().out.splitlines()


def reported(out: list[str], root: Path, rel: str, line: int | None, *words: str) -> str:
    """The line of validate's output for `rel` (at `line`) holding every one of `words`."""
    where = f"{root / rel}:{line}: " if line else f"{root / rel}: "
    hits = [o for o in out if o.startswith(where) and all(w in o for w in words)]
    assert hits, f"expected a line starting {where!r} holding {words!r}; got:\n" + "\n".join(out)
    return hits[0]


def stops_commands(root: Path, rel: str, line: int) -> None:
    """A problem found at load time stops a command with the one-line 'data is broken' error."""
    result = invoke_triage("contacts", "-a", "notts", "--json", env={"TRIAGE_DATA_DIR": root})
    assert result.returncode == 2, (result.stdout[-300:], result.stderr[-600:])
    assert "Traceback" not in result.stderr and len(result.stderr.splitlines()) == 1, result.stderr[-600:]
    assert "the data is broken" in result.stderr and f"{root / rel}:{line}:" in result.stderr


def contact_line(root: Path, contact_id: str, needle: str) -> int:
    """The line holding `needle` in the entry of one Nottinghamshire contact."""
    return find_line(root, NOTTS_CONTACTS, needle, after=find_line(root, NOTTS_CONTACTS, f'id: "{contact_id}"'))


# ---------------------------------------------------------------------------------------
# One test per mistake


def test_a_domain_saved_as_yml_is_named_as_ignored(data_copy, memo_parse, capsys):
    (data_copy / HEALTH).rename(data_copy / "indicators/herts/health.yml")
    code, out = validate(data_copy, capsys)
    assert code == 1
    reported(out, data_copy, "indicators/herts/health.yml", None, "is ignored", "rename it health.yaml")
    assert out[-1] == f"1 problem in {data_copy}", "the file is named, not echoed as a missing domain"


def test_contacts_open_outside_each_others_hours_are_a_problem_not_a_recursion_error(data_copy, memo_parse, capsys):
    start = find_line(data_copy, NOTTS_CONTACTS, 'id: "notts-mash"')
    hours = find_line(data_copy, NOTTS_CONTACTS, "hours:", after=start)
    lines = lines_of(data_copy, NOTTS_CONTACTS)
    end = next(n for n in range(hours + 1, len(lines) + 1) if not lines[n - 1].startswith("      "))
    lines[hours - 1:end - 1] = ["    hours:", '      outside: "notts-edt"']  # and the EDT is outside the MASH
    (data_copy / NOTTS_CONTACTS).write_text("\n".join(lines), encoding="utf-8")
    code, out = validate(data_copy, capsys)
    assert code == 1
    reported(out, data_copy, NOTTS_CONTACTS, hours + 1, "'notts-mash' and 'notts-edt'", "outside",
             "give one of them its opening times")
    stops_commands(data_copy, NOTTS_CONTACTS, hours + 1)


def test_a_line_break_in_a_contacts_name_is_a_problem(data_copy, memo_parse, capsys):
    line = find_line(data_copy, NOTTS_CONTACTS, 'name: "Emergency Duty Team (EDT)"')
    replace_in_line(data_copy, NOTTS_CONTACTS, line, "(EDT)", "(EDT)\\nFAKE LINE: 0800 000 0000")
    code, out = validate(data_copy, capsys)
    assert code == 1
    reported(out, data_copy, NOTTS_CONTACTS, line, "'name' of a contact holds a line break", "write it on one line")


def test_a_digit_outside_0_9_in_a_phone_number_is_named(data_copy, memo_parse, capsys):
    bengali = contact_line(data_copy, "notts-mash", 'phone: ["0300 500 80 90"]')
    replace_in_line(data_copy, NOTTS_CONTACTS, bengali, "0300 500 80 90", "0300 500 80 9\u09e6")
    spaced = contact_line(data_copy, "notts-edt", 'phone: ["0300 456 4546"]')
    replace_in_line(data_copy, NOTTS_CONTACTS, spaced, "0300 456 4546", "0300\u00a0456 4546")
    code, out = validate(data_copy, capsys)
    assert code == 1
    reported(out, data_copy, NOTTS_CONTACTS, bengali, "U+09E6", "BENGALI DIGIT ZERO", "digits 0-9")
    reported(out, data_copy, NOTTS_CONTACTS, spaced, "U+00A0", "NO-BREAK SPACE", "type a plain space")


def test_a_future_or_impossible_confirmed_date_is_a_problem(data_copy, memo_parse, capsys, monkeypatch):
    import triage.clock

    monkeypatch.setattr(triage.clock, "now", lambda: datetime(2026, 12, 3, 9, 0, tzinfo=triage.clock.LONDON))
    future = contact_line(data_copy, "notts-mash", 'confirmed: "2026-11"')
    replace_in_line(data_copy, NOTTS_CONTACTS, future, "2026-11", "9999-12")
    impossible = contact_line(data_copy, "notts-edt", 'confirmed: "2026-11"')
    replace_in_line(data_copy, NOTTS_CONTACTS, impossible, "2026-11", "2026-13")
    code, out = validate(data_copy, capsys)
    assert code == 1
    reported(out, data_copy, NOTTS_CONTACTS, future, "'9999-12'", "after today (2026-12-03)")
    reported(out, data_copy, NOTTS_CONTACTS, impossible, "'2026-13'", "no month 13", "01 to 12")


def test_a_cover_or_a_levels_call_without_a_phone_is_a_problem(data_copy, tmp_path, memo_parse, capsys):
    cover = contact_line(data_copy, "notts-mash", 'covered_by: "notts-edt"')
    replace_in_line(data_copy, NOTTS_CONTACTS, cover, "notts-edt", "notts-mash-online-form")
    code, out = validate(data_copy, capsys)
    assert code == 1
    reported(out, data_copy, NOTTS_CONTACTS, cover, "covered_by 'notts-mash-online-form'", "no telephone number",
             "www.nottinghamshire.gov.uk/MASH", "at night", "a phone is needed")
    # A level's call, in another copy (a contacts file with a problem is not echoed by the levels).
    other = copy_data(tmp_path / "other")
    call = find_line(other, NOTTS, 'call: "notts-early-help-unit"')
    replace_in_line(other, NOTTS, call, "notts-early-help-unit", "notts-kooth")  # www.kooth.com
    code, out = validate(other, capsys)
    assert code == 1
    reported(out, other, NOTTS, call, "level 2 calls 'notts-kooth'", "www.kooth.com", "a phone is needed")


def test_a_front_door_with_limited_hours_and_no_cover_says_what_triage_would_say(data_copy, memo_parse, capsys):
    cover = contact_line(data_copy, "notts-mash", 'covered_by: "notts-edt"')
    hours = contact_line(data_copy, "notts-mash", "hours:")
    lines = lines_of(data_copy, NOTTS_CONTACTS)
    del lines[cover - 1]
    (data_copy / NOTTS_CONTACTS).write_text("\n".join(lines), encoding="utf-8")
    code, out = validate(data_copy, capsys)
    assert code == 1
    reported(out, data_copy, NOTTS_CONTACTS, hours, "'notts-mash' (the front door and Level 4's line)",
             "limited hours and no covered_by", "at the weekend Level 4 would say \"call 999\"",
             "'notts-edt'", "add covered_by: notts-edt")


def test_an_invisible_character_is_named_by_code_point(data_copy, memo_parse, capsys):
    replace_in_line(data_copy, HEALTH, 7, "complex health", "com\u200bplex health")
    code, out = validate(data_copy, capsys)
    assert code == 1
    reported(out, data_copy, HEALTH, 7, "U+200B (ZERO WIDTH SPACE)", 'after "Child has com"', "remove it")


def test_an_en_dash_in_hours_is_named(data_copy, memo_parse, capsys):
    line = contact_line(data_copy, "notts-early-help-unit", 'mon-fri: ["09:00-16:30"]')
    replace_in_line(data_copy, NOTTS_CONTACTS, line, "09:00-16:30", "09:00\u201316:30")
    code, out = validate(data_copy, capsys)
    assert code == 1
    reported(out, data_copy, NOTTS_CONTACTS, line, "U+2013 (en dash)", "use a hyphen: 09:00-16:30")


def test_unquoted_text_followed_by_a_hash_is_a_warning(data_copy, memo_parse, capsys):
    set_line(data_copy, HEALTH, 7, "    text: Child has complex health problems #2 nights")
    code, out = validate(data_copy, capsys)
    assert code == 0, "a warning: validate still passes"
    warning = reported(out, data_copy, HEALTH, 7, "warning:", '"Child has complex health problems"', '"#2 nights"',
                       "comment", "double quotes")
    assert out.index(warning) < len(out) - 1 and "OK" in out[-1]
    again = validate(data_copy, capsys)[1]  # the files unchanged: the warning kept with the tree
    assert warning in again
    set_line(data_copy, HEALTH, 7, '    text: "Child has complex health problems #2 nights"')
    assert not any("warning:" in line for line in validate(data_copy, capsys)[1])


def test_a_name_or_alias_clash_is_reported_against_the_authority_that_brought_it(data_copy, memo_parse, capsys):
    """A council's copy of Hertfordshire, in a folder that sorts before the shipped one: its
    name and alias are the clash, at their lines, and not the shipped file's."""
    council = data_copy / "indicators/dacorum"
    shutil.copytree(data_copy / "indicators/herts", council)
    for path in [*council.glob("*.yaml"), data_copy / "contacts/dacorum.yaml"]:
        source = data_copy / "contacts/herts.yaml" if path.parent.name == "contacts" else path
        text = source.read_text(encoding="utf-8").replace("herts-", "dacorum-")
        text = text.replace("id: herts\n", "id: dacorum\n").replace("authority: herts\n", "authority: dacorum\n")
        path.write_text(text, encoding="utf-8")
    rel = "indicators/dacorum/authority.yaml"
    assert lines_of(data_copy, rel)[1:3] == ["name: Hertfordshire", "aliases: [hertfordshire]"]
    code, out = validate(data_copy, capsys)
    assert code == 1
    reported(out, data_copy, rel, 2, "the name 'Hertfordshire' is also the name of authority 'herts'",
             "give it a name of its own")
    reported(out, data_copy, rel, 3, "alias 'hertfordshire' is also the alias of authority 'herts'",
             "would find only one of them")
    assert not [o for o in out if o.startswith(str(data_copy / "indicators/herts/"))], "never the shipped file"


def test_a_councils_contacts_file_that_is_a_folder_is_a_problem(data_copy, capsys):
    """Found with a fourth authority in the tree: a folder named wiltshire.yaml was taken as
    no contacts file at all, silently (validate said OK)."""
    rel = "england/contacts/wiltshire.yaml"
    (data_copy / rel).unlink()
    (data_copy / rel).mkdir()
    code, out = validate(data_copy, capsys)
    assert code == 1
    reported(out, data_copy, rel, None, "is a folder, not a file")


@pytest.mark.parametrize("cover, words", [("notts-mash", "is covered_by itself"),
                                          ("notts-mash-consultation", "which is closed whenever 'notts-mash' is")])
def test_a_cover_that_never_answers_when_needed_is_a_problem(data_copy, memo_parse, capsys, cover, words):
    """Red team: the MASH covered by itself, or by an office-hours line, passed validate, and at
    night 'Who to call now' gave a closed line while the out-of-hours team was listed as open. (The
    consultation line keeps the MASH's own hours; a line open some of the time the MASH is not,
    as the Early Help Unit on Wednesday mornings, is a cover.)"""
    line = contact_line(data_copy, "notts-mash", 'covered_by: "notts-edt"')
    replace_in_line(data_copy, NOTTS_CONTACTS, line, "notts-edt", cover)
    code, out = validate(data_copy, capsys)
    assert code == 1
    reported(out, data_copy, NOTTS_CONTACTS, line, words)


def test_a_purpose_triage_does_not_list_is_a_problem(data_copy, memo_parse, capsys):
    """Red team: 'purpose: childrens-social-care' passed, and the front door was listed last under
    a heading of its own id instead of 'Safeguarding: referrals and advice'."""
    line = contact_line(data_copy, "notts-mash", 'purpose: "safeguarding"')
    replace_in_line(data_copy, NOTTS_CONTACTS, line, "safeguarding", "childrens-social-care")
    code, out = validate(data_copy, capsys)
    assert code == 1
    reported(out, data_copy, NOTTS_CONTACTS, line, "purpose 'childrens-social-care' is not one triage lists",
             "safeguarding, early-help")


def test_a_cover_open_on_bank_holidays_only_still_covers(data_copy, memo_parse, capsys):
    """Red team, second pass: a cover with the MASH's weekday hours and `bank_holidays: open`
    was refused as 'closed whenever the MASH is', though it answers on bank holidays."""
    line = contact_line(data_copy, "notts-mash", 'covered_by: "notts-edt"')
    replace_in_line(data_copy, NOTTS_CONTACTS, line, "notts-edt", "notts-mash-consultation")
    hours = contact_line(data_copy, "notts-mash-consultation", 'bank_holidays: "closed"')
    replace_in_line(data_copy, NOTTS_CONTACTS, hours, '"closed"', '"open"')
    code, out = validate(data_copy, capsys)
    assert not any("closed whenever" in line for line in out), out
