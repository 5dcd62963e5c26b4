"""Builds one authority: indicators/<id>/authority.yaml and its domain files, with its contacts
(already built) and the shared national contacts and duties."""
from __future__ import annotations

from ..model import (
    Authority,
    Consent,
    Contact,
    Domain,
    Group,
    Indicator,
    InDoubt,
    Level,
    Pathway,
    Service,
    Threshold,
)
from .common import Build, complete, pathways, source, through_front_door
from .contacts import only
from .reader import COMMON
from .schema import (
    AUTHORITY_SPEC,
    CONSENT_SPEC,
    DOMAIN_SPEC,
    GROUP_SPEC,
    IN_DOUBT_SPEC,
    INDICATOR_SPEC,
    LEVEL_SPEC,
    REFERRAL_SPEC,
    SERVICE_SPEC,
    TEXTS,
    THRESHOLD_SPEC,
    Checker,
    line_of,
)

AUTHORITY_FILE = "authority.yaml"


def authority(build: Build, folder: str, node, domain_nodes: dict, own_contacts, national,
              common_pathways: dict[str, Pathway], elsewhere=lambda indicator_id: None) -> Authority | None:
    """`elsewhere(id)` names another authority that holds an indicator id, or None."""
    rel = f"indicators/{folder}/{AUTHORITY_FILE}"
    check = build.checker(rel)
    values = check.fields(node, "the authority", AUTHORITY_SPEC)
    if values is None:
        return None
    if values.get("id") not in (None, folder):
        check.problem(line_of(node, "id"), f"id '{values['id']}' should be the folder's name '{folder}'")
    found_source = source(check, values["source"], "the source", line_of(node, "source")) if "source" in values else None
    levels = _levels(check, node, values)
    thresholds: dict[str, Threshold] = {}
    for index, item in enumerate(values.get("thresholds", [])):
        t = check.fields(item, f"threshold {index + 1}", THRESHOLD_SPEC, line_of(node["thresholds"], index))
        if complete(t, THRESHOLD_SPEC):
            if t["id"] in thresholds:
                check.problem(line_of(item, "id"), f"duplicate threshold id '{t['id']}'")
            thresholds[t["id"]] = Threshold(**t)
    consents = _consents(check, node, values["consent"]) if "consent" in values else None
    referral, referral_levels = _referral(check, node, values.get("referral", []))
    services = _services(check, node, values)
    all_pathways = {**common_pathways, **pathways(check, node, values.get("pathways", []))}
    contacts: dict[str, Contact] = dict(national[1]) if national else {}
    front_door = None
    if own_contacts:
        front_door, own = own_contacts
        contacts.update(own)

    domains = []
    seen_ids: dict[str, str] = {}
    same_as_lines: dict[str, tuple[str, int | None]] = {}  # indicator id -> (file, line of same_as)
    for domain_rel, domain_node in domain_nodes.items():
        found = domain(build.checker(domain_rel), folder, domain_rel, domain_node, thresholds, all_pathways, seen_ids,
                       pathways_sound=not build.broken("indicators/"), elsewhere=elsewhere, same_as_lines=same_as_lines)
        if found is not None:
            domains.append(found)
    _check_domain_ids(build, domain_nodes)
    # A domain file that is itself broken is reported there, not echoed here.
    domains_sound = not build.broken(f"indicators/{folder}/", except_file=rel)
    groups = _groups(check, node, values, {d.id for d in domains}, domains_sound)
    # Domains in the source's order: as grouped, else as listed, else by file name.
    order = [d for g in groups for d in g.domains] or values.get("domains", [])
    for domain_id in values.get("domains", []):
        if domain_id not in {d.id for d in domains} and domains_sound:
            check.problem(line_of(node, "domains"), f"'domains' names unknown domain '{domain_id}'")
    domains.sort(key=lambda d: order.index(d.id) if d.id in order else len(order))

    # Cross-references: every id named must exist (unless the file it lives in is broken).
    contacts_sound = national is not None and own_contacts is not None and not build.broken("contacts/")
    for number, level in levels.items():
        for service_id in level.services:
            if service_id not in services:
                check.problem(line_of(node, "levels"), f"level {number} lists unknown service '{service_id}'")
        for called in (level.call, *level.also):
            if called and called not in contacts and contacts_sound:
                check.problem(line_of(node, "levels"), f"level {number} calls unknown contact '{called}'")
        line = contacts.get(level.call or "")
        if line is not None and not line.phone and contacts_sound:
            check.problem(_level_line(node, number, "call"), f"level {number} calls '{line.id}', which has no telephone "
                          f"number ({only(line)}): 'Who to call now' at Level {number} would give that, not a line that "
                          "answers: a phone is needed, so call a contact with one (a web page can go under 'also')")
    for service in services.values():
        if service.contact and service.contact not in contacts and contacts_sound:
            check.problem(line_of(node, "services"), f"service '{service.id}' names unknown contact '{service.contact}'")
    for pathway in all_pathways.values():
        if pathway.contact and pathway.contact not in contacts and contacts_sound:
            shared = pathway.id in common_pathways and pathway is common_pathways[pathway.id]
            where = build.checker(COMMON) if shared else check
            where.problem(None, f"pathway '{pathway.id}' names unknown contact '{pathway.contact}'")
        if pathway.known_case and pathway.known_case not in all_pathways:
            check.problem(line_of(node, "pathways"),
                          f"pathway '{pathway.id}' names unknown known_case pathway '{pathway.known_case}'")

    in_doubt = None
    if "in_doubt" in values:
        doubt = check.fields(values["in_doubt"], "in_doubt", IN_DOUBT_SPEC, line_of(node, "in_doubt"))
        if complete(doubt, IN_DOUBT_SPEC):
            in_doubt = InDoubt(**doubt)
            if in_doubt.call not in contacts and contacts_sound:
                check.problem(line_of(node, "in_doubt"), f"in_doubt calls unknown contact '{in_doubt.call}'")

    # A domain the authority names but that is missing is reported there; links into it are not reported again.
    named = {d for g in groups for d in g.domains} | set(values.get("domains", []))
    _check_links(build, domains, same_as_lines, whole=named <= {d.id for d in domains})
    if found_source is None or not consents or sorted(levels) != [1, 2, 3, 4] or front_door is None:
        return None
    if not domain_nodes:
        check.problem(None, f"authority '{folder}' has no domain files: add at least one <domain>.yaml beside authority.yaml")
        return None
    if not domains:  # each broken domain file is reported where it is
        return None
    return Authority(
        id=folder, name=values.get("name", folder), aliases=tuple(a.lower() for a in values.get("aliases", ())),
        source=found_source, levels=levels, domains=tuple(domains), consents=consents, services=services,
        pathways=through_front_door(all_pathways, values.get("name", folder), front_door), contacts=contacts,
        front_door=front_door, groups=tuple(groups),
        thresholds=thresholds, notice=values.get("notice"), referral=referral, referral_levels=referral_levels,
        in_doubt=in_doubt,
    )


def _consents(check: Checker, node, raw) -> tuple[Consent, ...] | None:
    """One consent rule, or a list of them each for its own levels (no level in two)."""
    items = raw if isinstance(raw, list) else [raw]
    found: list[Consent] = []
    seen: dict[int, int] = {}
    for index, item in enumerate(items):
        what = f"consent rule {index + 1}" if isinstance(raw, list) else "consent"
        line = line_of(raw, index) if isinstance(raw, list) else line_of(node, "consent")
        c = check.fields(item, what, CONSENT_SPEC, line)
        if not complete(c, CONSENT_SPEC):
            return None
        for level in c["levels"]:
            if level in seen:
                check.problem(line_of(item, "levels"),
                              f"level {level} has two consent rules (rules {seen[level]} and {index + 1})")
            seen[level] = index + 1
        found.append(Consent(levels=tuple(c["levels"]), summary=c["summary"], exceptions=tuple(c["exceptions"]),
                             source=c["source"], requirements=tuple(c.get("requirements", ())), child=c.get("child")))
    return tuple(found) or None


def _referral(check: Checker, node, raw) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """The referral steps and the levels they apply at (a plain list: every level from 2)."""
    line = line_of(node, "referral")
    if isinstance(raw, dict):
        values = check.fields(raw, "referral", REFERRAL_SPEC, line)
        if complete(values, REFERRAL_SPEC):
            return tuple(values["steps"]), tuple(values["levels"])
        return (), ()
    steps = check.value(raw, TEXTS, "'referral' of the authority", line)
    return (tuple(steps), (2, 3, 4)) if isinstance(steps, list) else ((), ())


def _check_links(build: Build, domains: list[Domain], lines: dict[str, tuple[str, int | None]], whole: bool) -> None:
    """`same_as` names another item of this authority with the same words and level, one way."""
    by_id = {i.id: i for d in domains for i in d.indicators}
    for item in by_id.values():
        if item.same_as is None:
            continue
        rel, line = lines[item.id]
        problem = build.checker(rel).problem
        other = by_id.get(item.same_as)
        if other is None:
            if whole:
                problem(line, f"'same_as' of indicator '{item.id}' names unknown indicator '{item.same_as}'")
        elif other.id == item.id or other.same_as is not None:
            problem(line, f"'same_as' of indicator '{item.id}' names '{other.id}': link one copy to the other, one way only")
        elif _words(other.text) != _words(item.text) or other.level != item.level:
            problem(line, f"'same_as' of indicator '{item.id}' names '{other.id}', whose words or level differ")


def _words(text: str) -> str:
    return " ".join(text.lower().replace("\u2019", "'").split()).rstrip(".")


def _level_line(node, number: int, key: str) -> int | None:
    item = next((i for i in node.get("levels") or () if isinstance(i, dict) and i.get("level") == number), None)
    return line_of(item, key) if item is not None else line_of(node, "levels")


def _levels(check: Checker, node, values: dict) -> dict[int, Level]:
    levels: dict[int, Level] = {}
    for index, item in enumerate(values.get("levels", [])):
        level = check.fields(item, f"level entry {index + 1}", LEVEL_SPEC, line_of(node["levels"], index))
        if not complete(level, LEVEL_SPEC):
            continue
        if level["level"] in levels:
            check.problem(line_of(item, "level"), f"level {level['level']} is defined twice")
        levels[level["level"]] = Level(
            level=level["level"], name=level["name"], description=level["description"],
            action=level["action"], services=tuple(level["services"]), call=level["call"],
            source=level["source"], advice=level.get("advice"), takes_referrals=level.get("takes_referrals", False),
            also=tuple(level.get("also", ())), not_held=level.get("not_held"))
    if "levels" in values and sorted(levels) != [1, 2, 3, 4] and not any(p.file == check.file for p in check.problems):
        missing = ", ".join(str(n) for n in range(1, 5) if n not in levels)
        check.problem(line_of(node, "levels"), f"levels must define 1, 2, 3 and 4 (missing: {missing})")
    return levels


def _services(check: Checker, node, values: dict) -> dict[str, Service]:
    services: dict[str, Service] = {}
    for index, item in enumerate(values.get("services", [])):
        s = check.fields(item, f"service {index + 1}", SERVICE_SPEC, line_of(node["services"], index))
        if not complete(s, SERVICE_SPEC):
            continue
        if s["id"] in services:
            check.problem(line_of(item, "id"), f"duplicate service id '{s['id']}'")
        services[s["id"]] = Service(id=s["id"], name=s["name"], description=s["description"], source=s["source"],
                                    phone=tuple(s.get("phone", ())), email=tuple(s.get("email", ())),
                                    url=s.get("url"), contact=s.get("contact"))
    return services


def _groups(check: Checker, node, values: dict, domain_ids: set[str], domains_sound: bool) -> list[Group]:
    groups = []
    for index, item in enumerate(values.get("groups", [])):
        g = check.fields(item, f"group {index + 1}", GROUP_SPEC, line_of(node["groups"], index))
        if complete(g, GROUP_SPEC):
            for domain_id in g["domains"]:
                if domain_id not in domain_ids and domains_sound:
                    check.problem(line_of(item, "domains"), f"group '{g['name']}' names unknown domain '{domain_id}'")
            groups.append(Group(name=g["name"], domains=tuple(g["domains"])))
    return groups


def domain(check: Checker, folder: str, rel: str, node, thresholds, known_pathways, seen_ids: dict[str, str],
           pathways_sound: bool, elsewhere, same_as_lines: dict | None = None) -> Domain | None:
    """One domain file: its indicators, each the source's own words."""
    values = check.fields(node, "the domain", DOMAIN_SPEC)
    if not complete(values, DOMAIN_SPEC):
        return None
    indicators = []
    for index, item in enumerate(values["indicators"]):
        line = line_of(node["indicators"], index)
        i = check.fields(item, f"indicator {index + 1} of domain '{values['id']}'", INDICATOR_SPEC, line)
        if not complete(i, INDICATOR_SPEC):
            continue
        if not i["id"].startswith(folder + "-"):
            check.problem(line_of(item, "id"),
                          f"indicator id '{i['id']}' should start with '{folder}-' (ids name their authority)")
        if i["id"] in seen_ids:
            check.problem(line_of(item, "id"), f"duplicate indicator id '{i['id']}' (first in {seen_ids[i['id']]})")
        seen_ids.setdefault(i["id"], rel)
        other = elsewhere(i["id"])
        if other:
            check.problem(line_of(item, "id"), f"duplicate indicator id '{i['id']}' (also in authority '{other}')")
        threshold = i.get("threshold")
        if threshold is not None:
            if threshold not in thresholds:
                known = ", ".join(thresholds) or "none defined in authority.yaml"
                check.problem(line_of(item, "threshold"), f"unknown threshold '{threshold}' (known: {known})")
            if i["level"] != 4:
                check.problem(line_of(item, "threshold"), "only a Level 4 item can carry a threshold")
        if "same_as" in i and same_as_lines is not None:
            same_as_lines[i["id"]] = (rel, line_of(item, "same_as"))
        for pathway in i.get("pathways", []):
            if pathway not in known_pathways and pathways_sound:
                check.problem(line_of(item, "pathways"),
                              f"unknown pathway '{pathway}' (known: {', '.join(sorted(known_pathways))})")
        indicators.append(Indicator(
            id=i["id"], authority=folder, domain=values["id"], domain_name=values["name"], level=i["level"],
            text=" ".join(i["text"].split()), source=i.get("source", values["source"]),
            pathways=tuple(i.get("pathways", ())), threshold=threshold, note=i.get("note"),
            same_as=i.get("same_as"), condition=i.get("condition")))
    if not values["indicators"]:
        check.problem(line_of(node, "indicators"), f"domain '{values['id']}' has no indicators")
    if not indicators:
        return None
    return Domain(id=values["id"], name=values["name"], source=values["source"], indicators=tuple(indicators))


def _check_domain_ids(build: Build, domain_nodes: dict) -> None:
    seen: dict[str, str] = {}
    for rel, node in domain_nodes.items():
        domain_id = node.get("id") if isinstance(node, dict) else None
        if isinstance(domain_id, str):
            if domain_id in seen:
                build.checker(rel).problem(line_of(node, "id"), f"duplicate domain id '{domain_id}' (also in {seen[domain_id]})")
            seen.setdefault(domain_id, rel)
