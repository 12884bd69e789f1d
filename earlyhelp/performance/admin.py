from django.contrib import admin

from earlyhelp.common.admin_base import ReadOnlyAdmin
from earlyhelp.performance.models import (
    ContextFigure,
    FillState,
    ImportedIndicatorValue,
    IndicatorValue,
    MonthSignOff,
    SignedOffValue,
    Target,
)


@admin.register(ContextFigure)
class ContextFigureAdmin(ReadOnlyAdmin):
    list_display = ("measure", "period", "org_unit", "value")
    list_filter = ("measure",)


@admin.register(ImportedIndicatorValue)
class ImportedIndicatorValueAdmin(ReadOnlyAdmin):
    list_display = ("indicator_code", "period", "org_unit", "value")
    list_filter = ("indicator_code",)


@admin.register(Target)
class TargetAdmin(ReadOnlyAdmin):
    list_display = ("indicator_code", "year", "target", "floor")
    list_filter = ("year",)


@admin.register(IndicatorValue)
class IndicatorValueAdmin(ReadOnlyAdmin):
    list_display = (
        "indicator_code",
        "level",
        "org_code",
        "period",
        "window_months",
        "value",
        "rag",
    )
    list_filter = ("indicator_code", "level", "window_months")
    search_fields = ("org_code", "period")


@admin.register(FillState)
class FillStateAdmin(ReadOnlyAdmin):
    list_display = ("name", "state", "first_period", "last_period", "rows", "last_modified")


@admin.register(MonthSignOff)
class MonthSignOffAdmin(ReadOnlyAdmin):
    list_display = ("period", "version", "signed_off_by_name", "at", "rows", "note")


@admin.register(SignedOffValue)
class SignedOffValueAdmin(ReadOnlyAdmin):
    list_display = ("sign_off", "indicator_code", "level", "org_code", "window_months", "value")
    list_filter = ("indicator_code", "level")
