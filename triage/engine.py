"""The assessment itself: selections + authority + a moment -> Outcome.

Pure: no prompts, no printing, no clock reads (the moment is passed in).
"""
# Annotations are evaluated (no `from __future__ import annotations`): NamedTuple would
# compile each string annotation on every start (see model.py).

from typing import NamedTuple
from datetime import datetime

from .clock import Call, call_for, to_london
from .model import Authority, Consent, HaveReady, Indicator, Level, Pathway, Service

# When items of several social-care thresholds are ticked, the most urgent comes first.
THRESHOLD_URGENCY = ("4b", "4c", "4a")
STALE_AFTER_YEARS = 3


class SelectionError(ValueError):
    """An indicator id that is unknown or belongs to another authority."""


class PathwayCall(NamedTuple):
    pathway: Pathway
    call: Call | None  # the line for this duty at this moment, when the duty has one


class ConsentResult(NamedTuple):
    consent: Consent
    asked: bool  # whether the result's level needs the parents' consent
    answer: str | None  # "yes", "no" or None when not asked or not answered
    exceptions_apply: tuple[str, ...] = ()  # with "no": the exceptions the user said apply


class Outcome(NamedTuple):
    authority: Authority
    at: datetime
    immediate_danger: bool
    level: Level
    selected: tuple[Indicator, ...]
    thresholds: tuple[str, ...]
    services: tuple[Service, ...]
    pathways: tuple[PathwayCall, ...]
    consent: ConsentResult
    call: Call | None
    then_call: Call | None  # after 999: the authority's line for the concern
    have_ready: HaveReady
    warnings: tuple[str, ...] = ()

    @property
    def threshold(self) -> str | None:
        return self.thresholds[0] if self.thresholds else None


def resolve(authority: Authority, ids: list[str], known: dict[str, Authority]) -> tuple[Indicator, ...]:
    """The indicators named by `ids`, in the order given, without repeats."""
    own = {i.id: i for i in authority.indicators}
    chosen: dict[str, Indicator] = {}
    for indicator_id in ids:
        if indicator_id in own:
            chosen.setdefault(indicator_id, own[indicator_id])
            continue
        owner = next((a for a in known.values() if any(i.id == indicator_id for i in a.indicators)), None)
        if owner is not None:
            raise SelectionError(f"indicator '{indicator_id}' belongs to {owner.name} ('{owner.id}'), "
                                 f"not {authority.name}: use ids from `triage lookup --authority {authority.id}`")
        raise SelectionError(f"unknown indicator '{indicator_id}' for {authority.name}: "
                             f"see `triage lookup --authority {authority.id}` for the ids")
    return tuple(chosen.values())


def assess(authority: Authority, selected: tuple[Indicator, ...], at: datetime, have_ready: HaveReady,
           immediate_danger: bool = False, mental_health_crisis: bool = False,
           consent_answer: str | None = None, consent_exceptions: tuple[str, ...] = ()) -> Outcome:
    at = to_london(at)
    number = max((i.level for i in selected), default=1)
    level = authority.levels[number]
    ordered = tuple(sorted(selected, key=lambda i: -i.level))
    contacts = authority.contacts

    pathway_ids: list[str] = []
    if immediate_danger:
        pathway_ids.append("emergency")
    if mental_health_crisis:
        # Where the authority has no crisis route of its own, immediate risk means 999.
        pathway_ids.append("mental-health-crisis" if "mental-health-crisis" in authority.pathways else "emergency")
    for indicator in ordered:
        pathway_ids.extend(indicator.pathways)
    pathways = tuple(pathway_call(authority.pathways[p], at, authority) for p in dict.fromkeys(pathway_ids)
                     if p in authority.pathways)

    call = None
    if level.call:
        call = call_for(contacts[level.call], at, contacts, emergency_fallback=number == 4)
    then_call = None
    if immediate_danger and "emergency-999" in contacts:
        # After 999, the authority's front door (or its out-of-hours cover) hears about it.
        then_call = call_for(contacts[authority.front_door], at, contacts, emergency_fallback=False)
        call = Call(contacts["emergency-999"], True, None, "Immediate danger: call 999 now")

    thresholds = tuple(sorted({i.threshold for i in selected if i.threshold}, key=_urgency))
    asked = number in authority.consent.levels
    consent = ConsentResult(authority.consent, asked=asked, answer=consent_answer if asked else None,
                            exceptions_apply=tuple(consent_exceptions) if asked and consent_answer == "no" else ())
    return Outcome(
        authority=authority, at=at, immediate_danger=immediate_danger, level=level, selected=ordered,
        thresholds=thresholds, services=tuple(authority.services[s] for s in level.services),
        pathways=pathways, consent=consent, call=call, then_call=then_call, have_ready=have_ready,
        warnings=source_warnings(authority, at),
    )


def _urgency(threshold: str) -> tuple[int, str]:
    return (THRESHOLD_URGENCY.index(threshold) if threshold in THRESHOLD_URGENCY else len(THRESHOLD_URGENCY), threshold)


def pathway_call(pathway: Pathway, at: datetime, authority: Authority) -> PathwayCall:
    if not pathway.contact:
        return PathwayCall(pathway, None)
    contact = authority.contacts[pathway.contact]
    return PathwayCall(pathway, call_for(contact, at, authority.contacts, emergency_fallback=False))


def source_warnings(authority: Authority, at: datetime) -> tuple[str, ...]:
    source = authority.source
    if not source.date:
        return (f"{authority.name}'s guidance is an undated web page, copied {source.retrieved}: "
                "check the authority's site for a newer version.",)
    year, month = int(source.date[:4]), int(source.date[5:7]) if len(source.date) >= 7 else 1
    age_months = (at.year - year) * 12 + at.month - month
    if age_months > STALE_AFTER_YEARS * 12:
        return (f"{authority.name}'s guidance is dated {source.date}, more than {STALE_AFTER_YEARS} years ago: "
                "check with the authority that it is still current.",)
    return ()
