from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "earlyhelp.api"
    label = "api"
    verbose_name = "REST API"
