"""Forms of the complaints pages. Validation of substance lives in the services; forms parse input."""

from __future__ import annotations

import uuid

from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from layan.complaints.models import Category, Channel, Kind, ResponseTemplate
from layan.core.forms import StyledForm, style_widgets
from layan.core.scopes import code_prefix_q


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget",
            MultipleFileInput(
                attrs={"accept": "image/jpeg,image/png,image/webp,application/pdf", "capture": "environment"}
            ),
        )
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


def village_choices() -> list:
    """Desa/kelurahan of the kabupaten grouped by kecamatan (a plain select: works with no JavaScript)."""
    from layan.regions.models import Region

    rows = (
        Region.objects.filter(code_prefix_q("code", settings.LAYAN_REGION_CODE), level__in=[3, 4])
        .order_by("code")
        .values_list("code", "name", "level")
    )
    groups: dict[str, tuple[str, list]] = {}
    for code, name, level in rows:
        if level == 3:
            groups[code] = (name, [])
        elif code[:8] in groups:
            groups[code[:8]][1].append((code, name))
    return [("", _("— pilih desa/kelurahan —"))] + [
        (f"Kec. {name}", villages) for name, villages in groups.values() if villages
    ]


class CaseForm(StyledForm):
    kind = forms.ChoiceField(
        label=_("Jenis laporan"), choices=Kind.choices, initial=Kind.PENGADUAN, widget=forms.RadioSelect
    )
    category = forms.ModelChoiceField(
        label=_("Kategori"),
        queryset=Category.objects.none(),
        required=False,
        empty_label=_("Saya tidak tahu — biar petugas yang menentukan"),
    )
    title = forms.CharField(
        label=_("Judul singkat"),
        max_length=200,
        required=False,
        help_text=_("Contoh: Jalan berlubang di depan SD Inpres Singkoyo"),
    )
    description = forms.CharField(
        label=_("Apa yang terjadi?"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        help_text=_("Ceritakan apa masalahnya, sejak kapan, dan siapa yang terdampak."),
    )
    region_code = forms.ChoiceField(label=_("Desa/kelurahan tempat kejadian"), choices=())
    location_detail = forms.CharField(
        label=_("Detail lokasi"), max_length=255, required=False, help_text=_("Nama jalan, RT/RW, patokan.")
    )
    latitude = forms.DecimalField(
        required=False, max_digits=9, decimal_places=6, min_value=-90, max_value=90, widget=forms.HiddenInput
    )
    longitude = forms.DecimalField(
        required=False,
        max_digits=9,
        decimal_places=6,
        min_value=-180,
        max_value=180,
        widget=forms.HiddenInput,
    )
    occurred_on = forms.DateField(
        label=_("Kapan terjadi?"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    attachments = MultipleFileField(label=_("Foto atau dokumen (maks. 5, masing-masing 5 MB)"))
    reporter_name = forms.CharField(label=_("Nama Anda"), max_length=150, required=False)
    reporter_email = forms.EmailField(
        label=_("Surel"), required=False, help_text=_("Untuk menerima kabar perkembangan laporan.")
    )
    reporter_phone = forms.CharField(label=_("Nomor HP/WhatsApp"), max_length=20, required=False)
    is_anonymous = forms.BooleanField(
        label=_("Anonim: sembunyikan identitas saya"),
        required=False,
        help_text=_(
            "Nama dan kontak Anda tidak ditampilkan kepada unit yang menangani maupun kepada publik. "
            "Isi laporan tetap bisa terlihat publik."
        ),
    )
    is_confidential = forms.BooleanField(
        label=_("Rahasia: jangan tampilkan isi laporan ke publik"),
        required=False,
        help_text=_(
            "Laporan tidak muncul di daftar dan peta publik. Petugas tetap dapat membacanya untuk "
            "menindaklanjuti."
        ),
    )
    client_key = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, operator: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.filter(is_active=True)
        self.fields["region_code"].choices = village_choices()
        # complaints/desa_picker.js turns the full list into kecamatan → desa from the public regions API.
        self.fields["region_code"].widget.attrs.update(
            {
                "data-regions-api": reverse("regions_api:region_list"),
                "data-regions-parent": settings.LAYAN_REGION_CODE,
                "data-label-kecamatan": _("Kecamatan"),
                "data-placeholder-kecamatan": _("— pilih kecamatan —"),
                "data-placeholder-first": _("— pilih kecamatan dahulu —"),
                "data-placeholder-desa": _("— pilih desa/kelurahan —"),
            }
        )
        if not self.is_bound:
            self.initial.setdefault("client_key", uuid.uuid4())
        if operator:
            self.fields["channel"] = forms.ChoiceField(
                label=_("Saluran"),
                initial=Channel.PHONE,
                choices=[
                    (Channel.PHONE, Channel.PHONE.label),
                    (Channel.WALK_IN, Channel.WALK_IN.label),
                    (Channel.EMAIL, Channel.EMAIL.label),
                ],
            )


class FollowForm(StyledForm):
    email = forms.EmailField(label=_("Surel"), required=False)
    phone = forms.CharField(label=_("Nomor HP"), max_length=20, required=False)


class TrackForm(StyledForm):
    code = forms.CharField(
        label=_("Kode lacak"),
        max_length=14,
        widget=forms.TextInput(attrs={"placeholder": "LYN-XXXX-XX", "autocapitalize": "characters"}),
    )


class CitizenReplyForm(StyledForm):
    body = forms.CharField(label=_("Balasan Anda"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    attachments = MultipleFileField(label=_("Foto (opsional)"))


class ReopenForm(StyledForm):
    reason = forms.CharField(
        label=_("Mengapa masalahnya belum selesai?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )


class RatingForm(StyledForm):
    rating = forms.TypedChoiceField(
        label=_("Seberapa puas Anda?"),
        coerce=int,
        widget=forms.RadioSelect,
        choices=[(i, str(i)) for i in range(1, 6)],
    )
    comment = forms.CharField(
        label=_("Komentar (opsional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class VerifyForm(StyledForm):
    category = forms.ModelChoiceField(label=_("Kategori"), queryset=Category.objects.filter(is_active=True))
    kind = forms.ChoiceField(label=_("Jenis"), choices=Kind.choices)
    note = forms.CharField(label=_("Catatan untuk pelapor (opsional)"), required=False, max_length=2000)


class RouteForm(StyledForm):
    unit = forms.ModelChoiceField(label=_("Unit tujuan"), queryset=None)
    note = forms.CharField(label=_("Catatan disposisi"), required=False, max_length=2000)

    def __init__(self, *args, **kwargs):
        from layan.org.models import Unit

        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(is_active=True)


class AssignForm(StyledForm):
    officer = forms.TypedChoiceField(label=_("Petugas"), coerce=int, choices=())


class ReplyForm(StyledForm):
    body = forms.CharField(label=_("Isi"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    public = forms.BooleanField(
        label=_("Tanggapan publik (dilihat dan dikirim ke pelapor)"), required=False, initial=True
    )
    attachments = MultipleFileField(label=_("Lampiran"))


class TextForm(StyledForm):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)


class RejectForm(StyledForm):
    reason = forms.CharField(label=_("Alasan"), widget=forms.Textarea(attrs={"rows": 2}), max_length=3000)
    not_authority = forms.BooleanField(label=_("Bukan wewenang pemerintah daerah"), required=False)
    redirect_to = forms.CharField(label=_("Instansi yang berwenang"), required=False, max_length=255)


class DuplicateForm(StyledForm):
    original = forms.CharField(label=_("Kode laporan asal"), max_length=14)


class ConvertForm(StyledForm):
    kind = forms.ChoiceField(label=_("Jenis"), choices=Kind.choices)
    category = forms.ModelChoiceField(
        label=_("Kategori"), queryset=Category.objects.filter(is_active=True), required=False
    )
    title = forms.CharField(label=_("Judul"), max_length=200, required=False)
    region_code = forms.ChoiceField(label=_("Desa/kelurahan"), choices=(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region_code"].choices = village_choices()


class CategoryForm(forms.ModelForm):
    class Meta:
        model = Category
        fields = ["name", "description", "unit", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_widgets(self)


class PeriodForm(StyledForm):
    start = forms.DateField(label=_("Dari"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Sampai"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    kecamatan = forms.ChoiceField(label=_("Kecamatan"), required=False, choices=())

    def __init__(self, *args, **kwargs):
        from layan.regions.models import Region

        super().__init__(*args, **kwargs)
        self.fields["kecamatan"].choices = [("", _("Semua kecamatan"))] + list(
            Region.objects.filter(code_prefix_q("code", settings.LAYAN_REGION_CODE), level=3).values_list(
                "code", "name"
            )
        )


class ResponseTemplateForm(forms.ModelForm):
    class Meta:
        model = ResponseTemplate
        fields = ["name", "state", "action", "body", "is_active", "sort_order"]
        widgets = {"body": forms.Textarea(attrs={"rows": 5})}
        help_texts = {
            "body": _("Boleh memakai {kode}, {unit}, dan {kategori}; diisi dari laporan saat dipakai.")
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_widgets(self)
