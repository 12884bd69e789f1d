from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from earlyhelp.common.admin_base import ReadOnlyAdmin
from earlyhelp.organisation.models import OrgUnit, User, Worker


@admin.register(OrgUnit)
class OrgUnitAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "kind", "service", "parent")
    list_filter = ("kind", "service")
    search_fields = ("code", "name")


@admin.register(Worker)
class WorkerAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "unit", "role", "fte", "active")
    list_filter = ("role", "active")
    search_fields = ("code", "name")
    list_select_related = ("unit",)


@admin.register(User)
class EarlyHelpUserAdmin(UserAdmin):
    list_display = ("username", "first_name", "last_name", "role", "org_unit", "is_active")
    list_filter = ("role", "is_active", "is_staff")
    list_select_related = ("org_unit",)
    fieldsets = (
        *UserAdmin.fieldsets,
        ("Early Help", {"fields": ("role", "org_unit", "worker", "partner_organisation")}),
    )
    raw_id_fields = ("worker",)
