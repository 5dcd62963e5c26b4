"""The rules around the items, as the guidance states them: conditions on thresholds, items
printed twice, consent per level, when to follow up a referral, and contact freshness.

Pure: no prompts, no printing, no clock reads (every moment is passed in).
"""
# Annotations are evaluated (no `from __future__ import annotations`): NamedTuple would
# compile each string annotation on every start (see model.py).

from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from typing import NamedTuple

from .clock import bank_holiday, to_london
from .model import Authority, Consent, Contact, Indicator

STALE_AFTER_MONTHS = 12


# ---------------------------------------------------------------------------------------
# Items printed twice


def linked_copies(authority: Authority) -> dict[str, tuple[str, ...]]:
    """Each linked item's id -> the ids of its other printed copies (both ways)."""
    links: dict[str, list[str]] = {}
    for item in authority.indicators:
        if item.same_as:
            links.setdefault(item.id, []).append(item.same_as)
            links.setdefault(item.same_as, []).append(item.id)
    return {item_id: tuple(others) for item_id, others in links.items()}


def with_copies(authority: Authority, selected: Iterable[Indicator]) -> tuple[Indicator, ...]:
    """The ticked items and their other printed copies: ticking either copy is ticking both."""
    by_id = {i.id: i for i in authority.indicators}
    links = linked_copies(authority)
    chosen: dict[str, Indicator] = {}
    for item in selected:
        chosen.setdefault(item.id, item)
        for other in links.get(item.id, ()):
            chosen.setdefault(other, by_id[other])
    return tuple(chosen.values())


def one_copy_each(authority: Authority, selected: Iterable[Indicator]) -> tuple[Indicator, ...]:
    """The ticked items with each printed text once: a copy is left out when its other copy
    was ticked before it (the result lists a linked text once, as the flow asks it once)."""
    links = linked_copies(authority)
    kept: dict[str, Indicator] = {}
    for item in selected:
        if not any(other in kept for other in links.get(item.id, ())):
            kept.setdefault(item.id, item)
    return tuple(kept.values())


# ---------------------------------------------------------------------------------------
# Conditions


class Condition(NamedTuple):
    """A condition quoted from the source: the criteria it governs apply only when it holds."""

    key: str  # the threshold id, or the item id when the condition is the item's own
    text: str
    threshold: str | None  # the threshold whose criteria it governs


def condition_of(authority: Authority, item: Indicator) -> Condition | None:
    """The condition an item's threshold depends on: its own, else its threshold's."""
    if item.condition:
        return Condition(item.id, item.condition, item.threshold)
    threshold = authority.thresholds.get(item.threshold or "")
    if threshold is not None and threshold.condition:
        return Condition(threshold.id, threshold.condition, threshold.id)
    return None


def conditions_to_ask(authority: Authority, selected: Iterable[Indicator]) -> tuple[Condition, ...]:
    """The conditions of the ticked items (copies included), each once, in the order met."""
    found: dict[str, Condition] = {}
    for item in with_copies(authority, selected):
        condition = condition_of(authority, item)
        if condition is not None:
            found.setdefault(condition.key, condition)
    return tuple(found.values())


class NotApplied(NamedTuple):
    threshold: str
    condition: Condition
    items: tuple[str, ...]  # the ticked criteria it would have come from
    reason: str


class ThresholdDecision(NamedTuple):
    applied: tuple[str, ...]  # threshold ids reached, in the order first met
    not_applied: tuple[NotApplied, ...]
    counted: tuple[Indicator, ...]  # the ticked items that count towards the level


def decide_thresholds(authority: Authority, selected: Iterable[Indicator],
                      conditions: Mapping[str, bool] | None = None) -> ThresholdDecision:
    """Which thresholds the ticked items reach, and which items count towards the level.

    `conditions` maps a condition's key to the user's answer (True: it holds; False: it does
    not); a key left out was not answered. A criterion whose condition is not confirmed reaches
    no threshold and does not count towards the level ("the level comes from the other
    items"); a copy printed elsewhere in the level tables still counts as the item it is
    there.
    """
    conditions = conditions or {}
    ticked = tuple(selected)
    applied: dict[str, None] = {}
    blocked: dict[str, tuple[Condition, list[str]]] = {}
    uncounted: set[str] = set()
    for item in with_copies(authority, ticked):
        if item.threshold is None:
            continue
        condition = condition_of(authority, item)
        if condition is not None and conditions.get(condition.key) is not True:
            blocked.setdefault(item.threshold, (condition, []))[1].append(item.id)
            uncounted.add(item.id)
        else:
            applied.setdefault(item.threshold, None)
    not_applied = tuple(
        NotApplied(threshold, condition, tuple(items), _why_not(authority, threshold, condition, conditions))
        for threshold, (condition, items) in blocked.items() if threshold not in applied)
    counted = tuple(i for i in ticked if i.id not in uncounted)
    return ThresholdDecision(tuple(applied), not_applied, counted)


def _why_not(authority: Authority, threshold: str, condition: Condition, answers: Mapping[str, bool]) -> str:
    name = authority.thresholds[threshold].name if threshold in authority.thresholds else threshold
    answer = "you said it does not hold" if answers.get(condition.key) is False else "that was not confirmed"
    return (f"{threshold} ({name}) was not applied: its criteria apply only where “{condition.text}”, "
            f"and {answer}. The level comes from the other items ticked.")


# ---------------------------------------------------------------------------------------
# Consent and referral steps, per level


def consent_for(authority: Authority, level: int) -> Consent | None:
    """The consent rule of this level's route, or None when the guidance sets none there."""
    return next((rule for rule in authority.consents if level in rule.levels), None)


def referral_steps(authority: Authority, level: int) -> tuple[str, ...]:
    """What referring involves, at the levels whose route those steps belong to."""
    return authority.referral if level in authority.referral_levels else ()


# ---------------------------------------------------------------------------------------
# Following up a referral


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and bank_holiday(day) is None


def next_working_day(day: date) -> date:
    """The first working day after `day` (weekends and England's bank holidays skipped)."""
    day += timedelta(days=1)
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def follow_up_by(moment: datetime) -> str:
    """The ISO date by the end of which a referral made at `moment` should have been
    acknowledged ("within one working day"): the next working day after the moment's UK date."""
    return next_working_day(to_london(moment).date()).isoformat()


# ---------------------------------------------------------------------------------------
# Contacts


def months_since(confirmed: str, moment: datetime) -> int:
    """Whole calendar months from a YYYY-MM month to the moment's month."""
    year, month = int(confirmed[:4]), int(confirmed[5:7])
    return (moment.year - year) * 12 + moment.month - month


def stale_warning(contact: Contact, moment: datetime) -> str | None:
    """A warning when the contact's details were confirmed more than 12 months before."""
    if not contact.confirmed:
        return f"{contact.name}: the date its details were last confirmed is unknown: check them before relying on them."
    age = months_since(contact.confirmed, moment)
    if age <= STALE_AFTER_MONTHS:
        return None
    return (f"{contact.name}: its details were last confirmed in {contact.confirmed}, {age} months ago: "
            "check the number and hours with the authority's current pages.")


def stale_warnings(contacts: Iterable[Contact], moment: datetime) -> tuple[str, ...]:
    """The warnings for the contacts the user is told to call, each once."""
    seen: dict[str, str] = {}
    for contact in contacts:
        warning = stale_warning(contact, moment)
        if warning and contact.id not in seen:
            seen[contact.id] = warning
    return tuple(seen.values())
