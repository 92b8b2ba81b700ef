"""The filter of the region list (page); the API validates the same input with its own serializer."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from layan.core.identifiers import validate_region_code
from layan.regions.models import Region


class RegionFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Cari nama atau kode"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("mis. Toili atau 72.01.01")}),
    )
    level = forms.TypedChoiceField(
        label=_("Tingkat"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Semua tingkat")), *Region.Level.choices],
    )
    parent = forms.CharField(
        label=_("Kode induk"),
        required=False,
        max_length=13,
        validators=[validate_region_code],
        widget=forms.TextInput(attrs={"placeholder": _("mis. 72.01")}),
    )
