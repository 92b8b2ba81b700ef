from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from layan.core.forms import StyledForm
from layan.performance.models import DailyReport


class DailyReportForm(forms.Form):
    client_uuid = forms.UUIDField(widget=forms.HiddenInput)
    date = forms.DateField(label=_("Tanggal"), widget=forms.DateInput(attrs={"type": "date"}))
    activity = forms.CharField(
        label=_("Apa yang dikerjakan"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    rhk = forms.TypedChoiceField(label=_("Untuk RHK"), required=False, coerce=int, empty_value=None)
    output = forms.CharField(label=_("Hasil/output"), max_length=120, required=False)
    quantity = forms.DecimalField(
        label=pgettext_lazy("quantity", "Jumlah"), min_value=0.01, max_digits=8, decimal_places=2, initial=1
    )
    minutes = forms.IntegerField(label=_("Waktu (menit)"), min_value=1, max_value=1440, initial=60)
    mode = forms.ChoiceField(label=_("Mode kerja"), choices=DailyReport.Mode.choices)
    evidence_file = forms.FileField(label=_("Bukti (foto/PDF)"), required=False)
    evidence_link = forms.URLField(label=_("Bukti (tautan)"), required=False, assume_scheme="https")

    def __init__(self, *args, rhk_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rhk"].choices = [("", _("— tanpa RHK —")), *rhk_choices]
        self.fields["date"].initial = timezone.localdate()


class DecisionForm(forms.Form):
    approve = forms.BooleanField(required=False)
    note = forms.CharField(max_length=500, required=False)


class RunForm(forms.Form):
    unit = forms.TypedChoiceField(label=_("Unit"), coerce=int)
    year = forms.IntegerField(label=_("Tahun"), min_value=2000, max_value=2100)
    month = forms.IntegerField(label=_("Bulan"), min_value=1, max_value=12)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.pk, u.name) for u in units]


class CorrectionForm(forms.Form):
    reason = forms.CharField(label=_("Alasan koreksi"), max_length=255)


class LeadersFilterForm(StyledForm):
    """The leaders' view: a month (``YYYY-MM``) and optionally one unit (its subtree)."""

    month = forms.CharField(
        label=_("Bulan"), required=False, widget=forms.DateInput(attrs={"type": "month"}), max_length=7
    )
    unit = forms.TypedChoiceField(label=_("Unit"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", _("Semua unit dalam cakupan")), *[(u.pk, u.name) for u in units]]

    def clean_month(self):
        value = (self.cleaned_data.get("month") or "").strip()
        if not value:
            return None
        try:
            year, month = (int(part) for part in value.split("-"))
        except ValueError as exc:
            raise forms.ValidationError(_("Tulis bulan sebagai TTTT-BB, mis. 2021-03.")) from exc
        if not (2000 <= year <= 2100 and 1 <= month <= 12):
            raise forms.ValidationError(_("Tulis bulan sebagai TTTT-BB, mis. 2021-03."))
        return year, month


class BudgetForm(StyledForm):
    unit = forms.TypedChoiceField(label=_("Unit"), coerce=int)
    year = forms.IntegerField(label=_("Tahun"), min_value=2000, max_value=2100)
    amount = forms.DecimalField(label=_("Pagu TPP (Rp)"), min_value=0, max_digits=16, decimal_places=0)
    note = forms.CharField(label=_("Keterangan (mis. nomor DPA)"), max_length=255, required=False)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.pk, u.name) for u in units]
