"""The second factor at sign-in: a code from an authenticator app (TOTP), or a recovery code.

Built on django-otp: its TOTP device (RFC 6238, with replay protection and a growing delay
after wrong codes) and its static device, whose codes are deleted as they are used (single use).
Nothing here computes a code itself.

Coordinators must use it when COORDINATOR_MFA_REQUIRED is on (default with DEBUG off); anyone
may turn it on for themselves, and from then on their sign-ins ask for it too.
"""

from __future__ import annotations

import functools
from base64 import b32encode

import segno
from django.conf import settings
from django.db import connection, transaction
from django_otp import device_classes, devices_for_user, match_token
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from accounts.models import User

RECOVERY_CODE_COUNT = 10
DEVICE_NAME = "default"


@functools.cache
def _confirmed_device_sql() -> str:
    # One EXISTS over every installed device type (django-otp's device_classes(), which walks
    # every model of every app: worked out once). django-otp's user_has_device asks each type in
    # turn, and this runs on every API request (accounts.gates): one query instead of two, and
    # about a millisecond of CPU less per request (issue 17).
    branches = " UNION ALL ".join(
        f"(SELECT 1 FROM {model._meta.db_table} WHERE user_id = %(user)s AND confirmed LIMIT 1)"
        for model in device_classes()
    )
    return f"SELECT EXISTS ({branches})"


def second_factor_enrolled(*, user: User) -> bool:
    """Whether `user` has a confirmed authenticator (and so must give a code at sign-in)."""
    if not user.is_authenticated:
        return False
    with connection.cursor() as cursor:
        cursor.execute(_confirmed_device_sql(), {"user": user.pk})
        (enrolled,) = cursor.fetchone()
    return bool(enrolled)


def second_factor_required(*, user: User) -> bool:
    """Whether `user` must pass a second factor: they turned it on, or they are a coordinator
    or a partner service's worker (both read other people's referrals) and
    COORDINATOR_MFA_REQUIRED is on."""
    if not user.is_authenticated:
        return False
    if settings.COORDINATOR_MFA_REQUIRED and (user.is_coordinator or user.is_service_worker):
        return True
    return second_factor_enrolled(user=user)


def _normalised(code: str) -> str:
    # People copy codes with spaces or dashes ("123 456", "abcd-efgh"); recovery codes are
    # stored in lower case.
    return "".join(str(code).split()).replace("-", "").lower()


def second_factor_verify(*, user: User, code: str) -> Device | None:
    """The device that accepts `code` (an app's code or an unused recovery code), or None.

    A recovery code is deleted as it is accepted. Each device counts wrong codes and then
    refuses for a growing time, even a right code (django-otp's throttling).
    """
    code = _normalised(code or "")
    if not code or len(code) > 16:
        return None
    return match_token(user, code)


def totp_enrolment_device(*, user: User) -> TOTPDevice:
    """The authenticator being set up: an unconfirmed TOTP device with a new secret, reused
    until confirmed (reloading the page shows the same QR code)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def totp_qr_svg(*, device: TOTPDevice) -> str:
    """The device's otpauth:// URL as an inline SVG QR code (no external image, no script)."""
    return segno.make(device.config_url, error="m").svg_inline(scale=5, dark="#111", light="#fff")


def totp_secret_text(*, device: TOTPDevice) -> str:
    """The secret in base32, in groups of four, for apps where it is typed in by hand."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[start : start + 4] for start in range(0, len(secret), 4))


def totp_enrolment_confirm(*, user: User, code: str) -> list[str] | None:
    """Confirms the authenticator being set up with a code it shows, and returns new recovery
    codes (shown once); None if the code is wrong (nothing changed then).

    Any earlier authenticator and recovery codes are replaced, and API tokens made before are
    deleted: from now on a token is only given with a code (accounts.api.TokenApi).
    """
    device = totp_enrolment_device(user=user)
    if not device.verify_token(_normalised(code or "")):
        return None
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        Token.objects.filter(user=user).delete()
        return recovery_codes_replace(user=user)


def recovery_codes_replace(*, user: User) -> list[str]:
    """New recovery codes for `user`, replacing the old ones; each works once."""
    with transaction.atomic():
        device, _created = StaticDevice.objects.get_or_create(
            user=user, name="recovery", defaults={"confirmed": True}
        )
        device.token_set.all().delete()
        codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def recovery_codes_left(*, user: User) -> int:
    """How many unused recovery codes `user` has."""
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def second_factor_devices(*, user: User) -> list[Device]:
    """The confirmed devices of `user` (for the account page)."""
    return list(devices_for_user(user, confirmed=True))


def second_factor_enrolled_device(*, user: User) -> TOTPDevice | None:
    """The confirmed authenticator of `user`, if any."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()
