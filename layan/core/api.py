"""API conventions written once: the error format, pagination, and the scoped viewset base."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from layan.core.stored_text import shown_all

_MESSAGES = {
    "not_found": lambda: _("Data tidak ditemukan."),
    "not_authenticated": lambda: _("Silakan masuk terlebih dahulu."),
    "authentication_failed": lambda: _("Token tidak sah atau sudah kedaluwarsa."),
    "permission_denied": lambda: _("Anda tidak berwenang melakukan ini."),
    "invalid": lambda: _("Data yang dikirim belum benar. Periksa kolom yang ditandai."),
    "parse_error": lambda: _("Isi permintaan tidak dapat dibaca (JSON tidak sah)."),
    "method_not_allowed": lambda: _("Metode tidak diizinkan."),
    "throttled": lambda: _("Terlalu banyak permintaan. Coba lagi sebentar lagi."),
    "unsupported_media_type": lambda: _("Jenis isi permintaan tidak didukung."),
    "not_acceptable": lambda: _("Format jawaban yang diminta tidak tersedia."),
}


def _field_errors(detail) -> dict:
    if isinstance(detail, dict):
        return {k: [str(m) for m in (v if isinstance(v, list) else [v])] for k, v in detail.items()}
    return {}


def exception_handler(exc, context):
    """Every API error is ``{"code", "message", "fields"}`` with the message in the user's language."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    code = exc.default_code if isinstance(exc, exceptions.APIException) else "error"
    if isinstance(exc, exceptions.ValidationError):
        code = "invalid"
        fields = _field_errors(exc.detail)
        if isinstance(exc.detail, list):
            fields = {"non_field_errors": [str(m) for m in exc.detail]}
        message = _MESSAGES["invalid"]()
        if list(fields) == ["non_field_errors"]:
            message = fields["non_field_errors"][0]
    else:
        fields = {}
        message = _MESSAGES[code]() if code in _MESSAGES else str(getattr(exc, "detail", exc))
    response.data = {"code": code, "message": message, "fields": fields}
    return response


class StandardPagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 200


def error_response(code: str, message: str, http_status=status.HTTP_400_BAD_REQUEST, fields=None) -> Response:
    return Response({"code": code, "message": message, "fields": fields or {}}, status=http_status)


class ErrorSerializer(serializers.Serializer):
    """The one error format of the API (``exception_handler``), for the OpenAPI schema of every app."""

    code = serializers.CharField()
    message = serializers.CharField()
    fields = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


class StoredMessagesField(serializers.ListField):
    """A list of messages kept in the database (``core.stored_text``), in the caller's language."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(child=serializers.CharField(), **kwargs)

    def to_representation(self, data):
        return shown_all(data)


class SlugRelatedField(serializers.SlugRelatedField):
    """DRF's SlugRelatedField, but input PostgreSQL cannot hold (NUL bytes) is refused, not queried."""

    def to_internal_value(self, data):
        if isinstance(data, str) and "\x00" in data:
            self.fail("does_not_exist", slug_name=self.slug_field, value=data.replace("\x00", ""))
        return super().to_internal_value(data)
