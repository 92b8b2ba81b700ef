from django.urls import path

from layan.complaints import views, views_channels

app_name = "complaints"
urlpatterns = [
    # citizens (no account)
    path("", views.submit_case, name="submit"),
    path("mirip/", views.similar_cases, name="similar"),
    path("ikuti/<str:code>/", views.follow_case, name="follow"),
    path("lacak/", views.track, name="track"),
    path("lacak/<str:code>/", views.track_case, name="track_case"),
    path("lacak/<str:code>/<slug:action>/", views.track_action, name="track_action"),
    path("publik/", views.public_list, name="public_list"),
    path("publik/peta.json", views.public_map_data, name="public_map"),
    path("statistik/", views.public_statistics, name="public_stats"),
    # officers
    path("kotak-masuk/", views.inbox, name="inbox"),
    path("terlambat/", views.overdue, name="overdue"),
    path("catat/", views.operator_submit, name="operator_submit"),
    path("kasus/<str:code>/", views.case_detail, name="case_detail"),
    path("kasus/<str:code>/aksi/<slug:action>/", views.case_action, name="case_action"),
    path("lampiran/<int:pk>/", views.attachment_file, name="attachment"),
    path("pesan/", views.message_list, name="message_list"),
    path("pesan/<int:pk>/", views.message_detail, name="message_detail"),
    path("kategori/", views.category_list, name="category_list"),
    path("kategori/<int:pk>/", views.category_edit, name="category_edit"),
    path("templat/", views.template_list, name="template_list"),
    path("templat/baru/", views.template_edit, name="template_new"),
    path("templat/<int:pk>/", views.template_edit, name="template_edit"),
    path("pimpinan/", views.leaders, name="leaders"),
    # channel webhooks (signed by the provider; csrf-exempt)
    path("webhook/email/", views_channels.email_webhook, name="webhook_email"),
    path("webhook/whatsapp/", views_channels.whatsapp_webhook, name="webhook_whatsapp"),
    path("webhook/meta/", views_channels.meta_webhook, name="webhook_meta"),
    path("webhook/sms/", views_channels.sms_webhook, name="webhook_sms"),
]
