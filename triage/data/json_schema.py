"""`triage schema KIND`: the JSON Schema (draft 2020-12) of each kind of data file, made from the
field specs `validate` checks against (triage/data/schema.py), so an editor with a YAML
language server checks a file as it is typed:

    # yaml-language-server: $schema=authority.schema.json

The specs say each key's kind and whether it is required; NESTED says which spec a mapping
(or a list of mappings) holds, as the builders read them. A schema is a first check for
editors: `triage validate` checks what a schema cannot (references between files, the
level calls, every phone number dialable, the source's words).
"""
from __future__ import annotations

import json

from ..model import PURPOSES
from .schema import (
    ANY,
    AUTHORITY_SPEC,
    BOOL,
    CLOSING_RULE_SPEC,
    COMMON_SPEC,
    CONSENT_SPEC,
    CONTACT_SPEC,
    CONTACTS_SPEC,
    DATE,
    DOMAIN_SPEC,
    GROUP_SPEC,
    HAVE_READY_SOURCE_SPEC,
    HAVE_READY_SPEC,
    ID,
    ID_,
    IDS,
    IN_DOUBT_SPEC,
    INDICATOR_SPEC,
    INT,
    LEVEL,
    LEVEL_SPEC,
    LEVELS,
    MAP,
    MAPS,
    PATHWAY_SPEC,
    PHONES,
    PROSE,
    REFERRAL_SPEC,
    SERVICE_SPEC,
    SOURCE_SPEC,
    TEXT,
    TEXTS,
    THRESHOLD_SPEC,
    URL,
    URL_,
)

DIALECT = "https://json-schema.org/draft/2020-12/schema"
ONE_LINE = "^[^\\u0000-\\u001f\\u007f-\\u009f]+$"  # not empty, no control character, no line break
DAY = "^(mon|tue|wed|thu|fri|sat|sun)(-(mon|tue|wed|thu|fri|sat|sun))?$"
TIME = {"type": "string", "pattern": "^\\d{2}:\\d{2}-\\d{2}:\\d{2}$"}
TIMES = {"oneOf": [TIME, {"type": "array", "items": TIME, "minItems": 1}]}  # validate takes one time, or a list

HOURS: dict = {"oneOf": [
    {"const": "always", "description": "24 hours a day, every day"},
    {"type": "object", "description": "open whenever that contact is closed",
     "properties": {"outside": {"$ref": "#/$defs/id"}}, "required": ["outside"], "additionalProperties": False},
    {"type": "object", "description": "weekly times, UK time: mon..sun or a range like mon-fri, each a list of "
                                      "\"HH:MM-HH:MM\"; bank_holidays: closed (the default), open, or times",
     "properties": {"bank_holidays": {"oneOf": [{"enum": ["closed", "open"]}, TIMES]}},
     "patternProperties": {DAY: TIMES}, "additionalProperties": False, "minProperties": 1},
]}

# Which record a mapping, or each mapping of a list, holds: (the record it is in, its key) ->
# (the record's name, its spec).
NESTED: dict[tuple[str, str], tuple[str, dict]] = {
    ("authority", "source"): ("source", SOURCE_SPEC), ("authority", "groups"): ("group", GROUP_SPEC),
    ("authority", "levels"): ("level", LEVEL_SPEC), ("authority", "thresholds"): ("threshold", THRESHOLD_SPEC),
    ("authority", "services"): ("service", SERVICE_SPEC), ("authority", "pathways"): ("pathway", PATHWAY_SPEC),
    ("authority", "in_doubt"): ("in_doubt", IN_DOUBT_SPEC),
    ("domain", "indicators"): ("indicator", INDICATOR_SPEC),
    ("common", "have_ready"): ("have_ready", HAVE_READY_SPEC),
    ("have_ready", "source"): ("have_ready_source", HAVE_READY_SOURCE_SPEC),
    ("common", "pathways"): ("pathway", PATHWAY_SPEC),
    ("contacts", "contacts"): ("contact", CONTACT_SPEC), ("contact", "closing_rule"): ("closing_rule", CLOSING_RULE_SPEC),
}
# The keys of kind ANY: one of several shapes, as the builders take them, with the records they use.
EITHER: dict[tuple[str, str], tuple[dict, tuple[tuple[str, dict], ...]]] = {
    ("authority", "consent"): ({"oneOf": [{"$ref": "#/$defs/consent"},
                                          {"type": "array", "items": {"$ref": "#/$defs/consent"}}]},
                               (("consent", CONSENT_SPEC),)),
    ("authority", "referral"): ({"oneOf": [{"$ref": "#/$defs/texts"}, {"$ref": "#/$defs/referral"}]},
                                (("referral", REFERRAL_SPEC),)),
    ("contact", "hours"): (HOURS, ()),
}

# Where validate asks more than the field's kind: a contact's month of confirmation.
NARROWER: dict[tuple[str, str], dict] = {
    ("contact", "confirmed"): {"type": "string", "pattern": "^\\d{4}-\\d{2}$",
                               "description": "the month its details were last confirmed: YYYY-MM"},
    ("contact", "purpose"): {"enum": list(PURPOSES), "description": "the heading it is listed under"},
}

# The kinds of data file, each with the spec of its top level and where such files are.
KINDS = {
    "authority": (AUTHORITY_SPEC, "indicators/<id>/authority.yaml"),
    "domain": (DOMAIN_SPEC, "indicators/<id>/<domain>.yaml"),
    "common": (COMMON_SPEC, "indicators/common.yaml"),
    "contacts": (CONTACTS_SPEC, "contacts/<id>.yaml, contacts/national.yaml, england/contacts/<council>.yaml"),
}

FIELD: dict[str, dict] = {
    TEXT: {"type": "string", "pattern": ONE_LINE},
    PROSE: {"type": "string"},
    ID_: {"$ref": "#/$defs/id"},
    INT: {"type": "integer"},
    BOOL: {"type": "boolean"},
    TEXTS: {"$ref": "#/$defs/texts"},
    IDS: {"type": "array", "items": {"$ref": "#/$defs/id"}},
    LEVEL: {"type": "integer", "minimum": 1, "maximum": 4},
    LEVELS: {"type": "array", "items": {"type": "integer", "minimum": 1, "maximum": 4}, "minItems": 1},
    DATE: {"type": "string", "pattern": "^\\d{4}(-\\d{2}(-\\d{2})?)?$", "description": "YYYY, YYYY-MM or YYYY-MM-DD"},
    PHONES: {"type": "array", "items": {"type": "string", "pattern": "^\\+?[0-9]+( [0-9]+)*( [Ee]xt\\.? [0-9]+( [0-9]+)*)?"
                                                                     "( / [0-9]+)*$"},
             "description": "UK numbers as dialled: \"0300 123 4567\", \"101\", \"101 Ext 801 5060\""},
    URL: {"type": "string", "pattern": URL_.pattern},
}


def schema(kind: str) -> dict:
    """The JSON Schema of one kind of data file."""
    spec, where = KINDS[kind]
    defs: dict[str, dict] = {"id": {"type": "string", "pattern": ID.pattern},
                             "texts": {"type": "array", "items": {"type": "string", "pattern": ONE_LINE}}}
    top = _object(kind, spec, defs)
    return {"$schema": DIALECT, "title": f"triage data file: {where}", **top, "$defs": defs}


def _object(name: str, spec: dict, defs: dict) -> dict:
    properties = {key: _field(name, key, kind, defs) for key, (kind, _) in spec.items()}
    return {"type": "object", "properties": properties, "additionalProperties": False,
            "required": [key for key, (_, required) in spec.items() if required]}


def _field(name: str, key: str, kind: str, defs: dict) -> dict:
    nullable = kind.endswith("?")
    kind = kind.rstrip("?")
    field: dict
    if (name, key) in NARROWER:
        field = NARROWER[(name, key)]
    elif kind in (MAP, MAPS):
        field = {"$ref": _define(*NESTED[(name, key)], defs)}
        if kind == MAPS:
            field = {"type": "array", "items": field}
    elif kind == ANY:
        field, records = EITHER[(name, key)]
        for record in records:
            _define(*record, defs)
    else:
        field = FIELD[kind]
    return {"anyOf": [field, {"type": "null"}]} if nullable else field


def _define(name: str, spec: dict, defs: dict) -> str:
    """A record's schema among the $defs (once), and the reference to it."""
    if name not in defs:
        defs[name] = _object(name, spec, defs)
    return f"#/$defs/{name}"


def run_schema(kind: str) -> None:
    import sys

    sys.stdout.write(json.dumps(schema(kind), indent=2, ensure_ascii=False) + "\n")
