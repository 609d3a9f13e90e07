"""The closed loop's pages (issue 14; docs/REFERRALS.md "The closed loop", "Pages").

- Partner services' workers: `/partner/referrals/` (the referrals sent to their service, with
  status and dates) and `/partner/referrals/<id>/` (exactly what the API shows them:
  carers.serializers_referrals.partner_referral_as_dict), with their answers: accept, decline
  with a reason, in progress, close with an outcome. Every list and display is a read, written
  to the referral's audit and to the person's access log, as the API's.
- The person: `/account/referrals/` — their referrals, the service they are asked to agree to
  with the wording and the fields shared, yes or no, withdrawing, "don't contact me", and the
  steps of each referral.
- Coordinators, from a referral's page: ask the person's consent for a service, record a
  consent given by phone, send to a service.

Each view parses its form and calls one service of carers.services.loop; the rules (which move
is possible, who may consent) live there, and their refusals are shown as messages.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from carers import selectors
from carers.consent import CURRENT_SERVICE_CONSENT_VERSION
from carers.forms import (
    ConsentByCoordinatorForm,
    PartnerCloseForm,
    PartnerDeclineForm,
    PartnerNoteForm,
    PartnerQueueFilterForm,
    ServicePickForm,
)
from carers.loop_texts import status_label, step_lines, when
from carers.models import AuditAction, ConsentGivenBy, ReferralStatus
from carers.page_access import coordinator_required, service_worker_page
from carers.serializers_referrals import partner_referral_as_dict, person_referral_as_dict
from carers.services.loop import (
    contact_preference_set,
    partner_moves_open,
    referral_consent_ask,
    referral_consent_record,
    referral_consent_withdraw,
    referral_partner_move,
    referral_send,
)
from carers.services.referrals import referral_reads_record
from core.api_errors import DomainError, NotFound
from core.languages import active_language
from directory.selectors import service_get, services_for_postcode_list

PARTNER_LISTED = 500  # as the coordinators' queue page

# --- Partner services' workers ----------------------------------------------------------------


def _partner_read(request: HttpRequest, *, service, referrals, action: str, details=None):
    referral_reads_record(
        referrals=referrals,
        reader=request.user,
        action=action,
        details={"via": "partner_page", "service": service.pk, **(details or {})},
        route=request.path,
        role="service_worker",
        organisation=selectors.organisation_of_service(service),
    )


@service_worker_page
@require_http_methods(["GET", "HEAD"])
def partner_queue(request: HttpRequest, *, service) -> HttpResponse:
    """The referrals sent to the worker's service, newest sending first, with their counts."""
    form = PartnerQueueFilterForm(request.GET or None)
    status = form.cleaned_data["status"] if form.is_valid() else ""
    referrals = selectors.referrals_for_service(service=service)
    if status:
        referrals = referrals.filter(status=status)
    referrals = list(referrals[:PARTNER_LISTED])
    _partner_read(
        request,
        service=service,
        referrals=referrals,
        action=AuditAction.LIST,
        details={"filters": {"status": status}} if status else None,
    )
    context = {
        "service_name": service.name_in(active_language()),
        "form": form,
        "referrals": referrals,
        "counts": [
            (code, status_label(code), count)
            for code, count in selectors.referral_counts_for_service(service=service).items()
        ],
    }
    return render(request, "carers/partner_queue.html", context)


MOVE_FORMS = {
    "accept": PartnerNoteForm,
    "decline": PartnerDeclineForm,
    "progress": PartnerNoteForm,
    "close": PartnerCloseForm,
}


def _move_done_message(move: str) -> str:
    return {
        "accept": _("You accepted the referral. The person is told."),
        "decline": _("You declined the referral. The person and the coordinators are told."),
        "progress": _("Recorded: your service is working on it. The person is told."),
        "close": _("The referral is closed with its outcome. The person is told."),
    }[move]


def _partner_detail(request: HttpRequest, *, service, referral, bound=None, status=200):
    """The referral as the service sees it (the API's shape, nothing more) with the answers
    open now; a display is a read (audited)."""
    _partner_read(request, service=service, referrals=[referral], action=AuditAction.READ)
    language = active_language()
    data = partner_referral_as_dict(referral, service=service, language=language)
    moves = partner_moves_open(referral)
    forms = {
        move: (
            bound if bound is not None and bound.prefix == move else MOVE_FORMS[move](prefix=move)
        )
        for move in moves
    }
    context = {
        "service_name": service.name_in(language),
        "referral": data,
        "status_label": status_label(data["status"]),
        "sent_at": when(data["sent_at"]),
        "consent": data["consent"],
        "consent_given_at": when(data["consent"]["given_at"]) if data["consent"] else None,
        "steps": step_lines(data["steps"]),
        "forms": forms,
        "has_errors": bound is not None and bool(bound.errors),
    }
    return render(request, "carers/partner_referral.html", context, status=status)


def _partner_not_found(request: HttpRequest) -> HttpResponse:
    return render(request, "carers/partner_not_found.html", status=404)


@service_worker_page
@require_http_methods(["GET", "HEAD"])
def partner_referral(request: HttpRequest, referral_id: int, *, service) -> HttpResponse:
    referral = selectors.referral_for_service(service=service, referral_id=referral_id)
    if referral is None:
        return _partner_not_found(request)
    return _partner_detail(request, service=service, referral=referral)


@service_worker_page
@require_POST
def partner_referral_move(
    request: HttpRequest, referral_id: int, move: str, *, service
) -> HttpResponse:
    """accept | decline | progress | close, through carers.services.loop.referral_partner_move."""
    referral = selectors.referral_for_service(service=service, referral_id=referral_id)
    if referral is None or move not in MOVE_FORMS:
        return _partner_not_found(request)
    form = MOVE_FORMS[move](request.POST, prefix=move)
    if not form.is_valid():
        return _partner_detail(request, service=service, referral=referral, bound=form, status=400)
    values = form.cleaned_data
    try:
        referral_partner_move(
            referral=referral,
            worker=request.user,
            service=service,
            move=move,
            reason=values.get("reason") or values.get("outcome") or "",
            note=values.get("note", ""),
        )
    except NotFound:
        return _partner_not_found(request)
    except DomainError as error:
        messages.error(request, error.detail)
    else:
        messages.success(request, _move_done_message(move))
    return redirect("carers:partner-referral", referral_id=referral.pk)


# --- The person -------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD"])
def my_referrals(request: HttpRequest) -> HttpResponse:
    """The person's referrals: what they are asked to agree to, their agreements, the steps."""
    language = active_language()
    items = []
    for referral in selectors.referrals_of_person(user=request.user):
        data = person_referral_as_dict(referral, language=language)
        live = [consent for consent in data["consents"] if consent["withdrawn_at"] is None]
        items.append(
            {
                **data,
                "status_label": status_label(data["status"]),
                "created": when(data["created_at"]),
                "asking": data["status"] == ReferralStatus.CONSENT_ASKED
                and data["proposed_service"] is not None
                and not any(
                    consent["service"]["id"] == data["proposed_service"]["id"] for consent in live
                ),
                "live_consents": [
                    {**consent, "given": when(consent["given_at"])} for consent in live
                ],
                "withdrawable": bool(live)
                or data["proposed_service"] is not None
                or data["service"] is not None,
                "step_lines": step_lines(data["steps"]),
            }
        )
    context = {
        "referrals": items,
        "do_not_contact": selectors.person_do_not_contact(user_id=request.user.pk),
    }
    return render(request, "carers/my_referrals.html", context)


def _own_referral(request: HttpRequest, referral_id: int):
    return selectors.referral_of_person(user=request.user, referral_id=referral_id)


@login_required
@require_POST
def my_referral_consent(request: HttpRequest, referral_id: int) -> HttpResponse:
    """The person agrees, online, to the service they were asked about (the wording version
    they were shown travels in the form)."""
    referral = _own_referral(request, referral_id)
    if referral is None:
        return render(request, "carers/my_referral_not_found.html", status=404)
    if referral.proposed_service is None:
        messages.error(request, _("No service is waiting for your agreement on this referral."))
        return redirect("carers:my-referrals")
    try:
        referral_consent_record(
            referral=referral,
            actor=request.user,
            service=referral.proposed_service,
            wording_version=request.POST.get("wording_version", ""),
            given_by=ConsentGivenBy.PERSON,
        )
    except DomainError as error:
        messages.error(request, error.detail)
    else:
        messages.success(
            request,
            _("Thank you: your agreement is recorded. A coordinator will now send your details."),
        )
    return redirect("carers:my-referrals")


@login_required
@require_POST
def my_referral_withdraw(request: HttpRequest, referral_id: int) -> HttpResponse:
    """No (to a service asked) or a withdrawal: no service sees the referral any more."""
    referral = _own_referral(request, referral_id)
    if referral is None:
        return render(request, "carers/my_referral_not_found.html", status=404)
    referral_consent_withdraw(referral=referral, actor=request.user)
    messages.success(request, _("Done: no service sees this referral any more."))
    return redirect("carers:my-referrals")


@login_required
@require_POST
def my_contact_preference(request: HttpRequest) -> HttpResponse:
    """ "Don't contact me" on or off."""
    do_not_contact = request.POST.get("do_not_contact") == "yes"
    contact_preference_set(person=request.user, do_not_contact=do_not_contact)
    messages.success(
        request,
        _("Recorded: no service will be put in touch with you, and your agreements are withdrawn.")
        if do_not_contact
        else _("Recorded: a coordinator may ask you again whether a service can contact you."),
    )
    return redirect("carers:my-referrals")


# --- Coordinators, from a referral's page ------------------------------------------------------


def services_to_offer(referral) -> list:
    """The services a coordinator can pick for this referral: those serving its place (the
    referral's postcode, else the one on the person's account), plus the one asked or sent to
    if it is elsewhere."""
    postcode = referral.postcode or (referral.person.postcode if referral.person else "")
    found = list(services_for_postcode_list(postcode) or [])
    for chosen in (referral.proposed_service, referral.referred_to):
        if chosen is not None and chosen not in found:
            found.insert(0, chosen)
    return found


def _coordinator_action(
    request: HttpRequest,
    referral_id: int,
    form_class,
    act,
    *,
    prefix: str,
    consented_only: bool = False,
) -> HttpResponse:
    referral = selectors.referral_get(referral_id=referral_id)
    if referral is None:
        return render(request, "carers/not_found.html", status=404)
    language = active_language()
    offered = services_to_offer(referral)
    if consented_only:
        offered = [
            consent.service for consent in selectors.referral_live_consents(referral=referral)
        ]
    form = form_class(
        request.POST,
        service_choices=[(service.pk, service.name_in(language)) for service in offered],
        prefix=prefix,
    )
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("carers:coordinator-referral", referral_id=referral.pk)
    service = service_get(service_id=form.cleaned_data["service"])
    try:
        done = act(referral=referral, coordinator=request.user, service=service, form=form)
    except DomainError as error:
        messages.error(request, error.detail)
    else:
        messages.success(request, done)
    return redirect("carers:coordinator-referral", referral_id=referral.pk)


@coordinator_required
@require_POST
def coordinator_ask_consent(request: HttpRequest, referral_id: int) -> HttpResponse:
    def act(*, referral, coordinator, service, form):
        referral_consent_ask(referral=referral, coordinator=coordinator, service=service)
        return _("The person is asked to agree; they can answer online.")

    return _coordinator_action(request, referral_id, ServicePickForm, act, prefix="ask")


@coordinator_required
@require_POST
def coordinator_record_consent(request: HttpRequest, referral_id: int) -> HttpResponse:
    def act(*, referral, coordinator, service, form):
        referral_consent_record(
            referral=referral,
            actor=coordinator,
            service=service,
            wording_version=CURRENT_SERVICE_CONSENT_VERSION,
            given_by=ConsentGivenBy.COORDINATOR,
            note=form.cleaned_data["note"],
        )
        return _("The person's consent is recorded.")

    return _coordinator_action(
        request, referral_id, ConsentByCoordinatorForm, act, prefix="consent"
    )


@coordinator_required
@require_POST
def coordinator_send(request: HttpRequest, referral_id: int) -> HttpResponse:
    def act(*, referral, coordinator, service, form):
        referral_send(referral=referral, coordinator=coordinator, service=service)
        return _("The referral was sent to the service.")

    return _coordinator_action(
        request, referral_id, ServicePickForm, act, prefix="send", consented_only=True
    )
