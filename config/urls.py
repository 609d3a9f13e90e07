from django.conf.urls.i18n import i18n_patterns  # noqa: F401  (language switcher uses set_language)
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from config.health import healthz

# JSON under /api/, Django's page elsewhere (config/api_not_found.py).
handler404 = "config.api_not_found.not_found"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/", include("accounts.urls")),
    path("api/", include("audit.urls")),
    path("api/", include("matching.urls")),
    # Before requests_app's routes: /api/requests/nearby/ and .../candidates/ are ranking's.
    path("api/", include("ranking.urls")),
    path("api/", include("requests_app.urls")),
    path("api/geo/", include("geo.urls")),
    path("api/carers/", include("carers.urls")),
    path("api/", include("directory.urls")),
    path("api/", include("carers.api_urls")),
    path("", include("carers.page_urls")),
    path("api/", include("ranking.batch_urls")),
    path("api/", include("messaging.urls")),
    path("", include("messaging.urls_pages")),
    path("api/", include("notifications.urls")),
    path("", include("notifications.page_urls")),
    path("", include("frontend.request_page_urls")),
    path("", include("ranking.page_urls")),
    path("", include("accounts.page_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include("frontend.urls")),
]
