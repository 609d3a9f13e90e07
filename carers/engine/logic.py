"""Conditions over answers, evaluated in three-valued (Kleene) logic.

An answer that was not given is *unknown*, not false. Every condition evaluates to True,
False or None (unknown):

- a leaf on an unanswered question is None; on an answered one, True or False;
- `AllOf` is False as soon as one part is False, True when all parts are True, else None;
- `AnyOf` is True as soon as one part is True, False when all parts are False, else None.

These connectives are monotone: answering a question can only turn None into True or False,
never True into False or back. So an outcome that is already decided (likely or unlikely)
cannot be overturned by a later answer, which is exactly the promise the assessment makes.

`open_questions` gives the unanswered questions that could still change a condition's value:
none when the value is decided; otherwise the open questions of the undecided parts (a part
that is already True inside an `AllOf`, or False inside an `AnyOf`, can no longer matter).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

Answers = Mapping[str, Any]
"""Answers keyed by dotted path ("carer.hours_per_month"); an absent key is unknown."""

Truth = bool | None


class Condition:
    """Base of every condition: subclasses define `evaluate` and `questions`."""

    def evaluate(self, answers: Answers) -> Truth:
        raise NotImplementedError

    def questions(self) -> tuple[str, ...]:
        """Every question (dotted path) this condition reads, in order, without duplicates."""
        raise NotImplementedError

    def open_questions(self, answers: Answers) -> tuple[str, ...]:
        """Unanswered questions whose answer could still change this condition's value."""
        raise NotImplementedError


@dataclass(frozen=True)
class Leaf(Condition):
    """A test on one answer. Unanswered → None."""

    question: str

    def test(self, value: Any) -> bool:
        raise NotImplementedError

    def evaluate(self, answers: Answers) -> Truth:
        value = answers.get(self.question)
        if value is None:
            return None
        return bool(self.test(value))

    def questions(self) -> tuple[str, ...]:
        return (self.question,)

    def open_questions(self, answers: Answers) -> tuple[str, ...]:
        return (self.question,) if answers.get(self.question) is None else ()


@dataclass(frozen=True)
class IsTrue(Leaf):
    """A yes/no question answered yes."""

    def test(self, value: Any) -> bool:
        return value is True


@dataclass(frozen=True)
class AtLeast(Leaf):
    """A number at or above a threshold."""

    threshold: float = 0

    def test(self, value: Any) -> bool:
        return value >= self.threshold


@dataclass(frozen=True)
class AtMost(Leaf):
    """A number at or below a threshold."""

    threshold: float = 0

    def test(self, value: Any) -> bool:
        return value <= self.threshold


@dataclass(frozen=True)
class Below(Leaf):
    """A number strictly below a threshold."""

    threshold: float = 0

    def test(self, value: Any) -> bool:
        return value < self.threshold


@dataclass(frozen=True)
class OneOf(Leaf):
    """A choice among listed values."""

    values: frozenset = frozenset()

    def test(self, value: Any) -> bool:
        return value in self.values


def _unique(paths) -> tuple[str, ...]:
    return tuple(dict.fromkeys(paths))


@dataclass(frozen=True)
class _Combination(Condition):
    """Several conditions joined by three-valued AND or OR (Kleene logic)."""

    parts: tuple[Condition, ...]

    def questions(self) -> tuple[str, ...]:
        return _unique(path for part in self.parts for path in part.questions())

    def open_questions(self, answers: Answers) -> tuple[str, ...]:
        # Only parts still unknown can change the outcome, and only while it is unknown.
        if self.evaluate(answers) is not None:
            return ()
        return _unique(
            path
            for part in self.parts
            if part.evaluate(answers) is None
            for path in part.open_questions(answers)
        )


@dataclass(frozen=True)
class AllOf(_Combination):
    def evaluate(self, answers: Answers) -> Truth:
        values = [part.evaluate(answers) for part in self.parts]
        if False in values:
            return False
        if None in values:
            return None
        return True


@dataclass(frozen=True)
class AnyOf(_Combination):
    def evaluate(self, answers: Answers) -> Truth:
        values = [part.evaluate(answers) for part in self.parts]
        if True in values:
            return True
        if None in values:
            return None
        return False


def all_of(*parts: Condition) -> AllOf:
    return AllOf(tuple(parts))


def any_of(*parts: Condition) -> AnyOf:
    return AnyOf(tuple(parts))
