"""The kinds of notification (CONTRACT.md, "Notifications and jobs"): what each says, in the
reader's language at the moment it is read, and whether it goes out by e-mail and push unless
the person chose otherwise.

Titles and bodies are written from the notification's parameters only (ids, a category code, a
postcode, a display name, a date): never a request's description or place, never a message's
text — an e-mail can be forwarded or read over a shoulder, and the details are on the site,
behind a login.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _

from accounts.models import Role
from carers.models import ClosingOutcome
from directory.models import service_name_in
from matching.vocabulary import Category


@dataclass(frozen=True)
class Kind:
    name: str
    # (params) → (title, body), called inside translation.override(reader's language).
    render: Callable[[dict], tuple[str, str]]
    email: bool  # the default for e-mail
    push: bool  # the default for Web Push
    # What the settings page calls this kind ("when … I am told"), and who can receive it:
    # the page offers a person only the kinds that can reach someone in their role.
    label: str = ""
    audience: frozenset[str] = frozenset()
    # A daily digest may gather these instead of one e-mail each.
    digestible: bool = False


def _category(params: dict) -> str:
    code = params.get("category", "")
    return str(Category(code).label) if code in Category.values else code


def _duration(minutes: int) -> str:
    hours, rest = divmod(int(minutes or 0), 60)
    if hours and rest:
        return _("%(hours)d h %(minutes)02d") % {"hours": hours, "minutes": rest}
    if hours:
        return _("%(hours)d h") % {"hours": hours}
    return _("%(minutes)d min") % {"minutes": rest}


# `for_name`: the name of the person asking, when the reader acts for them (a coordinator of
# the team of a person without e-mail, or who made the request for them).


def _offer_received(params):
    title = _("A neighbour offers to help: %(category)s") % {"category": _category(params)}
    if params.get("for_name"):
        return title, _(
            "Someone offered to help %(name)s. Open the request to read the offer and accept "
            "it for them."
        ) % {"name": params["for_name"]}
    return (
        title,
        _("Someone offered to help with your request. Open it to read the offer and accept it."),
    )


def _offer_accepted(params):
    return (
        _("Your offer of help was accepted"),
        _(
            "A conversation with the person you will help is open on Tandem: agree on the "
            "details together."
        ),
    )


def _offer_declined(params):
    return (
        _("Your offer was not taken up: %(category)s") % {"category": _category(params)},
        _("This request found another helper or was closed. Thank you for offering."),
    )


def _request_matched(params):
    title = _("A helper is coming: %(category)s") % {"category": _category(params)}
    if params.get("for_name"):
        return title, _(
            "The request of %(name)s has a helper. A conversation is open to agree on the details."
        ) % {"name": params["for_name"]}
    return (
        title,
        _("Your request has a helper. A conversation is open to agree on the details."),
    )


def _request_cancelled(params):
    return (
        _("A request was cancelled: %(category)s") % {"category": _category(params)},
        _("The person you were helping cancelled this request. Your hours for it are free again."),
    )


def _request_expiring(params):
    offers = int(params.get("offers") or 0)
    if offers:
        body = ngettext(
            "%(count)d offer waits for your answer, and the request closes within a day. "
            "Open it to accept one.",
            "%(count)d offers wait for your answer, and the request closes within a day. "
            "Open it to accept one.",
            offers,
        ) % {"count": offers}
    else:
        body = _(
            "Nobody has offered yet, and it closes within a day. A coordinator can help you "
            "find someone."
        )
    return (
        _("Your request closes soon: %(category)s") % {"category": _category(params)},
        body,
    )


def _request_nearby(params):
    category = _category(params)
    return (
        _("Someone near you asks for help: %(category)s") % {"category": category},
        _("Someone in your neighbourhood (%(postcode)s) asks for help: %(category)s, %(duration)s.")
        % {
            "postcode": params.get("postcode") or "—",
            "category": category,
            "duration": _duration(params.get("duration_minutes", 0)),
        },
    )


def _proposal_created(params):
    return (
        _("A request is proposed to you: %(category)s") % {"category": _category(params)},
        _("The coordinators think you fit this request. Accept or decline it on your helper page."),
    )


def _message_unread(params):
    return (
        _("Unread message from %(name)s") % {"name": params.get("name", "")},
        _("A message waits for you in your conversation on Tandem."),
    )


def _visit_to_confirm(params):
    values = {
        "name": params.get("name", ""),
        "hours": params.get("hours", ""),
        "date": params.get("date", ""),
    }
    if params.get("for_name"):
        return _("A visit to confirm"), _(
            "%(name)s logged %(hours)s hours with %(for_name)s on %(date)s. Ask them, then "
            "confirm it if it is right."
        ) % {**values, "for_name": params["for_name"]}
    return (
        _("A visit to confirm"),
        _("%(name)s logged %(hours)s hours on %(date)s. Confirm it if it is right.") % values,
    )


def _helper_verified(params):
    return (
        _("You are a verified helper"),
        _("A coordinator verified your helper profile: you can offer help now."),
    )


def _helper_suspended(params):
    return (
        _("A suspended helper has open matches: %(name)s") % {"name": params.get("name", "")},
        _(
            "A coordinator suspended %(name)s. Requests they are matched with: %(matched)d. "
            "Open requests they offered on: %(offered)d. Open their vetting page to follow "
            "them up."
        )
        % {
            "name": params.get("name", ""),
            "matched": len(params.get("matched", [])),
            "offered": len(params.get("offered", [])),
        },
    )


def _service_name(params: dict) -> str:
    names = params.get("service") or {}
    return service_name_in(names, get_language() or "fr", key="") if names else ""


def _referral_consent_asked(params):
    service = _service_name(params)
    if service:
        return (
            _("Your agreement is asked"),
            _(
                "A coordinator would like to put you in touch with %(service)s. Open the page "
                "to see exactly what would be shared, and say yes or no."
            )
            % {"service": service},
        )
    return (
        _("Your agreement is asked"),
        _(
            "A coordinator would like to put you in touch with a local service. Open the page "
            "to say yes or no."
        ),
    )


def _referral_step_sentence(status: str, params: dict) -> str:
    service = _service_name(params) or _("the service")
    outcome = params.get("outcome", "")
    sentences = {
        "sent": _("Your details were sent to %(service)s, as you agreed. It will contact you."),
        "accepted": _("%(service)s accepted your referral and will contact you."),
        "declined": _(
            "%(service)s cannot help this time. A coordinator will look for another way with you."
        ),
        "in_progress": _("%(service)s is working on your situation."),
        "closed": _("%(service)s closed your referral: %(outcome)s."),
        "draft": _(
            "Your agreement was withdrawn: no service sees your referral any more. You can "
            "agree again at any time."
        ),
    }
    sentence = sentences.get(status)
    if sentence is None:
        return _("A coordinator moved your file on. Open the page to see where it stands.")
    outcome_label = (
        str(ClosingOutcome(outcome).label) if outcome in ClosingOutcome.values else outcome
    )
    return sentence % {"service": service, "outcome": outcome_label or "—"}


def _referral_updated(params):
    if params.get("consent") == "given":
        # An agreement recorded (online by the person, or by a coordinator on their word): the
        # status does not move until a coordinator sends.
        sentence = _(
            "Your agreement to be put in touch with %(service)s is recorded. A coordinator will "
            "send your details to it."
        ) % {"service": _service_name(params) or _("the service")}
    else:
        sentence = _referral_step_sentence(params.get("status", ""), params)
    return (_("News about your contact with a local service"), sentence)


def _referral_received(params):
    return (
        _("A new referral for your service"),
        _(
            "A Tandem coordinator sent your service a referral, with the person's consent. "
            "Open your referrals to accept or decline it."
        ),
    )


def _referral_reminder(params):
    return (
        _("A referral is waiting for your answer"),
        _(
            "A referral sent to your service %(days)s working days ago has no answer yet. "
            "Open your referrals to accept or decline it."
        )
        % {"days": params.get("days", "")},
    )


def _referral_unanswered(params):
    return (
        _("A service has not answered a referral"),
        _(
            "%(service)s has not answered a referral sent %(days)s working days ago. You "
            "may call them or send it elsewhere."
        )
        % {"service": _service_name(params) or _("the service"), "days": params.get("days", "")},
    )


def _referral_declined(params):
    return (
        _("A service declined a referral"),
        _("%(service)s declined a referral. It waits in your queue to be sent elsewhere.")
        % {"service": _service_name(params) or _("the service")},
    )


def _concern_raised(params):
    return (
        _("A helper raised a concern"),
        _("A helper is worried about a person they help. The referral waits in your queue."),
    )


# Who receives each kind: notifications/receivers.py and jobs.py. Coordinators receive the
# requester's kinds for the people they manage (accounts.ManagedPerson).
KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind(
            "offer.received",
            _offer_received,
            email=True,
            push=True,
            label=gettext_lazy("A neighbour offers to help with a request"),
            audience=frozenset({Role.HELPPIE, Role.COORDINATOR}),
        ),
        Kind(
            "offer.accepted",
            _offer_accepted,
            email=True,
            push=True,
            label=gettext_lazy("My offer of help is accepted"),
            audience=frozenset({Role.HELPPER}),
        ),
        Kind(
            "offer.declined",
            _offer_declined,
            email=False,
            push=False,
            label=gettext_lazy("My offer of help is not taken up"),
            audience=frozenset({Role.HELPPER}),
        ),
        Kind(
            "request.matched",
            _request_matched,
            email=True,
            push=True,
            label=gettext_lazy("A request finds its helper"),
            audience=frozenset({Role.HELPPIE, Role.COORDINATOR}),
        ),
        Kind(
            "request.cancelled",
            _request_cancelled,
            email=True,
            push=True,
            label=gettext_lazy("A request I help with is cancelled"),
            audience=frozenset({Role.HELPPER}),
        ),
        Kind(
            "request.expiring",
            _request_expiring,
            email=True,
            push=False,
            label=gettext_lazy("A request is about to close"),
            audience=frozenset({Role.HELPPIE, Role.COORDINATOR}),
        ),
        Kind(
            "request.nearby",
            _request_nearby,
            email=True,
            push=False,
            digestible=True,
            label=gettext_lazy("A new request near me"),
            audience=frozenset({Role.HELPPER}),
        ),
        Kind(
            "proposal.created",
            _proposal_created,
            email=True,
            push=True,
            label=gettext_lazy("A coordinator proposes a request to me"),
            audience=frozenset({Role.HELPPER}),
        ),
        Kind(
            "message.unread",
            _message_unread,
            email=True,
            push=True,
            digestible=True,
            label=gettext_lazy("A message I have not read yet"),
            audience=frozenset({Role.HELPPIE, Role.HELPPER, Role.COORDINATOR, Role.SERVICE_WORKER}),
        ),
        Kind(
            "visit.to_confirm",
            _visit_to_confirm,
            email=True,
            push=False,
            label=gettext_lazy("A visit to confirm"),
            audience=frozenset({Role.HELPPIE, Role.COORDINATOR}),
        ),
        Kind(
            "helper.verified",
            _helper_verified,
            email=True,
            push=False,
            label=gettext_lazy("My helper profile is checked"),
            audience=frozenset({Role.HELPPER}),
        ),
        Kind(
            "helper.suspended",
            _helper_suspended,
            email=True,
            push=False,
            label=gettext_lazy("My helper profile is paused"),
            audience=frozenset({Role.HELPPER}),
        ),
        Kind(
            "referral.consent_asked",
            _referral_consent_asked,
            email=True,
            push=False,
            label=gettext_lazy("My agreement is asked before a service is contacted"),
            audience=frozenset({Role.HELPPIE, Role.HELPPER}),
        ),
        Kind(
            "referral.updated",
            _referral_updated,
            email=True,
            push=False,
            label=gettext_lazy("News about a referral to a service"),
            audience=frozenset({Role.HELPPIE, Role.HELPPER}),
        ),
        Kind(
            "referral.received",
            _referral_received,
            email=True,
            push=False,
            label=gettext_lazy("A referral is sent to my service"),
            audience=frozenset({Role.SERVICE_WORKER}),
        ),
        Kind(
            "referral.reminder",
            _referral_reminder,
            email=True,
            push=False,
            label=gettext_lazy("A referral to my service waits for an answer"),
            audience=frozenset({Role.SERVICE_WORKER}),
        ),
        Kind(
            "referral.unanswered",
            _referral_unanswered,
            email=True,
            push=False,
            label=gettext_lazy("A service has not answered a referral"),
            audience=frozenset({Role.COORDINATOR}),
        ),
        Kind(
            "referral.declined",
            _referral_declined,
            email=True,
            push=False,
            label=gettext_lazy("A service declines a referral"),
            audience=frozenset({Role.COORDINATOR}),
        ),
        Kind(
            "concern.raised",
            _concern_raised,
            email=True,
            push=False,
            label=gettext_lazy("A helper raises a concern"),
            audience=frozenset({Role.COORDINATOR}),
        ),
    )
}
