"""The data model: immutable records built by the loader. No I/O, no printing.

They are msgspec Structs (frozen, stored as arrays): every command that answers from the data
imports this module and decodes a stored authority before it can answer, and a Struct class is
defined in C (17 of them: 0.2 ms, against 1.2 ms as typing.NamedTuple, measured here) and
decoded by msgspec without calling Python for each record. The annotations are evaluated (no
`from __future__ import annotations`): msgspec would evaluate each string on the first decode.
"""

from datetime import time

from msgspec import Struct


class Record(Struct, frozen=True, array_like=True):
    """Every record: immutable, compared by value, stored as an array of its fields."""


class Source(Record, frozen=True):
    file: str
    title: str
    publisher: str
    version: str | None = None
    date: str | None = None  # the document's own date: YYYY, YYYY-MM or YYYY-MM-DD
    retrieved: str | None = None  # when an undated web page was copied
    url: str | None = None

    def describe(self) -> str:
        parts = [f"“{self.title}”", self.publisher]
        if self.version:
            parts.append(self.version)
        parts.append(f"dated {self.date}" if self.date else f"undated, retrieved {self.retrieved}")
        return ", ".join(parts)

    def describe_document(self) -> str:
        """A threshold document with its date, and the national refresh that may have replaced it."""
        return f"{self.describe()}. {REFRESH_NOTE}"


# SOURCES.md, National duties and changes, 2026 (Families First Partnership).
REFRESH_NOTE = ("Councils are publishing refreshed threshold documents around \"Family Help\" (the national Families "
                "First Partnership programme, from April 2025): check the council's site for a newer version")


class Indicator(Record, frozen=True):
    id: str
    authority: str
    domain: str
    domain_name: str
    level: int
    text: str
    source: str
    pathways: tuple[str, ...] = ()
    threshold: str | None = None
    note: str | None = None
    same_as: str | None = None  # the id of the other printed copy of this text (see rules.linked_copies)
    condition: str | None = None  # quoted: this criterion applies only when it holds (see rules)


class Domain(Record, frozen=True):
    id: str
    name: str
    source: str
    indicators: tuple[Indicator, ...]


class Group(Record, frozen=True):
    name: str
    domains: tuple[str, ...]


class Level(Record, frozen=True):
    level: int
    name: str
    description: str
    action: str
    services: tuple[str, ...]
    call: str | None
    source: str
    advice: str | None = None
    takes_referrals: bool = False  # this level's route takes referrals: the result says when to follow up
    also: tuple[str, ...] = ()  # other contacts the source gives for this level's route (online form, advice line)
    not_held: str | None = None  # what of the action the tool does not hold (a link whose target is not in the source)

    @property
    def title(self) -> str:
        """'Level 4: Specialist'; a level named only by its number (Northamptonshire) is 'Level 4'."""
        number = f"Level {self.level}"
        return number if self.name.strip().lower() == number.lower() else f"{number}: {self.name}"


class Threshold(Record, frozen=True):
    id: str
    name: str
    description: str
    source: str
    condition: str | None = None  # quoted: every criterion of this threshold applies only when it holds
    not_exhaustive: str | None = None  # the source's words saying its criteria list is not complete


class Consent(Record, frozen=True):
    levels: tuple[int, ...]
    summary: str
    exceptions: tuple[str, ...]
    source: str
    requirements: tuple[str, ...] = ()
    child: str | None = None  # the source's words asking the child's own consent too ("and the child when relevant")


class Service(Record, frozen=True):
    id: str
    name: str
    description: str
    source: str
    phone: tuple[str, ...] = ()
    email: tuple[str, ...] = ()
    url: str | None = None
    contact: str | None = None


class ClosingRule(Record, frozen=True):
    """A rule for the last minutes before a line closes each day (quoted from its source)."""

    minutes: int
    rule: str


# A contact's purpose -> the heading it is listed under in `triage contacts`.
PURPOSES = {
    "emergency": "Emergencies", "safeguarding": "Safeguarding: referrals and advice",
    "early-help": "Early help", "disability": "Disability", "mental-health": "Mental health",
    "health": "Health", "prevent": "Prevent (extremism)", "youth-justice": "Youth justice",
    "housing": "Housing", "helpline": "Helplines", "neighbouring": "Neighbouring authorities",
}
FOLLOW_UP = "follow-up"  # the pathway whose action is the line shown after a referral ({day}: when)


class Pathway(Record, frozen=True):
    """An extra duty or route that some indicators trigger (FGM to the police, Prevent...)."""

    id: str
    name: str
    action: str
    source: str
    contact: str | None = None
    assumption: str | None = None
    # A duty that applies too, but only if it is a known case (a risk of FGM: the police duty
    # is for a known case only): the result names it with that condition, never as a duty.
    known_case: str | None = None
    # What makes the duty apply, asked before it is named as a duty (FGM: she told you, or you saw signs).
    trigger: str | None = None
    by_next_working_day: bool = False  # the report is due by the end of the next working day


class TimeRange(Record, frozen=True):
    start: time
    end: time | None  # None means midnight at the end of the day (24:00)

    def contains(self, moment: time) -> bool:
        return self.start <= moment and (self.end is None or moment < self.end)

    def __str__(self) -> str:
        return f"{self.start:%H:%M}-{'24:00' if self.end is None else format(self.end, '%H:%M')}"


class OpeningHours(Record, frozen=True):
    """When a line answers, in Europe/London local time.

    Exactly one form applies: `always`, weekly ranges (`week`, Monday=0), or `outside`
    (open whenever another contact is closed).
    """

    always: bool = False
    week: tuple[tuple[TimeRange, ...], ...] = ((),) * 7
    bank_holidays: str | tuple[TimeRange, ...] = "closed"  # "closed", "open" or ranges
    outside: str | None = None


class InDoubt(Record, frozen=True):
    """Where the source sends a case it leaves in doubt (Nottinghamshire: the Early Help Unit)."""

    text: str
    call: str
    source: str


class Contact(Record, frozen=True):
    id: str
    name: str
    purpose: str
    hours: OpeningHours
    source: str
    for_: str | None = None
    phone: tuple[str, ...] = ()
    email: tuple[str, ...] = ()
    url: str | None = None
    district: str | None = None
    covered_by: str | None = None
    out_of_hours: bool = False
    routing: str | None = None
    assumption: str | None = None
    note: str | None = None
    confirmed: str | None = None  # YYYY-MM: when its details were last confirmed (see rules.stale_warning)
    closing_rule: ClosingRule | None = None


class Authority(Record, frozen=True):
    id: str
    name: str
    aliases: tuple[str, ...]
    source: Source
    levels: dict[int, Level]
    domains: tuple[Domain, ...]
    consents: tuple[Consent, ...]  # each with its own levels (see rules.consent_for)
    services: dict[str, Service]
    pathways: dict[str, Pathway]  # this authority's own, merged over the common ones
    contacts: dict[str, Contact]  # this authority's and the national ones
    front_door: str
    thresholds: dict[str, Threshold]
    groups: tuple[Group, ...] = ()
    notice: str | None = None
    referral: tuple[str, ...] = ()
    referral_levels: tuple[int, ...] = (2, 3, 4)  # the levels at which `referral` steps apply
    in_doubt: InDoubt | None = None

    @property
    def indicators(self) -> tuple[Indicator, ...]:
        return tuple(i for d in self.domains for i in d.indicators)

    @property
    def consent(self) -> Consent:
        """The consent rule of the highest level (the referral's). Per level: rules.consent_for."""
        return max(self.consents, key=lambda c: max(c.levels))


class HaveReady(Record, frozen=True):
    source: Source
    items: tuple[str, ...]
    emphasis: str | None = None


def shape() -> str:
    """Every record's fields: part of the stored model's key, so a copy stored by a version of
    triage with other fields is never misread."""
    records = (Source, Indicator, Domain, Group, Level, Threshold, Consent, Service, Pathway, TimeRange,
               OpeningHours, ClosingRule, InDoubt, Contact, Authority, HaveReady)
    return ";".join(f"{record.__name__}({','.join(record.__struct_fields__)})" for record in records)
