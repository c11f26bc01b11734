"""The officials' console's pure pieces: accounts, sessions, the login limit, the inbox, the handlers."""

from __future__ import annotations

import asyncio
import datetime as dt
import threading
import time
from typing import Literal

import pytest
from argon2 import PasswordHasher, extract_parameters
from argon2.exceptions import VerifyMismatchError

from services.portal import handlers
from services.portal.adapters import sessions
from services.portal.adapters.passwords import Passwords, unmatchable
from services.portal.deps import Deps
from services.portal.domain import accounts
from services.portal.domain.inbox import inbox, review_queue, urgency
from services.portal.domain.opinion import Recorded, record
from services.portal.domain.steps import Step
from services.portal.domain.throttle import LoginLimit
from shared.contracts.portal_commands import AddUser, DisableUser, ResetPassword, Role
from shared.errors import DomainError
from tests.fakes import InMemoryStore

pytestmark = pytest.mark.unit
T0 = dt.datetime(2026, 11, 20, 1, 0, tzinfo=dt.UTC)
SECRET = b"a-session-secret-for-this-test"


class FakePasswords:
    """Reversible "hashes": enough to see the handler stores the hash and never the password."""

    async def hash(self, password: str) -> str:
        return "fake$" + password[::-1]

    async def verify(self, stored: str | None, password: str) -> bool:
        return stored == "fake$" + password[::-1]


def deps() -> Deps:
    return Deps(store=InMemoryStore(), passwords=FakePasswords(), clock=lambda: T0)


def test_an_officer_or_a_head_needs_a_scope_and_an_admin_has_none() -> None:
    with pytest.raises(DomainError) as refused:
        accounts.new_account("lan", "Trần Thị Lan", Role.AGENCY_OFFICER, " ", "h", T0, None)
    admin = accounts.new_account("qt", "Quản trị", Role.ADMIN, "xa-dong-du", "h", T0, None)

    assert refused.value.code == "scope_required"
    assert "mã cơ quan" in refused.value.message
    assert admin["scope"] == ""


def test_disabling_or_resetting_moves_the_generation_on_so_open_sessions_end() -> None:
    doc = accounts.new_account("lan", "Trần Thị Lan", Role.AGENCY_OFFICER, "hn-sgddt", "h1", T0, None)
    signed_in = accounts.official(doc, 1)
    reset = accounts.reset(doc, "h2", T0)
    disabled = accounts.disabled(reset, T0)

    assert signed_in is not None
    assert signed_in.by == "Trần Thị Lan (lan)"
    assert accounts.official(reset, 1) is None
    assert accounts.official(reset, 2) is not None
    assert disabled is not None
    assert accounts.official(disabled, disabled["generation"]) is None
    assert accounts.disabled(disabled, T0) is None  # a second disable changes nothing


async def test_the_account_handlers_store_the_hash_refuse_a_taken_name_and_never_answer_the_hash() -> None:
    d = deps()
    added = await handlers.add_user(d, AddUser(username="lan", display_name="Trần Thị Lan",
                                               role=Role.AGENCY_OFFICER, scope="hn-sgddt", password="mat-khau-dai-1"))  # fmt: skip
    await d.store.insert("accounts", dict(added.changes[0].doc))
    with pytest.raises(DomainError) as taken:
        await handlers.add_user(d, AddUser(username="lan", display_name="Khác", role=Role.HEAD, scope="ha-nam",
                                           password="mat-khau-dai-2"))  # fmt: skip
    reset = await handlers.reset_password(d, ResetPassword(username="lan", password="mat-khau-moi-3"))
    with pytest.raises(DomainError) as unknown:
        await handlers.disable_user(d, DisableUser(username="khong-co"))

    doc = added.changes[0].doc
    assert doc["password_hash"] == "fake$1-iad-uahk-tam"
    assert "mat-khau-dai-1" not in str(doc)
    assert "password_hash" not in str(added.reply)
    assert taken.value.code == "account_exists"
    assert reset.changes[0].doc["generation"] == 2
    assert unknown.value.code == "unknown_account"


def test_a_session_cookie_is_refused_when_forged_expired_or_malformed() -> None:
    cookie = sessions.issue(SECRET, "lan.sgddt", 3, now=1000.0, seconds=60)
    session = sessions.read(SECRET, cookie, now=1030.0)

    assert session is not None
    assert (session.username, session.generation) == ("lan.sgddt", 3)
    assert sessions.read(SECRET, cookie, now=1061.0) is None  # expired
    assert sessions.read(b"another-secret", cookie, now=1030.0) is None  # forged
    assert sessions.read(SECRET, cookie.replace(".3.", ".4.", 1), now=1030.0) is None  # another generation
    assert sessions.read(SECRET, "a.b.c", now=1030.0) is None


def test_a_form_token_is_accepted_only_by_the_session_it_was_given_to() -> None:
    mine = sessions.read(SECRET, sessions.issue(SECRET, "lan", 1, 0.0, 60), 1.0)
    theirs = sessions.read(SECRET, sessions.issue(SECRET, "lan", 1, 0.0, 60), 1.0)
    assert mine is not None
    assert theirs is not None
    token = sessions.form_token(SECRET, mine)

    assert sessions.form_nonce(SECRET, mine, token) == token.split(".")[0]
    assert sessions.form_nonce(SECRET, theirs, token) is None
    assert sessions.form_nonce(SECRET, mine, None) is None
    assert sessions.form_nonce(SECRET, mine, token[:-2] + "xx") is None


def test_failed_logins_block_a_username_and_an_address_and_a_success_clears_only_the_username() -> None:
    limit = LoginLimit(limit=2, window=60.0)
    limit.failed(["user:lan", "address:10.0.0.1"], 0.0)
    limit.failed(["user:lan", "address:10.0.0.2"], 1.0)

    assert limit.blocked(["user:lan", "address:10.0.0.9"], 2.0)  # the username, from anywhere
    assert not limit.blocked(["user:hung", "address:10.0.0.1"], 2.0)
    assert not limit.blocked(["user:lan", "address:10.0.0.9"], 61.5)  # the oldest failure left the window
    limit.failed(["user:a", "address:10.0.0.3"], 100.0)
    limit.failed(["user:b", "address:10.0.0.3"], 101.0)
    assert limit.blocked(["user:c", "address:10.0.0.3"], 102.0)  # the address, whatever the username
    limit.succeeded("user:c")
    assert limit.blocked(["user:c", "address:10.0.0.3"], 102.0)


def test_due_soon_and_overdue_are_said_in_words() -> None:
    today = dt.date(2026, 12, 1)
    assert urgency(dt.date(2026, 11, 28), today, 3) == ("overdue", "Quá hạn 3 ngày")
    assert urgency(today, today, 3) == ("due_soon", "Đến hạn hôm nay")
    assert urgency(dt.date(2026, 12, 3), today, 3) == ("due_soon", "Sắp đến hạn (còn 2 ngày)")
    assert urgency(dt.date(2026, 12, 10), today, 3) == ("", "")


def doc_of(
    opinion_id: str, agency: str, *kinds: str, deadline: dt.date = dt.date(2026, 12, 18)
) -> dict[str, object]:
    doc = None
    for n, kind in enumerate(kinds):
        facts = {"tracking_code": f"DT-{opinion_id}", "agency_code": agency, "unit_code": "ha-nam"}
        step = Step(f"{opinion_id}-{n}", kind, T0 + dt.timedelta(hours=n), deadline=deadline)
        doc = record(opinion_id, doc, Recorded(f"{opinion_id}-{n}", step.at, facts, step)) or doc
    assert doc is not None
    return doc


def test_the_inbox_lists_the_agency_s_open_opinions_by_deadline_and_the_queue_the_answered_ones() -> None:
    today = dt.date(2026, 12, 1)
    docs = [
        doc_of("late", "hn-sgddt", "assigned", deadline=dt.date(2026, 12, 20)),
        doc_of("soon", "hn-sgddt", "assigned", "answered", "returned", deadline=dt.date(2026, 12, 2)),
        doc_of("waiting", "hn-sgddt", "assigned", "answered"),
        doc_of("done", "hn-sgddt", "assigned", "answered", "published"),
        doc_of("other", "hn-syt", "assigned"),
    ]
    rows = inbox(docs, "hn-sgddt", today, 3)
    queue = review_queue(docs, "ha-nam", today, 3)

    assert [r.code for r in rows] == ["DT-soon", "DT-waiting", "DT-late"]
    assert rows[0].stage_name == "Bị trả lại, cần trả lời lại"
    assert rows[0].urgency_text == "Sắp đến hạn (còn 1 ngày)"
    assert [r.code for r in queue] == ["DT-waiting"]


class CountingHasher(PasswordHasher):
    """argon2-cffi's hasher with cheap parameters, counting the verifications it does."""

    def __init__(self) -> None:
        super().__init__(time_cost=1, memory_cost=8, parallelism=1)
        self.verified = 0
        self.hashed = 0

    def hash(self, password: str | bytes, *, salt: bytes | None = None) -> str:
        self.hashed += 1
        return super().hash(password, salt=salt)

    def verify(self, hash: str | bytes, password: str | bytes) -> Literal[True]:
        self.verified += 1
        return super().verify(hash, password)


async def test_an_unknown_username_costs_one_argon2_verification_like_a_known_one() -> None:
    hasher = CountingHasher()
    passwords = Passwords(hasher)
    stored = await passwords.hash("mat-khau-dung-1")

    assert stored.startswith("$argon2id$")
    assert await passwords.verify(stored, "mat-khau-dung-1")
    assert not await passwords.verify(stored, "sai")
    assert not await passwords.verify(None, "mat-khau-dung-1")  # no account: a dummy hash is verified
    assert hasher.verified == 3


def test_the_unknown_users_dummy_hash_has_the_hashers_parameters_and_matches_no_password() -> None:
    hasher = CountingHasher()
    Passwords(hasher)
    dummy = unmatchable(hasher)

    assert hasher.hashed == 0  # nothing hashed at start-up: the memory cost is paid only on a login
    assert extract_parameters(dummy) == extract_parameters(hasher.hash("mat-khau-dung-1"))
    with pytest.raises(VerifyMismatchError):  # a well-formed hash that fails, not an invalid one
        hasher.verify(dummy, "not-a-password-of-anyone")
    assert unmatchable(hasher) != dummy  # a salt of its own each time


class OverlapHasher(CountingHasher):
    """Records how many verifications run at the same moment (each holds its thread a little)."""

    def __init__(self) -> None:
        super().__init__()
        self.lock = threading.Lock()
        self.running = 0
        self.most = 0

    def verify(self, hash: str | bytes, password: str | bytes) -> Literal[True]:
        with self.lock:
            self.running += 1
            self.most = max(self.most, self.running)
        try:
            time.sleep(0.05)
            return super().verify(hash, password)
        finally:
            with self.lock:
                self.running -= 1


async def test_a_burst_of_logins_runs_at_most_the_hashing_threads_argon2_calls_at_once() -> None:
    hasher = OverlapHasher()
    passwords = Passwords(hasher, threads=2)
    stored = hasher.hash("mat-khau-dung-1")

    answers = await asyncio.gather(*(passwords.verify(stored, "mat-khau-dung-1") for _ in range(8)))

    assert answers == [True] * 8
    assert hasher.verified == 8
    assert hasher.most <= 2  # the default executor would have run up to six at once (64 MiB each)
