"""`triage lookup` and the command line's general behaviour (help, version, bad usage)."""
from __future__ import annotations

import json
import re

import pytest
from conftest import held_ids

import triage

FIELDS = {"id", "authority", "domain", "domain_name", "level", "text"}


def ok(result):
    assert result.returncode == 0, f"exit {result.returncode}\n{result.stderr}"
    assert "Traceback" not in result.stderr
    return result


def one_line_error(result, code=2):
    assert result.returncode == code, f"exit {result.returncode}\n{result.stdout}\n{result.stderr}"
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def items(result) -> list[dict]:
    data = json.loads(ok(result).stdout)
    assert isinstance(data, list)
    return data


def unboxed(text: str) -> str:
    return " ".join(re.sub(r"[\u2500-\u257f]", " ", text).split())


# ---------------------------------------------------------------------------------------
# A domain's table


def test_domain_table_level_4_first_with_ids(invoke):
    out = ok(invoke("lookup", "health", "-a", "herts")).stdout
    assert "Hertfordshire: Health" in out
    positions = [out.index(f"Level {n}") for n in (4, 3, 2, 1)]
    assert positions == sorted(positions), "levels should be shown from 4 down to 1"
    ids = re.findall(r"herts-health-l\d-\d\d", out)
    assert len(ids) == 23 and len(set(ids)) == 23
    assert [int(i[14]) for i in ids] == sorted((int(i[14]) for i in ids), reverse=True)
    assert out.index("herts-health-l4-01") < out.index("Level 3") < out.index("herts-health-l3-01")
    assert "Child has complex health problems" in out


@pytest.mark.parametrize("query", [
    "drug-substance-misuse", "Drug / substance misuse", "drug / SUBSTANCE misuse", "Drug", "drug", "DRUG",
])
def test_domain_by_id_name_or_prefix(invoke, query):
    found = items(invoke("lookup", query, "-a", "herts", "--json"))
    assert len(found) == 16
    assert {i["domain"] for i in found} == {"drug-substance-misuse"}
    assert {i["domain_name"] for i in found} == {"Drug / substance misuse"}


def test_domain_by_prefix_in_the_table(invoke):
    out = ok(invoke("lookup", "mental", "-a", "herts")).stdout
    assert "Hertfordshire: Mental / emotional health" in out
    assert "herts-mental-emotional-health-l4-01" in out


def test_domain_list_shows_every_domain_id_in_full(invoke):
    out = ok(invoke("lookup", "-a", "herts")).stdout
    for domain_id in ("health", "mental-emotional-health", "extremism-radicalisation", "extra-familial-harm",
                      "drug-substance-misuse", "sexual-abuse-activity"):
        assert re.search(rf"(?<![\w-]){domain_id}(?![\w-])", out), f"domain id {domain_id!r} not shown in full"


def test_ambiguous_prefix_names_the_matches(invoke):
    line = one_line_error(invoke("lookup", "e", "-a", "herts"))
    for domain_id in ("education", "extremism-radicalisation", "extra-familial-harm"):
        assert domain_id in line
    assert "health" not in line.replace("Hertfordshire", "")


def test_unknown_domain_names_close_matches(invoke):
    line = one_line_error(invoke("lookup", "helth", "-a", "herts"))
    assert "unknown domain 'helth'" in line
    assert "'health'" in line
    assert line.count("'health'") == 1, f"a suggestion is repeated: {line}"


def test_level_option(invoke):
    found = items(invoke("lookup", "health", "-a", "herts", "--level", "4", "--json"))
    assert [i["id"] for i in found] == [f"herts-health-l4-0{n}" for n in range(1, 6)]
    out = ok(invoke("lookup", "-a", "herts", "--level", "4")).stdout
    assert "Level 4" in out and not re.search(r"Level [123]", out)
    assert "herts-social-development-l4-14" in out and "herts-health-l3-01" not in out


def test_search_shows_domain_and_level(invoke):
    out = ok(invoke("lookup", "-a", "notts", "--search", "missing")).stdout
    assert "Frequently goes missing from home for long periods" in out
    assert "Emotional & behavioural development" in out
    assert "Health" in out
    for n in (4, 3, 2):
        assert f"Level {n}" in out
    assert "notts-emotional-behavioural-development-l4-05" in out


def test_search_json_matches_case_insensitively(invoke):
    found = items(invoke("lookup", "-a", "notts", "--search", "MISSING", "--json"))
    assert len(found) == 3
    assert all("missing" in i["text"].lower() for i in found)


def test_search_with_no_match(invoke):
    out = ok(invoke("lookup", "-a", "herts", "--search", "zzzqqq")).stdout
    assert "nothing matches" in out


def test_empty_search_is_refused(invoke):
    assert "--search" in one_line_error(invoke("lookup", "-a", "herts", "--search", " "))


# ---------------------------------------------------------------------------------------
# JSON


def test_json_items(invoke):
    found = items(invoke("lookup", "-a", "notts", "--json"))
    assert len(found) == 260
    for item in found:
        assert FIELDS <= item.keys()
        assert item["authority"] == "notts" and item["id"].startswith("notts-")
        assert type(item["level"]) is int and 1 <= item["level"] <= 4
        assert isinstance(item["text"], str) and item["text"].strip()
        assert isinstance(item["domain_name"], str) and item["domain_name"]
    thresholds = [i for i in found if i.get("threshold") is not None]
    assert {i["threshold"] for i in thresholds} == {"4a", "4b", "4c"}
    assert len(thresholds) == 32
    assert all(i["level"] == 4 for i in thresholds)
    assert {i["domain"] for i in thresholds} == {"social-care-thresholds"}


def test_json_without_authority_covers_every_held_authority(invoke):
    found = items(invoke("lookup", "--json"))
    counts = {a: sum(1 for i in found if i["authority"] == a) for a in held_ids()}
    assert counts["herts"] == 303 and counts["notts"] == 260 and counts["northants"] > 0
    assert all(counts.values()), counts
    assert len(found) == sum(counts.values())
    assert len({i["id"] for i in found}) == len(found)


def test_triage_authority_sets_the_default(run):
    found = items(run("lookup", "--json", env={"TRIAGE_AUTHORITY": "notts"}))
    assert {i["authority"] for i in found} == {"notts"}
    found = items(run("lookup", "-a", "herts", "--json", env={"TRIAGE_AUTHORITY": "notts"}))
    assert {i["authority"] for i in found} == {"herts"}, "--authority wins over TRIAGE_AUTHORITY"


@pytest.mark.parametrize("name", ["Hertfordshire", "hertfordshire", "HERTS", " herts "])
def test_authority_alias(invoke, name):
    found = items(invoke("lookup", "young-carer", "-a", name, "--json"))
    assert [i["id"] for i in found] == ["herts-young-carer-l4-01", "herts-young-carer-l3-01",
                                        "herts-young-carer-l2-01", "herts-young-carer-l1-01"]


def test_unknown_authority(run):
    line = one_line_error(run("lookup", "-a", "hert"))
    assert "unknown authority 'hert'" in line
    assert "did you mean 'herts'" in line
    # Only real names are suggested, a district with the council it is in.
    assert "'Hart (in Hampshire)'" in line
    assert "999" in line and "0808 800 5000" in line


def test_unknown_authority_from_the_environment(invoke):
    line = one_line_error(invoke("lookup", env={"TRIAGE_AUTHORITY": "yorkshire"}))
    assert "unknown authority 'yorkshire'" in line
    # The councils whose names hold the word, never an unrelated id.
    assert "'East Riding of Yorkshire', 'North Yorkshire'" in line and "herts" not in line


# ---------------------------------------------------------------------------------------
# Version, help and bad usage


def test_version(run):
    result = ok(run("--version"))
    assert result.stdout.strip() == f"triage {triage.__version__}"


@pytest.mark.parametrize("args", [
    ["--help"], ["-h"], ["lookup", "--help"], ["validate", "--help"], ["contacts", "--help"],
    ["assess", "--help"], ["assess", "-h"],
])
def test_help(invoke, args):
    result = ok(invoke(*args))
    assert "Traceback" not in result.stdout
    assert "Usage" in result.stdout
    assert result.stderr == ""


def test_no_arguments_shows_the_help_not_an_error(invoke):
    result = invoke()
    assert result.returncode == 0
    assert result.stdout == invoke("--help").stdout
    assert result.stderr == ""


@pytest.mark.parametrize("args", [
    ["--bogus"], ["lookup", "--bogus"], ["lookup", "--level", "5"], ["lookup", "--level", "x"],
    ["lookup", "-a"], ["no-such-command"], ["contacts", "--nope"], ["assess", "--nope"],
])
def test_bad_usage_is_one_line(invoke, args):
    result = invoke(*args)
    line = one_line_error(result)
    assert line.startswith("triage: error: ")
    assert result.stdout == ""


@pytest.mark.parametrize("args", [
    ["lookup", "health", "-a", "herts"], ["lookup", "e", "-a", "herts"], ["--help"], ["lookup", "--level", "5"],
], ids=["table", "ambiguous", "help", "bad-option"])
def test_the_real_command_line_behaves_as_in_process(run, invoke, args):
    """The in-process runs above (fast) stand for the real command line: same output."""
    real, here = run(*args), invoke(*args)
    assert "Traceback" not in real.stderr
    assert (real.returncode, real.stdout, real.stderr) == (here.returncode, here.stdout, here.stderr)


def test_a_domain_without_an_authority_names_the_authorities_that_have_it(run):
    result = run("lookup", "health")
    assert result.returncode == 2 and result.stdout == ""
    line = result.stderr.strip()
    assert "\n" not in line and "--authority" in line
    assert "Hertfordshire" in line and "Nottinghamshire" in line and "Northamptonshire" not in line
