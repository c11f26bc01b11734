"""Intake handlers: load through the repository, call the domain, save, return the events to publish.

They never import FastStream; ``services/intake/app.py`` wires them to subjects and commands.
"""

from .commands import list_opinions, reclassify, report, show, submit_desk, track
from .conferences import record_conference, with_projection
from .context import IntakeContext
from .submissions import Submitted, submit_external

__all__ = [
    "IntakeContext",
    "Submitted",
    "list_opinions",
    "reclassify",
    "record_conference",
    "report",
    "show",
    "submit_desk",
    "submit_external",
    "track",
    "with_projection",
]
