from django.apps import AppConfig


class InterchangeConfig(AppConfig):
    name = "earlyhelp.interchange"
    label = "interchange"
