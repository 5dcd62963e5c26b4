"""Wheel build hook: validate the data tree and ship it pre-parsed as triage/data/compiled.json.

Parsing YAML costs as much as starting Python; with the compiled copy, even the first run
after installing answers without parsing. The copy is used only while the hash of every
data file still matches (see triage/dataset.py).
"""
import json
import sys
import tempfile
from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CompileData(BuildHookInterface):
    def initialize(self, version, build_data):
        if self.target_name != "wheel" or version == "editable":
            return
        root = Path(self.root)
        sys.path.insert(0, str(root))
        try:
            from triage.dataset import compile_tree
            from triage.loader import DataError

            try:
                compiled = compile_tree(root / "data")
            except DataError as error:
                raise SystemExit(f"the data tree has problems:\n{error}") from None
        finally:
            sys.path.remove(str(root))
        out = Path(tempfile.mkdtemp()) / "compiled.json"
        out.write_text(json.dumps(compiled, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        build_data["force_include"][str(out)] = "triage/data/compiled.json"
