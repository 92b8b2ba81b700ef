import hashlib

from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions

from layan.core.models import ApiToken


def hash_token_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """``Authorization: Bearer <key>`` for the mobile client. Tokens expire and can be revoked.

    A token is issued only after a full login (with the second factor for privileged roles), so a
    request carrying a valid token counts as verified."""

    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode(errors="ignore").split()
        if not header or header[0] != self.keyword:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Header Authorization tidak sah."))
        # The employee record and unit come along: nearly every API call of the mobile client needs them.
        token = (
            ApiToken.objects.select_related("user__employee__unit")
            .filter(key_hash=hash_token_key(header[1]), revoked_at__isnull=True)
            .first()
        )
        if token is None or token.expires_at <= timezone.now() or not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("Token tidak sah atau sudah kedaluwarsa."))
        if token.last_used_at is None or (timezone.now() - token.last_used_at).total_seconds() > 300:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        request._request.layan_token_auth = True
        token.user.is_verified = lambda: True
        return token.user, token

    def authenticate_header(self, request):
        return self.keyword
