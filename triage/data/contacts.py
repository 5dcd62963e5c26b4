"""Builds a contacts file (contacts/<authority>.yaml, or national.yaml) into its contacts."""
from __future__ import annotations

from .. import hours as hours_parser
from ..model import PURPOSES, ClosingRule, Contact
from .common import complete
from .schema import CLOSING_RULE_SPEC, CONTACT_SPEC, CONTACTS_SPEC, Checker, line_of


def contacts(check: Checker, node, authority: str, prefix: str | None,
             extra_ids: frozenset[str] | None = frozenset()) -> tuple[str | None, dict[str, Contact]] | None:
    """(front door id, {id: contact}) of one file; None when it cannot be read as one.

    `extra_ids` are the ids another file declares (the national ones), which this file's
    links may name; None when that file is unreadable, so only this file's own are checked."""
    values = check.fields(node, f"the contacts file of '{authority}'", CONTACTS_SPEC)
    if values is None or "contacts" not in values:
        return None
    if values.get("authority") not in (None, authority):
        check.problem(line_of(node, "authority"),
                      f"'authority' is '{values['authority']}' but the file is named for '{authority}'")
    found: dict[str, Contact] = {}
    for index, item in enumerate(values["contacts"]):
        contact = _contact(check, item, line_of(node["contacts"], index), prefix)
        if contact is None:
            continue
        if contact.id in found:
            check.problem(line_of(item, "id"), f"duplicate contact id '{contact.id}'")
        found[contact.id] = contact
    # References are checked against every id the files declare, valid or not, so a broken
    # contact is reported once, where it is, and not echoed by its references.
    declared = declared_ids(node) or frozenset()
    known = declared | set(extra_ids or ())
    front = values.get("front_door")
    if front and front not in declared:
        check.problem(line_of(node, "front_door"), f"front_door '{front}' is not one of this file's contacts")
    elif front in found and not found[front].phone and not _listed_phones(node, front):
        check.problem(line_of(node, "front_door"), f"the front door '{front}' needs a telephone number in 'phone'")
    for contact in found.values():
        if contact.id in (extra_ids or ()):
            check.problem(_line_of_contact(node, contact.id, "id"),
                          f"contact id '{contact.id}' is already a national contact's (contacts/national.yaml): this one would "
                          "replace it for this authority: give it an id of its own")
    _outside_rings(check, node)
    for item in values["contacts"]:
        if not isinstance(item, dict):
            continue
        cover_id, own_id = item.get("covered_by"), item.get("id")
        cover = found.get(cover_id) if isinstance(cover_id, str) else None  # a list or a number: reported above
        if cover is not None and not cover.phone and not _listed_phones(node, cover.id):
            check.problem(line_of(item, "covered_by"), f"contact '{item.get('id')}' is covered_by '{cover.id}', which has no "
                          f"telephone number ({only(cover)}): at night 'Who to call now' would give that instead of a "
                          "line that answers: a phone is needed, so cover it with a contact that has one")
        covered = found.get(own_id) if isinstance(own_id, str) else None
        if cover is not None and covered is not None:
            if cover.id == covered.id:
                check.problem(line_of(item, "covered_by"), f"contact '{covered.id}' is covered_by itself: name the line that "
                              "answers when it is closed (an out-of-hours team, with hours: outside: " + covered.id + ")")
            elif never_covers(cover, covered, found):
                check.problem(line_of(item, "covered_by"), f"contact '{covered.id}' is covered_by '{cover.id}', which is "
                              f"closed whenever '{covered.id}' is: at night 'Who to call now' would give a closed line: "
                              f"cover it with a line open when it is closed (hours: outside: {covered.id}, or always)")
        hours = item.get("hours")
        links = [("covered_by", item.get("covered_by"), line_of(item, "covered_by"))]
        if isinstance(hours, dict):
            links.append(("hours: outside", hours.get("outside"), line_of(hours, "outside")))
        for what, target, line in links:
            checkable = extra_ids is not None or (prefix and isinstance(target, str) and target.startswith(prefix + "-"))
            if isinstance(target, str) and target not in known and checkable:
                check.problem(line, f"contact '{item.get('id')}' {what} names unknown contact '{target}'")
            if what == "hours: outside" and target == item.get("id"):
                check.problem(line, f"contact '{target}' cannot be open outside its own hours")
    return front, found


def never_covers(cover: Contact, covered: Contact, contacts: dict[str, Contact]) -> bool:
    """Whether `cover` is closed at every half hour at which `covered` is closed, over a week
    without a bank holiday and a bank holiday (Christmas Day): a cover that never answers when
    it is needed. (A cover open on bank holidays alone still covers them.)"""
    from datetime import datetime, timedelta

    from ..clock import LONDON, is_open

    if covered.hours.always:
        return False
    start = datetime(2026, 11, 23, tzinfo=LONDON)  # a Monday; no bank holiday that week
    christmas = datetime(2026, 12, 25, tzinfo=LONDON)
    moments = [start + timedelta(minutes=30 * n) for n in range(7 * 48)] + \
        [christmas + timedelta(minutes=30 * n) for n in range(48)]
    try:
        return not any(is_open(cover, at, contacts) for at in moments if not is_open(covered, at, contacts))
    except KeyError:  # hours outside a contact that is not there (or broken): reported where it is
        return False


def _outside_rings(check: Checker, node) -> None:
    """Contacts each open only outside another's hours, round in a ring (a outside b, b outside
    a): neither has hours of its own, and asking whether one is open would never end."""
    outside = {}
    for item in node["contacts"]:
        if isinstance(item, dict) and isinstance(item.get("id"), str) and isinstance(item.get("hours"), dict) \
                and isinstance(item["hours"].get("outside"), str) and item["hours"]["outside"] != item["id"]:
            outside[item["id"]] = item["hours"]["outside"]
    reported: set[str] = set()
    for start in outside:
        ring, at = [], start
        while at in outside and at not in ring:  # at most one step per contact: never unbounded
            ring.append(at)
            at = outside[at]
        if at not in ring or at in reported:
            continue
        ring = ring[ring.index(at):]
        reported.update(ring)
        names = ", ".join(f"'{i}'" for i in ring[:-1]) + f" and '{ring[-1]}'"
        each = "are each open only outside the other's hours" if len(ring) == 2 else \
            "are open only outside each other's hours, in a ring"
        first = next(item for item in node["contacts"] if isinstance(item, dict) and item.get("id") == ring[0])
        check.problem(line_of(first["hours"], "outside"), f"contacts {names} {each} (hours: outside), so none has "
                      "hours of its own: give one of them its opening times")


def only(contact: Contact) -> str:
    """What a contact without a phone has instead."""
    if contact.url:
        return f"only a web address, {contact.url}"
    if contact.email:
        return "only an e-mail address"
    return "nothing to call"


def uncovered(check: Checker, node, own: dict[str, Contact], front_door: str | None, level_4: str | None = None) -> None:
    """The front door and Level 4's line need a covered_by when they keep office hours and the
    file holds a line that answers when they are closed: without it, at night Level 4 says
    "call 999" and the front door is shown closed while that line is open. A file with no such
    line (Leeds: its out-of-hours number is not held) is right to say so, and is not reported."""
    for contact_id in dict.fromkeys(c for c in (level_4, front_door) if c):
        contact = own.get(contact_id)
        if contact is None or contact.covered_by or contact.hours.always or contact.hours.outside or not contact.phone:
            continue
        cover = next((c for c in own.values() if c.hours.outside == contact_id and c.phone), None) or next(
            (c for c in own.values() if c.out_of_hours and c.purpose == "safeguarding" and c.phone), None)
        if cover is None:
            continue
        role = " and ".join(r for r, is_it in (("the front door", contact_id == front_door),
                                                ("Level 4's line", contact_id == level_4)) if is_it)
        said = "Level 4 would say \"call 999\"" if contact_id == level_4 else \
            "it would be shown closed, its out-of-hours lines \"for emergencies only\","
        check.problem(_line_of_contact(node, contact_id, "hours"),
                      f"'{contact_id}' ({role}) has limited hours and no covered_by: at night and at the weekend {said} "
                      f"while '{cover.id}' ({cover.name}) is open: add covered_by: {cover.id}")


def _line_of_contact(node, contact_id: str, key: str | None = None) -> int | None:
    item = next((c for c in node["contacts"] if isinstance(c, dict) and c.get("id") == contact_id), None)
    return line_of(item, key) if item is not None else line_of(node, "contacts")


def declared_ids(node) -> frozenset[str] | None:
    """The contact ids a contacts file declares, or None when it is missing or unreadable."""
    if not isinstance(node, dict) or not isinstance(node.get("contacts"), list):
        return None
    return frozenset(c["id"] for c in node["contacts"] if isinstance(c, dict) and isinstance(c.get("id"), str))


def _listed_phones(node, contact_id: str) -> bool:
    """Whether the file lists any phone for a contact (invalid ones are reported where they are)."""
    item = next((c for c in node["contacts"] if isinstance(c, dict) and c.get("id") == contact_id), {})
    return bool(item.get("phone"))


def _contact(check: Checker, node, line, prefix: str | None) -> Contact | None:
    values = check.fields(node, "a contact", CONTACT_SPEC, line)
    if not complete(values, CONTACT_SPEC):
        return None
    if prefix and not values["id"].startswith(prefix + "-"):
        check.problem(line_of(node, "id"), f"contact id '{values['id']}' should start with '{prefix}-'")
    if values["purpose"] not in PURPOSES:  # it would be listed under a heading of its own, its id
        check.problem(line_of(node, "purpose"), f"purpose '{values['purpose']}' is not one triage lists: give one of "
                      f"{', '.join(PURPOSES)}")
    opening = hours_parser.parse(values["hours"], check, line_of(node, "hours"))
    confirmed = values["confirmed"]
    if len(confirmed) != 7:
        check.problem(line_of(node, "confirmed"),
                      f"'confirmed' is '{confirmed}': give the month its details were last confirmed, YYYY-MM")
    closing_rule = _closing_rule(check, node, values)
    if opening is None:
        return None
    return Contact(
        id=values["id"], name=values["name"], purpose=values["purpose"], hours=opening,
        source=values["source"], for_=values.get("for"), phone=tuple(values.get("phone", ())),
        email=tuple(values.get("email", ())), url=values.get("url"), district=values.get("district"),
        covered_by=values.get("covered_by"), out_of_hours=values.get("out_of_hours", False),
        routing=values.get("routing"), assumption=values.get("assumption"), note=values.get("note"),
        confirmed=confirmed, closing_rule=closing_rule,
    )


def _closing_rule(check: Checker, node, values: dict) -> ClosingRule | None:
    if "closing_rule" not in values:
        return None
    rule = check.fields(values["closing_rule"], "closing_rule", CLOSING_RULE_SPEC, line_of(node, "closing_rule"))
    if not complete(rule, CLOSING_RULE_SPEC):
        return None
    if not 0 < rule["minutes"] < 24 * 60:
        check.problem(line_of(values["closing_rule"], "minutes"), "closing_rule minutes should be between 1 and 1439")
    return ClosingRule(minutes=rule["minutes"], rule=rule["rule"])
