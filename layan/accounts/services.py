"""Every write of the accounts app: users, role assignments, API tokens, second-factor devices.

Each function takes the acting user (``actor``; None only for management commands run by an operator),
validates, writes in one transaction, and leaves an audit event. Secrets (passwords, TOTP keys, backup
codes, token keys) never enter the audit trail.
"""

from __future__ import annotations

import secrets
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from layan.accounts import selectors
from layan.accounts.authentication import hash_token_key
from layan.core.audit import audit_write, snapshot
from layan.core.identifiers import normalize_digits, validate_region_code
from layan.core.models import ApiToken, RoleAssignment, User
from layan.core.roles import ASSIGNABLE_ROLES
from layan.core.scopes import has_permission
from layan.regions.selectors import region_exists

USER_AUDIT_FIELDS = ["id", "username", "full_name", "email", "phone", "is_active", "language", "is_demo"]
TOKEN_AUDIT_FIELDS = ["id", "user", "name", "prefix", "expires_at", "revoked_at"]
DEVICE_AUDIT_FIELDS = ["id", "user", "name", "confirmed"]
BACKUP_CODE_COUNT = 10


# --- users --------------------------------------------------------------------------------------------


def user_create(
    *,
    actor,
    username: str,
    full_name: str = "",
    email: str = "",
    phone: str = "",
    password: str | None = None,
    is_active: bool = True,
) -> User:
    """A new account. Without a password it gets a random one: the owner sets theirs by "lupa sandi"."""
    username = (username or "").strip()
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("Nama pengguna %(name)s sudah dipakai.") % {"name": username}})
    digits = normalize_digits(username)
    if len(digits) == 18 and digits.isdigit():
        # An 18-digit name would shadow the NIP login of some employee.
        raise ValidationError({"username": _("Nama pengguna tidak boleh berupa NIP (18 angka).")})
    with transaction.atomic():
        user = User(
            username=username,
            full_name=full_name.strip(),
            email=email.strip(),
            phone=phone.strip(),
            is_active=is_active,
        )
        if password:
            validate_password(password, user)
            user.set_password(password)
        else:
            user.set_password(secrets.token_urlsafe(32))
        user.full_clean()
        user.save()
        audit_write(actor=actor, action="user.create", instance=user, after=snapshot(user, USER_AUDIT_FIELDS))
    return user


def user_set_active(*, actor, user: User, active: bool) -> User:
    """Deactivating an account stops its logins and revokes its API tokens at once."""
    if actor is not None and actor.pk == user.pk and not active:
        raise ValidationError(_("Anda tidak dapat menonaktifkan akun Anda sendiri."))
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        before = snapshot(user, USER_AUDIT_FIELDS)
        if user.is_active == active:
            return user
        user.is_active = active
        user.full_clean()
        user.save(update_fields=["is_active"])
        if not active:
            _revoke_all_tokens(user)
        audit_write(
            actor=actor,
            action="user.activate" if active else "user.deactivate",
            instance=user,
            before=before,
            after=snapshot(user, USER_AUDIT_FIELDS),
        )
    return user


def user_password_changed(*, actor, user: User, how: str = "change") -> None:
    """After a password change or reset: other sessions end (Django), API tokens end (here), and a reset
    by e-mail clears the lockout counters (the owner proved who they are)."""
    with transaction.atomic():
        revoked = _revoke_all_tokens(user)
        audit_write(
            actor=actor,
            action=f"user.password_{how}",
            instance=user,
            note=_("%(n)s token API dicabut.") % {"n": revoked},
        )
    if how == "reset":
        from axes.utils import reset

        names = {user.username, user.username.lower()}
        employee = selectors.employee_of(user)
        if employee and employee.nip:
            names.add(employee.nip)
        for name in names:
            reset(username=name)


# --- role assignments ---------------------------------------------------------------------------------


def _check_granter(actor, *, role: str, scope_region: str = "", scope_unit=None, target_user=None) -> None:
    """The rules for who may grant or end what. ``actor`` None is an operator's management command."""
    if actor is None:
        return
    if not has_permission(actor, selectors.MANAGE_ROLES):
        raise PermissionDenied
    if not selectors.may_grant_role(actor, role):
        raise ValidationError({"role": _("Hanya admin sistem yang dapat memberi atau mengakhiri peran ini.")})
    if target_user is not None and target_user.pk == actor.pk:
        raise ValidationError({"user": _("Anda tidak dapat memberi peran kepada diri sendiri.")})
    if not selectors.scope_within_granter(actor, scope_region=scope_region, scope_unit=scope_unit):
        raise ValidationError(_("Cakupan ini berada di luar wilayah kewenangan Anda."))


def role_assign(
    *,
    actor,
    user: User,
    role: str,
    scope_region: str = "",
    scope_unit=None,
    valid_from: date | None = None,
    valid_to: date | None = None,
    note: str = "",
) -> RoleAssignment:
    scope_region = (scope_region or "").strip()
    today = timezone.localdate()
    valid_from = valid_from or today
    errors: dict[str, list[str]] = {}
    if role not in {r.value for r in ASSIGNABLE_ROLES}:
        errors.setdefault("role", []).append(
            _("Peran ini tidak dapat diberikan (pegawai dan atasan otomatis).")
        )
    if bool(scope_region) == (scope_unit is not None):
        errors.setdefault("__all__", []).append(_("Isi tepat satu cakupan: kode wilayah atau unit."))
    elif scope_region:
        try:
            validate_region_code(scope_region)
        except ValidationError as exc:
            errors.setdefault("scope_region", []).extend(exc.messages)
        else:
            if not region_exists(scope_region):
                errors.setdefault("scope_region", []).append(
                    _("Kode wilayah %(code)s tidak ditemukan.") % {"code": scope_region}
                )
    if valid_to is not None and valid_to < valid_from:
        errors.setdefault("valid_to", []).append(_("Tanggal akhir tidak boleh sebelum tanggal mulai."))
    elif valid_to is not None and valid_to < today:
        errors.setdefault("valid_to", []).append(_("Tanggal akhir sudah lewat."))
    if not user.is_active:
        errors.setdefault("user", []).append(_("Akun ini tidak aktif."))
    if errors:
        raise ValidationError(errors)
    _check_granter(actor, role=role, scope_region=scope_region, scope_unit=scope_unit, target_user=user)

    with transaction.atomic():
        # Lock the user's rows so two admins granting the same role at once cannot both pass the check.
        list(User.objects.select_for_update().filter(pk=user.pk))
        overlap = RoleAssignment.objects.filter(
            user=user, role=role, scope_region=scope_region, scope_unit=scope_unit
        ).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=valid_from))
        if valid_to is not None:
            overlap = overlap.filter(valid_from__lte=valid_to)
        if overlap.exists():
            raise ValidationError(
                _("Peran yang sama dengan cakupan yang sama sudah berlaku pada tanggal itu.")
            )
        assignment = RoleAssignment(
            user=user,
            role=role,
            scope_region=scope_region,
            scope_unit=scope_unit,
            valid_from=valid_from,
            valid_to=valid_to,
            note=note.strip(),
            assigned_by=actor if getattr(actor, "pk", None) else None,
        )
        assignment.full_clean()
        assignment.save()
        audit_write(actor=actor, action="role.assign", instance=assignment, after=snapshot(assignment))
    return assignment


def role_end(*, actor, assignment: RoleAssignment, last_day: date | None = None) -> RoleAssignment | None:
    """End an assignment. Without ``last_day`` it ends now (its last day was yesterday).

    An assignment that would end before it starts never took effect: it is cancelled (deleted, with the
    whole record kept in the audit trail) rather than given an impossible validity period. Returns the
    ended assignment, or None when it was cancelled."""
    today = timezone.localdate()
    last_day = last_day if last_day is not None else today - timedelta(days=1)
    if last_day < today - timedelta(days=1):
        raise ValidationError({"last_day": _("Tanggal terakhir tidak boleh di masa lalu.")})
    _check_granter(
        actor, role=assignment.role, scope_region=assignment.scope_region, scope_unit=assignment.scope_unit
    )
    with transaction.atomic():
        assignment = RoleAssignment.objects.select_for_update().get(pk=assignment.pk)
        if assignment.valid_to is not None and assignment.valid_to < today:
            raise ValidationError(_("Peran ini sudah berakhir."))
        if assignment.valid_to is not None and assignment.valid_to <= last_day:
            raise ValidationError({"last_day": _("Peran ini sudah dijadwalkan berakhir lebih awal.")})
        before = snapshot(assignment)
        if last_day < assignment.valid_from:
            audit_write(actor=actor, action="role.cancel", instance=assignment, before=before)
            assignment.delete()
            return None
        assignment.valid_to = last_day
        assignment.full_clean()
        assignment.save(update_fields=["valid_to", "updated_at"])
        audit_write(
            actor=actor, action="role.end", instance=assignment, before=before, after=snapshot(assignment)
        )
    return assignment


# --- API tokens ---------------------------------------------------------------------------------------


def api_token_issue(*, actor: User, name: str = "") -> tuple[ApiToken, str]:
    """A new bearer token for ``actor``. The key is returned once; only its sha256 is stored."""
    key = secrets.token_urlsafe(32)
    days = getattr(settings, "LAYAN_API_TOKEN_DAYS", 30)
    with transaction.atomic():
        token = ApiToken(
            user=actor,
            name=(name or "").strip()[:100] or _("Aplikasi seluler"),
            key_hash=hash_token_key(key),
            prefix=key[:8],
            expires_at=timezone.now() + timedelta(days=days),
        )
        token.full_clean()
        token.save()
        audit_write(
            actor=actor, action="api_token.issue", instance=token, after=snapshot(token, TOKEN_AUDIT_FIELDS)
        )
    return token, key


def api_token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    if token.user_id != actor.pk:
        raise PermissionDenied
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is not None:
            return token
        before = snapshot(token, TOKEN_AUDIT_FIELDS)
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_write(
            actor=actor,
            action="api_token.revoke",
            instance=token,
            before=before,
            after=snapshot(token, TOKEN_AUDIT_FIELDS),
        )
    return token


def _revoke_all_tokens(user: User) -> int:
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())


# --- second factor ------------------------------------------------------------------------------------


def totp_device_start(*, actor: User) -> TOTPDevice:
    """A fresh, unconfirmed authenticator for ``actor`` (earlier unfinished set-ups are discarded)."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=actor, confirmed=False).delete()
        device = TOTPDevice(user=actor, name=_("Aplikasi autentikator"), confirmed=False)
        device.full_clean()
        device.save()
        audit_write(
            actor=actor, action="otp.totp_start", instance=device, after=snapshot(device, DEVICE_AUDIT_FIELDS)
        )
    return device


def totp_device_confirm(*, actor: User, device: TOTPDevice, token: str) -> list[str]:
    """Confirm the authenticator with a code it shows; it replaces any older one. Returns new backup codes."""
    if device.user_id != actor.pk or device.confirmed:
        raise PermissionDenied
    token = normalize_digits(token)
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        if not device.verify_token(token):
            raise ValidationError(
                {"token": _("Kode tidak cocok. Periksa jam ponsel Anda lalu coba kode terbaru.")}
            )
        TOTPDevice.objects.filter(user=actor, confirmed=True).exclude(pk=device.pk).delete()
        before = snapshot(device, DEVICE_AUDIT_FIELDS)
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        audit_write(
            actor=actor,
            action="otp.totp_confirm",
            instance=device,
            before=before,
            after=snapshot(device, DEVICE_AUDIT_FIELDS),
        )
        codes = backup_codes_regenerate(actor=actor)
    return codes


def backup_codes_regenerate(*, actor: User) -> list[str]:
    """Ten single-use backup codes; older ones stop working. The codes are shown to the owner once."""
    with transaction.atomic():
        StaticDevice.objects.filter(user=actor).delete()
        device = StaticDevice.objects.create(user=actor, name=_("Kode cadangan"), confirmed=True)
        codes = [StaticToken.random_token() for _i in range(BACKUP_CODE_COUNT)]
        StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
        audit_write(
            actor=actor,
            action="otp.backup_codes",
            instance=device,
            after=snapshot(device, DEVICE_AUDIT_FIELDS),
            note=_("%(n)s kode cadangan baru.") % {"n": len(codes)},
        )
    return codes


# --- help for someone who cannot log in (admin sistem) ----------------------------------------------------


def second_factor_reset(*, actor: User, user: User, reason: str) -> None:
    """A lost phone without backup codes: remove the user's authenticators and backup codes and end their
    sessions, so that the next login asks them to set up a new authenticator. Needs a written reason."""
    reason = (reason or "").strip()
    if len(reason) < 10:
        raise ValidationError({"reason": _("Tuliskan alasan (minimal 10 karakter), misalnya nomor tiket.")})
    if actor is not None and actor.pk == user.pk:
        raise ValidationError(_("Faktor kedua akun Anda sendiri diatur ulang oleh admin sistem lain."))
    with transaction.atomic():
        devices = list(TOTPDevice.objects.filter(user=user)) + list(StaticDevice.objects.filter(user=user))
        for device in devices:
            before = snapshot(device, DEVICE_AUDIT_FIELDS)
            device.delete()
            audit_write(actor=actor, action="otp.reset", instance=device, before=before, note=reason)
        _end_sessions(user)
        revoked = _revoke_all_tokens(user)
        # Always one row on the account itself: sessions ended and tokens revoked even without devices.
        audit_write(
            actor=actor,
            action="user.second_factor_reset",
            instance=user,
            note=f"{reason} ({len(devices)} perangkat, {revoked} token dicabut)",
        )


def login_unlock(*, actor: User, user: User) -> int:
    """Lift a lockout after the owner was identified (by phone or in person); returns attempts cleared."""
    from axes.models import AccessAttempt

    with transaction.atomic():
        cleared, _details = AccessAttempt.objects.filter(username=user.username).delete()
        audit_write(
            actor=actor,
            action="user.unlock",
            instance=user,
            note=_("%(n)s catatan percobaan gagal dihapus.") % {"n": cleared},
        )
    return cleared


def _end_sessions(user: User) -> None:
    # Sessions live in the database (or cache) without a user index: decode only those still valid.
    from django.contrib.sessions.models import Session

    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator(chunk_size=500):
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            session.delete()
