"""The worked example of docs/data-format.md (docs/example: a council's folder) validates as it
stands, and every command works with it beside the shipped authorities: nothing in triage
assumes there are three."""
from __future__ import annotations

import json
import shutil

import pytest
from conftest import ROOT, copy_data, run_triage

EXAMPLE = ROOT / "docs" / "example"
WEEKDAY, NIGHT = "2026-12-02T10:00", "2026-12-02T23:00"


@pytest.fixture(scope="module")
def tree(tmp_path_factory):
    """The shipped tree with the example's folder copied in: four authorities."""
    tree = copy_data(tmp_path_factory.mktemp("with-example") / "data")
    shutil.copytree(EXAMPLE, tree, dirs_exist_ok=True)
    return tree


def run(tree, *args, **kwargs):
    result = run_triage(*args, env={"TRIAGE_DATA_DIR": tree, "COLUMNS": "100"}, **kwargs)
    assert "Traceback" not in result.stderr, result.stderr
    return result


def test_the_tree_with_the_example_validates(tree):
    result = run(tree, "validate", tree)
    assert result.returncode == 0, result.stdout
    assert "OK: 4 authorities, 570 indicators" in result.stdout


def test_lookup(tree):
    shown = run(tree, "lookup", "levels", "-a", "example").stdout
    assert "Example Council: Level features" in shown and "example-levels-l4-01" in shown
    every = json.loads(run(tree, "lookup", "--json").stdout)
    assert {i["authority"] for i in every} == {"example", "herts", "northants", "notts"}
    assert run(tree, "lookup", "-a", "example", "--search", "coordinated").stdout.count("example-levels-l4-01") == 1


def test_contacts_by_day_and_by_night(tree):
    day = json.loads(run(tree, "contacts", "-a", "example", "--at", WEEKDAY, "--json").stdout)
    night = json.loads(run(tree, "contacts", "-a", "example", "--at", NIGHT, "--json").stdout)
    assert day["call_now"]["phone"] == "0300 126 7000"
    assert night["call_now"]["phone"] == "01604 626 938"  # covered_by: the out-of-hours team
    every = json.loads(run(tree, "contacts", "--at", WEEKDAY, "--json").stdout)
    assert {a["authority"] for a in every["authorities"]} == {"example", "herts", "northants", "notts"}


def test_assess_by_options_and_line_by_line(tree):
    document = json.loads(run(tree, "assess", "-a", "example", "-i", "example-levels-l4-01", "--consent", "yes",
                              "--at", WEEKDAY, "--json").stdout)
    assert document["level"] == 4 and document["call"]["phone"] == "0300 126 7000"
    plain = run(tree, "assess", "-a", "example", "--plain", "--at", WEEKDAY, input="n\nn\nn\n1\n2\n")  # Level 4 is listed first
    assert plain.returncode == 0, plain.stderr
    assert "Level 2" in plain.stdout[plain.stdout.rindex("In short"):]
    herts = run(tree, "assess", "-a", "herts", "-i", "herts-health-l4-01", "--consent", "yes", "--json")
    assert json.loads(herts.stdout)["level"] == 4


def test_an_unknown_authority_suggests_the_example(tree):
    result = run(tree, "contacts", "-a", "exampl")
    assert result.returncode == 2 and "did you mean 'example'" in result.stderr


def test_the_example_as_a_councils_own_folder():
    """As docs/data-format.md says to use it: validate the folder, then point TRIAGE_DATA_DIR at it."""
    checked = run_triage("validate", EXAMPLE)
    assert checked.returncode == 0, checked.stdout
    assert f"{EXAMPLE}: brings authority 'example'" in checked.stdout
    night = json.loads(run(EXAMPLE, "contacts", "-a", "example", "--at", NIGHT, "--json").stdout)
    assert night["call_now"]["phone"] == "01604 626 938"
    assert json.loads(run(EXAMPLE, "contacts", "-a", "herts", "--json").stdout)["authority"] == "herts"


@pytest.mark.parametrize("kind", ["authority", "domain", "common", "contacts"])
def test_the_schemas_in_the_docs_are_what_triage_schema_prints(kind):
    printed = run_triage("schema", kind)
    assert printed.returncode == 0
    assert (ROOT / "docs" / "schemas" / f"{kind}.schema.json").read_text(encoding="utf-8") == printed.stdout, \
        f"docs/schemas/{kind}.schema.json is out of date: triage schema {kind} > docs/schemas/{kind}.schema.json"


def test_the_examples_files_name_the_schemas_in_the_docs():
    for path in EXAMPLE.rglob("*.yaml"):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema="), path
        assert (path.parent / first.split("=", 1)[1]).resolve().is_file(), first
