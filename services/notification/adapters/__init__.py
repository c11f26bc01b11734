"""Notification adapters: channels, template catalog, directory loader, retry and rate limiting."""
