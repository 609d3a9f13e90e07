"""The coordinators' batch run as a page: a dry run shown first, then "create proposals".

The page calls the service the API calls (ranking.batch.batch_run, as POST
/api/matching/batch/ does). The dry run lists every open request it considered; "create
proposals" runs again over exactly those requests (their ids travel in the form), so a request
posted between the two clicks is not proposed unseen. The plan is computed again at that moment:
a helper who took another request meanwhile is not given more than they have room for.
After a real run the page redirects to itself with the batch's id and lists its proposals
(post/redirect/get: reloading never proposes twice).
"""

from __future__ import annotations

import uuid
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from accounts.selectors import display_names_of
from core.pages import forbidden_page
from ranking import batch
from ranking import selectors as ranking_selectors
from requests_app import selectors as request_selectors

MAX_REQUEST_IDS = 50_000  # as the API's request_ids


def coordinator_page(view):
    """Anonymous visitors log in first; signed-in people who are not coordinators get a 403."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.is_coordinator:
            return forbidden_page(request)
        return view(request, *args, **kwargs)

    return wrapper


def _request_ids(values: list[str]) -> list[int] | None:
    try:
        ids = sorted({int(value) for value in values})
    except ValueError:
        return None
    if not ids or len(ids) > MAX_REQUEST_IDS or ids[0] < 1:
        return None
    return ids


def _plan_rows(plan) -> tuple[list[dict], list[dict]]:
    """The plan's assignments and unassigned requests, with what a coordinator reads: the
    category and postcode of each request and the helper's name (two queries)."""
    request_ids = {a.request for a in plan.assignments} | set(plan.unassigned)
    requests = {
        row.pk: row
        for row in request_selectors.help_requests_open()
        .filter(pk__in=request_ids)
        .only("id", "category", "postcode", "duration_minutes")
    }
    names = display_names_of(user_ids={a.helper for a in plan.assignments})
    assigned = [
        {
            "request": requests.get(a.request),
            "request_id": a.request,
            "helper": names.get(a.helper, ""),
            "score": a.score,
        }
        for a in plan.assignments
    ]
    unassigned = [
        {"request": requests.get(request_id), "request_id": request_id}
        for request_id in plan.unassigned
    ]
    return assigned, unassigned


@coordinator_page
@require_http_methods(["GET", "HEAD", "POST"])
def batch_page(request: HttpRequest) -> HttpResponse:
    context: dict = {"plan": None, "proposals": None}
    if request.method == "POST" and request.POST.get("action") == "create":
        request_ids = _request_ids(request.POST.getlist("request"))
        if request_ids is None:
            messages.error(request, _("Run a dry run first, then create its proposals."))
            return redirect("frontend:coordinator-batch")
        try:
            run = batch.batch_run(coordinator=request.user, dry_run=False, request_ids=request_ids)
        except ValidationError:
            messages.error(
                request,
                _("Some of these requests are no longer open. Run a new dry run."),
            )
            return redirect("frontend:coordinator-batch")
        count = len(run.proposals)
        messages.success(
            request,
            ngettext("%(count)d proposal created.", "%(count)d proposals created.", count)
            % {"count": count},
        )
        return redirect(f"{reverse('frontend:coordinator-batch')}?batch={run.batch_id}")
    if request.method == "POST":
        run = batch.batch_run(coordinator=request.user, dry_run=True)
        assigned, unassigned = _plan_rows(run.plan)
        context["plan"] = {
            "assigned": assigned,
            "unassigned": unassigned,
            "total_score": run.plan.total_score,
            "optimal": run.plan.optimal,
            "request_ids": sorted(
                {a.request for a in run.plan.assignments} | set(run.plan.unassigned)
            ),
        }
    batch_id = request.GET.get("batch", "")
    if batch_id:
        try:
            context["proposals"] = ranking_selectors.proposals_of_batch(
                batch_id=uuid.UUID(batch_id)
            )
        except ValueError:
            context["proposals"] = None
    return render(request, "frontend/coordinator_batch.html", context)
