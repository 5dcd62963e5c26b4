"""`triage validate`: check a data tree and list every problem."""
from __future__ import annotations

import sys
from pathlib import Path

from ..errors import USAGE, DataError, UserError
from ..screen import clean


def run_validate(path: str | None) -> int:
    from .store import default_root, load

    root = _root(path or str(default_root()))
    shown = clean(str(root), newlines=False)  # a folder's name is shown, never obeyed
    _warn(root)
    try:
        # Through the store: an authority whose every file hashes as one that validated
        # cleanly is still clean; every changed file is parsed and checked in full.
        data = load(root)
    except DataError as error:
        return _report(error.problems, shown)
    from .. import england

    # England's directory and the councils' own contacts files, checked as the others are.
    problems, councils = england.check(root, set(data.authorities.names.values()), frozenset(data.national))
    if problems:
        return _report(problems, shown)
    entries = data.authorities.entries.values()
    count = sum(e.indicators for e in entries)
    contacts = len({c for e in entries for c in e.contacts})
    directory = england.directory(root)
    sys.stdout.write(f"{shown}: OK: {len(entries)} authorities, {count} indicators, {contacts} contacts; "
                     f"England: {len(directory.authorities)} authorities, {councils} with their own contacts file\n")
    return 0


def _warn(root: Path) -> None:
    """What is read, but perhaps not as meant: shown first, and validate still passes."""
    from .. import england
    from .comments import cut_short
    from .reader import list_tree

    files, _, _ = list_tree(root)  # a layout problem is the load's to report
    councils = england.folder(root) / "contacts"
    own = sorted(p.relative_to(root).as_posix() for p in councils.glob("*.yaml")) \
        if councils.is_dir() and councils.is_relative_to(root) else []
    for warning in cut_short(root, sorted(files) + own):
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
