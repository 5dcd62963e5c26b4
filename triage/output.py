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
    import json

    return json.dumps(value, ensure_ascii=False, indent=1) + "\n"


def iso(moment: datetime | None) -> str | None:
    return clock.to_london(moment).isoformat() if moment else None


def indicator_json(indicator: Indicator) -> dict:
    return {
        "id": indicator.id, "authority": indicator.authority, "domain": indicator.domain,
        "domain_name": indicator.domain_name, "level": indicator.level, "text": indicator.text,
        "threshold": indicator.threshold, "pathways": list(indicator.pathways),
        "note": indicator.note, "source": indicator.source,
    }


def call_json(call: Call | None) -> dict | None:
    if call is None:
        return None
    return {
        "id": call.contact.id, "name": call.contact.name, "phone": _phone(call.contact),
        "open_now": call.open_now, "next_open": iso(call.next_open), "reason": call.reason,
        "routing": call.contact.routing, "assumption": call.contact.assumption,
        "confirmed": call.contact.confirmed,
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
        "source": contact.source,
    }


def source_json(authority: Authority) -> dict:
    s = authority.source
    return {"file": s.file, "title": s.title, "publisher": s.publisher, "version": s.version,
            "date": s.date, "retrieved": s.retrieved, "url": s.url}


def outcome_json(outcome: Outcome) -> dict:
    consent = outcome.consent
    return {
        "authority": outcome.authority.id,
        "authority_name": outcome.authority.name,
        "at": iso(outcome.at),
        "immediate_danger": outcome.immediate_danger,
        "level": outcome.level.level,
        "level_name": outcome.level.name,
        "threshold": outcome.threshold,
        "thresholds": list(outcome.thresholds),
        "selected": [indicator_json(i) for i in outcome.selected],
        "action": outcome.level.action,
        "advice": outcome.level.advice,
        "services": [{"id": s.id, "name": s.name, "description": s.description, "phone": list(s.phone),
                      "email": list(s.email), "url": s.url} for s in outcome.services],
        "pathways": [{"id": p.pathway.id, "name": p.pathway.name, "action": p.pathway.action,
                      "phone": _phone(p.call.contact) if p.call else None,
                      "contact": call_json(p.call), "assumption": p.pathway.assumption,
                      "source": p.pathway.source} for p in outcome.pathways],
        "consent": {"required": consent.asked, "answer": consent.answer,
                    "exceptions_apply": list(consent.exceptions_apply), "summary": consent.consent.summary,
                    "requirements": list(consent.consent.requirements),
                    "exceptions": list(consent.consent.exceptions)},
        "call": call_json(outcome.call),
        "then_call": call_json(outcome.then_call),
        "have_ready": list(outcome.have_ready.items),
        "referral": list(outcome.authority.referral),
        "source": source_json(outcome.authority),
        "warnings": list(outcome.warnings),
        "notice": outcome.authority.notice,
    }


def outcome_markdown(outcome: Outcome) -> str:
    """The report file: what was decided and why, with no names."""
    data = outcome_json(outcome)
    lines = [
        "# triage assessment record", "",
        f"- Date and time: {data['at']}",
        f"- Authority: {outcome.authority.name} ({outcome.authority.id})",
        f"- Guidance: {outcome.authority.source.describe()} ({outcome.authority.source.file})",
        f"- Immediate danger: {'yes' if outcome.immediate_danger else 'no'}",
        f"- Level: {outcome.level.level} ({outcome.level.name})"
        + (f", threshold {', '.join(outcome.thresholds)}" if outcome.thresholds else ""), "",
        "## Ticked indicators", "",
    ]
    lines += [f"- Level {i.level}, {i.domain_name}: {i.text} (`{i.id}`)" for i in outcome.selected] or ["- none"]
    lines += ["", "## Recommended action", "", outcome.level.action, ""]
    if outcome.pathways:
        lines += ["## Extra duties", ""]
        lines += [f"- {p['name']}: {p['action']}" + (f" Phone: {p['phone']}." if p["phone"] else "")
                  for p in data["pathways"]]
        lines.append("")
    call = data["call"]
    lines += ["## Who to call", "", f"{call['name']}: {call['phone']} ({call['reason']})" if call
              else "No call: " + outcome.level.action, ""]
    consent = data["consent"]
    lines += ["## Consent", "", consent["summary"],
              f"Recorded answer: {consent['answer'] or 'not asked'}" if consent["required"] else
              "Not asked at this level.", ""]
    for warning in outcome.warnings:
        lines += [f"> {warning}", ""]
    return "\n".join(lines)
