"""The questions of `triage assess`. They only collect answers; the engine decides.

The order is the most urgent first, in every authority: immediate danger (999), the
authority, the urgent routes (a mental health crisis; an adult who works with children), then
the checklists, the social-care thresholds and consent.

Three rules keep a stray key from turning into the wrong answer:
- keys typed before a question is on screen belong to no question: they are discarded as each
  question appears (the terminal's input queue and prompt_toolkit's typeahead store);
- every yes/no question is answered the same way, the answer then Enter;
- nothing is taken as "nothing applies" unless the user chose it: Enter with nothing ticked
  stays on the question and says how to go on. Going back is a key (←), never an item.

The immediate-danger question is asked with plain input(), before questionary, prompt_toolkit
and the data are imported: those load in a background thread while the user reads it.
"""
from __future__ import annotations

import os
import shutil
import sys
import textwrap
import threading

from .assess import Answers

BACK = "__back__"  # the answer of a question left with ←
NONE = "__none__"  # "None of these apply", chosen on purpose
DUTY = "duty:"  # the value of a national duty offered beside the areas: "duty:fgm-police"
CHECK_KEYS = "(↑↓ move, space ticks, enter goes on{back})"
SELECT_KEYS = "(↑↓ move, enter chooses{back})"
EMPTY_ANSWER = "Nothing is ticked: tick what applies with space, or tick “None of these apply”."
NONE_AND_MORE = "“None of these apply” cannot go with other ticks: untick one or the other."


def _warm_up(loaded: dict) -> None:
    """Import the checklist machinery and load the data while the first question is read."""
    try:
        import questionary  # noqa: F401

        from . import contacts, engine  # noqa: F401 - the clock and time zones, for later steps
        from .session import load_data

        loaded["data"] = load_data()
    except Exception:  # the main thread loads again and reports any problem properly
        pass


def discard_typeahead(app=None) -> None:
    """Forget every key typed before the question now being shown: those in the terminal's
    input queue and, for a prompt_toolkit `app`, those a previous question read but did not use."""
    try:
        import termios

        termios.tcflush(sys.stdin.fileno(), termios.TCIFLUSH)
    except (ImportError, OSError, ValueError):  # not a terminal (or not POSIX): nothing queued
        pass
    if app is not None:
        from prompt_toolkit.input.typeahead import clear_typeahead

        clear_typeahead(app.input)


def ask_yes_no(question: str, asked=None) -> bool:
    """A y/n question answered with the answer then Enter. `asked` is called once the question
    is on screen."""
    discard_typeahead()
    sys.stdout.write(f"? {question} (y/n, then Enter) ")
    sys.stdout.flush()
    if asked:
        asked()
    while True:
        answer = input().strip().lower()
        if answer in ("y", "yes"):
            return True
        if answer in ("n", "no"):
            return False
        discard_typeahead()
        sys.stdout.write(f"  Please answer y or n, then Enter.\n? {question} (y/n, then Enter) ")
        sys.stdout.flush()


def _keys(back: bool, checkbox: bool):
    """Key bindings added to questionary's: ← goes back, Ctrl-D ends as Ctrl-C does, and in a
    checklist `a` (tick all) and `i` (invert) do nothing: one stray key must never tick a
    whole checklist."""
    from prompt_toolkit.key_binding import KeyBindings

    keys = KeyBindings()

    @keys.add("c-d", eager=True)
    def _end(event):
        event.app.exit(exception=EOFError, style="class:aborting")

    if back:
        @keys.add("left", eager=True)
        def _back(event):
            event.app.exit(result=BACK)

    if checkbox:
        @keys.add("a", eager=True)
        @keys.add("i", eager=True)
        def _ignore(event):
            pass

    return keys


def _ask(question, back: bool, checkbox: bool = False):
    """Run a questionary question with triage's keys, discarding keys typed ahead of it."""
    from prompt_toolkit.key_binding import merge_key_bindings

    app = question.application
    # Later bindings win in prompt_toolkit, so these replace questionary's for the same keys.
    app.key_bindings = merge_key_bindings([app.key_bindings, _keys(back, checkbox)])
    # handle_sigint=False: Ctrl-C at a question is a key (questionary's binding), and a SIGINT
    # from outside stays triage's (triage/signals.py). asyncio would otherwise put Python's
    # default handler back when the question ends, and a Ctrl-C after the last question would
    # end the process by the signal instead of exiting 130.
    return app.run(pre_run=lambda: discard_typeahead(app), handle_sigint=False)


def select(out, question: str, choices: list, back: bool = False):
    import questionary

    instruction = SELECT_KEYS.format(back=", ← back" if back else "")
    answer = _ask(questionary.select(question, choices=choices, instruction=instruction, erase_when_done=True),
                  back)
    if answer != BACK:
        from . import views

        title = next(c.title for c in choices if getattr(c, "value", None) == answer)
        views.show_answer(out, question, title)
    return answer


def checklist(out, question: str, choices: list, back: bool = True, none: bool = True,
              given: tuple = ()) -> list | str:
    """The values ticked, [NONE] for "None of these apply" chosen on purpose, or BACK.
    Enter with nothing ticked stays on the question and says how to go on, unless `given`
    names items already ticked elsewhere (shown as disabled choices): then [] goes on."""
    import questionary
    from questionary import Choice, Separator

    if none:
        choices = [*choices, Separator("──────"), Choice("None of these apply", value=NONE)]
    empty = EMPTY_ANSWER if none else "Nothing is ticked: tick what applies with space."

    def complete(ticked: list) -> bool | str:
        if not ticked and given:
            return True
        if not ticked:
            return empty
        if NONE in ticked and len(ticked) > 1:
            return NONE_AND_MORE
        return True

    instruction = CHECK_KEYS.format(back=", ← back" if back else "")
    answer = _ask(questionary.checkbox(question, choices=choices, instruction=instruction, validate=complete,
                                       erase_when_done=True), back, checkbox=True)
    if answer != BACK:
        from . import views

        titles = {getattr(c, "value", None): _unwrapped(c.title) for c in choices}
        shown = [titles[v] for v in answer] + [f"{titles[v]} ({c.disabled})" for c in choices
                                               for v in given if getattr(c, "value", None) == v]
        views.show_answer(out, question, "; ".join(shown))
    return answer


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

    from questionary import Choice

    from .contacts import call_now
    from .engine import CRISIS, ALLEGATION, pathway_call
    from .session import find_authority, load_data, moment

    data = loaded.get("data") or load_data()
    name = given.authority or os.environ.get("TRIAGE_AUTHORITY")
    if name:
        authority = find_authority(data, name)
    else:
        choices = [Choice(f"{a.name} ({a.id})", value=a.id) for a in data.authorities.values()]
        authority = data.authorities[select(out, "Which local authority is the child in?", choices)]
    when = moment(given.at)  # --at, or now
    if danger:
        views.show_call(out, call_now(authority, when), when, title=f"After 999: tell {authority.name}")
        going_on = select(out, "What now?", [Choice("End here: I am calling 999", value=False),
                                             Choice("Go on to record the concern", value=True)])
        if not going_on:
            return None

    crisis = given.mental_health_crisis or ask_yes_no(
        "Is a young person at immediate risk of harm from a mental health crisis?")
    if crisis:
        views.show_route(out, pathway_call(authority.pathways[CRISIS], when, authority), when,
                         title="Mental health crisis: call now")
    allegation = given.allegation or ask_yes_no(
        "Is the concern about an adult who works with children (for example a teacher, carer, coach or volunteer)?")
    if allegation:
        views.show_route(out, pathway_call(authority.pathways[ALLEGATION], when, authority), when,
                         title="An adult who works with children: the designated officer")

    ticked, nothing_applies, confirmed, consent, exceptions, duties = _checklists(authority, out, given)
    return Answers(authority=authority.id, indicators=tuple(ticked), immediate_danger=danger,
                   mental_health_crisis=crisis, allegation=allegation, nothing_applies=nothing_applies,
                   conditions_confirmed=confirmed, consent=consent, at=given.at,
                   consent_exceptions=tuple(exceptions), duties=tuple(duties))


def _checklists(authority, out, given: Answers):
    """Areas, then one checklist per area, then thresholds, a criterion's condition and consent;
    ← goes back a step."""
    from questionary import Choice, Separator

    from . import views
    from .engine import NATIONAL_DUTIES
    from .rules import conditions_to_ask, consent_for, decide_thresholds, linked_copies

    width = max(30, min(shutil.get_terminal_size((80, 24)).columns, 100) - 10)
    domains = {d.id: d for d in authority.domains}
    threshold_domain = next((d for d in authority.domains if all(i.threshold for i in d.indicators)), None)
    chosen: list[str] = []
    ticks: dict[str, list[str]] = {}  # per area: indicator ids, or [NONE]
    no_area = [False]  # "None of these apply" chosen for the areas themselves
    duties: list[str] = []  # the national duties ticked beside the areas
    links = linked_copies(authority)
    by_id = {i.id: i for i in authority.indicators}
    consent: list = [given.consent, []]
    confirmed = [given.conditions_confirmed]  # the condition of a ticked criterion holds (Notts 4a)

    def ticked() -> list[str]:
        return [i for d in chosen for i in ticks.get(d, []) if i != NONE]

    def nothing_applies() -> bool:
        """Only when the user said so: for the areas, or in every checklist opened."""
        if ticked():
            return False
        return no_area[0] or (bool(chosen) and all(ticks.get(d) == [NONE] for d in chosen))

    def conditions() -> tuple:
        return conditions_to_ask(authority, [by_id[i] for i in ticked()])

    def level_now() -> int | None:
        """As the engine will decide it: a criterion whose condition is unconfirmed does not count."""
        answers = {c.key: True for c in conditions()} if confirmed[0] else {}
        counted = decide_thresholds(authority, [by_id[i] for i in ticked()], answers).counted
        return max(i.level for i in counted) if counted else (1 if nothing_applies() else None)

    def needs_thresholds() -> bool:
        if threshold_domain is None or threshold_domain.id in chosen:
            return False
        wanted = set(ticked())
        return any(i.level == 4 and not i.threshold for i in authority.indicators if i.id in wanted)

    def domain_step():
        choices = []
        groups = authority.groups or ()
        listed = {d for g in groups for d in g.domains}
        for group in groups:
            choices.append(Separator(f"── {group.name} ──"))
            choices += [Choice(domains[d].name, value=d, checked=d in chosen) for d in group.domains if d in domains]
        choices += [Choice(d.name, value=d.id, checked=d.id in chosen) for d in authority.domains if d.id not in listed]
        # The national duties, in every authority, whether or not an item brings them.
        choices.append(Separator("── Duties in every authority ──"))
        choices += [Choice(authority.pathways[p].name, value=DUTY + p, checked=p in duties)
                    for p in NATIONAL_DUTIES if p in authority.pathways]
        views.show_notice(out, authority)
        picked = checklist(out, "Which areas does the concern touch?", choices, back=False)
        no_area[0] = picked == [NONE]
        chosen[:] = [d.id for d in authority.domains if d.id in picked]
        duties[:] = [v[len(DUTY):] for v in picked if v.startswith(DUTY)]
        for stale in set(ticks) - set(chosen):
            del ticks[stale]

    def ticked_elsewhere(item_id: str, domain_id: str) -> str | None:
        """The area where this item's other printed copy is ticked, if it is: one tick for both."""
        elsewhere = {i: d for d in chosen if d != domain_id for i in ticks.get(d, [])}
        return next((domains[elsewhere[o]].name for o in links.get(item_id, ()) if o in elsewhere), None)

    def checklist_step(domain_id: str, question: str, grouping) -> str | None:
        domain = domains[domain_id]
        choices, given_ids = [], []
        for label, items in grouping(domain):
            choices.append(Separator(f"── {label} ──"))
            for i in items:
                area = ticked_elsewhere(i.id, domain_id)
                if area:  # shown ticked, not asked again: its copy in another area counts here too
                    given_ids.append(i.id)
                    choices.append(Choice(_wrap(i.text, width), value=i.id,
                                          disabled=f"already ticked under {area}: it counts here too"))
                else:
                    choices.append(Choice(_wrap(i.text, width), value=i.id, checked=i.id in ticks.get(domain_id, [])))
        if grouping is by_threshold:  # a list that is not exhaustive says so
            views.show_lines(out, [views.not_exhaustive(t) for t in authority.thresholds.values() if t.not_exhaustive])
        picked = checklist(out, question, choices, given=tuple(given_ids))
        if picked == BACK:
            return BACK
        ticks[domain_id] = list(picked)
        return None

    def by_level(domain):
        return [(views.level_title(authority.levels[n]), [i for i in domain.indicators if i.level == n])
                for n in (4, 3, 2, 1) if any(i.level == n for i in domain.indicators)]

    def by_threshold(domain):
        return [(f"{t.id}: {t.name}", [i for i in domain.indicators if i.threshold == t.id])
                for t in authority.thresholds.values()]

    def consent_step() -> str | None:
        rule = consent_for(authority, level_now())  # the rule of the level the ticks reach
        views.show_consent(out, rule)
        choices = [Choice("Yes: told, and they agreed", value="yes")]
        if rule.exceptions:
            choices += [Choice("No: and one of the exceptions above applies", value="exception"),
                        Choice("No: and none of the exceptions applies", value="no")]
        else:
            choices.append(Choice("No: not told, or not agreed", value="no"))
        answer = select(out, "Have the parents been told and agreed?", choices, back=True)
        if answer == BACK:
            return BACK
        consent[0], consent[1] = ("yes" if answer == "yes" else "no"), []
        if answer == "exception":
            picked = checklist(out, "Which of the exceptions applies?",
                               [Choice(_wrap(e, width), value=e) for e in rule.exceptions], none=False)
            if picked == BACK:
                return BACK
            consent[1] = picked
        return None

    step = 0
    while True:
        steps = ["domains", *chosen]
        if needs_thresholds():
            steps.append("thresholds")
        if conditions() and not given.conditions_confirmed:
            steps.append("condition")  # before consent: the level, and so its consent rule, depends on it
        if level_now() is not None and consent_for(authority, level_now()) and given.consent is None:
            steps.append("consent")
        if step >= len(steps):
            break
        name = steps[step]
        if name == "domains":
            domain_step()
            result = None
        elif name == "thresholds":
            result = checklist_step(threshold_domain.id, "Level 4 ticked: which social-care thresholds apply?",
                                    by_threshold)
            if ticks.get(threshold_domain.id):
                chosen.append(threshold_domain.id)
        elif name == "condition":
            confirmed[0] = all(ask_yes_no(f"The criteria you ticked apply only where: “{c.text}”. Is that so?")
                               for c in conditions())
            result = None
        elif name == "consent":
            result = consent_step()
        else:
            result = checklist_step(name, f"{domains[name].name}: which of these apply?", by_level
                                    if name != getattr(threshold_domain, "id", None) else by_threshold)
        step = max(step - 1, 0) if result == BACK else step + 1
    return ticked(), nothing_applies(), confirmed[0], consent[0], consent[1], duties


def _wrap(text: str, width: int) -> str:
    """A choice's title wrapped to the terminal, its continuation lines under its text. Lines
    break at spaces only, never after a hyphen or inside a long word, so the answer echoed
    afterwards (_unwrapped) is the quoted text exactly: "non-accidental", not "non- accidental"."""
    return "\n     ".join(textwrap.wrap(text, width, break_on_hyphens=False, break_long_words=False)) or text


def _unwrapped(title) -> str:
    """A choice's title on one line, as its answer is echoed."""
    return " ".join(str(title).split())
