"""The rules table itself: pure Python, every rule cited, dates and facts as the seeds state."""

import ast
import json
from datetime import date
from decimal import Decimal
from pathlib import Path

from carers.engine import FACTS, RULES, RULES_VERSION, evaluate
from carers.engine.sources import SEED_FILES
from tests.carers.factories import AnswersFactory

ENGINE_DIR = Path(__file__).resolve().parents[2] / "carers" / "engine"


def test_the_engine_imports_nothing_from_django():
    for module in ENGINE_DIR.glob("*.py"):
        tree = ast.parse(module.read_text())
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            for name in names:
                assert not name.startswith(("django", "rest_framework")), (module.name, name)


def test_every_rule_and_criterion_cites_a_seed_document_and_has_a_date():
    cited = [*RULES, *(criterion for rule in RULES for criterion in rule.criteria), *FACTS]
    for item in cited:
        assert item.sources, item
        for source in item.sources:
            assert source.seed_file in SEED_FILES.values()
            assert source.locator
        assert date(2014, 5, 12) <= item.effective <= date(2024, 9, 19)


def test_the_rules_version_is_the_date_of_the_most_recent_source():
    assert RULES_VERSION == "2024-09-19"
    assert evaluate({}).rules_version == RULES_VERSION


def test_the_leave_facts_are_those_of_the_guide():
    leave = evaluate(AnswersFactory()).as_dict()["leave"]
    assert leave["eligible"] is True
    assert leave["per_cared_for_person"] is True
    assert leave["full_time_max_months"] == 3
    assert leave["part_time_max_months"] == 6
    assert leave["part_time_forms"] == ["half_time", "one_fifth"]
    assert leave["written_notice_days"] == 7
    allowance = leave["allowance"]
    # "1.017,77 € bruts par mois (montant valable depuis le 1er mai 2024, indexable)"
    assert Decimal(allowance["monthly_gross_eur"]) == Decimal("1017.77")
    assert allowance["valid_from"] == "2024-05-01"
    assert allowance["payer"] == "ONEM"
    assert allowance["indexed"] is True


def test_next_steps_name_the_mutuality_the_sworn_statement_the_limit_and_the_renewal():
    steps = {step.code: step for step in evaluate(AnswersFactory()).next_steps}
    assert list(steps) == [
        "apply_at_own_mutuality",
        "sworn_statement",
        "recognised_from_signature",
        "max_recognised_carers",
        "yearly_renewal",
        "report_changes",
        "request_leave",
    ]
    assert steps["sworn_statement"].params == {"days": 30}
    assert steps["max_recognised_carers"].params == {"limit": 3}
    for step in steps.values():
        assert step.sources


def test_no_procedure_is_suggested_when_general_recognition_is_ruled_out():
    outcome = evaluate(AnswersFactory(carer__resides_in_belgium=False))
    assert outcome.next_steps == ()


def test_no_yearly_renewal_step_when_social_rights_are_ruled_out():
    outcome = evaluate(AnswersFactory(carer__hours_per_month=1, carer__hours_per_year=12))
    codes = [step.code for step in outcome.next_steps]
    assert "yearly_renewal" not in codes
    assert "apply_at_own_mutuality" in codes


def test_the_outcome_is_plain_json():
    stored = evaluate(AnswersFactory()).as_dict()
    assert json.loads(json.dumps(stored)) == stored
