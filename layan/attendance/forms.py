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
