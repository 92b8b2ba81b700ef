from django.urls import path

from layan.performance import views

app_name = "performance"
urlpatterns = [
    path("laporan/baru/", views.report_new, name="report_new"),
    path("laporan/", views.my_reports, name="my_reports"),
    path("tim/", views.team, name="team"),
    path("tim/baris/", views.team_rows, name="team_rows"),
    path("tim/setujui/", views.bulk_approve, name="bulk_approve"),
    path("laporan/<int:pk>/putuskan/", views.report_decide, name="report_decide"),
    path("tpp/", views.my_tpp, name="my_tpp"),
    path("tpp/rincian/<int:pk>/", views.tpp_line, name="tpp_line"),
    path("tpp/perhitungan/", views.run_list, name="run_list"),
    path("tpp/perhitungan/<int:pk>/", views.run_detail, name="run_detail"),
    path("tpp/perhitungan/<int:pk>/<slug:action>/", views.run_action, name="run_action"),
]
