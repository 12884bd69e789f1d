from django.contrib import admin

from earlyhelp.common.admin_base import PersonalDataAdmin
from earlyhelp.people.models import Family, Person, Relationship


@admin.register(Family)
class FamilyAdmin(PersonalDataAdmin):
    list_display = ("family_ref", "district", "postcode", "lsoa_code", "restricted")
    list_filter = ("district",)
    search_fields = ("family_ref", "postcode")
    list_select_related = ("district",)


@admin.register(Person)
class PersonAdmin(PersonalDataAdmin):
    list_display = ("person_ref", "given_name", "family_name", "date_of_birth", "role_in_family")
    list_filter = ("role_in_family", "sex")
    search_fields = ("person_ref", "family_name", "given_name")


@admin.register(Relationship)
class RelationshipAdmin(PersonalDataAdmin):
    list_display = ("person", "kind", "other")
    list_select_related = ("person", "other")
