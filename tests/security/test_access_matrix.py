# The tables are wide on purpose: one line per row, one column per persona.
# ruff: noqa: E501
"""Access-control matrix (issue 6, scope item 1): who gets what, from every endpoint.

One table per kind of door: the API (CONTRACT.md and the project's documented extensions in
docs/REQUESTS.md, docs/REFERRALS.md, docs/MESSAGING.md), the web pages, and the WebSockets.
Each row is one call; its cells give the status every persona gets (tests/security/conftest.py
describes the personas and their objects). The rules the cells follow (CONTRACT.md
"Conventions"):

- anonymous → 401 on the API, a redirect to the login page on pages that need an account;
- an object someone may not see → 404, exactly as an unknown id (its existence is not leaked);
- someone who may see the object but not do this, or a role-gated endpoint → 403;
- pages turn a refusal of someone who may see the object into an error message and a redirect
  (REFUSED), and a success into a success message and a redirect (DONE).

The last column of each table is a partner service's worker (`service_worker`, of service A):
coordinators' endpoints and pages are closed to them like to any other role. The partner table
(PARTNER, at the end) puts the workers of two services side by side.

Every cell runs in a world of its own, so rows that change things never affect each other.
"""

import uuid
from dataclasses import dataclass
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.contrib.messages import constants, get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.privacy_notice import PRIVACY_NOTICE_VERSION
from tests.accounts.factories import DEFAULT_PASSWORD
from tests.directory.hsds_packages import fictional_service, package_files, zipped
from tests.security.conftest import PERSONAS, World

# What pages answer besides a status code:
LOGIN = "login"  # anonymous visitors: 302 to /login/?next=<the page>
DONE = "done"  # 302 with a success message: the action was carried out
REFUSED = "refused"  # 302 with an error message: seen, but not allowed (or not possible)


@dataclass(frozen=True)
class Row:
    """One call and the expected status for each persona, in PERSONAS order."""

    method: str
    path: str  # formatted with the world as `w`: "/api/requests/{w.open_request.pk}/"
    expected: tuple
    body: Any = None  # a dict, or a function of the world giving one
    body_format: str = "json"
    label: str = ""

    @property
    def name(self) -> str:
        return self.label or f"{self.method} {self.path}"

    def cells(self):
        return [
            pytest.param(self, persona, expected, id=f"{self.name} | {persona}")
            for persona, expected in zip(PERSONAS, self.expected, strict=True)
        ]


def row(method, path, *expected, body=None, body_format="json", label="") -> Row:
    return Row(method, path, tuple(expected), body, body_format, label)


def today() -> str:
    return timezone.localdate().isoformat()


# --- Request bodies ---------------------------------------------------------------------------


def registration(w: World) -> dict:
    return {
        "email": w.new_email,
        "password": "tandem-Matrix-pass-2024!",
        "display_name": "Nina New",
        "language": "fr",
        "postcode": "5000",
    }


def requester_credentials(w: World) -> dict:
    return {"email": w.requester.email, "password": DEFAULT_PASSWORD}


PASSWORD = {"password": DEFAULT_PASSWORD}
PASSWORD_CHANGE = {
    "current_password": DEFAULT_PASSWORD,
    "new_password": "une autre phrase de passe",
}
FORGED_RESET = {"uid": "MQ", "token": "forged-token", "new_password": "une autre phrase de passe"}
PRIVACY_NOTICE = {"version": PRIVACY_NOTICE_VERSION}


def owner_email(w: World) -> dict:
    return {"email": w.requester.email}


def new_address(w: World) -> dict:
    return {"email": w.new_email, "password": DEFAULT_PASSWORD}


HELPER_PROFILE = {
    "postcode": "5000",
    "radius_km": 5,
    "categories": ["shopping"],
    "weekly_hours": 3,
    "languages": ["fr"],
    "availability": [{"weekday": 1, "start": "09:00", "end": "12:00"}],
    "has_car": False,
    "active": True,
}
NEW_REQUEST = {
    "category": "shopping",
    "description": "Courses pour la semaine.",
    "postcode": "5000",
    "duration_minutes": 60,
    "recurrence": "once",
}


def on_behalf_of_requester(w: World) -> dict:
    return {**NEW_REQUEST, "requester": w.requester.pk}


def on_behalf_of_managed_person(w: World) -> dict:
    return {**NEW_REQUEST, "requester": w.managed_person.pk}


def on_behalf_of_other_team_person(w: World) -> dict:
    return {**NEW_REQUEST, "requester": w.other_team_person.pk}


def person_intake(w: World) -> dict:
    return {
        "display_name": "Marcel Dubois",
        "phone": "081 22 33 44",
        "postcode": "5000",
        "language": "fr",
        "contact_preference": "coordinator_call",
        "consent": {"wording_version": PRIVACY_NOTICE_VERSION},
    }


def person_form(w: World) -> dict:
    return {
        **person_intake(w),
        "consent": "on",
        "consent_wording_version": PRIVACY_NOTICE_VERSION,
    }


def person_new_email(w: World) -> dict:
    return {"email": w.new_email}


def person_login_form(w: World) -> dict:
    return {f"login-{w.managed_person.pk}-email": w.new_email}


def visit(w: World) -> dict:
    return {"date": today(), "hours": 1.5}


def message(w: World) -> dict:
    return {"body": "Bonjour, à jeudi !", "client_id": str(uuid.uuid4())}


def diary_entry(w: World) -> dict:
    return {"date": today(), "hours": "2", "kind": "care"}


def services_csv(w: World) -> dict:
    # The header alone: a valid import that changes nothing.
    return {"file": SimpleUploadedFile("services.csv", b"key,kind,source\n", "text/csv")}


def services_hsds(w: World) -> dict:
    # A one-service fictional HSDS package, in a dry run: a valid import that writes nothing.
    package = zipped(package_files([fictional_service("Test matrix (fictional)")]))
    return {"file": SimpleUploadedFile("package.zip", package, "application/zip")}


def contact_correction(w: World) -> dict:
    # No field changed: a confirmation, with its (fictional) source.
    return {"source": "Matrix test (fictional)"}


def verify_form(w: World) -> dict:
    prefix = f"verify-{w.unverified_helper.pk}"
    return {
        f"{prefix}-id_document": "identity_card",
        f"{prefix}-interview_on": today(),
        f"{prefix}-reason": "Met at the office.",
    }


def vetting_change(w: World) -> dict:
    return {
        "state": "verified",
        "reason": "Met at the office.",
        "checks": {"id_document": "passport", "interview_on": today()},
    }


def vetting_form(w: World) -> dict:
    return {
        "state": "verified",
        "reason": "Met at the office.",
        "id_document": "passport",
        "interview_on": today(),
    }


def accept_form(w: World) -> dict:
    return {"offer": w.pending_offer.pk}


FEEDBACK = {"kind": "comment", "text": "Tout s'est bien passé."}
FEEDBACK_FORM = {"feedback-kind": "comment", "feedback-text": "Tout s'est bien passé."}


def visit_form(w: World) -> dict:
    return {"visit-date": today(), "visit-hours": "1.5"}


CONCERN = {"kind": "isolation", "text": "Elle ne voit plus personne."}


# --- The API ----------------------------------------------------------------------------------

# fmt: off
API = [
    #   method    path                                                  anon requ  other helper unver coord worker
    # Accounts
    row("POST",   "/api/auth/register/",                                201, 201, 201, 201, 201, 201, 201, body=registration),
    row("POST",   "/api/auth/token/",                                   200, 200, 200, 200, 200, 200, 200, body=requester_credentials),
    row("GET",    "/api/me/",                                           401, 200, 200, 200, 200, 200, 200),
    row("PATCH",  "/api/me/",                                           401, 200, 200, 200, 200, 200, 200, body={"display_name": "Renamed"}),
    row("GET",    "/api/me/export/",                                    401, 200, 200, 200, 200, 200, 200),
    # Notifications (docs/NOTIFICATIONS.md): each person's own; someone else's id is unknown
    row("GET",    "/api/notifications/",                                401, 200, 200, 200, 200, 200, 200),
    row("GET",    "/api/notifications/unread-count/",                   401, 200, 200, 200, 200, 200, 200),
    row("POST",   "/api/notifications/{w.unknown_id}/read/",            401, 404, 404, 404, 404, 404, 404),
    row("POST",   "/api/notifications/read-all/",                       401, 200, 200, 200, 200, 200, 200),
    row("GET",    "/api/me/notification-settings/",                     401, 200, 200, 200, 200, 200, 200),
    row("PUT",    "/api/me/notification-settings/",                     401, 200, 200, 200, 200, 200, 200, body={"digest": "daily"}),
    # Web Push: the public key needs no account; the test settings set no key, so push is off.
    row("GET",    "/api/push/public-key/",                              404, 404, 404, 404, 404, 404, 404),
    row("POST",   "/api/push/subscriptions/",                           401, 201, 201, 201, 201, 201, 201, body={"endpoint": "https://push.example/send/abc", "keys": {"p256dh": "B" + "A" * 86, "auth": "A" * 22}}),
    row("DELETE", "/api/push/subscriptions/{w.unknown_id}/",            401, 404, 404, 404, 404, 404, 404),
    row("DELETE", "/api/me/",                                           401, 204, 204, 204, 204, 204, 204, body=PASSWORD),
    # Recovery, verification, password and address changes, privacy notice (issue 15)
    row("POST",   "/api/auth/password-reset/",                          202, 202, 202, 202, 202, 202, 202, body=owner_email),
    row("POST",   "/api/auth/password-reset/confirm/",                  400, 400, 400, 400, 400, 400, 400, body=FORGED_RESET),
    row("POST",   "/api/auth/verify-email/",                            400, 400, 400, 400, 400, 400, 400, body={"key": "forged"}),
    row("GET",    "/api/privacy-notice/",                               200, 200, 200, 200, 200, 200, 200),
    row("POST",   "/api/me/verify-email/resend/",                       401, 202, 202, 202, 202, 202, 202),
    row("POST",   "/api/me/email/",                                     401, 202, 202, 202, 202, 202, 202, body=new_address),
    row("POST",   "/api/me/password/",                                  401, 200, 200, 200, 200, 200, 200, body=PASSWORD_CHANGE),
    row("POST",   "/api/me/logout-everywhere/",                         401, 204, 204, 204, 204, 204, 204),
    row("POST",   "/api/me/privacy-notice/",                            401, 200, 200, 200, 200, 200, 200, body=PRIVACY_NOTICE),
    # People without e-mail (issue 15, item 3): coordinators only, each team its own people
    row("POST",   "/api/people/",                                       401, 403, 403, 403, 403, 201, 403, body=person_intake),
    row("GET",    "/api/people/",                                       401, 403, 403, 403, 403, 200, 403),
    row("GET",    "/api/people/{w.managed_person.pk}/",                 401, 403, 403, 403, 403, 200, 403),
    row("GET",    "/api/people/{w.other_team_person.pk}/",              401, 403, 403, 403, 403, 404, 403),
    row("GET",    "/api/people/{w.unknown_id}/",                        401, 403, 403, 403, 403, 404, 403),
    row("GET",    "/api/people/{w.managed_person.pk}/export/",          401, 403, 403, 403, 403, 200, 403),
    row("GET",    "/api/people/{w.other_team_person.pk}/export/",       401, 403, 403, 403, 403, 404, 403),
    row("POST",   "/api/people/{w.managed_person.pk}/login/",           401, 403, 403, 403, 403, 202, 403, body=person_new_email),
    row("POST",   "/api/people/{w.other_team_person.pk}/login/",        401, 403, 403, 403, 403, 404, 403, body=person_new_email),
    row("DELETE", "/api/people/{w.managed_person.pk}/",                 401, 403, 403, 403, 403, 204, 403),
    row("DELETE", "/api/people/{w.other_team_person.pk}/",              401, 403, 403, 403, 403, 404, 403),
    # The access log (issue 14, item 4): one's own, and the organisation's for coordinators
    row("GET",    "/api/me/access-log/",                                401, 200, 200, 200, 200, 200, 200),
    row("GET",    "/api/audit/",                                        401, 403, 403, 403, 403, 200, 403),
    row("GET",    "/api/audit/?since=yesterday",                        401, 403, 403, 403, 403, 400, 403),
    # Places
    row("GET",    "/api/geo/postcodes/{w.postcode}/",                   200, 200, 200, 200, 200, 200, 200),
    # Helpers
    row("GET",    "/api/helpers/me/",                                   401, 404, 404, 200, 200, 404, 404),
    row("PUT",    "/api/helpers/me/",                                   401, 200, 200, 200, 200, 200, 200, body=HELPER_PROFILE),
    row("POST",   "/api/helpers/{w.unverified_helper.pk}/verify/",      401, 403, 403, 403, 403, 200, 403),
    row("POST",   "/api/helpers/{w.unknown_id}/verify/",                401, 403, 403, 403, 403, 404, 403),
    row("GET",    "/api/helpers/{w.helper.pk}/vetting/",                401, 403, 403, 403, 403, 200, 403),
    row("GET",    "/api/helpers/{w.unverified_helper.pk}/vetting/",     401, 403, 403, 403, 403, 200, 403),
    row("GET",    "/api/helpers/{w.unknown_id}/vetting/",               401, 403, 403, 403, 403, 404, 403),
    row("POST",   "/api/helpers/{w.unverified_helper.pk}/vetting/",     401, 403, 403, 403, 403, 200, 403, body=vetting_change),
    row("POST",   "/api/helpers/{w.helper.pk}/vetting/",                401, 403, 403, 403, 403, 409, 403, body={"state": "unverified", "reason": "Back to the start."}, label="POST /api/helpers/<helper>/vetting/ an invalid transition"),
    row("POST",   "/api/helpers/{w.unknown_id}/vetting/",               401, 403, 403, 403, 403, 404, 403, body=vetting_change),
    # Requests
    row("POST",   "/api/requests/",                                     401, 201, 201, 201, 201, 201, 201, body=NEW_REQUEST),
    row("POST",   "/api/requests/",                                     401, 201, 403, 403, 403, 201, 403, body=on_behalf_of_requester, label="POST /api/requests/ on behalf of the requester"),
    row("POST",   "/api/requests/",                                     401, 403, 403, 403, 403, 201, 403, body=on_behalf_of_managed_person, label="POST /api/requests/ for a person the coordinator manages"),
    row("POST",   "/api/requests/",                                     401, 403, 403, 403, 403, 403, 403, body=on_behalf_of_other_team_person, label="POST /api/requests/ for another team's person"),
    row("GET",    "/api/requests/",                                     401, 200, 200, 200, 200, 200, 200),
    row("GET",    "/api/requests/?as=helper",                           401, 200, 200, 200, 200, 200, 200),
    row("GET",    "/api/requests/{w.open_request.pk}/",                 401, 200, 404, 404, 404, 200, 404),
    row("GET",    "/api/requests/{w.matched_request.pk}/",              401, 200, 404, 200, 404, 200, 404),
    row("GET",    "/api/requests/{w.unknown_id}/",                      401, 404, 404, 404, 404, 404, 404),
    row("GET",    "/api/requests/{w.open_request.pk}/candidates/",      401, 200, 404, 404, 404, 200, 404),
    row("GET",    "/api/requests/{w.matched_request.pk}/candidates/",   401, 200, 404, 403, 404, 200, 404),
    row("GET",    "/api/requests/{w.unknown_id}/candidates/",           401, 404, 404, 404, 404, 404, 404),
    row("GET",    "/api/requests/nearby/",                              401, 403, 403, 200, 200, 403, 403),
    row("GET",    "/api/requests/{w.open_request.pk}/offers/",          401, 200, 404, 404, 404, 200, 404),
    row("GET",    "/api/requests/{w.matched_request.pk}/offers/",       401, 200, 404, 403, 404, 200, 404),
    row("POST",   "/api/requests/{w.open_request.pk}/offers/",          401, 403, 403, 201, 403, 403, 403, body={"message": "Je peux passer."}),
    row("POST",   "/api/requests/{w.unknown_id}/offers/",               401, 403, 403, 404, 403, 403, 403, body={"message": "Je peux passer."}),
    row("POST",   "/api/offers/{w.pending_offer.pk}/accept/",           401, 200, 404, 403, 404, 200, 404),
    row("POST",   "/api/offers/{w.unknown_id}/accept/",                 401, 404, 404, 404, 404, 404, 404),
    row("POST",   "/api/requests/{w.open_request.pk}/cancel/",          401, 200, 404, 404, 404, 200, 404),
    row("POST",   "/api/requests/{w.matched_request.pk}/cancel/",       401, 200, 404, 403, 404, 200, 404),
    row("POST",   "/api/requests/{w.matched_request.pk}/complete/",     401, 200, 404, 403, 404, 200, 404),
    row("POST",   "/api/requests/{w.open_request.pk}/complete/",        401, 409, 404, 404, 404, 409, 404),
    row("GET",    "/api/requests/{w.matched_request.pk}/visits/",       401, 200, 404, 200, 404, 200, 404),
    row("POST",   "/api/requests/{w.matched_request.pk}/visits/",       401, 403, 404, 201, 404, 403, 404, body=visit),
    row("POST",   "/api/visits/{w.visit.pk}/confirm/",                  401, 200, 404, 403, 404, 403, 404),
    row("GET",    "/api/requests/{w.matched_request.pk}/feedback/",     401, 403, 404, 403, 404, 200, 404),
    row("POST",   "/api/requests/{w.matched_request.pk}/feedback/",     401, 201, 404, 201, 404, 403, 404, body=FEEDBACK),
    row("POST",   "/api/requests/{w.matched_request.pk}/concerns/",     401, 403, 404, 201, 404, 403, 404, body=CONCERN),
    row("POST",   "/api/requests/{w.open_request.pk}/concerns/",        401, 403, 404, 404, 404, 403, 404, body=CONCERN),
    # Calendar (docs/NOTIFICATIONS.md): the parties only; a request without date or visit is a 404
    row("GET",    "/api/requests/{w.visit.request_id}/calendar.ics",    401, 200, 404, 200, 404, 403, 404),
    row("GET",    "/api/requests/{w.open_request.pk}/calendar.ics",     401, 404, 404, 404, 404, 403, 404),
    row("GET",    "/api/requests/{w.unknown_id}/calendar.ics",          401, 404, 404, 404, 404, 404, 404),
    row("GET",    "/api/me/calendar/",                                  401, 200, 200, 200, 200, 200, 200),
    row("POST",   "/api/me/calendar/rotate/",                           401, 200, 200, 200, 200, 200, 200),
    row("GET",    "/api/calendar/{w.unknown_id}.ics",                   404, 404, 404, 404, 404, 404, 404),
    # Batch matching and its proposals
    row("POST",   "/api/matching/batch/",                               401, 403, 403, 403, 403, 200, 403, body={"dry_run": True}),
    row("GET",    "/api/proposals/",                                    401, 200, 200, 200, 200, 200, 200),
    row("POST",   "/api/proposals/{w.proposal.pk}/accept/",             401, 404, 404, 200, 404, 404, 404),
    row("POST",   "/api/proposals/{w.proposal.pk}/decline/",            401, 404, 404, 200, 404, 404, 404),
    # Messaging
    row("GET",    "/api/conversations/",                                401, 200, 200, 200, 200, 200, 200),
    row("GET",    "/api/conversations/{w.conversation.pk}/messages/",   401, 200, 404, 200, 404, 404, 404),
    row("POST",   "/api/conversations/{w.conversation.pk}/messages/",   401, 201, 404, 201, 404, 404, 404, body=message),
    row("GET",    "/api/conversations/{w.unknown_id}/messages/",        401, 404, 404, 404, 404, 404, 404),
    # Carers: assessments, services, referrals, diary
    row("POST",   "/api/carers/assessments/",                           201, 201, 201, 201, 201, 201, 201, body={"postcode": "5000"}),
    row("GET",    "/api/services/?postcode=5000",                       200, 200, 200, 200, 200, 200, 200),
    row("GET",    "/api/services/export/",                              401, 403, 403, 403, 403, 200, 403),
    row("POST",   "/api/services/import/",                              401, 403, 403, 403, 403, 200, 403, body=services_csv, body_format="multipart"),
    row("POST",   "/api/services/import/?shape=hsds&dry_run=1",         401, 403, 403, 403, 403, 200, 403, body=services_hsds, body_format="multipart"),
    row("GET",    "/api/services/unverified/",                          401, 403, 403, 403, 403, 200, 403),
    row("GET",    "/api/services/{w.service.pk}/",                      401, 403, 403, 403, 403, 200, 403),
    row("GET",    "/api/services/{w.unknown_id}/",                      401, 403, 403, 403, 403, 404, 403),
    row("POST",   "/api/services/{w.service.pk}/contact/",              401, 403, 403, 403, 403, 200, 403, body=contact_correction),
    row("GET",    "/api/referrals/",                                    401, 403, 403, 403, 403, 200, 403),
    row("POST",   "/api/referrals/",                                    401, 403, 403, 403, 403, 201, 403, body={"postcode": "5000"}),
    # The person a referral is about (the requester) is refused like anyone: coordinators only.
    row("GET",    "/api/referrals/{w.referral.pk}/",                    401, 403, 403, 403, 403, 200, 403),
    row("PATCH",  "/api/referrals/{w.referral.pk}/",                    401, 403, 403, 403, 403, 200, 403, body={"status": "contacted"}),
    row("GET",    "/api/referrals/{w.referral.pk}/audit/",              401, 403, 403, 403, 403, 200, 403),
    row("GET",    "/api/referrals/{w.unknown_id}/",                     401, 403, 403, 403, 403, 404, 403),
    # The closed loop (docs/REFERRALS.md): coordinators ask, record and send; the person (the
    # requester) sees and withdraws their own; partner services' workers: PARTNER below.
    row("POST",   "/api/referrals/{w.referral.pk}/ask-consent/",        401, 403, 403, 403, 403, 200, 403, body=lambda w: {"service": w.partner_service.pk}),
    # given_by "person": the person themself 201; a coordinator may not claim it (400); others 404.
    row("POST",   "/api/referrals/{w.referral.pk}/consents/",           401, 201, 404, 404, 404, 400, 404, body=lambda w: {"service": w.partner_service.pk, "wording_version": "2026-12", "given_by": "person"}),
    row("POST",   "/api/referrals/{w.referral.pk}/send/",               401, 403, 403, 403, 403, 409, 403, body=lambda w: {"service": w.partner_service.pk}),
    row("POST",   "/api/referrals/{w.referral.pk}/withdraw-consent/",   401, 403, 403, 403, 403, 200, 403, body={}),
    row("GET",    "/api/me/referrals/",                                 401, 200, 200, 200, 200, 200, 200),
    row("GET",    "/api/me/referrals/{w.referral.pk}/",                 401, 200, 404, 404, 404, 404, 404),
    row("POST",   "/api/me/referrals/{w.referral.pk}/withdraw-consent/", 401, 200, 404, 404, 404, 404, 404),
    row("GET",    "/api/me/contact-preference/",                        401, 200, 200, 200, 200, 200, 200),
    row("POST",   "/api/me/contact-preference/",                        401, 200, 200, 200, 200, 200, 200, body={"do_not_contact": False}),
    # Service A's worker: their service's list; a referral never sent to it is unknown (404).
    row("GET",    "/api/partner/referrals/",                            401, 403, 403, 403, 403, 403, 200),
    row("GET",    "/api/partner/referrals/{w.referral.pk}/",            401, 403, 403, 403, 403, 403, 404),
    row("POST",   "/api/partner/referrals/{w.referral.pk}/accept/",     401, 403, 403, 403, 403, 403, 404),
    row("POST",   "/api/partner/referrals/{w.referral.pk}/decline/",    401, 403, 403, 403, 403, 403, 404, body={"reason": "other"}),
    row("POST",   "/api/partner/referrals/{w.referral.pk}/progress/",   401, 403, 403, 403, 403, 403, 404),
    row("POST",   "/api/partner/referrals/{w.referral.pk}/close/",      401, 403, 403, 403, 403, 403, 404, body={"outcome": "no_need"}),
    row("GET",    "/api/services/{w.partner_service.pk}/members/",      401, 403, 403, 403, 403, 200, 403),
    row("POST",   "/api/services/{w.partner_service.pk}/members/",      401, 403, 403, 403, 403, 201, 403, body=lambda w: {"email": w.new_email}),
    row("GET",    "/api/carers/diary/",                                 401, 200, 200, 200, 200, 200, 200),
    row("POST",   "/api/carers/diary/",                                 401, 201, 201, 201, 201, 201, 201, body=diary_entry),
    row("GET",    "/api/carers/diary/totals/",                          401, 200, 200, 200, 200, 200, 200),
    row("GET",    "/api/carers/diary/{w.diary_entry.pk}/",              401, 200, 404, 404, 404, 404, 404),
    row("PATCH",  "/api/carers/diary/{w.diary_entry.pk}/",              401, 200, 404, 404, 404, 404, 404, body={"hours": "3"}),
    row("DELETE", "/api/carers/diary/{w.diary_entry.pk}/",              401, 204, 404, 404, 404, 404, 404),
    # Operations
    row("GET",    "/healthz",                                           200, 200, 200, 200, 200, 200, 200),
    row("GET",    "/api/schema/",                                       200, 200, 200, 200, 200, 200, 200),
    row("GET",    "/api/docs/",                                         200, 200, 200, 200, 200, 200, 200),
]
# fmt: on


# Every new test client loads the middleware again, and WhiteNoise's then walks the whole
# static tree (about 0.1 s): one loaded handler of each kind serves all the matrix's clients.
_HANDLERS: dict[type, object] = {}


def _with_shared_handler(client):
    client.handler = _HANDLERS.setdefault(type(client), client.handler)
    return client


def api_client_as(world: World, persona: str) -> APIClient:
    """An API client sending the persona's real token (no client-side shortcut)."""
    client = _with_shared_handler(APIClient())
    if persona != "anonymous":
        client.credentials(HTTP_AUTHORIZATION=f"Token {world.token(persona)}")
    return client


def body_of(case: Row, world: World):
    return case.body(world) if callable(case.body) else case.body


@pytest.mark.django_db
@pytest.mark.parametrize(("case", "persona", "expected"), [c for r in API for c in r.cells()])
def test_api(access_world, case, persona, expected):
    path = case.path.format(w=access_world)
    client = api_client_as(access_world, persona)
    body = body_of(case, access_world)
    options = {"format": case.body_format} if body is not None else {}

    response = getattr(client, case.method.lower())(path, body, **options)

    assert response.status_code == expected, (
        f"{case.name} as {persona}: {response.status_code}, expected {expected}: "
        f"{response.content[:300]!r}"
    )


# --- What lists show -------------------------------------------------------------------------

SEEN, UNSEEN = "seen", "unseen"  # 200, and the object is (or is not) in the list


@dataclass(frozen=True)
class ListRow:
    """A list endpoint, the object looked for (a World attribute) and, per persona, SEEN,
    UNSEEN or the status of the refusal: a list never shows what its reader may not see."""

    path: str
    item: str
    expected: tuple

    def cells(self):
        return [
            pytest.param(self, persona, expected, id=f"{self.path} {self.item} | {persona}")
            for persona, expected in zip(PERSONAS, self.expected, strict=True)
        ]


def list_row(path, item, *expected) -> ListRow:
    return ListRow(path, item, tuple(expected))


# fmt: off
LISTS = [
    #        path                                         item              anon requ    other   helper  unver   coord   worker
    list_row("/api/requests/",                            "open_request",    401, SEEN,   UNSEEN, UNSEEN, UNSEEN, UNSEEN, UNSEEN),
    list_row("/api/requests/?as=helper",                  "matched_request", 401, UNSEEN, UNSEEN, SEEN,   UNSEEN, UNSEEN, UNSEEN),
    list_row("/api/requests/nearby/",                     "open_request",    401, 403,    403,    SEEN,   UNSEEN, 403, 403),
    list_row("/api/requests/{w.open_request.pk}/offers/", "pending_offer",   401, SEEN,   404,    404,    404,    SEEN,    404),
    list_row("/api/proposals/",                           "proposal",        401, UNSEEN, UNSEEN, SEEN,   UNSEEN, UNSEEN, UNSEEN),
    list_row("/api/conversations/",                       "conversation",    401, SEEN,   UNSEEN, SEEN,   UNSEEN, UNSEEN, UNSEEN),
    list_row("/api/partner/referrals/",                   "sent_referral",   401, 403,    403,    403,    403,    403,    SEEN),
    list_row("/api/referrals/",                           "referral",        401, 403,    403,    403,    403,    SEEN,    403),
    list_row("/api/carers/diary/",                        "diary_entry",     401, SEEN,   UNSEEN, UNSEEN, UNSEEN, UNSEEN, UNSEEN),
    list_row("/api/people/",                              "managed_person",  401, 403,    403,    403,    403,    SEEN,    403),
    list_row("/api/people/",                              "other_team_person", 401, 403,  403,    403,    403,    UNSEEN,    403),
    list_row("/api/me/access-log/",                       "access_record",   401, SEEN,   UNSEEN, UNSEEN, UNSEEN, UNSEEN, UNSEEN),
    list_row("/api/audit/",                               "access_record",   401, 403,    403,    403,    403,    SEEN,    403),
]
# fmt: on


@pytest.mark.django_db
@pytest.mark.parametrize(("case", "persona", "expected"), [c for r in LISTS for c in r.cells()])
def test_list(access_world, case, persona, expected):
    item_id = getattr(access_world, case.item).pk
    path = case.path.format(w=access_world)

    response = api_client_as(access_world, persona).get(path)

    outcome = response.status_code
    if outcome == 200:
        outcome = SEEN if item_id in [entry["id"] for entry in response.json()] else UNSEEN
    assert outcome == expected, f"{case.path} as {persona}: {outcome}, expected {expected}"


# --- The web pages ----------------------------------------------------------------------------

# fmt: off
PAGES = [
    #   method  path                                                             anon     requ     other    helper   unver    coord    worker
    row("GET",  "/",                                                             200,     200,     200,     200,     200,     200,     200),
    row("GET",  "/signup/",                                                      200,     200,     200,     200,     200,     200,     200),
    row("GET",  "/login/",                                                       200,     200,     200,     200,     200,     200,     200),
    row("GET",  "/account/",                                                     LOGIN,   200,     200,     200,     200,     200,     200),
    row("GET",  "/account/export/",                                              LOGIN,   200,     200,     200,     200,     200,     200),
    row("GET",  "/password-reset/",                                              200,     200,     200,     200,     200,     200,     200),
    row("POST", "/password-reset/",                                              302,     302,     302,     302,     302,     302,     302, body=owner_email),
    row("GET",  "/password-reset/sent/",                                         200,     200,     200,     200,     200,     200,     200),
    row("GET",  "/password-reset/confirm/?uid=MQ&token=forged",                  400,     400,     400,     400,     400,     400,     400),
    row("GET",  "/verify-email/?key=forged",                                     200,     200,     200,     200,     200,     200,     200),
    row("POST", "/verify-email/",                                                400,     400,     400,     400,     400,     400,     400, body={"key": "forged"}),
    row("GET",  "/privacy/",                                                     200,     200,     200,     200,     200,     200,     200),
    row("GET",  "/privacy/accept/",                                              LOGIN,   200,     200,     200,     200,     200,     200),
    row("POST", "/privacy/accept/",                                              LOGIN,   302,     302,     302,     302,     302,     302, body={"accept": "on"}),
    # Nobody is half-way through signing in: back to the sign-in page.
    row("GET",  "/login/code/",                                                  302,     302,     302,     302,     302,     302,     302),
    row("POST", "/account/password/",                                            LOGIN,   400,     400,     400,     400,     400,     400, body={"current_password": "wrong"}),
    row("POST", "/account/email/",                                               LOGIN,   400,     400,     400,     400,     400,     400, body={"email": "not an address"}),
    row("POST", "/account/verify-email/resend/",                                 LOGIN,   DONE,    DONE,    DONE,    DONE,    DONE,    DONE),
    row("POST", "/account/logout-everywhere/",                                   LOGIN,   302,     302,     302,     302,     302,     302),
    row("GET",  "/account/two-step/",                                            LOGIN,   200,     200,     200,     200,     200,     200),
    # Without an authenticator there are no recovery codes to renew: to the set-up page.
    row("POST", "/account/two-step/recovery-codes/",                             LOGIN,   302,     302,     302,     302,     302,     302),
    row("POST", "/account/delete/",                                              LOGIN,   302,     302,     302,     302,     302,     302, body=PASSWORD),
    row("GET",  "/requests/",                                                    LOGIN,   200,     200,     200,     200,     200,     200),
    row("GET",  "/requests/new/",                                                LOGIN,   200,     200,     200,     200,     200,     200),
    row("GET",  "/requests/{w.open_request.pk}/",                                LOGIN,   200,     404,     404,     404,     200,     404),
    row("GET",  "/requests/{w.matched_request.pk}/",                             LOGIN,   200,     404,     200,     404,     200,     404),
    row("GET",  "/requests/{w.unknown_id}/",                                     LOGIN,   404,     404,     404,     404,     404,     404),
    row("POST", "/requests/{w.open_request.pk}/accept/",                         LOGIN,   DONE,    404,     404,     404,     DONE,     404, body=accept_form),
    row("POST", "/requests/{w.open_request.pk}/cancel/",                         LOGIN,   DONE,    404,     404,     404,     DONE,     404),
    row("POST", "/requests/{w.matched_request.pk}/cancel/",                      LOGIN,   DONE,    404,     REFUSED, 404,     DONE,     404),
    row("POST", "/requests/{w.matched_request.pk}/complete/",                    LOGIN,   DONE,    404,     REFUSED, 404,     DONE,     404),
    row("POST", "/requests/{w.matched_request.pk}/visits/",                      LOGIN,   REFUSED, 404,     DONE,    404,     REFUSED,     404, body=visit_form),
    row("POST", "/requests/{w.matched_request.pk}/visits/{w.visit.pk}/confirm/", LOGIN,   DONE,    404,     REFUSED, 404,     REFUSED,     404),
    row("POST", "/requests/{w.matched_request.pk}/feedback/",                    LOGIN,   DONE,    404,     DONE,    404,     REFUSED,     404, body=FEEDBACK_FORM),
    row("POST", "/requests/{w.open_request.pk}/carer-note/hide/",                LOGIN,   302,     404,     404,     404,     302,     404),
    row("GET",  "/conversations/{w.conversation.pk}/",                           LOGIN,   200,     404,     200,     404,     404,     404),
    row("POST", "/conversations/{w.conversation.pk}/",                           LOGIN,   302,     404,     302,     404,     404,     404, body=message),
    row("GET",  "/conversations/{w.unknown_id}/",                                LOGIN,   404,     404,     404,     404,     404,     404),
    row("GET",  "/helper/",                                                      LOGIN,   200,     200,     200,     200,     200,     200),
    row("POST", "/helper/requests/{w.open_request.pk}/offer/",                   LOGIN,   REFUSED, REFUSED, DONE,    REFUSED, REFUSED, REFUSED),
    row("POST", "/helper/requests/{w.unknown_id}/offer/",                        LOGIN,   REFUSED, REFUSED, 404,     REFUSED, REFUSED, REFUSED),
    row("POST", "/helper/proposals/{w.proposal.pk}/accept/",                     LOGIN,   404,     404,     DONE,    404,     404,     404),
    row("POST", "/helper/proposals/{w.proposal.pk}/decline/",                    LOGIN,   404,     404,     DONE,    404,     404,     404),
    row("GET",  "/carers/assessment/",                                           200,     200,     200,     200,     200,     200,     200),
    row("GET",  "/carers/assessment/questions/",                                 200,     200,     200,     200,     200,     200,     200),
    # Nothing answered yet: back to the start of the assessment.
    row("GET",  "/carers/assessment/result/",                                    302,     302,     302,     302,     302,     302,     302),
    row("POST", "/carers/assessment/restart/",                                   302,     302,     302,     302,     302,     302,     302),
    row("GET",  "/carers/diary/",                                                LOGIN,   200,     200,     200,     200,     200,     200),
    row("GET",  "/coordinator/",                                                 LOGIN,   403,     403,     403,     403,     200,     403),
    row("GET",  "/coordinator/referrals/{w.referral.pk}/",                       LOGIN,   403,     403,     403,     403,     200,     403),
    row("GET",  "/coordinator/referrals/{w.unknown_id}/",                        LOGIN,   403,     403,     403,     403,     404,     403),
    row("POST", "/coordinator/referrals/{w.signal_referral.pk}/signal-mark/",    LOGIN,   403,     403,     403,     403,     DONE,     403, body={"correct": "yes"}),
    # Only a referral raised by the carer signal on a request can be marked.
    row("POST", "/coordinator/referrals/{w.referral.pk}/signal-mark/",           LOGIN,   403,     403,     403,     403,     404,     403, body={"correct": "yes"}),
    row("GET",  "/coordinator/helpers/",                                         LOGIN,   403,     403,     403,     403,     200,     403),
    row("POST", "/coordinator/helpers/{w.unverified_helper.pk}/verify/",         LOGIN,   403,     403,     403,     403,     DONE,     403, body=verify_form),
    row("GET",  "/coordinator/helpers/{w.helper.pk}/",                           LOGIN,   403,     403,     403,     403,     200,     403),
    row("GET",  "/coordinator/helpers/{w.unknown_id}/",                          LOGIN,   403,     403,     403,     403,     404,     403),
    row("POST", "/coordinator/helpers/{w.unverified_helper.pk}/",                LOGIN,   403,     403,     403,     403,     DONE,     403, body=vetting_form),
    row("GET",  "/coordinator/helpers/find/?email=nobody@example.invalid",       LOGIN,   403,     403,     403,     403,     REFUSED,     403),
    row("GET",  "/coordinator/requests/new/",                                    LOGIN,   403,     403,     403,     403,     200,     403),
    row("GET",  "/coordinator/batch/",                                           LOGIN,   403,     403,     403,     403,     200,     403),
    row("POST", "/coordinator/batch/",                                           LOGIN,   403,     403,     403,     403,     200,     403, body={"action": "dry_run"}),
    # The installable app: the same for everyone, nothing personal.
    row("GET",  "/manifest.webmanifest",                                         200,     200,     200,     200,     200,     200,     200),
    row("GET",  "/sw.js",                                                        200,     200,     200,     200,     200,     200,     200),
    row("GET",  "/offline/",                                                     200,     200,     200,     200,     200,     200,     200),
    row("GET",  "/coordinator/requests/new/?person={w.managed_person.pk}",       LOGIN,   403,     403,     403,     403,     200,     403),
    row("GET",  "/coordinator/people/",                                          LOGIN,   403,     403,     403,     403,     200,     403),
    row("POST", "/coordinator/people/",                                          LOGIN,   403,     403,     403,     403,     DONE,     403, body=person_form),
    row("GET",  "/coordinator/people/{w.managed_person.pk}/export/",             LOGIN,   403,     403,     403,     403,     200,     403),
    row("GET",  "/coordinator/people/{w.other_team_person.pk}/export/",          LOGIN,   403,     403,     403,     403,     404,     403),
    row("POST", "/coordinator/people/{w.managed_person.pk}/login/",              LOGIN,   403,     403,     403,     403,     DONE,     403, body=person_login_form),
    row("POST", "/coordinator/people/{w.other_team_person.pk}/login/",           LOGIN,   403,     403,     403,     403,     404,     403, body=person_login_form),
    row("GET",  "/coordinator/services/",                                        LOGIN,   403,     403,     403,     403,     200,     403),
    row("GET",  "/coordinator/services/{w.service.pk}/",                         LOGIN,   403,     403,     403,     403,     200,     403),
    row("GET",  "/coordinator/services/{w.unknown_id}/",                         LOGIN,   403,     403,     403,     403,     404,     403),
    row("POST", "/coordinator/services/{w.service.pk}/",                         LOGIN,   403,     403,     403,     403,     DONE,     403, body=contact_correction),
    # Django's admin is for staff accounts only; none of the personas is one.
    row("GET",  "/admin/",                                                       302,     302,     302,     302,     302,     302,     302),
    row("POST", "/logout/",                                                      302,     302,     302,     302,     302,     302,     302),
    row("POST", "/language/",                                                    302,     302,     302,     302,     302,     302,     302, body={"language": "en"}),
    row("GET",  "/notifications/",                                               LOGIN,   200,     200,     200,     200,     200,     200),
    row("POST", "/notifications/read-all/",                                      LOGIN,   302,     302,     302,     302,     302,     302),
    # The settings page; an empty form is bad input (the digest is required): 400 on the page.
    row("GET",  "/notifications/settings/",                                      LOGIN,   200,     200,     200,     200,     200,     200),
    row("POST", "/notifications/settings/",                                      LOGIN,   400,     400,     400,     400,     400,     400),
    # One-click unsubscribe works without login: the signed token is the proof (a bad one: 400).
    row("GET",  "/unsubscribe/{w.unknown_id}/",                                 200,     200,     200,     200,     200,     200,     200),
    row("POST", "/unsubscribe/{w.unknown_id}/",                                 400,     400,     400,     400,     400,     400,     400),
    row("POST", "/i18n/setlang/",                                                302,     302,     302,     302,     302,     302,     302, body={"language": "en"}),
    # The closed loop's pages (carers/loop_pages.py). The person's own: the referral is the
    # requester's; others get a 404 (draft: nothing to agree to, so the requester's "yes" is
    # refused). A coordinator's service must serve the referral's place (CPAS A serves none here:
    # refused); sending needs a live consent (refused). Partner workers' pages: service workers
    # only (their rows, service A against B: tests/carers/test_loop_pages.py).
    row("GET",  "/account/referrals/",                                           LOGIN,   200,     200,     200,     200,     200,     200),
    row("POST", "/account/referrals/{w.referral.pk}/consent/",                   LOGIN,   REFUSED, 404,     404,     404,     404,     404, body={"wording_version": "2026-12"}),
    row("POST", "/account/referrals/{w.referral.pk}/withdraw/",                  LOGIN,   DONE,    404,     404,     404,     404,     404),
    row("POST", "/account/contact-preference/",                                  LOGIN,   DONE,    DONE,    DONE,    DONE,    DONE,     DONE, body={"do_not_contact": "no"}),
    row("POST", "/coordinator/referrals/{w.referral.pk}/ask-consent/",           LOGIN,   403,     403,     403,     403,     REFUSED,     403, body=lambda w: {"ask-service": w.partner_service.pk}),
    row("POST", "/coordinator/referrals/{w.referral.pk}/consent/",               LOGIN,   403,     403,     403,     403,     REFUSED,     403, body=lambda w: {"consent-service": w.partner_service.pk, "consent-note": "By phone"}),
    row("POST", "/coordinator/referrals/{w.referral.pk}/send/",                  LOGIN,   403,     403,     403,     403,     REFUSED,     403, body=lambda w: {"send-service": w.partner_service.pk}),
    row("GET",  "/partner/referrals/",                                           LOGIN,   403,     403,     403,     403,     403,     200),
    row("GET",  "/partner/referrals/{w.sent_referral.pk}/",                      LOGIN,   403,     403,     403,     403,     403,     200),
    row("POST", "/partner/referrals/{w.sent_referral.pk}/accept/",               LOGIN,   403,     403,     403,     403,     403,     DONE),
    row("POST", "/partner/referrals/{w.sent_referral.pk}/decline/",              LOGIN,   403,     403,     403,     403,     403,     DONE, body={"decline-reason": "other"}),
    # "In progress" and "closed" come after "accepted": from "sent" they are refused (a message).
    row("POST", "/partner/referrals/{w.sent_referral.pk}/progress/",             LOGIN,   403,     403,     403,     403,     403,     REFUSED),
    row("POST", "/partner/referrals/{w.sent_referral.pk}/close/",                LOGIN,   403,     403,     403,     403,     403,     REFUSED, body={"close-outcome": "no_need"}),
]
# fmt: on


def page_client_as(world: World, persona: str) -> Client:
    client = _with_shared_handler(Client())
    if persona != "anonymous":
        client.force_login(world.persona(persona))
    return client


@pytest.mark.django_db
@pytest.mark.parametrize(("case", "persona", "expected"), [c for r in PAGES for c in r.cells()])
def test_page(access_world, case, persona, expected):
    path = case.path.format(w=access_world)
    client = page_client_as(access_world, persona)
    body = body_of(case, access_world)

    if case.method == "GET":
        response = client.get(path)
    else:
        response = client.post(path, body or {})

    outcome = response.status_code
    if outcome == 302 and response["Location"].startswith("/login/?next="):
        outcome = LOGIN
    elif outcome == 302 and expected in (DONE, REFUSED):
        levels = {stored.level for stored in get_messages(response.wsgi_request)}
        outcome = REFUSED if constants.ERROR in levels else DONE if levels else 302
    assert outcome == expected, f"{case.name} as {persona}: {outcome}, expected {expected}"


# --- The WebSockets ---------------------------------------------------------------------------

OPEN = "open"
DENIED = "denied"  # the origin check turns the handshake down, before any code of the app
GOOD_ORIGIN = (b"origin", b"http://localhost")
FOREIGN_ORIGIN = (b"origin", b"https://evil.example")


@dataclass(frozen=True)
class SocketRow:
    """One connection attempt and, per persona, OPEN, DENIED or the close code of the refusal
    (4401 not signed in, 4403 not a participant or unknown, as docs/MESSAGING.md says)."""

    path: str
    expected: tuple
    origin: tuple | None = GOOD_ORIGIN
    label: str = ""


def socket_row(path, *expected, origin=GOOD_ORIGIN, label="") -> SocketRow:
    return SocketRow(path, tuple(expected), origin, label)


# fmt: off
SOCKETS = [
    #          path                                      anon  requ  other helper unver coord worker
    socket_row("/ws/conversations/{w.conversation.pk}/", 4401, OPEN, 4403, OPEN,  4403, 4403, 4403),
    socket_row("/ws/conversations/{w.unknown_id}/",      4401, 4403, 4403, 4403,  4403, 4403, 4403),
    socket_row("/ws/notifications/",                     4401, OPEN, OPEN, OPEN,  OPEN, OPEN, OPEN),
    socket_row("/ws/conversations/{w.conversation.pk}/", DENIED, DENIED, DENIED, DENIED, DENIED, DENIED, DENIED,
               origin=FOREIGN_ORIGIN, label="foreign Origin"),
    socket_row("/ws/notifications/",                     DENIED, DENIED, DENIED, DENIED, DENIED, DENIED, DENIED,
               origin=FOREIGN_ORIGIN, label="foreign Origin"),
    socket_row("/ws/notifications/",                     DENIED, DENIED, DENIED, DENIED, DENIED, DENIED, DENIED,
               origin=None, label="no Origin"),
]
# fmt: on


async def socket_outcome(world: World, case: SocketRow, persona: str, by: str):
    """OPEN, the close code of a refusal, or DENIED when the handshake is turned down."""
    path = case.path.format(w=world)
    headers = [case.origin] if case.origin else []
    if persona != "anonymous" and by == "token":
        path += f"?token={await database_sync_to_async(world.token)(persona)}"
    if persona != "anonymous" and by == "session":
        client = Client()
        await sync_to_async(client.force_login)(world.persona(persona))
        headers.append((b"cookie", f"sessionid={client.cookies['sessionid'].value}".encode()))
    from config.asgi import application

    communicator = WebsocketCommunicator(application, path, headers=headers)
    connected, code = await communicator.connect(timeout=5)
    if connected:
        await communicator.disconnect()
        return OPEN
    # channels' origin check denies the handshake without a close code of the app's own.
    return DENIED if code in (None, 1000) and case.origin != GOOD_ORIGIN else code


@pytest.fixture
def sockets_world(transactional_db, places, settings) -> World:
    """A world whose rows are committed (the consumers read them from other threads), on a
    channel layer prefix of its own."""
    prefix = f"test-matrix-{uuid.uuid4().hex[:12]}."
    settings.CHANNEL_LAYERS = {
        name: {**layer, "CONFIG": {**layer["CONFIG"], "prefix": prefix}}
        for name, layer in settings.CHANNEL_LAYERS.items()
    }
    world = World()
    for persona in PERSONAS[1:]:
        world.persona(persona)
    world.conversation  # noqa: B018
    return world


async def test_websockets(sockets_world):
    """Every socket row × persona × way of signing in (token, session cookie), in one pass:
    nothing here changes the world, so one transactional world serves them all."""
    expected, actual = {}, {}
    for case in SOCKETS:
        for persona, cell in zip(PERSONAS, case.expected, strict=True):
            for by in ("token", "session"):
                if persona == "anonymous" and by == "session":
                    continue
                key = f"{case.label or 'ws'} {case.path} | {persona} by {by}"
                expected[key] = cell
                actual[key] = await socket_outcome(sockets_world, case, persona, by)
    assert actual == expected


# --- Partner services (issue 14): service A's worker, service B's worker ----------------------
# The main tables above have a column for service A's worker (service_worker): every endpoint
# of coordinators is closed to them. Here, the two services side by side: `sent_referral` went
# to service A, `other_sent_referral` to service B, and A's `withdrawn_referral` lost its
# consent. A worker never learns anything of another service's referral, nor of a withdrawn
# one: 404, exactly as an unknown id (CONTRACT.md: "Another service's or withdrawn referral →
# 404"); the other roles are turned away by role (403).

PARTNER_PERSONAS = (
    "anonymous",
    "requester",
    "coordinator",
    "service_worker",
    "other_service_worker",
)


@dataclass(frozen=True)
class PartnerRow:
    """A call and the status each of PARTNER_PERSONAS gets."""

    method: str
    path: str
    expected: tuple
    body: Any = None

    def cells(self):
        return [
            pytest.param(self, persona, expected, id=f"{self.method} {self.path} | {persona}")
            for persona, expected in zip(PARTNER_PERSONAS, self.expected, strict=True)
        ]


def partner_row(method, path, *expected, body=None) -> PartnerRow:
    return PartnerRow(method, path, tuple(expected), body)


def service_b(w: World) -> dict:
    return {"service": w.other_partner_service.pk}


# fmt: off
PARTNER = [
    #           method  path                                                          anon req  coord A    B
    # Service A's referral: A's worker works on it, B's worker is told it does not exist.
    partner_row("GET",  "/api/partner/referrals/{w.sent_referral.pk}/",               401, 403, 403, 200, 404),
    partner_row("POST", "/api/partner/referrals/{w.sent_referral.pk}/accept/",        401, 403, 403, 200, 404),
    partner_row("POST", "/api/partner/referrals/{w.sent_referral.pk}/decline/",       401, 403, 403, 200, 404, body={"reason": "no_capacity"}),
    # Not accepted yet: A's worker may not record progress or close (409); B's gets a 404.
    partner_row("POST", "/api/partner/referrals/{w.sent_referral.pk}/progress/",      401, 403, 403, 409, 404),
    partner_row("POST", "/api/partner/referrals/{w.sent_referral.pk}/close/",         401, 403, 403, 409, 404, body={"outcome": "no_need"}),
    # Service B's referral: the other way round.
    partner_row("GET",  "/api/partner/referrals/{w.other_sent_referral.pk}/",         401, 403, 403, 404, 200),
    partner_row("POST", "/api/partner/referrals/{w.other_sent_referral.pk}/accept/",  401, 403, 403, 404, 200),
    partner_row("POST", "/api/partner/referrals/{w.other_sent_referral.pk}/decline/", 401, 403, 403, 404, 200, body={"reason": "no_capacity"}),
    partner_row("POST", "/api/partner/referrals/{w.other_sent_referral.pk}/progress/", 401, 403, 403, 404, 409),
    partner_row("POST", "/api/partner/referrals/{w.other_sent_referral.pk}/close/",   401, 403, 403, 404, 409, body={"outcome": "no_need"}),
    # Withdrawn consent: gone for service A too, like an unknown id.
    partner_row("GET",  "/api/partner/referrals/{w.withdrawn_referral.pk}/",          401, 403, 403, 404, 404),
    partner_row("POST", "/api/partner/referrals/{w.withdrawn_referral.pk}/accept/",   401, 403, 403, 404, 404),
    partner_row("POST", "/api/partner/referrals/{w.withdrawn_referral.pk}/decline/",  401, 403, 403, 404, 404, body={"reason": "other"}),
    partner_row("POST", "/api/partner/referrals/{w.withdrawn_referral.pk}/close/",    401, 403, 403, 404, 404, body={"outcome": "no_need"}),
    partner_row("GET",  "/api/partner/referrals/{w.unknown_id}/",                     401, 403, 403, 404, 404),
    # The coordinators' side of the same referrals: role-gated, whoever's service it went to.
    partner_row("GET",  "/api/referrals/{w.sent_referral.pk}/",                       401, 403, 200, 403, 403),
    partner_row("GET",  "/api/referrals/{w.other_sent_referral.pk}/",                 401, 403, 200, 403, 403),
    partner_row("GET",  "/api/referrals/{w.sent_referral.pk}/audit/",                 401, 403, 200, 403, 403),
    partner_row("PATCH", "/api/referrals/{w.sent_referral.pk}/",                      401, 403, 200, 403, 403, body={"note": "Called the CPAS."}),
    partner_row("POST", "/api/referrals/{w.sent_referral.pk}/send/",                  401, 403, 409, 403, 403, body=service_b),
    partner_row("POST", "/api/referrals/{w.sent_referral.pk}/ask-consent/",           401, 403, 409, 403, 403, body=service_b),
    partner_row("POST", "/api/referrals/{w.sent_referral.pk}/withdraw-consent/",      401, 403, 200, 403, 403, body={}),
    # Recording consent: the person or a coordinator; a worker is told nothing of it.
    partner_row("POST", "/api/referrals/{w.sent_referral.pk}/consents/",              401, 201, 400, 404, 404, body=lambda w: {"service": w.other_partner_service.pk, "wording_version": "2026-12", "given_by": "person"}),
    # The person's own view of it: nobody else's.
    partner_row("GET",  "/api/me/referrals/{w.sent_referral.pk}/",                    401, 200, 404, 404, 404),
    partner_row("POST", "/api/me/referrals/{w.sent_referral.pk}/withdraw-consent/",   401, 200, 404, 404, 404),
    # Members of a service: coordinators only, a service's own workers included.
    partner_row("GET",  "/api/services/{w.partner_service.pk}/members/",              401, 403, 200, 403, 403),
    partner_row("GET",  "/api/services/{w.other_partner_service.pk}/members/",        401, 403, 200, 403, 403),
    partner_row("POST", "/api/services/{w.partner_service.pk}/members/",              401, 403, 201, 403, 403, body=lambda w: {"email": w.new_email}),
    partner_row("POST", "/api/services/{w.other_partner_service.pk}/members/",        401, 403, 201, 403, 403, body=lambda w: {"email": w.new_email}),
    # The organisation's audit is the coordinators'; everyone's own access log is their own.
    partner_row("GET",  "/api/audit/",                                                401, 403, 200, 403, 403),
    partner_row("GET",  "/api/me/access-log/",                                        401, 200, 200, 200, 200),
    partner_row("GET",  "/api/me/",                                                   401, 200, 200, 200, 200),
]
# fmt: on


@pytest.mark.django_db
@pytest.mark.parametrize(("case", "persona", "expected"), [c for r in PARTNER for c in r.cells()])
def test_partner(access_world, case, persona, expected):
    path = case.path.format(w=access_world)  # builds (and sends) the referral named first
    client = api_client_as(access_world, persona)
    body = case.body(access_world) if callable(case.body) else case.body
    options = {"format": "json"} if body is not None else {}

    response = getattr(client, case.method.lower())(path, body, **options)

    assert response.status_code == expected, (
        f"{case.method} {path} as {persona}: {response.status_code}, expected {expected}: "
        f"{response.content[:300]!r}"
    )


# fmt: off
PARTNER_LISTS = [
    #  path                        item                   anon req  coord A       B
    ("/api/partner/referrals/",   "sent_referral",       (401, 403, 403, SEEN,   UNSEEN)),
    ("/api/partner/referrals/",   "other_sent_referral", (401, 403, 403, UNSEEN, SEEN)),
    ("/api/partner/referrals/",   "withdrawn_referral",  (401, 403, 403, UNSEEN, UNSEEN)),
    ("/api/referrals/",           "sent_referral",       (401, 403, SEEN, 403,   403)),
    ("/api/me/referrals/",        "sent_referral",       (401, SEEN, UNSEEN, UNSEEN, UNSEEN)),
]
# fmt: on


def _partner_list_cells():
    for path, item, expected in PARTNER_LISTS:
        for persona, cell in zip(PARTNER_PERSONAS, expected, strict=True):
            yield pytest.param(path, item, persona, cell, id=f"{path} {item} | {persona}")


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "item", "persona", "expected"), list(_partner_list_cells()))
def test_partner_list(access_world, path, item, persona, expected):
    referral = getattr(access_world, item)
    access_world.other_sent_referral  # noqa: B018 — both services have a referral
    response = api_client_as(access_world, persona).get(path)

    outcome = response.status_code
    if outcome == 200:
        outcome = SEEN if referral.pk in [entry["id"] for entry in response.json()] else UNSEEN
    assert outcome == expected, f"{path} {item} as {persona}: {outcome}, expected {expected}"


# --- The tables themselves --------------------------------------------------------------------


def test_every_route_of_the_project_is_in_a_table():
    """A new URL cannot slip in without a row: every route of config/urls.py but the pages of
    Django's admin (its entry, /admin/, has one), and every WebSocket route, has a row."""
    import re

    from django.urls import URLPattern, URLResolver, get_resolver

    from config.websocket_routing import websocket_urlpatterns

    def patterns(resolver, prefix=""):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                yield from patterns(entry, prefix + str(entry.pattern))
            elif isinstance(entry, URLPattern):
                yield prefix + str(entry.pattern)

    routes = {route for route in patterns(get_resolver()) if not route.startswith("admin/")}

    def shape(path: str) -> str:
        path = path.split("?")[0].lstrip("/")
        return re.sub(r"\{w\.[^}]+\}|<[^>]+>", "<>", path)

    covered = {shape(case.path) for case in [*API, *LISTS, *PAGES, *SOCKETS, *PARTNER]}
    assert sorted(route for route in routes if shape(route) not in covered) == []
    sockets = {str(route.pattern) for route in websocket_urlpatterns}
    assert sorted(route for route in sockets if shape(route) not in covered) == []
