from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from layan.core import views as core_views

api_v1 = [
    path("", include("layan.regions.api_urls")),
    path("", include("layan.org.api_urls")),
    path("", include("layan.accounts.api_urls")),
    path("", include("layan.core.api_urls")),
    path("", include("layan.attendance.api_urls")),
    path("", include("layan.performance.api_urls")),
    path("", include("layan.complaints.api_urls")),
    path("", include("layan.aid.api_urls")),
]

urlpatterns = [
    path("", include("layan.core.urls")),
    path("akun/", include("layan.accounts.urls")),
    path("wilayah/", include("layan.regions.urls")),
    path("organisasi/", include("layan.org.urls")),
    path("presensi/", include("layan.attendance.urls")),
    path("kinerja/", include("layan.performance.urls")),
    path("pengaduan/", include("layan.complaints.urls")),
    path("bansos/", include("layan.aid.urls")),
    path("open311/v2/", include("layan.complaints.open311_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]

handler400 = core_views.bad_request
handler403 = core_views.permission_denied
handler404 = core_views.page_not_found
handler500 = core_views.server_error
