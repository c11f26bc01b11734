"""Errors that carry a machine-readable reason code and one human sentence.

The sentence is shown to officials and senders, so it is Vietnamese with correct diacritics and says
what was wrong and how to fix it. The code is stable, snake_case English, and safe as a metric label.
"""

from __future__ import annotations


class DomainError(Exception):
    """A refused command or an invalid input: never retried, always answered."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.code!r}, {self.message!r})"


class NotFound(DomainError):
    """A reference to something that does not exist."""


class Conflict(DomainError):
    """The command contradicts the current state (illegal transition, double booking...)."""


class TransientError(Exception):
    """Infrastructure trouble that will likely pass (store down, timeout): retry later."""


class StartupError(Exception):
    """A service cannot start because of its configuration (a wrong secret, a missing right, a
    read-only path...). The message is one sentence naming the setting to fix; the process prints it
    and exits with status 78 (EX_CONFIG) instead of a traceback, and ``/readyz`` reports it."""

    def __init__(self, setting: str, message: str) -> None:
        super().__init__(message)
        self.setting = setting
        self.message = message
