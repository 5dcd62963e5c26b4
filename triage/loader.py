"""Reads a data tree (indicators/ and contacts/) into the model, validating as it goes.

This is the only module that reads YAML. Every problem is recorded as `file:line: message`
(errors.Problem), never raised: dataset.load raises them all together as one DataError.
"""
from __future__ import annotations

from pathlib import Path

from . import hours as hours_parser
from .model import (
    Authority, ClosingRule, Consent, Contact, DataSet, Domain, Group, HaveReady, Indicator, Level,
    Pathway, Service, Source, Threshold,
)
from .schema import (
    BOOL, DATE, ID_, IDS, INT, LEVEL, LEVELS, MAP, MAPS, OPTIONAL, REQUIRED, TEXT, TEXTS, ANY,
    Checker, line_of,
)
from .errors import Problem


AUTHORITY_FILE = "authority.yaml"
COMMON_FILE = "common.yaml"
NATIONAL_CONTACTS = "national"

SOURCE_SPEC = {
    "file": (TEXT, REQUIRED), "title": (TEXT, REQUIRED), "publisher": (TEXT, REQUIRED),
    "version": (TEXT, OPTIONAL), "date": (DATE, OPTIONAL), "retrieved": (DATE, OPTIONAL),
    "url": (TEXT, OPTIONAL),
}
AUTHORITY_SPEC = {
    "id": (ID_, REQUIRED), "name": (TEXT, REQUIRED), "aliases": (TEXTS, OPTIONAL),
    "source": (MAP, REQUIRED), "notice": ("text?", OPTIONAL), "groups": (MAPS, OPTIONAL),
    "domains": (IDS, OPTIONAL),
    # consent: one rule (a mapping) or a list of rules, each for its own levels;
    # referral: a list of steps (all levels from 2) or a mapping {levels, steps}
    "levels": (MAPS, REQUIRED), "thresholds": (MAPS, OPTIONAL), "consent": (ANY, REQUIRED),
    "referral": (ANY, OPTIONAL), "services": (MAPS, OPTIONAL), "pathways": (MAPS, OPTIONAL),
}
GROUP_SPEC = {"name": (TEXT, REQUIRED), "domains": (IDS, REQUIRED)}
LEVEL_SPEC = {
    "level": (LEVEL, REQUIRED), "name": (TEXT, REQUIRED), "description": (TEXT, REQUIRED),
    "action": (TEXT, REQUIRED), "services": (IDS, REQUIRED), "call": ("id?", REQUIRED),
    "advice": ("text?", OPTIONAL), "takes_referrals": (BOOL, OPTIONAL), "source": (TEXT, REQUIRED),
}
THRESHOLD_SPEC = {
    "id": (TEXT, REQUIRED), "name": (TEXT, REQUIRED), "description": (TEXT, REQUIRED),
    "condition": (TEXT, OPTIONAL), "not_exhaustive": (TEXT, OPTIONAL), "source": (TEXT, REQUIRED),
}
REFERRAL_SPEC = {"levels": (LEVELS, REQUIRED), "steps": (TEXTS, REQUIRED)}
CONSENT_SPEC = {
    "levels": (LEVELS, REQUIRED), "summary": (TEXT, REQUIRED), "requirements": (TEXTS, OPTIONAL),
    "exceptions": (TEXTS, REQUIRED), "source": (TEXT, REQUIRED),
}
SERVICE_SPEC = {
    "id": (ID_, REQUIRED), "name": (TEXT, REQUIRED), "description": (TEXT, REQUIRED),
    "phone": (TEXTS, OPTIONAL), "email": (TEXTS, OPTIONAL), "url": (TEXT, OPTIONAL),
    "contact": (ID_, OPTIONAL), "source": (TEXT, REQUIRED),
}
PATHWAY_SPEC = {
    "id": (ID_, REQUIRED), "name": (TEXT, REQUIRED), "action": (TEXT, REQUIRED),
    "contact": ("id?", OPTIONAL), "assumption": (TEXT, OPTIONAL), "source": (TEXT, REQUIRED),
}
DOMAIN_SPEC = {
    "id": (ID_, REQUIRED), "name": (TEXT, REQUIRED), "source": (TEXT, REQUIRED),
    "indicators": (MAPS, REQUIRED),
}
INDICATOR_SPEC = {
    "id": (ID_, REQUIRED), "level": (LEVEL, REQUIRED), "text": (TEXT, REQUIRED),
    "pathways": (IDS, OPTIONAL), "threshold": (TEXT, OPTIONAL), "note": (TEXT, OPTIONAL),
    "same_as": (ID_, OPTIONAL), "condition": (TEXT, OPTIONAL), "source": (TEXT, OPTIONAL),
}
COMMON_SPEC = {"have_ready": (MAP, REQUIRED), "pathways": (MAPS, OPTIONAL)}
HAVE_READY_SPEC = {"source": (MAP, REQUIRED), "items": (TEXTS, REQUIRED), "emphasis": (TEXT, OPTIONAL)}
HAVE_READY_SOURCE_SPEC = {**SOURCE_SPEC, "publisher": (TEXT, OPTIONAL)}
CONTACTS_SPEC = {"authority": (ID_, REQUIRED), "front_door": (ID_, REQUIRED), "contacts": (MAPS, REQUIRED)}
CONTACT_SPEC = {
    "id": (ID_, REQUIRED), "name": (TEXT, REQUIRED), "purpose": (ID_, REQUIRED),
    "for": (TEXT, OPTIONAL), "phone": (TEXTS, OPTIONAL), "email": (TEXTS, OPTIONAL),
    "url": (TEXT, OPTIONAL), "district": ("text?", OPTIONAL), "hours": (ANY, REQUIRED),
    "covered_by": ("id?", OPTIONAL), "out_of_hours": (BOOL, OPTIONAL), "routing": (TEXT, OPTIONAL),
    "assumption": (TEXT, OPTIONAL), "note": (TEXT, OPTIONAL), "confirmed": (DATE, REQUIRED),
    "closing_rule": (MAP, OPTIONAL), "source": (TEXT, REQUIRED),
}
CLOSING_RULE_SPEC = {"minutes": (INT, REQUIRED), "rule": (TEXT, REQUIRED)}


# ---------------------------------------------------------------------------------------
# Reading files


def parse_files(root: Path, files: list[str], problems: list[Problem]) -> dict[str, object]:
    """Parse each YAML file with ruamel.yaml (round-trip, to keep line numbers)."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    yaml = YAML(typ="rt")
    parsed: dict[str, object] = {}
    for rel in files:
        path = root / rel
        try:
            text = path.read_bytes().decode("utf-8")
        except UnicodeDecodeError as error:
            problems.append(Problem(str(path), _line_at(path.read_bytes(), error.start),
                                    "is not UTF-8 text: save it as UTF-8"))
            continue
        except OSError as error:
            problems.append(Problem(str(path), None, f"cannot be read: {error.strerror}"))
            continue
        try:
            parsed[rel] = yaml.load(text)
        except MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            line = mark.line + 1 if mark else None
            what = " ".join(str(error.problem or error.context or "invalid YAML").split())
            problems.append(Problem(str(path), line, f"YAML syntax error: {what}"))
        except (YAMLError, ValueError, TypeError, RecursionError) as error:
            problems.append(Problem(str(path), None, f"YAML syntax error: {' '.join(str(error).split())}"))
        if rel in parsed and parsed[rel] is None:
            problems.append(Problem(str(path), None, "is empty: it should hold a mapping of keys"))
            del parsed[rel]
    return parsed


def _line_at(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


# ---------------------------------------------------------------------------------------
# Building the model


def build(root: Path, parsed: dict[str, object], problems: list[Problem]) -> DataSet | None:
    """Validate parsed files and build the model. Returns None when any problem was found."""
    builder = _Builder(root, problems)
    dataset = builder.build(parsed)
    return None if problems else dataset


class _Builder:
    def __init__(self, root: Path, problems: list[Problem]):
        self.root = root
        self.problems = problems
        self.same_as_lines: dict[str, tuple[str, int | None]] = {}  # indicator id -> (file, line)

    def checker(self, rel: str) -> Checker:
        return Checker(str(self.root / rel), self.problems)

    def build(self, parsed: dict[str, object]) -> DataSet | None:
        common = parsed.get(f"indicators/{COMMON_FILE}")
        have_ready, common_pathways = None, {}
        if common is None:
            if not any(p.file.endswith(COMMON_FILE) for p in self.problems):
                self.problems.append(Problem(str(self.root / "indicators" / COMMON_FILE), None,
                                             "missing file: it holds what to have ready and the national duties"))
        else:
            have_ready, common_pathways = self.common(f"indicators/{COMMON_FILE}", common)

        contact_files = {rel.split("/")[1][: -len(".yaml")]: rel for rel in parsed if rel.startswith("contacts/")}
        national = self.contacts(contact_files[NATIONAL_CONTACTS], parsed[contact_files[NATIONAL_CONTACTS]],
                                 NATIONAL_CONTACTS, prefix=None) if NATIONAL_CONTACTS in contact_files else None
        if national is None and not self._reported("contacts/national.yaml"):
            self.problems.append(Problem(str(self.root / "contacts" / "national.yaml"), None,
                                         "missing file: it holds 999, 101 and the national helplines"))
        authorities: dict[str, Authority] = {}
        seen_ids: dict[str, str] = {}
        for folder in self._authority_folders():
            rel = f"indicators/{folder}/{AUTHORITY_FILE}"
            if rel not in parsed:
                if not self._reported(rel):
                    self.problems.append(Problem(str(self.root / rel), None,
                                                 "missing file: every authority folder needs an authority.yaml"))
                continue
            contacts_rel = contact_files.get(folder)
            if contacts_rel is None:
                if not self._reported(f"contacts/{folder}.yaml"):
                    self.problems.append(Problem(str(self.root / "contacts" / f"{folder}.yaml"), None,
                                                 f"missing file: authority '{folder}' needs its contacts"))
                continue
            own_contacts = self.contacts(contacts_rel, parsed[contacts_rel], folder, prefix=folder,
                                         extra_ids=self._declared_contacts(parsed.get(contact_files.get(NATIONAL_CONTACTS))))
            domain_files = sorted(r for r in parsed if r.startswith(f"indicators/{folder}/") and r != rel)
            authority = self.authority(folder, rel, parsed[rel], {r: parsed[r] for r in domain_files},
                                       own_contacts, national, common_pathways, seen_ids)
            if authority is not None:
                authorities[authority.id] = authority
        unused = set(contact_files) - set(self._authority_folders()) - {NATIONAL_CONTACTS}
        for name in sorted(unused):
            self.problems.append(Problem(str(self.root / contact_files[name]), None,
                                         f"no authority folder 'indicators/{name}/' for these contacts"))
        if not authorities and not self.problems:
            self.problems.append(Problem(str(self.root / "indicators"), None, "no authority folders found"))
        self._check_aliases(authorities)
        if self.problems or have_ready is None:
            return None
        return DataSet(authorities=authorities, have_ready=have_ready)

    def _authority_folders(self) -> list[str]:
        folder = self.root / "indicators"
        return sorted(p.name for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")) if folder.is_dir() else []

    def _broken(self, prefix: str, except_file: str | None = None) -> bool:
        """Whether a problem was already found in a file under `prefix` (relative to root)."""
        start = str(self.root / prefix)
        skip = str(self.root / except_file) if except_file else None
        return any(p.file.startswith(start) and p.file != skip for p in self.problems)

    def _reported(self, rel: str) -> bool:
        target = str(self.root / rel)
        return any(p.file == target for p in self.problems)

    def source(self, check: Checker, node, what: str, line=None, spec=SOURCE_SPEC) -> Source | None:
        values = check.fields(node, what, spec, line)
        if not complete(values, spec):
            return None
        if "date" not in values and "retrieved" not in values:
            check.problem(line_of(node), f"{what} needs a 'date' (the document's) or 'retrieved' (when an undated page was copied)")
        return Source(file=values["file"], title=values["title"], publisher=values.get("publisher", ""),
                      version=values.get("version"), date=values.get("date"),
                      retrieved=values.get("retrieved"), url=values.get("url"))

    def common(self, rel: str, node) -> tuple[HaveReady | None, dict[str, Pathway]]:
        check = self.checker(rel)
        values = check.fields(node, "common.yaml", COMMON_SPEC)
        if values is None:
            return None, {}
        have_ready = None
        ready = check.fields(values.get("have_ready"), "have_ready", HAVE_READY_SPEC, line_of(node, "have_ready")) \
            if "have_ready" in values else None
        if complete(ready, HAVE_READY_SPEC):
            source = self.source(check, ready["source"], "the source of have_ready", spec=HAVE_READY_SOURCE_SPEC)
            if source:
                have_ready = HaveReady(source=source, items=tuple(ready["items"]), emphasis=ready.get("emphasis"))
        return have_ready, self.pathways(check, node, values.get("pathways", []))

    def pathways(self, check: Checker, parent, nodes) -> dict[str, Pathway]:
        result: dict[str, Pathway] = {}
        for index, node in enumerate(nodes):
            values = check.fields(node, f"pathway {index + 1}", PATHWAY_SPEC, line_of(parent.get("pathways"), index))
            if not complete(values, PATHWAY_SPEC):
                continue
            if values["id"] in result:
                check.problem(line_of(node, "id"), f"duplicate pathway id '{values['id']}'")
            result[values["id"]] = Pathway(id=values["id"], name=values["name"], action=values["action"],
                                           source=values["source"], contact=values.get("contact"),
                                           assumption=values.get("assumption"))
        return result

    @staticmethod
    def _declared_contacts(node) -> frozenset[str] | None:
        """The contact ids a contacts file declares, or None when it is missing or unreadable."""
        if not isinstance(node, dict) or not isinstance(node.get("contacts"), list):
            return None
        return frozenset(c.get("id") for c in node["contacts"] if isinstance(c, dict))

    def contacts(self, rel: str, node, authority: str, prefix: str | None,
                 extra_ids: frozenset[str] | None = frozenset()) -> tuple[str, dict[str, Contact]] | None:
        check = self.checker(rel)
        values = check.fields(node, f"the contacts file of '{authority}'", CONTACTS_SPEC)
        if values is None or "contacts" not in values:
            return None
        if values.get("authority") not in (None, authority):
            check.problem(line_of(node, "authority"),
                          f"'authority' is '{values['authority']}' but the file is named for '{authority}'")
        contacts: dict[str, Contact] = {}
        for index, item in enumerate(values["contacts"]):
            contact = self.contact(check, item, line_of(node["contacts"], index), prefix)
            if contact is None:
                continue
            if contact.id in contacts:
                check.problem(line_of(item, "id"), f"duplicate contact id '{contact.id}'")
            contacts[contact.id] = contact
        # References are checked against every id the files declare, valid or not, so a
        # broken contact is reported once, where it is, and not echoed by its references.
        declared = {item.get("id") for item in values["contacts"] if isinstance(item, dict)}
        known = declared | set(extra_ids or ())
        front = values.get("front_door")
        if front and front not in declared:
            check.problem(line_of(node, "front_door"), f"front_door '{front}' is not one of this file's contacts")
        for item in values["contacts"]:
            if not isinstance(item, dict):
                continue
            hours = item.get("hours")
            links = [("covered_by", item.get("covered_by"), line_of(item, "covered_by"))]
            if isinstance(hours, dict):
                links.append(("hours: outside", hours.get("outside"), line_of(hours, "outside")))
            for what, target, line in links:
                # With the national file unreadable, only this file's own ids can be checked.
                checkable = extra_ids is not None or (prefix and target and str(target).startswith(prefix + "-"))
                if isinstance(target, str) and target not in known and checkable:
                    check.problem(line, f"contact '{item.get('id')}' {what} names unknown contact '{target}'")
                if what == "hours: outside" and target == item.get("id"):
                    check.problem(line, f"contact '{target}' cannot be open outside its own hours")
        return front, contacts

    def contact(self, check: Checker, node, line, prefix: str | None) -> Contact | None:
        values = check.fields(node, "a contact", CONTACT_SPEC, line)
        if not complete(values, CONTACT_SPEC):
            return None
        if prefix and not values["id"].startswith(prefix + "-"):
            check.problem(line_of(node, "id"), f"contact id '{values['id']}' should start with '{prefix}-'")
        opening = hours_parser.parse(values["hours"], check, line_of(node, "hours"))
        confirmed = values["confirmed"]
        if len(confirmed) != 7:
            check.problem(line_of(node, "confirmed"),
                          f"'confirmed' is '{confirmed}': give the month its details were last confirmed, YYYY-MM")
        closing_rule = None
        if "closing_rule" in values:
            rule = check.fields(values["closing_rule"], "closing_rule", CLOSING_RULE_SPEC, line_of(node, "closing_rule"))
            if complete(rule, CLOSING_RULE_SPEC):
                if not 0 < rule["minutes"] < 24 * 60:
                    check.problem(line_of(values["closing_rule"], "minutes"), "closing_rule minutes should be between 1 and 1439")
                closing_rule = ClosingRule(minutes=rule["minutes"], rule=rule["rule"])
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

    def authority(self, folder, rel, node, domain_nodes, own_contacts, national, common_pathways, seen_ids):
        check = self.checker(rel)
        values = check.fields(node, "the authority", AUTHORITY_SPEC)
        if values is None:
            return None
        if values.get("id") not in (None, folder):
            check.problem(line_of(node, "id"), f"id '{values['id']}' should be the folder's name '{folder}'")
        source = self.source(check, values["source"], "the source", line_of(node, "source")) if "source" in values else None

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
                source=level["source"], advice=level.get("advice"), takes_referrals=level.get("takes_referrals", False))
        if "levels" in values and sorted(levels) != [1, 2, 3, 4] and not check_has_problems(self.problems, check.file):
            missing = ", ".join(str(n) for n in range(1, 5) if n not in levels)
            check.problem(line_of(node, "levels"), f"levels must define 1, 2, 3 and 4 (missing: {missing})")

        thresholds: dict[str, Threshold] = {}
        for index, item in enumerate(values.get("thresholds", [])):
            t = check.fields(item, f"threshold {index + 1}", THRESHOLD_SPEC, line_of(node["thresholds"], index))
            if complete(t, THRESHOLD_SPEC):
                if t["id"] in thresholds:
                    check.problem(line_of(item, "id"), f"duplicate threshold id '{t['id']}'")
                thresholds[t["id"]] = Threshold(**t)

        consents = self.consents(check, node, values["consent"]) if "consent" in values else None
        referral, referral_levels = self.referral(check, node, values.get("referral", []))

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

        pathways = {**common_pathways, **self.pathways(check, node, values.get("pathways", []))}
        contacts: dict[str, Contact] = dict(national[1]) if national else {}
        front_door = None
        if own_contacts:
            front_door, own = own_contacts
            contacts.update(own)

        domains = []
        for domain_rel, domain_node in domain_nodes.items():
            domain = self.domain(folder, domain_rel, domain_node, thresholds, pathways, seen_ids)
            if domain is not None:
                domains.append(domain)
        self._check_domain_ids(domains, domain_nodes)

        groups = []
        domain_ids = {d.id for d in domains}
        # A domain file that is itself broken is reported there, not echoed here.
        domains_sound = not self._broken(f"indicators/{folder}/", except_file=rel)
        for index, item in enumerate(values.get("groups", [])):
            g = check.fields(item, f"group {index + 1}", GROUP_SPEC, line_of(node["groups"], index))
            if complete(g, GROUP_SPEC):
                for domain_id in g["domains"]:
                    if domain_id not in domain_ids and domains_sound:
                        check.problem(line_of(item, "domains"), f"group '{g['name']}' names unknown domain '{domain_id}'")
                groups.append(Group(name=g["name"], domains=tuple(g["domains"])))

        # Domains in the source's order: as grouped, else as listed, else by file name.
        order = [d for g in groups for d in g.domains] or values.get("domains", [])
        for domain_id in values.get("domains", []):
            if domain_id not in domain_ids and domains_sound:
                check.problem(line_of(node, "domains"), f"'domains' names unknown domain '{domain_id}'")
        domains.sort(key=lambda d: order.index(d.id) if d.id in order else len(order))

        # Cross-references: every id named must exist (unless the file it lives in is broken).
        contacts_sound = national is not None and own_contacts is not None and not self._broken("contacts/")
        for number, level in levels.items():
            for service_id in level.services:
                if service_id not in services:
                    check.problem(line_of(node, "levels"), f"level {number} lists unknown service '{service_id}'")
            if level.call and level.call not in contacts and contacts_sound:
                check.problem(line_of(node, "levels"), f"level {number} calls unknown contact '{level.call}'")
        for service in services.values():
            if service.contact and service.contact not in contacts and contacts_sound:
                check.problem(line_of(node, "services"), f"service '{service.id}' names unknown contact '{service.contact}'")
        for pathway in pathways.values():
            if pathway.contact and pathway.contact not in contacts and contacts_sound:
                where = check if pathway.id not in common_pathways or pathway is not common_pathways[pathway.id] \
                    else self.checker(f"indicators/{COMMON_FILE}")
                where.problem(None, f"pathway '{pathway.id}' names unknown contact '{pathway.contact}'")

        self._check_links(domains)
        if source is None or not consents or sorted(levels) != [1, 2, 3, 4] or front_door is None:
            return None
        if not domain_nodes:
            check.problem(None, f"authority '{folder}' has no domain files: add at least one <domain>.yaml beside authority.yaml")
            return None
        if not domains:  # each broken domain file is reported where it is
            return None
        return Authority(
            id=folder, name=values.get("name", folder), aliases=tuple(a.lower() for a in values.get("aliases", ())),
            source=source, levels=levels, domains=tuple(domains), consents=consents, services=services,
            pathways=pathways, contacts=contacts, front_door=front_door, groups=tuple(groups),
            thresholds=thresholds, notice=values.get("notice"), referral=referral, referral_levels=referral_levels,
        )

    def consents(self, check: Checker, node, raw) -> tuple[Consent, ...] | None:
        """One consent rule, or a list of them each for its own levels (no level in two)."""
        items = raw if isinstance(raw, list) else [raw]
        rules: list[Consent] = []
        seen: dict[int, int] = {}
        for index, item in enumerate(items):
            what = "consent" if not isinstance(raw, list) else f"consent rule {index + 1}"
            line = line_of(raw, index) if isinstance(raw, list) else line_of(node, "consent")
            c = check.fields(item, what, CONSENT_SPEC, line)
            if not complete(c, CONSENT_SPEC):
                return None
            for level in c["levels"]:
                if level in seen:
                    check.problem(line_of(item, "levels"), f"level {level} has two consent rules (rules {seen[level]} and {index + 1})")
                seen[level] = index + 1
            rules.append(Consent(levels=tuple(c["levels"]), summary=c["summary"], exceptions=tuple(c["exceptions"]),
                                 source=c["source"], requirements=tuple(c.get("requirements", ()))))
        return tuple(rules) or None

    def referral(self, check: Checker, node, raw) -> tuple[tuple[str, ...], tuple[int, ...]]:
        """The referral steps and the levels they apply at (a plain list: every level from 2)."""
        line = line_of(node, "referral")
        if isinstance(raw, dict):
            values = check.fields(raw, "referral", REFERRAL_SPEC, line)
            if complete(values, REFERRAL_SPEC):
                return tuple(values["steps"]), tuple(values["levels"])
            return (), ()
        steps = check.value(raw, TEXTS, "'referral' of the authority", line)
        return (tuple(steps), (2, 3, 4)) if isinstance(steps, list) else ((), ())

    def _check_links(self, domains: list[Domain]) -> None:
        """`same_as` names another item of this authority with the same words and level."""
        by_id = {i.id: i for d in domains for i in d.indicators}
        for item in by_id.values():
            if item.same_as is None:
                continue
            rel, line = self.same_as_lines[item.id]
            problem = self.checker(rel).problem
            other = by_id.get(item.same_as)
            if other is None:
                problem(line, f"'same_as' of indicator '{item.id}' names unknown indicator '{item.same_as}'")
            elif other.id == item.id or other.same_as is not None:
                problem(line, f"'same_as' of indicator '{item.id}' names '{other.id}': link one copy to the other, one way only")
            elif _words(other.text) != _words(item.text) or other.level != item.level:
                problem(line, f"'same_as' of indicator '{item.id}' names '{other.id}', whose words or level differ")

    def domain(self, folder, rel, node, thresholds, pathways, seen_ids) -> Domain | None:
        check = self.checker(rel)
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
                check.problem(line_of(item, "id"), f"indicator id '{i['id']}' should start with '{folder}-' (ids name their authority)")
            if i["id"] in seen_ids:
                check.problem(line_of(item, "id"), f"duplicate indicator id '{i['id']}' (first in {seen_ids[i['id']]})")
            seen_ids.setdefault(i["id"], rel)
            threshold = i.get("threshold")
            if threshold is not None:
                if threshold not in thresholds:
                    known = ", ".join(thresholds) or "none defined in authority.yaml"
                    check.problem(line_of(item, "threshold"), f"unknown threshold '{threshold}' (known: {known})")
                if i["level"] != 4:
                    check.problem(line_of(item, "threshold"), "only a Level 4 item can carry a threshold")
            if "same_as" in i:
                self.same_as_lines[i["id"]] = (rel, line_of(item, "same_as"))
            for pathway in i.get("pathways", []):
                if pathway not in pathways and not self._broken("indicators/"):
                    check.problem(line_of(item, "pathways"),
                                  f"unknown pathway '{pathway}' (known: {', '.join(sorted(pathways))})")
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

    def _check_domain_ids(self, domains: list[Domain], domain_nodes: dict) -> None:
        seen: dict[str, str] = {}
        for rel, node in domain_nodes.items():
            domain_id = node.get("id") if isinstance(node, dict) else None
            if isinstance(domain_id, str):
                if domain_id in seen:
                    self.checker(rel).problem(line_of(node, "id"), f"duplicate domain id '{domain_id}' (also in {seen[domain_id]})")
                seen.setdefault(domain_id, rel)

    def _check_aliases(self, authorities: dict[str, Authority]) -> None:
        names: dict[str, str] = {}
        for authority in authorities.values():
            for name in (authority.id, *authority.aliases):
                if names.get(name, authority.id) != authority.id:
                    self.checker(f"indicators/{authority.id}/{AUTHORITY_FILE}").problem(
                        None, f"alias '{name}' is also used by '{names[name]}'")
                names[name] = authority.id


def _words(text: str) -> str:
    return " ".join(text.lower().replace("\u2019", "'").split()).rstrip(".")


def complete(values: dict | None, spec: dict) -> bool:
    """Whether every required key of `spec` came through valid (problems are already recorded)."""
    return values is not None and all(key in values for key, (_, required) in spec.items() if required)


def check_has_problems(problems: list[Problem], file: str) -> bool:
    return any(p.file == file for p in problems)
