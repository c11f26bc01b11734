"""Notification domain: triggers, recipients, the delivery ledger; pure Python, no I/O."""
