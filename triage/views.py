"""What each command shows: indicators, contacts and an assessment's outcome, laid out with
page.Page and printed with rich (which honours NO_COLOR and plain output to a pipe)."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from rich.console import Console

from .model import FOLLOW_UP, PURPOSES, Authority, Contact, Domain, Indicator, Level
from .page import Page

if TYPE_CHECKING:  # the clock and the engine load only for the commands that use them
    from . import clock
    from .engine import Outcome, PathwayCall

LEVEL_STYLE = {4: "bold red", 3: "bold yellow", 2: "bold cyan", 1: "bold green"}


class _Console(Console):
    plain = False  # the accessible mode's console (console(plain=True)): read by page.Page

    def on_broken_pipe(self) -> None:
        """Rich's hook for output whose reader has gone (`| true`): rich's own exits at once; this
        raises, so that a record asked for is still written, and cli.main ends as for any
        closed pipe."""
        raise BrokenPipeError


def console(stderr: bool = False, plain: bool | None = None) -> Console:
    from . import screen

    if screen.plain if plain is None else plain:  # the accessible mode: no colour or style, so no escape sequence
        out = _Console(stderr=stderr, highlight=False, width=screen.layout_width(), color_system=None)
        out.plain = True
        return out
    return _Console(stderr=stderr, highlight=False, width=screen.layout_width())


def _uk_time(at: datetime) -> str:
    """The moment as shown everywhere: 'Friday 27 November 2026, 16:45 UK time (UTC+0000)'."""
    from . import clock

    local = clock.to_london(at)
    return f"{local:%A} {local.day} {local:%B %Y, %H:%M} UK time (UTC{local:%z})"  # "3 December", as _day


def _reach(numbers_and_addresses: tuple[str, ...], url: str | None) -> str:
    """How to reach someone: the phone numbers (and e-mail addresses) given, else the web page."""
    return ", ".join(numbers_and_addresses) or url or ""


def show_notice(out: Console, authority: Authority) -> None:
    page = Page(out)
    notice(page, authority)
    page.show()


def notice(page: Page, authority: Authority) -> None:
    if authority.notice:
        page.box("Note", [[authority.notice]], border="yellow")


# ---------------------------------------------------------------------------------------
# Indicators


def indicator_list(page: Page, title: str, indicators: list[Indicator], show_domain: bool = False,
                   thresholds: dict | None = None) -> None:
    """Indicators grouped by level, Level 4 first, each indented with its id beneath. With
    `thresholds`, a threshold whose criteria list is not exhaustive says so before them."""
    page.para((title, "bold underline"))
    previous = None
    said = set()
    for indicator in sorted(indicators, key=lambda i: -i.level):
        if indicator.level != previous:
            page.para((f"Level {indicator.level}", LEVEL_STYLE[indicator.level]))
            previous = indicator.level
        threshold = (thresholds or {}).get(indicator.threshold or "")
        if threshold is not None and threshold.not_exhaustive and threshold.id not in said:
            said.add(threshold.id)
            page.para((not_exhaustive(threshold), "italic"), indent=2)
        page.para(indicator.text, indent=4)
        extras = [indicator.id]
        if show_domain:
            extras.insert(0, indicator.domain_name)
        if indicator.threshold:
            extras.append(f"threshold {indicator.threshold}")
        if indicator.same_as:
            extras.append(f"same as {indicator.same_as}")
        if indicator.pathways:
            extras.append("duty: " + ", ".join(indicator.pathways))
        page.para("  ·  ".join(extras), indent=4, style="dim")
        if indicator.note:
            page.para((indicator.note, "italic"), indent=4)
        page.blank()


def not_exhaustive(threshold) -> str:
    """'4b: “Threshold Criteria include:”: the list is not exhaustive.'"""
    return f"{threshold.id} ({threshold.name}): “{threshold.not_exhaustive}”: the list is not exhaustive."


def domain_view(out: Console, authority: Authority, domain: Domain, indicators: list[Indicator]) -> None:
    page = Page(out)
    notice(page, authority)
    indicator_list(page, f"{authority.name}: {domain.name}", indicators, thresholds=authority.thresholds)
    page.para((f"Source: {authority.source.describe_document()}; {domain.source}", "dim"))
    page.show()


def level_view(out: Console, authority: Authority, level: int, indicators: list[Indicator]) -> None:
    page = Page(out)
    notice(page, authority)
    indicator_list(page, f"{authority.name}: Level {level}", indicators, show_domain=True,
                   thresholds=authority.thresholds)
    page.show()


def domain_list(out: Console, authority: Authority) -> None:
    page = Page(out)
    notice(page, authority)
    page.para((f"{authority.name}: domains", "bold underline"),
              ("  (id for lookup, name, indicators at L4/L3/L2/L1)", "dim"))
    column = max(len(d.id) for d in authority.domains) + 2
    hang = column if column < page.width // 2 else 4
    for domain in authority.domains:
        counts = "/".join(str(sum(1 for i in domain.indicators if i.level == n)) for n in (4, 3, 2, 1))
        page.para((domain.id.ljust(column), "bold"), domain.name, (f"  {counts}", "dim"), indent=2, hang=hang)
    page.para((f"Source: {authority.source.describe_document()}", "dim"))
    page.show()


def search_view(out: Console, authority: Authority, text: str, hits: list[Indicator]) -> None:
    page = Page(out)
    notice(page, authority)
    if hits:
        indicator_list(page, f"{authority.name}: {len(hits)} indicator(s) matching “{text}”", hits, show_domain=True,
                       thresholds=authority.thresholds)
    else:
        page.para(f"{authority.name}: nothing matches “{text}”.")
    page.show()


# ---------------------------------------------------------------------------------------
# Contacts


def call_box(page: Page, call: clock.Call, at: datetime, title: str = "Call now about a child") -> None:
    contact = call.contact
    reach = (_reach(contact.phone, contact.url), "bold green")
    lines: list[list] = [[reach, f": {contact.name}"] if page.plain else [(f"{contact.name}: ", "bold"), reach],
                         [f"{call.reason}."]]
    if call.next_open:
        office = call.first_choice or call.contact
        lines.append([f"{office.name} next opens at {_when(call.next_open, at)}."])
    if call.note:
        lines.append([(f"Now: {call.note}", "bold yellow")])
    if contact.routing:
        lines.append([f"Getting through: {contact.routing}"])
    # The office's too when another line stands in for it: its hours decided the routing.
    for shown in (call.stands_in_for, contact):
        if shown is not None and shown.assumption:
            lines.append([(f"Assumed: {shown.assumption}", "yellow")])
    page.box(title, lines, border="green" if call.open_now else "red")


def _day(iso_date: str) -> str:
    """'Monday 30 November 2026'."""
    from datetime import date

    day = date.fromisoformat(iso_date)
    return f"{day:%A} {day.day} {day:%B %Y}"  # no glibc-only day format: Windows refuses it


def _when(moment: datetime, at: datetime) -> str:
    from . import clock

    return clock.format_moment(moment, at)


def show_call(out: Console, call: clock.Call, at: datetime, title: str) -> None:
    page = Page(out)
    call_box(page, call, at, title)
    page.show()


def who_to_call(out: Console, calls: list[tuple[Authority, clock.Call]], at: datetime) -> None:
    """Every authority's line to call now (contacts without --authority)."""
    page = Page(out)
    page.para((f"Who to call about a child, {_uk_time(at)}", "bold"))
    for authority, call in calls:
        call_box(page, call, at, title=authority.name)
    page.para("Add --authority to see every contact of one authority.")
    page.show()


def not_held_text(authority: Authority) -> str:
    """What triage says of an authority whose threshold document it does not hold."""
    return (f"triage holds no threshold document for {authority.name}: for the level of need, use the "
            f"council's own (on its website, {authority.source.url}), and call its front door. "
            "The routes below hold in every authority in England.")


OUTSIDE_ENGLAND = ("triage covers England's children's services authorities only. Wherever you are in the UK: "
                   "if a child is in immediate danger, call 999; the NSPCC helpline (0808 800 5000) also covers "
                   "Wales, Scotland and Northern Ireland, whose child protection systems differ from England's; "
                   "contact the child's local council's children's services.")


def show_outside_england(out: Console) -> None:
    page = Page(out)
    page.box("Outside England, or not listed", [[(OUTSIDE_ENGLAND, "bold")]], border="yellow")
    if page.plain:  # the numbers at the start of their lines, as everywhere in the accessible mode
        page.rule("In short")
        page.para("999: a child in immediate danger, anywhere in the UK.")
        page.para("0808 800 5000: the NSPCC helpline, in England, Wales, Scotland and Northern Ireland.")
    page.show()


def show_postcode_council(out: Console, council) -> None:
    """Which council a postcode gave (never the postcode), with the data's attribution; outside
    England, what holds UK-wide."""
    from .postcodes import ATTRIBUTION

    if council is None:
        show_outside_england(out)
    else:
        out.print(f"That postcode is in {council.name}'s area.", highlight=False)
    out.print(f"{ATTRIBUTION}.", style="dim", highlight=False)


def contacts_view(out: Console, authority: Authority, call: clock.Call, contacts: list[Contact], at: datetime) -> None:
    from . import clock
    from .hours import describe

    page = Page(out)
    page.para((f"{authority.name}, {_uk_time(at)}", "bold"))
    if not authority.domains:
        page.para((not_held_text(authority), "yellow"))
    call_box(page, call, at)
    by_purpose: dict[str, list[Contact]] = {}
    for contact in contacts:
        by_purpose.setdefault(contact.purpose, []).append(contact)
    for purpose, group in by_purpose.items():
        page.blank()
        page.para((PURPOSES.get(purpose, purpose), "bold underline"))
        for contact in group:
            open_now = clock.is_open(contact, at, authority.contacts)
            district = f" ({contact.district})" if contact.district else ""
            reach = _reach(contact.phone + contact.email, contact.url)
            if page.plain:  # the number first, then whose it is and whether it answers now
                page.para(f"{reach}: " if reach else "", contact.name, district, " (open now)" if open_now else " (closed)")
            else:
                page.para(("open   ", "bold green") if open_now else ("closed ", "red"), (contact.name, "bold"),
                          district, hang=7)
                if reach:
                    page.para((reach, "green"), indent=7)
            page.para(describe(contact.hours), indent=7)
            if not open_now:
                opens = clock.next_open(contact, at, authority.contacts)
                if opens:
                    page.para((f"opens at {clock.format_moment(opens, at)}", "yellow"), indent=7)
            if contact.for_:
                page.para((contact.for_, "dim"), indent=7)
            if contact.assumption:
                page.para((f"Assumed: {contact.assumption}", "yellow"), indent=7)
    page.show()


# ---------------------------------------------------------------------------------------
# Assessment

DANGER_ADVICE = ("If a child is in immediate danger, left alone or missing, contact the police and/or an ambulance "
                 "using 999.")
# The parents said no, or were not asked, and no exception was named: the guidance of every
# level that asks for consent requires it before a referral.
NO_CONSENT = "ask the parents before you refer, unless an exception applies."
RECAP_LINES = 8  # the recap's most: at 80x24 it is what stays on screen when the command ends


def level_title(level: Level) -> str:
    return level.title


def assumed_lines(call: clock.Call) -> list[list]:
    """Every assumption the routing of this call made, as lines of a box."""
    return [[(f"Assumed: {text}", "yellow")] for text in call.assumptions]


def danger_box(page: Page, authority: Authority | None, then_call: clock.Call | None) -> None:
    lines: list[list] = [[("Call 999 now.", "bold red")], [DANGER_ADVICE]]
    if authority is not None and then_call is not None:
        phone = _reach(then_call.contact.phone, then_call.contact.url)
        if page.plain:
            lines.append([f"{phone}: then tell {authority.name} ({then_call.contact.name}). {then_call.reason}."])
        else:
            lines.append([f"Then tell {authority.name}: {then_call.contact.name}, {phone}. {then_call.reason}."])
        lines += assumed_lines(then_call)
    page.box("Immediate danger", lines, border="red")


def show_danger(out: Console) -> None:
    page = Page(out)
    danger_box(page, None, None)
    page.show()


def route_box(page: Page, route: PathwayCall, at: datetime, title: str | None = None) -> None:
    """An urgent route or extra duty: what to do, and the line for it now."""
    body: list[list] = [[route.pathway.action]]
    if route.call is not None:
        contact = route.call.contact
        reach = _reach(contact.phone, contact.url)
        if page.plain:
            body.append([(reach, "bold green"), f": call now, {contact.name}. {route.call.reason}."])
        else:
            body.append([("Call now: ", "bold"), (f"{contact.name}, {reach}", "bold green"), f". {route.call.reason}."])
        if route.call.next_open:
            office = route.call.first_choice or contact
            body.append([f"{office.name} next opens at {_when(route.call.next_open, at)}."])
        if route.call.note:
            body.append([(f"Now: {route.call.note}", "bold yellow")])
        if contact.routing:
            body.append([f"Getting through: {contact.routing}"])
        body += assumed_lines(route.call)
    if route.due_by:
        body.append([("Report by the end of ", "bold"), (_day(route.due_by), "bold"), "."])
    if route.pathway.trigger:
        body.append([route.pathway.trigger])
    if route.pathway.assumption:
        body.append([(f"Assumed: {route.pathway.assumption}", "yellow")])
    page.box(title or f"Duty: {route.pathway.name}", body, border="magenta")


def show_route(out: Console, route: PathwayCall, at: datetime, title: str) -> None:
    page = Page(out)
    route_box(page, route, at, title)
    page.show()


def show_consent(out: Console, consent) -> None:
    """The consent rule with its exceptions, shown before the question is asked."""
    page = Page(out)
    consent_guidance(page, consent)
    page.show()


def consent_guidance(page: Page, consent) -> None:
    page.rule("Consent")
    page.para(consent.summary)
    for requirement in consent.requirements:
        page.para(f"• {requirement}", indent=2, hang=2)
    if consent.exceptions:
        page.para("Exceptions, when consent is not needed:")
    for number, exception in enumerate(consent.exceptions, 1):
        page.para(f"{number}. {exception}", indent=2, hang=3)


def show_lines(out: Console, lines: list[str]) -> None:
    page = Page(out)
    for line in lines:
        page.para((line, "italic"))
    page.show()


def show_answer(out: Console, question: str, answer: str) -> None:
    """What was answered, wrapped (never cut at the terminal's edge)."""
    page = Page(out)
    page.para(("✔ ", "green"), (question, "bold"), " ", (answer, "cyan"), hang=2)
    page.show()


def outcome_view(out: Console, outcome: Outcome) -> None:
    """The Outcome as the engine built it: every line below formats one of its fields."""
    from .engine import ROLE_CRISIS_ALSO, ROLE_FRONT_DOOR, ROLE_IN_DOUBT, ROLE_LEVEL_ALSO

    authority = outcome.authority
    level = outcome.level
    page = Page(out)
    if page.plain:  # the summary first as well as last: a screen reader reaches it at once
        recap(page, outcome)
        page.blank()
    if outcome.emergency:
        then_tell = outcome.then_tell
        danger_box(page, authority, then_tell.call if then_tell else None)
    for route in outcome.urgent:
        route_box(page, route, outcome.at, title=route.pathway.name)
    for other in outcome.calls_for(ROLE_CRISIS_ALSO):
        call_box(page, other.call, outcome.at, title=other.why)
    notice(page, authority)

    if level is not None:
        heading: list[list] = [[(level.title, LEVEL_STYLE[level.level])]]
        if outcome.thresholds:
            names = [f"{t} ({authority.thresholds[t].name})" for t in outcome.thresholds if t in authority.thresholds]
            heading.append(["Threshold: " + "; ".join(names)])
        heading.append([level.description])
        heading += [[(reason, "yellow")] for reason in outcome.not_applied]
        title = "After 999: the level indicated" if outcome.emergency else f"{authority.name}: the level indicated"
        page.box(title, heading, border="none")
        if outcome.selected:
            indicator_list(page, "What you ticked", list(outcome.selected), show_domain=True)
        else:
            page.para("You said that nothing in the areas you opened applies: Level 1 (universal services).")
        unchecked(page, outcome)
        page.rule("What to do")
        page.para(level.action)
        if level.not_held:
            page.para((level.not_held, "yellow"))
        if level.advice:
            page.para((level.advice, "italic"))
        referral = outcome.level_call
        if referral is not None:
            call_box(page, referral.call, outcome.at, title="Who to call now")
            if referral.only_if:
                page.para((f"{referral.call.contact.name} is for emergencies only: call it now only if the child "
                           "is at risk now; a referral that is not urgent goes below.", "bold yellow"))
            elif not referral.call.open_now:
                page.para(("The out-of-hours lines are for emergencies: if the child is at risk now, call 999.",
                           "bold yellow"))
            for other in outcome.calls_for(ROLE_LEVEL_ALSO):
                call_box(page, other.call, outcome.at, title=f"Also: {other.why}")
        elif not outcome.emergency:
            page.para(("No telephone referral at this level: the action above says whom to approach.", "dim"))
        follow_up(page, outcome)
    elif not authority.domains:  # no threshold document held: its front door, never a guessed level
        page.box(f"{authority.name}: no level of need assessed", [[(not_held_text(authority), "yellow")]],
                 border="none")
        for front in outcome.calls_for(ROLE_FRONT_DOOR):
            call_box(page, front.call, outcome.at, title="Who to call now")
        follow_up(page, outcome)
    elif not outcome.emergency:
        page.para((outcome.headline + ".", "bold"))
        if outcome.ticked_level == 1:
            ticked = "What you ticked is at" if outcome.selected else "You said nothing in the areas you opened applies:"
            page.para(f"{ticked} Level 1 (universal services). The urgent route above is what to do now.")
        for reason in outcome.not_applied:
            page.para((reason, "yellow"))
        if authority.in_doubt is not None:
            for doubt in outcome.calls_for(ROLE_IN_DOUBT):
                page.para(f"“{authority.in_doubt.text}”")
                call_box(page, doubt.call, outcome.at, title=doubt.why)

    for route in outcome.duties:
        route_box(page, route, outcome.at)
    for route in outcome.known_case:
        route_box(page, route, outcome.at, title=f"{KNOWN_CASE}{route.pathway.name}")

    if outcome.services and level is not None:
        page.rule(f"Services at {level.title}")
        for service in outcome.services:
            reach = _reach(service.phone + service.email, service.url)
            page.para(("• " + service.name, "bold"), (f"  {reach}" if reach else "", "green"), hang=2)
            page.para((service.description, "dim"), indent=2)

    consent = outcome.consent
    if consent.asked and consent.consent is not None:  # asked: the level's rule is there
        consent_guidance(page, consent.consent)
        answer = {"yes": "parents told and agreed",
                  "no": "parents not told or not agreed: refer only if an exception applies, and record why"}
        if consent.refused:
            answer["no"] = f"parents not told or not agreed, and no exception named: {NO_CONSENT}"
        page.para((f"Recorded: {answer.get(consent.answer or '', 'not answered')}", "bold"))
        for exception in consent.exceptions_apply:
            page.para((f"Exception that applies: {exception}", "bold"), indent=2, hang=2)
        if consent.child_asked:
            child = {"yes": "the child or young person agreed too",
                     "no": f"the child or young person has not agreed: ask them too (“{consent.consent.child}”)"}
            page.para((f"Recorded: {child.get(consent.child_answer or '', 'the child or young person: not answered')}",
                       "bold"))

    if (level is not None and level.level >= 2) or not outcome.authority.domains:
        page.rule("Have ready before you refer")
        for item in outcome.have_ready.items:
            page.para(f"• {item}", indent=2, hang=2)
        if outcome.have_ready.emphasis:
            page.para((outcome.have_ready.emphasis, "bold"))
        for step in authority.referral:
            page.para(f"• {step}", indent=2, hang=2)

    page.blank()
    if authority.domains:
        page.para((f"Guidance: {authority.source.describe_document()}. Assessed {_uk_time(outcome.at)}.", "dim"))
    else:
        page.para((f"Council: {authority.name}, from {authority.source.describe()}. Assessed "
                   f"{_uk_time(outcome.at)}.", "dim"))
    for warning in outcome.warnings:
        page.para((f"Warning: {warning}", "yellow"))
    recap(page, outcome)
    page.show()


def follow_up(page: Page, outcome: Outcome) -> None:
    """The line after a referral: the follow-up pathway's words (common.yaml, or the authority's
    own), with the day to follow up on."""
    route = outcome.authority.pathways.get(FOLLOW_UP)
    if outcome.follow_up_by and route is not None:
        page.para((f"{route.name}: ", "bold"), route.action.replace("{day}", _day(outcome.follow_up_by)))


def unchecked(page: Page, outcome: Outcome) -> None:
    """The threshold criteria never offered (answers given as options): say where to check them."""
    if not outcome.unchecked_thresholds:
        return
    authority = outcome.authority
    names = "; ".join(f"{t} ({authority.thresholds[t].name})" for t in outcome.unchecked_thresholds
                      if t in authority.thresholds)
    area = next(i.domain for i in authority.indicators if i.threshold)
    page.para((f"Not checked: the threshold criteria {names}. The deciding criterion may be there: see "
               f"`triage lookup {area} --authority {authority.id}`.", "bold yellow"))


KNOWN_CASE = "Only if it is a known case: "


def recap(page: Page, outcome: Outcome) -> None:
    """At most RECAP_LINES lines on screen, last: the headline, whom to ring now, each duty.
    What must not be lost comes first: the headline, the calls, a consent to ask for."""
    from .engine import ROLE_999, ROLE_CRISIS_ALSO, ROLE_LEVEL_ALSO

    level = outcome.level
    style = "bold red" if outcome.emergency else LEVEL_STYLE.get(level.level if level else 0, "bold")
    lines: list[list] = [[("CALL 999 NOW: immediate danger." if outcome.emergency else outcome.headline, style)]]
    if outcome.emergency and level is not None:
        lines.append([(f"After 999: {level.title}", LEVEL_STYLE[level.level])])
    # The lines to ring for what is urgent and for the level first; the other lines the source
    # gives (111 beside a local crisis line, an online form) only while there is room.
    extra = (ROLE_CRISIS_ALSO, ROLE_LEVEL_ALSO)
    lines += [_ring_line(page, c.why, c.call, outcome.at, c.only_if) for c in outcome.calls
              if c.role != ROLE_999 and c.role not in extra]
    if outcome.consent.refused:  # a referral would be refused
        lines.append([(f"Consent: {NO_CONSENT}", "bold yellow")])
    closed = nothing_answers(outcome)  # said after every number, so kept room for first
    room = RECAP_LINES - 1 - sum(page.height(*line, hang=2) for line in lines + closed)  # 1: the rule
    for other in outcome.calls_for(*extra):
        line = _ring_line(page, other.why, other.call, outcome.at, other.only_if)
        if page.height(*line, hang=2) <= room - 1:  # keep a line for the duties
            lines.append(line)
            room -= page.height(*line, hang=2)
    called = [c.route for c in outcome.calls if c.route is not None]
    routes = [route for route in outcome.pathways if route not in called]  # each route once
    routes += list(outcome.known_case)
    names = [f"{KNOWN_CASE if r in outcome.known_case else ''}{r.pathway.name}" for r in routes]
    duties = [_ring_line(page, name, r.call, outcome.at) if r.call else [f"{name}: see above"]
              for name, r in zip(names, routes, strict=True)]
    if sum(page.height(*duty, hang=2) for duty in duties) > room:  # name the rest in one line
        keep = max(room - 2, 0)
        duties = duties[:keep] + [[f"Also: {'; '.join(r.pathway.name for r in routes[keep:])} (see above)"]]
    room -= sum(page.height(*duty, hang=2) for duty in duties)
    duties += closed
    if outcome.follow_up_by and room > 0:
        duties.append([f"No reply by the end of {_day(outcome.follow_up_by)}: follow up."])
    page.rule("In short")
    for pieces in lines + duties:
        page.para(*pieces, hang=2)


NOTHING_ANSWERS = "Nothing above answers now: if a child is at risk now, call 999; the police, not an emergency, 101."


def nothing_answers(outcome: Outcome) -> list[list]:
    """A line for when every number in the summary is closed (Leeds on a Friday evening, whose
    out-of-hours team triage does not hold): without it the only number left on screen was one
    that does not answer, and 999 was in the text above."""
    calls = [c.call for c in outcome.calls] + [r.call for r in (*outcome.pathways, *outcome.known_case) if r.call]
    phoned = [call for call in calls if call.contact.phone]
    if outcome.emergency or not phoned or any(call.open_now for call in phoned):
        return []
    return [[(NOTHING_ANSWERS, "bold yellow")]]


def _ring_line(page: Page, why: str, call: clock.Call, at: datetime, only_if: str | None = None) -> list:
    """'Why: 0300 500 80 90 (answers now)', or in the accessible mode the number first."""
    ring = _ring(call, at, only_if)
    return [*ring, f": {why}"] if page.plain else [f"{why}: ", *ring]


def _ring(call: clock.Call, at: datetime, only_if: str | None = None) -> list:
    """'0300 500 80 90 (answers now)': the number first, then whether it answers; the line's
    name too when it stands in for a closed office."""
    contact = call.contact
    rule = (call.first_choice or contact).closing_rule
    if not contact.phone:  # an online form or portal: nothing answers, it is read
        state = "online, see “Assumed” above" if call.assumptions else "online"
        return [(_reach(contact.phone, contact.url), "bold green"), f" ({state})"]
    if call.open_now and call.note and rule is not None:  # what it takes now is limited
        state = f"answers now: its last {rule.minutes} minutes, see “Now”"
    elif call.open_now:
        state = "answers now"
    elif call.next_open:
        state = f"closed, opens {_when(call.next_open, at)}"
    else:
        state = "closed"
    if call.stands_in_for is not None:
        state = f"{contact.name}, {state}"
    if only_if:
        state = f"{state}, {only_if} only"
    if call.assumptions:
        state = f"{state}, hours assumed"
    return [(_reach(contact.phone, contact.url), "bold green" if call.open_now else "bold red"), f" ({state})"]
