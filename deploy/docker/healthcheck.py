"""Container health check: exit 0 when the service's /readyz answers 200, 1 otherwise.

The port is DIALOGUE_HTTP_PORT, or else the default port of the service named in the container's
command (``dialogue run intake`` -> 8102). Uses only the standard library, so the image needs no curl.
"""

from __future__ import annotations

import os
import sys
import urllib.error
import urllib.request
from pathlib import Path

DEFAULT_PORTS = {"scheduling": 8101, "intake": 8102, "assignment": 8103, "notification": 8104, "portal": 8105}


def service_port(environ: dict[str, str], cmdline: list[str]) -> int:
    """The HTTP port to probe: the explicit setting first, then the default of the running service."""
    if environ.get("DIALOGUE_HTTP_PORT"):
        return int(environ["DIALOGUE_HTTP_PORT"])
    for arg in reversed(cmdline):
        if arg in DEFAULT_PORTS:
            return DEFAULT_PORTS[arg]
    return DEFAULT_PORTS["scheduling"]


def main() -> int:
    try:
        cmdline = Path("/proc/1/cmdline").read_bytes().decode().split("\0")
    except OSError:
        cmdline = []
    port = service_port(dict(os.environ), cmdline)
    host = os.environ.get("DIALOGUE_HEALTHCHECK_HOST", "127.0.0.1")
    try:
        with urllib.request.urlopen(f"http://{host}:{port}/readyz", timeout=4) as response:
            return 0 if response.status == 200 else 1
    except (urllib.error.URLError, OSError) as exc:
        print(f"not ready: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
