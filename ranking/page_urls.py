"""Helper and coordinator web pages about helpers, included at "" by config/urls.py.

/coordinator/ itself is the carers' referral queue (carers/page_urls.py).
"""

from django.urls import path

from ranking import page_views

app_name = "helper_pages"

urlpatterns = [
    path("helper/", page_views.helper_page, name="helper"),
    path("helper/requests/<int:request_id>/offer/", page_views.offer_create, name="offer"),
    path(
        "helper/proposals/<int:proposal_id>/accept/",
        page_views.proposal_accept,
        name="proposal-accept",
    ),
    path(
        "helper/proposals/<int:proposal_id>/decline/",
        page_views.proposal_decline,
        name="proposal-decline",
    ),
    path("coordinator/helpers/", page_views.coordinator_helpers, name="coordinator-helpers"),
    path(
        "coordinator/helpers/find/",
        page_views.coordinator_helper_find,
        name="coordinator-helper-find",
    ),
    path(
        "coordinator/helpers/<int:user_id>/",
        page_views.coordinator_helper,
        name="coordinator-helper",
    ),
    path(
        "coordinator/helpers/<int:user_id>/verify/",
        page_views.helper_verify,
        name="verify",
    ),
]
