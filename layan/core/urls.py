from django.urls import path

from layan.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("kalender/", views.calendar_view, name="calendar"),
    path("kalender/libur/<int:pk>/ubah/", views.day_off_edit, name="day_off_edit"),
    path("kalender/libur/<int:pk>/hapus/", views.day_off_delete, name="day_off_delete"),
    path("audit/", views.audit_list, name="audit_list"),
    path("audit/nik/", views.processing_export, name="processing_export"),
    path("notifikasi/", views.notification_list, name="notifications"),
    path("notifikasi/<int:pk>/buka/", views.notification_open, name="notification_open"),
    path("notifikasi/baca-semua/", views.notifications_read_all, name="notifications_read_all"),
    path("tugas/", views.job_list, name="job_list"),
    path("tugas/<uuid:job_id>/", views.job_detail, name="job_detail"),
    path("tugas/<uuid:job_id>/progres/", views.job_progress, name="job_progress"),
    path("tugas/<uuid:job_id>/unduh/", views.job_download, name="job_download"),
]
