"""`triage contacts`: who to call, which line answers now, when each opens."""
from __future__ import annotations

import os
import re
import sys

from . import clock
from .errors import USAGE, UserError
from .model import Authority, Contact
from .session import authority_name, chosen_authorities, load_data, moment

PURPOSE_ORDER = ("emergency", "safeguarding", "early-help", "mental-health", "disability", "health", "prevent",
                 "youth-justice", "housing", "helpline", "neighbouring")


def places(district: str) -> set[str]:
    """'Newark and Sherwood' -> {'newark', 'sherwood'}, so either table's names match."""
    return {p for p in re.split(r"\s*(?:\band\b|&|,|/)\s*", district.strip().lower()) if p}


def by_district(authority: Authority, contacts: list[Contact], district: str) -> list[Contact]:
    local = [c for c in contacts if c.district]
    if not local:
        raise UserError(f"{authority.name} has no district-level contacts: leave out --district", USAGE)
    wanted = places(district)
    chosen = [c for c in local if places(c.district or "") & wanted]
    if not chosen:
        known = sorted({c.district for c in local if c.district})
        raise UserError(f"unknown district '{district}' for {authority.name}. Known: {', '.join(known)}", USAGE)
    return [c for c in contacts if not c.district or c in chosen]


def ordered(authority: Authority) -> list[Contact]:
    rank = {p: n for n, p in enumerate(PURPOSE_ORDER)}
    return sorted(authority.contacts.values(), key=lambda c: rank.get(c.purpose, len(rank)))


def call_now(authority: Authority, at) -> clock.Call:
    """The line to call about a child now: the front door or the line covering it; when none
    answers (Leeds out of hours: no number held), the front door closed, with when it opens
    and 999 for an emergency, never 999 as the line for every worry."""
    front = authority.contacts[authority.front_door]
    return clock.call_for(front, at, authority.contacts, emergency_fallback=False)


def run_contacts(authority: str | None, at: str | None, district: str | None, json_out: bool,
                 postcode: str | None = None) -> None:
    data = load_data()
    authority = authority_name(data, authority, postcode)
    when = moment(at)
    named = authority or os.environ.get("TRIAGE_AUTHORITY")
    authorities = chosen_authorities(data, named)
    single = len(authorities) == 1 and bool(named or len(data.authorities) == 1 or district)
    if district and len(authorities) != 1:
        raise UserError("--district needs --authority (districts belong to one authority)", USAGE)

    if json_out:
        from .output import call_json, contact_json, iso, to_json

        if single:
            chosen = authorities[0]
            shown = ordered(chosen)
            if district:
                shown = by_district(chosen, shown, district)
            document = {"authority": chosen.id, "at": iso(when), "call_now": call_json(call_now(chosen, when)),
                        "contacts": [contact_json(c, when, chosen.contacts) for c in shown]}
        else:
            document = {"at": iso(when), "authorities": [
                {"authority": a.id, "name": a.name, "call_now": call_json(call_now(a, when))} for a in authorities]}
        sys.stdout.write(to_json(document))
        return

    from . import views

    out = views.console()
    if not single:
        views.who_to_call(out, [(chosen, call_now(chosen, when)) for chosen in authorities], when)
        return
    chosen = authorities[0]
    shown = ordered(chosen)
    if district:
        shown = by_district(chosen, shown, district)
    views.contacts_view(out, chosen, call_now(chosen, when), shown, when)
