"""Machine-readable forms of the model and of an Outcome (JSON), and the Markdown report.

Built from the same objects the screen shows, never from the screen text.
"""
from __future__ import annotations

from datetime import datetime

from . import clock
from .clock import Call
from .engine import Outcome
from .hours import describe
from .model import Authority, Contact, Indicator


def to_json(value) -> str:
    """JSON escapes C0 controls itself; C1 controls and bidi marks, which a terminal would act
    on, are escaped too. All of non-ASCII is escaped where standard output cannot encode it."""
    import json

    from .screen import controls, unicode_output

    text = json.dumps(value, ensure_ascii=not unicode_output(), indent=1) + "\n"
    return controls().sub(lambda control: f"\\u{ord(control.group()):04x}", text)


def iso(moment: datetime | None) -> str | None:
    """UK time to the minute (seconds are never shown: every opening time is a whole minute)."""
    return clock.to_london(moment).replace(second=0, microsecond=0).isoformat() if moment else None


def indicator_json(indicator: Indicator) -> dict:
    return {
        "id": indicator.id, "authority": indicator.authority, "domain": indicator.domain,
        "domain_name": indicator.domain_name, "level": indicator.level, "text": indicator.text,
        "threshold": indicator.threshold, "pathways": list(indicator.pathways),
        "note": indicator.note, "same_as": indicator.same_as, "source": indicator.source,
    }


def call_json(call: Call | None) -> dict | None:
    if call is None:
        return None
    office = call.stands_in_for
    return {
        "assumptions": list(call.assumptions),
        "id": call.contact.id, "name": call.contact.name, "phone": _phone(call.contact), "url": call.contact.url,
        "open_now": call.open_now, "next_open": iso(call.next_open), "reason": call.reason,
        "routing": call.contact.routing, "assumption": call.contact.assumption,
        "confirmed": call.contact.confirmed, "note": call.note,
        # The closed office this line stands in for: its hours, perhaps assumed, decided the routing.
        "stands_in_for": None if office is None else {"id": office.id, "name": office.name,
                                                      "assumption": office.assumption},
    }


def _phone(contact: Contact) -> str | None:
    return contact.phone[0] if contact.phone else None


def contact_json(contact: Contact, at: datetime, contacts: dict[str, Contact]) -> dict:
    return {
        "id": contact.id, "name": contact.name, "purpose": contact.purpose, "for": contact.for_,
        "phone": _phone(contact), "phones": list(contact.phone), "email": list(contact.email), "url": contact.url,
        "district": contact.district, "open_now": clock.is_open(contact, at, contacts),
        "next_open": iso(clock.next_open(contact, at, contacts)), "hours": describe(contact.hours),
        "covered_by": contact.covered_by, "out_of_hours": contact.out_of_hours, "routing": contact.routing,
        "assumption": contact.assumption, "note": contact.note, "confirmed": contact.confirmed,
        "closing_rule": ({"minutes": contact.closing_rule.minutes, "rule": contact.closing_rule.rule}
                         if contact.closing_rule else None),
        "closing_rule_now": clock.closing_rule_note(contact, at, contacts),
        "source": contact.source,
    }


def source_json(authority: Authority) -> dict:
    s = authority.source
    return {"file": s.file, "title": s.title, "publisher": s.publisher, "version": s.version,
            "date": s.date, "retrieved": s.retrieved, "url": s.url}


def route_json(route) -> dict:
    return {"id": route.pathway.id, "name": route.pathway.name, "action": route.pathway.action,
            "phone": _phone(route.call.contact) if route.call else None, "contact": call_json(route.call),
            "assumption": route.pathway.assumption, "known_case": route.pathway.known_case,
            "trigger": route.pathway.trigger, "due_by": route.due_by, "source": route.pathway.source}


def outcome_json(outcome: Outcome) -> dict:
    consent = outcome.consent
    level = outcome.level
    headline = outcome.headline_level
    return {
        "authority": outcome.authority.id,
        "authority_name": outcome.authority.name,
        "at": iso(outcome.at),
        # What the outcome is, as the engine decided it: emergency (999 first), urgent (an
        # urgent route, no level), level, or not-assessed (with why).
        "status": outcome.status,
        "headline": outcome.headline,
        "not_assessed_why": outcome.not_assessed_why,
        "emergency": outcome.emergency,
        "immediate_danger": outcome.emergency,
        "level": headline.level if headline else None,
        "level_name": headline.name if headline else None,
        "level_indicated": level.level if level else None,
        "nothing_applies": outcome.nothing_applies,
        "threshold": outcome.threshold,
        "thresholds": list(outcome.thresholds),
        "thresholds_not_applied": list(outcome.not_applied),
        "thresholds_not_checked": list(outcome.unchecked_thresholds),
        "follow_up_by": outcome.follow_up_by,
        "selected": [indicator_json(i) for i in outcome.selected],
        "action": level.action if level else None,
        "action_not_held": level.not_held if level else None,
        "advice": level.advice if level else None,
        "services": [{"id": s.id, "name": s.name, "description": s.description, "phone": list(s.phone),
                      "email": list(s.email), "url": s.url} for s in outcome.services],
        "urgent": [route_json(r) for r in outcome.urgent],
        "pathways": [route_json(r) for r in outcome.pathways],
        # Duties that apply only if it is a known case (a risk of FGM: the police duty): not duties here.
        "if_known_case": [route_json(r) for r in outcome.known_case],
        "consent": {"required": consent.asked, "answer": consent.answer, "refused": consent.refused,
                    "child_asked": consent.child_asked, "child_answer": consent.child_answer,
                    "exceptions_apply": list(consent.exceptions_apply),
                    "summary": consent.consent.summary if consent.consent else None,
                    "requirements": list(consent.consent.requirements) if consent.consent else [],
                    "exceptions": list(consent.consent.exceptions) if consent.consent else []},
        "call": call_json(outcome.call),
        "calls": [{"why": c.why, "role": c.role, "only_if": c.only_if, **(call_json(c.call) or {})} for c in outcome.calls],
        "then_call": call_json(outcome.then_tell.call) if outcome.then_tell else None,
        "have_ready": list(outcome.have_ready.items),
        "referral": list(outcome.authority.referral),
        "source": source_json(outcome.authority),
        "warnings": list(outcome.warnings),
        "notice": outcome.authority.notice,
    }


def _reached(route: dict) -> str:
    """ ' Phone: 0300 126 7000. Assumed: ...' for a route in the record, as the screen gives it."""
    return (f" Phone: {route['phone']}." if route["phone"] else "") + \
        (f" Assumed: {route['assumption']}" if route["assumption"] else "")


def outcome_markdown(outcome: Outcome) -> str:
    """The report file: what was decided and why, with no names."""
    data = outcome_json(outcome)
    level = outcome.level
    headline = outcome.headline + (f" (then {level.title})" if outcome.emergency and level else "")
    lines = [
        "# triage assessment record", "",
        f"- Date and time: {data['at']}",
        f"- Authority: {outcome.authority.name} ({outcome.authority.id})",
        f"- Guidance: {outcome.authority.source.describe_document()} ({outcome.authority.source.file})",
        f"- Immediate danger: {'yes' if outcome.emergency else 'no'}",
        f"- Level: {level.level} ({level.name})" if level else "- Level: none assessed",
        f"- Result: {headline}", "",
        "## Ticked indicators", "",
    ]
    none = "- none: nothing in the areas opened applies" if outcome.nothing_applies else "- none"
    lines += [f"- Level {i.level}, {i.domain_name}: {i.text} (`{i.id}`)" for i in outcome.selected] or [none]
    if level:
        lines += ["", "## Recommended action", "", level.action, ""]
    if outcome.pathways:
        lines += ["", "## Urgent routes and extra duties", ""]
        lines += [f"- {p['name']}: {p['action']}{_reached(p)}" for p in data["pathways"]]
        lines += [f"- Only if it is a known case: {p['name']}: {p['action']}{_reached(p)}" for p in data["if_known_case"]]
        lines.append("")
    lines += ["", "## Who to call", ""]
    lines += [f"- {c['why']}: {c['name']}: {c['phone'] or c['url']} ({c['reason']})"
              + "".join(f" Assumed: {a}" for a in c["assumptions"]) for c in data["calls"]] or \
        ["No call: " + (level.action if level else "no level was assessed.")]
    lines.append("")
    consent = data["consent"]
    # The rule's words only where it was asked: a council whose rule triage does not hold has
    # none (its record crashed on them), and after 999 none is asked.
    lines += ["## Consent", "", consent["summary"], f"Recorded answer: {consent['answer'] or 'not asked'}", ""] \
        if consent["required"] and consent["summary"] else ["## Consent", "", "Not asked.", ""]
    lines += [f"Exception that applies: {e}" for e in consent["exceptions_apply"]]
    for warning in outcome.warnings:
        lines += [f"> {warning}", ""]
    return "\n".join(lines)
