"""Kept so that `from triage.dataset import load` still works: the data layer is triage/data/."""
from __future__ import annotations

from .data.store import default_root, load

__all__ = ["default_root", "load"]
