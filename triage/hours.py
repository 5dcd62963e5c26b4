"""Parses the `hours:` of a contact (see docs/data-format.md) into OpeningHours."""
from __future__ import annotations

import re
from datetime import time
from typing import TYPE_CHECKING

from .model import OpeningHours, TimeRange

if TYPE_CHECKING:  # only parse() needs the schema, and only when the data is read from YAML
    from .data.schema import Checker

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
RANGE = re.compile(r"^(\d{2}):(\d{2})-(\d{2}):(\d{2})$")


def parse(raw, check: Checker, line: int | None) -> OpeningHours | None:
    from .data.schema import line_of

    if raw == "always":
        return OpeningHours(always=True)
    if not isinstance(raw, dict):
        check.problem(line, "hours should be 'always', a mapping of days to times, or 'outside: <contact id>'")
        return None
    if "outside" in raw:
        if len(raw) != 1 or not isinstance(raw["outside"], str):
            check.problem(line_of(raw, "outside") or line, "hours with 'outside' take only 'outside: <contact id>'")
            return None
        return OpeningHours(outside=raw["outside"])
    week: list[tuple[TimeRange, ...]] = [()] * 7
    bank_holidays: str | tuple[TimeRange, ...] = "closed"
    ok = True
    for key, value in raw.items():
        key_line = line_of(raw, key) or line
        if key == "bank_holidays":
            if value in ("closed", "open"):
                bank_holidays = value
            else:
                ranges = _ranges(value, check, key_line, "bank_holidays")
                if ranges is None:
                    ok = False
                else:
                    bank_holidays = ranges
            continue
        days = _days(str(key))
        if days is None:
            check.problem(key_line, _mistyped(f"'{key}' in hours", str(key)) or
                          f"unknown day '{key}' in hours: use mon..sun, a range like mon-fri, or bank_holidays")
            ok = False
            continue
        ranges = _ranges(value, check, key_line, str(key))
        if ranges is None:
            ok = False
            continue
        for day in days:
            if week[day]:
                check.problem(key_line, f"{DAY_NAMES[day]} is given hours twice")
                ok = False
            week[day] = ranges
    if ok and not any(week):
        check.problem(line, "hours name no day with opening times")
        ok = False
    return OpeningHours(week=tuple(week), bank_holidays=bank_holidays) if ok else None


def _days(key: str) -> list[int] | None:
    if key in DAYS:
        return [DAYS.index(key)]
    first, _, last = key.partition("-")
    if first in DAYS and last in DAYS and DAYS.index(first) <= DAYS.index(last):
        return list(range(DAYS.index(first), DAYS.index(last) + 1))
    return None


def _ranges(value, check: Checker, line, what: str) -> tuple[TimeRange, ...] | None:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value:
        check.problem(line, f"hours for {what} should be a list of times like \"08:30-17:00\"")
        return None
    ranges = []
    for item in value:
        match = RANGE.match(str(item))
        if not match:
            check.problem(line, _mistyped(f"'{item}' in hours for {what}", str(item)) or
                          f"'{item}' in hours for {what} should look like \"08:30-17:00\"")
            return None
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        if h1 > 23 or m1 > 59 or m2 > 59 or h2 > 24 or (h2 == 24 and m2):
            check.problem(line, f"'{item}' in hours for {what} is not a time of day")
            return None
        start, end = time(h1, m1), (None if h2 == 24 else time(h2, m2))
        if end is not None and end <= start:
            check.problem(line, f"'{item}' in hours for {what} ends before it starts (split a range that crosses midnight)")
            return None
        ranges.append(TimeRange(start, end))
    return tuple(sorted(ranges, key=lambda r: r.start))


# Dashes that look like a hyphen: an en dash is what a word processor makes of "9-5".
DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"


def _mistyped(what: str, text: str) -> str | None:
    """What makes a day or a time that looks right wrong, named: a dash that is not a hyphen
    (U+2013...), or a character that cannot be seen; None when it is neither."""
    import unicodedata

    from .data.schema import unshowable

    dash = next((c for c in text if c in DASHES), None)
    if dash:
        right = "".join("-" if c in DASHES else c for c in text)
        return f"{what} uses U+{ord(dash):04X} ({unicodedata.name(dash).lower()}): use a hyphen: {right}"
    wrong = unshowable(text)
    return f"{what} {wrong}" if wrong else None


def describe(hours: OpeningHours) -> str:
    """Opening hours in words, for the contacts table."""
    if hours.always:
        return "24 hours, every day"
    if hours.outside:
        return "whenever the office it covers is closed"
    groups: list[tuple[int, int, tuple[TimeRange, ...]]] = []
    for day, ranges in enumerate(hours.week):
        if groups and groups[-1][2] == ranges and groups[-1][1] == day - 1:
            groups[-1] = (groups[-1][0], day, ranges)
        else:
            groups.append((day, day, ranges))
    parts = []
    for first, last, ranges in groups:
        if not ranges:
            continue
        days = DAY_NAMES[first][:3] if first == last else f"{DAY_NAMES[first][:3]}-{DAY_NAMES[last][:3]}"
        parts.append(f"{days} {', '.join(str(r) for r in ranges)}")
    if hours.bank_holidays == "closed":
        parts.append("closed on bank holidays")
    elif hours.bank_holidays == "open":
        parts.append("bank holidays as usual")
    else:
        parts.append(f"bank holidays {', '.join(str(r) for r in hours.bank_holidays)}")
    return "; ".join(parts)
