"""`triage validate`: check a data tree and list every problem."""
from __future__ import annotations

import sys
from pathlib import Path

from .errors import USAGE, UserError


def run_validate(path: str | None) -> int:
    from .loader import DataError, build, data_files, default_root, parse_files

    root = Path(path).expanduser() if path else default_root()
    if not root.is_dir():
        raise UserError(f"'{root}' is not a folder: give a data tree holding indicators/ and contacts/", USAGE)
    files, problems = data_files(root)
    parsed = parse_files(root, files, problems)
    dataset = build(root, parsed, problems) if files else None
    if problems:
        for problem in problems:
            sys.stdout.write(f"{problem}\n")
        sys.stdout.write(f"{len(problems)} problem{'s' if len(problems) != 1 else ''} in {root}\n")
        return 1
    count = sum(len(a.indicators) for a in dataset.authorities.values())
    contacts = len({c for a in dataset.authorities.values() for c in a.contacts})
    sys.stdout.write(f"{root}: OK: {len(dataset.authorities)} authorities, {count} indicators, {contacts} contacts\n")
    return 0
