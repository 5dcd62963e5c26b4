"""Checks one parsed YAML node against a small field spec, recording `file:line` problems.

Nodes come from ruamel.yaml, which knows their line numbers.
"""
from __future__ import annotations

import datetime as dt
import re

from .errors import Problem

ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")

# Field kinds. A trailing "?" means the value may be null.
TEXT, ID_, INT, BOOL, TEXTS, IDS, LEVEL, LEVELS, MAP, MAPS, DATE, ANY = (
    "text", "id", "int", "bool", "texts", "ids", "level", "levels", "map", "maps", "date", "any",
)
REQUIRED, OPTIONAL = True, False


def line_of(node, key=None) -> int | None:
    """The 1-based line of a node, or of one key or item inside it, when ruamel knows it."""
    lc = getattr(node, "lc", None)
    if lc is None:
        return None
    try:
        if key is None:
            return lc.line + 1
        if isinstance(key, int):
            return lc.item(key)[0] + 1
        return lc.key(key)[0] + 1
    except (KeyError, IndexError, TypeError, AttributeError):
        return lc.line + 1


class Checker:
    """Collects the problems of one file."""

    def __init__(self, file: str, problems: list[Problem]):
        self.file = file
        self.problems = problems

    def problem(self, line: int | None, message: str) -> None:
        self.problems.append(Problem(self.file, line, message))

    def mapping(self, node, what: str, line: int | None = None) -> bool:
        if isinstance(node, dict):
            return True
        found = "nothing" if node is None else type(node).__name__.replace("Commented", "").lower()
        self.problem(line if line else line_of(node), f"{what} should be a mapping of keys, found {found}")
        return False

    def fields(self, node, what: str, spec: dict[str, tuple[str, bool]], line: int | None = None) -> dict | None:
        """Check `node` against `spec`; return its values (None when it is not a mapping).

        Missing optional keys are left out of the result; invalid values too, after a problem
        is recorded, so callers can read `values.get(key)` safely.
        """
        if not self.mapping(node, what, line):
            return None
        values = {}
        for key in node:
            if key not in spec:
                known = ", ".join(spec)
                self.problem(line_of(node, key), f"unknown key '{key}' in {what} (known keys: {known})")
        for key, (kind, required) in spec.items():
            if key not in node:
                if required:
                    self.problem(line_of(node), f"{what} is missing the required key '{key}'")
                continue
            value = self.value(node[key], kind, f"'{key}' of {what}", line_of(node, key))
            if value is not _INVALID:
                values[key] = value
        return values

    def value(self, raw, kind: str, what: str, line: int | None):
        nullable = kind.endswith("?")
        kind = kind.rstrip("?")
        if raw is None:
            if nullable:
                return None
            self.problem(line, f"{what} is empty")
            return _INVALID
        check = _KINDS[kind]
        result = check(self, raw, what, line)
        return result


_INVALID = object()


def _text(checker: Checker, raw, what, line):
    if isinstance(raw, bool) or not isinstance(raw, (str, int, float)):
        checker.problem(line, f"{what} should be text, found {_kind_name(raw)}")
        return _INVALID
    if not isinstance(raw, str):
        checker.problem(line, f"{what} should be text in quotes, found the number {raw}")
        return _INVALID
    if not raw.strip():
        checker.problem(line, f"{what} is empty")
        return _INVALID
    return str(raw)


def _id(checker: Checker, raw, what, line):
    value = _text(checker, raw, what, line)
    if value is _INVALID:
        return value
    if not ID.match(value):
        checker.problem(line, f"{what} '{value}' should be lower-case words joined by '-'")
        return _INVALID
    return value


def _int(checker: Checker, raw, what, line):
    if isinstance(raw, bool) or not isinstance(raw, int):
        checker.problem(line, f"{what} should be a whole number, found {_kind_name(raw)}")
        return _INVALID
    return int(raw)


def _level(checker: Checker, raw, what, line):
    value = _int(checker, raw, what, line)
    if value is not _INVALID and not 1 <= value <= 4:
        checker.problem(line, f"{what} is {value}: a level must be 1, 2, 3 or 4")
        return _INVALID
    return value


def _bool(checker: Checker, raw, what, line):
    if not isinstance(raw, bool):
        checker.problem(line, f"{what} should be true or false, found {_kind_name(raw)}")
        return _INVALID
    return bool(raw)


def _date(checker: Checker, raw, what, line):
    if isinstance(raw, (dt.date, dt.datetime)):
        return raw.isoformat()[:10]
    value = _text(checker, raw, what, line)
    if value is _INVALID:
        return value
    if not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value):
        checker.problem(line, f"{what} '{value}' should be a date: YYYY, YYYY-MM or YYYY-MM-DD")
        return _INVALID
    return value


def _list_of(item_kind: str):
    def check(checker: Checker, raw, what, line):
        if not isinstance(raw, list):
            checker.problem(line, f"{what} should be a list, found {_kind_name(raw)}")
            return _INVALID
        items = []
        for index, item in enumerate(raw):
            value = checker.value(item, item_kind, f"item {index + 1} of {what}", line_of(raw, index) or line)
            if value is not _INVALID:
                items.append(value)
        return items

    return check


def _map(checker: Checker, raw, what, line):
    return raw if checker.mapping(raw, what, line) else _INVALID


def _any(checker: Checker, raw, what, line):
    return raw


def _kind_name(raw) -> str:
    if isinstance(raw, bool):
        return f"'{str(raw).lower()}'"
    if isinstance(raw, dict):
        return "a mapping"
    if isinstance(raw, list):
        return "a list"
    if isinstance(raw, (int, float)):
        return f"the number {raw}"
    return f"'{raw}'"


_KINDS = {
    TEXT: _text,
    ID_: _id,
    INT: _int,
    BOOL: _bool,
    LEVEL: _level,
    DATE: _date,
    MAP: _map,
    ANY: _any,
    TEXTS: _list_of(TEXT),
    IDS: _list_of(ID_),
    LEVELS: _list_of(LEVEL),
    MAPS: _list_of(MAP),
}
