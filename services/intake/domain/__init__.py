"""The intake domain: opinions, tracking codes, classification, topics, acknowledgement deadlines.

Pure Python: no I/O, no clock (instants are passed in), no messaging or storage imports.
"""

from .acknowledgement import ACKNOWLEDGEMENT_RULE, DeadlineRule, acknowledgement_due
from .classification import UNCLASSIFIED, Classification, FieldRule, RuleSet, classify
from .events import (
    AcknowledgementDue,
    DomainEvent,
    OpinionClassified,
    OpinionGrouped,
    OpinionReceived,
    OpinionReclassified,
    OpinionRejected,
    event_to_doc,
)
from .grouping import (
    GroupCandidate,
    GroupingPolicy,
    TopicGroup,
    assign_group,
    candidate,
    group_opinions,
    similarity,
    topics_of,
)
from .model import Channel, HistoryEntry, OpinionKind, SubmitOpinion, Submitter, SubmitterRole
from .opinion import Opinion
from .receiving import IntakePolicy, receive_opinion
from .rejection import rejection_for
from .reports import build_report, utc_bounds
from .submission import DEFAULT_MAX_CONTENT, check_content, check_email, check_phone, require_source
from .text import fold, normalise
from .tracking import opinion_id_for, tracking_code_for, validate_tracking_code

__all__ = [
    "ACKNOWLEDGEMENT_RULE",
    "DEFAULT_MAX_CONTENT",
    "UNCLASSIFIED",
    "AcknowledgementDue",
    "Channel",
    "Classification",
    "DeadlineRule",
    "DomainEvent",
    "FieldRule",
    "GroupCandidate",
    "GroupingPolicy",
    "HistoryEntry",
    "IntakePolicy",
    "Opinion",
    "OpinionClassified",
    "OpinionGrouped",
    "OpinionKind",
    "OpinionReceived",
    "OpinionReclassified",
    "OpinionRejected",
    "RuleSet",
    "SubmitOpinion",
    "Submitter",
    "SubmitterRole",
    "TopicGroup",
    "acknowledgement_due",
    "assign_group",
    "build_report",
    "candidate",
    "check_content",
    "check_email",
    "check_phone",
    "classify",
    "event_to_doc",
    "fold",
    "group_opinions",
    "normalise",
    "opinion_id_for",
    "receive_opinion",
    "rejection_for",
    "require_source",
    "similarity",
    "topics_of",
    "tracking_code_for",
    "utc_bounds",
    "validate_tracking_code",
]
