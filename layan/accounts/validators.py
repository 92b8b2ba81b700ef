from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# The demo accounts' password; accepted only in demo/test mode, refused in production.
DEMO_PASSWORD = "layan-demo-2026"


class DemoPasswordValidator:
    def validate(self, password, user=None):
        if settings.PRODUCTION and password == DEMO_PASSWORD:
            raise ValidationError(
                _("Kata sandi demo tidak boleh dipakai di lingkungan produksi."), code="demo_password"
            )

    def get_help_text(self):
        return _("Kata sandi demo tidak boleh dipakai di produksi.")
