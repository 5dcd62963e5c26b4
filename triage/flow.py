"""The interview of `triage assess`, as data: ordered steps over a frozen state.

Each step has a condition (`when`) over the state so far and the engine's preview of it, and
asks one question through the UI (triage/ui.py). The flow decides nothing itself: the level,
the consent rule, the thresholds and conditions to ask all come from `engine.preview`, the
same rules `engine.assess` applies. Going back (← or b) returns to the previous step shown.

The order is the most urgent first, in every authority: immediate danger (999), the
authority, the urgent routes (a mental health crisis; an adult who works with children), then
the areas and their checklists, the social-care thresholds, a criterion's condition, what
triggers an FGM duty, and consent (the parents', then the child's where the rule asks it).

The immediate-danger question is asked before questionary, prompt_toolkit and the data are
imported: those load in a background thread while the user reads it.
"""
from __future__ import annotations

import os
import threading
from collections.abc import Callable
from typing import NamedTuple

from .screen import layout_width
from .selections import Selections
from .ui import BACK, NONE, Choice, Heading, TerminalUI, wrap

DUTY = "duty:"  # the value of a national duty offered beside the areas: "duty:fgm-police"
DANGER_QUESTION = "Is a child in immediate danger, left alone or missing?"
CRISIS_QUESTION = "Is a young person at immediate risk of harm from a mental health crisis?"
ADULT_QUESTION = ("Is the concern about an adult who works with children (for example a teacher, carer, coach or "
                  "volunteer)?")
AREAS_QUESTION = "Which areas does the concern touch?"
DUTIES_QUESTION = "Does one of the duties that hold in every authority apply?"
THRESHOLDS_QUESTION = "Level 3 or 4 ticked: do any of the social-care thresholds apply?"
THRESHOLDS_AGAIN = "Social-care thresholds were ticked before: do any of them still apply?"
PARENTS_QUESTION = "Have the parents been told, and have they agreed?"
EXCEPTION_QUESTION = "Does one of the exceptions above apply?"
WHICH_EXCEPTION = "Which of the exceptions applies?"
CHILD_QUESTION = "Has the child or young person been told, and agreed too?"
FGM_QUESTION = "FGM: did the girl tell you herself that she has had FGM, or did you see physical signs of it?"


class State(NamedTuple):
    """The answers so far. Frozen: each step returns a new one."""

    given: Selections  # what came from options (and the danger and authority answers)
    crisis: bool | None = None
    allegation: bool | None = None
    areas: tuple[str, ...] = ()  # the domain ids opened
    duties: tuple[str, ...] = ()  # the national duties ticked beside the areas
    no_area: bool = False  # "None of these apply" chosen for the areas themselves
    ticks: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (domain id, ticked ids or (NONE,)) per area answered
    thresholds_checked: bool = False
    thresholds_asked: bool = False  # the thresholds step was answered: it stays in the steps
    conditions_confirmed: bool | None = None
    fgm_told_or_seen: bool | None = None
    consent: str | None = None
    consent_exceptions: tuple[str, ...] = ()
    child_consent: str | None = None

    def ticked_in(self, domain_id: str) -> tuple[str, ...]:
        return dict(self.ticks).get(domain_id, ())

    def with_ticks(self, domain_id: str, ids) -> State:
        ticks = dict(self.ticks)
        ticks[domain_id] = tuple(ids)
        return self._replace(ticks=tuple(ticks.items()))

    def selections(self) -> Selections:
        """What the engine takes: the options given, with every answer of the flow."""
        answered = dict(self.ticks)
        ticked = tuple(i for d in answered for i in answered[d] if i != NONE)
        nothing = not ticked and (self.no_area or (bool(self.areas) and
                                                   all(answered.get(d) == (NONE,) for d in self.areas)))
        given = self.given
        return given._replace(
            indicators=given.indicators + tuple(i for i in ticked if i not in given.indicators),
            mental_health_crisis=given.mental_health_crisis or bool(self.crisis),
            allegation=given.allegation or bool(self.allegation),
            nothing_applies=given.nothing_applies or nothing,
            conditions_confirmed=given.conditions_confirmed or bool(self.conditions_confirmed),
            duties=given.duties + tuple(d for d in self.duties if d not in given.duties),
            thresholds_checked=given.thresholds_checked or self.thresholds_checked,
            fgm_told_or_seen=given.fgm_told_or_seen if given.fgm_told_or_seen is not None else self.fgm_told_or_seen,
            consent=given.consent or self.consent,
            consent_exceptions=given.consent_exceptions or self.consent_exceptions,
            child_consent=given.child_consent or self.child_consent,
        )


class Step(NamedTuple):
    name: str
    when: Callable  # (state, preview) -> bool
    ask: Callable  # (flow, state, preview) -> State or BACK


class Flow:
    """The steps for one authority, asked through one UI."""

    def __init__(self, authority, ui, at, width: int | None = None):
        self.authority = authority
        self.ui = ui
        self.at = at
        columns = width or layout_width()
        self.width = max(30, min(columns, 100) - 10)
        self.domains = {d.id: d for d in authority.domains}
        self.threshold_domain = next((d for d in authority.domains if all(i.threshold for i in d.indicators)), None)

    # -- the steps, in order -------------------------------------------------------------

    def steps(self, state: State) -> list[Step]:
        areas = [Step(f"area:{d}", _always, _area_step(d)) for d in state.areas]
        return [
            Step("crisis", lambda s, p: not s.given.mental_health_crisis, Flow.ask_crisis),
            Step("allegation", lambda s, p: not s.given.allegation, Flow.ask_allegation),
            Step("areas", _always, Flow.ask_areas),
            *areas,
            Step("thresholds", self._thresholds_due, Flow.ask_thresholds),
            # Before consent: the level, and so its consent rule, depends on it.
            Step("condition", lambda s, p: bool(p.conditions) and not s.given.conditions_confirmed, Flow.ask_condition),
            Step("fgm", lambda s, p: p.asks_fgm_trigger and s.given.fgm_told_or_seen is None, Flow.ask_fgm),
            Step("consent", lambda s, p: p.consent is not None and s.given.consent is None, Flow.ask_consent),
            Step("child consent", lambda s, p: p.consent is not None and bool(p.consent.child)
                 and s.given.child_consent is None, Flow.ask_child_consent),
        ]

    def run(self, state: State) -> Selections:
        from .engine import preview

        index = 0
        while True:
            seen = preview(self.authority, state.selections())
            active = [step for step in self.steps(state) if step.when(state, seen)]
            if index >= len(active):
                return state.selections()
            answer = active[index].ask(self, state, seen)
            if answer == BACK:
                index = max(index - 1, 0)
                continue
            state = answer
            index += 1

    # -- the questions -------------------------------------------------------------------

    def ask_crisis(self, state: State, seen) -> State | str:
        from . import views
        from .engine import CRISIS, pathway_call

        answer = self.ui.yes_no(CRISIS_QUESTION)
        if answer is True:
            self.ui.show(views.show_route, pathway_call(self.authority.pathways[CRISIS], self.at, self.authority),
                         self.at, "Mental health crisis: call now")
        return answer if answer == BACK else state._replace(crisis=answer)

    def ask_allegation(self, state: State, seen) -> State | str:
        from . import views
        from .engine import ALLEGATION, pathway_call

        answer = self.ui.yes_no(ADULT_QUESTION, back=not state.given.mental_health_crisis)
        if answer is True:
            self.ui.show(views.show_route, pathway_call(self.authority.pathways[ALLEGATION], self.at, self.authority),
                         self.at, "An adult who works with children: the designated officer")
        return answer if answer == BACK else state._replace(allegation=answer)

    def ask_areas(self, state: State, seen) -> State | str:
        from . import views
        from .engine import NATIONAL_DUTIES

        authority = self.authority
        choices: list = []
        listed = {d for g in authority.groups for d in g.domains}
        for group in authority.groups:
            choices.append(Heading(f"── {group.name} ──"))
            choices += [Choice(self.domains[d].name, d, checked=d in state.areas)
                        for d in group.domains if d in self.domains]
        choices += [Choice(d.name, d.id, checked=d.id in state.areas) for d in authority.domains if d.id not in listed]
        # The national duties, in every authority, whether or not an item brings them.
        choices.append(Heading("── Duties in every authority ──"))
        choices += [Choice(authority.pathways[p].name, DUTY + p, checked=p in state.duties)
                    for p in NATIONAL_DUTIES if p in authority.pathways]
        self.ui.show(views.show_notice, authority)
        if not authority.domains:  # no checklists held: the duties that hold everywhere only
            self.ui.show(views.show_lines, [views.not_held_text(authority)])
        picked = self.ui.checklist(AREAS_QUESTION if authority.domains else DUTIES_QUESTION, choices,
                                   back=not (state.given.allegation and state.given.mental_health_crisis))
        if picked == BACK:
            return BACK
        areas = tuple(d.id for d in authority.domains if d.id in picked)
        # The threshold criteria ticked before are kept, and asked again to be seen (by ← to the
        # areas and on again they were lost: a 4b case came back as Level 3); the thresholds are
        # asked again from what is ticked now (unless their area is open).
        criteria = self.threshold_domain.id if self.threshold_domain is not None else None
        kept = tuple((d, ids) for d, ids in state.ticks if d in areas or d == criteria)
        return state._replace(areas=areas, no_area=picked == [NONE], ticks=kept, thresholds_checked=False,
                              thresholds_asked=criteria is not None and bool(dict(kept).get(criteria)),
                              duties=tuple(v[len(DUTY):] for v in picked if v.startswith(DUTY)))

    def ask_thresholds(self, state: State, seen) -> State | str:
        from . import views
        from .engine import preview

        authority = self.authority
        assert self.threshold_domain is not None  # there are thresholds to ask only where it is
        # Ranked for what the other areas hold, this step's own answer left out: come back to
        # (← from consent), the same criteria are offered with what was ticked still ticked.
        # (Asked from the preview of the answer itself, a tick or "checked" offered none, and
        # the only way on, "None of these apply", took a 4b case down to Level 3.)
        ticked = set(state.ticked_in(self.threshold_domain.id))
        fresh = preview(authority, state.with_ticks(self.threshold_domain.id, ())._replace(
            thresholds_checked=False).selections())
        offered = fresh.thresholds_to_ask or tuple(i for i in authority.indicators if i.threshold)
        linked = [i for i in offered if i.id in fresh.linked]
        choices: list = []
        if linked:
            choices.append(Heading("── Linked to what you ticked ──"))
            choices += [Choice(wrap(i.text, self.width), i.id, checked=i.id in ticked) for i in linked]
        for threshold in authority.thresholds.values():
            rest = [i for i in offered if i.threshold == threshold.id and i.id not in fresh.linked]
            if rest:
                choices.append(Heading(f"── {threshold.id}: {threshold.name} ──"))
                choices += [Choice(wrap(i.text, self.width), i.id, checked=i.id in ticked) for i in rest]
        self.ui.show(views.show_lines, [views.not_exhaustive(t) for t in authority.thresholds.values()
                                        if t.not_exhaustive])
        picked = self.ui.checklist(THRESHOLDS_QUESTION if fresh.thresholds_to_ask else THRESHOLDS_AGAIN, choices)
        if picked == BACK:
            return BACK
        return state.with_ticks(self.threshold_domain.id, picked)._replace(thresholds_checked=True,
                                                                           thresholds_asked=True)

    def ask_condition(self, state: State, seen) -> State | str:
        confirmed = True
        for condition in seen.conditions:
            answer = self.ui.yes_no(f"The criteria you ticked apply only where: “{condition.text}”. Is that so?",
                                    back=True)
            if answer == BACK:
                return BACK
            confirmed = confirmed and answer
        return state._replace(conditions_confirmed=confirmed)

    def ask_fgm(self, state: State, seen) -> State | str:
        from . import views
        from .engine import FGM

        self.ui.show(views.show_lines, [self.authority.pathways[FGM].trigger])
        answer = self.ui.yes_no(FGM_QUESTION, back=True)
        return answer if answer == BACK else state._replace(fgm_told_or_seen=answer)

    def ask_consent(self, state: State, seen) -> State | str:
        from . import views

        rule = seen.consent
        self.ui.show(views.show_consent, rule)
        told = self.ui.yes_no(PARENTS_QUESTION, back=True)
        if told == BACK:
            return BACK
        if told or not rule.exceptions:
            return state._replace(consent="yes" if told else "no", consent_exceptions=())
        applies = self.ui.yes_no(EXCEPTION_QUESTION, back=True)
        if applies == BACK:
            return BACK
        exceptions: tuple = ()
        if applies and len(rule.exceptions) == 1:
            exceptions = rule.exceptions
        elif applies:
            picked = self.ui.checklist(WHICH_EXCEPTION, [Choice(wrap(e, self.width), e) for e in rule.exceptions],
                                       none=False)
            if picked == BACK:
                return BACK
            exceptions = tuple(picked)
        return state._replace(consent="no", consent_exceptions=exceptions)

    def ask_child_consent(self, state: State, seen) -> State | str:
        from . import views

        self.ui.show(views.show_lines, [f"The consent rule asks the child's too: “{seen.consent.child}”."])
        answer = self.ui.yes_no(CHILD_QUESTION, back=True)
        return answer if answer == BACK else state._replace(child_consent="yes" if answer else "no")

    # -- the area checklists -------------------------------------------------------------

    def _thresholds_due(self, state: State, seen) -> bool:
        opened = self.threshold_domain is not None and self.threshold_domain.id in state.areas
        return state.thresholds_asked or (bool(seen.thresholds_to_ask) and not opened)

    def ask_area(self, domain_id: str, state: State) -> State | str:
        domain = self.domains[domain_id]
        links = _linked_copies(self.authority)
        # Where this item's other printed copy is ticked: one tick counts for both.
        elsewhere = {i: d for d, ids in state.ticks if d != domain_id for i in ids}
        choices: list = []
        given_ids = []
        groups = self._by_threshold(domain) if domain is self.threshold_domain else self._by_level(domain)
        for label, items in groups:
            choices.append(Heading(f"── {label} ──"))
            for item in items:
                area = next((self.domains[elsewhere[o]].name for o in links.get(item.id, ()) if o in elsewhere), None)
                if area:  # shown ticked, not asked again: its copy in another area counts here too
                    given_ids.append(item.id)
                    choices.append(Choice(wrap(item.text, self.width), item.id,
                                          disabled=f"already ticked under {area}: it counts here too"))
                else:
                    choices.append(Choice(wrap(item.text, self.width), item.id,
                                          checked=item.id in state.ticked_in(domain_id)))
        if domain is self.threshold_domain:  # a list that is not exhaustive says so
            from . import views

            self.ui.show(views.show_lines, [views.not_exhaustive(t) for t in self.authority.thresholds.values()
                                            if t.not_exhaustive])
        picked = self.ui.checklist(f"{domain.name}: which of these apply?", choices, given=tuple(given_ids))
        if picked == BACK:
            return BACK
        state = state.with_ticks(domain_id, picked)
        return state._replace(thresholds_checked=True) if domain is self.threshold_domain else state

    def _by_level(self, domain):
        return [(self.authority.levels[n].title, [i for i in domain.indicators if i.level == n])
                for n in (4, 3, 2, 1) if any(i.level == n for i in domain.indicators)]

    def _by_threshold(self, domain):
        return [(f"{t.id}: {t.name}", [i for i in domain.indicators if i.threshold == t.id])
                for t in self.authority.thresholds.values()]


def _always(state, seen) -> bool:
    return True


def _area_step(domain_id: str):
    return lambda flow, state, seen: flow.ask_area(domain_id, state)


def _linked_copies(authority):
    from .rules import linked_copies

    return linked_copies(authority)


# ---------------------------------------------------------------------------------------
# The whole interview

AUTHORITY_QUESTION = "Which local authority is the child in? Type a council, town or district to find it."
POSTCODE_QUESTION = "The child's home postcode (looked up, never written anywhere):"
NOT_LISTED, BY_POSTCODE = "not-listed", "by-postcode"


def choose_authority(ui, data):
    """Every children's services authority in England, found by typing or by the child's
    postcode; None when the user's is not listed (outside England), after saying what holds
    UK-wide."""
    from . import postcodes, views
    from .session import authority_of, directory_of, held_by

    directory = directory_of(data)
    holding = held_by(data)
    choices = [Choice("By the child's home postcode", BY_POSTCODE), Choice("Not listed / outside England", NOT_LISTED)]
    entries = data.authorities.entries
    for council in sorted(directory.authorities, key=lambda c: c.short.lower()):
        held = " - indicators held" if council.id in holding else ""
        # Every district and former district in the title, so typing "Watford" finds Hertfordshire,
        # and the aliases a council's own folder gives its authority ("oakham").
        entry = entries.get(holding.get(council.id, ""))
        aliases = [a for a in entry.aliases if a.lower() != council.short.lower()] if entry else []
        towns = ", ".join(dict.fromkeys([*(d.short for d in council.districts), *council.former, *aliases]))
        choices.append(Choice(f"{council.short} ({council.name}{held})", council.id, found_by=towns))
    while True:
        chosen = ui.choose(AUTHORITY_QUESTION, choices)
        if chosen == BY_POSTCODE:
            place = ui.text(POSTCODE_QUESTION, postcodes.find)
            if place == BACK:
                continue
            council = directory.by_code.get(place.code) if place.in_england else None
            ui.show(views.show_postcode_council, council)
            if council is None:
                return None
            return authority_of(data, council)
        if chosen == NOT_LISTED:
            ui.show(views.show_outside_england)
            return None
        return authority_of(data, directory.by_id[chosen])


def _warm_up(loaded: dict) -> None:
    """Import the checklist machinery and load the data while the first question is read."""
    try:
        import questionary  # noqa: F401

        from . import contacts, engine  # noqa: F401 - the clock and time zones, for later steps
        from .session import load_data

        loaded["data"] = load_data()
    except Exception:  # the main thread loads again and reports any problem properly
        pass


class EndedAfter999(NamedTuple):
    """The user chose to end after the 999 advice: what was answered, for a record asked for."""

    selections: Selections


def interview(given: Selections, ui=None) -> Selections | EndedAfter999 | None:
    """Ask what the options did not give. None when the authority is not listed (or outside
    England), EndedAfter999 when the user ends after the 999 advice."""
    ui = ui or TerminalUI()
    # The loading starts once the question is shown, so it does not delay the question.
    loaded: dict = {}
    warm = threading.Thread(target=_warm_up, args=(loaded,), daemon=True)
    if given.immediate_danger:
        warm.start()
        danger = True
    elif isinstance(ui, TerminalUI):  # and PlainUI
        danger = ui.yes_no(DANGER_QUESTION, asked=warm.start) is True  # asked without "back"
    else:
        warm.start()
        danger = ui.yes_no(DANGER_QUESTION) is True

    from . import views

    if danger:
        ui.show(views.show_danger)
    warm.join()

    from .engine import then_tell
    from .session import find_authority, load_data, moment

    data = loaded.get("data") or load_data()
    name = given.authority or os.environ.get("TRIAGE_AUTHORITY")
    authority = find_authority(data, name) if name else choose_authority(ui, data)
    if authority is None:  # not listed, or outside England: what holds UK-wide has been shown
        return None
    when = moment(given.at)  # --at, or now
    if danger:
        ui.show(views.show_call, then_tell(authority, when), when, f"After 999: tell {authority.name}")
        going_on = ui.choose("What now?", [Choice("End here: I am calling 999", False),
                                           Choice("Go on to record the concern", True)])
        if not going_on:
            return EndedAfter999(given._replace(authority=authority.id, immediate_danger=True))
    start = State(given._replace(authority=authority.id, immediate_danger=danger))
    return Flow(authority, ui, when).run(start)
