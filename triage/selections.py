"""What the user said, however it was collected: options, an answers file or the flow.

One value that `engine.preview` and `engine.assess` take. Adding an answer is adding a field
here. Never a name, never a postcode.
"""
# Annotations are evaluated (no `from __future__ import annotations`): NamedTuple would
# compile each string annotation on every start (see model.py).

from typing import NamedTuple


class Selections(NamedTuple):
    authority: str | None = None
    indicators: tuple[str, ...] = ()
    immediate_danger: bool = False
    mental_health_crisis: bool = False
    allegation: bool = False  # the concern is about an adult who works with children
    nothing_applies: bool = False  # the user said none of the indicators applies
    conditions_confirmed: bool = False  # a ticked criterion's condition holds (Notts 4a)
    consent: str | None = None  # the parents: "yes", "no" or None (not asked)
    at: str | None = None
    consent_exceptions: tuple[str, ...] = ()  # numbers (1-based, as shown) or the exceptions' texts
    duties: tuple[str, ...] = ()  # national duties that apply (engine.NATIONAL_DUTIES: fgm-police, prevent)
    thresholds_checked: bool = False  # the social-care threshold criteria were offered (Notts 4a/4b/4c)
    fgm_told_or_seen: bool | None = None  # FGM: the girl told you herself, or you saw physical signs
    child_consent: str | None = None  # the child's own consent, where the rule asks it: "yes", "no" or None
