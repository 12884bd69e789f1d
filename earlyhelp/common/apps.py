from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "earlyhelp.common"
    label = "common"
