"""Is a contact open at a moment, when does it next open, and whom to call now.

All opening hours are Europe/London wall-clock times, whatever the machine's time zone;
England's bank holidays come from the `holidays` package and count as closed days for
office-hours lines unless a contact says otherwise.
"""
# Annotations are evaluated (no `from __future__ import annotations`): NamedTuple would
# compile each string annotation on every start (see model.py).

import os
from datetime import UTC, date, datetime, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from . import cache
from .hours import DAY_NAMES
from .model import Contact, TimeRange

LONDON = ZoneInfo("Europe/London")
PACKAGED_HOLIDAYS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "built", "bank-holidays.msgpack")
CACHED_HOLIDAYS = "bank-holidays.msgpack"
SEARCH_DAYS = 21  # longer than any run of closed days (Christmas, Easter, a weekend)


# ---------------------------------------------------------------------------------------
# Moments


FIRST_YEAR, LAST_YEAR = 2000, 2100  # the moments --at accepts: well inside what datetime and zoneinfo can convert


def parse_at(text: str) -> datetime:
    """An ISO 8601 moment. Without an offset it is UK local time (fold=0, as zoneinfo reads
    a repeated or skipped time); with an offset or Z it is converted. Raises ValueError, also
    for a moment outside FIRST_YEAR to LAST_YEAR."""
    cleaned = text.strip()
    try:
        moment = datetime.fromisoformat(cleaned)
    except ValueError:
        raise ValueError(f"'{text}' is not an ISO 8601 date and time: use e.g. 2026-11-27T16:45 or "
                         "2026-11-27T16:45:00+00:00") from None
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise ValueError(f"'{text}' is outside the supported range: give a moment from {FIRST_YEAR}-01-01 to "
                         f"{LAST_YEAR}-12-31") from None
    return to_london(moment)


def to_london(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        return moment.replace(tzinfo=LONDON)
    return moment.astimezone(LONDON)


def now() -> datetime:
    """This minute in UK time. Every opening time is a whole minute, so dropping the seconds
    never changes an answer, and the moment shown and recorded is the one used."""
    return datetime.now(UTC).replace(second=0, microsecond=0).astimezone(LONDON)


# ---------------------------------------------------------------------------------------
# Bank holidays

_holidays: dict[int, dict[str, str]] = {}


def bank_holiday(day: date) -> str | None:
    """The name of the bank holiday in England on `day`, or None."""
    return bank_holidays(day.year).get(day.isoformat())


def bank_holidays(year: int) -> dict[str, str]:
    """England's bank holidays of one year: {ISO date: name}.

    Computing them imports the `holidays` package (about 0.2 s), so they are kept: the wheel
    ships years precomputed at build time, and other years are cached in the user's cache
    directory. Both are keyed by the installed `holidays` release and ignored when it
    differs, so an update that adds a special bank holiday is seen at once."""
    if year in _holidays:
        return _holidays[year]
    header = cache.header("bank-holidays", holidays_stamp())
    # The packaged years first: reading them needs no cache folder (nor platformdirs).
    dates = _year(decode_holidays(cache.load(PACKAGED_HOLIDAYS, header)), year)
    if dates is None:
        cached = decode_holidays(cache.read(CACHED_HOLIDAYS, header)) or {}
        dates = _year(cached, year)
        if dates is None:
            dates = cached[year] = compute_bank_holidays(year)
            cache.write(CACHED_HOLIDAYS, header, encode_holidays(cached))
    _holidays[year] = dates
    return dates


def _year(stored: dict | None, year: int) -> dict[str, str] | None:
    return stored.get(year) if stored else None


def encode_holidays(years: dict[int, dict[str, str]]) -> bytes:
    import msgspec

    return msgspec.msgpack.encode(years)


def decode_holidays(data: bytes | None) -> dict[int, dict[str, str]] | None:
    """Stored years as {year: {ISO date: name}}; None for anything else (never code: msgspec)."""
    if data is None:
        return None
    import msgspec

    try:
        return msgspec.msgpack.decode(data, type=dict[int, dict[str, str]])
    except (msgspec.DecodeError, msgspec.ValidationError, ValueError):
        return None


def compute_bank_holidays(year: int) -> dict[str, str]:
    import holidays

    return {d.isoformat(): name for d, name in holidays.country_holidays("GB", subdiv="ENG", years=year).items()}


def holidays_stamp() -> str:
    """The installed `holidays` release, from its dist-info folder's name (no import)."""
    from importlib.util import find_spec

    spec = find_spec("holidays")
    if spec is None or not spec.origin:
        return "holidays missing"
    site = os.path.dirname(os.path.dirname(spec.origin))
    try:
        names = [n for n in os.listdir(site) if n.startswith("holidays-") and n.endswith(".dist-info")]
    except OSError:
        names = []
    return names[0] if len(names) == 1 else f"{spec.origin}:{os.stat(spec.origin).st_mtime_ns}"


# ---------------------------------------------------------------------------------------
# Opening hours


def ranges_on(contact: Contact, day: date) -> tuple[TimeRange, ...]:
    hours = contact.hours
    if bank_holiday(day):
        if isinstance(hours.bank_holidays, tuple):  # its own hours on bank holidays
            return hours.bank_holidays
        if hours.bank_holidays == "closed":
            return ()
    return hours.week[day.weekday()]


def is_open(contact: Contact, moment: datetime, contacts: dict[str, Contact]) -> bool:
    # Followed in a loop, at most once per contact: validate refuses contacts open only
    # outside each other's hours, and a ring that got past it is closed, never a RecursionError.
    open_outside = False
    for _ in range(len(contacts) + 1):
        hours = contact.hours
        if hours.always:
            return not open_outside
        if not hours.outside:
            local = to_london(moment)
            return open_outside != any(r.contains(local.time()) for r in ranges_on(contact, local.date()))
        contact, open_outside = contacts[hours.outside], not open_outside
    return False


def next_open(contact: Contact, moment: datetime, contacts: dict[str, Contact]) -> datetime | None:
    """When a closed contact next opens (None while it is open)."""
    if is_open(contact, moment, contacts):
        return None
    if contact.hours.outside:
        return next_close(contacts[contact.hours.outside], moment, contacts)
    local = to_london(moment)
    for offset in range(SEARCH_DAYS):
        day = local.date() + timedelta(days=offset)
        for r in ranges_on(contact, day):
            start = _at(day, r.start)
            if start.timestamp() > moment.timestamp():  # compare instants, not wall times
                return start
    return None


def next_close(contact: Contact, moment: datetime, contacts: dict[str, Contact]) -> datetime | None:
    """When an open contact next closes (None when it never does, or is closed now)."""
    if contact.hours.always or not is_open(contact, moment, contacts):
        return None
    if contact.hours.outside:
        return next_open(contacts[contact.hours.outside], moment, contacts)
    local = to_london(moment)
    day = local.date()
    for _ in range(SEARCH_DAYS):
        current = next((r for r in ranges_on(contact, day) if r.contains(local.time()) or r.start == local.time()), None)
        if current is None:
            return None
        if current.end is not None:
            return _at(day, current.end)
        # Open until midnight: carry on if the next day opens at 00:00.
        day += timedelta(days=1)
        local = _at(day, datetime.min.time())
        if not any(r.start == local.time() for r in ranges_on(contact, day)):
            return local
    return None


def _at(day: date, wall) -> datetime:
    """A wall-clock time on a UK date, as an aware datetime (fold=0 across clock changes)."""
    return datetime.combine(day, wall, tzinfo=LONDON).astimezone(UTC).astimezone(LONDON)


def why_closed(contact: Contact, moment: datetime) -> str:
    """Why an office-hours line is closed at `moment`, e.g. 'Friday hours end at 16:30'."""
    local = to_london(moment)
    day = local.date()
    holiday = bank_holiday(day)
    ranges = ranges_on(contact, day)
    if holiday and not ranges:
        return f"closed on bank holidays ({holiday})"
    if not ranges:
        return f"closed on {DAY_NAMES[day.weekday()]}s"
    if local.time() < ranges[0].start:
        return "not open yet today"  # when it opens is said once, by whoever shows the call
    last = ranges[-1]
    if last.end is not None and local.time() >= last.end:
        return f"{DAY_NAMES[day.weekday()]} hours end at {last.end:%H:%M}"
    return "closed between its opening times"


# ---------------------------------------------------------------------------------------
# Whom to call


class Call(NamedTuple):
    contact: Contact
    open_now: bool
    next_open: datetime | None  # when `first_choice` next opens (None while it is open)
    reason: str
    first_choice: Contact | None = None  # the line asked for, when another answers instead
    note: str | None = None  # the line's rule for this moment (the MASH's last 30 minutes)

    @property
    def stands_in_for(self) -> Contact | None:
        """The closed line asked for, when this call's line answers instead."""
        first = self.first_choice
        return first if first is not None and first.id != self.contact.id else None

    @property
    def assumptions(self) -> tuple[str, ...]:
        """What the routing assumed: the closed office's hours, then this line's. Every place
        the line is shown says them."""
        return tuple(c.assumption for c in (self.stands_in_for, self.contact) if c is not None and c.assumption)


def call_for(first_choice: Contact, moment: datetime, contacts: dict[str, Contact],
             emergency_fallback: bool) -> Call:
    """The line to call about a child now, starting from `first_choice`.

    When it is closed, the contacts that cover it (`covered_by`, in turn) are tried. When none
    is open: with `emergency_fallback`, 999 is named for an emergency; otherwise the closed
    line itself is returned with when it opens."""
    if not first_choice.phone and not first_choice.email and first_choice.url:  # nothing answers: it is read
        return Call(first_choice, True, None, "Online: a web page, not a line that answers")
    if is_open(first_choice, moment, contacts):
        closes = next_close(first_choice, moment, contacts)
        until = f" until {format_moment(closes, moment)}" if closes else ", 24 hours a day"
        return Call(first_choice, True, None, f"Open now{until}",
                    note=closing_rule_note(first_choice, moment, contacts))
    opens = next_open(first_choice, moment, contacts)
    why = f"{first_choice.name} closed: {why_closed(first_choice, moment)}" if not first_choice.hours.outside \
        else f"{first_choice.name} closed"
    seen = {first_choice.id}
    cover = contacts.get(first_choice.covered_by or "")
    while cover is not None and cover.id not in seen:
        if is_open(cover, moment, contacts):
            return Call(cover, True, opens, f"{why}: call {cover.name}", first_choice)
        seen.add(cover.id)
        cover = contacts.get(cover.covered_by or "")
    # When it next opens is in the Call (next_open), and said once by whoever shows it.
    if emergency_fallback and "emergency-999" in contacts:
        return Call(contacts["emergency-999"], True, opens,
                    f"{why} and no out-of-hours line is open: in an emergency call 999", first_choice)
    if not any(c.out_of_hours and c.purpose == "safeguarding" for c in contacts.values()):
        # Leeds: its out-of-hours team's number is not held, so none is there to be "for emergencies".
        return Call(first_choice, False, opens, f"{why}; triage holds no out-of-hours line here: in an emergency "
                    "call 999", first_choice)
    return Call(first_choice, False, opens, f"{why}. The out-of-hours lines are for emergencies only", first_choice)


def format_moment(moment: datetime | None, relative_to: datetime | None = None) -> str:
    """'16:30 today', '08:30 tomorrow', '08:30 on Monday 30 November' (UK local time)."""
    if moment is None:
        return "unknown"
    local = to_london(moment)
    if relative_to is not None:
        base = to_london(relative_to).date()
        if local.date() == base:
            return f"{local:%H:%M} today"
        if local.date() == base + timedelta(days=1):
            return f"{local:%H:%M} tomorrow"
    return f"{local:%H:%M} on {local:%A} {local.day} {local:%B}"


def closing_rule_note(contact: Contact, moment: datetime, contacts: dict[str, Contact]) -> str | None:
    """The contact's rule for the last minutes of the day, when `moment` falls in them."""
    if contact.closing_rule is None:
        return None
    closes = next_close(contact, moment, contacts)
    if closes is None or closes - moment > timedelta(minutes=contact.closing_rule.minutes):
        return None
    return contact.closing_rule.rule
