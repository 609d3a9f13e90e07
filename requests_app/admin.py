from django.contrib import admin

from geo.admin_widgets import GEOMETRY_AS_TEXT
from requests_app.models import Feedback, HelpRequest, Offer, Visit


class OfferInline(admin.TabularInline):
    model = Offer
    extra = 0
    raw_id_fields = ("helper",)


class VisitInline(admin.TabularInline):
    model = Visit
    extra = 0
    raw_id_fields = ("helper",)


@admin.register(HelpRequest)
class HelpRequestAdmin(admin.ModelAdmin):
    formfield_overrides = GEOMETRY_AS_TEXT
    list_display = ("id", "category", "status", "postcode", "recurrence", "created_at")
    list_filter = ("status", "category", "recurrence", "for_someone_else")
    search_fields = ("description", "postcode", "requester__email")
    raw_id_fields = ("requester", "created_by", "matched_helper")
    readonly_fields = ("approximate_location", "created_at", "updated_at")
    inlines = [OfferInline, VisitInline]


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    formfield_overrides = GEOMETRY_AS_TEXT
    list_display = ("id", "kind", "request", "author", "about", "created_at")
    list_filter = ("kind",)
    raw_id_fields = ("request", "author", "about")
