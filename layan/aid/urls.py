from django.urls import path

from layan.aid import views

app_name = "aid"
urlpatterns = [
    path("", views.home, name="home"),
    path("penduduk/", views.resident_list, name="resident_list"),
    path("penduduk/<int:pk>/", views.resident_detail, name="resident_detail"),
    path("bantuan-per-nik/", views.aid_by_nik, name="aid_by_nik"),
    path("impor/", views.import_list, name="import_list"),
    path("impor/<int:pk>/", views.import_detail, name="import_detail"),
    path("program/", views.program_list, name="program_list"),
    path("putaran/", views.round_list, name="round_list"),
    path("putaran/<int:pk>/", views.round_detail, name="round_detail"),
    path("putaran/<int:pk>/serah-terima/", views.handover, name="handover"),
    path("putaran/<int:pk>/pdf/", views.round_pdf, name="round_pdf"),
    path("putaran/sw.js", views.handover_service_worker, name="handover_sw"),
    path("penyaluran/<int:pk>/", views.distribution_create, name="distribution_create"),
    path("cakupan/", views.coverage, name="coverage"),
    path("cakupan/tanpa-bantuan/", views.uncovered_families, name="uncovered"),
    path("duplikat/", views.duplicate_list, name="duplicate_list"),
    path("duplikat/jalankan/", views.duplicate_run, name="duplicate_run"),
    path("duplikat/<int:pk>/", views.duplicate_detail, name="duplicate_detail"),
    path("asn-peduli/", views.asn_home, name="asn_home"),
    path("asn-peduli/pengumpulan/", views.asn_collect, name="asn_collect"),
    path("asn-peduli/paket/", views.asn_packages, name="asn_packages"),
    path("asn-peduli/paket/<int:pk>/", views.asn_package_detail, name="asn_package_detail"),
    path("asn-peduli/serah-terima/", views.asn_handover, name="asn_handover"),
    path("asn-peduli/sw.js", views.handover_service_worker, name="asn_handover_sw"),
    path("cek/", views.public_lookup, name="public_lookup"),
    path("galeri/", views.gallery, name="gallery"),
    path("galeri/<uuid:token>/", views.gallery_item, name="gallery_item"),
    path("galeri/<uuid:token>/bukti/<int:pk>/", views.gallery_evidence, name="gallery_evidence"),
    path("bukti/<int:pk>/", views.evidence_file, name="evidence_file"),
]
