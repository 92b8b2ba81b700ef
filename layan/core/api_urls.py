from django.urls import path

from layan.core import views

app_name = "core_api"
urlpatterns = [
    path("jobs/<uuid:job_id>/", views.JobDetailAPI.as_view(), name="job_detail"),
    path("notifications/", views.NotificationListAPI.as_view(), name="notifications"),
    path("notifications/<int:pk>/read/", views.NotificationReadAPI.as_view(), name="notification_read"),
]
