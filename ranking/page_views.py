"""The helper's page /helper/ and what a helper does from it: offer, take a proposal.

/helper/ holds what a helper needs, in the order they need it: where their profile stands,
proposals from a coordinator's batch, requests nearby (approximate places only, as
ranking.selectors.nearby_requests_for gives them), visits to log, and their profile. Views parse
a form, call one service, and redirect (post/redirect/get); a refusal (403, 409) is shown as a
plain message.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import User
from core.api_errors import DomainError
from core.pages import forbidden_page
from geo import maps
from geo.selectors import place_name
from matching import selectors as helper_selectors
from matching import services as helper_services
from matching.forms import (
    DEFAULT_RADIUS_KM,
    AvailabilityFormSet,
    HelperProfileForm,
    HelperVerifyForm,
    HelperVettingForm,
    split_service_errors,
)
from matching.models import HelperProfile, IdDocumentType, VerificationState, VettingCheck
from ranking import batch, selectors
from ranking.models import Proposal, ProposalStatus
from requests_app import selectors as request_selectors
from requests_app import services as request_services
from requests_app.models import HelpRequest, Offer, RequestStatus

SLOT_PREFIX = "slot"
UNVERIFIED_SHOWN = 100


def _verification_text(profile: HelperProfile | None) -> str:
    if profile is None:
        return _("Fill in the form below to offer your help.")
    if profile.verification_state == VerificationState.VERIFIED:
        if not profile.active:
            return _("You are verified, but your profile is paused: nobody sees you.")
        return _("You are verified: you can offer your help.")
    if profile.verification_state == VerificationState.SUSPENDED:
        return _(
            "A coordinator has suspended your helper profile: you cannot offer help for now. "
            "A coordinator will contact you."
        )
    if profile.verification_state == VerificationState.REJECTED:
        return _("A coordinator could not verify your profile, so you cannot offer help.")
    return _(
        "Not verified yet. A coordinator will contact you to meet you and see your identity "
        "document. After that you can offer help."
    )


def _profile_initial(profile: HelperProfile | None, user: User) -> tuple[dict, list[dict]]:
    if profile is None:
        return {"postcode": user.postcode, "languages": [user.language]}, []
    initial = {
        "postcode": profile.postcode,
        "radius_km": profile.radius_km,
        "categories": list(profile.categories),
        "weekly_hours": f"{profile.weekly_hours:g}",
        "languages": list(profile.languages),
        "has_car": profile.has_car,
        "active": profile.active,
    }
    slots = [
        {"weekday": slot.weekday, "start": slot.start, "end": slot.end}
        for slot in profile.availability_slots.all()
    ]
    return initial, slots


def _helper_context(request: HttpRequest, profile, form, slots, slot_errors) -> dict:
    user = request.user
    nearby, offered, proposals, helping = [], set(), [], []
    if profile is not None:
        nearby = selectors.nearby_requests_for(helper_user=user)
        # Requests they already offered on show "waiting for an answer" instead of a button.
        offered = set(
            Offer.objects.filter(
                helper=user, request_id__in=[item.id for item in nearby]
            ).values_list("request_id", flat=True)
        )
        proposals = list(
            batch.proposals_of_helper(helper_user=user, status=ProposalStatus.PROPOSED)[:20]
        )
        helping = list(
            request_selectors.help_requests_matched_to(helper_user=user).filter(
                status=RequestStatus.MATCHED
            )[:20]
        )
    nearby_map = maps.nearby_requests_map(profile=profile, nearby=nearby)
    return {
        "profile": profile,
        "verification_text": _verification_text(profile),
        "form": form,
        "slots": slots,
        "slot_errors": slot_errors,
        "nearby": nearby,
        "offered": offered,
        "proposals": proposals,
        "helping": helping,
        "default_radius_km": DEFAULT_RADIUS_KM,
        "nearby_map": nearby_map,
        # Each request with "near 5100 Namur" (its approximate place's nearest postcode).
        "nearby_entries": list(
            zip(nearby, nearby_map.places if nearby_map else [""] * len(nearby), strict=True)
        ),
    }


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def helper_page(request: HttpRequest) -> HttpResponse:
    profile = helper_selectors.helper_profile_get(user=request.user)
    initial, slot_initial = _profile_initial(profile, request.user)
    posted = request.POST if request.method == "POST" else None
    form = HelperProfileForm(posted, initial=initial)
    slots = AvailabilityFormSet(posted, initial=slot_initial, prefix=SLOT_PREFIX)
    slot_errors: list[str] = []
    if request.method == "POST" and form.is_valid() and slots.is_valid():
        try:
            helper_services.helper_profile_upsert(
                user=request.user, availability=slots.slots(), **form.service_arguments()
            )
        except ValidationError as error:
            by_field, slot_errors = split_service_errors(error)
            for field, field_messages in by_field.items():
                for message in field_messages:
                    form.add_error(field if field in form.fields else None, message)
        else:
            messages.success(request, _("Your helper profile is saved."))
            return redirect("helper_pages:helper")
    if request.method == "POST" and slots.non_form_errors():
        slot_errors = [*slot_errors, *slots.non_form_errors()]
    return render(
        request,
        "matching/helper.html",
        _helper_context(request, profile, form, slots, slot_errors),
    )


@login_required
@require_POST
def offer_create(request: HttpRequest, request_id: int) -> HttpResponse:
    """The helper offers to help with a request from their nearby list."""
    # Any existing request may be offered on, as in the API: eligibility (403) keeps helpers to
    # those that fit them, and the refusal says nothing about the request itself. Anyone who
    # cannot offer at all is refused before the lookup, alike for every id.
    try:
        request_services.offer_check_helper(helper_user=request.user)
        help_request = HelpRequest.objects.filter(pk=request_id).first()
        if help_request is None:
            raise Http404
        request_services.offer_create(
            help_request=help_request,
            helper_user=request.user,
            message=request.POST.get("message", ""),
        )
    except (DomainError, ValidationError) as error:
        detail = error.detail if isinstance(error, DomainError) else " ".join(error.messages)
        messages.error(request, detail)
    else:
        messages.success(request, _("Your offer is sent. We will email you when it is accepted."))
    return redirect("helper_pages:helper")


@login_required
@require_POST
def proposal_accept(request: HttpRequest, proposal_id: int) -> HttpResponse:
    """The helper takes a request a coordinator's batch proposed to them."""
    try:
        conversation = batch.proposal_accept(proposal_id=proposal_id, helper_user=request.user)
    except Proposal.DoesNotExist:
        raise Http404 from None
    except DomainError as error:
        messages.error(request, error.detail)
        return redirect("helper_pages:helper")
    messages.success(request, _("Thank you: you are now helping with this request."))
    return redirect("request_pages:detail", request_id=conversation.request_id)


@login_required
@require_POST
def proposal_decline(request: HttpRequest, proposal_id: int) -> HttpResponse:
    try:
        batch.proposal_decline(proposal_id=proposal_id, helper_user=request.user)
    except Proposal.DoesNotExist:
        raise Http404 from None
    except DomainError as error:
        messages.error(request, error.detail)
    else:
        messages.success(request, _("You said no to this proposal. Thank you for telling us."))
    return redirect("helper_pages:helper")


# --- Coordinators -----------------------------------------------------------------------------


def _verify_prefix(user_id: int) -> str:
    return f"verify-{user_id}"


def _coordinator_helpers_page(request: HttpRequest, bound: HelperVerifyForm | None = None):
    rows = []
    for profile in helper_selectors.helpers_awaiting_verification()[:UNVERIFIED_SHOWN]:
        form = HelperVerifyForm(prefix=_verify_prefix(profile.user_id))
        if bound is not None and bound.prefix == form.prefix:
            form = bound
        rows.append({"profile": profile, "place": place_name(profile.postcode), "form": form})
    return render(
        request,
        "matching/coordinator_helpers.html",
        {
            "rows": rows,
            "suspended": list(helper_selectors.helpers_suspended()[:UNVERIFIED_SHOWN]),
            "overview_map": maps.coordinator_overview_map(
                open_requests=request_selectors.help_requests_open(),
                helpers=helper_selectors.helpers_available(),
            ),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD"])
def coordinator_helpers(request: HttpRequest) -> HttpResponse:
    """Helpers waiting for a coordinator to see their ID and talk with them."""
    if not request.user.is_coordinator:
        return forbidden_page(request)
    return _coordinator_helpers_page(request)


@login_required
@require_POST
def helper_verify(request: HttpRequest, user_id: int) -> HttpResponse:
    """The quick verification from the list: the document seen, the interview, a reason."""
    if not request.user.is_coordinator:
        return forbidden_page(request)
    helper_user = User.objects.filter(pk=user_id).first()
    if helper_user is None:
        raise Http404
    form = HelperVerifyForm(request.POST, prefix=_verify_prefix(user_id))
    if not form.is_valid():
        return _coordinator_helpers_page(request, bound=form)
    try:
        helper_services.helper_vetting_change(
            helper_user=helper_user, coordinator=request.user, **form.service_arguments()
        )
    except ValidationError as error:
        form.add_service_errors(error)
        return _coordinator_helpers_page(request, bound=form)
    except DomainError as error:
        messages.error(request, error.detail)
    else:
        messages.success(
            request,
            _("%(name)s is verified and can now offer help.") % {"name": helper_user.display_name},
        )
    return redirect("helper_pages:coordinator-helpers")


def _label(choices, code: str) -> str:
    return str(choices(code).label) if code in choices.values else code


def _coordinator_helper_page(request: HttpRequest, *, user_id: int, form=None, status=200):
    record = helper_selectors.helper_vetting_record(user_id=user_id)
    if record is None:
        raise Http404
    if form is None:
        form = HelperVettingForm(
            initial=HelperVettingForm.initial_from(record),
            required_checks=record["required_checks"],
        )
    profile = record["profile"]
    return render(
        request,
        "matching/coordinator_helper.html",
        {
            "record": record,
            "profile": profile,
            "place": place_name(profile.postcode),
            "form": form,
            "labels": {
                "id_document": _label(IdDocumentType, record["checks"]["id_document"]),
                "required_checks": [
                    _label(VettingCheck, code) for code in record["required_checks"]
                ],
            },
            # Newest first: the latest decision is what a coordinator looks for.
            "history": [
                {
                    **change,
                    "previous_state_label": _label(VerificationState, change["previous_state"]),
                    "state_label": _label(VerificationState, change["state"]),
                }
                for change in reversed(record["history"])
            ],
            "open_matches": list(
                request_selectors.help_requests_matched_to(helper_user=profile.user).filter(
                    status=RequestStatus.MATCHED
                )[:50]
            ),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def coordinator_helper(request: HttpRequest, user_id: int) -> HttpResponse:
    """One helper's vetting record and history, and the form that changes it (coordinators)."""
    if not request.user.is_coordinator:
        return forbidden_page(request)
    if request.method != "POST":
        page = _coordinator_helper_page(request, user_id=user_id)
        helper_services.helper_vetting_read_recorded(
            reader=request.user, helper_id=user_id, route=request.path
        )
        return page
    helper_user = User.objects.filter(pk=user_id).first()
    if helper_user is None:
        raise Http404
    form = HelperVettingForm(request.POST, required_checks=settings.HELPER_VETTING_REQUIRED_CHECKS)
    if form.is_valid():
        try:
            helper_services.helper_vetting_change(
                helper_user=helper_user, coordinator=request.user, **form.service_arguments()
            )
        except ValidationError as error:
            form.add_service_errors(error)
        except DomainError as error:
            if error.status_code == 404:
                raise Http404 from None
            messages.error(request, error.detail)
            return redirect("helper_pages:coordinator-helper", user_id=user_id)
        else:
            messages.success(request, _("The vetting record is saved."))
            return redirect("helper_pages:coordinator-helper", user_id=user_id)
    return _coordinator_helper_page(request, user_id=user_id, form=form, status=400)


@login_required
@require_http_methods(["GET", "HEAD"])
def coordinator_helper_find(request: HttpRequest) -> HttpResponse:
    """From the list: a helper's page by their e-mail address (a coordinator on the phone)."""
    if not request.user.is_coordinator:
        return forbidden_page(request)
    profile = helper_selectors.helper_profile_by_email(email=request.GET.get("email", "")[:254])
    if profile is None:
        messages.error(request, _("No helper with this e-mail address."))
        return redirect("helper_pages:coordinator-helpers")
    return redirect("helper_pages:coordinator-helper", user_id=profile.user_id)
