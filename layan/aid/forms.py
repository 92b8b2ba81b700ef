"""Forms of the aid pages. Input is checked here; the rules live in services."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from layan.aid.models import AsnPledge, Program, Round
from layan.aid.templatetags.aid_format import rupiah
from layan.core.forms import DateInput, StyledForm
from layan.core.identifiers import nik_digits, normalize_digits, validate_region_code

_TEXT = {"class": "form-control form-control-sm"}
_SELECT = {"class": "form-select form-select-sm"}


class ResidentFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Nama"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={**_TEXT, "placeholder": _("Cari nama…")}),
    )
    nik = forms.CharField(
        label=_("NIK"),
        required=False,
        max_length=32,
        widget=forms.TextInput(
            attrs={**_TEXT, "placeholder": _("NIK (persis)"), "inputmode": "numeric", "autocomplete": "off"}
        ),
    )
    kk = forms.CharField(
        label=_("No. KK"),
        required=False,
        max_length=32,
        widget=forms.TextInput(
            attrs={
                **_TEXT,
                "placeholder": _("No. KK (persis)"),
                "inputmode": "numeric",
                "autocomplete": "off",
            }
        ),
    )
    desa = forms.CharField(
        label=_("Kode wilayah"),
        required=False,
        max_length=13,
        widget=forms.TextInput(attrs={**_TEXT, "placeholder": _("Kode desa/kecamatan")}),
    )
    peringatan = forms.BooleanField(label=_("Hanya yang bermasalah"), required=False)

    def clean_nik(self):
        return normalize_digits(self.cleaned_data.get("nik", ""))

    def clean_kk(self):
        return normalize_digits(self.cleaned_data.get("kk", ""))


class ImportForm(forms.Form):
    source = forms.CharField(
        label=_("Sumber data"),
        max_length=100,
        initial="DTKS",
        widget=forms.TextInput(attrs=_TEXT),
        help_text=_("mis. DTKS 2020 atau daftar desa"),
    )
    file = forms.FileField(
        label=_("Berkas CSV atau Excel (.xlsx)"),
        widget=forms.ClearableFileInput(
            attrs={"class": "form-control form-control-sm", "accept": ".csv,.xlsx"}
        ),
    )


class NikLookupForm(forms.Form):
    nik = forms.CharField(
        label=_("NIK"),
        max_length=32,
        widget=forms.TextInput(attrs={**_TEXT, "inputmode": "numeric", "autocomplete": "off"}),
    )

    def clean_nik(self):
        # Any 16 digits: the registry keeps NIKs with an impossible date or region (flagged), and their
        # holders must be able to look themselves up; the lookup is exact through the keyed hash.
        return nik_digits(self.cleaned_data["nik"])


class PublicLookupForm(NikLookupForm):
    name = forms.CharField(
        label=_("Nama lengkap (sesuai KTP)"), max_length=150, widget=forms.TextInput(attrs=_TEXT)
    )


class RoundForm(forms.Form):
    program = forms.ModelChoiceField(
        label=_("Program"),
        queryset=Program.objects.filter(is_active=True),
        widget=forms.Select(attrs=_SELECT),
    )
    area = forms.CharField(
        label=_("Kode wilayah (desa/kecamatan)"), max_length=13, widget=forms.TextInput(attrs=_TEXT)
    )
    stage = forms.IntegerField(
        label=_("Tahap"), min_value=1, max_value=24, initial=1, widget=forms.NumberInput(attrs=_TEXT)
    )
    period_start = forms.DateField(label=_("Periode mulai"), widget=DateInput(attrs=_TEXT))
    period_end = forms.DateField(label=_("Periode selesai"), widget=DateInput(attrs=_TEXT))

    def clean(self):
        data = super().clean()
        if data.get("period_start") and data.get("period_end") and data["period_end"] < data["period_start"]:
            self.add_error("period_end", _("Periode selesai tidak boleh sebelum periode mulai."))
        return data


class EnrolmentForm(forms.Form):
    nik = forms.CharField(
        label=_("NIK penerima (atau anggota keluarga)"),
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={**_TEXT, "inputmode": "numeric", "autocomplete": "off"}),
    )
    kk = forms.CharField(
        label=_("atau No. KK"),
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={**_TEXT, "inputmode": "numeric", "autocomplete": "off"}),
    )

    def clean(self):
        data = super().clean()
        data["nik"] = normalize_digits(data.get("nik", ""))
        data["kk"] = normalize_digits(data.get("kk", ""))
        if not data["nik"] and not data["kk"]:
            raise ValidationError(_("Isi NIK atau nomor KK."))
        return data


class SubmitRoundForm(forms.Form):
    meeting_date = forms.DateField(label=_("Tanggal musyawarah desa khusus"), widget=DateInput(attrs=_TEXT))
    meeting_record = forms.CharField(
        label=_("Nomor berita acara"), max_length=100, widget=forms.TextInput(attrs=_TEXT)
    )
    meeting_signed_by = forms.CharField(
        label=_("Ditandatangani Kepala Desa"), max_length=150, widget=forms.TextInput(attrs=_TEXT)
    )


class ApproveRoundForm(forms.Form):
    """Legalising freezes the list: the approver confirms they looked at the conflicts first."""

    checked = forms.BooleanField(
        label=_("Saya sudah memeriksa konflik dan daftar penerima"),
        error_messages={"required": _("Centang konfirmasi bahwa Anda sudah memeriksa konflik.")},
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )


def _photo_field(required: bool = True) -> forms.FileField:
    return forms.FileField(
        label=_("Foto penyerahan"),
        required=required,
        widget=forms.ClearableFileInput(
            attrs={"class": "form-control form-control-sm", "accept": "image/*", "capture": "environment"}
        ),
    )


def _video_field() -> forms.FileField:
    return forms.FileField(
        label=_("atau video pendek (MP4/WebM)"),
        required=False,
        widget=forms.ClearableFileInput(
            attrs={
                "class": "form-control form-control-sm",
                "accept": "video/mp4,video/webm",
                "capture": "environment",
            }
        ),
    )


class EvidenceFieldsMixin:
    """A photo or a short video (checked by content in the service), the phone's time and position."""

    def clean(self):
        data = super().clean()
        if not data.get("photo") and not data.get("video") and not self.errors.get("photo"):
            self.add_error("photo", _("Lampirkan foto atau video penyerahan."))
        return data


class DistributionForm(EvidenceFieldsMixin, forms.Form):
    client_uuid = forms.UUIDField(widget=forms.HiddenInput, required=False)
    photo = _photo_field(required=False)
    video = _video_field()
    taken_at = forms.DateTimeField(label=_("Waktu foto"), required=False, widget=forms.HiddenInput)
    latitude = forms.DecimalField(
        max_digits=9, decimal_places=6, min_value=-90, max_value=90, required=False, widget=forms.HiddenInput
    )
    longitude = forms.DecimalField(
        max_digits=9,
        decimal_places=6,
        min_value=-180,
        max_value=180,
        required=False,
        widget=forms.HiddenInput,
    )
    receiver_name = forms.CharField(
        label=_("Nama yang menerima"), max_length=150, required=False, widget=forms.TextInput(attrs=_TEXT)
    )
    confirmed_by_recipient = forms.BooleanField(
        label=_("Penerima mengonfirmasi telah menerima"), required=False
    )
    note = forms.CharField(
        label=_("Catatan"), max_length=255, required=False, widget=forms.TextInput(attrs=_TEXT)
    )
    # Cash programs only (the page leaves it out for goods); PKH has no fixed amount per recipient.
    amount = forms.DecimalField(
        label=_("Nilai (Rp)"),
        max_digits=12,
        decimal_places=0,
        min_value=1,
        required=False,
        widget=forms.NumberInput(attrs={**_TEXT, "inputmode": "numeric"}),
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("same", _("Orang yang sama")), ("different", _("Orang berbeda"))], widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Catatan"), max_length=255, required=False, widget=forms.TextInput(attrs=_TEXT)
    )


class CoverageFilterForm(forms.Form):
    wilayah = forms.CharField(
        label=_("Kode wilayah"),
        max_length=13,
        required=False,
        widget=forms.TextInput(attrs={**_TEXT, "placeholder": "72.01"}),
    )
    tahun = forms.IntegerField(
        label=_("Tahun"),
        min_value=2000,
        max_value=2100,
        required=False,
        widget=forms.NumberInput(attrs=_TEXT),
    )
    tingkat = forms.ChoiceField(
        label=_("Per"),
        choices=[("4", _("Desa/kelurahan")), ("3", _("Kecamatan"))],
        required=False,
        widget=forms.Select(attrs=_SELECT),
    )
    rentan = forms.BooleanField(label=_("Hanya keluarga rentan"), required=False)

    def clean_wilayah(self):
        code = self.cleaned_data["wilayah"].strip()
        if code:
            validate_region_code(code)
        return code


ROUND_STATUS_CHOICES = [("", _("Semua status")), *Round.Status.choices]


# --- ASN Peduli ---------------------------------------------------------------------------------------


class MonthInput(forms.DateInput):
    input_type = "month"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m", **kwargs)


def _month_field(label, required=True) -> forms.DateField:
    return forms.DateField(
        label=label, required=required, input_formats=["%Y-%m", "%Y-%m-%d"], widget=MonthInput()
    )


class AsnPledgeForm(StyledForm):
    kind = forms.ChoiceField(label=_("Bentuk"), choices=AsnPledge.Kind.choices, widget=forms.RadioSelect)
    amount_per_month = forms.DecimalField(
        label=_("Nilai per bulan (Rp)"), min_value=1000, max_digits=12, decimal_places=0, required=False
    )
    goods = forms.CharField(
        label=_("Barang"),
        max_length=150,
        required=False,
        help_text=_("mis. beras 5 kg per bulan"),
    )
    start_month = _month_field(_("Mulai bulan"))
    end_month = _month_field(_("Sampai bulan (kosongkan bila tanpa batas)"), required=False)


class AsnPledgeForEmployeeForm(AsnPledgeForm):
    """A collector records the pledge of an employee of their unit who has no account (often non-ASN staff);
    an employee with an account records their own pledge."""

    employee = forms.CharField(
        label=_("Pegawai (NIP atau nama lengkap)"),
        max_length=150,
        help_text=_("Pegawai di unit Anda; pegawai non-ASN tanpa NIP dicari dengan nama lengkap."),
    )
    field_order = ["employee"]

    def __init__(self, *args, find_employees=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.find_employees = find_employees  # text -> at most two matching employees the collector has

    def clean_employee(self):
        text = " ".join(self.cleaned_data["employee"].split())
        matches = self.find_employees(text)
        if not matches:
            raise forms.ValidationError(
                _("Pegawai '%(text)s' tidak ditemukan di unit Anda. Periksa NIP atau nama lengkapnya.")
                % {"text": text}
            )
        if len(matches) > 1:
            raise forms.ValidationError(
                _("Ada lebih dari satu pegawai bernama '%(text)s' di unit Anda: pakai NIP-nya.")
                % {"text": text}
            )
        if matches[0].user_id is not None:
            raise forms.ValidationError(
                _("%(name)s punya akun Layan: mintalah ia mencatat janjinya sendiri di halaman ASN Peduli.")
                % {"name": matches[0].name}
            )
        return matches[0]


class AsnPledgeEndForm(StyledForm):
    pledge = forms.IntegerField(widget=forms.HiddenInput)
    last_month = _month_field(_("Bulan terakhir"))


class AsnDonationForm(StyledForm):
    pledge = forms.ModelChoiceField(label=_("Janji pegawai"), queryset=AsnPledge.objects.none())
    month = _month_field(_("Bulan"))
    amount = forms.DecimalField(
        label=_("Uang diterima (Rp)"),
        min_value=0,
        max_digits=12,
        decimal_places=0,
        required=False,
        help_text=_("Kosongkan untuk nilai janji"),
    )
    goods = forms.CharField(label=_("Barang diterima"), max_length=150, required=False)

    def __init__(self, *args, pledges=None, **kwargs):
        super().__init__(*args, **kwargs)
        if pledges is not None:
            self.fields["pledge"].queryset = pledges
        self.fields["pledge"].label_from_instance = lambda p: (
            f"{p.employee.name} — {p.get_kind_display()}"
            + (f" {rupiah(p.amount_per_month)}" if p.amount_per_month else f" {p.goods}")
        )


class AsnPackageForm(StyledForm):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None)
    contents = forms.CharField(
        label=_("Isi paket"), max_length=255, help_text=_("mis. beras 10 kg, minyak 2 liter, gula 1 kg")
    )
    value = forms.DecimalField(label=_("Nilai paket (Rp)"), min_value=0, max_digits=12, decimal_places=0)
    # Made with the form: sent twice, it is one package.
    client_uuid = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class AsnTargetForm(forms.Form):
    family = forms.IntegerField(widget=forms.HiddenInput)


class AsnHandOverForm(EvidenceFieldsMixin, forms.Form):
    photo = _photo_field(required=False)
    video = _video_field()
    taken_at = forms.DateTimeField(required=False, widget=forms.HiddenInput)
    latitude = forms.DecimalField(
        max_digits=9, decimal_places=6, min_value=-90, max_value=90, required=False, widget=forms.HiddenInput
    )
    longitude = forms.DecimalField(
        max_digits=9,
        decimal_places=6,
        min_value=-180,
        max_value=180,
        required=False,
        widget=forms.HiddenInput,
    )
    consent_public = forms.BooleanField(
        label=_("Penerima setuju wajah dan namanya ditampilkan di galeri publik"), required=False
    )
