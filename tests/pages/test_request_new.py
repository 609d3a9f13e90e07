"""/requests/new/: ask for help in a minute, through the real request service."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone, translation
from django.utils.html import escape

from requests_app.medical_refusal import medical_services
from requests_app.models import HelpRequest, RequestStatus
from tests.accounts.factories import UserFactory
from tests.pages.conftest import client_for
from tests.pages.html import assert_every_control_is_labelled, assert_light, page_of
from tests.pages.request_form import request_form_answers

URL = "/requests/new/"

pytestmark = pytest.mark.django_db


answers = request_form_answers


@pytest.fixture
def person(db):
    return UserFactory(postcode="5000", display_name="Anne")


def test_anonymous_people_are_sent_to_log_in_first():
    response = client_for(None).get(URL)

    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/requests/new/"


def test_the_form_is_light_labelled_and_prefilled_with_the_persons_postcode(person):
    response = client_for(person).get(URL)

    assert response.status_code == 200
    assert_light(response)
    assert_every_control_is_labelled(response)
    page = page_of(response)
    assert page.by_id("id_postcode").attrs["value"] == "5000"
    assert len(page.find_all("h1")) == 1
    # Categories are radio buttons in a group with a legend, not a select.
    assert len(page.find_all("input", type="radio", name="category")) == 9
    assert "legend" in {element.tag for element in page.elements}


def test_sending_the_form_creates_the_request_and_shows_its_place(person):
    client = client_for(person)

    response = client.post(URL, answers(starts_on="2099-01-01"))
    assert response.status_code == 200  # a date without a time: asked again
    assert not HelpRequest.objects.exists()

    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(URL, answers(starts_on=tomorrow.isoformat(), starts_time="14:30"))

    help_request = HelpRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/requests/{help_request.pk}/"
    assert help_request.requester == person
    assert help_request.created_by == person
    assert help_request.status == RequestStatus.OPEN
    assert help_request.recurrence == "weekly"
    assert help_request.duration_minutes == 60
    assert help_request.postcode == "5000"
    assert help_request.starts_at == datetime.datetime(
        tomorrow.year, tomorrow.month, tomorrow.day, 14, 30, tzinfo=ZoneInfo("Europe/Brussels")
    )
    detail = client.get(response["Location"])
    # Without JavaScript, the municipality of the postcode is named on the next page.
    assert "Namur" in detail.content.decode()
    assert "Your request is online" in detail.content.decode()


def test_a_medical_task_is_refused_with_professional_services_and_keeps_what_was_typed(person):
    typed = "Faire une injection d'insuline à ma mère chaque soir"

    response = client_for(person, language="fr").post(
        URL, answers(description=typed, category="company")
    )

    assert response.status_code == 200
    assert not HelpRequest.objects.exists()
    html = response.content.decode()
    page = page_of(response)
    assert page.find("div", role="alert")
    with translation.override("fr"):
        services = medical_services(codes=["injection"], region="wallonia")
    for service in services:
        assert escape(service["name"]) in html
    assert page.by_id("id_description").text.strip() == typed
    assert page.find("input", name="category", value="company").attrs.get("checked") is not None


def test_an_unknown_postcode_is_explained_next_to_the_field(person):
    response = client_for(person).post(URL, answers(postcode="0000"))

    assert response.status_code == 200
    assert not HelpRequest.objects.exists()
    postcode = page_of(response).by_id("id_postcode")
    assert postcode.attrs.get("aria-invalid") == "true"
    assert "id_postcode_error" in postcode.attrs["aria-describedby"]


def test_answers_about_someone_else_only_count_when_the_help_is_for_someone_else(person):
    client = client_for(person)

    client.post(URL, answers(for_someone_else="no", relationship="parent", cared_for_age="999"))
    client.post(
        URL,
        answers(
            for_someone_else="yes",
            relationship="parent",
            cared_for_age="84",
            care_hours_per_week="20",
        ),
    )

    for_me, for_mother = HelpRequest.objects.order_by("id")
    assert (for_me.for_someone_else, for_me.relationship, for_me.cared_for_age) == (
        False,
        "",
        None,
    )
    assert for_mother.for_someone_else is True
    assert (for_mother.relationship, for_mother.cared_for_age) == ("parent", 84)
    assert float(for_mother.care_hours_per_week) == 20.0


def test_a_missing_category_is_tied_to_the_group_of_choices(person):
    response = client_for(person).post(URL, answers(category=""))

    page = page_of(response)
    group = page.find("fieldset", **{"aria-describedby": "id_category_error"})
    assert group
    assert page.by_id("id_category_error").text.strip()
    # The error summary leads to the first choice.
    assert page.find("a", href="#id_category_0")


def test_coordinators_find_the_way_to_ask_on_someones_behalf(db):
    from tests.accounts.factories import CoordinatorFactory

    response = client_for(CoordinatorFactory()).get(URL)

    assert page_of(response).find("a", href="/coordinator/requests/new/")
