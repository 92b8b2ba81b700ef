"""Open311 GeoReport v2 under /open311/v2/ (layan/urls.py includes this module)."""

from django.urls import re_path

from layan.complaints import open311

app_name = "open311"
_FMT = r"(?P<fmt>json|xml)"
urlpatterns = [
    re_path(rf"^discovery\.{_FMT}$", open311.discovery, name="discovery"),
    re_path(rf"^services\.{_FMT}$", open311.services_list, name="services"),
    re_path(rf"^services/(?P<code>[\w-]+)\.{_FMT}$", open311.service_definition, name="service_definition"),
    re_path(rf"^requests\.{_FMT}$", open311.requests_view, name="requests"),
    re_path(rf"^requests/(?P<request_id>[\w-]+)\.{_FMT}$", open311.request_detail, name="request_detail"),
]
