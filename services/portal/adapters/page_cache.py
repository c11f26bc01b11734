"""What the tracking page and the Open311 read need not redo per request: rendered answers, conference titles.

A rendered answer is kept under the record's identity *and* its stored version (every change of the
read model saves a new version), so the store is still read on each request and a changed record is
rendered again at once: the cache only spares building and rendering the same version twice. A
conference's title is kept a short while (``TITLE_SECONDS``); a renamed conference shows on the
tracking page's link within that time. Both are bounded (least recently used out first).
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Hashable

from services.portal.adapters.repository import PortalRepository
from services.portal.domain.opinion import Doc

MAX_RENDERED = 4096  # about 3 KB each: a few MB per portal process
MAX_TITLES = 1024
TITLE_SECONDS = 30.0


class Rendered:
    """Least-recently-used rendered bodies by key."""

    def __init__(self, size: int = MAX_RENDERED) -> None:
        self.size = size
        self._items: OrderedDict[Hashable, bytes] = OrderedDict()

    def get(self, key: Hashable, render: Callable[[], bytes]) -> bytes:
        body = self._items.get(key)
        if body is None:
            body = self._items[key] = render()
            if len(self._items) > self.size:
                self._items.popitem(last=False)
        else:
            self._items.move_to_end(key)
        return body


def version_of(doc: Doc) -> tuple[str, str, str]:
    """A record's identity and stored version (what a rendered answer of it is kept under)."""
    return str(doc.get("_id")), str(doc.get("version")), str(doc.get("updated_at"))


class Titles:
    """Conference titles for the tracking page's link, each read at most every ``ttl`` seconds."""

    def __init__(self, ttl: float = TITLE_SECONDS, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl = ttl
        self.clock = clock
        self._titles: OrderedDict[str, tuple[float, str | None]] = OrderedDict()

    async def title(self, repo: PortalRepository, conference_id: str | None) -> str | None:
        if not conference_id:
            return None
        now = self.clock()
        kept = self._titles.get(conference_id)
        if kept is not None and now - kept[0] < self.ttl:
            return kept[1]
        snapshot = await repo.conference(conference_id)
        title = str(snapshot["title"]) if snapshot and snapshot.get("title") else None
        if title is None:
            return None  # not known yet: asked again next time, never kept
        self._titles[conference_id] = (now, title)
        self._titles.move_to_end(conference_id)
        while len(self._titles) > MAX_TITLES:
            self._titles.popitem(last=False)
        return title
