from django.apps import AppConfig


class RegionsConfig(AppConfig):
    name = "layan.regions"
    label = "regions"
    verbose_name = "Wilayah"
