"""The line after a referral is data (the follow-up pathway in common.yaml): a council can set
its own words in its authority.yaml, and validate checks them."""
from __future__ import annotations

from conftest import run_triage

ASSESS = ("assess", "-i", "herts-health-l4-01", "--consent", "yes", "--at", "2026-12-02T10:00")
OWN_WORDS = ('  - id: follow-up\n    name: "If no one replies"\n'
             '    action: "Ring the Customer Service Centre again on {day} if you have had no reply."\n'
             '    source: "a council\'s own procedures"\n')


def with_pathway(tree, text: str):
    authority = tree / "indicators" / "herts" / "authority.yaml"
    authority.write_text(authority.read_text(encoding="utf-8").replace("pathways:\n", "pathways:\n" + text, 1),
                         encoding="utf-8")


def test_the_shipped_words_with_the_day(data_copy):
    result = run_triage(*ASSESS, "-a", "herts", env={"TRIAGE_DATA_DIR": data_copy, "COLUMNS": "200"})
    assert ("After a referral: If you have not heard within one working day, follow up on Thursday 3 December 2026. "
            "Confirm a telephone referral in writing.") in result.stdout


def test_a_council_sets_its_own_words(data_copy):
    with_pathway(data_copy, OWN_WORDS)
    env = {"TRIAGE_DATA_DIR": data_copy, "COLUMNS": "200"}
    assert run_triage("validate", data_copy).returncode == 0
    herts = run_triage(*ASSESS, "-a", "herts", env=env).stdout
    assert "If no one replies: Ring the Customer Service Centre again on Thursday 3 December 2026 if you" in herts
    assert "If you have not heard within one working day" not in herts
    leeds = run_triage("assess", "-a", "leeds", "--nothing-applies", "--at", "2026-12-02T10:00", env=env).stdout
    assert "If you have not heard within one working day, follow up on Thursday 3 December 2026" in leeds


def test_a_placeholder_triage_does_not_fill_is_a_problem(data_copy):
    with_pathway(data_copy, OWN_WORDS.replace("{day}", "{date}"))
    result = run_triage("validate", data_copy)
    assert result.returncode == 1
    assert (f"{data_copy}/indicators/herts/authority.yaml:103: '{{date}}' in the action of pathway 'follow-up' is not "
            "a placeholder triage fills: the only one is {day} (the day to follow up)") in result.stdout


def test_common_yaml_without_the_follow_up_pathway_is_a_problem(data_copy):
    common = data_copy / "indicators" / "common.yaml"
    text = common.read_text(encoding="utf-8")
    start = text.index("  - id: follow-up")
    end = text.index("  - id:", start + 1)
    common.write_text(text[:start] + text[end:], encoding="utf-8")
    result = run_triage("validate", data_copy)
    assert result.returncode == 1
    assert "the pathway 'follow-up' is missing: its action is the line shown after a referral" in result.stdout
