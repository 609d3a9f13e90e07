"""Web pages of the request flow: ask for help, follow a request, and act on it.

Each view parses its form, calls one service (requests_app.services) or selector, then renders
or redirects (post/redirect/get, so reloading never acts twice). Who may do what is
requests_app.permissions': the page offers what it allows, and the services refuse the rest; a
refusal they raise is shown as a plain message on the request's page. Someone who may
not see a request gets a 404, whatever they try, as in the API: its existence is not leaked.
Every page works without JavaScript; requests_app/static/requests_app/request_form.js only adds
the live postcode check and hides the questions about someone else until they apply.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.selectors import user_get_by_email
from core.api_errors import DomainError
from core.pages import forbidden_page
from detection.carer_situation import carer_signal_for_request
from geo import maps
from geo.selectors import place_name
from ranking.selectors import candidates_for
from requests_app import selectors, services
from requests_app.forms import (
    FeedbackForm,
    HelpRequestForm,
    OfferAcceptForm,
    OnBehalfHelpRequestForm,
    VisitLogForm,
)
from requests_app.models import HelpRequest, OfferStatus, RequestStatus
from requests_app.permissions import help_request_permissions, may_ask_on_behalf

# Request ids whose carer note the person chose to hide, kept in their session.
HIDDEN_CARER_NOTES_KEY = "hidden_carer_notes"
CANDIDATES_SHOWN = 5
MEDICAL_TASK = "medical_task"


# --- Small shared pieces ----------------------------------------------------------------------


def _visible_or_404(request: HttpRequest, request_id: int) -> HelpRequest:
    """The request if the person may see it (requests_app.permissions), else 404."""
    help_request = selectors.help_request_visible_to(user=request.user, pk=request_id)
    if help_request is None:
        raise Http404
    return help_request


def _to_detail(help_request_id: int) -> HttpResponse:
    return redirect("request_pages:detail", request_id=help_request_id)


def _refusal(error: DomainError) -> dict:
    """A medical_task refusal as the template shows it."""
    return {"detail": error.detail, "services": error.extra.get("services", [])}


def _carers_assessment_url() -> str | None:
    try:
        return reverse("carers:assessment")
    except NoReverseMatch:
        return None


# --- Asking for help --------------------------------------------------------------------------


def _create_from_form(
    request: HttpRequest, form: HelpRequestForm, *, requester
) -> tuple[HelpRequest | None, dict | None]:
    """help_request_create with the form's data: (the new request, None) on success, else
    (None, the medical refusal to show, or None). Other refusals land on the form."""
    arguments = form.service_arguments()
    try:
        help_request = services.help_request_create(
            requester=requester, created_by=request.user, **arguments
        )
    except ValidationError as error:
        form.add_service_errors(error)
    except DomainError as error:
        if error.code == MEDICAL_TASK:
            return None, _refusal(error)
        form.add_error(None, error.detail)
    else:
        return help_request, None
    return None, None


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def request_new(request: HttpRequest) -> HttpResponse:
    form = HelpRequestForm(
        request.POST if request.method == "POST" else None,
        initial={"postcode": request.user.postcode},
    )
    refusal = None
    if request.method == "POST" and form.is_valid():
        help_request, refusal = _create_from_form(request, form, requester=request.user)
        if help_request is not None:
            messages.success(request, _("Thank you. Your request is online."))
            return _to_detail(help_request.pk)
    return render(
        request,
        "requests_app/request_new.html",
        {"form": form, "refusal": refusal, "on_behalf": False},
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def coordinator_request_new(request: HttpRequest) -> HttpResponse:
    """A coordinator asks for help on behalf of someone who phoned: the request is theirs."""
    if not may_ask_on_behalf(request.user):
        return forbidden_page(request)
    form = OnBehalfHelpRequestForm(request.POST if request.method == "POST" else None)
    refusal = None
    if request.method == "POST" and form.is_valid():
        person = user_get_by_email(email=form.cleaned_data["person_email"])
        if person is None or not person.is_active:
            form.add_error(
                "person_email",
                _("No account has this email address. The person has to sign up first."),
            )
        else:
            help_request, refusal = _create_from_form(request, form, requester=person)
            if help_request is not None:
                messages.success(
                    request,
                    _("The request of %(name)s is online.") % {"name": person.display_name},
                )
                return _to_detail(help_request.pk)
    return render(
        request,
        "requests_app/request_new.html",
        {"form": form, "refusal": refusal, "on_behalf": True},
    )


@login_required
@require_http_methods(["GET", "HEAD"])
def request_list(request: HttpRequest) -> HttpResponse:
    """The person's own requests, and those they help with."""
    return render(
        request,
        "requests_app/request_list.html",
        {
            "own": selectors.help_requests_of(user=request.user)[:50],
            "helping": selectors.help_requests_matched_to(helper_user=request.user)[:50],
        },
    )


# --- One request ------------------------------------------------------------------------------


def _status_text(help_request: HelpRequest, user) -> str:
    status = help_request.status
    if status == RequestStatus.OPEN:
        return _("Waiting for a helper. Neighbours who fit have been told about this request.")
    if status == RequestStatus.MATCHED:
        if user.pk == help_request.matched_helper_id:
            name = help_request.requester.display_name if help_request.requester else ""
            return _("You are helping %(name)s.") % {"name": name or _("a former member")}
        helper = help_request.matched_helper
        return _("%(name)s is helping.") % {"name": helper.display_name if helper else "—"}
    if status == RequestStatus.COMPLETED:
        return _("This request is done. Thank you!")
    if status == RequestStatus.CANCELLED:
        return _("This request was cancelled.")
    return _("Nobody took this request in time. You can ask again.")


def _carer_note(request: HttpRequest, help_request: HelpRequest) -> dict | None:
    """The gentle note for a person who seems to look after someone, unless they hid it."""
    if request.user.pk != help_request.requester_id:
        return None
    if help_request.pk in request.session.get(HIDDEN_CARER_NOTES_KEY, []):
        return None
    hours = help_request.care_hours_per_week
    signal = carer_signal_for_request(
        description=help_request.description,
        for_someone_else=help_request.for_someone_else,
        relationship=help_request.relationship,
        cared_for_age=help_request.cared_for_age,
        care_hours_per_week=float(hours) if hours is not None else None,
        language=None,
    )
    if not signal.likely_carer:
        return None
    return {"reasons": signal.reasons, "assessment_url": _carers_assessment_url()}


def _detail_context(
    request: HttpRequest,
    help_request: HelpRequest,
    *,
    visit_form: VisitLogForm | None = None,
    feedback_form: FeedbackForm | None = None,
) -> dict:
    user = request.user
    permissions = help_request_permissions(user=user, help_request=help_request)
    has_helper = help_request.matched_helper_id is not None

    candidates, offers = [], []
    if permissions.may_see_candidates and help_request.status == RequestStatus.OPEN:
        # Reasons in the language the page is read in.
        candidates = candidates_for(
            help_request=help_request, limit=CANDIDATES_SHOWN, language=get_language()
        )
    if permissions.may_see_offers and help_request.status == RequestStatus.OPEN:
        reasons_by_helper = {candidate.helper_id: candidate for candidate in candidates}
        offers = [
            {"offer": offer, "candidate": reasons_by_helper.get(offer.helper_id)}
            for offer in selectors.offers_for(help_request=help_request)
            if offer.status == OfferStatus.PENDING
        ]
    conversation = None
    if has_helper and (permissions.is_requester or permissions.is_matched_helper):
        conversation = help_request.conversations.filter(participants=user).order_by("id").first()
    return {
        "help_request": help_request,
        "status_text": _status_text(help_request, user),
        "place": place_name(help_request.postcode),
        "for_requester": permissions.acts_for_requester,
        "is_requester": permissions.is_requester,
        "is_matched_helper": permissions.is_matched_helper,
        "candidates": candidates,
        "offers": offers,
        "conversation": conversation,
        "visits": list(selectors.visits_for(help_request=help_request)) if has_helper else [],
        "visit_form": (visit_form or VisitLogForm()) if permissions.can_log_visits else None,
        "feedback_form": (
            (feedback_form or FeedbackForm()) if permissions.can_leave_feedback else None
        ),
        "may_cancel": permissions.can_cancel,
        "may_complete": permissions.can_complete,
        "carer_note": _carer_note(request, help_request),
        # Its rough area only, for everyone, the requester included (geo/maps.py).
        "area_map": maps.request_area_map(help_request=help_request),
    }


@login_required
@require_http_methods(["GET", "HEAD"])
def request_detail(request: HttpRequest, request_id: int) -> HttpResponse:
    help_request = _visible_or_404(request, request_id)
    context = _detail_context(request, help_request)
    if context["for_requester"] and help_request.for_someone_else:
        # The page shows the care details ("For: mother, 82 years old"), not the carer signal:
        # described as the API's fields so the same rule records the read.
        services.help_request_reads_record(
            reader=request.user,
            shown=[
                {
                    "id": help_request.pk,
                    "requester": help_request.requester_id,
                    "relationship": help_request.relationship,
                }
            ],
            route=request.path,
        )
    return render(request, "requests_app/request_detail.html", context)


def _act(request: HttpRequest, help_request: HelpRequest, action, success: str) -> HttpResponse:
    """Runs one service call; its refusal (403, 409...) becomes a message on the page."""
    try:
        action()
    except DomainError as error:
        messages.error(request, error.detail)
    else:
        messages.success(request, success)
    return _to_detail(help_request.pk)


@login_required
@require_POST
def offer_accept(request: HttpRequest, request_id: int) -> HttpResponse:
    help_request = _visible_or_404(request, request_id)
    form = OfferAcceptForm(request.POST)
    offer = None
    if form.is_valid():
        offer = selectors.offer_visible_to(user=request.user, pk=form.cleaned_data["offer"])
    if offer is None or offer.request_id != help_request.pk:
        raise Http404
    name = offer.helper.display_name
    return _act(
        request,
        help_request,
        lambda: services.offer_accept(offer=offer, acting_user=request.user),
        _("You accepted the offer of %(name)s. You can now write to each other.") % {"name": name},
    )


@login_required
@require_POST
def request_cancel(request: HttpRequest, request_id: int) -> HttpResponse:
    help_request = _visible_or_404(request, request_id)
    return _act(
        request,
        help_request,
        lambda: services.help_request_cancel(help_request=help_request, acting_user=request.user),
        _("The request is cancelled."),
    )


@login_required
@require_POST
def request_complete(request: HttpRequest, request_id: int) -> HttpResponse:
    help_request = _visible_or_404(request, request_id)
    return _act(
        request,
        help_request,
        lambda: services.help_request_complete(help_request=help_request, acting_user=request.user),
        _("The request is marked as done. Thank you!"),
    )


def _act_with_form(
    request: HttpRequest, help_request: HelpRequest, form, form_name: str, action, success: str
) -> HttpResponse:
    """Like _act, for a form: a valid form runs the service; field errors (from the form or the
    service) show the request page again with the form and what was typed."""
    if form.is_valid():
        try:
            action(form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        except DomainError as error:
            messages.error(request, error.detail)
            return _to_detail(help_request.pk)
        else:
            messages.success(request, success)
            return _to_detail(help_request.pk)
    return render(
        request,
        "requests_app/request_detail.html",
        _detail_context(request, help_request, **{form_name: form}),
    )


@login_required
@require_POST
def visit_log(request: HttpRequest, request_id: int) -> HttpResponse:
    help_request = _visible_or_404(request, request_id)
    return _act_with_form(
        request,
        help_request,
        VisitLogForm(request.POST),
        "visit_form",
        lambda data: services.visit_log(
            help_request=help_request,
            helper_user=request.user,
            date=data["date"],
            hours=data["hours"],
        ),
        _("Your visit is saved. The person you helped will confirm it."),
    )


@login_required
@require_POST
def visit_confirm(request: HttpRequest, request_id: int, visit_id: int) -> HttpResponse:
    help_request = _visible_or_404(request, request_id)
    visit = selectors.visit_visible_to(user=request.user, pk=visit_id)
    if visit is None or visit.request_id != help_request.pk:
        raise Http404
    return _act(
        request,
        help_request,
        lambda: services.visit_confirm(visit=visit, acting_user=request.user),
        _("Thank you: the visit is confirmed."),
    )


@login_required
@require_POST
def feedback_leave(request: HttpRequest, request_id: int) -> HttpResponse:
    help_request = _visible_or_404(request, request_id)
    return _act_with_form(
        request,
        help_request,
        FeedbackForm(request.POST),
        "feedback_form",
        lambda data: services.feedback_leave(
            help_request=help_request,
            author=request.user,
            kind=data["kind"],
            text=data["text"],
        ),
        _("Thank you. Only the coordinators will read it."),
    )


@login_required
@require_POST
def carer_note_hide(request: HttpRequest, request_id: int) -> HttpResponse:
    """Hides the carer note of this request for the rest of the session."""
    help_request = _visible_or_404(request, request_id)
    hidden = request.session.get(HIDDEN_CARER_NOTES_KEY, [])
    if help_request.pk not in hidden:
        request.session[HIDDEN_CARER_NOTES_KEY] = [*hidden, help_request.pk]
    return _to_detail(help_request.pk)
