from django.urls import path

from layan.core import views

app_name = "core_api"
urlpatterns = [
    path("jobs/<uuid:job_id>/", views.JobDetailAPI.as_view(), name="job_detail"),
]
