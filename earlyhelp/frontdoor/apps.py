from django.apps import AppConfig


class FrontdoorConfig(AppConfig):
    name = "earlyhelp.frontdoor"
    label = "frontdoor"
