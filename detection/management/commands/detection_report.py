"""`manage.py detection_report [--detector carer_signal|orientation]`: precision of the detectors
on the signals coordinators marked right or wrong, per month and language, with 95 % Wilson
intervals (detection.selectors.marked_precision)."""

from django.core.management.base import BaseCommand

from detection.models import Detector
from detection.selectors import marked_precision


class Command(BaseCommand):
    help = "Precision of the detectors on the signals coordinators marked, per month and language."

    def add_arguments(self, parser):
        parser.add_argument("--detector", choices=Detector.values)

    def handle(self, *args, detector=None, **options):
        rows = marked_precision(detector=detector)
        if not rows:
            self.stdout.write("No marked signals yet.")
            return
        self.stdout.write("detector      month    lang  marked  right  precision [95 % Wilson]")
        for row in rows:
            low, high = row.interval
            self.stdout.write(
                f"{row.detector:13} {row.month}  {row.language:4} {row.marked:7} {row.right:6}"
                f"  {row.precision:5.3f} [{low:4.2f}–{high:4.2f}]"
            )
