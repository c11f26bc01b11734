"""The portal's own store (``dialogue_portal``): opinions, conference snapshots and results, ratings sent,
accounts, each unit's agencies; and the lanes its consumers write opinions' records through."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, Generic, TypeVar

from shared import conference_snapshot, outbox
from shared.storage import DocumentStore
from shared.storage.port import Doc, Index
from shared.unit_of_work import Outcome

OPINIONS = "opinions"
CONFERENCES = conference_snapshot.COLLECTION
RESULTS = (
    "conference_results"  # what each conference produced, beside its snapshot (``events.ConferenceResults``)
)
RATINGS = "ratings_sent"
ACCOUNTS = "accounts"  # the officials' accounts: _id is the username, the password only as its hash
UNIT_AGENCIES = "unit_agencies"  # per host unit, the agencies its opinions were assigned to
MAX_QUEUE = 500  # an agency's or a unit's open opinions; more would not be read on one page anyway


async def ensure_indexes(store: DocumentStore) -> None:
    await store.ensure_indexes(
        OPINIONS,
        [
            Index(("tracking_code",), sparse=True),
            Index(("conference_id",)),
            Index(("requested_at",)),
            Index(("agency_code",)),
            Index(("unit_code",)),
            # /tra-loi: published answers, by field or unit or neither, latest published first
            Index(("published", "published_at")),
            Index(("published", "field", "published_at")),
            Index(("published", "unit_code", "published_at")),
            # Open311's requests.json?service_code=: by field, newest received first
            Index(("field", "requested_at")),
            outbox.INDEX,
        ],
    )
    # /lich-hoi-nghi and /tra-loi's unit list: the public states, by start
    await store.ensure_indexes(CONFERENCES, [Index(("state", "starts_at")), outbox.INDEX])
    await store.ensure_indexes(RESULTS, [outbox.INDEX])
    await store.ensure_indexes(RATINGS, [outbox.INDEX])
    await store.ensure_indexes(ACCOUNTS, [outbox.INDEX])
    await store.ensure_indexes(UNIT_AGENCIES, [outbox.INDEX])


class PortalRepository:
    def __init__(self, store: DocumentStore) -> None:
        self.store = store

    async def opinion(self, opinion_id: str) -> Doc | None:
        return await self.store.get(OPINIONS, opinion_id)

    async def by_code(self, code: str) -> Doc | None:
        # An assignment event may have arrived before intake's: both carry the code.
        found = await self.store.find(OPINIONS, {"tracking_code": code}, limit=1)
        return found[0] if found else None

    async def by_codes(self, codes: list[str]) -> list[Doc]:
        return await self.store.find(OPINIONS, {"tracking_code": {"$in": codes}})

    async def of_conference(self, conference_id: str) -> list[Doc]:
        return await self.store.find(OPINIONS, {"conference_id": conference_id}, order_by="requested_at")

    async def find(self, where: dict[str, Any], limit: int) -> list[Doc]:
        return await self.store.find(OPINIONS, where, order_by="requested_at", descending=True, limit=limit)

    async def conference(self, conference_id: str) -> Doc | None:
        return await self.store.get(CONFERENCES, conference_id)

    async def results(self, conference_id: str) -> Doc | None:
        return await self.store.get(RESULTS, conference_id)

    async def rating_sent(self, code: str) -> Doc | None:
        return await self.store.get(RATINGS, code)

    async def held_by(self, agency_code: str) -> list[Doc]:
        """The open opinions an agency holds (the inbox sorts them by deadline)."""
        where = {"agency_code": agency_code, "status": "open"}
        return await self.store.find(OPINIONS, where, order_by="deadline", limit=MAX_QUEUE)

    async def answered_in(self, unit_code: str) -> list[Doc]:
        """The opinions of a host unit whose answer waits for the head."""
        where = {"unit_code": unit_code, "stage": "answered", "status": "open"}
        return await self.store.find(OPINIONS, where, order_by="deadline", limit=MAX_QUEUE)

    async def requests_in(self, unit_code: str) -> list[Doc]:
        """The open opinions of a host unit with an extension or a transfer request waiting for the head."""
        found: dict[str, Doc] = {}
        for where in ({"pending_extension": {"$exists": True}}, {"pending_reassignment": True}):
            query = {"unit_code": unit_code, "status": "open", **where}
            for doc in await self.store.find(OPINIONS, query, order_by="pending_since", limit=MAX_QUEUE):
                found[str(doc["_id"])] = doc
        return list(found.values())

    async def unit_agencies(self, unit_code: str) -> Doc | None:
        return await self.store.get(UNIT_AGENCIES, unit_code)

    async def open_count(self, agency_code: str) -> int:
        """How many open opinions the agency holds now (the dashboard's "still open")."""
        return await self.store.count(OPINIONS, {"agency_code": agency_code, "status": "open"})

    async def account(self, username: str) -> Doc | None:
        return await self.store.get(ACCOUNTS, username)


T = TypeVar("T")
Decide = Callable[[str, Doc | None, list[T]], Awaitable[Outcome[None]]]
Run = Callable[[Callable[[], Awaitable[Outcome[None]]], str], Awaitable[object]]


class Lanes(Generic[T]):
    """The events of one opinion applied in their arrival order, one commit at a time, those that
    waited together.

    An opinion's events reach the portal through four consumers almost at once (intake publishes
    ``received`` and ``classified`` together). Applied concurrently, each loaded the same version and
    all but one lost the optimistic save and were decided again (in the benchmark, a third of the
    opinions in the pipeline, nearly every one when the portal reads a backlog). In a lane, an event arriving
    while another of its opinion is being decided or committed waits; the ones that waited are then
    applied together: one load, one save. The version check of the save still guards against
    another replica's change (the unit of work decides again on the fresh record). ``apply``
    returns once the commit holding its event is confirmed (its message is acked after that), or
    raises that commit's failure.
    """

    def __init__(self, run: Run, load: Callable[[str], Awaitable[Doc | None]], decide: Decide[T]) -> None:
        self._run = run
        self._load = load
        self._decide = decide
        self._waiting: dict[str, list[tuple[T, asyncio.Future[None]]]] = {}

    async def apply(self, key: str, item: T) -> None:
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        waiting = self._waiting.get(key)
        if waiting is not None:  # another event of this opinion leads the lane: it applies this one too
            waiting.append((item, done))
            return await done
        self._waiting[key] = waiting = [(item, done)]
        turn: list[tuple[T, asyncio.Future[None]]] = []
        try:
            await asyncio.sleep(0)  # the other events of this loop turn join the first commit
            while waiting:
                turn, waiting[:] = list(waiting), []
                try:
                    await self._commit(key, [i for i, _ in turn])
                except Exception as exc:
                    for _, future in turn:
                        if not future.done():
                            future.set_exception(exc)
                else:
                    for _, future in turn:
                        if not future.done():
                            future.set_result(None)
        finally:
            del self._waiting[key]
            for _, future in [*turn, *waiting]:  # cancelled meanwhile: their messages come back
                if not future.done():
                    future.cancel()
        return await done

    async def _commit(self, key: str, items: list[T]) -> None:
        async def decide() -> Outcome[None]:
            return await self._decide(key, await self._load(key), items)

        await self._run(decide, f"the record of opinion {key}")
