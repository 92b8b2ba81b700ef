from django.urls import path

from layan.org import views

app_name = "org"
urlpatterns = [
    path("pegawai/", views.employee_list, name="employee_list"),
    path("pegawai/baru/", views.employee_create, name="employee_create"),
    path("pegawai/impor/", views.employee_import, name="employee_import"),
    path("pegawai/impor/templat/", views.employee_import_template, name="employee_import_template"),
    path("pegawai/impor/<uuid:job_id>/", views.employee_import_status, name="employee_import_status"),
    path("pegawai/impor/<uuid:job_id>/laporan/", views.employee_import_report, name="employee_import_report"),
    path("pegawai/<int:pk>/", views.employee_detail, name="employee_detail"),
    path("pegawai/<int:pk>/ubah/", views.employee_edit, name="employee_edit"),
    path("pegawai/<int:pk>/mutasi/", views.employee_move, name="employee_move"),
    path("pegawai/<int:pk>/berhenti/", views.employee_end, name="employee_end"),
    path("pegawai/<int:pk>/nik/", views.employee_nik, name="employee_nik"),
    path("pegawai/<int:pk>/akun/", views.employee_link_user, name="employee_link_user"),
    path("unit/", views.unit_list, name="unit_list"),
    path("unit/baru/", views.unit_create, name="unit_create"),
    path("unit/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("unit/<int:pk>/ubah/", views.unit_edit, name="unit_edit"),
    path("unit/<int:pk>/nonaktifkan/", views.unit_deactivate, name="unit_deactivate"),
    path("unit/<int:pk>/lokasi/baru/", views.location_create, name="location_create"),
    path("lokasi/<int:pk>/ubah/", views.location_edit, name="location_edit"),
    path("lokasi/<int:pk>/hapus/", views.location_delete, name="location_delete"),
    path("jabatan/", views.position_list, name="position_list"),
    path("jabatan/<int:pk>/ubah/", views.position_edit, name="position_edit"),
]
