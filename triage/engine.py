"""The assessment itself: answers + authority + a moment -> Outcome.

Pure: no prompts, no printing, no clock reads (the moment is passed in). Every view, the
recap included, is drawn from the Outcome; nothing is decided in a view.
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
# The urgent routes asked about in every authority (common.yaml; an authority's own route with
# the same id replaces the national one).
CRISIS, ALLEGATION = "mental-health-crisis", "designated-officer"


class SelectionError(ValueError):
    """An indicator id that is unknown or belongs to another authority."""


class PathwayCall(NamedTuple):
    pathway: Pathway
    call: Call | None  # the line for this duty at this moment, when the duty has one


class CallNow(NamedTuple):
    """One line to ring now, and why: most urgent first in Outcome.calls."""

    why: str  # "Immediate danger", "Mental health crisis", "Level 4 referral", ...
    call: Call
    route: PathwayCall | None = None  # the urgent route this call is for, if any
    for_level: bool = False  # the line of the level's own route (referral or advice)


class ConsentResult(NamedTuple):
    consent: Consent  # the rule of the result's level (the referral's rule when none applies)
    asked: bool  # whether the result's level needs the parents' consent
    answer: str | None  # "yes", "no" or None when not asked or not answered
    exceptions_apply: tuple[str, ...] = ()  # with "no": the exceptions the user said apply


class Outcome(NamedTuple):
    authority: Authority
    at: datetime
    emergency: bool  # immediate danger: the headline is 999, not a level
    level: Level | None  # the level the answers indicate; None when no checklist was answered
    nothing_applies: bool  # the user said that nothing in the areas they opened applies
    selected: tuple[Indicator, ...]
    thresholds: tuple[str, ...]
    services: tuple[Service, ...]
    urgent: tuple[PathwayCall, ...]  # the urgent routes the user said yes to (crisis, allegation)
    duties: tuple[PathwayCall, ...]  # the extra duties the ticked items bring, each once
    consent: ConsentResult
    calls: tuple[CallNow, ...]  # who to call now, most urgent first
    have_ready: HaveReady
    warnings: tuple[str, ...] = ()
    not_applied: tuple[str, ...] = ()  # why a ticked threshold was not applied (its condition unconfirmed)
    follow_up_by: str | None = None  # ISO date: the end of the next working day, after a referral

    @property
    def pathways(self) -> tuple[PathwayCall, ...]:
        """Every route and duty, urgent ones first."""
        return self.urgent + self.duties

    @property
    def call(self) -> Call | None:
        """The first line to ring now."""
        return self.calls[0].call if self.calls else None

    @property
    def threshold(self) -> str | None:
        return self.thresholds[0] if self.thresholds else None

    @property
    def headline_level(self) -> Level | None:
        """The level the result leads with: none in an emergency (999 leads)."""
        return None if self.emergency else self.level


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


def indicated_level(selected: tuple[Indicator, ...], nothing_applies: bool) -> int | None:
    """The highest level ticked; Level 1 only when the user said nothing applies; else None."""
    if selected:
        return max(i.level for i in selected)
    return 1 if nothing_applies else None


def assess(authority: Authority, selected: tuple[Indicator, ...], at: datetime, have_ready: HaveReady,
           immediate_danger: bool = False, mental_health_crisis: bool = False, allegation: bool = False,
           nothing_applies: bool = False, consent_answer: str | None = None,
           consent_exceptions: tuple[str, ...] = (), conditions_confirmed: bool = False) -> Outcome:
    from . import rules

    at = to_london(at)
    # A criterion whose condition (Notts 4a: "Issues not resolved by interventions at Levels
    # 1-3") is not confirmed reaches no threshold and does not count towards the level.
    confirmed = {c.key: True for c in rules.conditions_to_ask(authority, selected)} if conditions_confirmed else {}
    decision = rules.decide_thresholds(authority, selected, confirmed)
    counted = decision.counted
    number = indicated_level(counted, nothing_applies)
    level = authority.levels[number] if number is not None else None
    ordered = tuple(sorted(counted, key=lambda i: -i.level))
    contacts = authority.contacts

    asked = [route for route, yes in ((CRISIS, mental_health_crisis), (ALLEGATION, allegation)) if yes]
    urgent = tuple(_route(authority, route, at) for route in asked if route in authority.pathways)
    duty_ids = dict.fromkeys(p for i in ordered for p in i.pathways if p not in asked)
    duties = tuple(_route(authority, p, at) for p in duty_ids if p in authority.pathways)
    crisis_route = next((p for p in urgent if p.pathway.id == CRISIS and p.call is not None), None)

    calls: list[CallNow] = []
    if immediate_danger:
        calls.append(CallNow("Immediate danger", Call(contacts["emergency-999"], True, None,
                                                      "Immediate danger: call 999 now")))
        # After 999, the authority's front door (or its out-of-hours cover) hears about it.
        front = call_for(contacts[authority.front_door], at, contacts, emergency_fallback=False)
        calls.append(CallNow(f"Then tell {authority.name}", front))
    if crisis_route is not None:  # a crisis puts its line before any referral
        calls.append(CallNow("Mental health crisis", crisis_route.call, crisis_route))
    if level is not None and level.call and not immediate_danger:
        why = f"Level {level.level} referral" if level.takes_referrals else f"Level {level.level} advice"
        calls.append(CallNow(why, call_for(contacts[level.call], at, contacts, emergency_fallback=number == 4),
                             for_level=True))

    thresholds = tuple(sorted(decision.applied, key=_urgency))
    rule = rules.consent_for(authority, number) if number is not None else None
    needed = rule is not None
    exceptions = _exceptions(rule, consent_exceptions) if needed and consent_answer == "no" else ()
    consent = ConsentResult(rule or authority.consent, asked=needed, answer=consent_answer if needed else None,
                            exceptions_apply=exceptions)
    named = [c.call.contact for c in calls] + [r.call.contact for r in urgent + duties if r.call]
    return Outcome(
        authority=authority, at=at, emergency=immediate_danger, level=level, nothing_applies=nothing_applies,
        selected=ordered, thresholds=thresholds,
        services=tuple(authority.services[s] for s in level.services) if level else (),
        urgent=urgent, duties=duties, consent=consent, calls=tuple(calls), have_ready=have_ready,
        warnings=source_warnings(authority, at) + rules.stale_warnings(named, at),
        not_applied=tuple(n.reason for n in decision.not_applied),
        follow_up_by=rules.follow_up_by(at) if level is not None and level.takes_referrals else None,
    )


def _exceptions(rule: Consent, named: tuple[str, ...]) -> tuple[str, ...]:
    """The exceptions of the level's consent rule named by number (as shown, from 1) or by text."""
    chosen = []
    for name in named:
        text = str(name).strip()
        if text.isdigit() and 1 <= int(text) <= len(rule.exceptions):
            chosen.append(rule.exceptions[int(text) - 1])
        elif text in rule.exceptions:
            chosen.append(text)
        else:
            if not rule.exceptions:
                raise SelectionError(f"no consent exception '{text}': the consent rule at this level names none")
            raise SelectionError(f"no consent exception '{text}': give its number, 1 to {len(rule.exceptions)}, "
                                 "as `triage assess` lists them under Consent")
    return tuple(dict.fromkeys(chosen))


def _urgency(threshold: str) -> tuple[int, str]:
    return (THRESHOLD_URGENCY.index(threshold) if threshold in THRESHOLD_URGENCY else len(THRESHOLD_URGENCY), threshold)


def _route(authority: Authority, pathway_id: str, at: datetime) -> PathwayCall:
    return pathway_call(authority.pathways[pathway_id], at, authority)


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
