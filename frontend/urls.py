"""Web pages, included at "" by config/urls.py."""

from django.urls import path

from frontend import coordinator_pages, installable_app, views

app_name = "frontend"

urlpatterns = [
    path("", views.home, name="home"),
    path("signup/", views.signup, name="signup"),
    path("login/", views.login_page, name="login"),
    path("logout/", views.logout_page, name="logout"),
    path("coordinator/batch/", coordinator_pages.batch_page, name="coordinator-batch"),
    path("manifest.webmanifest", installable_app.manifest, name="manifest"),
    path("sw.js", installable_app.service_worker, name="service-worker"),
    path("offline/", installable_app.offline, name="offline"),
    path("language/", views.language_switch, name="language"),
]
