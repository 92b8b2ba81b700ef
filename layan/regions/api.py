"""Public read-only API of the region tree: it serves the desa/kelurahan picker of public forms."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.permissions import AllowAny

from layan.core.api import ErrorSerializer
from layan.core.identifiers import REGION_CODE_RE, validate_region_code
from layan.regions import selectors
from layan.regions.models import Region


class RegionSerializer(serializers.ModelSerializer):
    level_label = serializers.CharField(source="get_level_display", read_only=True)
    kind_label = serializers.SerializerMethodField()
    parent = serializers.CharField(source="parent_id", read_only=True, allow_null=True)

    class Meta:
        model = Region
        fields = [
            "code", "name", "level", "level_label", "kind_label", "parent",
            "population", "population_male", "population_female", "population_year",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(serializers.CharField())
    def get_kind_label(self, region: Region) -> str:
        return str(region.kind_label)


class RegionBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["code", "name", "level"]
        read_only_fields = fields


class RegionDetailSerializer(RegionSerializer):
    ancestors = serializers.SerializerMethodField(help_text=_("Wilayah di atasnya, provinsi lebih dulu."))

    class Meta(RegionSerializer.Meta):
        fields = [*RegionSerializer.Meta.fields, "ancestors"]
        read_only_fields = fields

    @extend_schema_field(RegionBriefSerializer(many=True))
    def get_ancestors(self, region: Region) -> list[dict]:
        return RegionBriefSerializer(selectors.ancestors(region.code), many=True).data


@extend_schema_field({"type": "string", "pattern": REGION_CODE_RE.pattern, "maxLength": 13})
class RegionCodeField(serializers.CharField):
    """A region code such as 72.01.05; refused with the Indonesian message of validate_region_code."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 13)
        super().__init__(validators=[validate_region_code], **kwargs)


class RegionQuerySerializer(serializers.Serializer):
    """The list filters; bad input is a 400 with the field named, never an empty 200 or a 500."""

    q = serializers.CharField(
        required=False, allow_blank=True, max_length=100,
        help_text=_("Kata dalam nama, atau awal kode (mis. 72.01.0)."),
    )  # fmt: skip
    level = serializers.ChoiceField(
        required=False, choices=Region.Level.choices,
        help_text=_("1 provinsi, 2 kabupaten/kota, 3 kecamatan, 4 desa/kelurahan."),
    )  # fmt: skip
    parent = RegionCodeField(required=False, help_text=_("Hanya wilayah yang langsung di bawah kode ini."))
    prefix = RegionCodeField(required=False, help_text=_("Kode ini dan semua wilayah di dalamnya."))


class RegionListView(generics.ListAPIView):
    """Regions of Indonesia (Kepmendagri 2025), by code. Public: no login needed."""

    serializer_class = RegionSerializer
    permission_classes = [AllowAny]
    filter_backends: list = []

    @extend_schema(
        parameters=[RegionQuerySerializer],
        responses={200: RegionSerializer(many=True), 400: ErrorSerializer, 404: ErrorSerializer},
        summary="List regions",
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        query = RegionQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        return selectors.search_regions(
            data.get("q", ""), level=data.get("level"), parent=data.get("parent"), prefix=data.get("prefix")
        )


class RegionDetailView(generics.RetrieveAPIView):
    """One region with its ancestors (for breadcrumbs). Public: no login needed."""

    serializer_class = RegionDetailSerializer
    permission_classes = [AllowAny]
    filter_backends: list = []
    queryset = Region.objects.none()  # for the schema; the object comes from the selector

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "code",
                str,
                OpenApiParameter.PATH,
                pattern=REGION_CODE_RE.pattern,
                description=_("Kode wilayah, mis. 72.01.05"),
            )  # fmt: skip
        ],
        responses={200: RegionDetailSerializer, 404: ErrorSerializer},
        summary="Retrieve a region",
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_object(self) -> Region:
        return selectors.get_region_or_404(self.kwargs["code"])
