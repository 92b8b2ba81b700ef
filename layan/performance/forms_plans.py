"""Forms of the plan (SKP) and evaluation pages."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from layan.core.forms import StyledForm, style_widgets
from layan.performance.models import BerAkhlak, Evaluation, Indicator, OrgRating, Rating

# What each BerAKHLAK value asks of an ASN (SE MenPAN-RB 20/2021), shown as help under its field.
BERAKHLAK_GUIDE = {
    BerAkhlak.BERORIENTASI_PELAYANAN: _(
        "Memahami dan memenuhi kebutuhan masyarakat; ramah, cekatan, solutif; terus memperbaiki layanan."
    ),
    BerAkhlak.AKUNTABEL: _(
        "Jujur, bertanggung jawab, cermat, disiplin; memakai sumber daya negara secara efisien; tidak "
        "menyalahgunakan kewenangan."
    ),
    BerAkhlak.KOMPETEN: _(
        "Terus belajar mengikuti perubahan, membantu orang lain belajar, bekerja sebaik mungkin."
    ),
    BerAkhlak.HARMONIS: _("Menghargai setiap orang, suka menolong, menjaga suasana kerja yang kondusif."),
    BerAkhlak.LOYAL: _(
        "Setia pada Pancasila, UUD 1945, NKRI dan pemerintahan yang sah; menjaga nama baik instansi dan "
        "rahasia jabatan."
    ),
    BerAkhlak.ADAPTIF: _("Cepat menyesuaikan diri, berinovasi, dan bertindak proaktif."),
    BerAkhlak.KOLABORATIF: _(
        "Memberi kesempatan pihak lain berkontribusi, terbuka bekerja sama, menggerakkan sumber daya bersama."
    ),
}


class YearForm(StyledForm):
    tahun = forms.IntegerField(label=_("Tahun"), min_value=2000, max_value=2100)


class RhkForm(StyledForm):
    title = forms.CharField(label=_("Rencana hasil kerja (RHK)"), max_length=255)
    parent = forms.TypedChoiceField(
        label=_("RHK atasan yang diintervensi"), required=False, coerce=int, empty_value=None
    )
    behaviour_expectation = forms.CharField(
        label=_("Catatan perilaku untuk RHK ini (opsional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, parent_options=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].choices = [("", _("— pilih RHK atasan —")), *parent_options]


class IndicatorForm(forms.Form):
    """One indicator row; a row left empty is skipped, a row half filled is an error."""

    aspect = forms.ChoiceField(label=_("Aspek"), choices=Indicator.Aspect.choices)
    description = forms.CharField(label=_("Indikator"), max_length=255, required=False)
    target = forms.DecimalField(
        label=_("Target"), max_digits=10, decimal_places=2, required=False, min_value=0.01
    )
    target_unit = forms.CharField(label=_("Satuan"), max_length=40, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_widgets(self)

    def clean(self):
        data = super().clean()
        filled = [bool(data.get(k)) for k in ("description", "target", "target_unit")]
        if any(filled) and not all(filled):
            raise forms.ValidationError(_("Isi indikator, target dan satuannya, atau kosongkan baris ini."))
        return data

    @property
    def is_filled(self) -> bool:
        return bool(self.is_valid() and self.cleaned_data.get("description"))


IndicatorFormSet = forms.formset_factory(IndicatorForm, extra=0, max_num=12, validate_max=True)


def indicator_initial(rhk=None) -> list[dict]:
    """The rows of the indicator formset: the RHK's indicators, then one empty row per aspect missing."""
    rows = []
    if rhk is not None:
        rows = [
            {
                "aspect": i.aspect,
                "description": i.description,
                "target": i.target,
                "target_unit": i.target_unit,
            }
            for i in rhk.indicators.all()
        ]
    present = {r["aspect"] for r in rows}
    rows += [{"aspect": a} for a in Indicator.Aspect.values if a not in present]
    if len(rows) < 4:
        rows.append({"aspect": Indicator.Aspect.QUANTITY})
    return rows


class BehaviourForm(StyledForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for value, label in BerAkhlak.choices:
            self.fields[value] = forms.CharField(
                label=label,
                required=False,
                max_length=1000,
                help_text=BERAKHLAK_GUIDE[value],
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        style_widgets(self)


class SkpDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("agree", _("Setujui")), ("return", _("Kembalikan"))])
    note = forms.CharField(label=_("Catatan untuk pegawai"), max_length=500, required=False)


class PeriodForm(StyledForm):
    jenis = forms.ChoiceField(
        label=_("Jenis"), choices=Evaluation.Kind.choices, initial=Evaluation.Kind.MONTHLY
    )
    tahun = forms.IntegerField(label=_("Tahun"), min_value=2000, max_value=2100)
    ke = forms.IntegerField(
        label=_("Bulan/triwulan ke"),
        min_value=1,
        max_value=12,
        required=False,
        help_text=_("Kosong untuk tahunan."),
    )

    @classmethod
    def from_request(cls, request) -> PeriodForm:
        """The period asked for; by default the last month that has ended (evaluations follow the month)."""
        last = timezone.localdate().replace(day=1) - timedelta(days=1)
        data = {
            "jenis": request.GET.get("jenis") or Evaluation.Kind.MONTHLY,
            "tahun": request.GET.get("tahun") or last.year,
            "ke": request.GET.get("ke") or last.month,
        }
        if "ke" not in request.GET and data["jenis"] == Evaluation.Kind.QUARTERLY:
            data["ke"] = (last.month - 1) // 3 + 1
        return cls(data)


class EvaluationForm(StyledForm):
    result_rating = forms.ChoiceField(
        label=_("Hasil kerja"), choices=Rating.choices, widget=forms.RadioSelect, initial=Rating.AS_EXPECTED
    )
    behaviour_rating = forms.ChoiceField(
        label=_("Perilaku kerja (BerAKHLAK)"),
        choices=Rating.choices,
        widget=forms.RadioSelect,
        initial=Rating.AS_EXPECTED,
    )
    feedback = forms.CharField(
        label=_("Umpan balik"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class FinaliseForm(StyledForm):
    acknowledge = forms.BooleanField(
        label=_("Saya menyatakan selisih distribusi di atas diterima untuk periode ini"), required=False
    )
    reason = forms.CharField(
        label=_("Alasan"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class OrgRatingForm(StyledForm):
    unit = forms.TypedChoiceField(label=_("Unit"), coerce=int)
    year = forms.IntegerField(label=_("Tahun"), min_value=2000, max_value=2100)
    rating = forms.ChoiceField(label=_("Predikat kinerja organisasi"), choices=OrgRating.choices)
    basis = forms.CharField(
        label=_("Dasar penilaian"),
        required=False,
        max_length=255,
        help_text=_("Mis. hasil evaluasi SAKIP atau keputusan kepala daerah."),
    )

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.pk, u.name) for u in units]
