"""Included at /api/ by config/urls.py: the service directory (CONTRACT.md, "Carers and
referrals"; docs/SERVICES.md)."""

from django.urls import path

from directory import api

urlpatterns = [
    path("services/", api.ServiceListApi.as_view(), name="api-services"),
    path("services/export/", api.ServiceExportApi.as_view(), name="api-services-export"),
    path(
        "services/<int:service_id>/members/",
        api.ServiceMembersApi.as_view(),
        name="api-service-members",
    ),
    path("services/import/", api.ServiceImportApi.as_view(), name="api-services-import"),
    path(
        "services/unverified/",
        api.ServicesUnverifiedApi.as_view(),
        name="api-services-unverified",
    ),
    path("services/<int:service_id>/", api.ServiceDetailApi.as_view(), name="api-service"),
    path(
        "services/<int:service_id>/contact/",
        api.ServiceContactApi.as_view(),
        name="api-service-contact",
    ),
]
