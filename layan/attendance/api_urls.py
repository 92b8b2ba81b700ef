from django.urls import path

from layan.attendance import api

app_name = "attendance_api"
urlpatterns = [
    path("presensi/checkins/", api.CheckInListCreateView.as_view(), name="checkin_list"),
    path("presensi/checkins/<int:pk>/", api.CheckInDetailView.as_view(), name="checkin_detail"),
    path("presensi/checkins/<int:pk>/review/", api.CheckInReviewView.as_view(), name="checkin_review"),
    path("presensi/hari-ini/", api.TodayView.as_view(), name="today"),
    path("presensi/harian/", api.DailyAttendanceListView.as_view(), name="daily_list"),
    path("presensi/siaga/", api.StandbyPingListView.as_view(), name="standby_list"),
    path("presensi/siaga/<int:pk>/jawab/", api.StandbyPingAnswerView.as_view(), name="standby_answer"),
]
