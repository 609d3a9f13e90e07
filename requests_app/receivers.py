"""Receivers of the request flow's own events: each person's data in the export and the
erasure. Telling people of requests, offers and matches is the notifications app's part
(notifications/receivers.py), above this one.
"""

from core import events
from requests_app import personal_data

events.user_data_exporting.connect(
    personal_data.help_requests_export, dispatch_uid="requests_app-export-requests"
)
events.user_erasing.connect(
    personal_data.help_requests_erase, dispatch_uid="requests_app-erase-requests"
)
