"""Officials' accounts: who may log in, with which role and scope, and what each page lets them do.

Pure: the password's hash is computed by the adapter (``adapters.passwords``) and handed in. Each
account has a ``generation``: a session names the generation it was opened under, and disabling the
account or resetting its password moves the generation on, so every open session stops working.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from shared.contracts.portal_commands import Role
from shared.errors import DomainError

Doc = dict[str, Any]
ROLE_NAMES = {
    Role.SECRETARIAT: "Văn phòng (thư ký hội nghị)",
    Role.AGENCY_OFFICER: "Cán bộ cơ quan được giao",
    Role.HEAD: "Lãnh đạo",
    Role.ADMIN: "Quản trị",
}
SCOPED = {Role.SECRETARIAT, Role.AGENCY_OFFICER, Role.HEAD}


@dataclass(frozen=True)
class Official:
    """The logged-in account as the pages see it (never its hash)."""

    username: str
    display_name: str
    role: Role
    scope: str

    @property
    def by(self) -> str:
        """What the commands it sends carry in ``by``: the name and the account, so events say who."""
        return f"{self.display_name} ({self.username})"

    @property
    def role_name(self) -> str:
        return ROLE_NAMES[self.role]


def unknown_account(username: str) -> DomainError:
    return DomainError(
        "unknown_account", f"Không có tài khoản '{username[:64]}'; kiểm tra lại tên đăng nhập."
    )


def new_account(username: str, display_name: str, role: Role, scope: str, password_hash: str, at: dt.datetime,
                existing: Doc | None) -> Doc:  # fmt: skip
    """The stored account, or the refusal (the name is taken, or a scoped role without its scope)."""
    if existing is not None:
        raise DomainError(
            "account_exists",
            f"Tài khoản '{username}' đã có; dùng 'dialogue portal user reset' để đặt lại mật khẩu.",
        )
    scope = scope.strip()
    if role in SCOPED and not scope:
        what = "mã cơ quan" if role is Role.AGENCY_OFFICER else "mã đơn vị"
        raise DomainError(
            "scope_required", f"Vai trò {role.value} cần {what} (--scope); vui lòng nhập rồi gửi lại."
        )
    if role is Role.ADMIN:
        scope = ""
    return {
        "_id": username,
        "display_name": display_name.strip(),
        "role": role.value,
        "scope": scope,
        "password_hash": password_hash,
        "disabled": False,
        "generation": 1,
        "created_at": at.isoformat(),
    }


def disabled(doc: Doc, at: dt.datetime) -> Doc | None:
    """The account disabled (its sessions ended), or None when it already was."""
    if doc.get("disabled"):
        return None
    return {**doc, "disabled": True, "disabled_at": at.isoformat(), "generation": int(doc["generation"]) + 1}


def reset(doc: Doc, password_hash: str, at: dt.datetime) -> Doc:
    """A new password (its sessions ended); a disabled account stays disabled."""
    return {
        **doc,
        "password_hash": password_hash,
        "reset_at": at.isoformat(),
        "generation": int(doc["generation"]) + 1,
    }


def official(doc: Doc, generation: int) -> Official | None:
    """The account a session opened under ``generation`` belongs to, or None when it may not act."""
    if doc.get("disabled") or int(doc.get("generation", 0)) != generation:
        return None
    return Official(str(doc["_id"]), str(doc["display_name"]), Role(doc["role"]), str(doc.get("scope", "")))


def public(doc: Doc) -> Doc:
    """What a command answers about an account (never the hash)."""
    return {k: doc[k] for k in ("display_name", "role", "scope", "disabled") if k in doc} | {
        "username": doc["_id"]
    }
