from django.apps import AppConfig


class AttendanceConfig(AppConfig):
    name = "layan.attendance"
    label = "attendance"
