"""Password reset, address verification and change, password change and "log out everywhere"
(CONTRACT.md "Accounts", v2), with the e-mails going through a real SMTP server."""

import time
from urllib.parse import parse_qs, urlparse

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.models import User
from tests.accounts.factories import UserFactory, password_for

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "une toute nouvelle phrase de passe"


def query_of(link: str) -> dict:
    return {key: values[0] for key, values in parse_qs(urlparse(link).query).items()}


def reset_link_for(mailbox, address: str) -> dict:
    (message,) = mailbox.to(address)
    return query_of(mailbox.link(message))


@pytest.fixture
def anne():
    return UserFactory(email="anne@example.be", language="nl")


def test_a_reset_answers_the_same_for_an_account_and_for_an_unknown_address(smtp_mailbox, anne):
    client = APIClient()
    # A server process that has served once (templates and catalogues loaded), as in real life.
    client.post("/api/auth/password-reset/", {"email": "warm@example.be"}, format="json")

    def timed(address):
        started = time.perf_counter()
        response = client.post("/api/auth/password-reset/", {"email": address}, format="json")
        return response, time.perf_counter() - started

    known, known_seconds = zip(*(timed("Anne@Example.be") for _ in range(3)), strict=True)
    unknown, unknown_seconds = zip(*(timed("nobody@example.be") for _ in range(3)), strict=True)

    assert {r.status_code for r in known + unknown} == {202}
    assert {r.content for r in known} == {r.content for r in unknown}
    # The same work either way (one e-mail rendered and sent over SMTP): the same timing class.
    known_median, unknown_median = sorted(known_seconds)[1], sorted(unknown_seconds)[1]
    assert max(known_median, unknown_median) < 3 * min(known_median, unknown_median) + 0.02
    # The account's owner gets a link in their language; the unknown address is told no
    # account uses it, with no link to reset anything.
    to_anne = smtp_mailbox.to("anne@example.be")[0]
    assert "wachtwoord" in to_anne["Subject"].lower()
    assert "/password-reset/confirm/?uid=" in smtp_mailbox.text(to_anne)
    assert "/password-reset/confirm/" in smtp_mailbox.html(to_anne)
    to_nobody = smtp_mailbox.to("nobody@example.be")[0]
    assert "password-reset/confirm" not in smtp_mailbox.text(to_nobody)


def test_the_link_works_once_and_ends_every_session_and_token(smtp_mailbox, anne):
    token = Token.objects.create(user=anne).key
    browser = Client()
    browser.force_login(anne)
    APIClient().post("/api/auth/password-reset/", {"email": anne.email}, format="json")
    link = reset_link_for(smtp_mailbox, anne.email)

    first = APIClient().post(
        "/api/auth/password-reset/confirm/", {**link, "new_password": NEW_PASSWORD}, format="json"
    )
    again = APIClient().post(
        "/api/auth/password-reset/confirm/",
        {**link, "new_password": "encore une autre phrase secrete"},
        format="json",
    )

    assert first.status_code == 200
    assert again.status_code == 400
    # In the account's language (Dutch), since the link came from its mailbox.
    assert "link" in again.json()["token"][0].lower()
    anne.refresh_from_db()
    assert anne.check_password(NEW_PASSWORD)
    assert not Token.objects.filter(key=token).exists()
    assert APIClient().get("/api/me/", HTTP_AUTHORIZATION=f"Token {token}").status_code == 401
    assert browser.get("/account/").status_code == 302  # the old session is gone
    # Receiving the link proved the address.
    assert anne.email_verified


def test_an_expired_link_is_refused_in_the_users_language(smtp_mailbox, anne, settings):
    APIClient().post("/api/auth/password-reset/", {"email": anne.email}, format="json")
    link = reset_link_for(smtp_mailbox, anne.email)
    settings.PASSWORD_RESET_TIMEOUT = -1

    response = APIClient().post(
        "/api/auth/password-reset/confirm/", {**link, "new_password": NEW_PASSWORD}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["token"] == [
        "Deze link is verlopen of werd al gebruikt. Vraag een nieuwe aan."
    ]
    anne.refresh_from_db()
    assert anne.check_password(password_for(anne))


def test_a_weak_new_password_changes_nothing_and_leaves_the_link_usable(smtp_mailbox, anne):
    APIClient().post("/api/auth/password-reset/", {"email": anne.email}, format="json")
    link = reset_link_for(smtp_mailbox, anne.email)

    weak = APIClient().post(
        "/api/auth/password-reset/confirm/", {**link, "new_password": "123"}, format="json"
    )
    good = APIClient().post(
        "/api/auth/password-reset/confirm/", {**link, "new_password": NEW_PASSWORD}, format="json"
    )

    assert weak.status_code == 400 and "new_password" in weak.json()
    assert good.status_code == 200


@pytest.mark.parametrize(
    "body",
    [
        {"uid": "garbage", "token": "garbage", "new_password": NEW_PASSWORD},
        {"uid": "", "token": "", "new_password": NEW_PASSWORD},
        {"uid": "MTIzNDU2Nzg5", "token": "x-y", "new_password": NEW_PASSWORD},
    ],
)
def test_a_forged_link_is_a_400(body):
    response = APIClient().post("/api/auth/password-reset/confirm/", body, format="json")

    assert response.status_code == 400


def test_password_resets_are_rate_limited(smtp_mailbox, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "password_reset": (2, 3600)}
    client = APIClient()
    statuses = [
        client.post(
            "/api/auth/password-reset/", {"email": f"p{n}@example.be"}, format="json"
        ).status_code
        for n in range(3)
    ]

    assert statuses == [202, 202, 429]


def test_the_web_pages_reset_a_password(smtp_mailbox, anne):
    browser = Client()
    assert browser.get("/password-reset/").status_code == 200
    response = browser.post("/password-reset/", {"email": anne.email})
    assert response["Location"] == "/password-reset/sent/"
    link = reset_link_for(smtp_mailbox, anne.email)
    confirm_page = f"/password-reset/confirm/?uid={link['uid']}&token={link['token']}"

    assert browser.get(confirm_page).status_code == 200  # opening the link changes nothing
    done = browser.post("/password-reset/confirm/", {**link, "new_password": NEW_PASSWORD})
    used = browser.get(confirm_page)

    assert done["Location"] == "/login/"
    assert used.status_code == 400
    anne.refresh_from_db()
    assert anne.check_password(NEW_PASSWORD)


# --- Verification ----------------------------------------------------------------------------


def register(client, email="lea@example.be") -> dict:
    return client.post(
        "/api/auth/register/",
        {
            "email": email,
            "password": "trois tartines au sirop de Liège",
            "display_name": "Léa",
            "language": "fr",
            "postcode": "5000",
        },
        format="json",
    )


def test_signing_up_sends_a_verification_link_that_works_once(smtp_mailbox, places):
    client = APIClient()
    assert register(client).status_code == 201
    (message,) = smtp_mailbox.to("lea@example.be")
    key = query_of(smtp_mailbox.link(message))["key"]
    user = User.objects.get(email="lea@example.be")
    assert not user.email_verified

    first = APIClient().post("/api/auth/verify-email/", {"key": key}, format="json")
    again = APIClient().post("/api/auth/verify-email/", {"key": key}, format="json")

    assert first.status_code == 200 and first.json()["email_verified"] is True
    assert again.status_code == 400
    assert again.json()["key"] == ["Ce lien a expiré ou a déjà servi. Demandez-en un nouveau."]


def test_me_tells_whether_the_address_is_verified(anne):
    client = APIClient()
    client.force_authenticate(anne)

    assert client.get("/api/me/").json()["email_verified"] is False


def test_the_link_can_be_sent_again(smtp_mailbox, anne):
    client = APIClient()
    client.force_authenticate(anne)

    response = client.post("/api/me/verify-email/resend/")

    assert response.status_code == 202
    assert len(smtp_mailbox.to(anne.email)) == 1


def test_an_unverified_helper_cannot_offer_when_verification_is_required(settings, anne):
    from requests_app.services import offer_check_helper
    from tests.matching.factories import VerifiedHelperFactory

    settings.EMAIL_VERIFICATION_REQUIRED = True
    helper = VerifiedHelperFactory().user

    with pytest.raises(Exception) as refusal:
        offer_check_helper(helper_user=helper)

    assert refusal.value.code == "email_not_verified"
    assert refusal.value.status_code == 403


def test_an_unverified_address_gets_no_notification_email(settings, anne):
    from accounts.selectors import user_may_receive_email

    settings.EMAIL_VERIFICATION_REQUIRED = True
    assert not user_may_receive_email(user=anne)
    settings.EMAIL_VERIFICATION_REQUIRED = False
    assert user_may_receive_email(user=anne)


# --- Change of address and of password ------------------------------------------------------


def test_changing_the_address_verifies_the_new_one_and_tells_the_old_one(smtp_mailbox, anne):
    client = APIClient()
    client.force_authenticate(anne)

    response = client.post(
        "/api/me/email/",
        {"email": "anne.new@example.be", "password": password_for(anne)},
        format="json",
    )

    assert response.status_code == 202
    anne.refresh_from_db()
    assert anne.email == "anne@example.be" and anne.pending_email == "anne.new@example.be"
    (notice,) = smtp_mailbox.to("anne@example.be")
    assert "anne.new@example.be" in smtp_mailbox.text(notice)
    (verification,) = smtp_mailbox.to("anne.new@example.be")
    key = query_of(smtp_mailbox.link(verification))["key"]

    assert (
        APIClient().post("/api/auth/verify-email/", {"key": key}, format="json").status_code == 200
    )
    anne.refresh_from_db()
    assert anne.email == "anne.new@example.be" and anne.email_verified and not anne.pending_email


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"email": "anne.new@example.be", "password": "wrong"}, "password"),
        ({"email": "taken@example.be", "password": None}, "email"),
        ({"email": "anne@example.be", "password": None}, "email"),
    ],
)
def test_a_refused_change_of_address_saves_nothing(smtp_mailbox, anne, body, field):
    UserFactory(email="taken@example.be")
    client = APIClient()
    client.force_authenticate(anne)
    body = {**body, "password": body["password"] or password_for(anne)}

    response = client.post("/api/me/email/", body, format="json")

    assert response.status_code == 400 and field in response.json()
    anne.refresh_from_db()
    assert anne.pending_email == ""
    assert smtp_mailbox.messages == []


def test_changing_the_password_ends_other_sessions_and_tokens(smtp_mailbox, anne):
    old_token = Token.objects.create(user=anne).key
    other_device = Client()
    other_device.force_login(anne)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {old_token}")

    response = client.post(
        "/api/me/password/",
        {"current_password": password_for(anne), "new_password": NEW_PASSWORD},
        format="json",
    )

    assert response.status_code == 200
    new_token = response.json()["token"]
    assert new_token != old_token
    assert APIClient().get("/api/me/", HTTP_AUTHORIZATION=f"Token {old_token}").status_code == 401
    assert APIClient().get("/api/me/", HTTP_AUTHORIZATION=f"Token {new_token}").status_code == 200
    assert other_device.get("/account/").status_code == 302
    assert len(smtp_mailbox.to(anne.email)) == 1  # "your password was changed"


def test_a_wrong_current_password_changes_nothing(anne):
    client = APIClient()
    client.force_authenticate(anne)

    response = client.post(
        "/api/me/password/",
        {"current_password": "wrong", "new_password": NEW_PASSWORD},
        format="json",
    )

    assert response.status_code == 400 and "current_password" in response.json()
    anne.refresh_from_db()
    assert anne.check_password(password_for(anne))


def test_log_out_everywhere_ends_every_session_and_token(anne):
    token = Token.objects.create(user=anne).key
    browser = Client()
    browser.force_login(anne)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")

    assert client.post("/api/me/logout-everywhere/").status_code == 204
    assert client.get("/api/me/").status_code == 401
    assert browser.get("/account/").status_code == 302
