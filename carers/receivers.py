"""Receivers of other apps' events (core.events), connected in CarersConfig.ready."""

from django.urls import reverse

from carers import personal_data, selectors
from carers.loop_texts import status_label, step_lines
from carers.serializers_referrals import person_referral_as_dict
from carers.services.referrals import referral_open_for_request
from core import events
from core.languages import active_language
from requests_app.selectors import carer_signal_of


def _open_referral_for_likely_carer(*, help_request) -> None:
    """A likely hidden carer reaches the coordinators' queue (seed 000, 002): the referral starts
    with consent pending, so nothing is shared before the person agrees. In the request's own
    transaction: a request is never stored without the referral its signal calls for."""
    referral_open_for_request(
        help_request=help_request, signal=carer_signal_of(help_request=help_request)
    )


def _referrals_for_account_page(*, user) -> dict:
    """The person's referrals on their account page: where each stands and its steps (the
    shape they read at GET /api/me/referrals/, without the workers' notes), and the page to
    answer from."""
    language = active_language()
    items = []
    for referral in selectors.referrals_of_person(user=user):
        data = person_referral_as_dict(referral, language=language)
        service = data["service"] or data["proposed_service"]
        items.append(
            {
                "id": data["id"],
                "service": service["name"] if service else "",
                "status": data["status"],
                "status_label": status_label(data["status"]),
                "steps": step_lines(data["steps"]),
            }
        )
    return {"referrals": {"page": reverse("carers:my-referrals"), "items": items}}


events.help_request_created.connect(
    _open_referral_for_likely_carer, dispatch_uid="carers-open-referral-for-likely-carer"
)
events.user_data_exporting.connect(
    personal_data.carers_data_export, dispatch_uid="carers-export-carers-data"
)
events.user_erasing.connect(
    personal_data.carers_data_erase, dispatch_uid="carers-erase-carers-data"
)
events.account_page_showing.connect(
    _referrals_for_account_page, dispatch_uid="carers-referrals-for-account-page"
)
