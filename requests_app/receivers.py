"""Receivers of the request flow's own events: telling people (requests_app.notifications).

The request service only records what happened and sends the event (core.events); who hears of
it, and how, is decided here, after the transaction commits.
"""

from core import events
from requests_app import notifications, personal_data


def _request_created(*, help_request) -> None:
    notifications.request_created_notify(help_request=help_request)


def _offer_created(*, offer) -> None:
    notifications.offer_created_notify(offer=offer)


def _match_confirmed(*, help_request, offer, conversation) -> None:
    notifications.offer_accepted_notify(offer=offer, conversation=conversation)


events.help_request_created.connect(
    _request_created, dispatch_uid="requests_app-tell-nearby-helpers", after_commit=True
)
events.offer_created.connect(
    _offer_created, dispatch_uid="requests_app-tell-requester-of-offer", after_commit=True
)
events.match_confirmed.connect(
    _match_confirmed, dispatch_uid="requests_app-tell-helper-of-match", after_commit=True
)
events.user_data_exporting.connect(
    personal_data.help_requests_export, dispatch_uid="requests_app-export-requests"
)
events.user_erasing.connect(
    personal_data.help_requests_erase, dispatch_uid="requests_app-erase-requests"
)
