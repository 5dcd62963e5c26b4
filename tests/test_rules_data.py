"""The data behind the rules: every new word quoted from its source, and `validate` catching
each kind of mistake in the new keys (consent per level, same_as, confirmed, closing_rule)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import SHARED, SOURCES


def fold(text: str) -> str:
    """As ../shared/tools/verbatim_check.py folds: quotes, dashes, white space, case."""
    text = re.sub(r"<[^>]+>", " ", text).replace("\u2019", "'").replace("\u2018", "'")
    text = text.replace("\u201c", '"').replace("\u201d", '"').replace("\u2013", "-").replace("\u2014", "-")
    text = text.replace("•", " ").replace("*", "")
    return re.sub(r"\s+", " ", text).strip().lower()


def in_source(name: str, words: str) -> bool:
    return fold(words).rstrip(".") in fold((SHARED / name if name == "SOURCES.md" else SOURCES / name).read_text(encoding="utf-8"))


needs_sources = pytest.mark.skipif(not SOURCES.is_dir(), reason="../shared/sources is absent (CI)")


@needs_sources
def test_conditions_and_list_marks_are_quoted(shipped):
    notts = shipped.authorities["notts"]
    assert in_source("notts-pathway-to-provision-v8.txt", notts.thresholds["4a"].condition + " and:")
    assert in_source("notts-pathway-to-provision-v8.txt", notts.thresholds["4b"].not_exhaustive)


@needs_sources
@pytest.mark.parametrize("authority_id,file", [("herts", "herts-continuum-of-need.txt"),
                                               ("notts", "notts-pathway-to-provision-v8.txt"),
                                               ("northants", "northants-report-a-concern.txt")])
def test_consent_rules_are_quoted(shipped, authority_id, file):
    for rule in shipped.authorities[authority_id].consents:
        for words in (rule.summary, *rule.requirements, *rule.exceptions):
            assert in_source(file, words), words


@needs_sources
@pytest.mark.parametrize("number", [2, 3])
def test_northants_advice_action_is_quoted(shipped, number):
    action = shipped.authorities["northants"].levels[number].action
    first, second = action.split(". ", 1)
    assert in_source("northants-levels-of-need.txt", first)
    assert in_source("northants-report-a-concern.txt", second)


@needs_sources
def test_notts_mash_rules_are_in_sources_md(shipped):
    notts = shipped.authorities["notts"]
    rule = notts.contacts["notts-mash"].closing_rule.rule
    assert in_source("SOURCES.md", rule.split(":")[0].lower())  # the quoted part
    assert in_source("SOURCES.md", "please only telephone the MASH if your referral is urgent, requiring a Social "
                                   "Worker to visit the child or adult today")
    assert in_source("SOURCES.md", notts.contacts["notts-mash-online-form"].for_)
    assert in_source("notts-pathway-to-provision-v8.txt", notts.contacts["notts-family-service-west"].for_)


@needs_sources
def test_national_duties_quote_sources_md(shipped):
    common = {p: shipped.authorities["northants"].pathways[p] for p in ("fgm-police", "designated-officer")}
    assert in_source("SOURCES.md", common["fgm-police"].action.split(" (the mandatory")[0])
    assert in_source("SOURCES.md", "within one working day")
    assert in_source("SOURCES.md", "do not investigate or approach the person first; where a child has been harmed, "
                                   "also refer to children's social care")


# ---------------------------------------------------------------------------------------
# validate on trees with a mistake in the new keys


def validate(data_copy, capsys) -> list[str]:
    from triage.data.validate import run_validate

    code = run_validate(str(data_copy))
    out = capsys.readouterr().out.splitlines()
    assert code == 1, out
    return out


def edit(root: Path, rel: str, old: str, new: str) -> int:
    """Replace the first `old` in the file; return its 1-based line."""
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return line


H_AUTH = "indicators/herts/authority.yaml"
NOTTS_HEALTH = "indicators/notts/health.yaml"
NOTTS_CONTACTS = "contacts/notts.yaml"


def test_a_level_with_two_consent_rules(data_copy, memo_parse, capsys):
    edit(data_copy, H_AUTH, "  - levels: [3, 4]\n    summary", "  - levels: [2, 3, 4]\n    summary")
    out = validate(data_copy, capsys)
    assert any("level 2 has two consent rules" in o and o.startswith(str(data_copy / H_AUTH)) for o in out), out


def test_same_as_an_unknown_item(data_copy, memo_parse, capsys):
    line = edit(data_copy, NOTTS_HEALTH, "same_as: notts-threshold-4b-06", "same_as: notts-threshold-4b-99")
    out = validate(data_copy, capsys)
    assert any(o.startswith(f"{data_copy / NOTTS_HEALTH}:{line}: ") and "unknown indicator 'notts-threshold-4b-99'" in o
               for o in out), out


def test_same_as_an_item_with_other_words(data_copy, memo_parse, capsys):
    line = edit(data_copy, NOTTS_HEALTH, "same_as: notts-threshold-4b-06", "same_as: notts-threshold-4b-01")
    out = validate(data_copy, capsys)
    assert any(o.startswith(f"{data_copy / NOTTS_HEALTH}:{line}: ") and "words or level differ" in o for o in out), out


def test_a_contact_without_confirmed(data_copy, memo_parse, capsys):
    edit(data_copy, "contacts/herts.yaml", '    confirmed: "2026-11"\n', "")
    out = validate(data_copy, capsys)
    assert any("missing the required key 'confirmed'" in o for o in out), out


def test_confirmed_must_be_a_month(data_copy, memo_parse, capsys):
    line = edit(data_copy, "contacts/herts.yaml", 'confirmed: "2026-11"', 'confirmed: "2026"')
    out = validate(data_copy, capsys)
    assert any(o.startswith(f"{data_copy / 'contacts/herts.yaml'}:{line}: ") and "YYYY-MM" in o for o in out), out


def test_closing_rule_minutes_out_of_range(data_copy, memo_parse, capsys):
    edit(data_copy, NOTTS_CONTACTS, "      minutes: 30", "      minutes: 0")
    out = validate(data_copy, capsys)
    assert any("closing_rule minutes should be between 1 and 1439" in o for o in out), out


def test_referral_steps_with_levels_need_steps(data_copy, memo_parse, capsys):
    edit(data_copy, "indicators/notts/authority.yaml", "  levels: [4]\n  steps:", "  levels: [4]\n  stepz:")
    out = validate(data_copy, capsys)
    assert any("unknown key 'stepz' in referral" in o for o in out), out
