"""Settings of the portal (environment prefix ``DIALOGUE_``)."""

from __future__ import annotations

import hmac
from pathlib import Path

from pydantic import SecretStr

from shared import rating_links
from shared.settings import ServiceSettings

DEFAULT_WEB_PORT = 8080


class PortalSettings(ServiceSettings):
    """The web server, the look-up and login limits, sessions, the Open311 keys and the rating secret."""

    service: str = "portal"
    portal_web_host: str = "127.0.0.1"
    portal_web_port: int = DEFAULT_WEB_PORT
    # Tracking look-ups per client address in any minute; more get 429 with a sentence.
    portal_lookups_per_minute: int = 30
    # Open311 API keys, one per registered source: "source=key,source=key", or a file of such lines.
    portal_open311_keys: str = ""
    portal_open311_keys_file: Path | None = None
    portal_command_timeout_seconds: float = 10.0
    # Officials' logins: after this many failures for one username or from one client address within
    # the window, logins with it are refused (429 and a sentence) until the oldest failure is older.
    portal_login_failures: int = 5
    portal_login_window_seconds: float = 900.0
    portal_session_hours: float = 8.0  # a session cookie expires after a working day
    portal_due_soon_days: int = 3  # the inbox says "sắp đến hạn" this many days before a deadline
    # Cookies over HTTPS only: on behind a TLS proxy (the default serves plain HTTP on loopback).
    portal_secure_cookies: bool = False
    intake_fields_file: Path | None = None  # the fields Open311 lists (the file intake classifies with)
    # The secret the rating links are signed with (notification signs the links it sends with it too).
    rating_link_secret: SecretStr | None = None
    rating_link_secret_file: Path | None = None

    def rating_secret(self) -> bytes:
        """``DIALOGUE_RATING_LINK_SECRET_FILE`` or ``DIALOGUE_RATING_LINK_SECRET`` (``MissingSecret`` if neither)."""
        env: dict[str, str] = {}
        if self.rating_link_secret_file is not None:
            env[rating_links.SECRET_FILE_ENV] = str(self.rating_link_secret_file)
        if self.rating_link_secret is not None:
            env[rating_links.SECRET_ENV] = self.rating_link_secret.get_secret_value()
        return rating_links.secret_from_env(env)

    def open311_keys(self) -> dict[str, str]:
        """API key → source name."""
        text = self.portal_open311_keys
        if self.portal_open311_keys_file is not None:
            text += "\n" + self.portal_open311_keys_file.read_text(encoding="utf-8")
        keys: dict[str, str] = {}
        for entry in text.replace(",", "\n").splitlines():
            source, sep, key = entry.strip().partition("=")
            if sep and source.strip() and key.strip() and not entry.lstrip().startswith("#"):
                keys[key.strip()] = source.strip()
        return keys

    @classmethod
    def from_base(cls, settings: ServiceSettings) -> PortalSettings:
        if isinstance(settings, PortalSettings):
            return settings
        return cls(**settings.model_dump())


def source_for(keys: dict[str, str], api_key: str) -> str | None:
    """The source an API key belongs to, compared in constant time against every key."""
    found = None
    for key, source in keys.items():
        if hmac.compare_digest(key.encode(), api_key.encode()):
            found = source
    return found
