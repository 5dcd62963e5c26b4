"""triage: how serious is a worry about a child, and whom to call now."""

__version__ = "0.1.0"
