"""`triage validate`: check a data tree and list every problem."""
from __future__ import annotations

import sys
from pathlib import Path

from ..errors import USAGE, DataError, UserError
from ..screen import clean


def run_validate(path: str | None) -> int:
    from .store import default_root, layered, load

    tree = layered(_root(path or str(default_root())))
    shown = clean(str(tree), newlines=False)  # a folder's name is shown, never obeyed
    try:
        # Through the store: an authority whose every file hashes as one that validated
        # cleanly is still clean; every changed file is parsed and checked in full.
        data = load(tree)
    except DataError as error:
        _warn(tree)
        return _report(error.problems, shown)
    _warn(tree, data.authorities.index)
    from .. import england

    # England's directory and the councils' own contacts files, checked as the others are.
    problems, councils = england.check(tree.top, set(data.authorities.names.values()), frozenset(data.national))
    if problems:
        return _report(problems, shown)
    entries = data.authorities.entries.values()
    count = sum(e.indicators for e in entries)
    contacts = len({c for e in entries for c in e.contacts})
    directory = england.directory(tree.top)
    for line in _brought(data, directory):
        sys.stdout.write(f"{shown}: {line}\n")
    sys.stdout.write(f"{shown}: OK: {len(entries)} authorities, {count} indicators, {contacts} contacts; "
                     f"England: {len(directory.authorities)} authorities, {councils} with their own contacts file\n")
    return 0


def _brought(data, directory) -> list[str]:
    """What a council's folder brings to the shipped tree, and what of it that replaces."""
    from .. import england
    from ..session import held_by
    from .reader import COMMON, NATIONAL

    tree = data.tree
    if tree is None or tree.base is None:
        return []
    lines = []
    holding: dict[str, list[str]] = {}
    for council, authority_id in held_by(data).items():
        holding.setdefault(authority_id, []).append(directory.by_id[council].name)
    for entry in data.authorities.entries.values():
        if not tree.owns(f"indicators/{entry.id}/"):
            continue
        # An id or name no English council has is found by -a <id> only (a typo of the council's id?).
        councils = f" (England's {', '.join(sorted(holding[entry.id]))})" if entry.id in holding else \
            f" (no English council in the directory: found by -a {entry.id} only, not by a council's name, towns or " \
            "postcodes; a council's id is in england/authorities.json)"
        replaces = ": replaces the shipped authority " + repr(entry.id) if tree.shipped and entry.id in tree.shipped \
            else ""
        lines.append(f"brings authority '{entry.id}'{councils}{replaces}")
    shared = [rel for rel in (COMMON, NATIONAL, f"{england.FOLDER}/{england.DIRECTORY}") if tree.owns(rel)]
    lines += [f"brings {rel}: replaces the shipped one" if (tree.base / rel).is_file() else f"brings {rel}"
              for rel in shared]
    own = [p.name for p in england.contacts_files(tree.top) if p.parent.parent == tree.top / england.FOLDER]
    if own:
        replaced = [name for name in own if (tree.base / england.FOLDER / "contacts" / name).is_file()]
        lines.append(f"brings {', '.join(f'{england.FOLDER}/contacts/{name}' for name in own)}"
                     + (f": replaces the shipped {', '.join(replaced)}" if replaced else ""))
    return lines


def _warn(tree, index=None) -> None:
    """What is read, but perhaps not as meant: shown first, and validate still passes. With the
    index of a clean tree, the warnings found before for the same files are shown again."""
    from .. import england
    from . import store
    from .comments import cut_short
    from .reader import list_tree

    key = store.warnings_key(tree, index) if index is not None else None
    warnings = store.stored_warnings(key) if key else None
    if warnings is None:
        files, _, _ = list_tree(tree)  # a layout problem is the load's to report
        warnings = cut_short(tree, sorted(files))
        if key:
            store.keep_warnings(key, warnings)
    try:  # England's councils' files: a few, not in the index, read each time
        own = [f"{england.FOLDER}/contacts/{p.name}" for p in england.contacts_files(tree.top) if p.suffix == ".yaml"]
    except DataError:  # the directory cannot be read: england.check says why
        own = []
    for warning in warnings + cut_short(tree, own):
        sys.stdout.write(f"{warning}\n")


def _report(problems: list, shown: str) -> int:
    for problem in problems:
        sys.stdout.write(f"{problem}\n")
    sys.stdout.write(f"{len(problems)} problem{'s' if len(problems) != 1 else ''} in {shown}\n")
    return 1


def _root(path: str) -> Path:
    try:
        root = Path(path).expanduser()
        is_folder = root.is_dir()
    except RuntimeError:  # ~nosuchuser
        raise UserError(f"'{path}' names a home folder that does not exist: give a data tree", USAGE) from None
    except OSError as error:  # a name too long, a loop of links
        raise UserError(f"'{path[:200]}' cannot be read ({error.strerror}): give a data tree", USAGE) from None
    if not is_folder:
        raise UserError(f"'{clean(str(root), newlines=False)}' is not a folder: give a data tree holding indicators/ "
                        "and contacts/", USAGE)
    return root
