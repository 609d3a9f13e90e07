"""The access log shown to the person (issue 14, item 4; audit app).

Every read of someone's sensitive data by someone else in a privileged role writes exactly one
row; the person's own reads write none; the table refuses UPDATE and DELETE at database level
except through the retention purge (and the narrow exit of an account's erasure); the person
sees the log on their account page, through the API and in their export.
"""

from datetime import datetime

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.utils import timezone, translation

from audit.models import AccessKind, AccessRecord
from audit.services import access_recorded, access_records_purge
from requests_app.models import Feedback
from tests.carers.factories import ReferralFactory
from tests.clients import client_for
from tests.requests_app.factories import HelpRequestFactory

pytestmark = pytest.mark.django_db

# Everyone who reads other people's sensitive data by virtue of a role. The partner services'
# workers (issue 14, item 1) join this list when their role lands.
PRIVILEGED = ("coordinator",)


@pytest.fixture
def files(requester, helper, coordinator):
    """The requester's sensitive data: a referral about them, a request for their mother made
    by a coordinator on the phone (care details and a carer signal), feedback they wrote."""
    care_request = HelpRequestFactory(
        requester=requester,
        created_by=coordinator,
        for_someone_else=True,
        relationship="parent",
        cared_for_age=84,
        care_hours_per_week=25,
        description="Je m'occupe de ma mère tous les jours, j'ai besoin de souffler.",
        matched_helper=helper,
    )
    return {
        "referral": ReferralFactory(person=requester),
        "request": care_request,
        "feedback": Feedback.objects.create(
            request=care_request, author=requester, about=helper, text="Très gentil."
        ),
    }


def _api(method_path):
    def read(user):
        return client_for(user).get(method_path)

    return read


# (label, path given the files, what is recorded, the object it names, via pages or the API)
SENSITIVE_READS = [
    ("referral queue (API)", lambda f: "/api/referrals/", AccessKind.REFERRAL, "referral", "api"),
    (
        "referral (API)",
        lambda f: f"/api/referrals/{f['referral'].pk}/",
        AccessKind.REFERRAL,
        "referral",
        "api",
    ),
    (
        "request (API)",
        lambda f: f"/api/requests/{f['request'].pk}/",
        AccessKind.REQUEST_CARER_SIGNAL,
        "request",
        "api",
    ),
    (
        "requests made on someone's behalf (API)",
        lambda f: "/api/requests/",
        AccessKind.REQUEST_CARE_DETAILS,
        "request",
        "api",
    ),
    (
        "feedback (API)",
        lambda f: f"/api/requests/{f['request'].pk}/feedback/",
        AccessKind.FEEDBACK,
        "feedback",
        "api",
    ),
    ("referral queue (page)", lambda f: "/coordinator/", AccessKind.REFERRAL, "referral", "page"),
    (
        "referral (page)",
        lambda f: f"/coordinator/referrals/{f['referral'].pk}/",
        AccessKind.REFERRAL,
        "referral",
        "page",
    ),
    (
        "request (page)",
        lambda f: f"/requests/{f['request'].pk}/",
        AccessKind.REQUEST_CARE_DETAILS,
        "request",
        "page",
    ),
]


def _get(user, path: str, via: str):
    if via == "api":
        return client_for(user).get(path)
    client = Client()
    client.force_login(user)
    return client.get(path)


@pytest.mark.parametrize("persona", PRIVILEGED)
@pytest.mark.parametrize(
    ("path_of", "what", "object_name", "via"),
    [pytest.param(*read[1:], id=read[0]) for read in SENSITIVE_READS],
)
def test_each_sensitive_read_by_a_privileged_reader_writes_exactly_one_row(
    personas, files, persona, path_of, what, object_name, via
):
    reader = personas.persona(persona)
    path = path_of(files)

    response = _get(reader, path, via)

    assert response.status_code == 200
    record = AccessRecord.objects.get()  # exactly one
    assert record.reader == reader
    assert record.reader_name == reader.display_name
    assert record.reader_role == "coordinator"
    assert record.organisation == "Tandem"
    assert record.subject == personas.requester
    assert record.what == what
    assert record.object_id == files[object_name].pk
    assert record.route == path.split("?")[0]
    assert record.purpose


@pytest.mark.parametrize(
    ("path", "via"),
    [
        ("/api/requests/{request}/", "api"),
        ("/api/requests/", "api"),
        ("/requests/{request}/", "page"),
    ],
)
def test_the_subject_reading_their_own_data_writes_no_row(requester, files, path, via):
    response = _get(requester, path.format(request=files["request"].pk), via)

    assert response.status_code == 200
    assert not AccessRecord.objects.exists()


def test_the_matched_helper_reading_the_request_writes_no_row(helper, files):
    # They are not shown the care details or the signal (requests_app.serializers).
    response = client_for(helper).get(f"/api/requests/{files['request'].pk}/")

    assert response.status_code == 200
    assert "carer_signal" not in response.json()
    assert not AccessRecord.objects.exists()


def test_a_referral_about_nobody_writes_no_row(coordinator):
    manual = ReferralFactory(person=None, source="manual")

    client_for(coordinator).get(f"/api/referrals/{manual.pk}/")

    assert not AccessRecord.objects.exists()


def test_a_list_writes_one_row_per_person_listed(coordinator, requester, other_requester):
    ReferralFactory(person=requester)
    ReferralFactory(person=other_requester)

    client_for(coordinator).get("/api/referrals/")

    assert sorted(AccessRecord.objects.values_list("subject_id", flat=True)) == sorted(
        [requester.pk, other_requester.pk]
    )


# --- The database keeps it append-only ----------------------------------------------------


@pytest.fixture
def record(coordinator, requester):
    return access_recorded(
        reader=coordinator,
        role="coordinator",
        subject_id=requester.pk,
        what=AccessKind.REFERRAL,
        object_id=7,
        purpose="referral_detail",
        route="/api/referrals/7/",
    )


def _raw(sql: str, params: list) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_accessrecord SET reader_name = 'Nobody' WHERE id = %s",
        "UPDATE audit_accessrecord SET at = at - interval '10 years' WHERE id = %s",
        "UPDATE audit_accessrecord SET subject_id = NULL WHERE id = %s",
        "DELETE FROM audit_accessrecord WHERE id = %s",
    ],
)
def test_the_database_refuses_to_change_or_delete_a_row(record, sql):
    with pytest.raises(DatabaseError, match="append-only"):
        _raw(sql, [record.pk])

    record.refresh_from_db()
    assert record.reader_name == "Cora Coordinator"


def test_the_orm_cannot_delete_a_row_either(record):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AccessRecord.objects.filter(pk=record.pk).delete()

    assert AccessRecord.objects.filter(pk=record.pk).exists()


def test_the_erasure_exit_clears_only_the_links(record):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('tandem.audit_erasure', 'on', true)")
            cursor.execute(
                "UPDATE audit_accessrecord SET subject_id = NULL, what = 'export' WHERE id = %s",
                [record.pk],
            )


def test_the_purge_closes_its_exit_when_done_even_inside_a_longer_transaction(record):
    # Every test runs inside a transaction: the purge's permission must not outlive the purge.
    access_records_purge(older_than_days=1)

    with pytest.raises(DatabaseError, match="append-only"):
        _raw("DELETE FROM audit_accessrecord WHERE id = %s", [record.pk])


def test_the_erasure_closes_its_exit_when_done(record, outsider):
    from audit.services import access_records_detach_user

    access_records_detach_user(user=outsider)

    with pytest.raises(DatabaseError, match="append-only"):
        _raw("UPDATE audit_accessrecord SET subject_id = NULL WHERE id = %s", [record.pk])


def _age(record, days: int) -> None:
    """Move `record` `days` into the past. Ageing a row is an update the trigger refuses, so the
    row is written again, old, by a plain INSERT (allowed), and the young one purged."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO audit_accessrecord (at, reader_id, reader_name, reader_role, organisation,"
            " subject_id, what, object_id, purpose, route)"
            " SELECT now() - make_interval(days => %s), reader_id, reader_name, reader_role,"
            " organisation, subject_id, what, object_id, purpose, route"
            " FROM audit_accessrecord WHERE id = %s RETURNING id",
            [days, record.pk],
        )
        old_id = cursor.fetchone()[0]
        cursor.execute("SELECT set_config('tandem.audit_retention', 'on', true)")
        cursor.execute("DELETE FROM audit_accessrecord WHERE id = %s", [record.pk])
        cursor.execute("SELECT set_config('tandem.audit_retention', 'off', true)")
    record.pk = record.id = old_id
    record.refresh_from_db()


def test_the_retention_purge_deletes_rows_past_their_period_only(record, coordinator, settings):
    settings.RETENTION_ACCESS_LOG_DAYS = 30
    recent = access_recorded(
        reader=coordinator, role="coordinator", subject_id=record.subject_id, what="referral"
    )
    _age(record, 31)

    assert access_records_purge() == 1

    assert list(AccessRecord.objects.all()) == [recent]


def test_the_purge_command_purges_the_access_log(record, settings):
    settings.RETENTION_ACCESS_LOG_DAYS = 30
    _age(record, 31)

    call_command("purge_expired_data")

    assert not AccessRecord.objects.exists()


# --- Erasing an account ---------------------------------------------------------------------


def test_erasing_the_subject_keeps_their_rows_pseudonymised(record, requester):
    from accounts.services import user_erase

    requester.set_password("erase-me-Please-2024")
    requester.save()

    user_erase(user=requester, password="erase-me-Please-2024")

    kept = AccessRecord.objects.get(pk=record.pk)
    assert kept.subject_id is None
    assert (kept.reader_name, kept.what, kept.object_id) == ("Cora Coordinator", "referral", 7)


def test_erasing_the_reader_keeps_their_name_for_the_person(record, coordinator, requester):
    from accounts.services import user_erase

    coordinator.set_password("erase-me-Please-2024")
    coordinator.save()

    user_erase(user=coordinator, password="erase-me-Please-2024")

    kept = AccessRecord.objects.get(pk=record.pk)
    assert kept.reader_id is None
    assert kept.subject == requester
    assert kept.reader_name == "Cora Coordinator"


# --- The person sees it ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        ("en", "Cora Coordinator (Tandem), coordinator, read your referral on March 3, 2026."),
        ("fr", "Cora Coordinator (Tandem), coordinateur, a lu votre signalement le 3 mars 2026."),
        (
            "nl",
            "Cora Coordinator (Tandem), coördinator, heeft uw doorverwijzing gelezen"
            " op 3 maart 2026.",
        ),
        ("de", "Cora Coordinator (Tandem), Koordinator, hat Ihre Meldung am 3. März 2026 gelesen."),
    ],
)
def test_the_account_page_shows_who_read_what_and_when(record, requester, language, sentence):
    march_3 = timezone.make_aware(datetime(2026, 3, 3, 10, 0))
    _age(record, (timezone.now() - march_3).days)
    client = Client()
    client.force_login(requester)

    response = client.get(f"/account/?lang={language}", HTTP_ACCEPT_LANGUAGE=language)

    assert response.status_code == 200
    assert sentence in response.content.decode()


def test_the_account_page_says_when_nobody_read_anything(requester):
    client = Client()
    client.force_login(requester)

    with translation.override("en"):
        response = client.get("/account/?lang=en")

    assert "Nobody else has read your data yet." in response.content.decode()


def test_the_api_lists_the_persons_own_log_only(record, requester, other_requester, coordinator):
    access_recorded(
        reader=coordinator, role="coordinator", subject_id=other_requester.pk, what="referral"
    )

    body = client_for(requester).get("/api/me/access-log/").json()

    assert body == [
        {
            "id": record.pk,
            "at": body[0]["at"],
            "reader": {
                "display_name": "Cora Coordinator",
                "role": "coordinator",
                "role_text": body[0]["reader"]["role_text"],
                "organisation": "Tandem",
            },
            "what": "referral",
            "what_text": body[0]["what_text"],
            "object_id": 7,
            "purpose": "referral_detail",
            "route": "/api/referrals/7/",
        }
    ]
    assert client_for(other_requester).get("/api/me/access-log/").json()[0]["object_id"] is None


def test_reading_ones_own_log_is_not_logged(record, requester):
    client_for(requester).get("/api/me/access-log/")

    assert AccessRecord.objects.count() == 1


def test_the_export_holds_the_access_log(record, requester):
    export = client_for(requester).get("/api/me/export/").json()

    assert [entry["what"] for entry in export["access_log"]] == ["referral"]
    assert export["access_log"][0]["reader"]["display_name"] == "Cora Coordinator"


@pytest.mark.parametrize("persona", ["requester", "helper", "outsider"])
def test_only_coordinators_read_the_organisations_log(personas, record, persona):
    response = client_for(personas.persona(persona)).get("/api/audit/")

    assert response.status_code == 403


def test_coordinators_read_the_organisations_log_with_filters(record, coordinator, requester):
    client = client_for(coordinator)

    everything = client.get("/api/audit/").json()
    about_requester = client.get(f"/api/audit/?subject={requester.pk}&what=referral").json()
    about_nobody = client.get("/api/audit/?what=feedback").json()

    assert [row["subject"] for row in everything] == [requester.pk]
    assert about_requester == everything
    assert about_nobody == []
    assert client.get("/api/audit/?since=yesterday").status_code == 400


def test_an_unknown_kind_is_a_programming_error(coordinator, requester):
    with pytest.raises(ValueError):
        access_recorded(
            reader=coordinator, role="coordinator", subject_id=requester.pk, what="diary"
        )
