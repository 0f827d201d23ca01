from django.contrib import admin

from .models import Agency, Country, FocalPoint, Membership


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "time_zone"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "acronym", "country", "kind"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "acronym", "country__name"]
    list_select_related = ["country"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "agency", "is_active", "created_at"]
    list_filter = ["role", "is_active", "agency__country"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "agency__name"]
    list_select_related = ["user", "agency__country"]
    autocomplete_fields = ["user", "agency"]


@admin.register(FocalPoint)
class FocalPointAdmin(admin.ModelAdmin):
    list_display = ["full_name", "country", "agency", "kind", "served_from", "served_until"]
    list_filter = ["kind", "country"]
    search_fields = ["full_name", "email", "title", "agency__name"]
    list_select_related = ["country", "agency__country"]
    autocomplete_fields = ["agency", "user"]
    date_hierarchy = "served_from"
