"""What a valid data file holds: one field spec per kind of record, and the checks of each field.

A Checker checks one parsed node against a spec, recording `file:line` problems. Nodes come
from ruamel.yaml: plain values (no line known) on the fast path, round-trip nodes (which
know their lines) when a file's problems must be located (see loader.py).
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata

from ..errors import Problem

ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")

# Field kinds. A trailing "?" means the value may be null. PROSE is text that may run over
# several lines (a source's list, as printed); every other text is one line.
TEXT, PROSE, ID_, INT, BOOL, TEXTS, IDS, LEVEL, LEVELS, MAP, MAPS, DATE, ANY, PHONES, URL = (
    "text", "prose", "id", "int", "bool", "texts", "ids", "level", "levels", "map", "maps", "date", "any", "phones",
    "url",
)
# Control characters could rewrite the screen (an escape sequence can erase a line and print a
# fake number over it); bidirectional overrides reorder what is read.
CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# A number as a person dials it: digits in groups, optionally "+44", optionally an extension.
# [0-9], not \d: \d takes any script's digits, and phonenumbers reads a Bengali 3 as a 3.
PHONE = re.compile(r"^(\+?[0-9]+(?: [0-9]+)*)(?: [Ee]xt\.? ([0-9]+(?: [0-9]+)*))?$")
URL_ = re.compile(r"^(https?://)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(:\d+)?(/[!-~]*)?$")
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
                hidden = unshowable(key) if isinstance(key, str) else None  # 'text\u200b' looks like 'text'
                self.problem(line_of(node, key), f"unknown key '{key}' in {what}" + (f": it {hidden}" if hidden else "")
                             + f" (known keys: {known})")
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


def _text(checker: Checker, raw, what, line, lines: bool = False):
    if isinstance(raw, bool) or not isinstance(raw, (str, int, float)):
        checker.problem(line, f"{what} should be text, found {_kind_name(raw)}")
        return _INVALID
    if not isinstance(raw, str):
        checker.problem(line, f"{what} should be text in quotes, found the number {raw}")
        return _INVALID
    if not raw.strip():
        checker.problem(line, f"{what} is empty")
        return _INVALID
    wrong = unshowable(raw, lines)
    if wrong:
        checker.problem(line, f"{what} {wrong}")
        return _INVALID
    return str(raw)


def _prose(checker: Checker, raw, what, line):
    return _text(checker, raw, what, line, lines=True)


def unshowable(text: str, lines: bool = False) -> str | None:
    """What is wrong with a text that is shown, or None: a control character, a line break
    where one line is shown (a name split over two lines can put a number that is not its
    own where its number should be), or a character that cannot be seen (a zero-width space
    breaks a search for the words; a no-break space makes a number that looks right wrong).
    Named by code point: the character itself shows nothing."""
    if text.isprintable() or (lines and text.replace("\n", "").isprintable()):  # nearly always, at C speed
        return None
    control = CONTROL.search(text)
    if control:
        return f"holds the control character U+{ord(control.group()):04X}: remove it"
    if "\n" in text and not lines:
        return f"holds a line break after \"{_before(text, text.index(chr(10)))}\": write it on one line"
    for index, char in enumerate(text):
        if char == "\n" or char.isprintable():
            continue
        named = f"U+{ord(char):04X} ({unicodedata.name(char, 'unnamed')})"
        where = f" after \"{_before(text, index)}\"" if index else " at the start"
        if unicodedata.category(char) == "Zs":
            return f"holds {named}{where}, which looks like a space but is not one: type a plain space"
        return (f"holds the invisible character {named}{where}: remove it (it cannot be seen, and a search for the "
                "words would not find them)")
    return None


def _before(text: str, index: int) -> str:
    """The few words before a character, to find it by."""
    shown = "".join(c if c.isprintable() else " " for c in text[max(0, index - 24):index])
    return " ".join(shown.split())


def _phone(checker: Checker, raw, what, line):
    """A valid UK telephone number, or a short number such as 999, 101 or 111. Numbers that
    share an area code may be listed as a source prints them: "01909 533455 / 533401"."""
    value = _text(checker, raw, what, line)
    if value is _INVALID:
        return value
    foreign = next((c for c in value if not c.isascii()), None)
    if foreign:
        name = unicodedata.name(foreign, "unnamed")
        right = "in the digits 0-9" if "DIGIT" in name else "with the digits 0-9 and plain spaces only"
        checker.problem(line, f"{what} '{value}' holds '{foreign}' (U+{ord(foreign):04X}, {name}): write the number {right}")
        return _INVALID
    first, *more = value.split(" / ")
    match = PHONE.match(first)
    valid = match is not None and _dialable(match.group(1))
    if match is not None and valid and more:
        area, _, local = match.group(1).rpartition(" ")
        valid = not match.group(2) and all(
            part.isdigit() and len(part) == len(local) and _dialable(f"{area} {part}") for part in more)
    if not valid:
        checker.problem(line, f"{what} '{value}' is not a valid UK telephone number: write one number as "
                              "it is dialled, e.g. \"0300 123 4567\", \"101\" or \"101 ext 801 5060\"")
        return _INVALID
    return value


def _dialable(number: str) -> bool:
    import phonenumbers
    from phonenumbers import shortnumberinfo

    try:
        parsed = phonenumbers.parse(number, "GB")
    except phonenumbers.NumberParseException:
        return False
    if parsed.country_code != 44:
        return False
    return phonenumbers.is_valid_number(parsed) or shortnumberinfo.is_valid_short_number(parsed)


def _url(checker: Checker, raw, what, line):
    value = _text(checker, raw, what, line)
    if value is not _INVALID and not URL_.match(value):
        checker.problem(line, f"{what} '{value}' is not a web address: write it like www.example.gov.uk/page "
                              "or https://www.example.gov.uk/page, without spaces")
        return _INVALID
    return value


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
        value = raw.isoformat()[:10]
    else:
        value = _text(checker, raw, what, line)
        if value is _INVALID:
            return value
        if not re.fullmatch(r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?", value):
            checker.problem(line, f"{what} '{value}' should be a date: YYYY, YYYY-MM or YYYY-MM-DD")
            return _INVALID
    wrong = _impossible(value)
    if wrong:
        checker.problem(line, f"{what} '{value}' {wrong}")
        return _INVALID
    return value


def _impossible(value: str) -> str | None:
    """Why a date (YYYY, YYYY-MM or YYYY-MM-DD) cannot be a real past date, or None. A date in
    the future would switch off the warning that a contact has not been confirmed lately."""
    from ..clock import now

    parts = [int(p) for p in value.split("-")]
    if len(parts) > 1 and not 1 <= parts[1] <= 12:
        return f"is not a real date: there is no month {parts[1]:02d} (write YYYY-MM with a month from 01 to 12)"
    if len(parts) > 2:
        try:
            dt.date(*parts)
        except ValueError:
            return f"is not a real date: {parts[0]}-{parts[1]:02d} has no day {parts[2]:02d}"
    today = now().date()
    if parts > [today.year, today.month, today.day][:len(parts)]:
        return f"is after today ({today.isoformat()}): give the date it was, not one to come"
    return None


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
    PROSE: _prose,
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
    PHONES: _list_of("phone"),
    "phone": _phone,
    URL: _url,
}


# ---------------------------------------------------------------------------------------
# One spec per kind of record: {key: (kind, required)}. Unknown keys are errors.

SOURCE_SPEC = {
    "file": (TEXT, REQUIRED), "title": (TEXT, REQUIRED), "publisher": (TEXT, REQUIRED),
    "version": (TEXT, OPTIONAL), "date": (DATE, OPTIONAL), "retrieved": (DATE, OPTIONAL),
    "url": (URL, OPTIONAL),
}
AUTHORITY_SPEC = {
    "id": (ID_, REQUIRED), "name": (TEXT, REQUIRED), "aliases": (TEXTS, OPTIONAL),
    "source": (MAP, REQUIRED), "notice": ("text?", OPTIONAL), "groups": (MAPS, OPTIONAL),
    "domains": (IDS, OPTIONAL),
    # consent: one rule (a mapping) or a list of rules, each for its own levels;
    # referral: a list of steps (all levels from 2) or a mapping {levels, steps}
    "levels": (MAPS, REQUIRED), "thresholds": (MAPS, OPTIONAL), "consent": (ANY, REQUIRED),
    "referral": (ANY, OPTIONAL), "services": (MAPS, OPTIONAL), "pathways": (MAPS, OPTIONAL),
    "in_doubt": (MAP, OPTIONAL),
}
IN_DOUBT_SPEC = {"text": (TEXT, REQUIRED), "call": (ID_, REQUIRED), "source": (TEXT, REQUIRED)}
GROUP_SPEC = {"name": (TEXT, REQUIRED), "domains": (IDS, REQUIRED)}
LEVEL_SPEC = {
    "level": (LEVEL, REQUIRED), "name": (TEXT, REQUIRED), "description": (PROSE, REQUIRED),
    "action": (PROSE, REQUIRED), "services": (IDS, REQUIRED), "call": ("id?", REQUIRED),
    "advice": ("prose?", OPTIONAL), "takes_referrals": (BOOL, OPTIONAL), "source": (TEXT, REQUIRED),
    "also": (IDS, OPTIONAL), "not_held": (TEXT, OPTIONAL),
}
THRESHOLD_SPEC = {
    "id": (TEXT, REQUIRED), "name": (TEXT, REQUIRED), "description": (PROSE, REQUIRED),
    "condition": (TEXT, OPTIONAL), "not_exhaustive": (TEXT, OPTIONAL), "source": (TEXT, REQUIRED),
}
REFERRAL_SPEC = {"levels": (LEVELS, REQUIRED), "steps": (TEXTS, REQUIRED)}
CONSENT_SPEC = {
    "levels": (LEVELS, REQUIRED), "summary": (PROSE, REQUIRED), "requirements": (TEXTS, OPTIONAL),
    "exceptions": (TEXTS, REQUIRED), "source": (TEXT, REQUIRED), "child": (TEXT, OPTIONAL),
}
SERVICE_SPEC = {
    "id": (ID_, REQUIRED), "name": (TEXT, REQUIRED), "description": (PROSE, REQUIRED),
    "phone": (PHONES, OPTIONAL), "email": (TEXTS, OPTIONAL), "url": (URL, OPTIONAL),
    "contact": (ID_, OPTIONAL), "source": (TEXT, REQUIRED),
}
PATHWAY_SPEC = {
    "id": (ID_, REQUIRED), "name": (TEXT, REQUIRED), "action": (PROSE, REQUIRED),
    "contact": ("id?", OPTIONAL), "assumption": (PROSE, OPTIONAL), "source": (TEXT, REQUIRED),
    "known_case": (ID_, OPTIONAL), "trigger": (TEXT, OPTIONAL), "by_next_working_day": (BOOL, OPTIONAL),
}
DOMAIN_SPEC = {
    "id": (ID_, REQUIRED), "name": (TEXT, REQUIRED), "source": (TEXT, REQUIRED),
    "indicators": (MAPS, REQUIRED),
}
INDICATOR_SPEC = {
    "id": (ID_, REQUIRED), "level": (LEVEL, REQUIRED), "text": (TEXT, REQUIRED),
    "pathways": (IDS, OPTIONAL), "threshold": (TEXT, OPTIONAL), "note": (TEXT, OPTIONAL),
    "same_as": (ID_, OPTIONAL), "condition": (TEXT, OPTIONAL), "source": (TEXT, OPTIONAL),
}
COMMON_SPEC = {"have_ready": (MAP, REQUIRED), "pathways": (MAPS, OPTIONAL)}
HAVE_READY_SPEC = {"source": (MAP, REQUIRED), "items": (TEXTS, REQUIRED), "emphasis": (TEXT, OPTIONAL)}
HAVE_READY_SOURCE_SPEC = {**SOURCE_SPEC, "publisher": (TEXT, OPTIONAL)}
CONTACTS_SPEC = {"authority": (ID_, REQUIRED), "front_door": (ID_, REQUIRED), "contacts": (MAPS, REQUIRED)}
CONTACT_SPEC = {
    "id": (ID_, REQUIRED), "name": (TEXT, REQUIRED), "purpose": (ID_, REQUIRED),
    "for": (TEXT, OPTIONAL), "phone": (PHONES, OPTIONAL), "email": (TEXTS, OPTIONAL),
    "url": (URL, OPTIONAL), "district": ("text?", OPTIONAL), "hours": (ANY, REQUIRED),
    "covered_by": ("id?", OPTIONAL), "out_of_hours": (BOOL, OPTIONAL), "routing": (TEXT, OPTIONAL),
    "assumption": (PROSE, OPTIONAL), "note": (PROSE, OPTIONAL), "confirmed": (DATE, REQUIRED),
    "closing_rule": (MAP, OPTIONAL), "source": (TEXT, REQUIRED),
}
CLOSING_RULE_SPEC = {"minutes": (INT, REQUIRED), "rule": (PROSE, REQUIRED)}


def text_keys() -> frozenset[str]:
    """The keys that hold text wherever they appear (a value cut short there is lost words)."""
    global _TEXT_KEYS
    if _TEXT_KEYS is None:
        kinds: dict[str, set[str]] = {}
        for name, spec in globals().items():
            if name.endswith("_SPEC"):
                for key, (kind, _) in spec.items():
                    kinds.setdefault(key, set()).add(kind.rstrip("?"))
        # A key that is a mapping elsewhere (a source) still holds text wherever its value is text.
        _TEXT_KEYS = frozenset(key for key, found in kinds.items() if found <= {TEXT, PROSE, TEXTS, MAP} and found != {MAP})
    return _TEXT_KEYS


_TEXT_KEYS: frozenset[str] | None = None
