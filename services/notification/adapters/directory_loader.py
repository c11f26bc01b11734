"""Reads the notification directory from TOML; the rules live in ``domain.directory``."""

from __future__ import annotations

import tomllib
from pathlib import Path

from services.notification.domain.directory import Directory, parse_directory
from shared.errors import DomainError

DEFAULT_DIRECTORY = Path(__file__).resolve().parent.parent / "data" / "directory.toml"


def load_directory(path: Path = DEFAULT_DIRECTORY) -> Directory:
    """Parse and check the directory; raises ``DomainError('directory_invalid')`` with the reason."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise DomainError(
            "directory_invalid",
            f"Không đọc được tệp danh bạ {path} ({exc.strerror}); hãy kiểm tra đường dẫn.",
        ) from exc
    except tomllib.TOMLDecodeError as exc:
        raise DomainError(
            "directory_invalid", f"Tệp danh bạ {path} sai cú pháp TOML ({exc}); hãy sửa tệp."
        ) from exc
    return parse_directory(data)
