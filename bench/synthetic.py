"""Synthetic data trees for the scale benchmark: N authorities, renamed copies of the real ones.

    python bench/synthetic.py OUT [--authorities 150]

Copy k of `herts` is `herts7` (ids `herts7-...`, name `Hertfordshire 7`, alias `hertfordshire 7`), so the tree
validates as the real one does and every authority is distinct. The national files are
copied as they are.
"""
from __future__ import annotations

import argparse
import re
import shutil
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data"
REAL = {"herts": "hertfordshire", "notts": "nottinghamshire", "northants": "northamptonshire"}


def renamed(text: str, old: str, new: str, alias: str, new_alias: str) -> str:
    """The YAML of authority `old` as authority `new`: its ids, its folder name and its alias."""
    text = re.sub(rf'^(id|authority): "?{old}"?$', rf'\1: "{new}"', text, flags=re.M)
    # Its name too: two authorities of one name are a problem (and the shipped ones are read
    # under a tree of other authorities, which adds to them).
    text = re.sub(rf'^name: "?{alias.title()}"?$', f'name: "{new_alias.title()}"', text, flags=re.M | re.I)
    text = re.sub(rf'(?<![\w.@/-]){old}-(?=[a-z0-9])', f"{new}-", text)
    return text.replace(f'[{alias}]', f'["{new_alias}"]').replace(f'["{alias}"]', f'["{new_alias}"]')


def generate(out: Path, count: int) -> list[str]:
    """Write a tree of `count` authorities into `out` (which must not exist); their ids."""
    (out / "indicators").mkdir(parents=True)
    (out / "contacts").mkdir()
    shutil.copy(DATA / "indicators" / "common.yaml", out / "indicators" / "common.yaml")
    shutil.copy(DATA / "contacts" / "national.yaml", out / "contacts" / "national.yaml")
    ids = []
    for number in range(count):
        old = list(REAL)[number % len(REAL)]
        new = f"{old}{number // len(REAL) + 1}"
        args = (old, new, REAL[old], f"{REAL[old]} {number // len(REAL) + 1}")
        folder = out / "indicators" / new
        folder.mkdir()
        for source in sorted((DATA / "indicators" / old).glob("*.yaml")):
            (folder / source.name).write_text(renamed(source.read_text(encoding="utf-8"), *args), encoding="utf-8")
        contacts = (DATA / "contacts" / f"{old}.yaml").read_text(encoding="utf-8")
        (out / "contacts" / f"{new}.yaml").write_text(renamed(contacts, *args), encoding="utf-8")
        ids.append(new)
    return ids


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--authorities", type=int, default=150)
    options = parser.parse_args()
    ids = generate(options.out, options.authorities)
    print(f"{options.out}: {len(ids)} authorities ({ids[0]} ... {ids[-1]})")


if __name__ == "__main__":
    main()
