"""Fixtures live in ``notification_service_support`` (a unique module name, no clash with other suites)."""

from notification_service_support import provider, smtp

__all__ = ["provider", "smtp"]
