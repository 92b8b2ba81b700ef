from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "layan.core"
    label = "core"
    verbose_name = "Layan core"
