"""The person's account page, included at "" by config/urls.py."""

from django.urls import path

from accounts import page_views

app_name = "account_pages"

urlpatterns = [
    path("account/", page_views.account_page, name="account"),
    path("account/export/", page_views.account_export, name="export"),
    path("account/delete/", page_views.account_delete, name="delete"),
]
