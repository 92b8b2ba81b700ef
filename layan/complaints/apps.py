from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "layan.complaints"
    label = "complaints"
