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
    event_id_for,
    event_to_doc,
)
from .grouping import GroupCandidate, GroupingPolicy, TopicGroup, assign_group, group_opinions, similarity
from .model import Channel, HistoryEntry, OpinionKind, SubmitOpinion, Submitter, SubmitterRole
from .opinion import Opinion
from .receiving import IntakePolicy, receive_opinion
from .rejection import rejection_for
from .submission import DEFAULT_MAX_CONTENT, check_content, validate_submission
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
    "check_content",
    "classify",
    "event_id_for",
    "event_to_doc",
    "fold",
    "group_opinions",
    "normalise",
    "opinion_id_for",
    "receive_opinion",
    "rejection_for",
    "similarity",
    "tracking_code_for",
    "validate_submission",
    "validate_tracking_code",
]
