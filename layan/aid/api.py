"""REST API of the aid module (/api/v1/aid/...): residents with all their aid, programs, rounds with the
entry warning, coverage, duplicate decisions, and the residents' public lookup.

Reads go through the scoped selectors (out of scope = 404); writes through the services. NIKs are
masked in every answer."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from layan.aid import selectors, services
from layan.aid.models import (
    Distribution,
    DuplicatePair,
    Evidence,
    Family,
    Program,
    Resident,
    Round,
)
from layan.core.api import ErrorSerializer, StoredMessagesField, error_response
from layan.core.audit import personal_data_read
from layan.core.identifiers import nik_digits, normalize_digits
from layan.core.personal_data import masked
from layan.core.scopes import require_permission
from layan.core.stored_text import shown


class AidLineSerializer(serializers.Serializer):
    """A round the person or family is listed on, or an ASN Peduli package handed to the family (then the
    round fields are null and ``package`` and ``handed_at`` are set)."""

    program = serializers.CharField(source="program.code")
    program_name = serializers.CharField(source="program.name")
    round = serializers.IntegerField(source="round.pk", allow_null=True)
    stage = serializers.IntegerField(source="round.stage", allow_null=True)
    period_start = serializers.DateField(source="round.period_start", allow_null=True)
    period_end = serializers.DateField(source="round.period_end", allow_null=True)
    status = serializers.CharField(source="round.status", allow_null=True)
    via = serializers.CharField()
    package = serializers.CharField(source="package.contents", allow_null=True)
    handed_at = serializers.DateTimeField(source="package.handed_at", allow_null=True)


class ResidentSerializer(serializers.ModelSerializer):
    nik = serializers.SerializerMethodField(help_text="NIK, always masked")
    desa_name = serializers.CharField(source="desa.name", read_only=True)
    vulnerabilities = serializers.ListField(
        source="vulnerability_labels", child=serializers.CharField(), read_only=True
    )
    data_warnings = StoredMessagesField()

    class Meta:
        model = Resident
        fields = [
            "id",
            "name",
            "nik",
            "sex",
            "birth_date",
            "birth_place",
            "desa",
            "desa_name",
            "address",
            "rt",
            "rw",
            "family",
            "relation",
            "occupation",
            "vulnerabilities",
            "data_warnings",
        ]
        read_only_fields = fields

    def get_nik(self, resident: Resident) -> str:
        return masked(resident.nik)


class ResidentDetailSerializer(ResidentSerializer):
    aid = serializers.SerializerMethodField()

    class Meta(ResidentSerializer.Meta):
        fields = [*ResidentSerializer.Meta.fields, "aid"]
        read_only_fields = fields

    @extend_schema(responses=AidLineSerializer(many=True))
    def get_aid(self, resident: Resident) -> list:
        return AidLineSerializer(selectors.aid_of_resident(resident), many=True).data


class ResidentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Residents in the caller's area; ``?q=`` name, ``?desa=`` region code. Detail lists all aid."""

    serializer_class = ResidentSerializer
    queryset = Resident.objects.none()  # for the schema; get_queryset scopes the real one
    lookup_value_regex = r"\d+"
    filter_backends: list = []

    def get_queryset(self):
        require_permission(self.request.user, "aid.view_resident")
        params = self.request.query_params
        return selectors.resident_search(
            self.request.user, text=params.get("q", "")[:100], desa=params.get("desa", "")[:13]
        )

    def get_serializer_class(self):
        return ResidentDetailSerializer if self.action == "retrieve" else ResidentSerializer

    def get_object(self):
        return selectors.resident_get(self.request.user, self.kwargs["pk"])


class ProgramSerializer(serializers.ModelSerializer):
    class Meta:
        model = Program
        fields = ["id", "code", "name", "target", "source", "benefit", "amount_per_period", "goods", "stages"]
        read_only_fields = fields


class ProgramViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = ProgramSerializer
    queryset = Program.objects.filter(is_active=True)
    pagination_class = None
    filter_backends: list = []


class RoundSerializer(serializers.ModelSerializer):
    program_code = serializers.CharField(source="program.code", read_only=True)

    class Meta:
        model = Round
        fields = [
            "id",
            "program",
            "program_code",
            "area",
            "stage",
            "period_start",
            "period_end",
            "status",
            "legalisation_due",
            "approved_at",
        ]
        read_only_fields = fields


class EnrolmentInputSerializer(serializers.Serializer):
    nik = serializers.CharField(max_length=32, required=False, allow_blank=True)
    kk = serializers.CharField(max_length=32, required=False, allow_blank=True)

    def validate(self, attrs):
        attrs["nik"] = normalize_digits(attrs.get("nik", ""))
        attrs["kk"] = normalize_digits(attrs.get("kk", ""))
        if not attrs["nik"] and not attrs["kk"]:
            raise serializers.ValidationError("Isi NIK atau nomor KK.")
        return attrs


class WarningSerializer(serializers.Serializer):
    program = serializers.CharField(source="program.code")
    allowed = serializers.BooleanField()
    text = serializers.CharField()
    legal_basis = serializers.CharField()


class RoundViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = RoundSerializer
    queryset = Round.objects.none()  # for the schema; get_queryset scopes the real one
    lookup_value_regex = r"\d+"
    filter_backends: list = []

    def get_queryset(self):
        if not selectors.can_view_rounds(self.request.user):
            raise Http404
        return selectors.rounds_visible(self.request.user).order_by("-period_start", "id")

    def get_object(self):
        return selectors.round_get(self.request.user, self.kwargs["pk"])

    @extend_schema(
        request=EnrolmentInputSerializer,
        responses=inline_serializer(
            "EnrolmentResult",
            {
                "enrolment": serializers.IntegerField(),
                "conflicts": serializers.ListField(),
                "warnings": WarningSerializer(many=True),
            },
        ),
    )
    @action(detail=True, methods=["post"])
    def enrolments(self, request, pk=None):
        """Add a recipient by NIK or KK; the answer carries the "already receives X" warnings at once."""
        rnd = self.get_object()
        data = EnrolmentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        if data.validated_data["nik"]:
            target = selectors.resident_search(request.user, nik=data.validated_data["nik"]).first()
        else:
            target = Family.objects.filter(
                pk__in=selectors.resident_search(request.user, kk=data.validated_data["kk"]).values(
                    "family_id"
                )
            ).first()
        if target is None:
            raise serializers.ValidationError({"nik": [_("NIK/KK tidak ditemukan di wilayah kerja Anda.")]})
        result = services.enrolment_add(
            actor=request.user,
            rnd=rnd,
            resident=target if isinstance(target, Resident) else None,
            family=target if isinstance(target, Family) else None,
        )
        return Response(
            {
                "enrolment": result.enrolment.pk,
                "conflicts": [
                    {"kind": c.get("kind", ""), "text": shown(c)} for c in result.enrolment.conflicts
                ],
                "warnings": WarningSerializer(result.warnings, many=True).data,
            },
            status=201,
        )


class CoverageRowSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    families = serializers.IntegerField()
    covered = serializers.IntegerField()
    handed_over = serializers.IntegerField(help_text="Families covered whose aid was handed over.")
    uncovered = serializers.IntegerField()
    vulnerable_uncovered = serializers.IntegerField()
    people = serializers.IntegerField()
    by_program = serializers.DictField(child=serializers.IntegerField())


class CoverageView(APIView):
    """Families and people by program per desa (``?level=3`` per kecamatan), and the true number of
    families receiving nothing."""

    @extend_schema(responses=CoverageRowSerializer(many=True))
    def get(self, request):
        level = 3 if request.query_params.get("level") == "3" else 4
        year = request.query_params.get("year", "")
        rows = selectors.coverage_by_area(
            request.user,
            area=request.query_params.get("area", "")[:13],
            year=int(year) if year.isdigit() and len(year) == 4 else None,
            level=level,
        )
        return Response(CoverageRowSerializer(rows, many=True).data)


class DecisionSerializer(serializers.Serializer):
    same_person = serializers.BooleanField()
    note = serializers.CharField(max_length=255, required=False, allow_blank=True)


class DuplicatePairSerializer(serializers.ModelSerializer):
    class Meta:
        model = DuplicatePair
        fields = ["id", "resident_a", "resident_b", "score", "status", "reason", "decided_at"]
        read_only_fields = fields


class DuplicatePairViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = DuplicatePairSerializer
    queryset = DuplicatePair.objects.none()  # for the schema; get_queryset scopes the real one
    lookup_value_regex = r"\d+"
    filter_backends: list = []

    def get_queryset(self):
        require_permission(self.request.user, "aid.manage_resident")
        status = self.request.query_params.get("status", "")
        return selectors.duplicate_pairs_visible(
            self.request.user, status=status if status in DuplicatePair.Status.values else ""
        )

    @extend_schema(request=DecisionSerializer, responses=DuplicatePairSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        pair = selectors.duplicate_pair_get(request.user, pk)
        data = DecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        pair = services.duplicate_decide(
            actor=request.user,
            pair=pair,
            same_person=data.validated_data["same_person"],
            note=data.validated_data.get("note", ""),
        )
        return Response(DuplicatePairSerializer(pair).data)


class LookupThrottle(AnonRateThrottle):
    scope = "aid_lookup"
    rate = "10/10m"

    def parse_rate(self, rate):
        return (10, 600)


class PublicLookupSerializer(serializers.Serializer):
    nik = serializers.CharField(max_length=32)
    name = serializers.CharField(max_length=150)

    def validate_nik(self, value):
        try:
            return nik_digits(value)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc


class PublicLookupView(APIView):
    """A resident's own check: answers only for an exact NIK + name match; rate limited and logged."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [LookupThrottle]

    @extend_schema(
        request=PublicLookupSerializer,
        responses=inline_serializer(
            "LookupResult", {"found": serializers.BooleanField(), "aid": AidLineSerializer(many=True)}
        ),
    )
    def post(self, request):
        data = PublicLookupSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        resident = selectors.public_lookup(nik=data.validated_data["nik"], name=data.validated_data["name"])
        if resident is None:
            return Response({"found": False, "aid": []})
        personal_data_read(
            actor=None,
            instance=resident,
            fields=["nik", "bansos"],
            purpose="Cek mandiri penerima bansos oleh penduduk",
        )
        return Response(
            {"found": True, "aid": AidLineSerializer(selectors.aid_of_resident(resident), many=True).data}
        )


class FieldEvidenceSerializer(serializers.Serializer):
    """What a handover recorded on a phone (possibly offline) carries: its UUID, the phone's time and
    position, and a photo or a short video."""

    client_uuid = serializers.UUIDField(help_text=_lazy("UUID dibuat di ponsel saat penyerahan dicatat."))
    device_time = serializers.DateTimeField(
        help_text=_lazy("Waktu di perangkat saat foto/video diambil (ISO 8601, dengan zona).")
    )
    photo = serializers.FileField(required=False, help_text=_lazy("Foto penyerahan (JPEG/PNG/WebP)."))
    video = serializers.FileField(
        required=False, help_text=_lazy("Atau video pendek (MP4/WebM), diperiksa dari isinya.")
    )
    latitude = serializers.DecimalField(
        max_digits=12, decimal_places=8, min_value=-90, max_value=90, required=False, allow_null=True
    )
    longitude = serializers.DecimalField(
        max_digits=12, decimal_places=8, min_value=-180, max_value=180, required=False, allow_null=True
    )

    def validate(self, attrs):
        if not attrs.get("photo") and not attrs.get("video"):
            raise serializers.ValidationError({"photo": [_lazy("Lampirkan foto atau video penyerahan.")]})
        return attrs

    @staticmethod
    def evidence(v: dict) -> list:
        position = [
            value.quantize(Decimal("0.000001")) if value is not None else None
            for value in (v.get("latitude"), v.get("longitude"))
        ]  # ~10 cm: as precise as a phone's fix, and what the evidence keeps
        return [
            services.EvidenceInput(
                upload=v[kind],
                taken_at=v["device_time"],
                latitude=position[0],
                longitude=position[1],
                kind=Evidence.Kind.PHOTO if kind == "photo" else Evidence.Kind.VIDEO,
            )
            for kind in ("photo", "video")
            if v.get(kind)
        ]


class DistributionCreateSerializer(FieldEvidenceSerializer):
    enrolment = serializers.IntegerField(
        help_text=_lazy("Penerima di daftar yang sudah disahkan (id enrolmen).")
    )
    amount = serializers.DecimalField(
        max_digits=12, decimal_places=0, min_value=0, required=False, allow_null=True
    )
    goods = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    receiver_name = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    confirmed_by_recipient = serializers.BooleanField(required=False, default=False)
    note = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")


class AsnHandOverSerializer(FieldEvidenceSerializer):
    package = serializers.IntegerField(help_text=_lazy("Paket ASN Peduli yang sudah ditujukan ke keluarga."))
    consent_public = serializers.BooleanField(required=False, default=False)


class DistributionSerializer(serializers.ModelSerializer):
    evidence_kinds = serializers.SerializerMethodField()
    evidence_reused = serializers.SerializerMethodField()

    class Meta:
        model = Distribution
        fields = [
            "id",
            "client_uuid",
            "enrolment",
            "handed_at",
            "device_time",
            "received_at",
            "device_time_accepted",
            "amount",
            "goods",
            "confirmed_by_recipient",
            "evidence_kinds",
            "evidence_reused",
        ]
        read_only_fields = fields

    def get_evidence_kinds(self, distribution: Distribution) -> list[str]:
        return [e.kind for e in distribution.evidence.all()]

    def get_evidence_reused(self, distribution: Distribution) -> bool:
        return any(e.reused_from_id for e in distribution.evidence.all())


class DistributionCreateView(APIView):
    """Record a handover from the field page (sent from the phone's offline queue when the signal returns).

    201 for a new handover, 200 for a re-send of the same client UUID (never a second record), 409 when the
    recipient's handover was already recorded from another phone, 404 for a recipient outside the caller's
    area, 400 for bad input (a file that is not a photo or video, a list not legalised)."""

    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request={"multipart/form-data": DistributionCreateSerializer},
        responses={
            201: DistributionSerializer,
            200: OpenApiResponse(DistributionSerializer, _lazy("Kiriman ulang UUID yang sama.")),
            400: ErrorSerializer,
            404: ErrorSerializer,
            409: ErrorSerializer,
        },
    )
    def post(self, request):
        require_permission(request.user, "aid.distribute")
        data = DistributionCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        enrolment = selectors.enrolment_for_distribution(request.user, v["enrolment"])
        return _sent_once(
            lambda: services.distribution_record(
                actor=request.user,
                enrolment=enrolment,
                handed_at=v["device_time"],
                evidence=data.evidence(v),
                amount=v.get("amount"),
                goods=v["goods"],
                confirmed_by_recipient=v["confirmed_by_recipient"],
                receiver_name=v["receiver_name"],
                note=v["note"],
                client_uuid=v["client_uuid"],
            ),
            lambda distribution: DistributionSerializer(distribution).data,
        )


def _sent_once(record, body) -> Response:
    """The answer to a handover sent from a phone's offline queue: 201 for a new record, 200 for a re-send
    of the same UUID (``record()`` returns the first one, ``was_created`` False), 409 when it was already
    recorded from another phone (the service refuses with code ``already``)."""
    try:
        recorded = record()
    except DjangoValidationError as exc:
        if getattr(exc, "code", None) == "already":
            return error_response("already_recorded", exc.messages[0], status.HTTP_409_CONFLICT)
        raise
    return Response(
        body(recorded), status=status.HTTP_201_CREATED if recorded.was_created else status.HTTP_200_OK
    )


class AsnHandOverView(APIView):
    """Hand over an ASN Peduli package from the field page (sent from the phone's offline queue).

    201 for the handover, 200 for a re-send of the same client UUID, 409 when the package was already
    handed over, 404 for a package outside the caller's area, 400 for bad input (a file that is not a
    photo or video, a family that receives aid this year)."""

    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request={"multipart/form-data": AsnHandOverSerializer},
        responses={
            201: inline_serializer(
                "AsnHandOver",
                {"package": serializers.IntegerField(), "handed_at": serializers.DateTimeField()},
            ),
            400: ErrorSerializer,
            404: ErrorSerializer,
            409: ErrorSerializer,
        },
    )
    def post(self, request):
        require_permission(request.user, "aid.distribute")
        data = AsnHandOverSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        package = selectors.asn_package_get(request.user, v["package"])
        return _sent_once(
            lambda: services.asn_package_hand_over(
                actor=request.user,
                package=package,
                handed_at=v["device_time"],
                evidence=data.evidence(v),
                consent_public=v["consent_public"],
                client_uuid=v["client_uuid"],
            ),
            lambda handed: {"package": handed.pk, "handed_at": handed.handed_at},
        )
