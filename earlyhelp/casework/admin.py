from django.contrib import admin

from earlyhelp.casework.models import Case, ScsReferral
from earlyhelp.common.admin_base import PersonalDataAdmin


@admin.register(Case)
class CaseAdmin(PersonalDataAdmin):
    list_display = (
        "case_ref",
        "unit",
        "worker",
        "opened_on",
        "assessment_started_on",
        "plan_agreed_on",
        "closed_on",
        "closure_reason",
    )
    list_filter = ("closure_reason", "unit__parent")
    search_fields = ("case_ref",)
    list_select_related = ("unit", "worker")
    date_hierarchy = "opened_on"


@admin.register(ScsReferral)
class ScsReferralAdmin(PersonalDataAdmin):
    list_display = ("family", "referred_on", "case", "notification")
    list_select_related = ("family", "case", "notification")
