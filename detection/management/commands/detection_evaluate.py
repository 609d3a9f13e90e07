"""`manage.py detection_evaluate [--set carer|medical|orientation] [--half development|held_out]`:
precision, recall, F1 (and accuracy) with 95 % Wilson intervals, per language and overall, of the
detectors on the blind labelled sets (detection.evaluation)."""

from django.core.management.base import BaseCommand

from detection.evaluation import HALVES, SETS, evaluate


def _figure(value, interval) -> str:
    if value is None:
        return "   —                "
    low, high = interval
    return f"{value:5.3f} [{low:4.2f}–{high:4.2f}]"


class Command(BaseCommand):
    help = "Scores of the detectors on the blind labelled sets (tests/detection/blind)."

    def add_arguments(self, parser):
        parser.add_argument("--set", choices=SETS, action="append", dest="sets")
        parser.add_argument("--half", choices=HALVES, default="development")
        parser.add_argument(
            "--errors",
            action="store_true",
            help="List the misclassified cases (development half only).",
        )

    def handle(self, *args, sets=None, half="development", errors=False, **options):
        for set_name in sets or SETS:
            self.stdout.write(f"\n{set_name} — {half} half (95 % Wilson intervals)")
            self.stdout.write(
                "lang    n  TP  FP  FN  TN  precision             recall                "
                "F1                    accuracy"
            )
            for language, scores in evaluate(set_name, half).items():
                self.stdout.write(
                    f"{language:4} {scores.total:4} {scores.true_positives:3} "
                    f"{scores.false_positives:3} {scores.false_negatives:3} "
                    f"{scores.true_negatives:3}  "
                    + "  ".join(
                        _figure(getattr(scores, measure), scores.interval(measure))
                        for measure in ("precision", "recall", "f1", "accuracy")
                    )
                )
            if errors and half == "development":
                from detection.evaluation import predictions

                for case, expected, predicted in predictions(set_name, half):
                    if expected != predicted:
                        kind = "FN" if expected else "FP"
                        self.stdout.write(f"  {kind} {case['id']}: {case['description']}")
