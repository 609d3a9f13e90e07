"""Receivers of other apps' events (core.events), connected in CarersConfig.ready."""

from carers import personal_data
from carers.services.referrals import referral_open_for_request
from core import events
from requests_app.selectors import carer_signal_of


def _open_referral_for_likely_carer(*, help_request) -> None:
    """A likely hidden carer reaches the coordinators' queue (seed 000, 002): the referral starts
    with consent pending, so nothing is shared before the person agrees. In the request's own
    transaction: a request is never stored without the referral its signal calls for."""
    referral_open_for_request(
        help_request=help_request, signal=carer_signal_of(help_request=help_request)
    )


events.help_request_created.connect(
    _open_referral_for_likely_carer, dispatch_uid="carers-open-referral-for-likely-carer"
)
events.user_data_exporting.connect(
    personal_data.carers_data_export, dispatch_uid="carers-export-carers-data"
)
events.user_erasing.connect(
    personal_data.carers_data_erase, dispatch_uid="carers-erase-carers-data"
)
