from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "layan.accounts"
    label = "accounts"
    verbose_name = "Akun"

    def ready(self):
        from layan.accounts import schema  # noqa: F401 - registers the OpenAPI bearer-token scheme
