"""Carers' web pages: the self-assessment, the care diary and the coordinators' queue.

The self-assessment is a multi-step form kept in the session, so it works without JavaScript:
each step shows only the questions the engine still lists as `missing` (they could change the
outcome) and that were not asked yet; "I don't know" leaves a question open without asking it
again. Every coordinator page that shows a referral writes it to the referral's audit log and
to the person's access log.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from carers import selectors
from carers.consent import CONSENT_WORDINGS, CURRENT_CONSENT_VERSION, consent_wording
from carers.engine import evaluate_flat
from carers.forms import (
    QUESTIONS,
    STEPS,
    ConsentByCoordinatorForm,
    ConsentForm,
    DiaryEntryForm,
    QuestionsForm,
    QueueFilterForm,
    ReferralUpdateForm,
    ServicePickForm,
    StartForm,
)
from carers.loop_pages import services_to_offer
from carers.loop_texts import reason_label
from carers.models import Assessment, AuditAction, CareDiaryEntry, ReferralStatus
from carers.outcome_texts import render_outcome
from carers.page_access import coordinator_required
from carers.referral_reasons import render_reasons
from carers.services.assessments import assessment_create, assessment_record_consent
from carers.services.diary import diary_entry_create, diary_entry_delete
from carers.services.referrals import referral_reads_record, referral_update
from core.api_errors import DomainError
from core.languages import active_language
from detection.carer_structure import text_language, words_of
from detection.models import Detector
from detection.selectors import mark_of
from detection.services import signal_mark
from directory.models import ServiceKind
from directory.selectors import services_for_postcode_list

SESSION_KEY = "carers_assessment"


def _status_text(status: str) -> str:
    return {
        "likely": _("Likely"),
        "unlikely": _("Unlikely"),
        "incomplete": _("Not settled yet: some answers are missing"),
    }.get(status, status)


# --- Self-assessment --------------------------------------------------------------------------


def _state(request: HttpRequest) -> dict[str, Any]:
    state = request.session.get(SESSION_KEY)
    if not isinstance(state, dict):
        state = {}
    state.setdefault("answers", {})
    state.setdefault("asked", [])
    state.setdefault("postcode", "")
    state.setdefault("assessment_id", None)
    return state


def _save_state(request: HttpRequest, state: dict[str, Any]) -> None:
    request.session[SESSION_KEY] = state
    request.session.modified = True


def _open_questions(answers: dict[str, Any]) -> set[str]:
    """The questions that could still change the outcome, the leave included."""
    outcome = evaluate_flat(answers)
    return set(outcome.missing) | set(outcome.leave.missing)


def _next_step(state: dict[str, Any]):
    """(step number, step, questions to ask) or None when nothing useful is left to ask."""
    still_open = _open_questions(state["answers"]) - set(state["asked"])
    for number, step in enumerate(STEPS, start=1):
        paths = [path for path in step.questions if path in still_open]
        if paths:
            return number, step, paths
    return None


def _nested(flat: dict[str, Any]) -> dict[str, Any]:
    """{"carer.hours_per_month": 60} → {"carer": {"hours_per_month": 60}}."""
    nested: dict[str, Any] = {}
    for path, value in flat.items():
        *parents, leaf = path.split(".")
        target = nested
        for parent in parents:
            target = target.setdefault(parent, {})
        target[leaf] = value
    return nested


def _diary_prefill(request: HttpRequest) -> dict[str, float]:
    if not request.user.is_authenticated:
        return {}
    prefill = selectors.diary_assessment_prefill(user=request.user)
    return {f"carer.{name}": value for name, value in prefill.items()}


@require_http_methods(["GET", "HEAD", "POST"])
def assessment_start(request: HttpRequest) -> HttpResponse:
    """The introduction, the words explained, and the postcode (optional)."""
    form = StartForm(request.POST or None, initial={"postcode": _state(request)["postcode"]})
    if request.method == "POST" and form.is_valid():
        # A new run: answers from an earlier one would be confusing.
        _save_state(
            request,
            {
                "answers": {},
                "asked": [],
                "postcode": form.cleaned_data["postcode"],
                "assessment_id": None,
            },
        )
        return redirect("carers:assessment-questions")
    return render(request, "carers/assessment_start.html", {"form": form})


@require_http_methods(["GET", "HEAD", "POST"])
def assessment_questions(request: HttpRequest) -> HttpResponse:
    state = _state(request)
    found = _next_step(state)
    if found is None:
        return _finish(request, state)
    number, step, paths = found
    prefill = _diary_prefill(request)
    if request.method == "POST":
        if request.POST.get("step") != step.slug:
            # The form was for another step (a second tab, the back button): show this one.
            return redirect("carers:assessment-questions")
        form = QuestionsForm(request.POST, paths=paths)
        if form.is_valid():
            state["answers"].update(form.answers())
            state["asked"] = sorted(set(state["asked"]) | set(paths))
            _save_state(request, state)
            return redirect("carers:assessment-questions")
    else:
        form = QuestionsForm(paths=paths, initial_answers=prefill)
    prefilled = any(path in prefill for path in paths)
    context = {
        "form": form,
        "step": step,
        "number": number,
        "total": len(STEPS),
        "prefilled": prefilled,
    }
    return render(request, "carers/assessment_questions.html", context)


def _finish(request: HttpRequest, state: dict[str, Any]) -> HttpResponse:
    if state.get("assessment_id") is None:
        assessment = assessment_create(
            answers=_nested(state["answers"]),
            language=active_language(),
            postcode=state.get("postcode", ""),
            user=request.user,
        )
        state["assessment_id"] = assessment.pk
        _save_state(request, state)
    return redirect("carers:assessment-result")


@require_http_methods(["GET", "HEAD", "POST"])
def assessment_result(request: HttpRequest) -> HttpResponse:
    state = _state(request)
    assessment = Assessment.objects.filter(pk=state.get("assessment_id")).first()
    if assessment is None:
        return redirect("carers:assessment")
    consent_form = ConsentForm(request.POST or None)
    if request.method == "POST" and not assessment.contact_consent and consent_form.is_valid():
        assessment_record_consent(
            assessment=assessment,
            contact={
                "email": consent_form.cleaned_data["email"],
                "phone": consent_form.cleaned_data["phone"],
            },
            consent_wording_version=CURRENT_CONSENT_VERSION,
        )
        messages.success(request, _("Thank you. A coordinator will contact you."))
        return redirect("carers:assessment-result")
    language = active_language()
    outcome = render_outcome(assessment.outcome, language=language)
    found = services_for_postcode_list(assessment.postcode) or []
    local_services = [
        {
            "service": service,
            "name": service.name_in(language),
            "description": service.description_in(language),
            "kind": ServiceKind(service.kind).label,
        }
        for service in found
    ]
    context = {
        "assessment": assessment,
        "outcome": outcome,
        "general_status": _status_text(outcome["general"]["status"]),
        "social_status": _status_text(outcome["social_rights"]["status"]),
        "missing": [QUESTIONS[path].label for path in outcome["missing"] if path in QUESTIONS],
        "services": local_services,
        "consent_form": consent_form,
        "consent_wording": consent_wording(CURRENT_CONSENT_VERSION),
        "consent_version": CURRENT_CONSENT_VERSION,
    }
    return render(request, "carers/assessment_result.html", context)


@require_POST
def assessment_restart(request: HttpRequest) -> HttpResponse:
    request.session.pop(SESSION_KEY, None)
    return redirect("carers:assessment")


# --- Care diary -------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def diary(request: HttpRequest) -> HttpResponse:
    form = DiaryEntryForm(request.POST if request.POST.get("action") == "add" else None)
    if request.method == "POST":
        if request.POST.get("action") == "delete":
            entry = get_object_or_404(
                CareDiaryEntry, pk=request.POST.get("entry") or 0, user=request.user
            )
            diary_entry_delete(entry=entry)
            messages.success(request, _("The entry was deleted."))
            return redirect("carers:diary")
        if form.is_valid():
            diary_entry_create(user=request.user, **form.cleaned_data)
            messages.success(request, _("The hours were added to your diary."))
            return redirect("carers:diary")
    totals = selectors.diary_totals(user=request.user)
    entries = selectors.diary_entries(user=request.user).filter(
        date__gte=totals["rolling_12_months"]["start"]
    )
    return render(
        request, "carers/diary.html", {"form": form, "totals": totals, "entries": entries}
    )


# --- Coordinators -----------------------------------------------------------------------------


@coordinator_required
@require_http_methods(["GET", "HEAD"])
def coordinator_queue(request: HttpRequest) -> HttpResponse:
    form = QueueFilterForm(request.GET or None, municipalities=selectors.referral_municipalities())
    filters = {"status": "", "source": "", "municipality": ""}
    if form.is_valid():
        filters.update({name: value for name, value in form.cleaned_data.items() if value})
    referrals = list(selectors.referrals_for_queue(**filters)[:500])
    referral_reads_record(
        referrals=referrals,
        reader=request.user,
        action=AuditAction.LIST,
        details={"filters": {key: value for key, value in filters.items() if value}, "via": "page"},
        route=request.path,
    )
    language = active_language()
    rows = [
        {"referral": referral, "reasons": render_reasons(referral.reasons, language=language)}
        for referral in referrals
    ]
    context = {
        "form": form,
        "rows": rows,
        "counts": [
            (status, ReferralStatus(status).label, count)
            for status, count in selectors.referral_counts_by_status().items()
        ],
    }
    return render(request, "carers/coordinator_queue.html", context)


@coordinator_required
@require_http_methods(["GET", "HEAD", "POST"])
def coordinator_referral(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral = selectors.referral_get(referral_id=referral_id)
    if referral is None:
        return render(request, "carers/not_found.html", status=404)
    language = active_language()
    local = services_for_postcode_list(referral.postcode) or []
    if referral.referred_to is not None and referral.referred_to not in local:
        local = [referral.referred_to, *local]
    coordinators = list(selectors.coordinators())
    form = ReferralUpdateForm(
        request.POST or None,
        initial={
            "status": referral.status,
            "consent": referral.consent,
            "referred_to": referral.referred_to_id or "",
            "assigned_to": referral.assigned_to_id or "",
            "outcome": referral.outcome,
        },
        service_choices=[(service.pk, service.name_in(language)) for service in local],
        coordinators=coordinators,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        by_id = {service.pk: service for service in local}
        people = {user.pk: user for user in coordinators}
        try:
            referral_update(
                referral=referral,
                coordinator=request.user,
                status=data["status"],
                consent=data["consent"] if data["consent"] != referral.consent else None,
                referred_to=by_id.get(int(data["referred_to"])) if data["referred_to"] else None,
                assigned_to=people.get(int(data["assigned_to"])) if data["assigned_to"] else None,
                outcome=data["outcome"],
                note=data["note"],
            )
        except DomainError as error:
            field = {
                "consent_required": "referred_to",
                "invalid_transition": "status",
                "referral_closed": None,
                "consent_already_used": "consent",
                "invalid_consent": "consent",
                "invalid_assignee": "assigned_to",
            }.get(error.code)
            form.add_error(field, error.detail)
        else:
            messages.success(request, _("The referral was updated."))
            return redirect("carers:coordinator-referral", referral_id=referral.pk)
    referral_reads_record(
        referrals=[referral],
        reader=request.user,
        action=AuditAction.READ,
        details={"via": "page"},
        route=request.path,
    )
    context = {
        "referral": referral,
        "reasons": render_reasons(referral.reasons, language=language),
        "contact": selectors.referral_contact(referral),
        "consent_text": (
            str(CONSENT_WORDINGS[referral.consent_wording_version])
            if referral.consent_wording_version in CONSENT_WORDINGS
            else ""
        ),
        "notes": referral.notes.select_related("author"),
        "audit": selectors.referral_audit_entries(referral=referral).reverse()[:20],
        "form": form,
        **_loop_context(referral, language=language),
        "markable": _markable(referral),
        "mark": mark_of(detector=Detector.CARER_SIGNAL, subject=_mark_subject(referral)),
    }
    return render(request, "carers/coordinator_referral.html", context)


def _loop_context(referral, *, language: str) -> dict[str, Any]:
    """The closed loop on the coordinator's page: the person's live consents, the steps, and
    the forms to ask consent for a service, record one given by phone, and send."""
    offered = [(service.pk, service.name_in(language)) for service in services_to_offer(referral)]
    consents = list(selectors.referral_live_consents(referral=referral))
    return {
        "live_consents": consents,
        "steps": [
            {"step": step, "reason": reason_label(step.reason)}
            for step in selectors.referral_steps(referral=referral)
        ],
        "do_not_contact": selectors.person_do_not_contact(user_id=referral.person_id),
        "ask_form": ServicePickForm(service_choices=offered, prefix="ask"),
        "consent_form": ConsentByCoordinatorForm(service_choices=offered, prefix="consent"),
        "send_form": ServicePickForm(
            service_choices=[(c.service.pk, c.service.name_in(language)) for c in consents],
            prefix="send",
        ),
    }


def _mark_subject(referral) -> str:
    return f"referral:{referral.pk}"


def _markable(referral) -> bool:
    """Whether the referral comes from the carer signal on a help request (the signal a
    coordinator can mark right or wrong)."""
    return referral.source == "request" and referral.help_request_id is not None


@coordinator_required
@require_POST
def coordinator_referral_mark(request: HttpRequest, referral_id: int) -> HttpResponse:
    """A coordinator marks the carer signal behind a referral right or wrong (issue 16, item 5):
    a verdict only, no free text (detection.services.signal_mark)."""
    referral = selectors.referral_get(referral_id=referral_id)
    if referral is None or not _markable(referral):
        return render(request, "carers/not_found.html", status=404)
    verdict = request.POST.get("correct")
    if verdict not in ("yes", "no"):
        messages.error(request, _("Choose whether the signal was right or wrong."))
    else:
        signal_mark(
            detector=Detector.CARER_SIGNAL,
            subject=_mark_subject(referral),
            correct=verdict == "yes",
            language=text_language(words_of(referral.help_request.description)),
        )
        messages.success(request, _("Thank you: your verdict on the signal was recorded."))
    return redirect("carers:coordinator-referral", referral_id=referral.pk)
