from django.urls import path

from layan.performance import api

app_name = "performance_api"
urlpatterns = [
    path("performance/reports/", api.DailyReportListCreateView.as_view(), name="report_list"),
    path("performance/reports/<int:pk>/", api.DailyReportDetailView.as_view(), name="report_detail"),
    path(
        "performance/reports/<int:pk>/decision/",
        api.DailyReportDecisionView.as_view(),
        name="report_decision",
    ),
    path("performance/skp/", api.SkpListCreateView.as_view(), name="skp_list"),
    path("performance/skp/<int:pk>/", api.SkpDetailView.as_view(), name="skp_detail"),
    path("performance/skp/<int:pk>/rhk/", api.RhkCreateView.as_view(), name="rhk_create"),
    path("performance/tpp-lines/", api.TppLineListView.as_view(), name="tpp_line_list"),
    path("performance/tpp-lines/<int:pk>/", api.TppLineDetailView.as_view(), name="tpp_line_detail"),
    path("performance/evaluations/", api.EvaluationListView.as_view(), name="evaluation_list"),
]
