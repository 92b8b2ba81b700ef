from django.urls import path

from layan.performance import views, views_plans

app_name = "performance"
urlpatterns = [
    path("laporan/baru/", views.report_new, name="report_new"),
    path("laporan/", views.my_reports, name="my_reports"),
    path("tim/", views.team, name="team"),
    path("tim/baris/", views.team_rows, name="team_rows"),
    path("tim/baru/", views.team_new, name="team_new"),
    path("tim/setujui/", views.bulk_approve, name="bulk_approve"),
    path("laporan/<int:pk>/putuskan/", views.report_decide, name="report_decide"),
    path("laporan/<int:pk>/bukti/", views.report_evidence, name="report_evidence"),
    path("tpp/", views.my_tpp, name="my_tpp"),
    path("tpp/rincian/<int:pk>/", views.tpp_line, name="tpp_line"),
    path("tpp/perhitungan/", views.run_list, name="run_list"),
    path("tpp/perhitungan/<int:pk>/", views.run_detail, name="run_detail"),
    path("tpp/perhitungan/<int:pk>/<slug:action>/", views.run_action, name="run_action"),
    path("tpp/pagu/", views.budgets, name="budgets"),
    path("pimpinan/", views.leaders, name="leaders"),
]

# Plans (SKP) and evaluations: views_plans.py.
urlpatterns += [
    path("skp/", views_plans.my_skp, name="my_skp"),
    path("skp/tim/", views_plans.team_skp, name="team_skp"),
    path("skp/cascading/", views_plans.cascade, name="cascade"),
    path("skp/<int:pk>/", views_plans.skp_detail, name="skp_detail"),
    path("skp/<int:pk>/rhk/baru/", views_plans.rhk_create, name="rhk_create"),
    path("skp/<int:pk>/perilaku/", views_plans.skp_behaviours, name="skp_behaviours"),
    path("skp/<int:pk>/putuskan/", views_plans.skp_decide, name="skp_decide"),
    path(
        "skp/<int:pk>/perbarui-atasan/",
        views_plans.skp_action,
        {"action": "perbarui-atasan"},
        name="skp_refresh",
    ),
    path("skp/<int:pk>/<slug:action>/", views_plans.skp_action, name="skp_action"),
    path("skp/rhk/<int:pk>/ubah/", views_plans.rhk_edit, name="rhk_edit"),
    path("skp/rhk/<int:pk>/hapus/", views_plans.rhk_delete, name="rhk_delete"),
    path("evaluasi/", views_plans.evaluation_team, name="evaluation_team"),
    path("evaluasi/saya/", views_plans.my_evaluations, name="my_evaluations"),
    path("evaluasi/unit/", views_plans.evaluation_unit, name="evaluation_unit"),
    path("evaluasi/pegawai/<int:employee_pk>/", views_plans.evaluation_form, name="evaluation_form"),
    path("evaluasi/predikat-organisasi/", views_plans.org_ratings, name="org_ratings"),
]
