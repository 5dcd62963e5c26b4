"""`triage schema KIND`: a JSON Schema (draft 2020-12) an editor can check files against, made
from the specs validate uses: valid as a schema, passed by every shipped file, failed by a file
with an unknown key, a missing key or hours a person might write by mistake."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import DATA, run_triage
from jsonschema import Draft202012Validator
from ruamel.yaml import YAML

from triage.data.json_schema import KINDS

YAML_SAFE = YAML(typ="safe")


@pytest.fixture(scope="module")
def schemas() -> dict[str, dict]:
    found = {}
    for kind in KINDS:
        result = run_triage("schema", kind)
        assert result.returncode == 0, result.stderr
        found[kind] = json.loads(result.stdout)
    return found


def kind_of(path: Path) -> str:
    rel = path.relative_to(DATA).as_posix()
    if rel == "indicators/common.yaml":
        return "common"
    if rel.startswith("indicators/"):
        return "authority" if path.name == "authority.yaml" else "domain"
    return "contacts"


def errors(schema: dict, document) -> list[str]:
    return [error.message for error in Draft202012Validator(schema).iter_errors(document)]


def test_each_kind_is_a_valid_draft_2020_12_schema(schemas):
    for kind, schema in schemas.items():
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        Draft202012Validator.check_schema(schema)


def test_every_shipped_file_passes_its_schema(schemas):
    files = sorted(DATA.rglob("*.yaml"))
    assert len(files) >= 47
    failing = {str(f): errors(schemas[kind_of(f)], YAML_SAFE.load(f.read_text(encoding="utf-8"))) for f in files}
    assert {f: e for f, e in failing.items() if e} == {}


def load(rel: str):
    return YAML_SAFE.load((DATA / rel).read_text(encoding="utf-8"))


def test_an_unknown_key_fails(schemas):
    authority = load("indicators/herts/authority.yaml")
    authority["colour"] = "red"
    assert any("'colour' was unexpected" in e for e in errors(schemas["authority"], authority))
    domain = load("indicators/herts/health.yaml")
    domain["indicators"][0]["levle"] = 4
    assert any("'levle' was unexpected" in e for e in errors(schemas["domain"], domain))


def test_a_missing_key_a_bad_level_and_mistyped_hours_fail(schemas):
    domain = load("indicators/herts/health.yaml")
    del domain["indicators"][0]["text"]
    domain["indicators"][1]["level"] = 5
    found = errors(schemas["domain"], domain)
    assert any("'text' is a required property" in e for e in found)
    assert any("5 is greater than the maximum of 4" in e for e in found)
    contacts = load("contacts/notts.yaml")
    contacts["contacts"][0]["hours"] = {"weekdays": ["09:00-17:00"]}
    contacts["contacts"][1]["phone"] = ["0300 500 80 90 (option 1)"]
    assert len(errors(schemas["contacts"], contacts)) == 2


def test_an_unknown_kind_is_one_line():
    result = run_triage("schema", "authorities")
    assert result.returncode == 2
    assert result.stderr == ("triage: error: unknown kind of data file 'authorities': give one of authority, domain, "
                             "common, contacts\n")


def test_the_schema_takes_what_validate_takes_and_refuses_what_it_refuses(schemas):
    """Red team: one time as text passed validate but not the schema; an empty text, an empty
    list of times and a year as a contact's month passed the schema but not validate."""
    contacts = load("contacts/notts.yaml")
    contacts["contacts"][0]["hours"] = {"mon-fri": "09:00-17:00"}
    assert errors(schemas["contacts"], contacts) == []
    for change in ({"confirmed": "2026"}, {"confirmed": "2026-11-15"}, {"hours": {"mon-fri": []}}, {"name": ""}):
        contact = {**load("contacts/notts.yaml")["contacts"][0], **change}
        assert errors(schemas["contacts"], {**contacts, "contacts": [contact]}), change
