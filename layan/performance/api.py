"""REST API of the performance module (/api/v1/performance/): daily reports, plans (SKP/RHK), TPP lines and
evaluations. The same scopes as the pages: an employee sees their own records, a supervisor their team's,
a unit or region role its area; anything else answers 404, like a record that does not exist.

POST /performance/reports/ is the phone's offline queue: 201 for a new report, 200 (the stored report) for
a re-send of the same ``client_uuid``; errors in the one format {code, message, fields}.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _lazy
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from layan.core.api import ErrorSerializer
from layan.org.selectors import own_employee
from layan.performance import selectors, selectors_plans, services
from layan.performance import services_plans as plans
from layan.performance.models import (
    BerAkhlak,
    DailyReport,
    Evaluation,
    Indicator,
    Rhk,
    Skp,
    TppLine,
)

# Choice lists named for the schema (layan.settings ENUM_NAME_OVERRIDES): "decision" and "scope" exist
# elsewhere with other values.
REPORT_DECISIONS = [("approve", _lazy("Setujui")), ("return", _lazy("Kembalikan"))]
SCOPES = ["own", "team"]

# --- daily reports -------------------------------------------------------------------------------------


class DailyReportSerializer(serializers.ModelSerializer):
    employee_name = serializers.CharField(source="employee.name", read_only=True)
    rhk_title = serializers.CharField(source="rhk.title", read_only=True, default=None)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    has_evidence_file = serializers.SerializerMethodField()
    is_editable = serializers.BooleanField(read_only=True)

    class Meta:
        model = DailyReport
        fields = [
            "id", "client_uuid", "employee", "employee_name", "date", "rhk", "rhk_title", "activity",
            "output", "quantity", "minutes", "mode", "evidence_link", "has_evidence_file", "status",
            "status_label", "version", "supervisor_note", "submitted_at", "decided_at", "is_editable",
        ]  # fmt: skip
        read_only_fields = fields

    def get_has_evidence_file(self, report: DailyReport) -> bool:
        return bool(report.evidence_file)


class DailyReportCreateSerializer(serializers.Serializer):
    client_uuid = serializers.UUIDField(help_text=_lazy("UUID dibuat di ponsel saat laporan ditulis."))
    date = serializers.DateField()
    activity = serializers.CharField(max_length=2000)
    rhk = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1)
    output = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    quantity = serializers.DecimalField(max_digits=8, decimal_places=2, min_value=Decimal("0.01"), default=1)
    minutes = serializers.IntegerField(min_value=1, max_value=1440, default=60)
    mode = serializers.ChoiceField(choices=DailyReport.Mode.choices, default=DailyReport.Mode.WFO)
    evidence_link = serializers.URLField(max_length=200, required=False, allow_blank=True, default="")
    evidence_file = serializers.FileField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_lazy("Foto (JPEG/PNG/WebP) atau PDF, maks. 5 MB."),
    )


class ReportDecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=REPORT_DECISIONS)
    note = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")


SCOPE_PARAMETER = OpenApiParameter(
    "scope",
    str,
    enum=SCOPES,
    description="own: the caller's records; team: their team's (supervisors); omitted: everything in scope",
)


def _with_scope(queryset, request, own_field: str):
    scope = request.query_params.get("scope")
    if scope == "own":
        return queryset.filter(**{own_field: request.user})
    if scope == "team":
        return queryset.exclude(**{own_field: request.user})
    return queryset


@extend_schema(parameters=[SCOPE_PARAMETER])
class DailyReportListCreateView(generics.ListAPIView):
    """Daily reports the caller may see (own, team, area); POST files one (idempotent by client UUID)."""

    serializer_class = DailyReportSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    filterset_fields = ["date", "status", "employee"]
    ordering_fields = ["date", "submitted_at"]
    search_fields = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return DailyReport.objects.none()
        reports = selectors_plans.reports_visible(actor=self.request.user)
        return _with_scope(reports, self.request, "employee__user")

    @extend_schema(
        parameters=[],
        request={
            "application/json": DailyReportCreateSerializer,
            "multipart/form-data": DailyReportCreateSerializer,
        },
        responses={
            201: DailyReportSerializer,
            200: OpenApiResponse(DailyReportSerializer, _lazy("Kiriman ulang UUID yang sama.")),
            400: ErrorSerializer,
            404: ErrorSerializer,
        },
    )
    def post(self, request):
        data = DailyReportCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        result = services.daily_report_submit(
            actor=request.user,
            client_uuid=v["client_uuid"],
            day=v["date"],
            activity=v["activity"],
            rhk_id=v["rhk"],
            output=v["output"],
            quantity=v["quantity"],
            minutes=v["minutes"],
            mode=v["mode"],
            evidence_link=v["evidence_link"],
            evidence_file=v["evidence_file"],
        )
        return Response(
            DailyReportSerializer(result.report).data,
            status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK,
        )


class DailyReportDetailView(generics.RetrieveAPIView):
    serializer_class = DailyReportSerializer

    def get_object(self):
        return selectors.report_get(actor=self.request.user, pk=self.kwargs["pk"])


class DailyReportDecisionView(APIView):
    """The supervisor approves a waiting report or returns it with a note."""

    @extend_schema(
        request=ReportDecisionSerializer,
        responses={200: DailyReportSerializer, 400: ErrorSerializer, 404: ErrorSerializer},
    )
    def post(self, request, pk: int):
        report = selectors.report_get(actor=request.user, pk=pk, permission=services.REVIEW)
        data = ReportDecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        report = services.daily_report_decide(
            actor=request.user,
            report=report,
            approve=data.validated_data["decision"] == "approve",
            note=data.validated_data["note"],
        )
        return Response(DailyReportSerializer(report).data)


# --- plans ---------------------------------------------------------------------------------------------


class IndicatorSerializer(serializers.ModelSerializer):
    aspect = serializers.ChoiceField(choices=Indicator.Aspect.choices)
    target = serializers.DecimalField(max_digits=10, decimal_places=2, min_value=Decimal("0.01"))

    class Meta:
        model = Indicator
        fields = ["aspect", "description", "target", "target_unit"]


class RhkSerializer(serializers.ModelSerializer):
    parent_title = serializers.CharField(source="parent.title", read_only=True, default=None)
    indicators = IndicatorSerializer(many=True, read_only=True)

    class Meta:
        model = Rhk
        fields = ["id", "title", "parent", "parent_title", "behaviour_expectation", "indicators"]
        read_only_fields = fields


class RhkCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=255)
    parent = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        min_value=1,
        help_text=_lazy("RHK atasan yang diintervensi: salah satu dari parent_options SKP ini."),
    )
    behaviour_expectation = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=2000
    )
    indicators = IndicatorSerializer(many=True, required=False, default=list)


class BehaviourSerializer(serializers.Serializer):
    value = serializers.ChoiceField(choices=BerAkhlak.choices)
    label = serializers.CharField()
    expectation = serializers.CharField()


class ProblemSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()
    action = serializers.CharField()
    fixer = serializers.ChoiceField(choices=["self", "supervisor", "bkpsdm"])
    rhk = serializers.IntegerField(allow_null=True, source="rhk_id")


class SkpSerializer(serializers.ModelSerializer):
    employee_name = serializers.CharField(source="employee.name", read_only=True)
    supervisor_name = serializers.CharField(source="supervisor.name", read_only=True, default=None)
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Skp
        fields = [
            "id", "employee", "employee_name", "year", "status", "status_label", "supervisor",
            "supervisor_name", "submitted_at", "agreed_at", "return_note",
        ]  # fmt: skip
        read_only_fields = fields


class SkpDetailSerializer(SkpSerializer):
    rhks = serializers.SerializerMethodField()
    behaviours = serializers.SerializerMethodField()
    problems = serializers.SerializerMethodField()
    parent_options = serializers.SerializerMethodField()

    class Meta(SkpSerializer.Meta):
        fields = [*SkpSerializer.Meta.fields, "rhks", "behaviours", "problems", "parent_options"]
        read_only_fields = fields

    @extend_schema_field(RhkSerializer(many=True))
    def get_rhks(self, skp: Skp) -> list:
        return RhkSerializer(selectors_plans.rhks_of(skp), many=True).data

    @extend_schema_field(BehaviourSerializer(many=True))
    def get_behaviours(self, skp: Skp) -> list:
        texts = selectors_plans.behaviours_of(skp)
        return [
            {"value": value, "label": str(label), "expectation": texts[value]}
            for value, label in BerAkhlak.choices
            if value in texts
        ]

    @extend_schema_field(ProblemSerializer(many=True))
    def get_problems(self, skp: Skp) -> list:
        return ProblemSerializer(plans.skp_problems(skp), many=True).data

    @extend_schema_field(RhkSerializer(many=True))
    def get_parent_options(self, skp: Skp) -> list:
        return RhkSerializer(selectors_plans.parent_options(skp), many=True).data


class SkpCreateSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=plans.MIN_YEAR, max_value=plans.MAX_YEAR)


class SkpListCreateView(generics.ListAPIView):
    """Plans the caller may see (own, team, area); POST opens the caller's own plan for a year."""

    serializer_class = SkpSerializer
    parser_classes = [JSONParser, FormParser]
    filterset_fields = ["year", "status", "employee"]
    ordering_fields = ["year"]
    search_fields = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return Skp.objects.none()
        return selectors_plans.skps_visible(actor=self.request.user)

    @extend_schema(
        request=SkpCreateSerializer,
        responses={
            201: SkpDetailSerializer,
            200: OpenApiResponse(SkpDetailSerializer, _lazy("SKP tahun itu sudah ada.")),
            400: ErrorSerializer,
            404: ErrorSerializer,
        },
    )
    def post(self, request):
        data = SkpCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        employee = own_employee(request.user)
        existed = selectors_plans.own_skp(employee, data.validated_data["year"]) is not None
        skp = plans.skp_create(actor=request.user, year=data.validated_data["year"])
        return Response(
            SkpDetailSerializer(skp).data, status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED
        )


class SkpDetailView(generics.RetrieveAPIView):
    """One plan with its RHK, behaviour expectations, problems (what to fix, who fixes it) and the
    supervisor's agreed RHK its RHK may hang under."""

    serializer_class = SkpDetailSerializer

    def get_object(self):
        return selectors_plans.skp_get(actor=self.request.user, pk=self.kwargs["pk"])


class RhkCreateView(APIView):
    """Adds an RHK to the caller's own editable plan, under one of the supervisor's agreed RHK."""

    parser_classes = [JSONParser]

    @extend_schema(
        request=RhkCreateSerializer,
        responses={201: RhkSerializer, 400: ErrorSerializer, 404: ErrorSerializer},
    )
    def post(self, request, pk: int):
        skp = selectors_plans.skp_get(actor=request.user, pk=pk)
        data = RhkCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        rhk = plans.rhk_add(
            actor=request.user,
            skp=skp,
            title=v["title"],
            parent_id=v["parent"],
            behaviour_expectation=v["behaviour_expectation"],
            indicators=[dict(item) for item in v["indicators"]],
        )
        return Response(RhkSerializer(rhk).data, status=status.HTTP_201_CREATED)


# --- TPP lines and evaluations -------------------------------------------------------------------------


class TppStepDetailSerializer(serializers.Serializer):
    decree = serializers.CharField()
    cut = serializers.CharField()
    days = serializers.IntegerField()
    applied = serializers.CharField()


class TppStepSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    value = serializers.CharField()
    detail = TppStepDetailSerializer(many=True, required=False)


class TppDaySerializer(serializers.Serializer):
    date = serializers.DateField()
    status = serializers.CharField()
    codes = serializers.ListField(child=serializers.CharField())
    cut = serializers.CharField()
    report = serializers.CharField()


class TppLineSerializer(serializers.ModelSerializer):
    year = serializers.IntegerField(source="run.year", read_only=True)
    month = serializers.IntegerField(source="run.month", read_only=True)
    unit_name = serializers.CharField(source="run.unit.name", read_only=True)
    run_status = serializers.CharField(source="run.status", read_only=True)
    is_correction = serializers.SerializerMethodField()
    employee_name = serializers.CharField(source="employee.name", read_only=True)
    problems = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = TppLine
        fields = [
            "id", "run", "year", "month", "unit_name", "run_status", "is_correction", "employee",
            "employee_name", "kelas_jabatan", "basic_amount", "working_days", "days_in_unit",
            "performance_percent", "attendance_cut_percent", "missing_report_days", "discipline_cut_percent",
            "sanction_cut_percent", "gross_amount", "amount", "problems",
        ]  # fmt: skip
        read_only_fields = fields

    def get_is_correction(self, line: TppLine) -> bool:
        return line.run.corrects_id is not None


class TppLineDetailSerializer(TppLineSerializer):
    steps = TppStepSerializer(many=True, read_only=True)
    days = TppDaySerializer(many=True, read_only=True)

    class Meta(TppLineSerializer.Meta):
        fields = [*TppLineSerializer.Meta.fields, "steps", "days"]
        read_only_fields = fields


@extend_schema(parameters=[SCOPE_PARAMETER])
class TppLineListView(generics.ListAPIView):
    """TPP lines in the caller's scope: their own (``scope=own``), their team's (``scope=team``, for
    supervisors), or both and whatever their roles cover (no ``scope``)."""

    serializer_class = TppLineSerializer
    filterset_fields = {"run__year": ["exact"], "run__month": ["exact"], "employee": ["exact"]}
    ordering_fields = []
    search_fields = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return TppLine.objects.none()
        lines = selectors.effective_lines(actor=self.request.user)
        return _with_scope(lines, self.request, "employee__user")


class TppLineDetailView(generics.RetrieveAPIView):
    """One TPP line with every step of its computation and the underlying days."""

    serializer_class = TppLineDetailSerializer

    def get_object(self):
        return selectors.line_get(actor=self.request.user, pk=self.kwargs["pk"])


class EvaluationSerializer(serializers.ModelSerializer):
    employee_name = serializers.CharField(source="employee.name", read_only=True)
    predikat_label = serializers.CharField(source="get_predikat_display", read_only=True)

    class Meta:
        model = Evaluation
        fields = [
            "id", "employee", "employee_name", "kind", "period_start", "period_end", "result_rating",
            "behaviour_rating", "predikat", "predikat_label", "feedback",
        ]  # fmt: skip
        read_only_fields = fields


@extend_schema(parameters=[SCOPE_PARAMETER])
class EvaluationListView(generics.ListAPIView):
    """Evaluations the caller may see: their own, their team's, their area's."""

    serializer_class = EvaluationSerializer
    filterset_fields = ["kind", "period_start", "employee", "predikat"]
    ordering_fields = ["period_start"]
    search_fields = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return Evaluation.objects.none()
        evaluations = selectors_plans.evaluations_visible(actor=self.request.user)
        return _with_scope(evaluations, self.request, "employee__user")
