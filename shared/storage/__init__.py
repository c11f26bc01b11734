"""Storage port and its adapters."""

from shared.storage.factory import open_store
from shared.storage.port import ConcurrencyConflict, Doc, DocumentStore, DuplicateKey, Filter, Index

__all__ = ["ConcurrencyConflict", "Doc", "DocumentStore", "DuplicateKey", "Filter", "Index", "open_store"]
