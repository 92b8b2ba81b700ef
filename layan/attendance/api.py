"""REST endpoints of the check-in (the PWA and a native app use the same ones) and of the attendance reads.

POST /presensi/checkins/ answers 201 for a new record, 200 for a re-send of the same client UUID (offline
queue, retries), 422 for a refused check-in (outside the WFO geofence), 409 for a double tap, 400 for bad
input; every error in the one format {code, message, fields}."""

from __future__ import annotations

import copy

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from layan.attendance import selectors, services
from layan.attendance.models import CheckIn, DailyAttendance, StandbyPing
from layan.core.api import ErrorSerializer, error_response
from layan.core.stored_text import shown
from layan.org.selectors import own_employee


class SignalSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()


class CheckInSerializer(serializers.ModelSerializer):
    employee_name = serializers.CharField(source="employee.name", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    signals = serializers.SerializerMethodField()

    class Meta:
        model = CheckIn
        fields = [
            "id", "client_uuid", "employee", "employee_name", "kind", "mode", "device_time", "received_at",
            "recorded_at", "local_date", "device_time_accepted", "latitude", "longitude", "accuracy_m",
            "fix_age_s", "mock_location", "place", "distance_m", "allowed_radius_m", "signals", "status",
            "status_label", "review", "review_note",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(SignalSerializer(many=True))
    def get_signals(self, checkin: CheckIn) -> list[dict]:
        return [{"code": s.get("code", ""), "message": shown(s)} for s in checkin.signals]

    def get_fields(self):
        # Every check-in answers with this serializer: build its fields from the model once per process
        # (a ModelSerializer rebuilds them per instance, a sizeable share of the check-in's CPU) and give
        # each instance fresh copies, as a declared-field serializer does.
        cls = type(self)
        if "_model_fields" not in cls.__dict__:
            cls._model_fields = super().get_fields()
        return copy.deepcopy(cls._model_fields)


class CheckInCreateSerializer(serializers.Serializer):
    client_uuid = serializers.UUIDField(help_text=_lazy("UUID dibuat di ponsel saat presensi diambil."))
    kind = serializers.ChoiceField(choices=CheckIn.Kind.choices)
    device_time = serializers.DateTimeField(
        help_text=_lazy("Waktu pengambilan di perangkat (ISO 8601, dengan zona).")
    )
    latitude = serializers.DecimalField(max_digits=12, decimal_places=8, min_value=-90, max_value=90)
    longitude = serializers.DecimalField(max_digits=12, decimal_places=8, min_value=-180, max_value=180)
    accuracy_m = serializers.IntegerField(min_value=0, max_value=1_000_000)
    fix_age_s = serializers.IntegerField(min_value=0, max_value=10_000_000)
    mock_location = serializers.BooleanField(required=False, default=False)
    device_id = serializers.CharField(max_length=64)
    selfie = serializers.ImageField(
        help_text=_lazy("Swafoto dari kamera langsung (JPEG/PNG/WebP, maks. 2 MB).")
    )


class ReviewSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=[("confirm", _lazy("Konfirmasi")), ("reject", _lazy("Tolak"))])
    note = serializers.CharField(required=False, allow_blank=True, max_length=255, default="")


class DailyAttendanceSerializer(serializers.ModelSerializer):
    employee_name = serializers.CharField(source="employee.name", read_only=True)

    class Meta:
        model = DailyAttendance
        fields = [
            "id", "employee", "employee_name", "date", "status", "mode", "late_code", "early_code",
            "minutes_late", "minutes_early", "check_in_at", "check_out_at", "flagged", "note",
        ]  # fmt: skip
        read_only_fields = fields


class TodaySerializer(serializers.Serializer):
    date = serializers.DateField()
    mode = serializers.CharField()
    mode_label = serializers.CharField()
    start = serializers.DateTimeField(allow_null=True)
    end = serializers.DateTimeField(allow_null=True)
    checked_in_at = serializers.DateTimeField(allow_null=True)
    checked_out_at = serializers.DateTimeField(allow_null=True)
    time_zone = serializers.CharField()


class CheckInListCreateView(generics.ListAPIView):
    """Check-ins the caller may see (their own, their team's, their area's); POST records one."""

    serializer_class = CheckInSerializer
    parser_classes = [MultiPartParser, FormParser]
    filterset_fields = ["local_date", "status", "kind", "employee"]
    ordering_fields = ["recorded_at"]
    search_fields = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return CheckIn.objects.none()
        return selectors.checkin_list(actor=self.request.user)

    @extend_schema(
        request={"multipart/form-data": CheckInCreateSerializer},
        responses={
            201: CheckInSerializer,
            200: OpenApiResponse(CheckInSerializer, _lazy("Kiriman ulang UUID yang sama.")),
            400: ErrorSerializer,
            404: ErrorSerializer,
            409: ErrorSerializer,
            422: ErrorSerializer,
        },
    )
    def post(self, request):
        data = CheckInCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        try:
            result = services.checkin_record(
                actor=request.user,
                kind=v["kind"],
                client_uuid=v["client_uuid"],
                device_time=v["device_time"],
                latitude=v["latitude"],
                longitude=v["longitude"],
                accuracy_m=v["accuracy_m"],
                fix_age_s=v["fix_age_s"],
                mock_location=v["mock_location"],
                device_id=v["device_id"],
                selfie=v["selfie"],
                user_agent=request.headers.get("User-Agent", ""),
            )
        except services.CheckInConflict as exc:
            return error_response("duplicate", exc.message, status.HTTP_409_CONFLICT)
        checkin = result.checkin
        if checkin.status == CheckIn.Status.REFUSED:
            message = shown(checkin.signals[0]) if checkin.signals else _("Presensi ditolak.")
            return error_response(
                "refused", message, status.HTTP_422_UNPROCESSABLE_ENTITY, fields={"latitude": [message]}
            )
        return Response(
            CheckInSerializer(checkin).data,
            status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK,
        )


class CheckInDetailView(generics.RetrieveAPIView):
    serializer_class = CheckInSerializer

    def get_object(self):
        return selectors.checkin_get(actor=self.request.user, pk=self.kwargs["pk"])


class CheckInReviewView(APIView):
    @extend_schema(
        request=ReviewSerializer,
        responses={200: CheckInSerializer, 400: ErrorSerializer, 404: ErrorSerializer},
    )
    def post(self, request, pk: int):
        checkin = selectors.checkin_get(actor=request.user, pk=pk, permission=selectors.REVIEW)
        data = ReviewSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        checkin = services.checkin_review(
            actor=request.user,
            checkin=checkin,
            confirm=data.validated_data["decision"] == "confirm",
            note=data.validated_data["note"],
        )
        return Response(CheckInSerializer(checkin).data)


class TodayView(APIView):
    """The caller's day: mode (WFO/WFH/piket/DL), working hours, and whether they checked in/out."""

    @extend_schema(responses={200: TodaySerializer, 404: ErrorSerializer})
    def get(self, request):
        info = selectors.today_for(own_employee(request.user))
        return Response(
            TodaySerializer(
                {
                    "date": info.day,
                    "mode": info.mode,
                    "mode_label": info.mode_label,
                    "start": info.plan.start if info.plan else None,
                    "end": info.plan.end if info.plan else None,
                    "checked_in_at": info.checked_in.recorded_at if info.checked_in else None,
                    "checked_out_at": info.checked_out.recorded_at if info.checked_out else None,
                    "time_zone": info.zone_label,
                }
            ).data
        )


class DailyAttendanceListView(generics.ListAPIView):
    """Daily attendance in the caller's scope."""

    serializer_class = DailyAttendanceSerializer
    filterset_fields = ["date", "status", "employee"]
    ordering_fields = ["date"]
    search_fields = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return DailyAttendance.objects.none()
        return selectors.daily_list(actor=self.request.user)


# --- stand-by while WFH ----------------------------------------------------------------------------------


class StandbyPingSerializer(serializers.ModelSerializer):
    # Plain strings, not enums: "status" would clash with the other status enums of the schema.
    status = serializers.SerializerMethodField()
    status_label = serializers.SerializerMethodField()
    answered_via = serializers.CharField(read_only=True)

    class Meta:
        model = StandbyPing
        fields = [
            "id", "date", "sent_at", "expires_at", "answered_at", "response_seconds", "answered_via",
            "status", "status_label",
        ]  # fmt: skip
        read_only_fields = fields

    def get_status(self, ping: StandbyPing) -> str:
        return ping.status_at(timezone.now())

    def get_status_label(self, ping: StandbyPing) -> str:
        return str(dict(StandbyPing.Status.choices)[ping.status_at(timezone.now())])


class StandbyPingListView(generics.ListAPIView):
    """The caller's own stand-by pings ("Apakah Anda siap dihubungi?"), newest first; the one waiting for an
    answer has status ``sent``."""

    serializer_class = StandbyPingSerializer
    filterset_fields = ["date"]
    ordering_fields = ["sent_at"]
    search_fields = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return StandbyPing.objects.none()
        return selectors.own_standby_pings(employee=own_employee(self.request.user))


class StandbyPingAnswerView(APIView):
    """One tap "Saya siap" from the native app: records the answer and the response time. A second tap
    answers 200 with the same record; an answer after the window is 409; someone else's ping is 404."""

    @extend_schema(
        request=None,
        responses={200: StandbyPingSerializer, 404: ErrorSerializer, 409: ErrorSerializer},
    )
    def post(self, request, pk: int):
        ping = selectors.own_standby_ping_get(actor=request.user, pk=pk)
        try:
            ping = services.standby_ping_answer(actor=request.user, ping=ping, via=StandbyPing.Channel.API)
        except ValidationError as exc:
            return error_response("expired", " ".join(exc.messages), status.HTTP_409_CONFLICT)
        return Response(StandbyPingSerializer(ping).data)
