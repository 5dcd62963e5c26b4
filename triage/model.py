"""The data model: plain frozen dataclasses built by the loader. No I/O, no printing."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import time


@dataclass(frozen=True)
class Source:
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


@dataclass(frozen=True)
class Indicator:
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


@dataclass(frozen=True)
class Domain:
    id: str
    name: str
    source: str
    indicators: tuple[Indicator, ...]


@dataclass(frozen=True)
class Group:
    name: str
    domains: tuple[str, ...]


@dataclass(frozen=True)
class Level:
    level: int
    name: str
    description: str
    action: str
    services: tuple[str, ...]
    call: str | None
    source: str
    advice: str | None = None


@dataclass(frozen=True)
class Threshold:
    id: str
    name: str
    description: str
    source: str


@dataclass(frozen=True)
class Consent:
    levels: tuple[int, ...]
    summary: str
    exceptions: tuple[str, ...]
    source: str
    requirements: tuple[str, ...] = ()


@dataclass(frozen=True)
class Service:
    id: str
    name: str
    description: str
    source: str
    phone: tuple[str, ...] = ()
    email: tuple[str, ...] = ()
    url: str | None = None
    contact: str | None = None


@dataclass(frozen=True)
class Pathway:
    """An extra duty or route that some indicators trigger (FGM to the police, Prevent...)."""

    id: str
    name: str
    action: str
    source: str
    contact: str | None = None
    assumption: str | None = None


@dataclass(frozen=True)
class TimeRange:
    start: time
    end: time | None  # None means midnight at the end of the day (24:00)

    def contains(self, moment: time) -> bool:
        return self.start <= moment and (self.end is None or moment < self.end)

    def __str__(self) -> str:
        return f"{self.start:%H:%M}-{'24:00' if self.end is None else format(self.end, '%H:%M')}"


@dataclass(frozen=True)
class OpeningHours:
    """When a line answers, in Europe/London local time.

    Exactly one form applies: `always`, weekly ranges (`week`, Monday=0), or `outside`
    (open whenever another contact is closed).
    """

    always: bool = False
    week: tuple[tuple[TimeRange, ...], ...] = ((),) * 7
    bank_holidays: str | tuple[TimeRange, ...] = "closed"  # "closed", "open" or ranges
    outside: str | None = None


@dataclass(frozen=True)
class Contact:
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


@dataclass(frozen=True)
class Authority:
    id: str
    name: str
    aliases: tuple[str, ...]
    source: Source
    levels: dict[int, Level]
    domains: tuple[Domain, ...]
    consent: Consent
    services: dict[str, Service]
    pathways: dict[str, Pathway]  # this authority's own, merged over the common ones
    contacts: dict[str, Contact]  # this authority's and the national ones
    front_door: str
    groups: tuple[Group, ...] = ()
    thresholds: dict[str, Threshold] = field(default_factory=dict)
    notice: str | None = None
    referral: tuple[str, ...] = ()

    @property
    def indicators(self) -> tuple[Indicator, ...]:
        return tuple(i for d in self.domains for i in d.indicators)


@dataclass(frozen=True)
class HaveReady:
    source: Source
    items: tuple[str, ...]
    emphasis: str | None = None


@dataclass(frozen=True)
class DataSet:
    authorities: dict[str, Authority]
    have_ready: HaveReady
