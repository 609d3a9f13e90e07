"""`manage.py createcoordinator EMAIL --password PW`: creates or updates, never interactive."""

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Coordination-desk-2025"
NEW_PASSWORD = "Another-long-secret-88"


def test_it_creates_a_coordinator_who_can_sign_in():
    call_command("createcoordinator", "Chloe@Example.be", "--password", PASSWORD)

    user = User.objects.get(email="chloe@example.be")
    assert user.roles == ["coordinator"]
    assert user.is_coordinator
    assert user.check_password(PASSWORD)
    assert user.display_name  # required by the model; taken from the address when not given


def test_it_uses_the_display_name_given():
    call_command(
        "createcoordinator",
        "chloe@example.be",
        "--password",
        PASSWORD,
        "--display-name",
        "Chloé Martin",
    )

    assert User.objects.get(email="chloe@example.be").display_name == "Chloé Martin"


def test_it_makes_an_existing_account_a_coordinator_and_sets_the_password():
    existing = UserFactory(email="chloe@example.be", display_name="Chloé")

    call_command("createcoordinator", "CHLOE@example.be", "--password", NEW_PASSWORD)

    existing.refresh_from_db()
    assert existing.roles == ["helppie", "coordinator"]
    assert existing.check_password(NEW_PASSWORD)
    assert existing.display_name == "Chloé"
    assert User.objects.count() == 1


def test_running_it_twice_changes_nothing_more():
    call_command("createcoordinator", "chloe@example.be", "--password", PASSWORD)
    call_command("createcoordinator", "chloe@example.be", "--password", PASSWORD)

    user = User.objects.get()
    assert user.roles == ["coordinator"]
    assert user.check_password(PASSWORD)


@pytest.mark.parametrize("password", ["short", "password123", "12345678901234"])
def test_a_weak_password_is_refused_with_the_reason(password):
    with pytest.raises(CommandError) as error:
        call_command("createcoordinator", "chloe@example.be", "--password", password)

    assert "password:" in str(error.value)
    assert not User.objects.exists()


def test_a_weak_password_does_not_change_an_existing_account():
    existing = UserFactory(email="chloe@example.be")
    old_hash = existing.password

    with pytest.raises(CommandError):
        call_command("createcoordinator", "chloe@example.be", "--password", "short")

    existing.refresh_from_db()
    assert existing.password == old_hash
    assert not existing.is_coordinator


def test_a_bad_email_is_refused():
    with pytest.raises(CommandError) as error:
        call_command("createcoordinator", "not-an-email", "--password", PASSWORD)

    assert "email:" in str(error.value)


def test_the_password_is_required():
    with pytest.raises(CommandError):
        call_command("createcoordinator", "chloe@example.be")
