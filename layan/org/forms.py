"""Forms parse input only; the services validate the domain rules and their errors land on these fields."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from layan.core.forms import style_widgets
from layan.org.imports import DATE_FORMATS
from layan.org.models import Employee, Position, Unit

DATE_INPUT_FORMATS = list(DATE_FORMATS)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class BootstrapMixin:
    """Bootstrap classes on every widget, and ``is-invalid`` where the field has an error."""

    def _style(self):
        style_widgets(self)

    def full_clean(self):
        super().full_clean()
        self._style()

    def apply_service_error(self, exc: ValidationError) -> None:
        """Put a service's ValidationError on the matching fields (the rest on the form)."""
        if hasattr(exc, "error_dict"):
            for field, messages in exc.message_dict.items():
                target = field if field in self.fields else None
                for message in messages:
                    self.add_error(target, message)
        else:
            for message in exc.messages:
                self.add_error(None, message)
        self._style()


class EmployeeFilterForm(forms.Form):
    q = forms.CharField(label=_("Cari nama atau NIP"), required=False)
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False)
    kind = forms.ChoiceField(
        label=_("Jenis"), choices=[("", _("Semua jenis")), *Employee.Kind.choices], required=False
    )
    active = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Semua")), ("1", _("Aktif")), ("0", _("Berhenti"))]
    )

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units if units is not None else Unit.objects.none()
        for field in self.fields.values():
            field.widget.attrs["class"] = (
                "form-select form-select-sm"
                if isinstance(field.widget, forms.Select)
                else "form-control form-control-sm"
            )


class UnitFilterForm(forms.Form):
    q = forms.CharField(label=_("Cari nama atau kode"), required=False)
    kind = forms.ChoiceField(
        label=_("Jenis"), choices=[("", _("Semua jenis")), *Unit.Kind.choices], required=False
    )
    active = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Semua")), ("1", _("Aktif")), ("0", _("Tidak aktif"))],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = (
                "form-select form-select-sm"
                if isinstance(field.widget, forms.Select)
                else "form-control form-control-sm"
            )


class EmployeeForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Jenis pegawai"), choices=Employee.Kind.choices)
    nip = forms.CharField(
        label=_("NIP / NI PPPK"),
        max_length=30,
        required=False,
        help_text=_("18 angka; kosongkan untuk non-ASN."),
    )
    name = forms.CharField(label=_("Nama"), max_length=150)
    nik = forms.CharField(label=_("NIK"), max_length=30, required=False, help_text=_("16 angka."))
    sex = forms.ChoiceField(
        label=_("Jenis kelamin"),
        choices=[("", "—"), *Employee.Sex.choices],
        required=False,
        help_text=_("Kosongkan untuk mengambil dari NIP."),
    )
    birth_place = forms.CharField(label=_("Tempat lahir"), max_length=100, required=False)
    birth_date = forms.DateField(
        label=_("Tanggal lahir"),
        required=False,
        widget=DateInput(),
        input_formats=DATE_INPUT_FORMATS,
        help_text=_("Kosongkan untuk mengambil dari NIP."),
    )
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    position = forms.ModelChoiceField(label=_("Jabatan"), queryset=Position.objects.all(), required=False)
    # A NIP, not a drop-down: a kabupaten has thousands of employees.
    supervisor_nip = forms.CharField(
        label=_("NIP atasan langsung"),
        max_length=30,
        required=False,
        help_text=_("Kosongkan bila tidak ada atasan langsung."),
    )
    employment_start = forms.DateField(
        label=_("TMT"),
        required=False,
        widget=DateInput(),
        input_formats=DATE_INPUT_FORMATS,
        help_text=_("Untuk PNS boleh dikosongkan: diambil dari TMT CPNS di NIP."),
    )
    phone = forms.CharField(label=_("Telepon"), max_length=30, required=False)
    # Checked by the service with the other fields, so every problem shows at once.
    email = forms.CharField(label=_("Surel"), max_length=254, required=False)

    def __init__(self, *args, units=None, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units if units is not None else Unit.objects.none()
        if editing:  # unit and position change through a move, so the history stays true
            del self.fields["unit"]
            del self.fields["position"]
        self._style()


class EmployeeMoveForm(BootstrapMixin, forms.Form):
    to_unit = forms.ModelChoiceField(label=_("Unit tujuan"), queryset=Unit.objects.none())
    to_position = forms.ModelChoiceField(
        label=_("Jabatan baru"),
        queryset=Position.objects.all(),
        required=False,
        help_text=_("Kosongkan bila jabatan tetap."),
    )
    effective_date = forms.DateField(
        label=_("Berlaku mulai"), widget=DateInput(), input_formats=DATE_INPUT_FORMATS
    )
    decree_number = forms.CharField(label=_("Nomor SK"), max_length=100, required=False)
    note = forms.CharField(label=_("Catatan"), max_length=255, required=False)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_unit"].queryset = units if units is not None else Unit.objects.none()
        self._style()


class EmployeeEndForm(BootstrapMixin, forms.Form):
    end_date = forms.DateField(
        label=_("Tanggal berhenti"), widget=DateInput(), input_formats=DATE_INPUT_FORMATS
    )
    reason = forms.CharField(label=_("Alasan"), max_length=255, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class UnitForm(BootstrapMixin, forms.Form):
    code = forms.CharField(label=_("Kode unit"), max_length=30)
    name = forms.CharField(label=_("Nama unit"), max_length=200)
    kind = forms.ChoiceField(label=_("Jenis"), choices=Unit.Kind.choices)
    region = forms.CharField(
        label=_("Kode wilayah"), max_length=13, help_text=_("Kode Kemendagri, mis. 72.01 atau 72.01.05.")
    )
    parent = forms.ModelChoiceField(label=_("Unit induk"), queryset=Unit.objects.none(), required=False)
    is_active = forms.BooleanField(label=_("Aktif"), required=False, initial=True)

    def __init__(self, *args, parents=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = parents if parents is not None else Unit.objects.none()
        self._style()

    def clean_region(self):
        from layan.core.identifiers import validate_region_code

        code = self.cleaned_data["region"].strip()
        validate_region_code(code)
        return code


class OfficeLocationForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label=_("Nama lokasi"), max_length=150)
    # Text, not number inputs: the service gives one clear message for "-0,98" or a swapped pair.
    latitude = forms.CharField(label=_("Lintang"), max_length=20, help_text=_("mis. -0.985100"))
    longitude = forms.CharField(label=_("Bujur"), max_length=20, help_text=_("mis. 122.765400"))
    radius_m = forms.CharField(
        label=_("Radius geofence (m)"), max_length=6, initial="100", help_text=_("10–5000 meter.")
    )
    is_active = forms.BooleanField(label=_("Aktif"), required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class PositionForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label=_("Nama jabatan"), max_length=150)
    kind = forms.ChoiceField(label=_("Jenis jabatan"), choices=Position.Kind.choices)
    kelas_jabatan = forms.IntegerField(label=_("Kelas jabatan"), min_value=1, max_value=17)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class ImportForm(BootstrapMixin, forms.Form):
    file = forms.FileField(label=_("Berkas xlsx atau CSV"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()
