"""/login/ and /logout/: sessions for people, with django-axes counting failures."""

import pytest
from django.conf import settings

from tests.accounts.factories import password_for
from tests.frontend.html_page import Page

pytestmark = pytest.mark.django_db


def test_the_right_password_signs_the_person_in(client, person):
    response = client.post(
        "/login/", {"email": "Marie@Example.org", "password": password_for(person)}
    )

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert int(client.session["_auth_user_id"]) == person.pk


def test_once_signed_in_the_navigation_shows_the_name_and_a_logout_button(client, person):
    client.force_login(person)

    page = Page(client.get("/").content.decode())

    assert "Marie Dubois" in page.find("nav").text
    logout_form = page.find("form", action="/logout/")
    assert logout_form.attrs["method"] == "post"
    assert not [link for link in page.find_all("a") if link.attrs.get("href") == "/login/"]


def test_a_wrong_password_is_refused_in_french_by_default(client, person):
    response = client.post("/login/", {"email": person.email, "password": "not the password"})

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    summary = Page(response.content.decode()).find("div", role="alert")
    assert "ne correspondent à aucun compte" in summary.text


def test_a_wrong_password_is_refused_in_the_language_chosen(client, person):
    response = client.post("/login/?lang=de", {"email": person.email, "password": "wrong!"})

    summary = Page(response.content.decode()).find("div", role="alert")
    assert "stimmen mit keinem Konto überein" in summary.text


def test_the_person_goes_back_where_they_were_asked_to_sign_in(client, person):
    response = client.post(
        "/login/", {"email": person.email, "password": password_for(person), "next": "/signup/"}
    )

    assert response["Location"] == "/signup/"


def test_a_next_address_on_another_site_is_ignored(client, person):
    response = client.post(
        "/login/",
        {"email": person.email, "password": password_for(person), "next": "https://evil.example/"},
    )

    assert response["Location"] == "/"


def test_repeated_failures_lock_the_account_out_with_a_page(client, person):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post("/login/", {"email": person.email, "password": "guess"})

    response = client.post("/login/", {"email": person.email, "password": password_for(person)})

    assert response.status_code == 429
    page = Page(response.content.decode())
    assert page.find("html").attrs["lang"] == "fr"
    assert "Trop de tentatives" in page.find("h1").text
    assert page.find("p", role="alert").text.strip()
    assert "_auth_user_id" not in client.session


def test_logging_out_needs_a_post(client, person):
    client.force_login(person)

    response = client.get("/logout/")

    assert response.status_code == 405
    assert "_auth_user_id" in client.session


def test_logging_out_ends_the_session(client, person):
    client.force_login(person)

    response = client.post("/logout/")

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
