"""The access log in the admin: read only, since the database refuses changes anyway."""

from django.contrib import admin

from audit.models import AccessRecord


@admin.register(AccessRecord)
class AccessRecordAdmin(admin.ModelAdmin):
    list_display = ("at", "reader_name", "reader_role", "what", "object_id", "subject_id")
    list_filter = ("what", "reader_role")
    date_hierarchy = "at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
