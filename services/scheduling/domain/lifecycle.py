"""The conference state machine as one explicit table: state -> command -> next state."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType

from services.scheduling.domain.values import ConferenceState as S
from shared.errors import Conflict


class Action(StrEnum):
    """Commands that change a conference's state (planning creates it, so it is not here)."""

    ANNOUNCE = "announce"
    RESCHEDULE = "reschedule"
    POSTPONE = "postpone"
    HOLD = "hold"
    CONCLUDE = "conclude"
    CLOSE = "close"
    CANCEL = "cancel"

    @property
    def label(self) -> str:
        return _ACTION_LABELS[self]


_ACTION_LABELS = {
    Action.ANNOUNCE: "công bố",
    Action.RESCHEDULE: "đổi lịch",
    Action.POSTPONE: "tạm hoãn",
    Action.HOLD: "ghi nhận đã tổ chức",
    Action.CONCLUDE: "ban hành kết luận",
    Action.CLOSE: "đóng hồ sơ",
    Action.CANCEL: "hủy",
}

# Rescheduling a postponed conference returns it to the state it was postponed from (planned or
# announced); the table records POSTPONED as a marker and the aggregate resolves it.
RETURN_FROM_POSTPONEMENT = S.POSTPONED

TRANSITIONS: Mapping[S, Mapping[Action, S]] = MappingProxyType(
    {
        S.PLANNED: {
            Action.ANNOUNCE: S.ANNOUNCED,
            Action.RESCHEDULE: S.PLANNED,
            Action.POSTPONE: S.POSTPONED,
            Action.CANCEL: S.CANCELLED,
        },
        # Holding requires the public notice, so there is no planned -> held shortcut.
        S.ANNOUNCED: {
            Action.RESCHEDULE: S.ANNOUNCED,
            Action.POSTPONE: S.POSTPONED,
            Action.HOLD: S.HELD,
            Action.CANCEL: S.CANCELLED,
        },
        S.POSTPONED: {
            Action.RESCHEDULE: RETURN_FROM_POSTPONEMENT,
            Action.CANCEL: S.CANCELLED,
        },
        S.HELD: {Action.CONCLUDE: S.CONCLUDED},
        S.CONCLUDED: {Action.CLOSE: S.CLOSED},
        S.CLOSED: {},
        S.CANCELLED: {},
    }
)


def allowed_actions(state: S) -> list[Action]:
    """The actions allowed from ``state``, in the table's order."""
    return list(TRANSITIONS[state])


def next_state(state: S, action: Action) -> S:
    """The state after ``action``; refused with the allowed actions listed when illegal."""
    target = TRANSITIONS[state].get(action)
    if target is None:
        allowed = allowed_actions(state)
        tail = (
            "từ trạng thái này chỉ được: " + ", ".join(a.label for a in allowed) + "."
            if allowed
            else "hội nghị ở trạng thái này không thể thay đổi nữa."
        )
        raise Conflict(
            "illegal_transition",
            f"Không thể {action.label} hội nghị đang ở trạng thái '{state.label}'; {tail}",
        )
    return target
