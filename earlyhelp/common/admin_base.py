"""Django's admin over the data, read-only: changes go through the services (and the audit)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest


class ReadOnlyAdmin(admin.ModelAdmin):
    """Lets administrators look at records; every change must go through a service."""

    list_per_page = 50
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class PersonalDataAdmin(ReadOnlyAdmin):
    """Case content and people's records: not shown in Django's admin, even to a superuser.

    Administrators see "no case content by default" (DESIGN.md, roles table): people's
    records are read through the pages, within the reader's scope and in the access log.
    The model stays registered, so its admin pages answer 403 rather than disappear.
    """

    def has_module_permission(self, request: HttpRequest) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
