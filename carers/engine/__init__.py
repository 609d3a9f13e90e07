"""The carer-recognition assessment engine: pure Python, no Django.

    from carers.engine import evaluate
    outcome = evaluate({"carer": {...}, "cared_for": {...}})
    outcome.general.status      # "likely" | "unlikely" | "incomplete"
    outcome.as_dict()           # codes, parameters and sources, ready to store as JSON

Rules are data (carers.engine.rules), each with its source in the seed documents and the date
of the wording it encodes; conditions are evaluated in three-valued logic (carers.engine.logic)
so that an answered question never overturns a decided status.
"""

from carers.engine.evaluate import (
    INCOMPLETE,
    LIKELY,
    UNLIKELY,
    Message,
    Outcome,
    evaluate,
    evaluate_flat,
)
from carers.engine.questions import EMPLOYMENT_CHOICES, KATZ_PACKAGES, QUESTION_PATHS, flatten
from carers.engine.rules import FACTS, RULES, RULES_VERSION

__all__ = [
    "EMPLOYMENT_CHOICES",
    "FACTS",
    "INCOMPLETE",
    "KATZ_PACKAGES",
    "LIKELY",
    "QUESTION_PATHS",
    "RULES",
    "RULES_VERSION",
    "UNLIKELY",
    "Message",
    "Outcome",
    "evaluate",
    "evaluate_flat",
    "flatten",
]
