"""Intake as its submissions consumer runs it, for the tests of opinions in flight: concurrent
handlers, a batched unit of work, each message's ``Reservations`` scope around its handler."""

from __future__ import annotations

from collections.abc import Sequence

from services.intake import handlers
from services.intake.adapters.repository import OPINIONS, ensure_indexes
from services.intake.adapters.rules_file import load_rules
from services.intake.deps import Deps
from services.intake.handlers import Submitted
from shared import conference_snapshot, refusals
from shared.contracts.base import Event
from shared.contracts.intake_commands import SubmitDeskOpinion
from shared.errors import TransientError
from shared.storage.port import Doc
from shared.unit_of_work import UnitOfWork
from tests.fakes import InMemoryStore
from tests.unit.intake.intake_handler_support import CONFERENCE, NOW, SNAPSHOT, payload, raw

LAND = "Đề nghị sớm có văn bản hướng dẫn quy trình đấu giá đất nông nghiệp sử dụng vào mục đích công ích."
LAND_AGAIN = "Đề nghị có hướng dẫn quy trình đấu giá đất nông nghiệp công ích sớm."
ROAD = "Đường liên thôn Đồng Du xuống cấp nghiêm trọng, đề nghị sớm đầu tư nâng cấp, sửa chữa."
ROAD_AGAIN = "Đề nghị sớm sửa chữa, nâng cấp đường liên thôn Đồng Du đã xuống cấp nghiêm trọng."
SCHOOL = "Đề nghị xây thêm phòng học cho trường mầm non xã Đồng Du, các cháu đang học nhờ nhà văn hóa."

CONTENTS = [LAND, ROAD, LAND_AGAIN, SCHOOL, ROAD_AGAIN, LAND, SCHOOL + " Gấp.", ROAD]


class Replica:
    """One intake process: its own topics cache, and a unit of work committing batches as the host."""

    def __init__(self, store: InMemoryStore, batch_size: int = 16) -> None:
        self.store = store
        self.deps = Deps(store=store, rules=load_rules(), known_sources=frozenset({"demo-portal"}))
        self.published: list[Event] = []
        self.commits: list[int] = []  # outcomes confirmed by each commit
        self.failing_publishes = 0
        self.uow = UnitOfWork(
            lambda: store, self._publish, batch_size=batch_size, observe_batch=self.commits.append
        )

    async def _publish(self, events: Sequence[Event]) -> None:
        if self.failing_publishes:
            self.failing_publishes -= 1
            raise TransientError("JetStream did not answer")
        self.published.extend(events)

    async def start(self) -> Replica:
        await ensure_indexes(self.store)
        await self.uow.commit([await conference_snapshot.keep(self.store, SNAPSHOT)])
        self.commits.clear()
        return self

    async def submit(self, external_id: str, content: str, key: str | None = None) -> Submitted:
        body = raw(payload(external_id, content=content))
        async with self.deps.topics.reservations(self.uow.open_batch) as reserved:
            result: Submitted = await self.uow.run(
                lambda: handlers.submit_external(
                    self.deps, reserved, "demo-portal", body, key=key or f"s:{external_id}", now=NOW
                ),
                batched=True,
            )
        return result

    async def desk(self, external_id: str, content: str) -> Submitted:
        command = refusals.parse(SubmitDeskOpinion, payload(external_id, content=content))
        async with self.deps.topics.reservations(self.uow.open_batch) as reserved:
            result: Submitted = await self.uow.run(
                lambda: handlers.submit_desk(self.deps, reserved, command, NOW), batched=True
            )
        return result


async def recorded(store: InMemoryStore) -> list[Doc]:
    """The conference's opinions, by sequence number."""
    docs = await store.find(OPINIONS, {"conference_id": CONFERENCE})
    return sorted(docs, key=lambda doc: int(doc["conference_seq"]))
