from django.urls import path

from layan.regions import api

app_name = "regions_api"
urlpatterns = [
    path("regions/", api.RegionListView.as_view(), name="region_list"),
    path("regions/<str:code>/", api.RegionDetailView.as_view(), name="region_detail"),
]
