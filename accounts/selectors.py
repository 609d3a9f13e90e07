"""Reads about people. Writes live in accounts.services."""

from django.apps import apps
from django.conf import settings

from accounts.models import ManagedPerson, Role, User


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


# --- People without e-mail, managed by coordinators (issue 15, item 3) -------------------------


def managed_people_of(*, coordinator: User):
    """The people without e-mail `coordinator` manages (as one of their team), newest first."""
    return (
        ManagedPerson.objects.filter(managed_by=coordinator, user__is_active=True)
        .select_related("user")
        .prefetch_related("managed_by")
        .order_by("-created_at", "-pk")
    )


def managed_person_of(*, coordinator: User, person_id: int) -> ManagedPerson | None:
    """The managed person `person_id` if `coordinator` is in their team, else None (a 404:
    other teams' people are not revealed)."""
    if not isinstance(person_id, int) or not 0 < person_id < 2**63:
        return None
    return managed_people_of(coordinator=coordinator).filter(pk=person_id).first()


def person_manager_ids(*, person_id: int | None) -> list[int]:
    """The active coordinators who manage person `person_id` (empty for anyone not managed)."""
    if person_id is None:
        return []
    return list(
        User.objects.filter(
            people_managed__pk=person_id, is_active=True, roles__contains=[Role.COORDINATOR]
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def person_is_managed_by(*, person_id: int | None, user: User) -> bool:
    """Whether `user` is a coordinator in the team that manages person `person_id`."""
    if person_id is None or not getattr(user, "is_coordinator", False):
        return False
    return ManagedPerson.objects.filter(pk=person_id, managed_by=user).exists()


def person_reached_ids(*, person_id: int | None) -> list[int]:
    """Who is told of what concerns person `person_id` (and speaks for them in the
    conversation of a match): the person themselves, unless coordinators manage them.

    A person without e-mail is reached through the coordinators of their team (who phone,
    text or write, as the person chose), and also directly once they can sign in (given a
    login and a password). Should their whole team have left, the coordinators at large hear
    of them rather than nobody.
    """
    if person_id is None:
        return []
    if not ManagedPerson.objects.filter(pk=person_id).exists():
        return [person_id]
    person = User.objects.filter(pk=person_id, is_active=True).only("password").first()
    if person is None:
        return []
    ids = [person_id] if person.has_usable_password() else []
    managers = [pk for pk in person_manager_ids(person_id=person_id) if pk != person_id]
    if not ids and not managers:
        managers = list(
            User.objects.filter(roles__contains=[Role.COORDINATOR], is_active=True)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
    return [*ids, *managers]


def managed_person_get(*, person_id: int | None) -> ManagedPerson | None:
    """The managed-person record of `person_id`, or None for anyone coordinators do not manage.
    Callers decide who may read it (requests_app.permissions: the team, and the matched helper
    when the person wants their SMS)."""
    if person_id is None:
        return None
    return ManagedPerson.objects.filter(pk=person_id).select_related("user").first()
