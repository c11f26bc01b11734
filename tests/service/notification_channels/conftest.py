"""Fixtures live in ``notification_servers`` (a unique module name, so no clash with other suites)."""

from notification_servers import http_server, smtp_server

__all__ = ["http_server", "smtp_server"]
