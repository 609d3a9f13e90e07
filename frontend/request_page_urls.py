"""Web pages of the request flow, included at "" by config/urls.py."""

from django.urls import path

from frontend import request_pages as page_views

app_name = "request_pages"

urlpatterns = [
    path("requests/", page_views.request_list, name="list"),
    path("requests/new/", page_views.request_new, name="new"),
    path("requests/<int:request_id>/", page_views.request_detail, name="detail"),
    path("requests/<int:request_id>/accept/", page_views.offer_accept, name="accept"),
    path("requests/<int:request_id>/cancel/", page_views.request_cancel, name="cancel"),
    path("requests/<int:request_id>/complete/", page_views.request_complete, name="complete"),
    path("requests/<int:request_id>/visits/", page_views.visit_log, name="visit-log"),
    path(
        "requests/<int:request_id>/visits/<int:visit_id>/confirm/",
        page_views.visit_confirm,
        name="visit-confirm",
    ),
    path("requests/<int:request_id>/feedback/", page_views.feedback_leave, name="feedback"),
    path(
        "requests/<int:request_id>/carer-note/hide/",
        page_views.carer_note_hide,
        name="carer-note-hide",
    ),
    path("coordinator/requests/new/", page_views.coordinator_request_new, name="coordinator-new"),
]
