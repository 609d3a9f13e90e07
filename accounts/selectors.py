"""Reads about people. Writes live in accounts.services."""

from django.apps import apps

from accounts.models import User


def user_get_by_email(*, email: str) -> User | None:
    """The account registered under `email`, whatever its letter case, or None."""
    return User.objects.filter(email__iexact=email.strip()).first()


def user_email_is_taken(*, email: str) -> bool:
    """Whether an account already uses `email` (compared case-insensitively)."""
    return User.objects.filter(email__iexact=email.strip()).exists()


def postcode_is_known(*, code: str) -> bool:
    """Whether `code` is a current Belgian postcode, according to the place data (geo app).

    The model is looked up through the app registry so that this module imports even while
    the place data app is still being built; without it, no postcode counts as known.
    """
    try:
        postcode_model = apps.get_model("geo", "Postcode")
    except LookupError:
        return False
    return postcode_model.objects.filter(code=code).exists()
