"""Commands of the portal's officials' accounts, on ``portal.cmd.<verb>`` (request/reply, JSON).

The CLI (``dialogue portal user add|disable|reset``) sends them; the portal owns the accounts and
validates each payload once, at its door. The password travels only in ``user-add`` and
``user-reset`` over the operator's NATS connection (TLS in production); the portal stores its Argon2
hash, never the password, and never answers it back.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

PORTAL_CMD = "portal.cmd"  # the portal's command namespace: portal.cmd.user-add, ...
USERNAME_PATTERN = r"^[a-z0-9][a-z0-9._-]{1,63}$"
MIN_PASSWORD = 10


class Role(StrEnum):
    """What an official may do in the console, and what its ``scope`` names."""

    SECRETARIAT = "secretariat"  # scope: a unit code (xa-dong-du)
    AGENCY_OFFICER = "agency_officer"  # scope: an agency code (hn-sgddt)
    HEAD = "head"  # scope: a unit code
    ADMIN = "admin"  # scope: empty


class _Payload(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class AddUser(_Payload):
    """``user-add``: a new official's account (refused when the username is taken)."""

    username: str = Field(
        pattern=USERNAME_PATTERN, description="Login name: lower-case letters, digits, . _ -"
    )
    display_name: str = Field(min_length=1, max_length=120, description="Full name shown and put in `by`.")
    role: Role = Field(description="secretariat, agency_officer, head or admin.")
    scope: str = Field(
        default="",
        max_length=100,
        description="Unit code (secretariat, head) or agency code (agency_officer).",
    )
    password: str = Field(min_length=MIN_PASSWORD, max_length=200, description="Initial password (hashed).")


class DisableUser(_Payload):
    """``user-disable``: the account can no longer log in; its open sessions stop working."""

    username: str = Field(min_length=1, max_length=64, description="Login name.")


class ResetPassword(_Payload):
    """``user-reset``: a new password; the account's open sessions stop working."""

    username: str = Field(min_length=1, max_length=64, description="Login name.")
    password: str = Field(min_length=MIN_PASSWORD, max_length=200, description="New password (hashed).")
