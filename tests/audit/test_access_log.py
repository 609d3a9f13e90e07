"""The access log shown to the person (issue 14, item 4; audit app).

Every read of someone's sensitive data by someone else in a privileged role writes exactly one
row; the person's own reads write none; the table refuses UPDATE and DELETE at database level
except through the retention purge (and the narrow exit of an account's erasure); the person
sees the log on their account page, through the API and in their export.
"""

from datetime import date
from functools import cached_property

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.utils import timezone, translation

from audit.models import AccessKind, AccessRecord
from audit.services import access_recorded, access_records_purge
from requests_app.models import Feedback
from tests.accounts.factories import ManagedPersonFactory, UserFactory
from tests.carers.factories import ReferralFactory, referral_sent
from tests.clients import client_for
from tests.requests_app.factories import HelpRequestFactory

pytestmark = pytest.mark.django_db

# Everyone who reads other people's sensitive data by virtue of a role, through the API and the
# pages: coordinators, and partner services' workers (issue 14, item 1; `service_worker`, of
# service A). Staff in the admin: below.
PRIVILEGED = ("coordinator", "service_worker")


class Files:
    """The people's sensitive data. Made at once: a referral about the requester, a request for
    their mother made by a coordinator on the phone (care details and a carer signal), feedback
    they wrote. Made when a read names it (so that a list shows only what its read is about):
    a referral sent to service A with the requester's consent, a person the coordinator's team
    manages, the helper's vetting record."""

    def __init__(self, personas):
        self.personas = personas
        requester, helper, coordinator = personas.requester, personas.helper, personas.coordinator
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
        self.referral = ReferralFactory(person=requester)
        self.request = care_request
        self.feedback = Feedback.objects.create(
            request=care_request, author=requester, about=helper, text="Très gentil."
        )

    def __getitem__(self, name: str):
        return getattr(self, name)

    @cached_property
    def sent_referral(self):
        people = self.personas
        return referral_sent(
            person=people.requester, service=people.partner_service, coordinator=people.coordinator
        )

    @cached_property
    def managed_person(self):
        return ManagedPersonFactory(managed_by=[self.personas.coordinator])

    @cached_property
    def vetting(self):
        return self.personas.helper.helper_profile


@pytest.fixture
def files(personas):
    return Files(personas)


# Each sensitive read, by the persona whose role allows it: (label, persona, path given the
# files, what is recorded, the object it names, whose data it is, via pages or the API).
SENSITIVE_READS = [
    (
        "referral queue (API)",
        "coordinator",
        lambda f: "/api/referrals/",
        AccessKind.REFERRAL,
        "referral",
        "requester",
        "api",
    ),
    (
        "referral (API)",
        "coordinator",
        lambda f: f"/api/referrals/{f.referral.pk}/",
        AccessKind.REFERRAL,
        "referral",
        "requester",
        "api",
    ),
    (
        "request (API)",
        "coordinator",
        lambda f: f"/api/requests/{f.request.pk}/",
        AccessKind.REQUEST_CARER_SIGNAL,
        "request",
        "requester",
        "api",
    ),
    (
        "requests made on someone's behalf (API)",
        "coordinator",
        lambda f: "/api/requests/",
        AccessKind.REQUEST_CARE_DETAILS,
        "request",
        "requester",
        "api",
    ),
    (
        "feedback (API)",
        "coordinator",
        lambda f: f"/api/requests/{f.request.pk}/feedback/",
        AccessKind.FEEDBACK,
        "feedback",
        "requester",
        "api",
    ),
    (
        "vetting record (API)",
        "coordinator",
        lambda f: f"/api/helpers/{f.vetting.user_id}/vetting/",
        AccessKind.HELPER_VETTING,
        "vetting",
        "helper",
        "api",
    ),
    (
        "a managed person's export (API)",
        "coordinator",
        lambda f: f"/api/people/{f.managed_person.pk}/export/",
        AccessKind.EXPORT,
        "managed_person",
        "managed_person",
        "api",
    ),
    (
        "referral queue (page)",
        "coordinator",
        lambda f: "/coordinator/",
        AccessKind.REFERRAL,
        "referral",
        "requester",
        "page",
    ),
    (
        "referral (page)",
        "coordinator",
        lambda f: f"/coordinator/referrals/{f.referral.pk}/",
        AccessKind.REFERRAL,
        "referral",
        "requester",
        "page",
    ),
    (
        "request (page)",
        "coordinator",
        lambda f: f"/requests/{f.request.pk}/",
        AccessKind.REQUEST_CARE_DETAILS,
        "request",
        "requester",
        "page",
    ),
    (
        "vetting record (page)",
        "coordinator",
        lambda f: f"/coordinator/helpers/{f.vetting.user_id}/",
        AccessKind.HELPER_VETTING,
        "vetting",
        "helper",
        "page",
    ),
    (
        "a managed person's export (page)",
        "coordinator",
        lambda f: f"/coordinator/people/{f.managed_person.pk}/export/",
        AccessKind.EXPORT,
        "managed_person",
        "managed_person",
        "page",
    ),
    (
        "the service's referrals (API)",
        "service_worker",
        lambda f: "/api/partner/referrals/",
        AccessKind.REFERRAL,
        "sent_referral",
        "requester",
        "api",
    ),
    (
        "a referral sent to the service (API)",
        "service_worker",
        lambda f: f"/api/partner/referrals/{f.sent_referral.pk}/",
        AccessKind.REFERRAL,
        "sent_referral",
        "requester",
        "api",
    ),
]


def _get(user, path: str, via: str):
    if via == "api":
        return client_for(user).get(path)
    client = Client()
    client.force_login(user)
    return client.get(path)


def _subject(files: Files, whose: str):
    return files.managed_person.user if whose == "managed_person" else files.personas.persona(whose)


@pytest.mark.parametrize(
    ("persona", "path_of", "what", "object_name", "whose", "via"),
    [pytest.param(*read[1:], id=f"{read[0]} | {read[1]}") for read in SENSITIVE_READS],
)
def test_each_sensitive_read_by_a_privileged_reader_writes_exactly_one_row(
    personas, files, persona, path_of, what, object_name, whose, via
):
    reader = personas.persona(persona)
    read_object = files[object_name]  # made before the read (a list then shows it)
    path = path_of(files)
    subject = _subject(files, whose)
    before = set(AccessRecord.objects.values_list("pk", flat=True))

    response = _get(reader, path, via)

    assert response.status_code == 200
    [record] = AccessRecord.objects.exclude(pk__in=before)  # exactly one
    assert record.reader == reader
    assert record.reader_name == reader.display_name
    assert record.reader_role == persona
    assert record.organisation == (
        "CPAS A (fictional)" if persona == "service_worker" else "Tandem"
    )
    assert record.subject == subject
    assert record.what == what
    assert record.object_id == read_object.pk
    assert record.route == path.split("?")[0]
    assert record.purpose


def test_every_kind_of_sensitive_read_and_every_privileged_role_has_its_reads():
    """A new kind of sensitive data, or a new privileged role, cannot slip in untested."""
    assert {read[3] for read in SENSITIVE_READS} == set(AccessKind.values)
    assert {read[1] for read in SENSITIVE_READS} == set(PRIVILEGED)


@pytest.mark.parametrize(
    ("persona", "path_of", "object_name"),
    [
        pytest.param(
            "other_service_worker",
            lambda f: f"/api/partner/referrals/{f.sent_referral.pk}/",
            "sent_referral",
            id="service B's worker reading service A's referral",
        ),
        pytest.param(
            "service_worker",
            lambda f: f"/api/referrals/{f.referral.pk}/",
            "referral",
            id="a service worker at the coordinators' door",
        ),
        pytest.param(
            "outsider",
            lambda f: f"/api/helpers/{f.vetting.user_id}/vetting/",
            "vetting",
            id="someone without a role at the vetting record",
        ),
    ],
)
def test_a_refused_read_writes_no_row(personas, files, persona, path_of, object_name):
    path = path_of(files)
    before = AccessRecord.objects.count()

    response = client_for(personas.persona(persona)).get(path)

    assert response.status_code in (403, 404)
    assert AccessRecord.objects.count() == before


@pytest.mark.parametrize(
    ("admin_path", "what", "object_name"),
    [
        ("requests_app/helprequest", AccessKind.REQUEST_CARE_DETAILS, "request"),
        ("requests_app/feedback", AccessKind.FEEDBACK, "feedback"),
    ],
)
def test_staff_opening_a_row_in_the_admin_writes_exactly_one_row(
    personas, files, admin_path, what, object_name
):
    staff = UserFactory(is_staff=True, is_superuser=True, display_name="Sam Staff")
    client = Client()
    client.force_login(staff)
    path = f"/admin/{admin_path}/{files[object_name].pk}/change/"

    response = client.get(path)

    assert response.status_code == 200
    record = AccessRecord.objects.get()
    assert (record.reader, record.reader_role, record.what) == (staff, "staff", what)
    assert (record.subject, record.object_id) == (personas.requester, files[object_name].pk)
    assert record.route == path


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


def test_deleting_an_account_any_other_way_detaches_it_too(record, coordinator, requester):
    # The admin or a shell: no erasure service, only Django's delete().
    requester.delete()
    coordinator.delete()

    kept = AccessRecord.objects.get(pk=record.pk)
    assert (kept.subject_id, kept.reader_id) == (None, None)
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
    # Whole days between the local dates, so the row lands on 3 March in local time whatever
    # the hour the test runs (at 23:15 UTC it is already tomorrow in Brussels).
    _age(record, (timezone.localdate() - date(2026, 3, 3)).days)
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


@pytest.mark.parametrize(
    ("path", "via"),
    [("/api/helpers/{uid}/vetting/", "api"), ("/coordinator/helpers/{uid}/", "page")],
)
def test_a_coordinator_reading_a_helpers_vetting_record_writes_one_row(
    coordinator, helper, path, via
):
    path = path.format(uid=helper.pk)

    response = _get(coordinator, path, via)

    assert response.status_code == 200
    record = AccessRecord.objects.get()  # exactly one
    assert (record.reader, record.subject) == (coordinator, helper)
    assert record.what == AccessKind.HELPER_VETTING
    assert record.object_id == helper.helper_profile.pk
    assert record.route == path
