"""The coordinators' pages of the directory: the entries to verify, and one entry with its
contact details, their history and the form to add, correct or confirm them with a source."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.api_errors import DomainError
from core.languages import active_language
from core.pages import forbidden_page
from directory import selectors
from directory.forms import ContactCorrectionForm
from directory.models import CONTACT_FIELDS
from directory.services import service_contact_correct

MAX_LISTED = 300


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


@coordinator_page
@require_http_methods(["GET", "HEAD"])
def services_to_verify(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    found = selectors.services_needing_verification(today=today)
    total = found.count()
    language = active_language()
    rows = [
        {"service": service, "name": service.name_in(language)} for service in found[:MAX_LISTED]
    ]
    return render(
        request,
        "directory/services_to_verify.html",
        {"rows": rows, "total": total, "shown": len(rows)},
    )


@coordinator_page
@require_http_methods(["GET", "HEAD", "POST"])
def service_page(request: HttpRequest, service_id: int) -> HttpResponse:
    service = selectors.service_get(service_id=service_id)
    if service is None:
        raise Http404
    form = ContactCorrectionForm(
        request.POST or None,
        initial={name: getattr(service, name) for name in CONTACT_FIELDS},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        source, source_url = data.pop("source"), data.pop("source_url")
        try:
            change = service_contact_correct(
                service=service,
                actor=request.user,
                source=source,
                source_url=source_url,
                changes=data,
            )
        except DomainError as error:
            form.add_error(None, error.detail)
        else:
            if change.changes:
                messages.success(request, _("The contact details were saved with their source."))
            else:
                messages.success(request, _("The contact details were confirmed as verified."))
            return redirect("directory_pages:service", service_id=service.pk)
    today = timezone.localdate()
    context = {
        "service": service,
        "name": service.name_in(active_language()),
        "needs_verification": service.needs_verification(today),
        "history": selectors.service_contact_history(service=service)[:50],
        "form": form,
    }
    return render(request, "directory/service.html", context)
