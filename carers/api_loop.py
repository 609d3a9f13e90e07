"""APIs of the closed loop (issue 14; CONTRACT.md "Service partners and access log";
docs/REFERRALS.md "The closed loop"): coordinators ask consent and send, the person sees their
referrals and withdraws, partner services' workers see theirs and answer.

Every read of a referral by a service worker goes to its audit trail and to the person's
access log through carers.services.referrals.referral_reads_record, as coordinators' reads do.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import COORDINATORS, SERVICE_WORKERS
from carers import selectors
from carers.models import AuditAction, Referral
from carers.serializers_referrals import (
    ConsentCreateSerializer,
    ConsentOutputSerializer,
    ContactPreferenceSerializer,
    PartnerCloseSerializer,
    PartnerDeclineSerializer,
    PartnerNoteSerializer,
    PartnerReferralOutputSerializer,
    PersonReferralOutputSerializer,
    ReferralDetailOutputSerializer,
    ServiceChoiceSerializer,
    WithdrawSerializer,
    consent_as_dict,
    partner_referral_as_dict,
    person_referral_as_dict,
    referral_as_dict,
)
from carers.services.loop import (
    contact_preference_set,
    referral_consent_ask,
    referral_consent_record,
    referral_consent_withdraw,
    referral_partner_move,
    referral_send,
)
from carers.services.referrals import referral_reads_record
from core.api_errors import DomainError, NotAllowed, NotFound
from core.languages import active_language
from directory.selectors import service_get, service_of_worker

NO_REFERRAL = OpenApiResponse(description="No such referral, or not yours to see.")
CONFLICT = OpenApiResponse(
    description="consent_required, do_not_contact, invalid_transition, referral_closed"
)


def _service(service_id: int):
    service = service_get(service_id=service_id)
    if service is None or not service.active:
        raise DomainError("invalid_service", _("Unknown service."), field="service")
    return service


def _referral(referral_id: int) -> Referral:
    referral = selectors.referral_get(referral_id=referral_id)
    if referral is None:
        raise NotFound("not_found", _("No such referral."))
    return referral


def _detail(referral: Referral) -> dict:
    fresh = selectors.referral_get(referral_id=referral.pk)
    return referral_as_dict(fresh, language=active_language(), detail=True)


# --- Coordinators -----------------------------------------------------------------------------


class ReferralAskConsentApi(APIView):
    """POST /api/referrals/<id>/ask-consent/ {service}: the person is asked (and told) to agree
    that this referral be sent to that service."""

    permission_classes = COORDINATORS

    @extend_schema(
        request=ServiceChoiceSerializer,
        responses={200: ReferralDetailOutputSerializer, 404: NO_REFERRAL, 409: CONFLICT},
    )
    def post(self, request: Request, referral_id: int) -> Response:
        referral = _referral(referral_id)
        data = ServiceChoiceSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        referral_consent_ask(
            referral=referral,
            coordinator=request.user,
            service=_service(data.validated_data["service"]),
        )
        return Response(_detail(referral))


class ReferralConsentsApi(APIView):
    """POST /api/referrals/<id>/consents/ {service, wording_version, given_by, note?}: the
    person's consent for one service, given online by the person (`given_by: person`, the
    person themself calling) or on their word by a coordinator (`given_by: coordinator`, note
    required). Anyone else: 404."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=ConsentCreateSerializer,
        responses={201: ConsentOutputSerializer, 404: NO_REFERRAL, 409: CONFLICT},
    )
    def post(self, request: Request, referral_id: int) -> Response:
        user = request.user
        referral = selectors.referral_for_consent(referral_id=referral_id, user=user)
        if referral is None:
            raise NotFound("not_found", _("No such referral."))
        data = ConsentCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        consent = referral_consent_record(
            referral=referral,
            actor=user,
            service=_service(values["service"]),
            wording_version=values["wording_version"],
            given_by=values["given_by"],
            note=values.get("note", ""),
        )
        return Response(
            consent_as_dict(consent, language=active_language()), status=status.HTTP_201_CREATED
        )


class ReferralSendApi(APIView):
    """POST /api/referrals/<id>/send/ {service} → {status: "sent", ...}; 409 consent_required
    without the person's live consent for that service."""

    permission_classes = COORDINATORS

    @extend_schema(
        request=ServiceChoiceSerializer,
        responses={200: ReferralDetailOutputSerializer, 404: NO_REFERRAL, 409: CONFLICT},
    )
    def post(self, request: Request, referral_id: int) -> Response:
        referral = _referral(referral_id)
        data = ServiceChoiceSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        referral_send(
            referral=referral,
            coordinator=request.user,
            service=_service(data.validated_data["service"]),
        )
        return Response(_detail(referral))


class ReferralWithdrawApi(APIView):
    """POST /api/referrals/<id>/withdraw-consent/ {note?, do_not_contact?}: a coordinator
    withdraws the person's consent on their word (and records "don't contact me" if asked)."""

    permission_classes = COORDINATORS

    @extend_schema(
        request=WithdrawSerializer,
        responses={200: ReferralDetailOutputSerializer, 404: NO_REFERRAL},
    )
    def post(self, request: Request, referral_id: int) -> Response:
        referral = _referral(referral_id)
        data = WithdrawSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        note = data.validated_data.get("note", "")
        if data.validated_data.get("do_not_contact") and referral.person is not None:
            contact_preference_set(
                person=referral.person, do_not_contact=True, actor=request.user, note=note
            )
        referral_consent_withdraw(referral=referral, actor=request.user, note=note)
        return Response(_detail(referral))


# --- The person -------------------------------------------------------------------------------


class MeReferralListApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: PersonReferralOutputSerializer(many=True)})
    def get(self, request: Request) -> Response:
        language = active_language()
        return Response(
            [
                person_referral_as_dict(referral, language=language)
                for referral in selectors.referrals_of_person(user=request.user)
            ]
        )


def _own_referral(request: Request, referral_id: int) -> Referral:
    referral = selectors.referral_of_person(user=request.user, referral_id=referral_id)
    if referral is None:
        raise NotFound("not_found", _("No such referral."))
    return referral


class MeReferralDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: PersonReferralOutputSerializer, 404: NO_REFERRAL})
    def get(self, request: Request, referral_id: int) -> Response:
        referral = _own_referral(request, referral_id)
        return Response(person_referral_as_dict(referral, language=active_language()))


class MeReferralWithdrawApi(APIView):
    """POST /api/me/referrals/<id>/withdraw-consent/: the service loses access at once."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={200: PersonReferralOutputSerializer, 404: NO_REFERRAL})
    def post(self, request: Request, referral_id: int) -> Response:
        referral = _own_referral(request, referral_id)
        referral_consent_withdraw(referral=referral, actor=request.user)
        referral = _own_referral(request, referral_id)
        return Response(person_referral_as_dict(referral, language=active_language()))


class MeContactPreferenceApi(APIView):
    """GET/POST /api/me/contact-preference/ {do_not_contact}: "don't contact me"."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: ContactPreferenceSerializer})
    def get(self, request: Request) -> Response:
        return Response(
            {"do_not_contact": selectors.person_do_not_contact(user_id=request.user.pk)}
        )

    @extend_schema(
        request=ContactPreferenceSerializer, responses={200: ContactPreferenceSerializer}
    )
    def post(self, request: Request) -> Response:
        data = ContactPreferenceSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        preference = contact_preference_set(
            person=request.user, do_not_contact=data.validated_data["do_not_contact"]
        )
        return Response({"do_not_contact": preference.do_not_contact})


# --- Partner services' workers ----------------------------------------------------------------


def _worker_service(request: Request):
    service = service_of_worker(user=request.user)
    if service is None:
        raise NotAllowed(
            "permission_denied", _("Only the workers of a partner service can do this.")
        )
    return service


class PartnerReferralListApi(APIView):
    """GET /api/partner/referrals/: the referrals sent to the worker's service, with live
    consent. Each listed referral is written to the person's access log."""

    permission_classes = SERVICE_WORKERS

    @extend_schema(responses={200: PartnerReferralOutputSerializer(many=True)})
    def get(self, request: Request) -> Response:
        service = _worker_service(request)
        referrals = list(selectors.referrals_for_service(service=service))
        referral_reads_record(
            referrals=referrals,
            reader=request.user,
            action=AuditAction.LIST,
            details={"via": "partner_api", "service": service.pk},
            route=request.path,
            role="service_worker",
            organisation=selectors.organisation_of_service(service),
        )
        language = active_language()
        return Response(
            [partner_referral_as_dict(r, service=service, language=language) for r in referrals]
        )


def _partner_referral(request: Request, referral_id: int):
    service = _worker_service(request)
    referral = selectors.referral_for_service(service=service, referral_id=referral_id)
    if referral is None:
        raise NotFound("not_found", _("No such referral."))
    return service, referral


class PartnerReferralDetailApi(APIView):
    permission_classes = SERVICE_WORKERS

    @extend_schema(responses={200: PartnerReferralOutputSerializer, 404: NO_REFERRAL})
    def get(self, request: Request, referral_id: int) -> Response:
        service, referral = _partner_referral(request, referral_id)
        referral_reads_record(
            referrals=[referral],
            reader=request.user,
            action=AuditAction.READ,
            details={"via": "partner_api", "service": service.pk},
            route=request.path,
            role="service_worker",
            organisation=selectors.organisation_of_service(service),
        )
        return Response(
            partner_referral_as_dict(referral, service=service, language=active_language())
        )


_MOVE_INPUT = {
    "accept": PartnerNoteSerializer,
    "decline": PartnerDeclineSerializer,
    "progress": PartnerNoteSerializer,
    "close": PartnerCloseSerializer,
}


class PartnerReferralMoveApi(APIView):
    """POST /api/partner/referrals/<id>/accept|decline|progress|close/."""

    permission_classes = SERVICE_WORKERS
    move = ""

    @extend_schema(
        request=PartnerCloseSerializer,
        responses={200: PartnerReferralOutputSerializer, 404: NO_REFERRAL, 409: CONFLICT},
    )
    def post(self, request: Request, referral_id: int) -> Response:
        service, referral = _partner_referral(request, referral_id)
        data = _MOVE_INPUT[self.move](data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        moved = referral_partner_move(
            referral=referral,
            worker=request.user,
            service=service,
            move=self.move,
            reason=values.get("reason") or values.get("outcome") or "",
            note=values.get("note", ""),
        )
        moved = selectors.referral_get(referral_id=moved.pk)
        return Response(
            partner_referral_as_dict(moved, service=service, language=active_language())
        )
