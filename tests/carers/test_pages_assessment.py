"""/carers/assessment/: a few questions at a time, only those that can still change the
outcome, then the result with next steps, local services and optional consent."""

import re

import pytest

from carers.engine import QUESTION_PATHS
from carers.forms import STEP_QUESTIONS, field_name
from carers.models import Assessment, Referral
from tests.frontend.html_page import Page

pytestmark = pytest.mark.django_db
START = "/carers/assessment/?lang=en"
QUESTIONS = "/carers/assessment/questions/"
RESULT = "/carers/assessment/result/"

# Answers that meet every condition of both recognitions (an employee helping an 80-year-old).
LIKELY = {
    "carer.trust_relationship": "yes",
    "carer.resides_in_belgium": "yes",
    "carer.in_population_register": "yes",
    "carer.unpaid_non_professional": "yes",
    "carer.professional_involved": "yes",
    "carer.respects_life_project": "yes",
    "cared_for.resides_in_belgium": "yes",
    "cared_for.dependent": "yes",
    "cared_for.permanent_residential_care_days": "0",
    "carer.hours_per_month": "60",
    "carer.hours_per_year": "",
    "cared_for.recognised_carers": "0",
    "cared_for.age": "80",
    "cared_for.indicators.autonomy_points": "12",
    "carer.employment": "employee",
}


def asked_paths(html: str) -> list[str]:
    names = re.findall(r'name="([a-z_]+__[a-z_]+(?:__[a-z_0-9]+)?)"', html)
    return list(dict.fromkeys(name.replace("__", ".") for name in names))


def run_through(client, answers: dict[str, str], postcode: str = "5000"):
    """Answer every step shown until the result; returns the paths asked, in order."""
    client.get(START)
    client.post("/carers/assessment/", {"postcode": postcode})
    asked = []
    for _ in range(20):
        response = client.get(QUESTIONS)
        if response.status_code == 302:
            return asked
        html = response.content.decode()
        step = re.search(r'name="step" value="([^"]+)"', html).group(1)
        paths = asked_paths(html)
        asked += paths
        body = {"step": step}
        body.update({field_name(path): answers.get(path, "unknown") for path in paths})
        assert client.post(QUESTIONS, body).status_code == 302
    raise AssertionError("the questionnaire never ended")


def test_every_engine_question_belongs_to_exactly_one_step():
    assert sorted(STEP_QUESTIONS) == sorted(QUESTION_PATHS)


def test_a_visitor_answers_and_sees_outcome_next_steps_and_services(client, service_directory):
    asked = run_through(client, LIKELY)
    page = client.get(RESULT).content.decode()

    assert Assessment.objects.get().outcome["social_rights"]["status"] == "likely"
    assert "Likely" in page
    assert "What to do next" in page
    assert "sworn statement" in page.lower()
    assert "CPAS de Namur" in page
    assert "Your own health insurance fund" in page
    # Once 60 hours a month and 12 autonomy points are known, nothing else can change the
    # outcome: no other scale, no yearly hours, no child criterion is asked.
    assert "carer.hours_per_year" in asked  # asked in the same step as the monthly hours
    assert "cared_for.indicators.bel_scale_points" not in asked
    assert "cared_for.indicators.child_scale_points" not in asked


def test_an_answer_that_rules_recognition_out_ends_the_questions_early(client, service_directory):
    asked = run_through(client, {**LIKELY, "carer.trust_relationship": "no"})
    page = client.get(RESULT).content.decode()

    assert "cared_for.age" not in asked
    assert "carer.employment" not in asked
    assert "Unlikely" in page


def test_i_dont_know_leaves_the_outcome_open_and_is_not_asked_again(client, service_directory):
    asked = run_through(client, {**LIKELY, "cared_for.dependent": "unknown"})
    page = client.get(RESULT).content.decode()

    assert asked.count("cared_for.dependent") == 1
    assert "Not settled yet" in page
    assert "Still unknown" in page
    assert "Does the person depend on help" in page


def test_consent_with_an_email_opens_a_referral_with_the_wording_version(client, service_directory):
    run_through(client, LIKELY)
    page = client.get(RESULT).content.decode()

    response = client.post(RESULT, {"agree": "on", "email": "anne@example.org", "phone": ""})

    referral = Referral.objects.get()
    assert "Wording version 2025-01" in page
    assert response.status_code == 302
    assert referral.consent == "given"
    assert referral.consent_wording_version == "2025-01"
    assert referral.assessment.contact == {"email": "anne@example.org"}
    assert "A coordinator will get in touch" in client.get(RESULT).content.decode()


def test_consent_without_contact_details_shows_an_error_tied_to_the_field(
    client, service_directory
):
    run_through(client, LIKELY)

    response = client.post(RESULT, {"agree": "on", "email": "", "phone": ""})

    page = Page(response.content.decode())
    email = page.by_id("id_email")
    assert response.status_code == 200
    assert "id_email_error" in email.attrs["aria-describedby"]
    assert page.by_id("id_email_error").text.strip()
    assert not Referral.objects.exists()


def test_every_field_of_every_page_has_a_visible_label(client, service_directory):
    client.get(START)
    pages = [client.get("/carers/assessment/").content.decode()]
    client.post("/carers/assessment/", {"postcode": "5000"})
    pages.append(client.get(QUESTIONS).content.decode())
    for html in pages:
        page = Page(html)
        labelled = {label.attrs.get("for") for label in page.find_all("label")}
        for element in page.find_all("input") + page.find_all("select"):
            if element.attrs.get("type") in {"hidden", "submit"}:
                continue
            assert element.attrs.get("id") in labelled, element.attrs


def test_a_bad_number_is_reported_next_to_its_question(client, service_directory):
    run = {**LIKELY}
    client.get(START)
    client.post("/carers/assessment/", {"postcode": "5000"})
    for _ in range(3):  # the first three steps
        html = client.get(QUESTIONS).content.decode()
        step = re.search(r'name="step" value="([^"]+)"', html).group(1)
        body = {"step": step, **{field_name(p): run.get(p, "unknown") for p in asked_paths(html)}}
        client.post(QUESTIONS, body)

    html = client.get(QUESTIONS).content.decode()
    response = client.post(QUESTIONS, {"step": "hours", field_name("carer.hours_per_month"): "-5"})

    assert 'value="hours"' in html
    page = Page(response.content.decode())
    field = page.by_id("id_carer__hours_per_month")
    assert field.attrs["aria-invalid"] == "true"
    assert "id_carer__hours_per_month_error" in field.attrs["aria-describedby"]


def test_an_unknown_postcode_is_refused_on_the_first_page(client):
    response = client.post("/carers/assessment/?lang=en", {"postcode": "9999"})

    assert response.status_code == 200
    assert "not a current Belgian postcode" in response.content.decode()


def test_the_result_page_without_a_run_goes_back_to_the_start(client):
    response = client.get(RESULT)

    assert response.status_code == 302
    assert response["Location"] == "/carers/assessment/"
