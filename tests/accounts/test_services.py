"""accounts.services as the web pages call them: errors come back per field, all at once."""

import pytest
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from accounts.lockout import lockout_response
from accounts.models import User
from accounts.services import user_register
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_user_register_reports_every_bad_field_at_once():
    UserFactory(email="taken@example.be")

    with pytest.raises(ValidationError) as error:
        user_register(
            email="Taken@example.be",
            password="123",
            display_name="",
            language="xx",
            postcode="0999",
        )

    assert set(error.value.message_dict) == {
        "email",
        "password",
        "display_name",
        "language",
        "postcode",
    }
    assert User.objects.count() == 1


def test_user_register_compares_the_password_with_the_persons_name():
    with pytest.raises(ValidationError) as error:
        user_register(
            email="someone@example.be",
            password="Marie-Christine",
            display_name="Marie-Christine",
            language="fr",
            postcode="1000",
        )

    assert list(error.value.message_dict) == ["password"]


def test_user_register_stores_the_email_in_lower_case():
    user = user_register(
        email="  Someone@Example.BE ",
        password="Quiet-meadow-bicycle-71",
        display_name="Someone",
        language="de",
        postcode="1000",
    )

    assert user.email == "someone@example.be"


@pytest.mark.parametrize(
    ("path", "content_type"),
    [("/api/auth/token/", "application/json"), ("/login/", "text/html")],
)
def test_the_lockout_answer_is_429_with_retry_after_as_json_or_a_page(path, content_type):
    request = RequestFactory().post(path)

    response = lockout_response(request)

    assert response.status_code == 429
    assert response["Content-Type"].startswith(content_type)
    assert int(response["Retry-After"]) > 0
