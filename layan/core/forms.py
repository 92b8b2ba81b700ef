"""Forms of the core admin pages: days off, the working-day counter, the audit search, the NIK export."""

from __future__ import annotations

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from layan.core.identifiers import normalize_digits, parse_nik, validate_region_code
from layan.core.models import DayOff
from layan.regions.selectors import region_exists

_MIN_YEAR, _MAX_YEAR = 2000, 2100


def style_widgets(form: forms.BaseForm) -> None:
    """Bootstrap classes on every widget (``is-invalid`` where the field has an error), so templates
    render fields with ``{{ field }}`` only. Every app's forms use this one."""
    errors = form._errors or {}  # never trigger validation from here (fields may not be set up yet)
    for name, form_field in form.fields.items():
        widget = form_field.widget
        if isinstance(widget, forms.HiddenInput | forms.RadioSelect | forms.CheckboxSelectMultiple):
            continue  # Django puts a choice list's class on its wrapper too; layan.css styles the inputs
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.Select):
            css = "form-select"
        else:
            css = "form-control"
        classes = [c for c in widget.attrs.get("class", "").split() if c not in {css, "is-invalid"}]
        classes.append(css)
        if name in errors:
            classes.append("is-invalid")
        widget.attrs["class"] = " ".join(classes)


class StyledForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_widgets(self)

    def full_clean(self):
        super().full_clean()
        style_widgets(self)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _clean_region(value: str, *, required: bool = False) -> str:
    value = (value or "").strip()
    if not value:
        if required:
            raise ValidationError(_("Isi kode wilayah."))
        return ""
    validate_region_code(value)
    if not region_exists(value):
        raise ValidationError(_("Kode wilayah %(code)s tidak ada dalam daftar wilayah.") % {"code": value})
    return value


def _check_year(day: date | None) -> None:
    if day and not (_MIN_YEAR <= day.year <= _MAX_YEAR):
        raise ValidationError(
            _("Tahun harus antara %(min)s dan %(max)s.") % {"min": _MIN_YEAR, "max": _MAX_YEAR}
        )


class DayOffForm(StyledForm):
    date = forms.DateField(label=_("Tanggal"), widget=DateInput())
    name = forms.CharField(label=_("Keterangan"), max_length=150)
    kind = forms.ChoiceField(label=_("Jenis"), choices=DayOff.Kind.choices)
    region_prefix = forms.CharField(
        label=_("Wilayah"),
        max_length=13,
        required=False,
        help_text=_("Kosongkan untuk semua wilayah; isi kode (mis. 72.01.05) untuk libur daerah."),
    )
    legal_basis = forms.CharField(label=_("Dasar hukum"), max_length=255, required=False)

    def clean_date(self):
        value = self.cleaned_data["date"]
        _check_year(value)
        return value

    def clean_region_prefix(self):
        return _clean_region(self.cleaned_data.get("region_prefix", ""))

    def clean(self):
        data = super().clean()
        if data.get("kind") == DayOff.Kind.REGIONAL and not data.get("region_prefix"):
            self.add_error("region_prefix", _("Libur daerah memerlukan kode wilayah."))
        return data


class CalendarFilterForm(StyledForm):
    tahun = forms.IntegerField(label=_("Tahun"), min_value=_MIN_YEAR, max_value=_MAX_YEAR, required=False)
    wilayah = forms.CharField(label=_("Wilayah"), max_length=13, required=False)

    def clean_wilayah(self):
        return _clean_region(self.cleaned_data.get("wilayah", ""))


class WorkingDaysForm(StyledForm):
    dari = forms.DateField(label=_("Dari (tidak dihitung)"), widget=DateInput())
    sampai = forms.DateField(label=_("Sampai (dihitung)"), widget=DateInput())
    wilayah = forms.CharField(label=_("Wilayah"), max_length=13, required=False)

    def clean_dari(self):
        value = self.cleaned_data["dari"]
        _check_year(value)
        return value

    def clean_sampai(self):
        value = self.cleaned_data["sampai"]
        _check_year(value)
        return value

    def clean_wilayah(self):
        return _clean_region(self.cleaned_data.get("wilayah", ""))

    def clean(self):
        data = super().clean()
        start, end = data.get("dari"), data.get("sampai")
        if start and end and (end - start).days > 366 * 5:
            raise ValidationError(_("Rentang paling lama 5 tahun."))
        return data


class AuditFilterForm(StyledForm):
    pelaku = forms.CharField(label=_("Pelaku"), max_length=150, required=False)
    aksi = forms.CharField(label=_("Aksi"), max_length=64, required=False)
    jenis = forms.CharField(label=_("Jenis objek"), max_length=64, required=False)
    objek = forms.CharField(label=_("ID objek"), max_length=64, required=False)
    dari = forms.DateField(label=_("Dari tanggal"), required=False, widget=DateInput())
    sampai = forms.DateField(label=_("Sampai tanggal"), required=False, widget=DateInput())
    # A keyed hash of a NIK (never the NIK itself, which stays out of URLs and server logs).
    subjek = forms.RegexField(regex=r"^[0-9a-f]{64}$", required=False, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        if data.get("dari") and data.get("sampai") and data["sampai"] < data["dari"]:
            self.add_error("sampai", _("Tanggal akhir tidak boleh sebelum tanggal awal."))
        return data


class NikForm(StyledForm):
    nik = forms.CharField(
        label=_("NIK"),
        max_length=32,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def clean_nik(self):
        value = normalize_digits(self.cleaned_data["nik"])
        parse_nik(value)
        return value


class ProcessingExportForm(NikForm):
    format = forms.ChoiceField(
        label=_("Format"), choices=[("xlsx", "Excel (xlsx)"), ("json", "JSON")], initial="xlsx"
    )
