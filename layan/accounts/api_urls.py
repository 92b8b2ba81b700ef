from django.urls import path

from layan.accounts import api

app_name = "accounts_api"
urlpatterns = [
    path("auth/token/", api.AuthTokenView.as_view(), name="auth_token"),
    path("auth/me/", api.MeView.as_view(), name="auth_me"),
]
