import uuid

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

from layan.core import request_context


class RequestContextMiddleware:
    """Keeps the client's IP and user agent for the audit trail (REMOTE_ADDR; the proxy sets it right)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request.headers.get("X-Request-ID", "")[:36] or str(uuid.uuid4())
        token = request_context.set_current(
            request_context.RequestContext(
                ip=request.META.get("REMOTE_ADDR") or None,
                user_agent=request.headers.get("User-Agent", "")[:255],
                request_id=request_id,
            )
        )
        try:
            response = self.get_response(request)
        finally:
            request_context.reset(token)
        response["X-Request-ID"] = request_id
        return response


class DefaultLanguageMiddleware(LocaleMiddleware):
    """Bahasa Indonesia unless the user chose English with the switcher (the language cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language, and many phones in Indonesia
    are set to English: the users' language is the default, the switcher is the one way to change it."""

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
