from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from layan.accounts import selectors
from layan.accounts.backends import canonical_login_name
from layan.core.forms import StyledForm
from layan.core.identifiers import normalize_digits
from layan.core.roles import ASSIGNABLE_ROLES


class LoginForm(AuthenticationForm):
    """NIP or username + password. Authentication goes through ``authenticate(request, ...)`` (done by
    Django's form), so django-axes counts every failure."""

    error_messages = {
        "invalid_login": _(
            "NIP/nama pengguna atau kata sandi salah. Perhatikan huruf besar dan kecil pada kata sandi."
        ),
        "inactive": _("Akun ini tidak aktif. Hubungi admin BKPSDM."),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("NIP atau nama pengguna")
        self.fields["username"].widget.attrs.update(
            {"autocomplete": "username", "autocapitalize": "none", "class": "form-control"}
        )
        self.fields["password"].label = _("Kata sandi")
        self.fields["password"].widget.attrs.update({"class": "form-control"})

    def clean_username(self):
        return canonical_login_name(self.cleaned_data.get("username"))


class OtpTokenForm(forms.Form):
    token = forms.CharField(
        label=_("Kode verifikasi"),
        max_length=16,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "class": "form-control",
                "autofocus": True,
            }
        ),
        help_text=_("6 angka dari aplikasi autentikator, atau salah satu kode cadangan."),
    )

    def clean_token(self):
        value = self.cleaned_data["token"].strip()
        # Authenticator codes are often typed with a space in the middle ("123 456").
        digits = normalize_digits(value)
        return digits if digits.isdigit() else value.replace(" ", "").lower()


# Django's Indonesian catalogue leaves this message untranslated.
INVALID_CHOICE = {"invalid_choice": _("Pilihan %(value)s tidak tersedia.")}
INVALID_MODEL_CHOICE = {"invalid_choice": _("Pilihan itu tidak tersedia.")}


class RoleAssignForm(forms.Form):
    user = forms.CharField(label=_("Pengguna (NIP atau nama pengguna)"), max_length=150)
    role = forms.ChoiceField(label=_("Peran"), error_messages=INVALID_CHOICE)
    scope_region = forms.CharField(
        label=_("Cakupan wilayah (kode)"),
        max_length=13,
        required=False,
        help_text=_("Mis. 72.01 untuk seluruh kabupaten, 72.01.05 untuk satu kecamatan."),
    )
    scope_unit = forms.ModelChoiceField(
        label=_("atau cakupan unit kerja"),
        queryset=None,
        required=False,
        error_messages=INVALID_MODEL_CHOICE,
        help_text=_("Unit beserta seluruh unit di bawahnya."),
    )
    valid_from = forms.DateField(label=_("Berlaku mulai"), widget=forms.DateInput(attrs={"type": "date"}))
    valid_to = forms.DateField(
        label=_("Berlaku sampai"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Kosongkan bila tidak ada batas waktu."),
    )
    note = forms.CharField(label=_("Catatan (mis. nomor SK)"), max_length=255, required=False)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [("", "—")] + selectors.grantable_roles(actor)
        self.fields["scope_unit"].queryset = selectors.units_grantable_by(actor)
        self.fields["valid_from"].initial = timezone.localdate()
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)

    def clean_user(self):
        user = selectors.user_by_login(self.cleaned_data["user"])
        if user is None:
            raise ValidationError(_("Pengguna dengan NIP atau nama pengguna ini tidak ditemukan."))
        return user

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("scope_region") and cleaned.get("scope_unit"):
            raise ValidationError(_("Isi tepat satu cakupan: kode wilayah atau unit, bukan keduanya."))
        if not cleaned.get("scope_region") and not cleaned.get("scope_unit") and not self.errors:
            raise ValidationError(_("Isi tepat satu cakupan: kode wilayah atau unit."))
        return cleaned


class RoleEndForm(forms.Form):
    last_day = forms.DateField(
        label=_("Hari terakhir berlaku"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}),
        help_text=_("Kosongkan untuk mengakhiri sekarang juga."),
    )


class RoleFilterForm(forms.Form):
    STATUS_CHOICES = [
        ("", _("Semua status")),
        ("active", _("Berlaku")),
        ("future", _("Belum berlaku")),
        ("ended", _("Sudah berakhir")),
    ]
    q = forms.CharField(label=_("Cari pengguna"), required=False, max_length=100)
    role = forms.ChoiceField(
        label=_("Peran"),
        required=False,
        choices=[("", _("Semua peran"))] + [(r.value, r.label) for r in ASSIGNABLE_ROLES],
    )
    status = forms.ChoiceField(label=_("Status"), required=False, choices=STATUS_CHOICES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs.update({"class": "form-control", "type": "search"})
        self.fields["role"].widget.attrs.update({"class": "form-select"})
        self.fields["status"].widget.attrs.update({"class": "form-select"})


def with_bootstrap_classes(form: forms.Form) -> forms.Form:
    """Bootstrap classes on Django's own forms (password change and reset) without subclassing each."""
    for field in form.fields.values():
        css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
        field.widget.attrs.setdefault("class", css)
    return form


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Attach a service's ValidationError to the form: known fields by name, the rest on top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


class UserFilterForm(StyledForm):
    STATUS_CHOICES = [
        ("", _("Semua akun")),
        ("active", _("Aktif")),
        ("inactive", _("Nonaktif")),
        ("locked", _("Terkunci (terlalu banyak gagal masuk)")),
    ]
    q = forms.CharField(label=_("Cari nama, nama pengguna, NIP"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=STATUS_CHOICES)


class SecondFactorResetForm(StyledForm):
    reason = forms.CharField(
        label=_("Alasan"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Misalnya: ponsel hilang, dikonfirmasi lewat telepon kantor; nomor tiket 123."),
    )
