"""The intake domain: opinions, tracking codes, classification, topics, acknowledgement deadlines.

Pure Python: no I/O, no clock (instants are passed in), no messaging or storage imports.
"""

from services.intake.domain.acknowledgement import ACKNOWLEDGEMENT_RULE, DeadlineRule, acknowledgement_due
from services.intake.domain.classification import UNCLASSIFIED, Classification, FieldRule, RuleSet, classify
from services.intake.domain.events import (
    AcknowledgementDue,
    DomainEvent,
    OpinionClassified,
    OpinionGrouped,
    OpinionReceived,
    OpinionReclassified,
    OpinionRejected,
    event_to_doc,
)
from services.intake.domain.grouping import (
    GroupCandidate,
    GroupingPolicy,
    TopicGroup,
    assign_group,
    candidate,
    group_opinions,
    similarity,
    topics_of,
)
from services.intake.domain.model import (
    Channel,
    HistoryEntry,
    OpinionKind,
    SubmitOpinion,
    Submitter,
    SubmitterRole,
)
from services.intake.domain.opinion import Opinion
from services.intake.domain.receiving import IntakePolicy, receive_opinion
from services.intake.domain.rejection import rejection_for
from services.intake.domain.reports import build_report, utc_bounds
from services.intake.domain.submission import (
    DEFAULT_MAX_CONTENT,
    check_content,
    check_email,
    check_phone,
    require_source,
)
from services.intake.domain.text import fold, normalise
from services.intake.domain.tracking import opinion_id_for, tracking_code_for, validate_tracking_code

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
