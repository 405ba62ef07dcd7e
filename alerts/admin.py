"""Alerts in the staff admin: superusers only.

Subscribers' addresses are nobody else's business: recruiters, whatever their
role or permissions, get a 403 on every page of it and do not see it listed.
Alerts are made and ended by their subscribers; a superuser can only read and
delete them.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from alerts.models import Alert


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin):
    list_display = ["email", "frequency", "language", "query", "confirmed_at", "last_checked_at"]
    list_filter = ["frequency", "language", ("confirmed_at", admin.EmptyFieldListFilter)]
    search_fields = ["email"]
    fields = [
        "email",
        "search",
        "query",
        "frequency",
        "language",
        "created_at",
        "requested_at",
        "confirmed_at",
        "last_checked_at",
    ]
    readonly_fields = fields
    date_hierarchy = "created_at"

    @admin.display(description=_("search"))
    def search(self, alert):
        return " · ".join(alert.search_summary()) or _("All offers")

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_delete_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
