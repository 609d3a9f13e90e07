from django.contrib import admin

from geo.admin_widgets import GEOMETRY_AS_TEXT
from matching.models import AvailabilitySlot, HelperProfile


class AvailabilitySlotInline(admin.TabularInline):
    model = AvailabilitySlot
    extra = 0


@admin.register(HelperProfile)
class HelperProfileAdmin(admin.ModelAdmin):
    formfield_overrides = GEOMETRY_AS_TEXT
    list_display = (
        "user",
        "postcode",
        "radius_km",
        "weekly_hours",
        "verification_state",
        "active",
        "has_car",
    )
    list_filter = ("verification_state", "active", "has_car")
    search_fields = ("user__email", "user__display_name", "postcode")
    raw_id_fields = ("user", "verified_by")
    readonly_fields = ("created_at", "updated_at")
    inlines = [AvailabilitySlotInline]
