"""Coordinators mark the carer signal behind a referral right or wrong (issue 16, item 5), and
`manage.py detection_report` prints precision on the marked signals per month and language."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from detection.models import SignalMark
from tests.carers.factories import ReferralFactory
from tests.requests_app.factories import HelpRequestFactory

pytestmark = pytest.mark.django_db


def mark_url(referral) -> str:
    return f"/coordinator/referrals/{referral.pk}/signal-mark/"


def referral_from_a_request(description="Je m'occupe de ma mère qui a Alzheimer, tous les jours."):
    return ReferralFactory(help_request=HelpRequestFactory(description=description))


def test_a_coordinator_marks_the_signal_and_the_page_shows_the_verdict(client, coordinator):
    referral = referral_from_a_request()
    client.force_login(coordinator)

    response = client.post(mark_url(referral), {"correct": "no"})

    assert response.status_code == 302
    mark = SignalMark.objects.get()
    assert (mark.detector, mark.subject, mark.correct, mark.language) == (
        "carer_signal",
        f"referral:{referral.pk}",
        False,
        "fr",
    )
    page = client.get(f"/coordinator/referrals/{referral.pk}/?lang=en").content.decode()
    assert "You marked the signal as wrong." in page


def test_marking_again_replaces_the_verdict(client, coordinator):
    referral = referral_from_a_request()
    client.force_login(coordinator)

    client.post(mark_url(referral), {"correct": "no"})
    client.post(mark_url(referral), {"correct": "yes"})

    assert SignalMark.objects.get().correct is True


def test_only_a_verdict_is_stored_never_free_text(client, coordinator):
    referral = referral_from_a_request()
    client.force_login(coordinator)

    client.post(mark_url(referral), {"correct": "maybe", "note": "she seemed fine"})

    assert not SignalMark.objects.exists()
    assert {field.name for field in SignalMark._meta.get_fields()} == {
        "id",
        "detector",
        "subject",
        "correct",
        "language",
        "marked_at",
    }


@pytest.mark.parametrize("persona", ["requester", "helper"])
def test_only_coordinators_may_mark(client, persona, request):
    referral = referral_from_a_request()
    client.force_login(request.getfixturevalue(persona))

    assert client.post(mark_url(referral), {"correct": "yes"}).status_code == 403
    assert not SignalMark.objects.exists()


def test_a_referral_not_raised_by_the_signal_cannot_be_marked(client, coordinator):
    referral = ReferralFactory(source="manual")
    client.force_login(coordinator)

    assert client.post(mark_url(referral), {"correct": "yes"}).status_code == 404
    assert (
        "Was the signal right?"
        not in client.get(f"/coordinator/referrals/{referral.pk}/?lang=en").content.decode()
    )


def test_the_report_prints_precision_per_month_and_language():
    november = timezone.make_aware(datetime.datetime(2026, 11, 10))
    december = timezone.make_aware(datetime.datetime(2026, 12, 3))
    for number, (language, correct, when) in enumerate(
        [
            ("fr", True, november),
            ("fr", True, november),
            ("fr", False, november),
            ("nl", True, december),
        ]
    ):
        SignalMark.objects.create(
            detector="carer_signal",
            subject=f"referral:{number}",
            correct=correct,
            language=language,
            marked_at=when,
        )
    output = StringIO()

    call_command("detection_report", stdout=output)

    lines = output.getvalue().splitlines()
    assert any("2026-11" in line and " fr " in line and "0.667" in line for line in lines), lines
    assert any("2026-12" in line and " nl " in line and "1.000" in line for line in lines), lines


def test_the_report_says_so_when_nothing_is_marked():
    output = StringIO()

    call_command("detection_report", stdout=output)

    assert "No marked signals yet." in output.getvalue()
