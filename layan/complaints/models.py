"""Complaints and public service (DOMAIN.md "Complaints and public service").

Every inbound message is kept as received (InboundMessage); a case (Case) has a tracking code, a kind,
a category routed to a unit, a protected reporter, a state machine, SLA clocks counted in working days
from layan.core.calendar (rules as dated data: SlaRule), a timeline (CaseEvent) that separates public
replies from internal notes, attachments checked by content, followers and a satisfaction rating.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from layan.core.models import DatedRule, TimeStampedModel
from layan.core.personal_data import EncryptedTextField
from layan.core.scopes import ScopePaths

# No 0/O, 1/I/L: a code read over the phone or copied from a screenshot must not be misread.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_RE = r"LYN-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{2}"


def new_tracking_code() -> str:
    """``LYN-7K3Q-9P``: 31^6 ≈ 887 million codes drawn at random, so they cannot be enumerated."""
    body = "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))
    return f"LYN-{body[:4]}-{body[4:]}"


class Kind(models.TextChoices):
    PENGADUAN = "pengaduan", _("Pengaduan")
    ASPIRASI = "aspirasi", _("Aspirasi")
    INFORMASI = "informasi", _("Permintaan informasi")


class Channel(models.TextChoices):
    WEB = "web", _("Situs web")
    EMAIL = "email", _("Surel")
    PHONE = "phone", _("Telepon")
    WALK_IN = "walk_in", _("Datang langsung")
    WHATSAPP = "whatsapp", _("WhatsApp")
    SMS = "sms", _("SMS")
    TWITTER = "twitter", _("X/Twitter")
    FACEBOOK = "facebook", _("Facebook")
    INSTAGRAM = "instagram", _("Instagram")
    OPEN311 = "open311", _("Open311")
    API = "api", _("API")


class State(models.TextChoices):
    BARU = "baru", _("Baru")
    DIVERIFIKASI = "diverifikasi", _("Diverifikasi")
    DIDISPOSISIKAN = "didisposisikan", _("Didisposisikan")
    DIPROSES = "diproses", _("Diproses")
    MENUNGGU_PELAPOR = "menunggu_pelapor", _("Menunggu pelapor")
    SELESAI = "selesai", pgettext_lazy("complaint state", "Selesai")
    DITUTUP = "ditutup", _("Ditutup")
    DITOLAK = "ditolak", _("Ditolak")
    BUKAN_WEWENANG = "bukan_wewenang", _("Bukan wewenang")
    DUPLIKAT = "duplikat", pgettext_lazy("complaint state", "Duplikat")


OPEN_STATES = frozenset(
    {State.BARU, State.DIVERIFIKASI, State.DIDISPOSISIKAN, State.DIPROSES, State.MENUNGGU_PELAPOR}
)
FINAL_STATES = frozenset({State.DITUTUP, State.DITOLAK, State.BUKAN_WEWENANG, State.DUPLIKAT})


class Clock(models.TextChoices):
    """Which SLA clock is running now (``Case.due_at`` is its due time)."""

    NONE = "", _("Tidak berjalan")
    VERIFY = "verify", _("Verifikasi")
    ANSWER = "answer", _("Tanggapan")
    RESOLVE = "resolve", _("Penyelesaian")
    AUTO_CLOSE = "auto_close", _("Tutup otomatis")


class Category(TimeStampedModel):
    """A complaint category; admins edit them and map each to the unit that handles it."""

    code = models.SlugField(_("kode"), max_length=32, unique=True)
    name = models.CharField(_("nama"), max_length=120)
    description = models.CharField(_("keterangan"), max_length=255, blank=True)
    unit = models.ForeignKey(
        "org.Unit",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="complaint_categories",
        verbose_name=_("unit penanggung jawab"),
    )
    sort_order = models.PositiveSmallIntegerField(_("urutan"), default=100)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("kategori pengaduan")
        verbose_name_plural = _("kategori pengaduan")

    def __str__(self) -> str:
        return self.name


class SlaRule(DatedRule):
    """SLA in working days, per kind and category (blank = every kind / every category).

    The most specific rule in force wins: (kind, category) > (kind, -) > (-, category) > (-, -)."""

    rule_key_fields = ("kind", "category")

    kind = models.CharField(_("jenis"), max_length=12, choices=Kind.choices, blank=True)
    category = models.ForeignKey(
        Category,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="sla_rules",
        verbose_name=_("kategori"),
    )
    verify_days = models.PositiveSmallIntegerField(
        _("verifikasi (hari kerja)"), default=3, validators=[MinValueValidator(1)]
    )
    answer_days = models.PositiveSmallIntegerField(
        _("tanggapan (hari kerja)"), default=5, validators=[MinValueValidator(1)]
    )
    auto_close_days = models.PositiveSmallIntegerField(
        _("tutup otomatis setelah jawaban (hari kerja)"), default=10, validators=[MinValueValidator(1)]
    )
    resolve_days = models.PositiveSmallIntegerField(
        _("penyelesaian (hari kerja)"), default=60, validators=[MinValueValidator(1)]
    )
    escalate_after_days = models.PositiveSmallIntegerField(
        _("eskalasi ke pimpinan setelah terlambat (hari kerja)"), default=2
    )

    class Meta:
        ordering = ["kind", "category_id", "-valid_from"]
        verbose_name = _("aturan SLA")
        verbose_name_plural = _("aturan SLA")
        constraints = [
            models.CheckConstraint(
                name="sla_days_positive",
                condition=Q(
                    verify_days__gte=1, answer_days__gte=1, auto_close_days__gte=1, resolve_days__gte=1
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"SLA {self.kind or '*'} / {self.category or '*'} ({self.valid_from})"


class Case(TimeStampedModel):
    code = models.CharField(
        _("kode lacak"), max_length=12, unique=True, default=new_tracking_code, editable=False
    )
    kind = models.CharField(_("jenis"), max_length=12, choices=Kind.choices, default=Kind.PENGADUAN)
    category = models.ForeignKey(
        Category,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("kategori"),
        db_index=False,  # the (category, state) index serves it
    )
    channel = models.CharField(_("saluran"), max_length=12, choices=Channel.choices, default=Channel.WEB)
    title = models.CharField(_("judul"), max_length=200)
    description = models.TextField(_("uraian"))
    # The desa/kelurahan when known, else the kabupaten: every case lies inside the kabupaten's code.
    region_code = models.CharField(_("kode wilayah"), max_length=13, db_index=True)
    location_detail = models.CharField(_("detail lokasi"), max_length=255, blank=True)
    latitude = models.DecimalField(
        _("lintang"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("bujur"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    occurred_on = models.DateField(_("tanggal kejadian"), null=True, blank=True)

    reporter_name = EncryptedTextField(_("nama pelapor"), blank=True)
    reporter_email = EncryptedTextField(_("surel pelapor"), blank=True)
    reporter_phone = EncryptedTextField(_("telepon pelapor"), blank=True)
    # Keyed hashes of the contact: threading repeat messages and rate limits without decrypting.
    contact_hash = models.CharField(max_length=64, blank=True, editable=False)  # (contact_hash, state) index
    is_anonymous = models.BooleanField(
        _("anonim"), default=False, help_text=_("Identitas pelapor tidak ditampilkan ke unit maupun publik.")
    )
    is_confidential = models.BooleanField(
        _("rahasia"), default=False, help_text=_("Isi laporan tidak ditampilkan ke publik.")
    )

    state = models.CharField(
        _("status"), max_length=16, choices=State.choices, default=State.BARU
    )  # indexed with due_at: the SLA sweep and every state filter use (state, due_at)
    state_before_pause = models.CharField(max_length=16, choices=State.choices, blank=True)
    reject_reason = models.TextField(_("alasan"), blank=True)
    redirect_to = models.CharField(_("instansi yang berwenang"), max_length=255, blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="duplicates",
        verbose_name=_("duplikat dari"),
    )

    assigned_unit = models.ForeignKey(
        "org.Unit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaint_cases",
        verbose_name=_("unit"),
        db_index=False,  # the (assigned_unit, state) index serves it
    )
    assigned_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="complaint_cases",
        verbose_name=_("petugas"),
    )
    suggested_category = models.ForeignKey(
        Category,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("saran kategori"),
    )
    suggested_confidence = models.FloatField(null=True, blank=True)

    # SLA: each due time is the end of a working day in the region's zone (layan.core.calendar).
    received_at = models.DateTimeField(_("diterima"))
    verified_at = models.DateTimeField(null=True, blank=True)
    routed_at = models.DateTimeField(null=True, blank=True)
    first_answer_at = models.DateTimeField(_("tanggapan pertama"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("diselesaikan"), null=True, blank=True)
    closed_at = models.DateTimeField(_("ditutup"), null=True, blank=True)
    verify_due = models.DateTimeField(_("batas verifikasi"), null=True, blank=True)
    answer_due = models.DateTimeField(_("batas tanggapan"), null=True, blank=True)
    resolve_due = models.DateTimeField(_("batas penyelesaian"), null=True, blank=True)
    close_due = models.DateTimeField(_("tutup otomatis"), null=True, blank=True)
    # The clock running now and its due time, kept by the services so that the overdue view and the
    # sweep are one indexed query over hundreds of thousands of open cases.
    clock = models.CharField(max_length=12, choices=Clock.choices, blank=True, default=Clock.VERIFY)
    due_at = models.DateTimeField(_("jatuh tempo"), null=True, blank=True, db_index=True)
    paused_at = models.DateTimeField(null=True, blank=True)
    paused_working_days = models.PositiveIntegerField(_("hari kerja ditunda"), default=0)
    escalation_level = models.PositiveSmallIntegerField(_("tingkat eskalasi"), default=0)

    rating = models.PositiveSmallIntegerField(
        _("kepuasan"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    rating_comment = models.TextField(_("komentar penilaian"), blank=True)
    rated_at = models.DateTimeField(null=True, blank=True)

    client_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope_paths = ScopePaths(region="region_code", unit="assigned_unit__path")

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("laporan")
        verbose_name_plural = _("laporan")
        indexes = [
            models.Index(fields=["state", "due_at"]),
            models.Index(fields=["assigned_unit", "state"]),
            models.Index(fields=["category", "state"]),
            models.Index(fields=["contact_hash", "state"]),
        ]
        constraints = [
            models.CheckConstraint(
                name="case_rating_range", condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5)
            ),
            models.CheckConstraint(
                name="case_latitude_range",
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
            ),
            models.CheckConstraint(
                name="case_longitude_range",
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
            ),
            models.CheckConstraint(
                name="case_duplicate_has_original",
                condition=~Q(state="duplikat") | Q(duplicate_of__isnull=False),
            ),
            models.CheckConstraint(name="case_not_own_duplicate", condition=~Q(duplicate_of=models.F("id"))),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def is_paused(self) -> bool:
        return self.paused_at is not None

    @property
    def public_title(self) -> str:
        return self.title

    @property
    def reporter_label(self) -> str:
        """What a unit officer sees of the reporter: nothing when anonymous."""
        if self.is_anonymous:
            return str(_("Anonim"))
        return self.reporter_name or str(_("(tanpa nama)"))


class CaseFollower(TimeStampedModel):
    """A citizen who follows a case (the reporter of a duplicate, or someone who chose "ikuti saja")."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="followers")
    email = EncryptedTextField(_("surel"), blank=True)
    phone = EncryptedTextField(_("telepon"), blank=True)
    contact_hash = models.CharField(max_length=64, db_index=True, editable=False)
    source_case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    scope_paths = ScopePaths(region="case__region_code", unit="case__assigned_unit__path")

    class Meta:
        ordering = ["case_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "contact_hash"], name="follower_unique_contact")
        ]

    def __str__(self) -> str:
        return f"{self.case.code} follower"


class CaseEvent(models.Model):
    """One entry of a case's timeline. ``is_public`` entries are what the citizen sees."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Laporan diterima")
        VERIFIED = "verified", _("Diverifikasi")
        ROUTED = "routed", _("Didisposisikan")
        ASSIGNED = "assigned", _("Ditugaskan")
        REPLY = "reply", _("Tanggapan")
        NOTE = "note", _("Catatan internal")
        INFO_REQUESTED = "info_requested", _("Meminta keterangan pelapor")
        CITIZEN_REPLY = "citizen_reply", _("Balasan pelapor")
        RESOLVED = "resolved", _("Diselesaikan")
        CLOSED = "closed", _("Ditutup")
        REOPENED = "reopened", _("Dibuka kembali")
        REJECTED = "rejected", _("Ditolak")
        DUPLICATE = "duplicate", pgettext_lazy("complaint event", "Ditandai duplikat")
        RATED = "rated", _("Dinilai")
        ESCALATED = "escalated", _("Eskalasi")
        MESSAGE = "message", _("Pesan masuk")

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="events", db_index=False
    )  # (case, at)
    at = models.DateTimeField(_("waktu"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(_("jenis"), max_length=16, choices=Kind.choices)
    is_public = models.BooleanField(_("terlihat pelapor"), default=False)
    body = models.TextField(_("isi"), blank=True)
    from_state = models.CharField(max_length=16, blank=True)
    to_state = models.CharField(max_length=16, blank=True)
    data = models.JSONField(default=dict, blank=True)

    scope_paths = ScopePaths(region="case__region_code", unit="case__assigned_unit__path")

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["case", "at"])]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"


def attachment_path(instance, filename: str) -> str:
    # A random name: the citizen's file name may carry personal data and must not be guessable.
    ext = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp", "application/pdf": "pdf"}.get(
        instance.content_type, "bin"
    )
    return f"complaints/{secrets.token_hex(2)}/{secrets.token_urlsafe(18)}.{ext}"


class Attachment(TimeStampedModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    event = models.ForeignKey(CaseEvent, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    file = models.FileField(_("berkas"), upload_to=attachment_path)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    is_public = models.BooleanField(_("boleh publik"), default=False)

    scope_paths = ScopePaths(region="case__region_code", unit="case__assigned_unit__path")

    class Meta:
        ordering = ["case_id", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.content_type} {self.size} B"


class InboundMessage(TimeStampedModel):
    """A message as received from a channel, kept even when it becomes (part of) a case."""

    class Status(models.TextChoices):
        NEW = "new", _("Baru")
        THREADED = "threaded", _("Masuk ke laporan terbuka")
        CONVERTED = "converted", _("Dijadikan laporan")
        MERGED = "merged", _("Digabung ke laporan")
        ANSWERED = "answered", _("Dijawab langsung")
        IGNORED = "ignored", _("Diabaikan")

    channel = models.CharField(_("saluran"), max_length=12, choices=Channel.choices)
    external_id = models.CharField(_("ID dari saluran"), max_length=255)
    sender = EncryptedTextField(_("pengirim"), blank=True)
    sender_name = EncryptedTextField(_("nama pengirim"), blank=True)
    sender_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    subject = models.CharField(_("subjek"), max_length=255, blank=True)
    body = EncryptedTextField(_("isi"), blank=True)
    raw = EncryptedTextField(_("data asli"), blank=True)
    received_at = models.DateTimeField(_("diterima"), db_index=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.NEW)
    case = models.ForeignKey(
        Case,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="messages",
        verbose_name=_("laporan"),
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answer = models.TextField(_("jawaban"), blank=True)
    # Messages belong to the kabupaten's verifiers until they join a case; then the case's unit sees them
    # too. (A unit path, so that unit-scoped officers never fall back to the whole region.)
    region_code = models.CharField(max_length=13, db_index=True)

    scope_paths = ScopePaths(region="region_code", unit="case__assigned_unit__path")

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["channel", "external_id"], name="inbound_unique_external_id"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.received_at:%Y-%m-%d %H:%M}"


class Open311Client(TimeStampedModel):
    """An application allowed to POST service requests through Open311 (its api_key, stored hashed)."""

    name = models.CharField(_("nama aplikasi"), max_length=120)
    key_hash = models.CharField(max_length=64, unique=True)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ResponseTemplate(TimeStampedModel):
    """A ready answer offered to officers when they act on a case in a given state (admins edit them).

    ``{kode}``, ``{unit}`` and ``{kategori}`` in the body are filled in from the case when offered."""

    class Action(models.TextChoices):
        REPLY = "reply", _("Tanggapan")
        RESOLVE = "resolve", _("Penyelesaian")
        REQUEST_INFO = "request_info", _("Minta keterangan pelapor")
        REJECT = "reject", _("Penolakan")

    name = models.CharField(_("nama templat"), max_length=120)
    state = models.CharField(_("ditawarkan pada status"), max_length=16, choices=State.choices)
    action = models.CharField(_("dipakai untuk"), max_length=14, choices=Action.choices, default=Action.REPLY)
    body = models.TextField(_("isi"), max_length=5000)
    is_active = models.BooleanField(_("aktif"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("urutan"), default=100)

    class Meta:
        ordering = ["state", "sort_order", "name"]
        verbose_name = _("templat tanggapan")
        verbose_name_plural = _("templat tanggapan")
        constraints = [
            models.UniqueConstraint(fields=["state", "action", "name"], name="response_template_unique_name")
        ]

    def __str__(self) -> str:
        return self.name

    def render_for(self, case: Case) -> str:
        values = {
            "kode": case.code,
            "unit": str(case.assigned_unit or ""),
            "kategori": str(case.category or ""),
        }
        text = self.body
        # Plain replacement (not str.format): an admin's stray brace must never break the case page.
        for key, value in values.items():
            text = text.replace("{" + key + "}", value)
        return text
