"""`triage validate`: check a data tree and list every problem."""
from __future__ import annotations

import sys
from pathlib import Path

from .errors import USAGE, UserError


def run_validate(path: str | None) -> int:
    from .dataset import default_root, load
    from .errors import DataError
    from .screen import clean

    root = Path(path).expanduser() if path else default_root()
    shown = clean(str(root), newlines=False)
    if not root.is_dir():
        raise UserError(f"'{shown}' is not a folder: give a data tree holding indicators/ and contacts/", USAGE)
    try:
        # Through the cache: a tree whose every file hashes as one that validated cleanly
        # is still clean; any change is parsed and checked in full.
        dataset = load(root)
    except DataError as error:
        for problem in error.problems:
            sys.stdout.write(f"{problem}\n")
        count = len(error.problems)
        sys.stdout.write(f"{count} problem{'s' if count != 1 else ''} in {shown}\n")
        return 1
    count = sum(len(a.indicators) for a in dataset.authorities.values())
    contacts = len({c for a in dataset.authorities.values() for c in a.contacts})
    sys.stdout.write(f"{shown}: OK: {len(dataset.authorities)} authorities, {count} indicators, {contacts} contacts\n")
    return 0
