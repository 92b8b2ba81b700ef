"""Social aid (bansos) and ASN Peduli: the resident registry (people and families by KK), the sources a
person was imported from, programs and their dated exclusivity rules, enrolment/distribution rounds
with a frozen list, handovers with photo evidence, and suspected duplicate people.

Every model that holds personal data is scoped by the desa code of the person (``desa_id``): a desa
operator sees their desa, a camat their kecamatan (layan.core.scopes).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop as N_

from layan.core.models import DatedRule, TimeStampedModel
from layan.core.personal_data import EncryptedTextField, KkField, NikField
from layan.core.scopes import ScopePaths


class Sex(models.TextChoices):
    L = "L", _("Laki-laki")
    P = "P", _("Perempuan")


class Relation(models.TextChoices):
    KEPALA = "kepala", _("Kepala keluarga")
    SUAMI = "suami", _("Suami")
    ISTRI = "istri", _("Istri")
    ANAK = "anak", _("Anak")
    MENANTU = "menantu", _("Menantu")
    CUCU = "cucu", _("Cucu")
    ORANG_TUA = "orang_tua", _("Orang tua")
    MERTUA = "mertua", _("Mertua")
    FAMILI = "famili", _("Famili lain")
    LAINNYA = "lainnya", _("Lainnya")


# Vulnerability flags: name of the boolean field on Resident -> import column -> label.
VULNERABILITY_FLAGS = [
    ("is_elderly", "lansia", _("Lansia")),
    ("has_disability", "disabilitas", _("Penyandang disabilitas")),
    ("has_chronic_illness", "sakit_kronis", _("Sakit kronis")),
    ("lost_job", "kehilangan_pekerjaan", _("Kehilangan pekerjaan")),
    ("is_female_head", "kepala_keluarga_perempuan", _("Kepala keluarga perempuan")),
]


# A member with any vulnerability flag; also the condition of the partial index that coverage uses.
VULNERABLE_MEMBER_Q = (
    Q(is_elderly=True)
    | Q(has_disability=True)
    | Q(has_chronic_illness=True)
    | Q(lost_job=True)
    | Q(is_female_head=True)
)


class Family(TimeStampedModel):
    """A family card (Kartu Keluarga). Members are the residents whose current ``family`` is this one."""

    kk = KkField(_("nomor KK"))
    desa = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("desa")
    )
    address = models.CharField(_("alamat"), max_length=255, blank=True)
    head = models.ForeignKey(
        "Resident",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("kepala keluarga"),
    )

    scope_paths = ScopePaths(region="desa__code")

    class Meta:
        ordering = ["desa_id", "id"]
        verbose_name = _("keluarga")
        verbose_name_plural = _("keluarga")
        constraints = [
            models.UniqueConstraint(
                fields=["kk_hash"],
                condition=~Q(kk_hash=""),
                name="aid_family_unique_kk",
                violation_error_message=_("Nomor KK ini sudah terdaftar."),
            ),
        ]

    def __str__(self) -> str:
        head = self.head.name if self.head_id and self.head else ""
        return _("KK %(head)s") % {"head": head} if head else _("KK #%(id)s") % {"id": self.pk}


class Resident(TimeStampedModel):
    """A person in the aid registry. The NIK may be missing or disagree with the record (flagged)."""

    nik = NikField(_("NIK"))
    name = models.CharField(_("nama"), max_length=150)
    # Normalised name (names.normalise_name): what search and duplicate finding compare. Indexed with the
    # desa only: search is by words inside the name (LIKE '%…%'), which a plain index cannot serve, and
    # every index costs the bulk import a random insert per row.
    name_key = models.CharField(max_length=150, editable=False, default="")
    sex = models.CharField(_("jenis kelamin"), max_length=1, choices=Sex.choices)
    birth_place = models.CharField(_("tempat lahir"), max_length=100, blank=True)
    birth_date = models.DateField(_("tanggal lahir"))
    family = models.ForeignKey(
        Family,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
        verbose_name=_("keluarga"),
    )
    relation = models.CharField(_("hubungan keluarga"), max_length=12, choices=Relation.choices, blank=True)
    address = models.CharField(_("alamat"), max_length=255, blank=True)
    rt = models.CharField(_("RT"), max_length=3, blank=True)
    rw = models.CharField(_("RW"), max_length=3, blank=True)
    desa = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("desa"),
        db_index=False,  # the (desa, name_key) index serves every desa lookup; one index less per import row
    )
    occupation = models.CharField(_("pekerjaan"), max_length=100, blank=True)
    phone = EncryptedTextField(_("telepon"), blank=True)
    is_elderly = models.BooleanField(_("lansia"), default=False)
    has_disability = models.BooleanField(_("penyandang disabilitas"), default=False)
    has_chronic_illness = models.BooleanField(_("sakit kronis"), default=False)
    lost_job = models.BooleanField(_("kehilangan pekerjaan"), default=False)
    is_female_head = models.BooleanField(_("kepala keluarga perempuan"), default=False)
    # Disagreements between the NIK and the record (sex, birth date), a missing NIK/KK: flagged, not rejected.
    data_warnings = models.JSONField(_("peringatan data"), default=list, blank=True)

    scope_paths = ScopePaths(region="desa__code")

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("penduduk")
        verbose_name_plural = _("penduduk")
        indexes = [
            models.Index(fields=["desa", "name_key"]),
            # Families with a vulnerable member, for "vulnerable and receiving nothing" (coverage pages).
            models.Index(fields=["family"], condition=VULNERABLE_MEMBER_Q, name="aid_resident_vulnerable"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_vulnerable(self) -> bool:
        return any(getattr(self, field) for field, _col, _label in VULNERABILITY_FLAGS)

    @property
    def vulnerability_labels(self) -> list[str]:
        return [str(label) for field, _col, label in VULNERABILITY_FLAGS if getattr(self, field)]


class FamilyMembership(models.Model):
    """Which family a resident belonged to, when: a person moves between KKs and the past stays."""

    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="memberships")
    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="memberships")
    relation = models.CharField(_("hubungan keluarga"), max_length=12, choices=Relation.choices, blank=True)
    valid_from = models.DateField(_("sejak"))
    valid_to = models.DateField(_("sampai"), null=True, blank=True)

    class Meta:
        ordering = ["resident_id", "valid_from", "id"]
        constraints = [
            # One person is on exactly one KK at a time (DOMAIN.md "Identifiers").
            models.UniqueConstraint(
                fields=["resident"], condition=Q(valid_to__isnull=True), name="aid_membership_one_current"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.resident_id} @ {self.family_id} ({self.valid_from})"


class ResidentImport(TimeStampedModel):
    """One uploaded list (a DTKS extract, a village list) and what became of its rows."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Menunggu")
        DONE = "done", _("Selesai")
        FAILED = "failed", _("Gagal")

    source = models.CharField(_("sumber data"), max_length=100)
    file_name = models.CharField(_("nama berkas"), max_length=255)
    file_sha256 = models.CharField(max_length=64, db_index=True)
    # The file itself, encrypted (it holds NIKs) and kept until the job has read it.
    content = EncryptedTextField(blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The uploader's area at upload time: the import and its rejected rows are visible within it.
    scope_region = models.CharField(_("wilayah"), max_length=13, blank=True)
    job = models.OneToOneField("core.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    rows_read = models.PositiveIntegerField(_("dibaca"), default=0)
    imported = models.PositiveIntegerField(_("diimpor"), default=0)
    attached = models.PositiveIntegerField(_("digabung ke orang yang ada"), default=0)
    unchanged = models.PositiveIntegerField(_("sudah ada"), default=0)
    rejected = models.PositiveIntegerField(_("ditolak"), default=0)
    flagged = models.PositiveIntegerField(_("ditandai untuk diperiksa"), default=0)
    message = models.CharField(max_length=255, blank=True)

    scope_paths = ScopePaths(region="scope_region", owner="uploaded_by")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("impor penduduk")
        verbose_name_plural = _("impor penduduk")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.source})"


class RejectedRow(models.Model):
    """A row that was not imported, kept with its reasons for download and correction."""

    resident_import = models.ForeignKey(
        ResidentImport, on_delete=models.CASCADE, related_name="rejected_rows"
    )
    row_number = models.PositiveIntegerField(_("baris"))
    # The row as it was (column -> text), encrypted: it holds a NIK.
    data = EncryptedTextField()
    reasons = models.JSONField(_("alasan"), default=list)

    class Meta:
        ordering = ["resident_import_id", "row_number"]

    def __str__(self) -> str:
        return f"{self.resident_import_id}:{self.row_number}"


class SourceRecord(models.Model):
    """A source's own row id attached to the person it describes (one person may have several)."""

    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="source_records")
    source = models.CharField(_("sumber"), max_length=100)
    source_id = models.CharField(_("id sumber"), max_length=100)
    # Hash of the row's identifying details: the same row imported again changes nothing.
    row_hash = models.CharField(max_length=64)
    resident_import = models.ForeignKey(
        ResidentImport, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    scope_paths = ScopePaths(region="resident__desa__code")

    class Meta:
        ordering = ["source", "source_id"]
        constraints = [
            models.UniqueConstraint(fields=["source", "source_id"], name="aid_source_record_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.source}:{self.source_id}"


class Program(TimeStampedModel):
    class Target(models.TextChoices):
        PERSON = "person", _("Perorangan (NIK)")
        FAMILY = "family", _("Keluarga (KK)")

    class Source(models.TextChoices):
        PUSAT = "pusat", _("Pusat")
        PROVINSI = "provinsi", _("Provinsi")
        KABUPATEN = "kabupaten", _("Kabupaten/Kota")
        DESA = "desa", _("Desa")
        ASN = "asn", _("ASN Peduli")

    class Benefit(models.TextChoices):
        CASH = "cash", _("Uang tunai")
        GOODS = "goods", _("Barang")

    code = models.SlugField(_("kode"), max_length=30, unique=True)
    name = models.CharField(_("nama program"), max_length=150)
    target = models.CharField(_("sasaran"), max_length=8, choices=Target.choices, default=Target.FAMILY)
    source = models.CharField(_("sumber dana"), max_length=10, choices=Source.choices)
    benefit = models.CharField(_("bentuk bantuan"), max_length=6, choices=Benefit.choices)
    amount_per_period = models.DecimalField(
        _("nilai per periode (Rp)"),
        max_digits=12,
        decimal_places=0,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    goods = models.CharField(_("barang"), max_length=150, blank=True, help_text=_("mis. beras 10 kg"))
    stages = models.PositiveSmallIntegerField(
        _("jumlah tahap"), default=1, validators=[MinValueValidator(1), MaxValueValidator(24)]
    )
    # Eligibility: inside this area (code prefix), holding any of these flags (empty = no flag needed).
    area_prefix = models.CharField(_("wilayah sasaran"), max_length=13, blank=True)
    required_flags = models.JSONField(_("syarat kerentanan"), default=list, blank=True)
    description = models.TextField(_("keterangan"), blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("program bantuan")
        verbose_name_plural = _("program bantuan")
        constraints = [
            models.CheckConstraint(
                name="aid_program_cash_has_amount",
                condition=Q(benefit="goods") | Q(amount_per_period__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def benefit_label(self) -> str:
        if self.benefit == self.Benefit.CASH and self.amount_per_period:
            from layan.aid.templatetags.aid_format import rupiah

            return rupiah(self.amount_per_period)
        if self.benefit == self.Benefit.CASH:
            # PKH: the amount depends on the family's components (children, elderly…), set per handover.
            return gettext("jumlah berbeda per penerima")
        return self.goods


class ExclusivityRule(DatedRule):
    """Which aid a recipient of ``program`` may also receive, for a period (DOMAIN.md "Social aid").

    ``excludes``: not together with ``other_program``; ``allows``: explicitly allowed together;
    ``one_only``: a recipient of ``program`` receives no other aid at all (``other_program`` empty).
    """

    class Kind(models.TextChoices):
        EXCLUDES = "excludes", _("tidak boleh bersamaan")
        ALLOWS = "allows", _("boleh bersamaan")
        ONE_ONLY = "one_only", _("hanya satu jenis bantuan")

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="exclusivity_rules")
    kind = models.CharField(_("jenis aturan"), max_length=10, choices=Kind.choices)
    other_program = models.ForeignKey(
        Program, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )

    rule_key_fields = ("program", "kind", "other_program")

    class Meta:
        ordering = ["program_id", "valid_from"]
        verbose_name = _("aturan eksklusivitas")
        verbose_name_plural = _("aturan eksklusivitas")
        constraints = [
            models.CheckConstraint(
                name="aid_exclusivity_other_program",
                condition=(Q(kind="one_only") & Q(other_program__isnull=True))
                | (~Q(kind="one_only") & Q(other_program__isnull=False)),
            ),
        ]

    def __str__(self) -> str:
        other = f" {self.other_program.code}" if self.other_program_id else ""
        return f"{self.program.code} {self.kind}{other} ({self.valid_from})"


class Round(TimeStampedModel):
    """One list of recipients of a program in an area for one stage (tahap): draft → to approve →
    approved (the list is frozen) → done."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draf")
        TO_APPROVE = "to_approve", _("Menunggu pengesahan")
        APPROVED = "approved", _("Disahkan (daftar dikunci)")
        DONE = "done", _("Selesai")

    program = models.ForeignKey(
        Program, on_delete=models.PROTECT, related_name="rounds", verbose_name=_("program")
    )
    area = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("wilayah")
    )
    stage = models.PositiveSmallIntegerField(_("tahap"), default=1, validators=[MinValueValidator(1)])
    period_start = models.DateField(_("periode mulai"))
    period_end = models.DateField(_("periode selesai"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    # The special village meeting (musyawarah desa khusus) that set the list, signed by the Kepala Desa.
    meeting_date = models.DateField(_("tanggal musdesus"), null=True, blank=True)
    meeting_record = models.CharField(_("nomor berita acara musdesus"), max_length=100, blank=True)
    meeting_signed_by = models.CharField(_("ditandatangani kepala desa"), max_length=150, blank=True)
    legalisation_due = models.DateField(_("batas pengesahan"), null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(_("disahkan pada"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    legalisation_late = models.BooleanField(_("pengesahan terlambat"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope_paths = ScopePaths(region="area__code")

    class Meta:
        ordering = ["-period_start", "program_id", "area_id"]
        verbose_name = _("putaran penyaluran")
        verbose_name_plural = _("putaran penyaluran")
        constraints = [
            models.UniqueConstraint(fields=["program", "area", "stage"], name="aid_round_unique_stage"),
            models.CheckConstraint(
                name="aid_round_period", condition=Q(period_end__gte=models.F("period_start"))
            ),
        ]

    def __str__(self) -> str:
        return _("%(program)s tahap %(stage)s — %(area)s") % {
            "program": self.program.code.upper(),
            "stage": self.stage,
            "area": self.area.name,
        }

    @property
    def is_frozen(self) -> bool:
        return self.status in {self.Status.APPROVED, self.Status.DONE}

    @property
    def accepts_handovers(self) -> bool:
        """Handovers are recorded on a legalised list until the round is marked done."""
        return self.status == self.Status.APPROVED


class Enrolment(TimeStampedModel):
    """A recipient (person or family, per the program's target) on a round's list."""

    class Origin(models.TextChoices):
        ELIGIBILITY = "eligibility", _("Dari kriteria")
        IMPORT = "import", _("Dari impor")
        MANUAL = "manual", _("Ditambah manual")

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="enrolments")
    resident = models.ForeignKey(
        Resident, null=True, blank=True, on_delete=models.PROTECT, related_name="enrolments"
    )
    family = models.ForeignKey(
        Family, null=True, blank=True, on_delete=models.PROTECT, related_name="enrolments"
    )
    # The recipient's desa, copied so a scope query needs no join through two tables.
    desa = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    origin = models.CharField(_("asal"), max_length=12, choices=Origin.choices, default=Origin.MANUAL)
    # Conflicts found before approval (excluded program, duplicate person, invalid NIK): shown, not blocking.
    conflicts = models.JSONField(_("konflik"), default=list, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope_paths = ScopePaths(region="desa__code")

    class Meta:
        ordering = ["round_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "resident"],
                condition=Q(resident__isnull=False),
                name="aid_enrolment_unique_person",
            ),
            models.UniqueConstraint(
                fields=["round", "family"],
                condition=Q(family__isnull=False),
                name="aid_enrolment_unique_family",
            ),
            models.CheckConstraint(
                name="aid_enrolment_one_target", condition=Q(resident__isnull=True) | Q(family__isnull=True)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round_id}: {self.resident or self.family}"


class Distribution(TimeStampedModel):
    """A handover to one recipient: date, amount or goods, the officer, the recipient's confirmation."""

    enrolment = models.OneToOneField(Enrolment, on_delete=models.PROTECT, related_name="distribution")
    # Generated by the device: an offline re-send of the same handover is recognised, not doubled.
    client_uuid = models.UUIDField(unique=True, default=uuid.uuid4)
    handed_at = models.DateTimeField(_("waktu penyerahan"))
    # The phone's clock when the handover was recorded (possibly hours before it reached the server, sent
    # from the offline queue) and the server's when it arrived. ``handed_at`` is the device time when it
    # is plausible, else the receive time (device_time_accepted False: the phone's clock was wrong).
    device_time = models.DateTimeField(_("waktu di perangkat"), null=True, blank=True)
    received_at = models.DateTimeField(_("diterima server"), null=True, blank=True)
    device_time_accepted = models.BooleanField(_("waktu perangkat diterima"), default=True)
    amount = models.DecimalField(
        _("nilai (Rp)"),
        max_digits=12,
        decimal_places=0,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    goods = models.CharField(_("barang"), max_length=150, blank=True)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("petugas")
    )
    confirmed_by_recipient = models.BooleanField(_("dikonfirmasi penerima"), default=False)
    receiver_name = models.CharField(_("nama yang menerima"), max_length=150, blank=True)
    note = models.CharField(_("catatan"), max_length=255, blank=True)
    desa = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")

    scope_paths = ScopePaths(region="desa__code")

    class Meta:
        ordering = ["-handed_at"]
        verbose_name = _("penyaluran")
        verbose_name_plural = _("penyaluran")

    def __str__(self) -> str:
        return f"{self.enrolment} {self.handed_at:%Y-%m-%d}"


class Evidence(models.Model):
    """A photo or short video of a handover, with the device's GPS and capture time, checked for reuse."""

    class Kind(models.TextChoices):
        PHOTO = "photo", _("Foto")
        VIDEO = "video", _("Video")

    distribution = models.ForeignKey(
        Distribution, null=True, blank=True, on_delete=models.CASCADE, related_name="evidence"
    )
    package = models.ForeignKey(
        "AsnPackage", null=True, blank=True, on_delete=models.CASCADE, related_name="evidence"
    )
    kind = models.CharField(max_length=5, choices=Kind.choices, default=Kind.PHOTO)
    file = models.FileField(upload_to="aid/evidence/%Y/%m/")
    taken_at = models.DateTimeField(_("waktu pengambilan"))
    latitude = models.DecimalField(
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    # Perceptual hash (imagehash.phash, hex): the same photo re-used for another handover is found.
    phash = models.CharField(max_length=16, blank=True, db_index=True)
    # SHA-256 of the file: the same video (which has no perceptual hash here) re-used is found exactly.
    sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    reused_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    desa = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    scope_paths = ScopePaths(region="desa__code")

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                name="aid_evidence_one_owner",
                condition=Q(distribution__isnull=True) ^ Q(package__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.taken_at:%Y-%m-%d %H:%M}"


class DuplicatePair(TimeStampedModel):
    """Two resident records that may be the same person. ``resident_a`` has the lower id.

    flagged: score above the high threshold; queued: between the thresholds, or the same NIK with other
    details (a mistyped NIK is often another real person's) until linkage agrees, waiting for a person;
    confirmed / rejected: a person decided, and later runs keep it.
    """

    class Status(models.TextChoices):
        FLAGGED = "flagged", _("Ditandai duplikat")
        QUEUED = "queued", _("Menunggu pemeriksaan")
        CONFIRMED = "confirmed", _("Orang yang sama")
        REJECTED = "rejected", _("Orang berbeda")

    # The labels' wordings, for a stored message (core.stored_text) that names a pair's status.
    STATUS_WORDING = {
        Status.FLAGGED: N_("Ditandai duplikat"),
        Status.QUEUED: N_("Menunggu pemeriksaan"),
        Status.CONFIRMED: N_("Orang yang sama"),
        Status.REJECTED: N_("Orang berbeda"),
    }

    class Reason(models.TextChoices):
        SAME_NIK = "same_nik", _("NIK sama, data berbeda")
        SAME_NIK_IN_FILE = "same_nik_file", _("NIK sama dua kali dalam satu berkas")
        LINKAGE = "linkage", _("Kemiripan data (pencocokan rekaman)")

    resident_a = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="+")
    resident_b = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField(_("skor"), validators=[MinValueValidator(0), MaxValueValidator(1)])
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    reason = models.CharField(_("alasan"), max_length=14, choices=Reason.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(_("catatan"), max_length=255, blank=True)

    scope_paths = ScopePaths(region="resident_a__desa__code")

    class Meta:
        ordering = ["-score", "id"]
        verbose_name = _("pasangan duplikat")
        verbose_name_plural = _("pasangan duplikat")
        constraints = [
            models.UniqueConstraint(fields=["resident_a", "resident_b"], name="aid_duplicate_pair_unique"),
            models.CheckConstraint(
                name="aid_duplicate_pair_ordered", condition=Q(resident_a__lt=models.F("resident_b"))
            ),
        ]
        indexes = [models.Index(fields=["status", "score"])]

    def __str__(self) -> str:
        return f"{self.resident_a_id}~{self.resident_b_id} ({self.score:.2f})"

    @property
    def is_decided(self) -> bool:
        return self.status in {self.Status.CONFIRMED, self.Status.REJECTED}


class AsnPledge(TimeStampedModel):
    """An employee's promise to give each month (cash or goods) to ASN Peduli, collected by their unit."""

    class Kind(models.TextChoices):
        CASH = "cash", _("Uang per bulan")
        GOODS = "goods", _("Barang")

    employee = models.ForeignKey(
        "org.Employee", on_delete=models.PROTECT, related_name="+", verbose_name=_("pegawai")
    )
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    kind = models.CharField(_("bentuk"), max_length=5, choices=Kind.choices, default=Kind.CASH)
    amount_per_month = models.DecimalField(
        _("nilai per bulan (Rp)"),
        max_digits=12,
        decimal_places=0,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    goods = models.CharField(_("barang"), max_length=150, blank=True)
    start_month = models.DateField(_("mulai bulan"))
    end_month = models.DateField(_("sampai bulan"), null=True, blank=True)

    scope_paths = ScopePaths(region="unit__region__code", unit="unit__path", owner="employee__user")

    class Meta:
        ordering = ["unit_id", "employee_id"]
        constraints = [
            # The same pledge sent twice at once (a double tap) is refused by the database too; the service
            # also locks the employee while it checks that no pledge of the kind overlaps.
            models.UniqueConstraint(
                fields=["employee", "kind", "start_month"], name="aid_pledge_once_per_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employee} ({self.get_kind_display()})"


class AsnDonation(TimeStampedModel):
    """Money or goods actually collected from an employee for one month."""

    pledge = models.ForeignKey(
        AsnPledge, null=True, blank=True, on_delete=models.SET_NULL, related_name="donations"
    )
    employee = models.ForeignKey("org.Employee", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("bulan"))
    amount = models.DecimalField(
        _("nilai (Rp)"), max_digits=12, decimal_places=0, default=0, validators=[MinValueValidator(0)]
    )
    goods = models.CharField(_("barang"), max_length=150, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope_paths = ScopePaths(region="unit__region__code", unit="unit__path", owner="employee__user")

    class Meta:
        ordering = ["-month", "unit_id"]
        constraints = [
            # One per pledge and month: an employee with a cash and a goods pledge gives twice a month.
            models.UniqueConstraint(fields=["pledge", "month"], name="aid_donation_one_per_pledge_month"),
        ]

    def __str__(self) -> str:
        return f"{self.employee} {self.month:%Y-%m}"


class AsnPackage(TimeStampedModel):
    """A package assembled by a unit from ASN Peduli donations and handed to a family that received
    nothing. Shown in the public gallery only without the recipient's face or name, unless consented."""

    class Status(models.TextChoices):
        ASSEMBLED = "assembled", _("Disiapkan")
        HANDED_OVER = "handed_over", _("Diserahkan")

    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    contents = models.CharField(_("isi paket"), max_length=255)
    value = models.DecimalField(
        _("nilai (Rp)"), max_digits=12, decimal_places=0, default=0, validators=[MinValueValidator(0)]
    )
    family = models.ForeignKey(
        Family,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("keluarga penerima"),
    )
    desa = models.ForeignKey(
        "regions.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.ASSEMBLED)
    handed_at = models.DateTimeField(null=True, blank=True)
    handed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    consent_public = models.BooleanField(_("penerima setuju wajah/nama ditampilkan"), default=False)
    share_token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Made with the form: the same form sent twice (a double tap, a lost answer) is one package.
    client_uuid = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    # The handover's UUID, made on the phone: the offline queue re-sending it is answered with this package.
    handover_uuid = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    scope_paths = ScopePaths(region="unit__region__code", unit="unit__path")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.unit}: {self.contents}"
