"""Login, second factor, password, API tokens of the signed-in user, and role management pages."""

from __future__ import annotations

import base64
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import devices_for_user, match_token
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from layan.accounts import selectors, services
from layan.accounts.forms import (
    LoginForm,
    OtpTokenForm,
    RoleAssignForm,
    RoleEndForm,
    RoleFilterForm,
    SecondFactorResetForm,
    UserFilterForm,
    add_service_errors,
    with_bootstrap_classes,
)
from layan.core.exports import download
from layan.core.listing import paginate, querystring_without, search_q
from layan.core.roles import Role
from layan.core.scopes import require_permission

PENDING_TOTP_SESSION_KEY = "layan_pending_totp_id"
NEW_BACKUP_CODES_SESSION_KEY = "layan_new_backup_codes"


def _safe_next(request, fallback: str | None = None) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback or resolve_url(settings.LOGIN_REDIRECT_URL)


def second_factor_url(next_url: str) -> str:
    return f"{reverse('accounts:second_factor')}?{urlencode({'next': next_url})}"


# --- login / logout -----------------------------------------------------------------------------------


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        if selectors.needs_second_factor(form.get_user()):
            return redirect(second_factor_url(self.get_success_url()))
        return response


class LogoutView(auth_views.LogoutView):
    """Logging out of a shared office or village phone must not leave pages kept for offline use (a
    handover list holds recipients' names). The logout form's script (layan.js) deletes the service
    workers' page caches before it submits; ``Clear-Site-Data: "cache"`` empties the HTTP cache as well.
    IndexedDB is kept on purpose: it holds records not yet sent, which the offline queue sends only under
    the login of the person who made them."""

    template_name = "accounts/logged_out.html"

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = '"cache"'
        return response


# --- account page -------------------------------------------------------------------------------------


@login_required
def account(request):
    user = request.user
    has_totp = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    backup_left = StaticToken.objects.filter(device__user=user, device__confirmed=True).count()
    active_tokens = [t for t in selectors.api_tokens_of(user) if t.is_active]
    return render(
        request,
        "accounts/account.html",
        {
            "summary": selectors.account_summary(user),
            "has_totp": has_totp,
            "backup_left": backup_left,
            "active_tokens": len(active_tokens),
            "second_factor_required": selectors.needs_second_factor(user),
        },
    )


# --- second factor ------------------------------------------------------------------------------------


def _has_confirmed_device(user) -> bool:
    return any(True for _d in devices_for_user(user, confirmed=True))


@never_cache
@login_required
def second_factor(request):
    """Verify a TOTP (or backup) code for this session; without any device, set one up first."""
    user = request.user
    next_url = _safe_next(request)
    if user.is_verified():
        return redirect(next_url)
    if not _has_confirmed_device(user):
        return redirect(f"{reverse('accounts:second_factor_setup')}?{urlencode({'next': next_url})}")
    form = OtpTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(user, form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            if isinstance(device, StaticDevice):
                messages.warning(
                    request,
                    _("Anda masuk dengan kode cadangan. Sisa kode cadangan: %(n)s.")
                    % {"n": device.token_set.count()},
                )
            return redirect(next_url)
        form.add_error("token", _("Kode salah atau sudah dipakai. Tunggu kode berikutnya lalu coba lagi."))
    return render(request, "accounts/second_factor.html", {"form": form, "next": next_url})


def _may_set_up(request) -> bool:
    """A new authenticator may be set only by someone who has none yet or who already passed the second
    factor in this session — otherwise a stolen password would be enough to replace it."""
    return request.user.is_verified() or not _has_confirmed_device(request.user)


def _pending_device(request) -> TOTPDevice | None:
    pk = request.session.get(PENDING_TOTP_SESSION_KEY)
    if pk is None:
        return None
    return TOTPDevice.objects.filter(pk=pk, user=request.user, confirmed=False).first()


@never_cache
@login_required
def second_factor_setup(request):
    next_url = _safe_next(request)
    if not _may_set_up(request):
        messages.info(request, _("Masukkan kode dari aplikasi autentikator Anda terlebih dahulu."))
        return redirect(second_factor_url(next_url))
    device = _pending_device(request)
    form = OtpTokenForm(request.POST or None)
    if request.method == "POST" and device is not None and form.is_valid():
        try:
            codes = services.totp_device_confirm(
                actor=request.user, device=device, token=form.cleaned_data["token"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            device.refresh_from_db()
            otp_login(request, device)
            request.session.pop(PENDING_TOTP_SESSION_KEY, None)
            request.session[NEW_BACKUP_CODES_SESSION_KEY] = codes
            messages.success(request, _("Verifikasi dua langkah aktif."))
            return redirect(f"{reverse('accounts:backup_codes_new')}?{urlencode({'next': next_url})}")
    if device is None:
        device = services.totp_device_start(actor=request.user)
        request.session[PENDING_TOTP_SESSION_KEY] = device.pk
        if request.method == "POST":
            form = OtpTokenForm()
            messages.warning(request, _("Sesi pengaturan sudah berakhir. Pindai kode QR yang baru."))
    secret = base64.b32encode(device.bin_key).decode()
    return render(
        request,
        "accounts/second_factor_setup.html",
        {
            "form": form,
            "next": next_url,
            "secret_groups": [secret[i : i + 4] for i in range(0, len(secret), 4)],
            "qr_version": device.pk,
        },
    )


@never_cache
@login_required
def second_factor_qr(request):
    """The pending authenticator's otpauth:// URL as an SVG, served by us (no third-party QR service)."""
    if not _may_set_up(request):
        raise Http404
    device = _pending_device(request)
    if device is None:
        raise Http404
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    response = HttpResponse(image.to_string(encoding="unicode"), content_type="image/svg+xml")
    response["Cache-Control"] = "no-store"
    return response


@never_cache
@login_required
def backup_codes(request):
    """How many backup codes are left; making new ones needs a verified session."""
    if not request.user.is_verified():
        return redirect(second_factor_url(request.get_full_path()))
    if request.method == "POST":
        request.session[NEW_BACKUP_CODES_SESSION_KEY] = services.backup_codes_regenerate(actor=request.user)
        return redirect("accounts:backup_codes_new")
    left = StaticToken.objects.filter(device__user=request.user, device__confirmed=True).count()
    return render(request, "accounts/backup_codes.html", {"left": left})


@never_cache
@login_required
def backup_codes_new(request):
    """The new backup codes, shown exactly once."""
    codes = request.session.pop(NEW_BACKUP_CODES_SESSION_KEY, None)
    if not codes:
        return redirect("accounts:backup_codes")
    return render(request, "accounts/backup_codes_new.html", {"codes": codes, "next": _safe_next(request)})


# --- password -----------------------------------------------------------------------------------------


class _BootstrapFormMixin:
    def get_form(self, form_class=None):
        return with_bootstrap_classes(super().get_form(form_class))


class PasswordChangeView(_BootstrapFormMixin, auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:account")

    def form_valid(self, form):
        response = super().form_valid(form)
        services.user_password_changed(actor=self.request.user, user=self.request.user, how="change")
        messages.success(
            self.request,
            _("Kata sandi diganti. Token aplikasi seluler Anda dicabut; masuk lagi di aplikasi."),
        )
        return response


class PasswordResetView(_BootstrapFormMixin, auth_views.PasswordResetView):
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(_BootstrapFormMixin, auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        services.user_password_changed(actor=form.user, user=form.user, how="reset")
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


# --- my API tokens ------------------------------------------------------------------------------------


@login_required
def token_list(request):
    tokens = selectors.api_tokens_of(request.user)[:100]
    return render(request, "accounts/token_list.html", {"tokens": tokens, "now": timezone.now()})


@require_POST
@login_required
def token_revoke(request, pk: int):
    token = selectors.api_token_of(request.user, pk)
    services.api_token_revoke(actor=request.user, token=token)
    messages.success(request, _("Token %(name)s dicabut.") % {"name": token.name})
    return redirect("accounts:token_list")


# --- role management ----------------------------------------------------------------------------------

STATUS_LABELS = {
    "active": gettext_lazy("Berlaku"),
    "future": gettext_lazy("Belum berlaku"),
    "ended": gettext_lazy("Sudah berakhir"),
}


def _filtered_assignments(request):
    qs = selectors.role_assignments_visible(request.user)
    form = RoleFilterForm(request.GET or None)
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            qs = qs.filter(
                search_q(
                    data["q"],
                    ["user__username", "user__full_name", "user__employee__nip", "user__employee__name"],
                )
            )
        if data["role"]:
            qs = qs.filter(role=data["role"])
        if data["status"]:
            qs = qs.filter(selectors.role_assignment_status_q(data["status"]))
    return form, qs.order_by("user__username", "role", "-valid_from")


@login_required
def role_list(request):
    require_permission(request.user, selectors.MANAGE_ROLES)
    form, qs = _filtered_assignments(request)
    export = request.GET.get("export")
    if export in {"xlsx", "csv"}:
        headers = [
            _("Nama pengguna"),
            _("Nama"),
            _("NIP"),
            _("Peran"),
            pgettext("role scope", "Cakupan"),
            _("Berlaku mulai"),
            _("Berlaku sampai"),
            _("Status"),
            _("Diberikan oleh"),
            _("Catatan"),
        ]
        rows = (
            [
                a.user.username,
                a.user.full_name,
                getattr(selectors.employee_of(a.user), "nip", "") or "",
                str(Role(a.role).label),
                a.scope_label,
                a.valid_from,
                a.valid_to,
                str(STATUS_LABELS[selectors.role_assignment_status(a)]),
                a.assigned_by.username if a.assigned_by_id else "",
                a.note,
            ]
            for a in qs.iterator(chunk_size=500)
        )
        return download(_("peran-pengguna"), headers, rows, fmt=export)
    page = paginate(request, qs)
    for assignment in page.object_list:
        assignment.status = selectors.role_assignment_status(assignment)
        assignment.status_label = STATUS_LABELS[assignment.status]
        assignment.can_end = assignment.status != "ended" and selectors.may_grant_role(
            request.user, assignment.role
        )
    return render(
        request,
        "accounts/role_list.html",
        {
            "page": page,
            "filters": form,
            "qs": querystring_without(request, "page", "export"),
        },
    )


@login_required
def role_create(request):
    require_permission(request.user, selectors.MANAGE_ROLES)
    form = RoleAssignForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            assignment = services.role_assign(
                actor=request.user,
                user=data["user"],
                role=data["role"],
                scope_region=data["scope_region"],
                scope_unit=data["scope_unit"],
                valid_from=data["valid_from"],
                valid_to=data["valid_to"],
                note=data["note"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Peran diberikan: %(a)s.") % {"a": assignment})
            return redirect("accounts:role_list")
    return render(request, "accounts/role_form.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def role_end(request, pk: int):
    assignment = selectors.role_assignment_get(request.user, pk)
    if not selectors.may_grant_role(request.user, assignment.role):
        raise Http404
    form = RoleEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.role_end(
                actor=request.user, assignment=assignment, last_day=form.cleaned_data["last_day"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if result is None:
                messages.success(request, _("Peran dibatalkan sebelum berlaku: %(a)s.") % {"a": assignment})
            else:
                messages.success(request, _("Peran diakhiri: %(a)s.") % {"a": result})
            return redirect("accounts:role_list")
    return render(
        request,
        "accounts/role_end.html",
        {"form": form, "assignment": assignment},
        status=400 if form.errors else 200,
    )


# --- account management (admin sistem) -------------------------------------------------------------------


@login_required
def user_list(request):
    qs = selectors.users_managed_by(request.user)
    form = UserFilterForm(request.GET or None)
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            qs = qs.filter(search_q(data["q"], ["username", "full_name", "employee__nip", "employee__name"]))
        if data["status"] == "active":
            qs = qs.filter(is_active=True)
        elif data["status"] == "inactive":
            qs = qs.filter(is_active=False)
        elif data["status"] == "locked":
            qs = qs.filter(username__in=selectors.locked_usernames())
    export = request.GET.get("export")
    if export in {"xlsx", "csv"}:
        headers = [_("Nama pengguna"), _("Nama"), _("Surel"), _("Aktif"), _("Terakhir masuk")]
        rows = (
            [u.username, u.full_name, u.email, _("ya") if u.is_active else _("tidak"), u.last_login]
            for u in qs.iterator(chunk_size=500)
        )
        return download(_("akun-pengguna"), headers, rows, fmt=export)
    return render(request, "accounts/user_list.html", {"filters": form, "page": paginate(request, qs)})


@login_required
def user_detail(request, pk: int):
    user = get_object_or_404(selectors.users_managed_by(request.user), pk=pk)
    return render(
        request,
        "accounts/user_detail.html",
        {
            "subject": user,
            "security": selectors.user_security(user),
            "reset_form": SecondFactorResetForm(),
        },
    )


@login_required
@require_POST
def user_action(request, pk: int, action: str):
    user = get_object_or_404(selectors.users_managed_by(request.user), pk=pk)
    reset_form = SecondFactorResetForm(request.POST if action == "reset-2fa" else None)
    try:
        if action in {"activate", "deactivate"}:
            services.user_set_active(actor=request.user, user=user, active=action == "activate")
            done = _("Akun diaktifkan.") if action == "activate" else _("Akun dinonaktifkan.")
            messages.success(request, done)
        elif action == "unlock":
            services.login_unlock(actor=request.user, user=user)
            messages.success(request, _("Kunci masuk dibuka. Pengguna dapat mencoba masuk lagi sekarang."))
        elif action == "reset-2fa":
            services.second_factor_reset(
                actor=request.user, user=user, reason=reset_form.data.get("reason", "")
            )
            messages.success(
                request,
                _("Faktor kedua diatur ulang. Saat masuk berikutnya pengguna memasang autentikator baru."),
            )
        else:
            raise Http404
    except ValidationError as exc:
        add_service_errors(reset_form, exc)
        return render(
            request,
            "accounts/user_detail.html",
            {"subject": user, "security": selectors.user_security(user), "reset_form": reset_form},
            status=400,
        )
    return redirect("accounts:user_detail", pk=user.pk)
