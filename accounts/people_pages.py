"""The coordinators' pages about people without e-mail (issue 15, item 3): record a person who
phoned, list the people of one's team, hand over their data, give them a login later.

Included at "" by config/urls.py (accounts/page_urls.py). Server-rendered, without JavaScript;
the work is done by accounts.services, as for the API (/api/people/). A person recorded here
goes on to the intake page, /coordinator/requests/new/?person=<id>, where their request is
posted.
"""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import selectors, services
from accounts.forms import ManagedPersonForm, ManagedPersonLoginForm
from accounts.models import Role, User
from accounts.phone_numbers import phone_display
from accounts.privacy_notice import PRIVACY_NOTICE_VERSION
from accounts.selectors import account_link_base
from core.api_errors import DomainError
from core.pages import forbidden_page


def _colleagues_of(user: User):
    return (
        User.objects.filter(roles__contains=[Role.COORDINATOR], is_active=True)
        .exclude(pk=user.pk)
        .order_by("display_name", "pk")
    )


def _person_or_404(request: HttpRequest, person_id: int):
    person = selectors.managed_person_of(coordinator=request.user, person_id=person_id)
    if person is None:
        raise Http404
    return person


def _people_page(request: HttpRequest, form: ManagedPersonForm, status: int = 200):
    people = [
        {
            "person": person,
            "phone": phone_display(person.phone),
            "team": [str(user) for user in person.managed_by.all()],
            "login_form": ManagedPersonLoginForm(prefix=f"login-{person.pk}"),
        }
        for person in selectors.managed_people_of(coordinator=request.user)[:200]
    ]
    return render(
        request,
        "accounts/people.html",
        {"form": form, "people": people, "notice_version": PRIVACY_NOTICE_VERSION},
        status=status,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def people_page(request: HttpRequest) -> HttpResponse:
    """The people of the coordinator's team, and the form to record one who phoned."""
    if not request.user.is_coordinator:
        return forbidden_page(request)
    colleagues = _colleagues_of(request.user)
    if request.method != "POST":
        form = ManagedPersonForm(
            colleagues=colleagues,
            initial={"consent_wording_version": PRIVACY_NOTICE_VERSION, "language": "fr"},
        )
        return _people_page(request, form)
    form = ManagedPersonForm(request.POST, colleagues=colleagues)
    if form.is_valid():
        data = form.cleaned_data
        try:
            person = services.managed_person_create(
                created_by=request.user,
                display_name=data["display_name"],
                phone=data["phone"],
                postcode=data["postcode"],
                address=data["address"],
                language=data["language"],
                contact_preference=data["contact_preference"],
                consent_wording_version=data["consent_wording_version"],
                consent_note=data["consent_note"],
                co_manager_ids=data["co_managers"],
            )
        except ValidationError as error:
            # The service's field names are the form's, but for the consent and the team.
            renamed = {"consent": "consent", "managed_by": "co_managers"}
            form.add_service_errors(
                ValidationError(
                    {renamed.get(field, field): msgs for field, msgs in error.message_dict.items()}
                )
            )
        else:
            messages.success(
                request,
                _("%(name)s is recorded. Now write down what they need.")
                % {"name": person.user.display_name},
            )
            return redirect(f"{reverse('request_pages:coordinator-new')}?person={person.pk}")
    return _people_page(request, form, status=400)


@login_required
@require_GET
def person_export(request: HttpRequest, person_id: int) -> HttpResponse:
    """All the data of a person of the team, as a JSON file to hand over to them."""
    if not request.user.is_coordinator:
        return forbidden_page(request)
    person = _person_or_404(request, person_id)
    data = services.managed_person_data_export(
        person=person, acting_user=request.user, route=request.path
    )
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="tandem-person-{person.pk}-data.json"'
    return response


@login_required
@require_POST
def person_login(request: HttpRequest, person_id: int) -> HttpResponse:
    """Gives a person of the team a login: the address gets its confirmation link."""
    if not request.user.is_coordinator:
        return forbidden_page(request)
    person = _person_or_404(request, person_id)
    form = ManagedPersonLoginForm(request.POST, prefix=f"login-{person.pk}")
    if not form.is_valid():
        for message in form.errors.get("email", []):
            messages.error(request, message)
        return redirect("account_pages:people")
    try:
        services.managed_person_login_give(
            person=person,
            acting_user=request.user,
            email=form.cleaned_data["email"],
            link_base=account_link_base(request=request),
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    except DomainError as error:
        messages.error(request, error.detail)
    else:
        messages.success(
            request,
            _("A confirmation link is on its way to %(email)s.")
            % {"email": form.cleaned_data["email"]},
        )
    return redirect("account_pages:people")
