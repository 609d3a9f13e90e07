"""`python manage.py expire_requests`: open requests nobody took are marked expired.

Meant to run from cron (e.g. hourly). Safe to run at any time and repeatedly: it only touches
open requests whose start has passed or that are older than 30 days, never matched ones.
"""

from django.core.management.base import BaseCommand

from requests_app.services import requests_expire


class Command(BaseCommand):
    help = "Expire open help requests whose start has passed or that are older than 30 days."

    def handle(self, *args, **options):
        expired = requests_expire()
        self.stdout.write(f"{len(expired)} request(s) expired.")
