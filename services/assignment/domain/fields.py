"""Fields (lĩnh vực), opinion kinds and levels shared by routing, deadlines and documents.

Levels stay plain strings: the administrative tree changed in 2025 (the district level was
abolished) and historical records keep the level they had, so the set of levels is data, not code.
"""

from __future__ import annotations

from enum import StrEnum


class Field(StrEnum):
    """The field of an opinion; the codes are shared with intake's classifier."""

    PARTY_BUILDING = "party_building"
    ORGANISATION_STAFF = "organisation_staff"
    LABOUR_JOBS = "labour_jobs"
    LAND = "land"
    PLANNING = "planning"
    AGRICULTURE = "agriculture"
    EDUCATION = "education"
    HEALTH_INSURANCE = "health_insurance"
    CULTURE_RELICS = "culture_relics"
    YOUTH_MILITARY = "youth_military"
    CYBER_SECURITY = "cyber_security"
    TRANSPORT = "transport"
    ENVIRONMENT = "environment"
    SOCIAL_POLICY = "social_policy"
    UNCLASSIFIED = "unclassified"


class OpinionKind(StrEnum):
    """ý kiến, kiến nghị, đề xuất, phản ánh."""

    OPINION = "opinion"
    RECOMMENDATION = "recommendation"
    PROPOSAL = "proposal"
    FEEDBACK = "feedback"


ANY = "*"
