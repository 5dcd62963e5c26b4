"""Reads a data tree into the model, one part at a time, with `file:line` for every problem.

The parts are the shared files (indicators/common.yaml, contacts/national.yaml) and each
authority (its folder indicators/<id>/ and its contacts/<id>.yaml), so an edit rebuilds only
the part it is in (see store.py). Files are parsed with the fast C loader; only a part with a
problem is read again with the round-trip loader, to say on which line each problem is.
Problems are recorded (errors.Problem), never raised: store.py raises them together.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from ..errors import Problem
from ..model import Authority, Contact, HaveReady, Pathway
from . import reader
from .authority import AUTHORITY_FILE, authority
from .common import Build, common
from .contacts import contacts, declared_ids, uncovered
from .reader import COMMON, NATIONAL, Tree, own_files

NATIONAL_ID = "national"


class Shared(NamedTuple):
    """What every authority is built with."""

    have_ready: HaveReady | None
    pathways: dict[str, Pathway]
    national: tuple[str, dict[str, Contact]] | None
    national_ids: frozenset[str] | None
    problems: tuple[Problem, ...]


def _texts(root: Path | Tree, rels: list[str], problems: list[Problem], contents: dict[str, bytes]) -> dict[str, str]:
    """Each file's text, read once: from `contents` (the bytes store.py hashed, so what is
    parsed is what the store is keyed by), else from the file. An unreadable file is left out,
    with its problem."""
    texts = {}
    for rel in rels:
        where = str(root / rel)
        try:
            data = contents[rel] if rel in contents else reader.read_bytes(root / rel)
            texts[rel] = reader.decode(data, where)
        except reader.Refused as refused:
            problems.append(refused.problem)
    return texts


def _parse(root: Path | Tree, texts: dict[str, str], problems: list[Problem], located: bool = False) -> dict[str, object]:
    """Parse each text; one that cannot be parsed is left out, with its problem."""
    nodes: dict[str, object] = {}
    for rel, text in texts.items():
        where = str(root / rel)
        try:
            node = reader.parse(text, where)
            if node is not None and located:
                node = reader.parse_located(text)
        except reader.Refused as refused:
            problems.append(refused.problem)
            continue
        if node is None:
            problems.append(Problem(where, None, "is empty: it should hold a mapping of keys"))
        else:
            nodes[rel] = node
    return nodes


def located(root: Path | Tree, rels: list[str], make: Callable, contents: dict[str, bytes]):
    """`make(nodes, build)` on plain nodes; again on round-trip nodes of the same texts when it
    found problems, so each problem has its line. Unreadable files stop the part before anything
    is built: building on a partial part would only add echoes of those problems."""
    problems: list[Problem] = []
    texts = _texts(root, rels, problems, contents)
    nodes = _parse(root, texts, problems)
    if problems:
        return None, problems
    result = make(nodes, problems)
    if problems:
        problems = []
        result = make(_parse(root, texts, problems, located=True), problems)
    return result, problems


def build_shared(root: Path | Tree, files, contents: dict[str, bytes]) -> Shared:
    def make(nodes, problems):
        build = Build(root, problems)
        have_ready, pathways = common(build.checker(COMMON), nodes[COMMON]) if COMMON in nodes else (None, {})
        national = contacts(build.checker(NATIONAL), nodes[NATIONAL], NATIONAL_ID, prefix=None) \
            if NATIONAL in nodes else None
        return have_ready, pathways, national, declared_ids(nodes.get(NATIONAL))

    present = [rel for rel in (COMMON, NATIONAL) if rel in files]
    result, problems = located(root, present, make, contents)
    if COMMON not in files:
        problems.append(Problem(str(root / COMMON), None, "missing file: it holds what to have ready and the national duties"))
    if NATIONAL not in files:
        problems.append(Problem(str(root / NATIONAL), None, "missing file: it holds 999, 101 and the national helplines"))
    have_ready, pathways, national, national_ids = result or (None, {}, None, None)
    return Shared(have_ready, pathways, national, national_ids, tuple(problems))


def build_authority(root: Path | Tree, folder: str, files, shared: Shared, elsewhere: Callable[[str], str | None],
                    contents: dict[str, bytes]) -> tuple[Authority | None, list[Problem]]:
    """One authority from its own files (their bytes in `contents`, see _texts) and the shared
    ones (already built)."""
    rel = f"indicators/{folder}/{AUTHORITY_FILE}"
    contacts_rel = f"contacts/{folder}.yaml"
    missing = []
    if rel not in files:
        missing.append(Problem(str(root / rel), None, "missing file: every authority folder needs an authority.yaml"))
    if contacts_rel not in files:
        replaced = root.replaces(folder) if isinstance(root, Tree) else ""
        missing.append(Problem(str(root / contacts_rel), None,
                               f"missing file: authority '{folder}' needs its contacts{replaced}"))
    if missing:
        return None, missing

    def make(nodes, problems):
        build = Build(root, problems, shared.problems)
        own = contacts(build.checker(contacts_rel), nodes[contacts_rel], folder, prefix=folder,
                       extra_ids=shared.national_ids)
        domains = {r: n for r, n in nodes.items() if r.startswith("indicators/") and r != rel}
        built = authority(build, folder, nodes[rel], domains, own, shared.national, shared.pathways, elsewhere)
        if built is not None and own is not None and not build.broken("contacts/"):  # no echoes of a broken file
            level_4 = built.levels[4].call if 4 in built.levels else None
            uncovered(build.checker(contacts_rel), nodes[contacts_rel], own[1], built.front_door, level_4)
        return built

    built, problems = located(root, own_files(files, folder), make, contents)
    return (built if not problems else None), problems


def tree_problems(root: Tree, folders: list[str], files, names: dict[str, tuple[str, tuple[str, ...]]]) -> list[Problem]:
    """What only the whole tree shows: contacts without an authority, a name used twice.
    `names` maps each authority built to its name and aliases; `folders` are in the order
    they are loaded (a council's folder's after the shipped ones, see reader.list_tree): a
    clash is reported against the authority loaded after."""
    problems = []
    for rel in sorted(files):
        name = rel[len("contacts/"):-len(".yaml")] if rel.startswith("contacts/") else None
        if name and name != NATIONAL_ID and name not in folders:
            problems.append(Problem(str(root / rel), None,
                                    f"no authority folder 'indicators/{name}/' for these contacts{root.replaces(name)}"))
    if not folders:
        problems.append(Problem(str(root / "indicators"), None, "no authority folders found"))
    # --authority takes an id or an alias, in any case; two authorities of one name cannot be
    # told apart where they are shown (and -a <the name> finds whichever has it as an alias).
    owners: dict[tuple[bool, str], tuple[str, str]] = {}  # (a name?, in lower case) -> (authority id, id/alias/name)
    clashed: set[tuple[str, str]] = set()  # (authority id, name or alias) reported as another authority's
    for authority_id in sorted(names, key=lambda i: folders.index(i) if i in folders else len(folders)):
        name, aliases = names[authority_id]
        for kind, value in (("id", authority_id), ("name", name), *(("alias", a) for a in aliases)):
            key = (kind == "name", " ".join(value.lower().split()))
            other, what = owners.setdefault(key, (authority_id, kind))
            if other != authority_id:
                problems.append(_clash(root, authority_id, kind, value, other, what))
                clashed.add((authority_id, value))
    return problems + _other_councils(root, folders, names, clashed)


def _begun(directory, value: str) -> list:
    """The councils with a name, district or former district that begins with the words of
    `value`, two words or more ("kings lynn"): a town a person types for that council."""
    from .. import england

    words = england.key(value).split()
    if len(words) < 2:
        return []
    return [c for c in directory.authorities
            for name in (c.name, c.short, *(d.short for d in c.districts), *c.former)
            if england.key(name).split()[:len(words)] == words]


def _other_councils(root: Tree, folders: list[str], names: dict[str, tuple[str, tuple[str, ...]]],
                    clashed: set[tuple[str, str]]) -> list[Problem]:
    """A name or alias that England's directory gives to a council (or a town of one) this
    authority does not hold: --authority, and the question's search, would find this authority
    for that council's children ("watford" in Rutland's aliases took Watford's calls)."""
    from .. import england
    from ..errors import DataError

    try:
        directory = england.directory(root.top)
    except DataError:  # england.check reports it
        return []
    brought = [(i, *names[i]) for i in folders if i in names and root.owns(f"indicators/{i}/")]
    held = england.held(directory, brought)
    problems = []
    for authority_id, (name, aliases) in names.items():
        for kind, value in (("name", name), *(("alias", a) for a in aliases)):
            if (authority_id, value) in clashed:  # said already, as another authority's name
                continue
            # "Watford Borough", "Hull City": a council's name with its kind is its name too; and
            # "King's Lynn" begins a district's name ("Kings Lynn and West Norfolk").
            bare = re.sub(r"\s+(?:borough|city|district|county)$", "", value.strip(), flags=re.IGNORECASE)
            named = {*directory.find(value), *directory.find(bare), *_begun(directory, value)}
            # (A council the directory holds as an authority the tree lacks: england.check says so.)
            others = [c for c in named if held.get(c.id) != authority_id and not (c.held and c.held not in names)]
            if others:
                rel = f"indicators/{authority_id}/{AUTHORITY_FILE}"
                whose = "; ".join(c.name for c in others)
                right = "give it a name of its own" if kind == "name" else "remove the alias"
                problems.append(Problem(str(root / rel), _line_of_name(root / rel, kind, value),
                                        f"the {kind} '{value}' names {whose} in England's directory, which this "
                                        f"authority does not hold: --authority '{value}' would find '{authority_id}' "
                                        f"for that council's children: {right}"))
    return problems


def _clash(root: Tree, authority_id: str, kind: str, value: str, other: str, what: str) -> Problem:
    """A name of this authority that another already has, at its line in authority.yaml."""
    rel = f"indicators/{authority_id}/{AUTHORITY_FILE}"
    right = {"id": "rename its folder", "name": "give it a name of its own",
             "alias": "remove the alias or give one no other authority uses"}[kind]
    shown = "the two would be shown alike, and " if kind == "name" else ""
    return Problem(str(root / rel), _line_of_name(root / rel, kind, value),
                   f"{'the ' + kind if kind != 'alias' else 'alias'} '{value}' is also the {what} of authority '{other}' "
                   f"({_where(root, other)}): {shown}--authority '{value}' would find only one of them: {right}")


def _where(root: Tree, authority_id: str) -> str:
    """An authority's authority.yaml, as a clash names it: the shipped one by its full path."""
    rel = f"indicators/{authority_id}/{AUTHORITY_FILE}"
    return rel if root.owns(rel) else f"the shipped {root / rel}"


def _line_of_name(path: Path, kind: str, value: str) -> int | None:
    """The line of an id, name or alias in an authority.yaml that was built (so it parses)."""
    from .schema import line_of

    try:
        node = reader.parse_located(reader.decode(reader.read_bytes(path), str(path)))
    except Exception:  # it was read to be built: a line is only to say where; the problem stands without one
        return None
    if kind != "alias":
        return line_of(node, kind)
    aliases = node.get("aliases") or []
    return next((line_of(aliases, i) for i, a in enumerate(aliases) if a == value), line_of(node, "aliases"))
