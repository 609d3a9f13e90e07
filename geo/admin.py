from django.contrib import admin

from geo.admin_widgets import GEOMETRY_AS_TEXT
from geo.models import GeocodedAddress, Municipality, Postcode


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    formfield_overrides = GEOMETRY_AS_TEXT
    list_display = ("refnis", "name_fr", "name_nl", "name_de", "region")
    list_filter = ("region",)
    search_fields = ("refnis", "name_fr", "name_nl", "name_de")


@admin.register(Postcode)
class PostcodeAdmin(admin.ModelAdmin):
    formfield_overrides = GEOMETRY_AS_TEXT
    list_display = ("code", "locality_name", "municipality", "location_source")
    list_filter = ("location_source",)
    search_fields = ("code", "locality_name", "municipality__name_fr", "municipality__name_nl")
    list_select_related = ("municipality",)


@admin.register(GeocodedAddress)
class GeocodedAddressAdmin(admin.ModelAdmin):
    formfield_overrides = GEOMETRY_AS_TEXT
    list_display = ("query", "postcode", "provider", "created_at")
    search_fields = ("query",)
