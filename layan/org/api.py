"""REST API of the organisation (/api/v1/): employees, units, positions, office locations.

Reads go through the scoped selectors (out of scope = 404); writes through the services (their Indonesian
``ValidationError``s become the one error format in layan.core.api). The NIK is masked unless the caller
holds ``org.view_nik`` over the employee, and every NIK sent in clear is logged as a personal-data read.
"""

from __future__ import annotations

import django_filters
from django.core.exceptions import PermissionDenied
from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from layan.core.api import StoredMessagesField
from layan.core.audit import personal_data_read
from layan.core.personal_data import masked
from layan.core.scopes import code_prefix_q, require_permission
from layan.org import selectors, services
from layan.org.models import Employee, EmployeeMove, OfficeLocation, Position, Unit

# --- serializers ------------------------------------------------------------------------------------------


class EmployeeSerializer(serializers.ModelSerializer):
    nik = serializers.SerializerMethodField(help_text="NIK, masked unless the caller holds org.view_nik")
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    position_name = serializers.CharField(source="position.name", read_only=True, default=None)
    is_active = serializers.BooleanField(read_only=True)
    data_warnings = StoredMessagesField()

    class Meta:
        model = Employee
        fields = [
            "id",
            "kind",
            "nip",
            "name",
            "nik",
            "sex",
            "birth_date",
            "birth_place",
            "phone",
            "email",
            "unit",
            "unit_name",
            "position",
            "position_name",
            "supervisor",
            "employment_start",
            "employment_end",
            "is_active",
            "data_warnings",
        ]
        read_only_fields = fields

    def get_nik(self, employee: Employee) -> str:
        if not employee.nik:
            return ""
        request = self.context.get("request")
        actor = getattr(request, "user", None)
        if actor is not None and selectors.can_view_nik(actor, employee):
            personal_data_read(actor=actor, instance=employee, fields=["nik"], purpose="API pegawai")
            return employee.nik
        return masked(employee.nik)


def _actor(serializer):
    """The caller, or None when drf-spectacular builds the schema without a request."""
    request = serializer.context.get("request")
    return getattr(request, "user", None)


def _scoped_field(serializer, name: str, queryset_for) -> None:
    actor = _actor(serializer)
    field = serializer.fields.get(name)
    if field is not None and actor is not None:
        field.queryset = queryset_for(actor)


class EmployeeWriteSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Employee.Kind.choices)
    nip = serializers.CharField(max_length=30, required=False, allow_blank=True, allow_null=True)
    name = serializers.CharField(max_length=150)
    nik = serializers.CharField(max_length=30, required=False, allow_blank=True)
    sex = serializers.ChoiceField(choices=Employee.Sex.choices, required=False, allow_blank=True)
    birth_date = serializers.DateField(required=False, allow_null=True)
    birth_place = serializers.CharField(max_length=100, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.none())
    position = serializers.PrimaryKeyRelatedField(
        queryset=Position.objects.all(), required=False, allow_null=True
    )
    supervisor = serializers.PrimaryKeyRelatedField(
        queryset=Employee.objects.none(), required=False, allow_null=True
    )
    employment_start = serializers.DateField(required=False, allow_null=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _scoped_field(
            self,
            "unit",
            lambda actor: selectors.units_visible_to(actor, "org.manage_employee").filter(is_active=True),
        )
        _scoped_field(self, "supervisor", selectors.employees_visible_to)


class EmployeeUpdateSerializer(EmployeeWriteSerializer):
    """Unit and position change only through ``POST …/move/`` (the history stays true)."""

    unit = None
    position = None

    def __init__(self, *args, **kwargs):
        kwargs["partial"] = True
        super().__init__(*args, **kwargs)


class EmployeeMoveSerializer(serializers.ModelSerializer):
    class Meta:
        model = EmployeeMove
        fields = [
            "id",
            "employee",
            "effective_date",
            "from_unit",
            "to_unit",
            "from_position",
            "to_position",
            "decree_number",
            "note",
            "created_at",
        ]
        read_only_fields = fields


class EmployeeMoveWriteSerializer(serializers.Serializer):
    to_unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.none())
    to_position = serializers.PrimaryKeyRelatedField(
        queryset=Position.objects.all(), required=False, allow_null=True
    )
    effective_date = serializers.DateField()
    decree_number = serializers.CharField(max_length=100, required=False, allow_blank=True)
    note = serializers.CharField(max_length=255, required=False, allow_blank=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _scoped_field(
            self,
            "to_unit",
            lambda actor: selectors.units_visible_to(actor, "org.manage_employee").filter(is_active=True),
        )


class UnitSerializer(serializers.ModelSerializer):
    time_zone = serializers.CharField(source="time_zone_label", read_only=True, help_text="WIB, WITA or WIT")

    class Meta:
        model = Unit
        fields = ["id", "code", "name", "kind", "parent", "path", "region", "is_active", "time_zone"]
        read_only_fields = fields


class UnitWriteSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=30)
    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=Unit.Kind.choices)
    region = serializers.CharField(max_length=13, help_text="Kemendagri region code, e.g. 72.01.05")
    parent = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.none(), required=False, allow_null=True)
    is_active = serializers.BooleanField(required=False, default=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _scoped_field(self, "parent", lambda actor: selectors.units_visible_to(actor, "org.manage_unit"))


class PositionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Position
        fields = ["id", "name", "kind", "kelas_jabatan"]
        read_only_fields = ["id"]
        validators: list = []  # uniqueness is the service's, with an Indonesian message

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kelas_jabatan"].validators = []  # the service explains the 1–17 range itself
        self.fields["kelas_jabatan"].min_value = None
        self.fields["kelas_jabatan"].max_value = None


class OfficeLocationSerializer(serializers.ModelSerializer):
    class Meta:
        model = OfficeLocation
        fields = ["id", "unit", "name", "latitude", "longitude", "radius_m", "is_active"]
        read_only_fields = fields


class OfficeLocationWriteSerializer(serializers.Serializer):
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.none())
    name = serializers.CharField(max_length=150)
    latitude = serializers.FloatField()
    longitude = serializers.FloatField()
    radius_m = serializers.IntegerField(required=False, default=100)
    is_active = serializers.BooleanField(required=False, default=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _scoped_field(self, "unit", lambda actor: selectors.units_visible_to(actor, "org.manage_unit"))


class OfficeLocationUpdateSerializer(OfficeLocationWriteSerializer):
    unit = None

    def __init__(self, *args, **kwargs):
        kwargs["partial"] = True
        super().__init__(*args, **kwargs)


# --- filters ----------------------------------------------------------------------------------------------


class EmployeeFilter(django_filters.FilterSet):
    unit = django_filters.NumberFilter(method="filter_unit", label="Unit id (its whole subtree)")
    active = django_filters.BooleanFilter(method="filter_active", label="Still employed")

    class Meta:
        model = Employee
        fields = ["kind", "position", "supervisor"]

    def filter_unit(self, queryset, name, value):
        unit = Unit.objects.filter(pk=value).first()
        return queryset.filter(selectors.unit_subtree_q(unit)) if unit else queryset.none()

    def filter_active(self, queryset, name, value):
        return queryset.filter(employment_end__isnull=value)


class UnitFilter(django_filters.FilterSet):
    region = django_filters.CharFilter(method="filter_region", label="Region code prefix")

    class Meta:
        model = Unit
        fields = ["kind", "parent", "is_active"]

    def filter_region(self, queryset, name, value):
        return queryset.filter(code_prefix_q("region__code", value.strip()))


class PositionFilter(django_filters.FilterSet):
    class Meta:
        model = Position
        fields = ["kind", "kelas_jabatan"]


class OfficeLocationFilter(django_filters.FilterSet):
    class Meta:
        model = OfficeLocation
        fields = ["unit", "is_active"]


# --- viewsets ---------------------------------------------------------------------------------------------


def _int_pk(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError) as exc:
        raise Http404 from exc


@extend_schema_view(
    create=extend_schema(request=EmployeeWriteSerializer, responses={201: EmployeeSerializer}),
    partial_update=extend_schema(request=EmployeeUpdateSerializer, responses=EmployeeSerializer),
)
class EmployeeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Employees in the caller's scope (region/unit, themself, their team)."""

    serializer_class = EmployeeSerializer
    filterset_class = EmployeeFilter
    search_fields = ["name", "nip"]
    ordering_fields = ["name", "nip", "employment_start"]
    ordering = ["name", "id"]
    queryset = Employee.objects.none()  # for the schema; get_queryset scopes every request
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Employee.objects.none()
        return selectors.employees_visible_to(self.request.user)

    def get_object(self):
        return selectors.employee_for(self.request.user, _int_pk(self.kwargs["pk"]))

    def _managed(self) -> Employee:
        employee = self.get_object()  # 404 outside the caller's scope
        if not selectors.can_manage_employee(self.request.user, employee):
            raise PermissionDenied
        return employee

    def _read(self, employee: Employee, http_status=status.HTTP_200_OK) -> Response:
        employee = selectors.employee_for(self.request.user, employee.pk)
        return Response(
            EmployeeSerializer(employee, context=self.get_serializer_context()).data, status=http_status
        )

    def create(self, request, *args, **kwargs):
        require_permission(request.user, "org.manage_employee")
        serializer = EmployeeWriteSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        employee = services.employee_create(actor=request.user, **serializer.validated_data)
        return self._read(employee, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        employee = self._managed()
        serializer = EmployeeUpdateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        employee = services.employee_update(
            actor=request.user, employee=employee, **serializer.validated_data
        )
        return self._read(employee)

    @extend_schema(responses=EmployeeMoveSerializer(many=True))
    @action(detail=True, methods=["get"], url_path="moves")
    def moves(self, request, pk=None):
        employee = self.get_object()
        return Response(EmployeeMoveSerializer(selectors.moves_of(employee), many=True).data)

    @extend_schema(request=EmployeeMoveWriteSerializer, responses={201: EmployeeMoveSerializer})
    @action(detail=True, methods=["post"], url_path="move")
    def move(self, request, pk=None):
        employee = self._managed()
        serializer = EmployeeMoveWriteSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        move = services.employee_move(actor=request.user, employee=employee, **serializer.validated_data)
        return Response(EmployeeMoveSerializer(move).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    create=extend_schema(request=UnitWriteSerializer, responses={201: UnitSerializer}),
    partial_update=extend_schema(request=UnitWriteSerializer(partial=True), responses=UnitSerializer),
)
class UnitViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = UnitSerializer
    filterset_class = UnitFilter
    search_fields = ["name", "code"]
    ordering_fields = ["name", "code", "path"]
    ordering = ["path"]
    queryset = Unit.objects.none()
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Unit.objects.none()
        return selectors.units_visible_to(self.request.user)

    def get_object(self):
        return selectors.unit_for(self.request.user, _int_pk(self.kwargs["pk"]))

    def create(self, request, *args, **kwargs):
        require_permission(request.user, "org.manage_unit")
        serializer = UnitWriteSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        unit = services.unit_create(actor=request.user, **serializer.validated_data)
        return Response(UnitSerializer(unit).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        unit = self.get_object()
        if not selectors.units_visible_to(request.user, "org.manage_unit").filter(pk=unit.pk).exists():
            raise PermissionDenied
        serializer = UnitWriteSerializer(
            data=request.data, partial=True, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        changes = {k: v for k, v in serializer.validated_data.items() if k in request.data}
        unit = services.unit_update(actor=request.user, unit=unit, **changes)
        return Response(UnitSerializer(unit).data)


class PositionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = PositionSerializer
    filterset_class = PositionFilter
    search_fields = ["name"]
    ordering_fields = ["name", "kelas_jabatan"]
    ordering = ["-kelas_jabatan", "name"]
    queryset = Position.objects.all()
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Position.objects.none()
        require_permission(self.request.user, "org.view_unit")
        return Position.objects.all()

    def get_object(self):
        position = self.get_queryset().filter(pk=_int_pk(self.kwargs["pk"])).first()
        if position is None:
            raise Http404
        return position

    @extend_schema(responses={201: PositionSerializer})
    def create(self, request, *args, **kwargs):
        require_permission(request.user, "org.manage_unit")
        serializer = PositionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        position = services.position_create(actor=request.user, **serializer.validated_data)
        return Response(PositionSerializer(position).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        require_permission(request.user, "org.manage_unit")
        position = self.get_object()
        serializer = PositionSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        position = services.position_update(
            actor=request.user, position=position, **serializer.validated_data
        )
        return Response(PositionSerializer(position).data)


@extend_schema_view(
    create=extend_schema(request=OfficeLocationWriteSerializer, responses={201: OfficeLocationSerializer}),
    partial_update=extend_schema(request=OfficeLocationUpdateSerializer, responses=OfficeLocationSerializer),
)
class OfficeLocationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Office locations (geofences) of the units the caller may see, and of their own unit."""

    serializer_class = OfficeLocationSerializer
    filterset_class = OfficeLocationFilter
    ordering_fields = ["name", "unit"]
    ordering = ["unit", "name"]
    queryset = OfficeLocation.objects.none()
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return OfficeLocation.objects.none()
        return selectors.office_locations_visible_to(self.request.user)

    def get_object(self):
        location = self.get_queryset().filter(pk=_int_pk(self.kwargs["pk"])).first()
        if location is None:
            raise Http404
        return location

    def _managed(self) -> OfficeLocation:
        location = self.get_object()
        if (
            not selectors.units_visible_to(self.request.user, "org.manage_unit")
            .filter(pk=location.unit_id)
            .exists()
        ):
            raise PermissionDenied
        return location

    def create(self, request, *args, **kwargs):
        require_permission(request.user, "org.manage_unit")
        serializer = OfficeLocationWriteSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        location = services.office_location_create(actor=request.user, **serializer.validated_data)
        return Response(OfficeLocationSerializer(location).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        location = self._managed()
        serializer = OfficeLocationUpdateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        location = services.office_location_update(
            actor=request.user, location=location, **serializer.validated_data
        )
        return Response(OfficeLocationSerializer(location).data)

    def destroy(self, request, *args, **kwargs):
        location = self._managed()
        services.office_location_delete(actor=request.user, location=location)
        return Response(status=status.HTTP_204_NO_CONTENT)
