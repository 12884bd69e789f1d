from django.contrib import admin

from earlyhelp.common.admin_base import ReadOnlyAdmin
from earlyhelp.performance.models import ContextFigure, ImportedIndicatorValue, Target


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
