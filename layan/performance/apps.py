from django.apps import AppConfig


class PerformanceConfig(AppConfig):
    name = "layan.performance"
    label = "performance"
