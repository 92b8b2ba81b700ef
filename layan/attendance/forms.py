from __future__ import annotations

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from layan.core.scopes import scoped
from layan.org.models import Unit


class MonthField(forms.CharField):
    """A month as YYYY-MM (the value of <input type="month">)."""

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            year, month = (int(x) for x in value.split("-"))
            return date(year, month, 1)
        except ValueError as exc:
            raise forms.ValidationError(_("Bulan harus berbentuk TTTT-BB, mis. 2024-03.")) from exc


class RecapFilterForm(forms.Form):
    bulan = MonthField(
        label=_("Bulan"),
        required=False,
        widget=forms.TextInput(attrs={"type": "month", "class": "form-control"}),
    )
    unit = forms.ModelChoiceField(
        label=_("Unit"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    q = forms.CharField(
        label=_("Cari nama/NIP"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = scoped(Unit.objects.filter(is_active=True), actor, "attendance.view")


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Keputusan"),
        choices=[("confirm", _("Konfirmasi: presensi sah")), ("reject", _("Tolak: presensi tidak sah"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Catatan"),
        required=False,
        max_length=255,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Setujui")), ("reject", _("Tolak"))])
    note = forms.CharField(label=_("Catatan"), required=False, max_length=255)


class LeaveRequestForm(forms.Form):
    leave_type = forms.ModelChoiceField(
        label=_("Jenis cuti/izin"), queryset=None, widget=forms.Select(attrs={"class": "form-select"})
    )
    start = forms.DateField(
        label=_("Mulai"), widget=forms.DateInput(attrs={"type": "date", "class": "form-control"})
    )
    end = forms.DateField(
        label=_("Sampai"), widget=forms.DateInput(attrs={"type": "date", "class": "form-control"})
    )
    reason = forms.CharField(
        label=_("Alasan"), max_length=255, widget=forms.TextInput(attrs={"class": "form-control"})
    )
    place_latitude = forms.DecimalField(
        label=_("Lintang tempat tugas (dinas luar)"),
        required=False,
        min_value=-90,
        max_value=90,
        decimal_places=6,
        widget=forms.NumberInput(attrs={"class": "form-control", "step": "any"}),
    )
    place_longitude = forms.DecimalField(
        label=_("Bujur tempat tugas (dinas luar)"),
        required=False,
        min_value=-180,
        max_value=180,
        decimal_places=6,
        widget=forms.NumberInput(attrs={"class": "form-control", "step": "any"}),
    )

    def __init__(self, *args, **kwargs):
        from layan.attendance.models import LeaveType

        super().__init__(*args, **kwargs)
        self.fields["leave_type"].queryset = LeaveType.objects.all()

    def clean(self):
        data = super().clean()
        lat, lon = data.get("place_latitude"), data.get("place_longitude")
        if (lat is None) != (lon is None):
            raise forms.ValidationError(_("Isi lintang dan bujur tempat tugas bersama-sama."))
        leave_type = data.get("leave_type")
        if leave_type is not None and leave_type.code == "DL" and lat is None:
            raise forms.ValidationError(_("Dinas luar memerlukan lokasi tempat tugas."))
        return data


class CorrectionForm(forms.Form):
    date = forms.DateField(
        label=_("Tanggal"), widget=forms.DateInput(attrs={"type": "date", "class": "form-control"})
    )
    kind = forms.ChoiceField(
        label=_("Jenis"), choices=[], widget=forms.Select(attrs={"class": "form-select"})
    )
    time = forms.TimeField(
        label=_("Jam sebenarnya"), widget=forms.TimeInput(attrs={"type": "time", "class": "form-control"})
    )
    reason = forms.CharField(
        label=_("Alasan"), max_length=255, widget=forms.TextInput(attrs={"class": "form-control"})
    )
    evidence = forms.FileField(
        label=_("Bukti (foto)"),
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": "image/*"}),
    )

    def __init__(self, *args, **kwargs):
        from layan.attendance.models import AttendanceCorrection

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = AttendanceCorrection.Kind.choices


class RosterGenerateForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=Unit.objects.none(), widget=forms.Select(attrs={"class": "form-select"})
    )
    start = forms.DateField(
        label=_("Mulai"), widget=forms.DateInput(attrs={"type": "date", "class": "form-control"})
    )
    end = forms.DateField(
        label=_("Sampai"), widget=forms.DateInput(attrs={"type": "date", "class": "form-control"})
    )

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = scoped(
            Unit.objects.filter(is_active=True), actor, "attendance.manage_roster"
        )


class RosterEditForm(forms.Form):
    employee = forms.IntegerField(widget=forms.HiddenInput)
    date = forms.DateField(widget=forms.HiddenInput)
    mode = forms.ChoiceField(choices=[("WFO", "WFO"), ("WFH", "WFH"), ("PIKET", "PIKET")])


class SwapRequestForm(forms.Form):
    date = forms.DateField(
        label=_("Tanggal"), widget=forms.DateInput(attrs={"type": "date", "class": "form-control"})
    )
    partner = forms.ModelChoiceField(
        label=_("Tukar dengan"), queryset=None, widget=forms.Select(attrs={"class": "form-select"})
    )
    reason = forms.CharField(
        label=_("Alasan"), max_length=255, widget=forms.TextInput(attrs={"class": "form-control"})
    )

    def __init__(self, *args, partners=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = partners


class StandbyFilterForm(forms.Form):
    """The supervisor's filter of the team's stand-by pings."""

    bulan = MonthField(
        label=_("Bulan"),
        required=False,
        widget=forms.TextInput(attrs={"type": "month", "class": "form-control"}),
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[], widget=forms.Select(attrs={"class": "form-select"})
    )
    q = forms.CharField(
        label=_("Cari nama/NIP"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )

    def __init__(self, *args, **kwargs):
        from layan.attendance.models import StandbyPing

        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("Semua status")), *StandbyPing.Status.choices]


class UnitsOverviewFilterForm(forms.Form):
    """Filters of the unit head's and BKPSDM's view across units."""

    bulan = MonthField(
        label=_("Bulan"),
        required=False,
        widget=forms.TextInput(attrs={"type": "month", "class": "form-control"}),
    )
    q = forms.CharField(
        label=_("Cari unit"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    jenis = forms.ChoiceField(
        label=_("Jenis unit"), required=False, choices=[], widget=forms.Select(attrs={"class": "form-select"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jenis"].choices = [("", _("Semua jenis")), *Unit.Kind.choices]
