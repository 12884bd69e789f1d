from django.apps import AppConfig


class OrganisationConfig(AppConfig):
    name = "earlyhelp.organisation"
    label = "organisation"
