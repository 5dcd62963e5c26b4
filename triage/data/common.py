"""Builds what every authority shares: indicators/common.yaml (what to have ready, the national
duties), and the parts of records used in several files (a source, a list of pathways)."""
from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import Problem
from ..model import FOLLOW_UP, HaveReady, Pathway, Source
from .reader import Tree
from .schema import (
    COMMON_SPEC,
    HAVE_READY_SOURCE_SPEC,
    HAVE_READY_SPEC,
    PATHWAY_SPEC,
    SOURCE_SPEC,
    Checker,
    line_of,
)

PLACEHOLDER = re.compile(r"\{(\w*)\}")

if TYPE_CHECKING:  # for the type checker only (typing.TypeIs is Python 3.13's)
    from typing_extensions import TypeIs


class Build:
    """The problems found while building one part of a tree, and where to look up others."""

    def __init__(self, root: Path | Tree, problems: list[Problem], earlier: tuple[Problem, ...] = ()):
        self.root = root
        self.problems = problems
        self.earlier = earlier  # problems of the shared files, which silence their echoes here

    def checker(self, rel: str) -> Checker:
        return Checker(str(self.root / rel), self.problems)

    def broken(self, prefix: str, except_file: str | None = None) -> bool:
        """Whether a problem was already found in a file under `prefix` (relative to root)."""
        starts = tuple(self.root.everywhere(prefix)) if isinstance(self.root, Tree) else (str(self.root / prefix),)
        skip = str(self.root / except_file) if except_file else None
        return any(p.file.startswith(starts) and p.file != skip for p in (*self.earlier, *self.problems))

    def reported(self, rel: str) -> bool:
        target = str(self.root / rel)
        return any(p.file == target for p in (*self.earlier, *self.problems))


def complete(values: dict | None, spec: dict) -> TypeIs[dict]:
    """Whether every required key of `spec` came through valid (problems are already recorded)."""
    return values is not None and all(key in values for key, (_, required) in spec.items() if required)


def source(check: Checker, node, what: str, line=None, spec=SOURCE_SPEC) -> Source | None:
    values = check.fields(node, what, spec, line)
    if not complete(values, spec):
        return None
    if "date" not in values and "retrieved" not in values:
        check.problem(line_of(node), f"{what} needs a 'date' (the document's) or 'retrieved' (when an undated page was copied)")
    return Source(file=values["file"], title=values["title"], publisher=values.get("publisher", ""),
                  version=values.get("version"), date=values.get("date"),
                  retrieved=values.get("retrieved"), url=values.get("url"))


def pathways(check: Checker, parent, nodes) -> dict[str, Pathway]:
    result: dict[str, Pathway] = {}
    for index, node in enumerate(nodes):
        values = check.fields(node, f"pathway {index + 1}", PATHWAY_SPEC, line_of(parent.get("pathways"), index))
        if not complete(values, PATHWAY_SPEC):
            continue
        if values["id"] in result:
            check.problem(line_of(node, "id"), f"duplicate pathway id '{values['id']}'")
        for unknown in sorted(set(PLACEHOLDER.findall(values["action"])) - {"day"}):
            check.problem(line_of(node, "action"), f"'{{{unknown}}}' in the action of pathway '{values['id']}' is not "
                          "a placeholder triage fills: the only one is {day} (the day to follow up)")
        result[values["id"]] = Pathway(id=values["id"], name=values["name"], action=values["action"],
                                       source=values["source"], contact=values.get("contact"),
                                       assumption=values.get("assumption"), known_case=values.get("known_case"),
                                       trigger=values.get("trigger"),
                                       by_next_working_day=values.get("by_next_working_day", False))
    return result


DESIGNATED_OFFICER = "designated-officer"


def through_front_door(all_pathways: dict[str, Pathway], name: str, front_door: str) -> dict[str, Pathway]:
    """The designated officer (LADO) route reached through the authority's front door, where
    the authority names no line of its own for it (the national route has none): without this,
    a concern about an adult who works with children gave no number to call."""
    from msgspec.structs import replace

    officer = all_pathways.get(DESIGNATED_OFFICER)
    if officer is None or officer.contact is not None:
        return all_pathways
    return {**all_pathways, DESIGNATED_OFFICER: replace(
        officer, contact=front_door,
        assumption=f"triage holds no designated officer line for {name}: ask its children's services front door for "
                   "the designated officer (LADO) for the area where the adult works.")}


def common(check: Checker, node) -> tuple[HaveReady | None, dict[str, Pathway]]:
    """common.yaml: what to have ready before referring, and the national duties."""
    values = check.fields(node, "common.yaml", COMMON_SPEC)
    if values is None:
        return None, {}
    have_ready = None
    ready = check.fields(values.get("have_ready"), "have_ready", HAVE_READY_SPEC, line_of(node, "have_ready")) \
        if "have_ready" in values else None
    if complete(ready, HAVE_READY_SPEC):
        found = source(check, ready["source"], "the source of have_ready", spec=HAVE_READY_SOURCE_SPEC)
        if found:
            have_ready = HaveReady(source=found, items=tuple(ready["items"]), emphasis=ready.get("emphasis"))
    shared = pathways(check, node, values.get("pathways", []))
    if FOLLOW_UP not in shared and "pathways" in values:
        check.problem(line_of(node, "pathways"), f"the pathway '{FOLLOW_UP}' is missing: its action is the line shown "
                      "after a referral, e.g. \"If you have not heard within one working day, follow up on {day}.\"")
    return have_ready, shared
