from django.contrib import admin

from earlyhelp.common.admin_base import PersonalDataAdmin
from earlyhelp.frontdoor.models import Notification


@admin.register(Notification)
class NotificationAdmin(PersonalDataAdmin):
    list_display = (
        "notification_ref",
        "received_at",
        "source",
        "category",
        "due_on",
        "triage_decision",
        "threshold_level",
    )
    list_filter = ("source", "category", "triage_decision", "threshold_level")
    search_fields = ("notification_ref",)
    date_hierarchy = "received_at"
