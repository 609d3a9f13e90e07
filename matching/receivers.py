"""Receivers of other apps' events (core.events), connected in MatchingConfig.ready."""

from core import events
from matching import personal_data

events.user_data_exporting.connect(
    personal_data.helper_profile_export, dispatch_uid="matching-export-helper-profile"
)
events.user_erasing.connect(
    personal_data.helper_profile_erase, dispatch_uid="matching-erase-helper-profile"
)
