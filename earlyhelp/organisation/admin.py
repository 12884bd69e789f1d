from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest

from earlyhelp.audit.services import Actor
from earlyhelp.common.admin_base import ReadOnlyAdmin
from earlyhelp.organisation.models import ApiToken, OrgUnit, User, Worker
from earlyhelp.organisation.tokens import api_token_revoke


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


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    """Tokens are issued with `earlyhelp api-token issue` (the key is shown once, there);
    here they are listed and revoked."""

    list_display = ("prefix", "name", "user", "scopes", "created_at", "expires_at",
                    "revoked_at", "last_used_at")  # fmt: skip
    list_filter = ("revoked_at",)
    search_fields = ("prefix", "name", "user__username")
    list_select_related = ("user",)
    exclude = ("key_hash",)
    actions = ("revoke",)

    @admin.action(description="Revoke the selected tokens")
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        for token in queryset:
            api_token_revoke(actor=Actor.of(request.user), token=token)
        self.message_user(request, f"{queryset.count()} tokens revoked.")
