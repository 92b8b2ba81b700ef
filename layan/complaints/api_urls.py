from django.urls import path

from layan.complaints import api

app_name = "complaints_api"
urlpatterns = [
    path("complaints/categories/", api.CategoryList.as_view(), name="categories"),
    path("complaints/cases/", api.CaseListCreate.as_view(), name="cases"),
    path("complaints/cases/<str:code>/", api.CaseDetail.as_view(), name="case"),
    path("complaints/cases/<str:code>/<slug:action>/", api.CaseAction.as_view(), name="case_action"),
    path("complaints/track/<str:code>/", api.Track.as_view(), name="track"),
]
