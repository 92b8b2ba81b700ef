from django.urls import path  # noqa: F401

app_name = "regions_api"
urlpatterns: list = []
