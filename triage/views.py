"""Rich rendering of indicators, contacts and an assessment's outcome (80 columns, NO_COLOR)."""
from __future__ import annotations

from datetime import datetime

from rich.console import Console, Group
from rich.markup import escape
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from typing import TYPE_CHECKING

from .model import Authority, Contact, Domain, Indicator

if TYPE_CHECKING:  # the clock and the engine load only for the commands that use them
    from . import clock
    from .engine import Outcome

LEVEL_STYLE = {4: "bold red", 3: "bold yellow", 2: "bold cyan", 1: "bold green"}
PURPOSE_TITLES = {
    "emergency": "Emergencies", "safeguarding": "Safeguarding: referrals and advice",
    "early-help": "Early help", "disability": "Disability", "mental-health": "Mental health",
    "health": "Health", "prevent": "Prevent (extremism)", "youth-justice": "Youth justice",
    "housing": "Housing", "helpline": "Helplines", "neighbouring": "Neighbouring authorities",
}


def console(stderr: bool = False) -> Console:
    return Console(stderr=stderr, highlight=False)


def notice(out: Console, authority: Authority) -> None:
    if authority.notice:
        out.print(Panel(escape(authority.notice), border_style="yellow", title="Note"))


def _level_label(level: int) -> Text:
    return Text(f"Level {level}", style=LEVEL_STYLE[level])


def indicator_list(title: str, indicators: list[Indicator], show_domain: bool = False) -> Group:
    """Indicators grouped by level, Level 4 first, each with its id beneath.

    Indented text rather than a table: it wraps well at any width and renders several
    times faster, which every lookup feels."""
    parts: list = [Text(title, style="bold underline")]
    previous = None
    for indicator in sorted(indicators, key=lambda i: -i.level):
        if indicator.level != previous:
            parts.append(_level_label(indicator.level))
            previous = indicator.level
        cell = Text(indicator.text)
        extras = [indicator.id]
        if show_domain:
            extras.insert(0, indicator.domain_name)
        if indicator.threshold:
            extras.append(f"threshold {indicator.threshold}")
        if indicator.pathways:
            extras.append("duty: " + ", ".join(indicator.pathways))
        cell.append("\n" + "  ·  ".join(extras), style="dim")
        if indicator.note:
            cell.append("\n" + indicator.note, style="italic")
        parts.append(Padding(cell, (0, 0, 1, 4)))
    return Group(*parts)


def domain_view(out: Console, authority: Authority, domain: Domain, indicators: list[Indicator]) -> None:
    notice(out, authority)
    out.print(indicator_list(f"{authority.name}: {domain.name}", indicators))
    out.print(Text(f"Source: {authority.source.describe()}; {domain.source}", style="dim"))


def domain_list(out: Console, authority: Authority) -> None:
    notice(out, authority)
    table = Table(title=f"{authority.name}: domains", title_justify="left")
    table.add_column("id (for lookup)", no_wrap=True)
    table.add_column("Domain", ratio=1)
    table.add_column("L4/L3/L2/L1", no_wrap=True)
    for domain in authority.domains:
        counts = [sum(1 for i in domain.indicators if i.level == n) for n in (4, 3, 2, 1)]
        table.add_row(domain.id, domain.name, "/".join(str(c) for c in counts))
    out.print(table)
    out.print(Text(f"Source: {authority.source.describe()}", style="dim"))


def search_view(out: Console, authority: Authority, text: str, hits: list[Indicator]) -> None:
    notice(out, authority)
    if not hits:
        out.print(f"{escape(authority.name)}: nothing matches “{escape(text)}”.")
        return
    out.print(indicator_list(f"{authority.name}: {len(hits)} indicator(s) matching “{text}”", hits, show_domain=True))


# ---------------------------------------------------------------------------------------
# Contacts


def call_panel(authority: Authority, call: clock.Call, at: datetime, title: str = "Call now about a child") -> Panel:
    from . import clock

    contact = call.contact
    lines = [Text.assemble((f"{contact.name}: ", "bold"), (", ".join(contact.phone) or contact.url or "", "bold green"))]
    lines.append(Text(call.reason))
    if call.next_open:
        office = call.first_choice or call.contact
        lines.append(Text(f"{office.name} next opens at {clock.format_moment(call.next_open, at)}."))
    if contact.routing:
        lines.append(Text(f"Getting through: {contact.routing}"))
    if contact.assumption:
        lines.append(Text(f"Assumed: {contact.assumption}", style="yellow"))
    return Panel(Group(*lines), title=title, title_align="left", border_style="green" if call.open_now else "red")


def contacts_view(out: Console, authority: Authority, call: clock.Call, contacts: list[Contact], at: datetime) -> None:
    from . import clock
    from .hours import describe

    local = clock.to_london(at)
    out.print(Text(f"{authority.name}, {local:%A %d %B %Y, %H:%M} UK time (UTC{local:%z})", style="bold"))
    out.print(call_panel(authority, call, at))
    by_purpose: dict[str, list[Contact]] = {}
    for contact in contacts:
        by_purpose.setdefault(contact.purpose, []).append(contact)
    for purpose, group in by_purpose.items():
        out.print(Text("\n" + PURPOSE_TITLES.get(purpose, purpose), style="bold underline"))
        for contact in group:
            open_now = clock.is_open(contact, at, authority.contacts)
            line = Text.assemble(("open   " if open_now else "closed ", "bold green" if open_now else "red"),
                                 (contact.name, "bold"))
            if contact.district:
                line.append(f" ({contact.district})")
            reach = ", ".join(contact.phone + contact.email) or (contact.url or "")
            details = Text(reach, style="green") if reach else Text("")
            details.append(("\n" if reach else "") + describe(contact.hours))
            if not open_now:
                opens = clock.next_open(contact, at, authority.contacts)
                if opens:
                    details.append(f"\nopens at {clock.format_moment(opens, at)}", style="yellow")
            if contact.for_:
                details.append("\n" + contact.for_, style="dim")
            if contact.assumption:
                details.append(f"\nAssumed: {contact.assumption}", style="yellow")
            out.print(line)
            out.print(Padding(details, (0, 0, 0, 7)))


# ---------------------------------------------------------------------------------------
# Assessment


def danger_panel(authority: Authority | None, then_call: clock.Call | None, at: datetime) -> Panel:
    lines = [Text("Call 999 now.", style="bold red"),
             Text("If a child is in immediate danger, left alone or missing, contact the police and/or an "
                  "ambulance using 999.")]
    if authority is not None and then_call is not None:
        phone = ", ".join(then_call.contact.phone) or then_call.contact.url or ""
        lines.append(Text(f"Then tell {authority.name}: {then_call.contact.name}, {phone} ({then_call.reason})."))
    return Panel(Group(*lines), title="Immediate danger", title_align="left", border_style="red")


def outcome_view(out: Console, outcome: Outcome) -> None:
    from . import clock

    authority = outcome.authority
    level = outcome.level
    local = clock.to_london(outcome.at)
    if outcome.immediate_danger:
        out.print(danger_panel(authority, outcome.then_call, outcome.at))
    heading = Text.assemble(("Level ", LEVEL_STYLE[level.level]), (f"{level.level}: {level.name}", LEVEL_STYLE[level.level]))
    if outcome.thresholds:
        names = [f"{t} ({authority.thresholds[t].name})" for t in outcome.thresholds if t in authority.thresholds]
        heading.append("\nThreshold: " + "; ".join(names))
    heading.append(f"\n{level.description}")
    out.print(Panel(heading, title=f"{authority.name}: the level indicated", title_align="left"))
    notice(out, authority)

    if outcome.selected:
        out.print(indicator_list("What you ticked", list(outcome.selected), show_domain=True))
    else:
        out.print("Nothing was ticked: Level 1 (universal services).")

    out.rule("What to do")
    out.print(escape(level.action))
    if level.advice:
        out.print(Text(level.advice, style="italic"))

    if outcome.call is not None and not outcome.immediate_danger:
        out.print(call_panel(authority, outcome.call, outcome.at, title="Who to call now"))
        if not outcome.call.open_now:
            out.print(Text("The out-of-hours lines are for emergencies: if the child is at risk now, call 999.",
                           style="bold yellow"))
    elif outcome.call is None:
        out.print(Text("No telephone referral at this level: the action above says whom to approach.", style="dim"))

    for item in outcome.pathways:
        body = [Text(item.pathway.action)]
        if item.call:
            contact = item.call.contact
            body.append(Text.assemble(("Now: ", "bold"), f"{contact.name} {', '.join(contact.phone)} ({item.call.reason})"))
        if item.pathway.assumption:
            body.append(Text(f"Assumed: {item.pathway.assumption}", style="yellow"))
        out.print(Panel(Group(*body), title=f"Extra duty: {item.pathway.name}", title_align="left", border_style="magenta"))

    if outcome.services:
        out.rule(f"Services at Level {level.level}")
        for service in outcome.services:
            reach = ", ".join(service.phone + service.email) or service.url or ""
            out.print(Text.assemble(("• " + service.name, "bold"), (f"  {reach}" if reach else "", "green")))
            out.print(Text("  " + service.description, style="dim"))

    consent = outcome.consent
    if consent.asked:
        out.rule("Consent")
        out.print(escape(consent.consent.summary))
        for requirement in consent.consent.requirements:
            out.print(f"  • {escape(requirement)}")
        out.print("Exceptions, when consent is not needed:")
        for exception in consent.consent.exceptions:
            out.print(f"  • {escape(exception)}")
        answer = {"yes": "parents told and agreed", "no": "parents not told or not agreed: refer only if an exception applies, and record why"}
        out.print(Text(f"Recorded: {answer.get(consent.answer or '', 'not answered')}", style="bold"))
        for exception in consent.exceptions_apply:
            out.print(Text(f"  Exception that applies: {exception}", style="bold"))

    if level.level >= 2:
        out.rule("Have ready before you refer")
        for item in outcome.have_ready.items:
            out.print(f"  • {escape(item)}")
        if outcome.have_ready.emphasis:
            out.print(Text(outcome.have_ready.emphasis, style="bold"))
        for step in authority.referral:
            out.print(f"  • {escape(step)}")

    source = authority.source
    out.print(Text(f"\nGuidance: {source.describe()}. Assessed {local:%A %d %B %Y, %H:%M} UK time.", style="dim"))
    for warning in outcome.warnings:
        out.print(Text(f"Warning: {warning}", style="yellow"))
