from django.contrib import admin

from .models import AccessEvent, Agency, Country, FocalPoint, Membership


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "time_zone", "population"]
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


@admin.register(AccessEvent)
class AccessEventAdmin(admin.ModelAdmin):
    """The access log: administrators read it, nobody changes it (the database refuses anyway).

    (Audit events of the tracked models are in pghistory's own read-only "Events" admin.)
    """

    list_display = ["created_at", "kind", "username", "ip_address", "object_type", "object_id",
                    "country", "path"]
    list_filter = ["kind", "object_type", "country"]
    search_fields = ["username", "ip_address", "object_type", "object_id", "path"]
    list_select_related = ["country"]
    date_hierarchy = "created_at"
    show_full_result_count = False  # the log grows without bound: no second COUNT(*)

    def has_view_permission(self, request, obj=None):
        # Logins carry no country to scope by: the whole log is for administrators only.
        return request.user.is_active and request.user.is_superuser

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
