"""Reads about people. Writes live in accounts.services."""

from django.apps import apps
from django.conf import settings

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


def user_may_receive_email(*, user: User) -> bool:
    """Whether Tandem may send `user` e-mail notifications: they have an address and, when
    EMAIL_VERIFICATION_REQUIRED is on, have proved it is theirs (an unproved address may be a
    stranger's). Account e-mails (reset, verification) do not ask: they prove the address."""
    if not user.email:
        return False
    return user.email_verified_at is not None or not settings.EMAIL_VERIFICATION_REQUIRED


def account_link_base(*, request) -> str:
    """Where links in account e-mails point: SITE_URL when set (recommended: a Host header is
    then never trusted for them), else the address the request came to (checked against
    ALLOWED_HOSTS by Django)."""
    return settings.SITE_URL or request.build_absolute_uri("/")


def display_names_of(*, user_ids) -> dict[int, str]:
    """{user id: the name they show to others} for these people (one query)."""
    if not user_ids:
        return {}
    return dict(User.objects.filter(pk__in=set(user_ids)).values_list("pk", "display_name"))
