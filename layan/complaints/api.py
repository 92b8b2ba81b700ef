"""REST API of complaints under /api/v1/complaints/: public intake and tracking (no account, rate limited),
categories, and the officers' scoped list and detail with the main transitions."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.exceptions import Throttled
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from layan.complaints import selectors, services
from layan.complaints.models import Case, CaseEvent, Category, Channel, Kind
from layan.core.api import SlugRelatedField


class CategorySerializer(serializers.ModelSerializer):
    unit = serializers.StringRelatedField()

    class Meta:
        model = Category
        fields = ["code", "name", "description", "unit"]


class CaseSubmitSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Kind.choices, default=Kind.PENGADUAN)
    category = SlugRelatedField(
        slug_field="code", queryset=Category.objects.filter(is_active=True), required=False, allow_null=True
    )
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    description = serializers.CharField(max_length=5000)
    region_code = serializers.CharField(max_length=13)
    location_detail = serializers.CharField(max_length=255, required=False, allow_blank=True)
    latitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, required=False, allow_null=True, min_value=-90, max_value=90
    )
    longitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, required=False, allow_null=True, min_value=-180, max_value=180
    )
    occurred_on = serializers.DateField(required=False, allow_null=True)
    reporter_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    reporter_email = serializers.EmailField(required=False, allow_blank=True)
    reporter_phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
    is_anonymous = serializers.BooleanField(default=False)
    is_confidential = serializers.BooleanField(default=False)
    client_key = serializers.UUIDField(required=False, allow_null=True)


class PublicEventSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display")

    class Meta:
        model = CaseEvent
        fields = ["at", "kind", "kind_label", "body"]


class TrackSerializer(serializers.ModelSerializer):
    """What the holder of a tracking code sees: never the reporter, never internal notes."""

    state_label = serializers.CharField(source="get_state_display")
    category = serializers.SlugRelatedField(slug_field="code", read_only=True)
    unit = serializers.StringRelatedField(source="assigned_unit")
    expected_at = serializers.SerializerMethodField()
    events = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = [
            "code",
            "kind",
            "state",
            "state_label",
            "category",
            "title",
            "unit",
            "received_at",
            "expected_at",
            "redirect_to",
            "rating",
            "events",
        ]

    def get_expected_at(self, case) -> str | None:
        return case.due_at.isoformat() if case.due_at and case.clock != "auto_close" else None

    @extend_schema(exclude=True)
    def get_events(self, case) -> list[dict]:
        return PublicEventSerializer(selectors.timeline(case, public_only=True), many=True).data


class CaseSerializer(serializers.ModelSerializer):
    category = serializers.SlugRelatedField(slug_field="code", read_only=True)
    unit = serializers.StringRelatedField(source="assigned_unit")
    officer = serializers.StringRelatedField(source="assigned_officer")
    reporter = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = [
            "code",
            "kind",
            "channel",
            "state",
            "category",
            "title",
            "description",
            "region_code",
            "latitude",
            "longitude",
            "is_confidential",
            "is_anonymous",
            "reporter",
            "unit",
            "officer",
            "received_at",
            "verify_due",
            "answer_due",
            "resolve_due",
            "due_at",
            "first_answer_at",
            "resolved_at",
            "rating",
        ]

    def get_reporter(self, case) -> str:
        return case.reporter_label


class SubmitThrottle(AnonRateThrottle):
    """Counts every anonymous POST, valid or not, so a flood of garbage is cut off before validation;
    the service's own per-IP limit counts accepted reports. One setting sizes both."""

    scope = "complaints_submit"

    def get_rate(self):
        return f"{3 * settings.LAYAN_COMPLAINTS_PER_IP_HOUR}/hour"


@extend_schema(tags=["complaints"])
class CategoryList(generics.ListAPIView):
    permission_classes = [AllowAny]
    serializer_class = CategorySerializer
    pagination_class = None

    def get_queryset(self):
        return selectors.categories()


def _ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


@extend_schema(tags=["complaints"])
class CaseListCreate(generics.ListAPIView):
    """GET: the officer's cases (scoped). POST: file a report (public, no account needed)."""

    serializer_class = CaseSerializer
    filterset_fields = ["state", "kind", "channel"]
    search_fields = ["code", "title"]
    ordering_fields = ["received_at", "due_at"]

    def get_permissions(self):
        return [AllowAny()] if self.request.method == "POST" else [IsAuthenticated()]

    def get_throttles(self):
        return [SubmitThrottle()] if self.request.method == "POST" else super().get_throttles()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return Case.objects.none()
        return selectors.cases_for(self.request.user)

    @extend_schema(
        request=CaseSubmitSerializer,
        responses={
            201: inline_serializer(
                "CaseSubmitted",
                {
                    "code": serializers.CharField(),
                    "state": serializers.CharField(),
                    "verify_due": serializers.DateTimeField(),
                },
            )
        },
    )
    def post(self, request):
        serializer = CaseSubmitSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            case = services.case_submit(
                actor=request.user if request.user.is_authenticated else None,
                channel=Channel.API,
                ip=_ip(request),
                **serializer.validated_data,
            )
        except services.RateLimited as exc:
            raise Throttled(detail=exc.message) from exc
        return Response(
            {"code": case.code, "state": case.state, "verify_due": case.verify_due},
            status=status.HTTP_201_CREATED,
        )


@extend_schema(tags=["complaints"])
class CaseDetail(generics.RetrieveAPIView):
    serializer_class = CaseSerializer

    def get_object(self):
        return selectors.case_for(self.request.user, self.kwargs["code"])


@extend_schema(tags=["complaints"], responses=TrackSerializer)
class Track(APIView):
    """The public tracking of one case by its code (rate limited per address)."""

    permission_classes = [AllowAny]
    serializer_class = TrackSerializer

    def get(self, request, code):
        try:
            services.check_rate("track", _ip(request), limit=30, window_seconds=600)
        except services.RateLimited as exc:
            raise Throttled(detail=exc.message) from exc
        return Response(TrackSerializer(selectors.case_by_code(code)).data)


class ActionSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=5000)
    public = serializers.BooleanField(default=True)


class CaseAction(APIView):
    """Officer actions by API: ``reply`` (public or internal), ``request-info``, ``resolve``."""

    serializer_class = ActionSerializer

    @extend_schema(
        tags=["complaints"],
        request=ActionSerializer,
        responses=CaseSerializer,
        operation_id="complaints_case_action",
    )
    def post(self, request, code, action):
        case = selectors.case_for(request.user, code)
        serializer = ActionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        body = serializer.validated_data["body"]
        try:
            if action == "reply":
                services.case_reply(
                    actor=request.user, case=case, body=body, public=serializer.validated_data["public"]
                )
            elif action == "request-info":
                services.case_request_info(actor=request.user, case=case, question=body)
            elif action == "resolve":
                services.case_resolve(actor=request.user, case=case, answer=body)
            else:
                from django.http import Http404

                raise Http404
        except DjangoValidationError:
            raise
        case.refresh_from_db()
        return Response(CaseSerializer(case).data)
