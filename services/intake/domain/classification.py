"""Sorting opinions into fields (lĩnh vực) by configurable Vietnamese phrases.

Matching runs on folded text (see ``text.fold``), so accents are optional for the writer. Every
occurrence of a phrase claims a span of words; where spans overlap, the longer phrase keeps the span
(then the earlier one). This is what lets "đất nông nghiệp" count for land and not also for
agriculture, and "phó bí thư chi bộ" count for staff posts and not for Party building. A field scores
the number of words its phrases claimed, so longer phrases weigh more; ties go to the higher
``priority``, then to the smaller code, so the result never depends on file order.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from services.intake.domain.text import tokens
from shared.errors import DomainError

__all__ = ["UNCLASSIFIED", "Classification", "FieldRule", "RuleSet", "classify"]

UNCLASSIFIED = "unclassified"
UNCLASSIFIED_NAME = "Chưa phân loại"


@dataclass(frozen=True)
class FieldRule:
    """One field: its code, Vietnamese name, phrases and tie-break priority."""

    code: str
    name: str
    phrases: tuple[str, ...]
    priority: int = 0


@dataclass(frozen=True)
class Classification:
    """The chosen field, its score and the phrases that decided it (kept in the history)."""

    field: str
    score: int
    matched: tuple[str, ...] = ()

    @property
    def reason(self) -> str:
        if not self.matched:
            return "không khớp cụm từ nào"
        return "khớp: " + ", ".join(self.matched)


@dataclass(frozen=True)
class _Hit:
    start: int
    end: int
    code: str
    phrase: str


@dataclass(frozen=True)
class RuleSet:
    """The fields an opinion can be sorted into, as loaded from the rules file."""

    fields: tuple[FieldRule, ...]
    # Patterns indexed by their first word: one dictionary lookup per word of a 10,000-character text.
    _by_first: dict[str, list[tuple[tuple[str, ...], str, str]]] = field(
        init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        codes = [rule.code for rule in self.fields]
        if len(set(codes)) != len(codes) or UNCLASSIFIED in codes:
            raise ValueError("field codes must be unique and must not be 'unclassified'")
        by_first: dict[str, list[tuple[tuple[str, ...], str, str]]] = {}
        for rule in self.fields:
            for phrase in rule.phrases:
                pattern = tokens(phrase)
                if pattern:
                    by_first.setdefault(pattern[0], []).append((pattern, rule.code, phrase))
        object.__setattr__(self, "_by_first", by_first)

    @property
    def codes(self) -> tuple[str, ...]:
        """Every valid field code, ``unclassified`` included."""
        return (*sorted(rule.code for rule in self.fields), UNCLASSIFIED)

    def names(self) -> Mapping[str, str]:
        """Vietnamese name per field code."""
        return {**{rule.code: rule.name for rule in self.fields}, UNCLASSIFIED: UNCLASSIFIED_NAME}

    def require(self, code: str) -> str:
        """``code`` when it is a valid field; otherwise a refusal listing the valid codes."""
        if code in self.codes:
            return code
        raise DomainError(
            "unknown_field_code",
            f"Lĩnh vực “{code}” không tồn tại; hãy chọn một trong các mã: {', '.join(self.codes)}.",
        )

    def hits(self, text: str) -> list[_Hit]:
        words = tokens(text)
        found: list[_Hit] = []
        for start, word in enumerate(words):
            for pattern, code, phrase in self._by_first.get(word, ()):
                if words[start : start + len(pattern)] == pattern:
                    found.append(_Hit(start, start + len(pattern), code, phrase))
        return found


def _claim(hits: Iterable[_Hit], priorities: Mapping[str, int]) -> list[_Hit]:
    """Longest phrase keeps an overlapping span; then the earlier one; then the higher priority."""
    order = sorted(hits, key=lambda h: (-(h.end - h.start), h.start, -priorities[h.code], h.code))
    taken: set[int] = set()
    kept: list[_Hit] = []
    for hit in order:
        span = set(range(hit.start, hit.end))
        if span & taken:
            continue
        taken |= span
        kept.append(hit)
    return sorted(kept, key=lambda h: h.start)


def classify(text: str, rules: RuleSet) -> Classification:
    """The field of ``text`` under ``rules``; ``unclassified`` when no phrase matches."""
    priorities = {rule.code: rule.priority for rule in rules.fields}
    kept = _claim(rules.hits(text), priorities)
    if not kept:
        return Classification(UNCLASSIFIED, 0)
    scores: dict[str, int] = {}
    for hit in kept:
        scores[hit.code] = scores.get(hit.code, 0) + hit.end - hit.start
    best = min(scores, key=lambda code: (-scores[code], -priorities[code], code))
    matched = tuple(dict.fromkeys(hit.phrase for hit in kept if hit.code == best))
    return Classification(best, scores[best], matched)
