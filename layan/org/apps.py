from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "layan.org"
    label = "org"
    verbose_name = "Organisasi"
