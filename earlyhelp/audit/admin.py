from django.contrib import admin

from earlyhelp.audit.models import AccessLog, CaseEvent, ChangeRecord
from earlyhelp.common.admin_base import PersonalDataAdmin


@admin.register(ChangeRecord)
class ChangeRecordAdmin(PersonalDataAdmin):
    list_display = ("at", "actor_name", "action", "entity", "entity_id")
    list_filter = ("action", "entity")


@admin.register(CaseEvent)
class CaseEventAdmin(PersonalDataAdmin):
    list_display = ("occurred_on", "kind", "actor_name", "family_id", "case_id")
    list_filter = ("kind",)


@admin.register(AccessLog)
class AccessLogAdmin(PersonalDataAdmin):
    list_display = ("at", "actor_name", "action", "what")
