from django.urls import path

from layan.accounts import views

app_name = "accounts"
# The second-factor pages live under /akun/2fa/ and logout at /akun/keluar/: the paths
# RequireSecondFactorMiddleware leaves open before the second factor (layan/accounts/middleware.py).
urlpatterns = [
    path("", views.account, name="account"),
    path("masuk/", views.LoginView.as_view(), name="login"),
    path("keluar/", views.LogoutView.as_view(), name="logout"),
    path("2fa/", views.second_factor, name="second_factor"),
    path("2fa/atur/", views.second_factor_setup, name="second_factor_setup"),
    path("2fa/qr.svg", views.second_factor_qr, name="second_factor_qr"),
    path("2fa/cadangan/", views.backup_codes, name="backup_codes"),
    path("2fa/cadangan/baru/", views.backup_codes_new, name="backup_codes_new"),
    path("sandi/", views.PasswordChangeView.as_view(), name="password_change"),
    path("sandi/lupa/", views.PasswordResetView.as_view(), name="password_reset"),
    path("sandi/lupa/terkirim/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "sandi/atur-ulang/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "sandi/atur-ulang/selesai/", views.PasswordResetCompleteView.as_view(), name="password_reset_complete"
    ),
    path("token/", views.token_list, name="token_list"),
    path("token/<int:pk>/cabut/", views.token_revoke, name="token_revoke"),
    path("pengguna/", views.user_list, name="user_list"),
    path("pengguna/<int:pk>/", views.user_detail, name="user_detail"),
    path("pengguna/<int:pk>/<slug:action>/", views.user_action, name="user_action"),
    path("peran/", views.role_list, name="role_list"),
    path("peran/baru/", views.role_create, name="role_create"),
    path("peran/<int:pk>/akhiri/", views.role_end, name="role_end"),
]
