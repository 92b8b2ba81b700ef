"""The mobile client's sign-in: issue a token (password, plus a TOTP code for privileged roles), see
who I am, revoke the token in use."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.utils.translation import gettext as _
from django_otp import devices_for_user, match_token
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from layan.accounts import selectors, services
from layan.accounts.authentication import ApiTokenAuthentication
from layan.accounts.backends import canonical_login_name
from layan.core.api import ErrorSerializer, error_response


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150, help_text="NIP atau nama pengguna")
    password = serializers.CharField(max_length=4096, trim_whitespace=False, style={"input_type": "password"})
    otp = serializers.CharField(
        max_length=16,
        required=False,
        allow_blank=True,
        default="",
        help_text="Kode TOTP atau kode cadangan; wajib untuk peran yang memerlukan 2FA",
    )
    device_name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


class ScopeUnitSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class RoleSerializer(serializers.Serializer):
    role = serializers.CharField()
    label = serializers.CharField()
    scope_region = serializers.CharField(allow_null=True)
    scope_unit = ScopeUnitSerializer(allow_null=True)
    valid_from = serializers.DateField(allow_null=True)
    valid_to = serializers.DateField(allow_null=True)


class EmployeeSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    nip = serializers.CharField(allow_null=True)
    name = serializers.CharField()
    kind = serializers.CharField()
    unit = ScopeUnitSerializer()
    position = serializers.CharField(allow_null=True)
    supervisor = serializers.CharField(allow_null=True)


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    name = serializers.CharField()
    email = serializers.CharField(allow_blank=True)
    language = serializers.CharField()
    second_factor_required = serializers.BooleanField()
    roles = RoleSerializer(many=True)
    employee = EmployeeSummarySerializer(allow_null=True)


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField(
        help_text="Ditampilkan sekali; kirim sebagai 'Authorization: Bearer <token>'"
    )
    expires_at = serializers.DateTimeField()
    user = MeSerializer()


ERROR = ErrorSerializer


def _otp_failed(http_request, username: str) -> None:
    """A wrong second factor counts as a failed login for django-axes (username + IP lockout)."""
    user_login_failed.send(sender=__name__, credentials={"username": username}, request=http_request)


class AuthTokenView(APIView):
    def _signing_in(self) -> bool:
        request = getattr(self, "request", None)
        return request is not None and request.method == "POST"

    def get_authenticators(self):
        # Signing in needs no credentials beyond the body; a stale token header must not block it.
        if self._signing_in():
            return []
        return [ApiTokenAuthentication()]

    def get_permissions(self):
        if self._signing_in():
            return [AllowAny()]
        return [IsAuthenticated()]

    @extend_schema(
        operation_id="auth_token_create",
        request=TokenRequestSerializer,
        responses={201: TokenResponseSerializer, 400: ERROR, 401: ERROR, 429: ERROR},
        auth=[],
        summary="Masuk dari aplikasi seluler: menerbitkan token API",
    )
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        http_request = request._request  # django-axes reads and flags the plain HttpRequest
        username = canonical_login_name(data["username"])
        user = authenticate(http_request, username=username, password=data["password"])
        if user is None:
            # If axes locked the pair, its middleware answers 429 (layan.accounts.lockout).
            return error_response(
                "invalid_credentials",
                _("NIP/nama pengguna atau kata sandi salah."),
                status.HTTP_401_UNAUTHORIZED,
            )
        if selectors.needs_second_factor(user):
            if not any(True for _d in devices_for_user(user, confirmed=True)):
                return error_response(
                    "second_factor_setup_required",
                    _("Atur verifikasi dua langkah di situs web Layan terlebih dahulu, lalu masuk lagi."),
                    status.HTTP_400_BAD_REQUEST,
                )
            otp = "".join(data["otp"].split())
            if not otp:
                message = _("Masukkan kode verifikasi dua langkah dari aplikasi autentikator.")
                return error_response(
                    "second_factor_required", message, status.HTTP_400_BAD_REQUEST, fields={"otp": [message]}
                )
            if match_token(user, otp) is None:
                _otp_failed(http_request, username)
                message = _("Kode verifikasi salah atau sudah dipakai.")
                return error_response(
                    "invalid", message, status.HTTP_400_BAD_REQUEST, fields={"otp": [message]}
                )
        name = data["device_name"] or request.headers.get("User-Agent", "")[:100]
        token, key = services.api_token_issue(actor=user, name=name)
        # A full sign-in: last_login, and axes clears this pair's failure count.
        user_logged_in.send(sender=user.__class__, request=http_request, user=user)
        payload = {"token": key, "expires_at": token.expires_at, "user": selectors.account_summary(user)}
        return Response(TokenResponseSerializer(payload).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        operation_id="auth_token_destroy",
        request=None,
        responses={204: OpenApiResponse(description="Token dicabut"), 401: ERROR},
        summary="Keluar dari aplikasi seluler: mencabut token yang sedang dipakai",
    )
    def delete(self, request):
        services.api_token_revoke(actor=request.user, token=request.auth)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(APIView):
    @extend_schema(
        operation_id="auth_me",
        responses={200: MeSerializer, 401: ERROR, 403: ERROR},
        summary="Pengguna yang sedang masuk: peran dan cakupannya, ringkasan kepegawaian",
    )
    def get(self, request):
        return Response(MeSerializer(selectors.account_summary(request.user)).data)
