from django.contrib import admin

from audit.models import AccessKind
from audit.services import access_recorded
from geo.admin_widgets import GEOMETRY_AS_TEXT
from requests_app.models import Feedback, HelpRequest, Offer, Visit


class AccessLoggedChangeView:
    """Staff opening one row in the admin read everything in it: the read goes to the access log
    of the person it is about (the audit app), as a coordinator's read through the API does."""

    access_kind: str
    subject_field: str

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method in ("GET", "HEAD") and response.status_code == 200:
            shown = self.get_object(request, object_id)
            if shown is not None:
                access_recorded(
                    reader=request.user,
                    role="staff",
                    subject_id=getattr(shown, self.subject_field),
                    what=self.access_kind,
                    object_id=shown.pk,
                    purpose="admin",
                    route=request.path,
                )
        return response


class OfferInline(admin.TabularInline):
    model = Offer
    extra = 0
    raw_id_fields = ("helper",)


class VisitInline(admin.TabularInline):
    model = Visit
    extra = 0
    raw_id_fields = ("helper",)


@admin.register(HelpRequest)
class HelpRequestAdmin(AccessLoggedChangeView, admin.ModelAdmin):
    access_kind = AccessKind.REQUEST_CARE_DETAILS
    subject_field = "requester_id"
    formfield_overrides = GEOMETRY_AS_TEXT
    list_display = ("id", "category", "status", "postcode", "recurrence", "created_at")
    list_filter = ("status", "category", "recurrence", "for_someone_else")
    search_fields = ("description", "postcode", "requester__email")
    raw_id_fields = ("requester", "created_by", "matched_helper")
    readonly_fields = ("approximate_location", "created_at", "updated_at")
    inlines = [OfferInline, VisitInline]


@admin.register(Feedback)
class FeedbackAdmin(AccessLoggedChangeView, admin.ModelAdmin):
    access_kind = AccessKind.FEEDBACK
    subject_field = "author_id"
    formfield_overrides = GEOMETRY_AS_TEXT
    list_display = ("id", "kind", "request", "author", "about", "created_at")
    list_filter = ("kind",)
    raw_id_fields = ("request", "author", "about")
