"""Writes about people: registration, profile changes, coordinators, API tokens, sign-in.

Every function validates what it is given and raises django.core.exceptions.ValidationError
with a dict `{field: [messages]}`, so that the API and the web pages can both show the
messages next to the right field, in the language active for the request.
"""

import re

from django.contrib.auth import authenticate, user_logged_in
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from accounts.models import Language, Role, User
from accounts.selectors import postcode_is_known, user_email_is_taken, user_get_by_email

POSTCODE_PATTERN = re.compile(r"[0-9]{4}")
DISPLAY_NAME_MAX_LENGTH = User._meta.get_field("display_name").max_length
EMAIL_MAX_LENGTH = User._meta.get_field("email").max_length


class _Errors:
    """Collects messages per field, so that one answer lists every problem at once."""

    def __init__(self) -> None:
        self.by_field: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.by_field.setdefault(field, []).append(str(message))

    def add_validation_error(self, field: str, error: ValidationError) -> None:
        for message in error.messages:
            self.add(field, message)

    def raise_if_any(self) -> None:
        if self.by_field:
            raise ValidationError(self.by_field)


def normalise_email(email: str) -> str:
    """The form in which emails are stored and compared: trimmed and lower case."""
    return email.strip().lower()


def _check_email(errors: _Errors, email: str) -> None:
    if not email:
        errors.add("email", _("An email address is required."))
        return
    if len(email) > EMAIL_MAX_LENGTH:
        errors.add("email", _("This email address is too long."))
        return
    try:
        validate_email(email)
    except ValidationError as error:
        errors.add_validation_error("email", error)


def _check_display_name(errors: _Errors, display_name: str) -> None:
    if not display_name.strip():
        errors.add("display_name", _("A name is required."))
    elif len(display_name) > DISPLAY_NAME_MAX_LENGTH:
        errors.add(
            "display_name",
            _("At most %(limit)d characters.") % {"limit": DISPLAY_NAME_MAX_LENGTH},
        )


def _check_language(errors: _Errors, language: str) -> None:
    if language not in Language.values:
        errors.add(
            "language",
            _("Choose one of: %(choices)s.") % {"choices": ", ".join(Language.values)},
        )


def _check_postcode(errors: _Errors, postcode: str) -> None:
    if not POSTCODE_PATTERN.fullmatch(postcode):
        errors.add("postcode", _("A Belgian postcode has four digits."))
    elif not postcode_is_known(code=postcode):
        errors.add("postcode", _("This is not a known Belgian postcode."))


def _check_password(errors: _Errors, password: str, user: User) -> None:
    # Django's validators (settings.AUTH_PASSWORD_VALIDATORS) need the user to compare the
    # password with the email and the name, even though the user is not saved yet.
    try:
        validate_password(password, user=user)
    except ValidationError as error:
        errors.add_validation_error("password", error)


def user_register(
    *, email: str, password: str, display_name: str, language: str, postcode: str
) -> User:
    """Create the account of a new person, who starts as a helppie (someone who may ask).

    Raises ValidationError({field: [messages]}) when the email is taken (letter case ignored),
    the password is too weak, the language is not fr/nl/de/en or the postcode is not a known
    Belgian one.
    """
    email = normalise_email(email)
    display_name = display_name.strip()
    postcode = postcode.strip()
    errors = _Errors()
    _check_email(errors, email)
    _check_display_name(errors, display_name)
    _check_language(errors, language)
    _check_postcode(errors, postcode)
    user = User(
        email=email,
        display_name=display_name,
        language=language,
        postcode=postcode,
        roles=[Role.HELPPIE],
    )
    _check_password(errors, password, user)
    if "email" not in errors.by_field and user_email_is_taken(email=email):
        errors.add("email", _("An account with this email address already exists."))
    errors.raise_if_any()

    user.set_password(password)
    try:
        # Two sign-ups racing with one address: the unique index decides, the loser is told
        # the address is taken instead of getting a server error.
        with transaction.atomic():
            user.save()
    except IntegrityError as error:
        raise ValidationError(
            {"email": [_("An account with this email address already exists.")]}
        ) from error
    return user


def user_update(
    *,
    user: User,
    display_name: str | None = None,
    language: str | None = None,
    postcode: str | None = None,
) -> User:
    """Change what a person may change about themselves; None leaves a field as it is."""
    errors = _Errors()
    changed: list[str] = []
    if display_name is not None:
        display_name = display_name.strip()
        _check_display_name(errors, display_name)
        user.display_name = display_name
        changed.append("display_name")
    if language is not None:
        _check_language(errors, language)
        user.language = language
        changed.append("language")
    if postcode is not None:
        postcode = postcode.strip()
        _check_postcode(errors, postcode)
        user.postcode = postcode
        changed.append("postcode")
    if errors.by_field:
        user.refresh_from_db(fields=changed)  # leave the instance as it is stored
        errors.raise_if_any()
    if changed:
        user.save(update_fields=changed)
    return user


def coordinator_create_or_update(
    *, email: str, password: str, display_name: str | None = None
) -> User:
    """Make `email` a coordinator with `password`, creating the account if it does not exist.

    Running it again with the same arguments changes nothing more: the role is added once.
    The password goes through Django's validators like any other.
    """
    email = normalise_email(email)
    errors = _Errors()
    _check_email(errors, email)
    if display_name is not None:
        display_name = display_name.strip()
        _check_display_name(errors, display_name)
    errors.raise_if_any()

    with transaction.atomic():
        user = user_get_by_email(email=email)
        if user is None:
            # Without a name given, the part of the address before "@" is the one the person
            # chose themselves; it can be changed later on /api/me/.
            user = User(email=email, display_name=display_name or email.split("@")[0])
        elif display_name:
            user.display_name = display_name
        _check_password(errors, password, user)
        errors.raise_if_any()
        user.set_password(password)
        if Role.COORDINATOR not in user.roles:
            user.roles = [*user.roles, Role.COORDINATOR]
        user.save()
    return user


def token_for(*, user: User) -> str:
    """The API token of `user` (DRF authtoken), created on first use."""
    token, _created = Token.objects.get_or_create(user=user)
    return token.key


def user_authenticate(*, request: HttpRequest, email: str, password: str) -> User | None:
    """Check an email and password; the user on success, None otherwise.

    Goes through django.contrib.auth.authenticate, so django-axes counts the failures per
    (account, address). When that pair is locked out, axes sets `request.axes_locked_out`
    and AxesMiddleware answers with accounts.lockout.lockout_response, whatever the view
    returned. Pass the Django HttpRequest (for DRF: `request._request`), on which the
    middleware looks for that flag.

    The credential is passed as `email` (the USERNAME_FIELD): ModelBackend accepts it and
    axes reads the account from that key (AXES_USERNAME_FORM_FIELD).
    """
    user = authenticate(request=request, email=normalise_email(email), password=password)
    return user


def user_signal_token_login(*, request: HttpRequest, user: User) -> None:
    """Record a successful sign-in that does not open a session (API token).

    Sends Django's user_logged_in signal, as auth.login() does for sessions: the last
    login time is updated and axes clears the failures of this (account, address).
    """
    user_logged_in.send(sender=user.__class__, request=request, user=user)


# --- Personal data: export and erasure (issue 6, item 5; docs/DATA_REGISTER.md) ---------------


def user_data_export(*, user: User) -> dict:
    """Everything the platform holds about `user`, as a JSON-serialisable dict.

    What is included and what is left out is described in accounts/data_export.py.
    """
    # Imported here: the other apps' models import accounts.models, not the reverse.
    from accounts.data_export import user_data_collect

    return user_data_collect(user=user)


# What an erased person's requests keep: what is needed for statistics (category, dates, status,
# postcode, approximate place), nothing that describes the person or the person cared for.
ERASED_REQUEST_DESCRIPTION = ""


def user_erase(*, user: User, password: str) -> None:
    """Erase the account of `user` after checking `password` (GDPR art. 17), in one transaction.

    The user row is deleted (not deactivated), so nothing is left to scrub; every foreign key to
    it was checked so that what must stay is detached (SET_NULL) rather than cascaded:
    - help requests stay for statistics, anonymised: requester None, description and the
      for-someone-else details blanked, the exact place replaced by the approximate one; open or
      matched ones are cancelled. Requests they helped with that are still matched reopen.
    - messages stay for the other participants with sender None; their participations go.
    - referrals are closed and detached (carers.services.referrals_close_for_user); the audit
      trail stays. Assessments stay anonymous, without contact details.
    - visits and feedback stay with their person set to None (SET_NULL).
    - deleted with the account (CASCADE): helper profile and availability, offers (pending ones
      with it; accepted ones after their request reopened), proposals, care diary, API token,
      conversation participations.
    Open WebSockets of the person are closed once the transaction commits.

    Raises ValidationError({"password": [...]}) when the password is wrong.
    """
    from django.db.models import F

    from carers.services.assessments import assessments_erase_for_user
    from carers.services.referrals import referrals_close_for_user
    from matching.models import HelperProfile
    from messaging.models import Message, Participant
    from messaging.services import user_sockets_close
    from requests_app.models import HelpRequest, RequestStatus

    if not password or not user.check_password(password):
        raise ValidationError({"password": [_("This password is not correct.")]})

    user_id = user.pk
    with transaction.atomic():
        own_requests = HelpRequest.objects.filter(requester=user)
        own_requests.filter(status__in=[RequestStatus.OPEN, RequestStatus.MATCHED]).update(
            status=RequestStatus.CANCELLED
        )
        # A queryset update, not save(): save() would recompute the approximate place from the
        # exact one, and the point is that the exact one is gone.
        own_requests.update(
            requester=None,
            created_by=None,
            description=ERASED_REQUEST_DESCRIPTION,
            location=F("approximate_location"),
            relationship="",
            cared_for_age=None,
            care_hours_per_week=None,
        )
        # A request they were matched to goes back to the neighbourhood instead of waiting for
        # a helper who no longer exists.
        HelpRequest.objects.filter(matched_helper=user, status=RequestStatus.MATCHED).update(
            matched_helper=None, status=RequestStatus.OPEN
        )
        HelperProfile.objects.filter(user=user).delete()
        Message.objects.filter(sender=user).update(sender=None)
        Participant.objects.filter(user=user).delete()
        referrals_close_for_user(user=user)
        assessments_erase_for_user(user=user)
        Token.objects.filter(user=user).delete()
        # Offers, proposals, the care diary and anything else on CASCADE go with the row.
        user.delete()
        user_sockets_close(user_id=user_id)


def expired_data_purge(*, closed_referral_days: int, audit_days: int) -> dict[str, int]:
    """Delete closed referrals last changed more than `closed_referral_days` ago, and referral
    audit rows older than `audit_days`. Returns how many of each were deleted.

    A referral's notes and audit rows go with it (CASCADE): once the referral itself is past its
    retention, a trail about a row that no longer exists would only keep personal data longer.
    Counted in "audit" are only the rows deleted for their own age.
    """
    from datetime import timedelta

    from django.utils import timezone

    from carers.models import Referral, ReferralAudit, ReferralStatus

    now = timezone.now()
    with transaction.atomic():
        audit_deleted, _by_model = ReferralAudit.objects.filter(
            at__lt=now - timedelta(days=audit_days)
        ).delete()
        referrals_deleted = (
            Referral.objects.filter(
                status=ReferralStatus.CLOSED,
                updated_at__lt=now - timedelta(days=closed_referral_days),
            )
            .delete()[1]
            .get(Referral._meta.label, 0)
        )
    return {"referrals": referrals_deleted, "audit": audit_deleted}
