"""`manage.py detection_evaluate [--set carer|medical|orientation] [--set-version N]
[--half development|held_out|all] [--errors]`: precision, recall, F1 (and accuracy) with 95 %
Wilson intervals, per language and overall, of the detectors on the blind labelled sets
(detection.evaluation).

The versions are the folders present in tests/detection/blind/ (1 at the top, v<N>/ below). A
spent version (detection.evaluation.SPENT_VERSIONS: versions 1 and 2) is development entirely:
`--half all` scores all of it and `--errors` lists its misclassified cases. The held-out half of
any other version (the newest, v3 once added) is sealed: scored once, at the end, for the
reported figures, and `--errors` never lists it. A version may hold only some of the sets (v3:
carer and medical); without `--set`, the sets it holds are scored.
"""

from django.core.management.base import BaseCommand, CommandError

from detection.evaluation import (
    HALVES,
    SETS,
    available_versions,
    evaluate,
    predictions,
    readable_halves,
)


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
            "--set-version",
            type=int,
            choices=tuple(available_versions()),
            default=1,
            dest="set_version",
        )
        parser.add_argument("--half", choices=HALVES, default="development")
        parser.add_argument(
            "--errors",
            action="store_true",
            help="List the misclassified cases (never of a sealed held-out half).",
        )

    def handle(self, *args, sets=None, set_version=1, half="development", errors=False, **options):
        if errors and half not in readable_halves(set_version):
            raise CommandError(
                f"The held-out half of version {set_version} is sealed: its errors are not listed."
            )
        present = available_versions()[set_version]
        missing = [name for name in sets or () if name not in present]
        if missing:
            raise CommandError(f"Version {set_version} has no {', '.join(missing)} set.")
        for set_name in sets or present:
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
