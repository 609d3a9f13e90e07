"""Writes about people: registration, profile changes, coordinators, API tokens, sign-in.

Every function validates what it is given and raises django.core.exceptions.ValidationError
with a dict `{field: [messages]}`, so that the API and the web pages can both show the
messages next to the right field, in the language active for the request.
"""

import re
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import authenticate, user_logged_in
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from accounts.emails import account_email_send
from accounts.models import (
    ContactPreference,
    Language,
    ManagedPerson,
    PrivacyNoticeAcceptance,
    Role,
    User,
)
from accounts.personal_data import managed_person_export
from accounts.phone_numbers import phone_normalise
from accounts.privacy_notice import PRIVACY_NOTICE_VERSION
from accounts.selectors import postcode_is_known, user_email_is_taken, user_get_by_email
from audit.models import AccessKind
from audit.services import access_recorded
from core import events
from core.api_errors import Conflict, DomainError, NotAllowed
from core.realtime import user_sockets_close

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
    *,
    email: str,
    password: str,
    display_name: str,
    language: str,
    postcode: str,
    privacy_notice_version: str | None = None,
) -> User:
    """Create the account of a new person, who starts as a helppie (someone who may ask).

    `privacy_notice_version` records that they accepted that version of the privacy notice
    (the sign-up page always sends it; API clients of contract v1 may not, see
    docs/SECURITY.md). The address starts unverified: the caller sends the verification link
    (email_verification_send).

    Raises ValidationError({field: [messages]}) when the email is taken (letter case ignored),
    the password is too weak, the language is not fr/nl/de/en, the postcode is not a known
    Belgian one or the privacy notice version is not the current one.
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
    if privacy_notice_version is not None and privacy_notice_version != PRIVACY_NOTICE_VERSION:
        errors.add(
            "privacy_notice_version",
            _("The privacy notice has changed: read the current version and accept it."),
        )
    errors.raise_if_any()

    user.set_password(password)
    try:
        # Two sign-ups racing with one address: the unique index decides, the loser is told
        # the address is taken instead of getting a server error.
        with transaction.atomic():
            user.save()
            if privacy_notice_version is not None:
                privacy_notice_accept(
                    user=user, version=privacy_notice_version, language=user.language
                )
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
    """Everything the platform holds about `user`, as a JSON-serialisable dict (GDPR art. 15, 20).

    The account itself is written here; every app that holds data of the person adds its own
    sections on the user_data_exporting event (core.events; each app's personal_data.py says
    what it includes and what it leaves out, and why). Other people's personal data is never
    included (only ids of the other participants).
    """
    sections = events.user_data_exporting.send(user=user)
    return {
        "format": "tandem-export-1",
        "account": _account_export(user),
        **{name: sections.get(name) for name in events.user_data_exporting.answers},
    }


def _account_export(user: User) -> dict:
    def iso(value):
        return value.isoformat() if value is not None else None

    return {
        "id": user.pk,
        "email": user.email,
        "display_name": user.display_name,
        "language": user.language,
        "postcode": user.postcode,
        "roles": list(user.roles),
        "date_joined": iso(user.date_joined),
        "last_login": iso(user.last_login),
        "email_verified_at": iso(user.email_verified_at),
        "pending_email": user.pending_email,
        "privacy_notice_acceptances": [
            {"version": row.version, "language": row.language, "accepted_at": iso(row.accepted_at)}
            for row in user.privacy_notice_acceptances.all()
        ],
        # Phone, address, how to reach them, the consent recorded for them, and their team
        # (None for anyone who is not managed by coordinators).
        "managed_person": managed_person_export(user),
    }


def user_erase(*, user: User, password: str) -> None:
    """Erase the account of `user` after checking `password` (GDPR art. 17), in one transaction.

    The user row is deleted (not deactivated), so nothing is left to scrub. Before it goes, every
    app erases or detaches its own rows of the person on the user_erasing event (core.events;
    each app's personal_data.py says what stays, anonymised, and what goes): requests stay
    anonymised, messages stay for the others without a sender, referrals are closed and
    detached with their audit trail kept, and so on. What is left on CASCADE goes with the row.
    Open WebSockets of the person are closed once the transaction commits.

    Raises ValidationError({"password": [...]}) when the password is wrong.
    """
    if not password or not user.check_password(password):
        raise ValidationError({"password": [_("This password is not correct.")]})
    _user_erase_now(user=user)


def _user_erase_now(*, user: User) -> None:
    """The erasure itself (see user_erase), once whoever asked for it was checked."""
    user_id = user.pk
    with transaction.atomic():
        events.user_erasing.send(user=user)
        Token.objects.filter(user=user).delete()
        user.delete()
        user_sockets_close(user_id=user_id)


# --- Recovery and verification (issue 15, item 1; docs/SECURITY.md "Accounts") ---------------
#
# The tokens are Django's own: password-reset links come from its token generator (an HMAC of
# the account's password hash, last login and address, with a timestamp: a link stops working
# once the password changes, or after PASSWORD_RESET_TIMEOUT); verification links are signed
# with django.core.signing and carry the address they prove, so they stop working once that
# address is verified or replaced, or after EMAIL_VERIFICATION_TIMEOUT.

EMAIL_VERIFICATION_SALT = "accounts.email-verification"


def _link(link_base: str, path: str, **query: str) -> str:
    return f"{link_base.rstrip('/')}{path}?{urlencode(query)}"


def user_sessions_revoke(*, user: User) -> None:
    """Ends every session (web) and API token of `user`, and closes their open sockets.

    Sessions end because their stored hash includes `session_generation`
    (User._get_session_auth_hash); a caller that wants to keep the current session alive calls
    django.contrib.auth.update_session_auth_hash afterwards, as Django's password change does.
    """
    User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
    user.refresh_from_db(fields=["session_generation"])
    Token.objects.filter(user=user).delete()
    user_sockets_close(user_id=user.pk)


def password_reset_request(*, email: str, link_base: str, language: str) -> None:
    """Sends a password-reset link to `email` if an account uses it, and otherwise an e-mail
    saying that no account does.

    Both cases do the same work (one look-up, one e-mail rendered and sent), so neither the
    answer nor its time tells whether the address has an account. The second e-mail also helps
    the person who typed the address they did not sign up with.
    """
    email = normalise_email(email)
    user = user_get_by_email(email=email)
    # A person given a login by their coordinators has no password yet: this link is how they
    # choose their first one (managed_person_login_give).
    if user is not None and user.is_active:
        link = _link(
            link_base,
            "/password-reset/confirm/",
            uid=urlsafe_base64_encode(force_bytes(user.pk)),
            token=default_token_generator.make_token(user),
        )
        hours = max(1, settings.PASSWORD_RESET_TIMEOUT // 3600)
        account_email_send(
            to=user.email,
            template="password_reset",
            language=user.language,
            context={"name": user.display_name, "link": link, "hours": hours},
        )
    else:
        account_email_send(
            to=email,
            template="password_reset_unknown",
            language=language,
            context={"email": email, "signup_link": _link(link_base, "/signup/")},
        )


def _link_expired_error(field: str) -> ValidationError:
    return ValidationError(
        {field: [_("This link has expired or was already used. Ask for a new one.")]}
    )


def password_reset_named_user(*, uid: str) -> User | None:
    """The active account a reset link's `uid` names, whether or not its token is valid."""
    try:
        user_id = int(urlsafe_base64_decode(uid).decode())
    except (ValueError, TypeError, UnicodeDecodeError):
        return None
    if not 0 < user_id < 2**63:
        return None
    return User.objects.filter(pk=user_id, is_active=True).first()


def password_reset_user(*, uid: str, token: str) -> User:
    """The account a reset link is for, if the link is still valid.

    Raises ValidationError({"token": [...]}) when it is not (unknown, used, expired).
    """
    user = password_reset_named_user(uid=uid)
    if user is None or not default_token_generator.check_token(user, token):
        raise _link_expired_error("token")
    return user


def password_reset_confirm(*, uid: str, token: str, new_password: str) -> User:
    """Sets a new password from a reset link, then ends every session and API token.

    The link works once: the new password changes the hash the token was made from. Receiving
    the link also proves the address, so an unverified address counts as verified.
    Raises ValidationError({"token": [...]}) for an invalid link, ({"new_password": [...]})
    for a weak password; nothing is changed then.
    """
    user = password_reset_user(uid=uid, token=token)
    errors = _Errors()
    try:
        validate_password(new_password, user=user)
    except ValidationError as error:
        errors.add_validation_error("new_password", error)
    errors.raise_if_any()
    with transaction.atomic():
        user.set_password(new_password)
        if user.email_verified_at is None:
            user.email_verified_at = timezone.now()
        user.save(update_fields=["password", "email_verified_at"])
        user_sessions_revoke(user=user)
    return user


def password_change(*, user: User, current_password: str, new_password: str) -> None:
    """Changes the password once the current one is confirmed, and ends every other session and
    every API token (see user_sessions_revoke to keep the caller's own session).

    Raises ValidationError({"current_password": [...]}) or ({"new_password": [...]}).
    """
    if not current_password or not user.check_password(current_password):
        raise ValidationError({"current_password": [_("This password is not correct.")]})
    errors = _Errors()
    try:
        validate_password(new_password, user=user)
    except ValidationError as error:
        errors.add_validation_error("new_password", error)
    errors.raise_if_any()
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password"])
        user_sessions_revoke(user=user)
    account_email_send(
        to=user.email,
        template="password_changed",
        language=user.language,
        context={"name": user.display_name},
    )


def email_verification_send(*, user: User, link_base: str) -> None:
    """Sends a verification link to the address waiting to be proved: the new address asked
    for, else the sign-in address if it is not verified yet. Nothing to send otherwise."""
    address = user.pending_email or ("" if user.email_verified else user.email)
    if not address:
        return
    key = signing.dumps({"user": user.pk, "email": address}, salt=EMAIL_VERIFICATION_SALT)
    days = max(1, settings.EMAIL_VERIFICATION_TIMEOUT // 86400)
    account_email_send(
        to=address,
        template="email_verification",
        language=user.language,
        context={
            "name": user.display_name,
            "link": _link(link_base, "/verify-email/", key=key),
            "days": days,
        },
    )


def email_verify(*, key: str) -> User:
    """Proves the address a verification link was sent to, and makes it the sign-in address if
    it was a new one. Works once; raises ValidationError({"key": [...]}) when the link is
    expired, used, replaced by a newer request, or the address was taken in the meantime."""
    try:
        claim = signing.loads(
            key, salt=EMAIL_VERIFICATION_SALT, max_age=settings.EMAIL_VERIFICATION_TIMEOUT
        )
        user_id, address = int(claim["user"]), str(claim["email"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise _link_expired_error("key") from None
    with transaction.atomic():
        user = User.objects.select_for_update().filter(pk=user_id, is_active=True).first()
        if user is None:
            raise _link_expired_error("key")
        if address == user.pending_email:
            if User.objects.filter(email__iexact=address).exclude(pk=user.pk).exists():
                raise ValidationError(
                    {"key": [_("An account with this email address already exists.")]}
                )
            user.email, user.pending_email = address, ""
        elif address != user.email or user.email_verified:
            raise _link_expired_error("key")
        user.email_verified_at = timezone.now()
        user.save(update_fields=["email", "pending_email", "email_verified_at"])
    return user


def email_change_request(*, user: User, email: str, password: str, link_base: str) -> None:
    """Asks to move the account to `email`: the sign-in address stays until the new one is
    proved through the link sent to it, and the current address is told of the request (so a
    person whose account was taken over hears of it).

    Raises ValidationError({"password": [...]}) or ({"email": [...]}); nothing saved then.
    """
    if not password or not user.check_password(password):
        raise ValidationError({"password": [_("This password is not correct.")]})
    email = normalise_email(email)
    errors = _Errors()
    _check_email(errors, email)
    if "email" not in errors.by_field:
        if email == user.email:
            errors.add("email", _("This is already your email address."))
        elif user_email_is_taken(email=email):
            errors.add("email", _("An account with this email address already exists."))
    errors.raise_if_any()
    user.pending_email = email
    user.save(update_fields=["pending_email"])
    email_verification_send(user=user, link_base=link_base)
    account_email_send(
        to=user.email,
        template="email_change_notice",
        language=user.language,
        context={"name": user.display_name, "new_email": email},
    )


def privacy_notice_accept(*, user: User, version: str, language: str) -> None:
    """Records that `user` accepted the privacy notice `version`, which must be the current one
    (accounts/privacy_notice.py); raises ValidationError({"privacy_notice_version": [...]})."""
    if version != PRIVACY_NOTICE_VERSION:
        raise ValidationError(
            {
                "privacy_notice_version": [
                    _("The privacy notice has changed: read the current version and accept it.")
                ]
            }
        )
    now = timezone.now()
    with transaction.atomic():
        PrivacyNoticeAcceptance.objects.create(
            user=user,
            version=version,
            language=language if language in Language.values else user.language,
            accepted_at=now,
        )
        user.privacy_notice_version = version
        user.privacy_notice_accepted_at = now
        user.save(update_fields=["privacy_notice_version", "privacy_notice_accepted_at"])


def user_check_may_offer(*, user: User) -> None:
    """Refuses (403 `email_not_verified`) an account whose address is not verified, when
    EMAIL_VERIFICATION_REQUIRED is on: an offer brings a person to someone's door, so it must
    come from an account that can be reached (docs/SECURITY.md, "Accounts")."""
    if settings.EMAIL_VERIFICATION_REQUIRED and not user.email_verified:
        raise DomainError(
            "email_not_verified",
            _("Confirm your email address first: open the link we sent you."),
            status_code=403,
        )


# --- People without e-mail (issue 15, item 3: phone intake) -----------------------------------


def _check_coordinator(user: User) -> None:
    if not (user.is_authenticated and user.is_coordinator):
        raise NotAllowed("not_allowed", _("Only coordinators manage people without e-mail."))


def managed_person_create(
    *,
    created_by: User,
    display_name: str,
    phone: str,
    postcode: str,
    language: str,
    contact_preference: str,
    consent_wording_version: str,
    consent_note: str = "",
    address: str = "",
    co_manager_ids: list[int] | None = None,
) -> ManagedPerson:
    """A coordinator (`created_by`) records a person who phoned and has no e-mail address.

    The person gets an account without address and without usable password (they never sign
    in, until given a login: managed_person_login_give), the role helppie, and a ManagedPerson
    record: their phone (accounts.phone_numbers, Belgian when written without country code),
    address (required when they want letters), how they want to be reached, and the consent the
    coordinator read out: the privacy notice's wording version (the current one), when, by whom,
    with the coordinator's note. It also counts as their acceptance of that notice.
    Their team (`managed_by`) is `created_by` and the coordinators of `co_manager_ids`.

    Raises NotAllowed unless `created_by` is a coordinator; ValidationError({field: [...]})
    listing every problem at once; nothing is saved then.
    """
    _check_coordinator(created_by)
    display_name = display_name.strip() if isinstance(display_name, str) else ""
    postcode = postcode.strip() if isinstance(postcode, str) else ""
    address = address.strip() if isinstance(address, str) else ""
    consent_note = consent_note.strip() if isinstance(consent_note, str) else ""
    errors = _Errors()
    _check_display_name(errors, display_name)
    _check_language(errors, language)
    _check_postcode(errors, postcode)
    normalised_phone = ""
    try:
        normalised_phone = phone_normalise(phone)
    except ValidationError as error:
        errors.add_validation_error("phone", error)
    if contact_preference not in ContactPreference.values:
        errors.add("contact_preference", _("Choose how they want to be reached."))
    address_limit = ManagedPerson._meta.get_field("address").max_length
    if len(address) > address_limit:
        errors.add("address", _("At most %(limit)d characters.") % {"limit": address_limit})
    elif contact_preference == ContactPreference.LETTER and not address:
        errors.add("address", _("Give the postal address for the letters."))
    if consent_wording_version != PRIVACY_NOTICE_VERSION:
        errors.add(
            "consent",
            _(
                "Read the current privacy notice (version %(version)s) to the person and "
                "record their consent to it."
            )
            % {"version": PRIVACY_NOTICE_VERSION},
        )
    note_limit = ManagedPerson._meta.get_field("consent_note").max_length
    if len(consent_note) > note_limit:
        errors.add("consent", _("At most %(limit)d characters.") % {"limit": note_limit})
    co_manager_ids = list(dict.fromkeys(co_manager_ids or []))
    co_managers = list(
        User.objects.filter(
            pk__in=co_manager_ids, is_active=True, roles__contains=[Role.COORDINATOR]
        )
    )
    if len(co_managers) != len(co_manager_ids):
        errors.add("managed_by", _("Choose coordinators among the active ones."))
    errors.raise_if_any()

    now = timezone.now()
    with transaction.atomic():
        user = User(
            email=None,
            display_name=display_name,
            language=language,
            postcode=postcode,
            roles=[Role.HELPPIE],
            privacy_notice_version=consent_wording_version,
            privacy_notice_accepted_at=now,
        )
        user.set_unusable_password()
        user.save()
        person = ManagedPerson.objects.create(
            user=user,
            phone=normalised_phone,
            address=address,
            contact_preference=contact_preference,
            consent_wording_version=consent_wording_version,
            consent_recorded_at=now,
            consent_recorded_by=created_by,
            consent_note=consent_note,
            created_at=now,
        )
        person.managed_by.set([created_by, *co_managers])
        PrivacyNoticeAcceptance.objects.create(
            user=user, version=consent_wording_version, language=language, accepted_at=now
        )
    return person


def managed_person_login_give(
    *, person: ManagedPerson, acting_user: User, email: str, link_base: str
) -> User:
    """Gives a managed person a login: `email` becomes their (unverified) address and the
    verification link is sent to it (email_verification_send). Once they have proved it,
    "forgotten password" lets them choose their first password; from then on they are told
    of their requests themselves, as well as their team. Their account, requests and
    conversations stay as they are: nothing of their history moves.

    Raises NotAllowed unless `acting_user` is in the person's team, Conflict when they already
    have an address, ValidationError({"email": [...]}) for a bad or taken address.
    """
    _check_coordinator(acting_user)
    if not person.managed_by.filter(pk=acting_user.pk).exists():
        raise NotAllowed("not_allowed", _("Only the coordinators who manage them can do this."))
    email = normalise_email(email) if isinstance(email, str) else ""
    errors = _Errors()
    _check_email(errors, email)
    if "email" not in errors.by_field and user_email_is_taken(email=email):
        errors.add("email", _("An account with this email address already exists."))
    errors.raise_if_any()
    try:
        with transaction.atomic():
            user = User.objects.select_for_update().get(pk=person.user_id)
            if user.email:
                raise Conflict("has_login", _("This person already has an email address."))
            user.email, user.email_verified_at, user.pending_email = email, None, ""
            user.save(update_fields=["email", "email_verified_at", "pending_email"])
    except IntegrityError as error:
        raise ValidationError(
            {"email": [_("An account with this email address already exists.")]}
        ) from error
    email_verification_send(user=user, link_base=link_base)
    return user


def managed_person_erase(*, person: ManagedPerson, acting_user: User) -> None:
    """A coordinator of their team erases a managed person's account (GDPR art. 17), as the
    person would erase their own: they have no password to give, so their team asks for them.
    Raises NotAllowed unless `acting_user` is in the team."""
    _check_coordinator(acting_user)
    if not person.managed_by.filter(pk=acting_user.pk).exists():
        raise NotAllowed("not_allowed", _("Only the coordinators who manage them can do this."))
    _user_erase_now(user=person.user)


def managed_person_data_export(*, person: ManagedPerson, acting_user: User, route: str) -> dict:
    """A coordinator of their team takes the person's export (user_data_export) to hand it
    over: a read of all their data by someone else, so it goes to their access log (issue 14,
    item 4: "an export"). Raises NotAllowed unless `acting_user` is in the team."""
    _check_coordinator(acting_user)
    if not person.managed_by.filter(pk=acting_user.pk).exists():
        raise NotAllowed("not_allowed", _("Only the coordinators who manage them can do this."))
    data = user_data_export(user=person.user)
    access_recorded(
        reader=acting_user,
        role="coordinator",
        subject_id=person.user_id,
        what=AccessKind.EXPORT,
        object_id=person.user_id,
        purpose="person_export",
        route=route,
    )
    return data


def user_invite(*, email: str, display_name: str, language: str, role: str, link_base: str) -> User:
    """Creates an account for someone a coordinator invites (a partner service's worker), with
    no password yet, and e-mails them a link to choose one.

    The link is a password-reset link (same token, same page, same expiry): choosing the
    password through it also proves the address (password_reset_confirm), so an invited
    account is verified as soon as it is usable. Inviting again an address whose invitation
    was not used yet sends a new link; an address that already has a usable account is
    refused (ValidationError({"email": [...]})) rather than silently given a new role.
    """
    errors = _Errors()
    email = normalise_email(email)
    _check_email(errors, email)
    _check_language(errors, language)
    if not display_name.strip():
        display_name = email.split("@", 1)[0]
    _check_display_name(errors, display_name.strip())
    errors.raise_if_any()
    with transaction.atomic():
        user = User.objects.select_for_update().filter(email__iexact=email).first()
        if user is not None and (user.has_usable_password() or role not in user.roles):
            raise ValidationError(
                {"email": [_("An account with this email address already exists.")]}
            )
        if user is None:
            user = User.objects.create_user(
                email,
                password=None,
                display_name=display_name.strip(),
                language=language,
                roles=[role],
            )
    link = _link(
        link_base,
        "/password-reset/confirm/",
        uid=urlsafe_base64_encode(force_bytes(user.pk)),
        token=default_token_generator.make_token(user),
    )
    transaction.on_commit(
        lambda: account_email_send(
            to=user.email,
            template="invitation",
            language=user.language,
            context={
                "name": user.display_name,
                "link": link,
                "hours": max(1, settings.PASSWORD_RESET_TIMEOUT // 3600),
            },
        )
    )
    return user
