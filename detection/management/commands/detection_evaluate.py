"""`manage.py detection_evaluate [--set carer|medical|orientation] [--set-version 1|2]
[--half development|held_out|all] [--errors]`: precision, recall, F1 (and accuracy) with 95 %
Wilson intervals, per language and overall, of the detectors on the blind labelled sets
(detection.evaluation).

Version 1 is development entirely (its held-out half was looked at twice): `--set-version 1 --half
all` scores all of it, and `--errors` lists its misclassified cases. Version 2's held-out half is
evaluated once, at the end, for the reported figures; `--errors` never lists it.
"""

from django.core.management.base import BaseCommand, CommandError

from detection.evaluation import HALVES, READABLE_HALVES, SETS, VERSIONS, evaluate, predictions


def _figure(value, interval) -> str:
    if value is None:
        return "   —                "
    low, high = interval
    return f"{value:5.3f} [{low:4.2f}–{high:4.2f}]"


class Command(BaseCommand):
    help = "Scores of the detectors on the blind labelled sets (tests/detection/blind)."

    def add_arguments(self, parser):
        parser.add_argument("--set", choices=SETS, action="append", dest="sets")
        parser.add_argument(
            "--set-version", type=int, choices=VERSIONS, default=1, dest="set_version"
        )
        parser.add_argument("--half", choices=HALVES, default="development")
        parser.add_argument(
            "--errors",
            action="store_true",
            help="List the misclassified cases (version 1: any half; version 2: development only).",
        )

    def handle(self, *args, sets=None, set_version=1, half="development", errors=False, **options):
        if errors and half not in READABLE_HALVES[set_version]:
            raise CommandError(f"The errors of version {set_version}'s {half} half are not listed.")
        for set_name in sets or SETS:
            self.stdout.write(f"\n{set_name} v{set_version} — {half} (95 % Wilson intervals)")
            self.stdout.write(
                "lang    n  TP  FP  FN  TN  precision             recall                "
                "F1                    accuracy"
            )
            for language, scores in evaluate(set_name, half, set_version).items():
                self.stdout.write(
                    f"{language:4} {scores.total:4} {scores.true_positives:3} "
                    f"{scores.false_positives:3} {scores.false_negatives:3} "
                    f"{scores.true_negatives:3}  "
                    + "  ".join(
                        _figure(getattr(scores, measure), scores.interval(measure))
                        for measure in ("precision", "recall", "f1", "accuracy")
                    )
                )
            if errors:
                for case, expected, predicted in predictions(set_name, half, set_version):
                    if expected != predicted:
                        kind = "FN" if expected else "FP"
                        self.stdout.write(f"  {kind} {case['id']}: {case['description']}")
