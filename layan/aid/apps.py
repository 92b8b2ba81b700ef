from django.apps import AppConfig


class AidConfig(AppConfig):
    name = "layan.aid"
    label = "aid"
