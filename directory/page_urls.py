"""The directory's web pages for coordinators, included at "" by config/urls.py."""

from django.urls import path

from directory import page_views

app_name = "directory_pages"

urlpatterns = [
    path("coordinator/services/", page_views.services_to_verify, name="to-verify"),
    path("coordinator/services/<int:service_id>/", page_views.service_page, name="service"),
]
