"""The questions of `triage assess`. They only collect answers; the engine decides.

The immediate-danger question comes first and is asked with plain input(), before
questionary, prompt_toolkit and the data are imported: those load in a background thread
while the user reads it.
"""
from __future__ import annotations

import os
import shutil
import sys
import textwrap
import threading

from .assess import Answers

BACK = "__back__"
INSTRUCTION = "(↑↓ move, space ticks, enter goes on)"


def _warm_up(loaded: dict) -> None:
    """Import the checklist machinery and load the data while the first question is read."""
    try:
        import questionary  # noqa: F401

        _share_default_key_bindings()
        from . import contacts, engine  # noqa: F401 - the clock and time zones, for later steps
        from .session import load_data

        loaded["data"] = load_data()
    except Exception:  # the main thread loads again and reports any problem properly
        pass


def _share_default_key_bindings() -> None:
    """prompt_toolkit builds its default key bindings (about 600) afresh for every Application,
    and questionary makes three of those per question: 30 ms of a 40 ms pause between two
    checklists. The bindings are descriptions only (each Application keeps its own state), so
    one copy can serve every question."""
    import functools

    from prompt_toolkit.application import application

    if not hasattr(application.load_key_bindings, "cache_info"):
        application.load_key_bindings = functools.lru_cache(maxsize=1)(application.load_key_bindings)
    application.load_key_bindings()  # built now, while the first question is being read


def ask_yes_no(question: str, asked=None) -> bool:
    """A y/n question with plain input(). `asked` is called once the question is on screen."""
    sys.stdout.write(f"? {question} (y/n) ")
    sys.stdout.flush()
    if asked:
        asked()
    while True:
        answer = input().strip().lower()
        if answer in ("y", "yes"):
            return True
        if answer in ("n", "no"):
            return False
        sys.stdout.write(f"  Please answer y or n.\n? {question} (y/n) ")
        sys.stdout.flush()


def interview(given: Answers) -> Answers | None:
    # The loading starts once the question is shown, so it does not delay the question.
    loaded: dict = {}
    warm = threading.Thread(target=_warm_up, args=(loaded,), daemon=True)
    if given.immediate_danger:
        warm.start()
        danger = True
    else:
        danger = ask_yes_no("Is a child in immediate danger, left alone or missing?", asked=warm.start)

    from . import views

    out = views.console()
    if danger:
        views.show_danger(out)
    warm.join()

    import questionary
    from questionary import Choice

    from .contacts import call_now
    from .session import find_authority, load_data

    data = loaded.get("data") or load_data()
    name = given.authority or os.environ.get("TRIAGE_AUTHORITY")
    if name:
        authority = find_authority(data, name)
    else:
        choices = [Choice(f"{a.name} ({a.id})", value=a.id) for a in data.authorities.values()]
        authority = data.authorities[questionary.select("Which local authority is the child in?", choices=choices,
                                                        instruction="(↑↓ move, enter chooses)").unsafe_ask()]
    when = _now()
    if danger:
        views.show_call(out, call_now(authority, when), when, title=f"After 999: tell {authority.name}")
        going_on = questionary.select("What now?", choices=[
            Choice("End here: I am calling 999", value=False),
            Choice("Go on to record the concern", value=True)]).unsafe_ask()
        if not going_on:
            return None

    crisis = given.mental_health_crisis
    if "mental-health-crisis" in authority.pathways and not crisis:
        crisis = questionary.confirm("Is a young person at immediate risk of harm from a mental health crisis?",
                                     default=False).unsafe_ask()
    if crisis and "mental-health-crisis" in authority.pathways:
        from .engine import pathway_call

        route = pathway_call(authority.pathways["mental-health-crisis"], when, authority)
        views.show_call(out, route.call, when, title="Mental health crisis: call now")

    ticked, consent, exceptions = _checklists(authority, out, given)
    return Answers(authority=authority.id, indicators=tuple(ticked), immediate_danger=danger,
                   mental_health_crisis=crisis, consent=consent, at=given.at, consent_exceptions=tuple(exceptions))


def _now():
    from .clock import now

    return now()


def _checklists(authority, out, given: Answers):
    """Domains, then one checklist per domain, then thresholds and consent; each step can go back."""
    import questionary
    from questionary import Choice, Separator

    from . import views

    width = max(30, min(shutil.get_terminal_size((80, 24)).columns, 100) - 10)
    domains = {d.id: d for d in authority.domains}
    threshold_domain = next((d for d in authority.domains if all(i.threshold for i in d.indicators)), None)
    chosen: list[str] = []
    ticks: dict[str, list[str]] = {}
    consent: list = [given.consent, []]

    def level_now() -> int:
        return max((i.level for d in ticks.values() for i in _items(authority, d)), default=1)

    def needs_thresholds() -> bool:
        if threshold_domain is None or threshold_domain.id in chosen:
            return False
        return any(i.level == 4 and not i.threshold for d, ids in ticks.items() if d in chosen
                   for i in _items(authority, ids))

    def domain_step():
        choices = []
        groups = authority.groups or ()
        listed = {d for g in groups for d in g.domains}
        for group in groups:
            choices.append(Separator(f"── {group.name} ──"))
            choices += [Choice(domains[d].name, value=d, checked=d in chosen) for d in group.domains if d in domains]
        choices += [Choice(d.name, value=d.id, checked=d.id in chosen) for d in authority.domains if d.id not in listed]
        views.show_notice(out, authority)
        picked = questionary.checkbox("Which areas does the concern touch?", choices=choices,
                                      instruction=INSTRUCTION).unsafe_ask()
        chosen[:] = [d.id for d in authority.domains if d.id in picked]
        for stale in set(ticks) - set(chosen):
            del ticks[stale]

    def checklist_step(domain_id: str, question: str, grouping) -> str | None:
        domain = domains[domain_id]
        choices = []
        for label, items in grouping(domain):
            choices.append(Separator(f"── {label} ──"))
            choices += [Choice(_wrap(i.text, width), value=i.id, checked=i.id in ticks.get(domain_id, []))
                        for i in items]
        choices.append(Choice("← Back to the previous step", value=BACK))
        picked = questionary.checkbox(question, choices=choices, instruction=INSTRUCTION).unsafe_ask()
        ticks[domain_id] = [p for p in picked if p != BACK]
        return BACK if BACK in picked else None

    def by_level(domain):
        return [(f"Level {n}: {authority.levels[n].name}", [i for i in domain.indicators if i.level == n])
                for n in (4, 3, 2, 1) if any(i.level == n for i in domain.indicators)]

    def by_threshold(domain):
        return [(f"{t.id}: {t.name}", [i for i in domain.indicators if i.threshold == t.id])
                for t in authority.thresholds.values()]

    def consent_step() -> str | None:
        c = authority.consent
        views.show_consent(out, authority)
        answer = questionary.select("Have the parents been told, and have they agreed?", choices=[
            Choice("Yes: told, and they agreed", value="yes"),
            Choice("No: not told, or not agreed", value="no"),
            Choice("← Back to the previous step", value=BACK)]).unsafe_ask()
        if answer == BACK:
            return BACK
        consent[0], consent[1] = answer, []
        if answer == "no":
            consent[1] = questionary.checkbox(
                "Which of these exceptions applies?",
                choices=[Choice(_wrap(e, width), value=e) for e in c.exceptions],
                instruction=INSTRUCTION).unsafe_ask()
        return None

    step = 0
    while True:
        steps = ["domains", *chosen]
        if needs_thresholds():
            steps.append("thresholds")
        if level_now() in authority.consent.levels and given.consent is None:
            steps.append("consent")
        if step >= len(steps):
            break
        name = steps[step]
        if name == "domains":
            domain_step()
            result = None
        elif name == "thresholds":
            result = checklist_step(threshold_domain.id, "Level 4 ticked: which social-care thresholds apply?", by_threshold)
            if ticks.get(threshold_domain.id):
                chosen.append(threshold_domain.id)
        elif name == "consent":
            result = consent_step()
        else:
            result = checklist_step(name, f"{domains[name].name}: which of these apply?", by_level
                                    if name != getattr(threshold_domain, "id", None) else by_threshold)
        step = max(step - 1, 0) if result == BACK else step + 1
    indicators = [i for d in chosen for i in ticks.get(d, [])]
    return indicators, consent[0], consent[1]


def _items(authority, ids):
    wanted = set(ids)
    return [i for i in authority.indicators if i.id in wanted]


def _wrap(text: str, width: int) -> str:
    return "\n     ".join(textwrap.wrap(text, width)) or text
