from django.urls import path

from layan.attendance import views

app_name = "attendance"
urlpatterns = [
    path("", views.checkin_page, name="checkin"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("saya/", views.my_attendance, name="my_attendance"),
    path("tim/", views.team_board, name="board"),
    path("tim/papan/", views.team_board_rows, name="board_rows"),
    path("catatan/<int:pk>/", views.checkin_detail, name="checkin_detail"),
    path("catatan/<int:pk>/tinjau/", views.checkin_review, name="checkin_review"),
    path("catatan/<int:pk>/swafoto/", views.checkin_selfie, name="checkin_selfie"),
    path("rekap/", views.recap, name="recap"),
    path("cuti/", views.leave_page, name="leave"),
    path("cuti/persetujuan/", views.leave_approvals, name="leave_approvals"),
    path("cuti/<int:pk>/putuskan/", views.leave_decide, name="leave_decide"),
    path("jadwal/", views.roster_list, name="rosters"),
    path("jadwal/<int:pk>/", views.roster_detail, name="roster_detail"),
    path("jadwal/<int:pk>/ubah/", views.roster_edit, name="roster_edit"),
    path("jadwal/<int:pk>/terbitkan/", views.roster_publish, name="roster_publish"),
    path("jadwal/saya/", views.my_roster, name="my_roster"),
    path("jadwal/tukar/", views.swap_approvals, name="swap_approvals"),
    path("jadwal/tukar/<int:pk>/putuskan/", views.swap_decide, name="swap_decide"),
    path("daftar-manual/", views.manual_list, name="manual_list"),
    path("koreksi/", views.correction_page, name="corrections"),
    path("koreksi/persetujuan/", views.correction_approvals, name="correction_approvals"),
    path("koreksi/<int:pk>/putuskan/", views.correction_decide, name="correction_decide"),
    path("koreksi/<int:pk>/bukti/", views.correction_evidence, name="correction_evidence"),
    path("siaga/", views.standby_page, name="standby"),
    path("siaga/kartu/", views.standby_card, name="standby_card"),
    path("siaga/<int:pk>/jawab/", views.standby_answer, name="standby_answer"),
    path("tim/siaga/", views.team_standby, name="team_standby"),
    path("unit/", views.units_overview, name="units"),
]
