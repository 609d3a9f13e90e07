"""The coordinators' queue (`GET /api/referrals/`) reads its rows in a fixed number of queries,
however many referrals it lists, and still writes one audit row per referral listed."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from carers.models import AuditAction, ReferralAudit
from carers.selectors import referral_get
from carers.serializers_referrals import referral_as_dict
from directory.models import Service
from tests.carers.factories import AssessmentFactory, ReferralFactory

pytestmark = pytest.mark.django_db

CPAS_KEYS = ["cpas-92094", "cpas-21004", "cpas-44021", "cpas-63023", "cpas-21009"]


def referrals_referred_to_a_cpas(count: int):
    services = Service.objects.filter(key__in=CPAS_KEYS[:count])
    return [ReferralFactory(with_consent=True, referred_to=service) for service in services]


def list_queue(coordinator):
    client = APIClient()
    client.force_authenticate(coordinator)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/referrals/")
    assert response.status_code == 200
    return response.json(), len(queries)


def test_the_number_of_queries_does_not_grow_with_the_queue(coordinator, service_directory):
    referrals_referred_to_a_cpas(1)
    _listed, queries_for_one = list_queue(coordinator)

    referrals_referred_to_a_cpas(5)
    listed, queries_for_six = list_queue(coordinator)

    assert len(listed) == 6
    assert queries_for_six == queries_for_one


def test_the_referred_to_service_is_listed_with_its_municipality(coordinator, service_directory):
    [referral] = referrals_referred_to_a_cpas(1)

    [listed], _queries = list_queue(coordinator)

    assert listed["id"] == referral.pk
    assert listed["referred_to"]["key"] == "cpas-92094"
    assert listed["referred_to"]["municipality"]["name"] == {"fr": "Namur", "nl": "Namen"}
    assert listed["municipality"] == {"refnis": "92094", "name_fr": "Namur", "name_nl": "Namen"}
    assert listed["assessment"] is None


def test_listing_still_writes_an_audit_row_per_referral(coordinator, service_directory):
    referrals = referrals_referred_to_a_cpas(3)

    list_queue(coordinator)

    audited = ReferralAudit.objects.filter(action=AuditAction.LIST, actor=coordinator)
    assert sorted(audited.values_list("referral_id", flat=True)) == sorted(
        referral.pk for referral in referrals
    )


def test_a_listed_referral_reads_as_when_read_with_everything_joined(
    coordinator, service_directory
):
    [referral] = referrals_referred_to_a_cpas(1)
    referral.assessment = AssessmentFactory()
    referral.assigned_to = coordinator
    referral.save()

    [listed], _queries = list_queue(coordinator)

    assert listed == referral_as_dict(referral_get(referral_id=referral.pk), language="fr")
