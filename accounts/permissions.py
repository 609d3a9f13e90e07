"""Who may call an API by role (DRF permission classes)."""

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission, IsAuthenticated


class IsCoordinator(BasePermission):
    """A coordinator. Put after IsAuthenticated (COORDINATORS) so that anyone not signed in
    gets a 401 before the 403."""

    message = _("Only coordinators can do this.")

    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.is_authenticated and request.user.is_coordinator)


COORDINATORS = [IsAuthenticated, IsCoordinator]


class IsServiceWorker(BasePermission):
    """A partner service's worker (role `service_worker`); which service is the directory's
    to say (directory.selectors.service_of_worker)."""

    message = _("Only the workers of a partner service can do this.")

    def has_permission(self, request, view) -> bool:
        return bool(
            request.user and request.user.is_authenticated and request.user.is_service_worker
        )


SERVICE_WORKERS = [IsAuthenticated, IsServiceWorker]
