"""The shared records every module stands on: users and their roles with scopes, API tokens, the audit
trail, the personal-data read log, the working-day calendar's days off, background jobs, notifications,
and the abstract bases (timestamps, dated rules)."""

from __future__ import annotations

import uuid
from datetime import date

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from layan.core.roles import ASSIGNABLE_ROLES, Role


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    class Meta:
        abstract = True


class DatedRule(TimeStampedModel):
    """A rule governments change (caps, brackets, weights, SLAs, exclusivity): data with a validity period.

    Subclasses name the fields that make two rows "the same rule" in ``rule_key_fields``; two such rows
    may not be in force on the same day.
    """

    rule_key_fields: tuple[str, ...] = ()

    valid_from = models.DateField(_("berlaku mulai"))
    valid_to = models.DateField(_("berlaku sampai"), null=True, blank=True)
    legal_basis = models.CharField(_("dasar hukum"), max_length=255, blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        abstract = True

    def clean(self) -> None:
        super().clean()
        if self.valid_to and self.valid_from and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("Tanggal akhir berlaku tidak boleh sebelum tanggal mulai.")})
        if self.valid_from is None:
            return
        same_rule = type(self)._default_manager.filter(**{f: getattr(self, f) for f in self.rule_key_fields})
        if self.pk:
            same_rule = same_rule.exclude(pk=self.pk)
        overlap = same_rule.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=self.valid_from))
        if self.valid_to:
            overlap = overlap.filter(valid_from__lte=self.valid_to)
        if overlap.exists():
            first = overlap.order_by("valid_from").first()
            raise ValidationError(
                _("Masa berlaku bertumpang tindih dengan aturan yang berlaku mulai %(start)s.")
                % {"start": first.valid_from.strftime("%d-%m-%Y")}
            )

    @classmethod
    def in_force(cls, on: date, **key):
        """The rows of this rule in force on ``on`` (filtered by the key fields given)."""
        return cls._default_manager.filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=on), valid_from__lte=on, **key
        ).order_by("-valid_from")


class User(AbstractUser):
    """An account. Civil servants log in with their NIP (via their employee record) or a username."""

    full_name = models.CharField(_("nama lengkap"), max_length=150, blank=True)
    phone = models.CharField(_("telepon"), max_length=20, blank=True)
    language = models.CharField(_("bahasa"), max_length=5, choices=settings.LANGUAGES, default="id")
    is_demo = models.BooleanField(_("akun demo"), default=False)

    class Meta:
        ordering = ["username"]
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")

    def __str__(self) -> str:
        return self.full_name or self.username


class RoleAssignment(TimeStampedModel):
    """A role held by a user within a scope (a region code prefix or a unit subtree), for a period."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("peran"), max_length=32, choices=[(r.value, r.label) for r in ASSIGNABLE_ROLES])
    scope_region = models.CharField(
        _("cakupan wilayah"), max_length=13, blank=True, help_text=_("Kode wilayah, mis. 72.01.05")
    )
    scope_unit = models.ForeignKey(
        "org.Unit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("cakupan unit"),
    )
    valid_from = models.DateField(_("berlaku mulai"), default=date.today)
    valid_to = models.DateField(_("berlaku sampai"), null=True, blank=True)
    assigned_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    note = models.CharField(_("catatan"), max_length=255, blank=True)

    class Meta:
        ordering = ["user_id", "role", "valid_from"]
        constraints = [
            models.CheckConstraint(
                name="role_assignment_one_scope",
                condition=(Q(scope_region="") & Q(scope_unit__isnull=False))
                | (~Q(scope_region="") & Q(scope_unit__isnull=True)),
            ),
        ]
        indexes = [models.Index(fields=["user", "valid_from", "valid_to"])]

    def __str__(self) -> str:
        return f"{self.user} — {Role(self.role).label} ({self.scope_label})"

    @property
    def scope_label(self) -> str:
        return self.scope_region or (str(self.scope_unit) if self.scope_unit_id else "")

    def clean(self) -> None:
        if bool(self.scope_region) == bool(self.scope_unit_id):
            raise ValidationError(_("Isi salah satu cakupan: kode wilayah atau unit."))
        if self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("Tanggal akhir tidak boleh sebelum tanggal mulai.")})


class ApiToken(models.Model):
    """A bearer token for the mobile client. Only a hash of the key is stored; it expires."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("nama perangkat"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("kedaluwarsa"))
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


class AuditEvent(models.Model):
    """One write: who, what, the changed fields before/after (sensitive values masked), when, from where."""

    at = models.DateTimeField(_("waktu"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    actor_label = models.CharField(_("pelaku"), max_length=150, blank=True)
    action = models.CharField(_("aksi"), max_length=64, db_index=True)
    object_type = models.CharField(_("jenis objek"), max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(_("objek"), max_length=255, blank=True)
    changes = models.JSONField(_("perubahan"), default=dict, blank=True)
    note = models.TextField(_("catatan"), blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=255, blank=True)
    request_id = models.CharField(max_length=36, blank=True)
    subject_hash = models.CharField(
        max_length=64, blank=True, db_index=True, help_text="Keyed hash of the NIK this event concerns"
    )

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_repr}"


class PersonalDataRead(models.Model):
    """A view of a NIK/KK in clear or of a health record (UU 27/2022: every processing is recorded)."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    actor_label = models.CharField(max_length=150, blank=True)
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=255, blank=True)
    fields = models.JSONField(default=list)
    purpose = models.CharField(max_length=120)
    ip = models.GenericIPAddressField(null=True, blank=True)
    subject_hash = models.CharField(max_length=64, blank=True, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.object_repr}"


class DayOff(TimeStampedModel):
    """A day off beyond the national holidays (cuti bersama, a regional day off), or a national holiday
    cancelled for work (``is_off`` false). An empty ``region_prefix`` applies everywhere."""

    class Kind(models.TextChoices):
        CUTI_BERSAMA = "cuti_bersama", _("Cuti bersama")
        REGIONAL = "regional", _("Libur daerah")
        NATIONAL = "national", _("Libur nasional tambahan")
        WORKDAY = "workday", _("Hari kerja pengganti")

    date = models.DateField(_("tanggal"))
    name = models.CharField(_("keterangan"), max_length=150)
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices)
    region_prefix = models.CharField(_("wilayah"), max_length=13, blank=True)
    is_off = models.BooleanField(_("libur"), default=True)
    legal_basis = models.CharField(_("dasar hukum"), max_length=255, blank=True)
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["date", "region_prefix"]
        constraints = [models.UniqueConstraint(fields=["date", "region_prefix"], name="day_off_unique_date")]

    def __str__(self) -> str:
        return f"{self.date:%d-%m-%Y} {self.name}"


class Job(models.Model):
    """A long piece of background work with its progress, shown to the user who started it."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Menunggu")
        RUNNING = "running", _("Berjalan")
        DONE = "done", _("Selesai")
        FAILED = "failed", _("Gagal")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("jenis"), max_length=64)
    title = models.CharField(_("judul"), max_length=200)  # in the default language (search, admin)
    # The title as a stored message (core.stored_text): shown in each reader's language.
    title_message = models.JSONField(default=dict, blank=True)
    started_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="jobs"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    message = models.CharField(max_length=255, blank=True)
    params = models.JSONField(default=dict, blank=True)
    result = models.JSONField(default=dict, blank=True)
    result_file = models.FileField(upload_to="jobs/%Y/%m/", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_status_display()})"

    @property
    def title_shown(self) -> str:
        from layan.core.stored_text import shown

        return shown(self.title_message) if self.title_message else self.title

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return int(self.done * 100 / self.total) if self.total else 0

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}

    @property
    def result_rows(self) -> list[tuple[str, object]]:
        """The result as a person reads it: the figures whose key has a label (ids and lists stay in the
        JSON for the API)."""
        return [
            (str(JOB_RESULT_LABELS[key]), value)
            for key, value in (self.result or {}).items()
            if key in JOB_RESULT_LABELS and isinstance(value, int | float | str)
        ]


# Labels of the figures jobs put in ``Job.result`` (imports, exports, duplicate finding, training).
JOB_RESULT_LABELS = {
    "read": _("Baris dibaca"),
    "total": _("Baris dibaca"),
    "imported": _("Diimpor"),
    "created": _("Ditambahkan"),
    "updated": _("Diperbarui"),
    "attached": _("Digabung dengan data yang ada"),
    "unchanged": _("Tidak berubah"),
    "rejected": _("Ditolak"),
    "flagged": _("Ditandai"),
    "queued": _("Menunggu pemeriksaan"),
    "positions_created": _("Jabatan baru"),
    "records": _("Data dibandingkan"),
    "pairs_above_low": _("Pasangan yang dinilai"),
    "kept_decisions": _("Keputusan yang dipertahankan"),
    "compared_pairs": _("Pasangan dibandingkan"),
    "seconds": _("Waktu (detik)"),
    "lines": _("Baris"),
    "examples": _("Contoh"),
}


class Notification(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    title = models.CharField(max_length=200)
    # The title as a stored message (core.stored_text), when its sender made one: shown in the reader's
    # language. Older notifications, and senders that write ``title`` only, show ``title``.
    title_message = models.JSONField(default=dict, blank=True)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def title_shown(self) -> str:
        from layan.core.stored_text import shown

        return shown(self.title_message) if self.title_message else self.title
