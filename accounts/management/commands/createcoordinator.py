"""`manage.py createcoordinator EMAIL --password PW [--display-name NAME]` (CONTRACT.md)."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.services import coordinator_create_or_update


class Command(BaseCommand):
    help = (
        "Create a coordinator, or make an existing account one and set its password. "
        "Non-interactive; the password must pass the password validators."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--password", required=True)
        parser.add_argument("--display-name", dest="display_name", default=None)

    def handle(self, *args, email, password, display_name, **options):
        try:
            user = coordinator_create_or_update(
                email=email, password=password, display_name=display_name
            )
        except ValidationError as error:
            lines = [
                f"{field}: {message}"
                for field, messages in error.message_dict.items()
                for message in messages
            ]
            raise CommandError("Coordinator not saved.\n" + "\n".join(lines)) from error
        self.stdout.write(f"Coordinator ready: {user.email} (id {user.pk})")
