from urllib.parse import urlencode

from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from layan.accounts.selectors import needs_second_factor

__all__ = ["RequireSecondFactorMiddleware", "needs_second_factor"]

# Paths a privileged user may open before the second factor: the 2FA pages (accounts:second_factor*,
# accounts:backup_codes*), logout, assets, health. Keep in step with layan/accounts/urls.py.
_OPEN_PREFIXES = ("/akun/2fa/", "/akun/keluar/", "/static/", "/healthz", "/i18n/", "/jsi18n/")


class RequireSecondFactorMiddleware:
    """Privileged roles (admin, BKPSDM, leaders) must pass TOTP before any page or API call."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(_OPEN_PREFIXES)
            and not getattr(request, "layan_token_auth", False)
            and not user.is_verified()
            and needs_second_factor(user)
        ):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {
                        "code": "second_factor_required",
                        "message": _("Verifikasi dua langkah diperlukan."),
                        "fields": {},
                    },
                    status=403,
                )
            return redirect(
                f"{reverse('accounts:second_factor')}?{urlencode({'next': request.get_full_path()})}"
            )
        return self.get_response(request)
