"""The assessment itself: Selections + authority + a moment -> Outcome.

Pure: no prompts, no printing, no clock reads (the moment is passed in). The Outcome says what
it is (its status and headline), whom to call and why, with every assumption; views, the
recap, the JSON and the record format those fields and decide nothing. `preview` answers the
flow's questions (the level so far, the consent rule, the thresholds and conditions to ask)
from the same rules, so the flow never works a level out itself.
"""
# Annotations are evaluated (no `from __future__ import annotations`): NamedTuple would
# compile each string annotation on every start (see model.py).

import re
from collections.abc import Mapping
from datetime import datetime
from typing import NamedTuple

from . import rules
from .clock import Call, call_for, to_london
from .model import Authority, Consent, HaveReady, Indicator, Level, Pathway, Service
from .selections import Selections

# When items of several social-care thresholds are ticked, the most urgent comes first.
THRESHOLD_URGENCY = ("4b", "4c", "4a")
STALE_AFTER_YEARS = 3
# The urgent routes asked about in every authority (common.yaml; an authority's own route with
# the same id replaces the national one).
CRISIS, ALLEGATION = "mental-health-crisis", "designated-officer"
# The other national duties (common.yaml), which the flow offers in every authority beside the
# areas, and `--duty` names: an authority whose items never bring them still reaches them.
NATIONAL_DUTIES = ("fgm-police", "prevent", "csa-report")
FGM = "fgm-police"
EMERGENCY_LINE, CRISIS_LINE = "emergency-999", "nhs-111-mental-health"
# An outcome's status: what it is, decided here once.
EMERGENCY, URGENT, LEVEL, NOT_ASSESSED = "emergency", "urgent", "level", "not-assessed"
# Why each line is in Outcome.calls.
ROLE_999, ROLE_THEN_TELL, ROLE_CRISIS, ROLE_CRISIS_ALSO = "999", "then-tell", "crisis", "crisis-also"
ROLE_LEVEL, ROLE_LEVEL_ALSO, ROLE_IN_DOUBT = "level", "level-also", "in-doubt"
ROLE_FRONT_DOOR = "front-door"  # an authority whose indicators triage does not hold: its front door
# The threshold criteria are asked whenever the highest tick reaches this level.
THRESHOLDS_FROM_LEVEL = 3


class SelectionError(ValueError):
    """An indicator id that is unknown or belongs to another authority."""


class InvariantError(AssertionError):
    """An outcome that breaks a rule every outcome keeps (never shown: a bug to fix)."""


class PathwayCall(NamedTuple):
    pathway: Pathway
    call: Call | None  # the line for this duty at this moment, when the duty has one
    due_by: str | None = None  # ISO date: report by the end of this working day (FGM)


class CallNow(NamedTuple):
    """One line to ring now, and why: most urgent first in Outcome.calls."""

    why: str  # "Immediate danger", "Mental health crisis", "Level 4 referral", ...
    call: Call
    role: str  # ROLE_*: what the line is for
    route: PathwayCall | None = None  # the urgent route this call is for, if any
    only_if: str | None = None  # "in an emergency": an out-of-hours line standing in for the office

    @property
    def assumptions(self) -> tuple[str, ...]:
        return self.call.assumptions


class ConsentResult(NamedTuple):
    consent: Consent | None  # the rule of the result's level (the referral's when none applies; None: none held)
    asked: bool  # whether the result's level needs the parents' consent
    answer: str | None  # "yes", "no" or None when not asked or not answered
    exceptions_apply: tuple[str, ...] = ()  # with "no": the exceptions the user said apply
    child_asked: bool = False  # the rule asks the child's own consent too (consent.child)
    child_answer: str | None = None

    @property
    def refused(self) -> bool:
        """No consent and no exception named: the parents must be asked before a referral."""
        return self.asked and self.answer == "no" and not self.exceptions_apply


class Preview(NamedTuple):
    """What the flow asks next, from the answers so far."""

    level: int | None  # the level the answers reach now
    consent: Consent | None  # that level's consent rule
    conditions: tuple[rules.Condition, ...]  # the conditions of the ticked criteria
    thresholds_to_ask: tuple[Indicator, ...]  # the threshold criteria, those linked to the ticks first
    linked: frozenset[str]  # the ids of the criteria that share words with what was ticked
    asks_fgm_trigger: bool  # an FGM duty is in question: ask what triggers it


class Outcome(NamedTuple):
    authority: Authority
    at: datetime
    status: str  # EMERGENCY, URGENT, LEVEL or NOT_ASSESSED
    headline: str  # what the result leads with, in words
    level: Level | None  # the level of need; None when none was assessed (never Level 1 beside an urgent route)
    nothing_applies: bool  # the user said that nothing in the areas they opened applies
    selected: tuple[Indicator, ...]
    thresholds: tuple[str, ...]
    services: tuple[Service, ...]
    urgent: tuple[PathwayCall, ...]  # the urgent routes the user said yes to (crisis, allegation)
    duties: tuple[PathwayCall, ...]  # the duties named and those the ticked items bring, each once
    consent: ConsentResult
    calls: tuple[CallNow, ...]  # who to call now, most urgent first
    have_ready: HaveReady
    warnings: tuple[str, ...] = ()
    not_applied: tuple[str, ...] = ()  # why a ticked threshold was not applied (its condition unconfirmed)
    follow_up_by: str | None = None  # ISO date: the end of the next working day, after a referral
    known_case: tuple[PathwayCall, ...] = ()  # duties that apply only if it is a known case (FGM: police)
    not_assessed_why: str | None = None  # with no level: why not
    unchecked_thresholds: tuple[str, ...] = ()  # threshold ids whose criteria were never offered
    ticked_level: int | None = None  # the highest level ticked, when an urgent route leads instead of Level 1

    @property
    def emergency(self) -> bool:
        return self.status == EMERGENCY

    @property
    def pathways(self) -> tuple[PathwayCall, ...]:
        """Every route and duty, urgent ones first."""
        return self.urgent + self.duties

    @property
    def call(self) -> Call | None:
        """The first line to ring now."""
        return self.calls[0].call if self.calls else None

    def calls_for(self, *roles: str) -> tuple[CallNow, ...]:
        return tuple(c for c in self.calls if c.role in roles)

    @property
    def then_tell(self) -> CallNow | None:
        """After 999: the authority's line to tell."""
        return next(iter(self.calls_for(ROLE_THEN_TELL)), None)

    @property
    def level_call(self) -> CallNow | None:
        return next(iter(self.calls_for(ROLE_LEVEL)), None)

    @property
    def threshold(self) -> str | None:
        return self.thresholds[0] if self.thresholds else None

    @property
    def headline_level(self) -> Level | None:
        """The level the result leads with: none in an emergency (999 leads)."""
        return None if self.emergency else self.level


def resolve(authority: Authority, ids: list[str], known: Mapping[str, Authority]) -> tuple[Indicator, ...]:
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


# ---------------------------------------------------------------------------------------
# The decision, shared by preview and assess


class _Decision(NamedTuple):
    selected: tuple[Indicator, ...]
    thresholds: rules.ThresholdDecision
    level: int | None  # after the urgent-route rule
    ticked_level: int | None  # before it
    urgent_asked: tuple[str, ...]
    thresholds_to_ask: tuple[Indicator, ...]
    duty_ids: tuple[str, ...]
    known_ids: tuple[str, ...]


def _decide(authority: Authority, selections: Selections) -> _Decision:
    selected = resolve(authority, list(selections.indicators), {})
    confirmed = ({c.key: True for c in rules.conditions_to_ask(authority, selected)}
                 if selections.conditions_confirmed else {})
    decision = rules.decide_thresholds(authority, selected, confirmed)
    # No indicators held: no level, not even Level 1 for "none of these apply".
    ticked = indicated_level(decision.counted, selections.nothing_applies) if authority.domains else None
    asked = tuple(route for route, yes in ((CRISIS, selections.mental_health_crisis),
                                           (ALLEGATION, selections.allegation)) if yes)
    # An urgent route answered yes, or 999, is never a Level 1 result: the route leads.
    level = None if ticked == 1 and (asked or selections.immediate_danger) else ticked
    # Every ticked item's duties, a criterion whose condition is unconfirmed included: its
    # level is in doubt, its duty (Prevent) is not.
    by_level = sorted(selected, key=lambda i: -i.level)
    wanted = [*selections.duties, *(p for i in by_level for p in i.pathways)]
    duty_ids = [p for p in dict.fromkeys(wanted) if p not in asked and p in authority.pathways]
    known_ids = [k for k in dict.fromkeys(authority.pathways[p].known_case for p in duty_ids)
                 if k and k not in duty_ids and k in authority.pathways]
    # FGM: the police duty is a duty only when its trigger holds (the girl told you, or you saw signs).
    if selections.fgm_told_or_seen is True and FGM in known_ids:
        known_ids.remove(FGM)
        duty_ids.append(FGM)
    elif selections.fgm_told_or_seen is False and FGM in duty_ids:
        duty_ids.remove(FGM)
        known_ids.append(FGM)
    return _Decision(selected, decision, level, ticked, asked, _thresholds_to_ask(authority, selections, selected),
                     tuple(duty_ids), tuple(known_ids))


def _thresholds_to_ask(authority: Authority, selections: Selections,
                       selected: tuple[Indicator, ...]) -> tuple[Indicator, ...]:
    """The threshold criteria (Notts 4a/4b/4c), when the highest tick is Level 3 or 4 and they
    were not offered: the deciding criterion may sit in that list, not in the one ticked."""
    criteria = [i for i in authority.indicators if i.threshold]
    if not criteria or selections.thresholds_checked or any(i.threshold for i in selected):
        return ()
    if not selected or max(i.level for i in selected) < THRESHOLDS_FROM_LEVEL:
        return ()
    ticked_words = set().union(*(_words(i.text) for i in selected))
    # Those sharing words with what was ticked first ("domestic violence"), then the source's order.
    ranked = sorted(enumerate(criteria), key=lambda pair: (-len(_words(pair[1].text) & ticked_words), pair[0]))
    return tuple(item for _, item in ranked)


# Words too common to link a ticked item to a criterion.
COMMON_WORDS = frozenset("child children young people person their there which where about being other "
                         "level parent parents carer carers family within without evidence significant significantly".split())


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z]{5,}", text.lower()) if w not in COMMON_WORDS}


def preview(authority: Authority, selections: Selections) -> Preview:
    """What the flow needs to ask next, decided as `assess` will decide it."""
    decided = _decide(authority, selections)
    rule = rules.consent_for(authority, decided.level) if decided.level is not None else None
    fgm_in_question = FGM in decided.duty_ids or FGM in decided.known_ids
    ticked_words = set().union(*(_words(i.text) for i in decided.selected))
    linked = frozenset(i.id for i in decided.thresholds_to_ask if _words(i.text) & ticked_words)
    return Preview(decided.level, rule, rules.conditions_to_ask(authority, decided.selected),
                   decided.thresholds_to_ask, linked, fgm_in_question and bool(authority.pathways[FGM].trigger))


# ---------------------------------------------------------------------------------------
# The outcome


def assess(authority: Authority, selections: Selections, at: datetime, have_ready: HaveReady) -> Outcome:
    at = to_london(at)
    decided = _decide(authority, selections)
    number = decided.level
    level = authority.levels[number] if number is not None else None
    contacts = authority.contacts
    # A text printed twice (a table item and a 4b/4c criterion) is listed once.
    ordered = rules.one_copy_each(authority, sorted(decided.thresholds.counted, key=lambda i: -i.level))

    urgent = tuple(_route(authority, route, at) for route in decided.urgent_asked if route in authority.pathways)
    duties = tuple(_route(authority, p, at) for p in decided.duty_ids)
    known_case = tuple(_route(authority, p, at) for p in decided.known_ids)

    calls: list[CallNow] = []
    if selections.immediate_danger:
        calls.append(CallNow("Immediate danger", Call(contacts[EMERGENCY_LINE], True, None,
                                                      "Immediate danger: call 999 now"), ROLE_999))
        front = then_tell(authority, at)
        calls.append(CallNow(f"Then tell {authority.name}", front, ROLE_THEN_TELL, only_if=_only_if(front)))
    crisis = next((p for p in urgent if p.pathway.id == CRISIS and p.call is not None), None)
    if crisis is not None and crisis.call is not None:  # a crisis puts its line before any referral
        calls.append(CallNow("Mental health crisis", crisis.call, ROLE_CRISIS, crisis))
        if crisis.call.contact.id != CRISIS_LINE and CRISIS_LINE in contacts:  # the line every authority has
            calls.append(CallNow("Mental health crisis, any time",
                                 call_for(contacts[CRISIS_LINE], at, contacts, emergency_fallback=False),
                                 ROLE_CRISIS_ALSO))
    if level is not None and level.call and not selections.immediate_danger:
        why = f"Level {level.level} referral" if level.takes_referrals else f"Level {level.level} advice"
        line = call_for(contacts[level.call], at, contacts, emergency_fallback=number == 4)
        calls.append(CallNow(why, line, ROLE_LEVEL, only_if=_only_if(line)))
        for other in level.also:
            calls.append(CallNow(contacts[other].name, call_for(contacts[other], at, contacts, emergency_fallback=False),
                                 ROLE_LEVEL_ALSO))

    held = bool(authority.domains)
    if not held and not selections.immediate_danger:  # no level is guessed: its front door decides
        # Closed with no out-of-hours line held, it is shown closed with when it opens (999 is
        # already first for a child in danger): sending every unassessed worry to 999 would be wrong.
        front = call_for(contacts[authority.front_door], at, contacts, emergency_fallback=False)
        calls.append(CallNow(f"{authority.name}'s front door", front, ROLE_FRONT_DOOR, only_if=_only_if(front)))

    blocked = decided.thresholds.not_applied
    if level is None and blocked and authority.in_doubt is not None:  # the doubtful case goes where the source sends it
        doubt = authority.in_doubt
        calls.append(CallNow("In doubt: ask for advice", call_for(contacts[doubt.call], at, contacts,
                                                                   emergency_fallback=False), ROLE_IN_DOUBT))

    thresholds = tuple(sorted(decided.thresholds.applied, key=_urgency))
    rule = rules.consent_for(authority, number) if number is not None else None
    needed = rule is not None
    exceptions = _exceptions(rule, selections.consent_exceptions) if rule is not None and selections.consent == "no" \
        else ()
    child = rule.child if rule is not None else None  # the child's consent too, where the rule asks it
    consent = ConsentResult(rule or (authority.consent if authority.consents else None), asked=needed,
                            answer=selections.consent if needed else None,
                            exceptions_apply=exceptions, child_asked=bool(child),
                            child_answer=selections.child_consent if child else None)

    status = (EMERGENCY if selections.immediate_danger else LEVEL if level is not None
              else URGENT if urgent else NOT_ASSESSED)
    why_not = None if level is not None else _why_not_assessed(authority, decided, urgent, duties)
    asked_of = {i.threshold for i in decided.thresholds_to_ask}
    unchecked = tuple(t for t in authority.thresholds if t in asked_of)
    named = [c.call.contact for c in calls] + [r.call.contact for r in urgent + duties if r.call]
    outcome = Outcome(
        authority=authority, at=at, status=status, headline=_headline(status, level, thresholds, urgent, why_not),
        level=level, nothing_applies=selections.nothing_applies, selected=ordered, thresholds=thresholds,
        services=tuple(authority.services[s] for s in level.services) if level else (),
        urgent=urgent, duties=duties, consent=consent, calls=tuple(calls), have_ready=have_ready,
        warnings=source_warnings(authority, at) + rules.stale_warnings(named, at),
        not_applied=tuple(n.reason for n in blocked),
        follow_up_by=rules.follow_up_by(at) if (level is not None and level.takes_referrals) or not held else None,
        known_case=known_case, not_assessed_why=why_not, unchecked_thresholds=unchecked,
        ticked_level=decided.ticked_level if decided.ticked_level != number else None,
    )
    check_invariants(outcome)
    return outcome


def then_tell(authority: Authority, at: datetime) -> Call:
    """After 999, the line that hears about it: the front door, or its out-of-hours cover, or
    the front door closed with when it opens (never 999 again)."""
    return call_for(authority.contacts[authority.front_door], at, authority.contacts, emergency_fallback=False)


def _only_if(call: Call) -> str | None:
    """An out-of-hours line answering for a closed office takes emergencies only."""
    stood_in = call.stands_in_for is not None and call.contact.out_of_hours
    return "in an emergency" if stood_in and call.contact.id != EMERGENCY_LINE else None


def _why_not_assessed(authority: Authority, decided: _Decision, urgent: tuple[PathwayCall, ...],
                      duties: tuple[PathwayCall, ...]) -> str:
    if not authority.domains:
        return (f"triage holds no threshold document for {authority.name}: use the council's own, "
                "and call its front door")
    if decided.thresholds.not_applied:
        return "what you ticked counts only under a condition that was not confirmed"
    if decided.ticked_level == 1:
        return "nothing ticked goes beyond universal services, and an urgent route comes first"
    if urgent or duties:
        return "no checklist was answered: the urgent routes and duties above come first"
    return "no checklist was answered"


def _headline(status: str, level: Level | None, thresholds: tuple[str, ...], urgent: tuple[PathwayCall, ...],
              why_not: str | None) -> str:
    if status == EMERGENCY:
        return "Call 999 now: immediate danger"
    if status == LEVEL and level is not None:
        return level.title + (f", threshold {', '.join(thresholds)}" if thresholds else "")
    if status == URGENT:
        return "Urgent: " + "; ".join(r.pathway.name for r in urgent)
    return f"No level of need assessed: {why_not}"


def check_invariants(outcome: Outcome) -> None:
    """The rules every outcome keeps, whatever the data: a broken one is a bug, never shown."""
    def require(holds: bool, rule: str) -> None:
        if not holds:
            raise InvariantError(f"{outcome.authority.id}: {rule}")

    if outcome.emergency:
        require(bool(outcome.calls) and outcome.calls[0].role == ROLE_999
                and outcome.calls[0].call.contact.id == EMERGENCY_LINE, "an emergency's first call is 999")
    if outcome.emergency or outcome.urgent:
        require(outcome.level is None or outcome.level.level != 1, "an urgent route is never a Level 1 result")
    if outcome.level is not None and outcome.level.level >= 3:
        require(bool(outcome.calls), f"Level {outcome.level.level} has a line to call")
    require((outcome.level is None) == (outcome.status in (URGENT, NOT_ASSESSED)) or outcome.emergency,
            "the status says whether a level was assessed")
    if not outcome.authority.domains:
        require(outcome.level is None, "no level is guessed where no indicators are held")
        require(outcome.emergency or bool(outcome.calls_for(ROLE_FRONT_DOOR)), "an authority without indicators "
                "sends the user to its front door")
    if outcome.not_applied and outcome.level is None and outcome.authority.in_doubt is not None:
        require(bool(outcome.calls_for(ROLE_IN_DOUBT)), "a case left in doubt goes where the source sends it")


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
    due = rules.follow_up_by(at) if pathway.by_next_working_day else None
    if not pathway.contact:
        return PathwayCall(pathway, None, due)
    contact = authority.contacts[pathway.contact]
    return PathwayCall(pathway, call_for(contact, at, authority.contacts, emergency_fallback=False), due)


def source_warnings(authority: Authority, at: datetime) -> tuple[str, ...]:
    source = authority.source
    if not authority.domains:  # no threshold document is held: nothing of its date to say
        return ()
    if not source.date:
        return (f"{authority.name}'s guidance is an undated web page, copied {source.retrieved}: "
                "check the authority's site for a newer version.",)
    year, month = int(source.date[:4]), int(source.date[5:7]) if len(source.date) >= 7 else 1
    age_months = (at.year - year) * 12 + at.month - month
    if age_months > STALE_AFTER_YEARS * 12:
        return (f"{authority.name}'s guidance is dated {source.date}, more than {STALE_AFTER_YEARS} years ago: "
                "check with the authority that it is still current.",)
    return ()
