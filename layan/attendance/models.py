"""Work arrangements and attendance (DOMAIN.md "Work arrangements and attendance").

Rules that governments change (WFO caps by zone and PPKM level, late/early brackets, check-in
tolerances, leave types) are dated data (``DatedRule``), seeded in migration 0002. The risk status of a
kabupaten/kota is dated data too, set through ``services.region_risk_set`` (the health module calls it).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from layan.core.models import DatedRule, TimeStampedModel
from layan.core.scopes import ScopePaths
from layan.core.stored_text import shown_all

EMPLOYEE_SCOPE = ScopePaths(
    region="employee__unit__region__code",
    unit="employee__unit__path",
    owner="employee__user",
    supervisor="employee__supervisor__user",
)


class Zone(models.TextChoices):
    HIJAU = "hijau", _("Tidak terdampak / hijau")
    KUNING = "kuning", _("Risiko rendah / kuning")
    ORANYE = "oranye", _("Risiko sedang / oranye")
    MERAH = "merah", _("Risiko tinggi / merah")


class Sector(models.TextChoices):
    NON_ESSENTIAL = "non_esensial", _("Non-esensial")
    ESSENTIAL = "esensial", _("Esensial")
    CRITICAL = "kritikal", _("Kritikal")


class Area(models.TextChoices):
    JAWA_BALI = "jawa_bali", _("Jawa–Bali")
    LUAR_JAWA_BALI = "luar_jawa_bali", _("Luar Jawa–Bali")
    SEMUA = "semua", _("Semua wilayah")


class WorkMode(models.TextChoices):
    WFO = "WFO", _("Kerja di kantor (WFO)")
    WFH = "WFH", _("Kerja dari rumah (WFH)")
    PIKET = "PIKET", _("Piket")
    DL = "DL", _("Dinas luar")


# --- schedules ---------------------------------------------------------------------------------------


class WorkSchedule(TimeStampedModel):
    """A working-time pattern of a unit: start/end per weekday, grace periods, the check-in window."""

    class Kind(models.TextChoices):
        FIVE_DAY = "5hari", _("5 hari kerja")
        SIX_DAY = "6hari", _("6 hari kerja")
        SHIFT = "shift", _("Sif (layanan 24 jam)")

    unit = models.ForeignKey(
        "org.Unit", on_delete=models.CASCADE, related_name="work_schedules", verbose_name=_("unit")
    )
    name = models.CharField(_("nama jadwal"), max_length=100)
    kind = models.CharField(_("jenis"), max_length=8, choices=Kind.choices, default=Kind.FIVE_DAY)
    grace_in_minutes = models.PositiveSmallIntegerField(
        _("toleransi terlambat (menit)"), default=0, validators=[MaxValueValidator(120)]
    )
    grace_out_minutes = models.PositiveSmallIntegerField(
        _("toleransi pulang cepat (menit)"), default=0, validators=[MaxValueValidator(120)]
    )
    checkin_opens_before = models.PositiveSmallIntegerField(
        _("presensi masuk dibuka (menit sebelum)"), default=60, validators=[MaxValueValidator(360)]
    )
    checkout_closes_after = models.PositiveSmallIntegerField(
        _("presensi pulang ditutup (menit sesudah)"), default=360, validators=[MaxValueValidator(720)]
    )
    # 24/7 units work on national holidays; office units do not.
    follows_holidays = models.BooleanField(_("libur pada hari libur nasional"), default=True)
    is_default = models.BooleanField(_("jadwal bawaan unit"), default=False)

    class Meta:
        ordering = ["unit_id", "name"]
        verbose_name = _("jadwal kerja")
        verbose_name_plural = _("jadwal kerja")
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="schedule_unique_name_per_unit"),
            models.UniqueConstraint(
                fields=["unit"], condition=Q(is_default=True), name="schedule_one_default"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"


class WorkScheduleDay(models.Model):
    """Start and end of one weekday (0 = Monday). An end before the start crosses midnight (night shift)."""

    schedule = models.ForeignKey(WorkSchedule, on_delete=models.CASCADE, related_name="days")
    weekday = models.PositiveSmallIntegerField(
        pgettext_lazy("day of the week", "hari"), validators=[MaxValueValidator(6)]
    )
    start = models.TimeField(_("masuk"))
    end = models.TimeField(_("pulang"))

    class Meta:
        ordering = ["schedule_id", "weekday"]
        constraints = [
            models.UniqueConstraint(fields=["schedule", "weekday"], name="schedule_day_unique"),
            models.CheckConstraint(name="schedule_day_weekday_range", condition=Q(weekday__lte=6)),
            models.CheckConstraint(name="schedule_day_not_empty", condition=~Q(start=models.F("end"))),
        ]

    def __str__(self) -> str:
        return f"{self.weekday}: {self.start:%H:%M}–{self.end:%H:%M}"


class ScheduleAssignment(TimeStampedModel):
    employee = models.ForeignKey(
        "org.Employee", on_delete=models.CASCADE, related_name="schedule_assignments"
    )
    schedule = models.ForeignKey(WorkSchedule, on_delete=models.PROTECT, related_name="assignments")
    valid_from = models.DateField(_("berlaku mulai"))
    valid_to = models.DateField(_("berlaku sampai"), null=True, blank=True)

    scope_paths = EMPLOYEE_SCOPE

    class Meta:
        ordering = ["employee_id", "valid_from"]
        constraints = [
            models.CheckConstraint(
                name="schedule_assignment_dates",
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employee} — {self.schedule} ({self.valid_from})"

    def clean(self) -> None:
        if self.valid_to and self.valid_from and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("Tanggal akhir tidak boleh sebelum tanggal mulai.")})
        if not self.employee_id or not self.valid_from:
            return
        overlap = (
            ScheduleAssignment.objects.filter(employee_id=self.employee_id)
            .exclude(pk=self.pk)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=self.valid_from))
        )
        if self.valid_to:
            overlap = overlap.filter(valid_from__lte=self.valid_to)
        if overlap.exists():
            raise ValidationError(_("Pegawai sudah memiliki jadwal kerja pada sebagian periode ini."))


# --- WFO capacity rules and risk status ----------------------------------------------------------------


class WfoZoneCapRule(DatedRule):
    """WFO cap by risk zone (SE MenPAN-RB 67/2020)."""

    rule_key_fields = ("zone",)
    zone = models.CharField(_("zona"), max_length=8, choices=Zone.choices)
    cap_percent = models.PositiveSmallIntegerField(_("batas WFO (%)"), validators=[MaxValueValidator(100)])

    class Meta:
        ordering = ["zone", "-valid_from"]
        verbose_name = _("batas WFO per zona")
        constraints = [
            models.CheckConstraint(name="zone_cap_percent_range", condition=Q(cap_percent__lte=100))
        ]

    def __str__(self) -> str:
        return f"{self.get_zone_display()}: {self.cap_percent}%"


class WfoPpkmCapRule(DatedRule):
    """WFO cap by PPKM level × sector (× area, × zone outside Java–Bali): SE 25/2021, SE 06/2022."""

    rule_key_fields = ("level", "sector", "area", "zone")
    level = models.PositiveSmallIntegerField(
        _("level PPKM"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    sector = models.CharField(_("sektor"), max_length=12, choices=Sector.choices)
    area = models.CharField(_("wilayah berlaku"), max_length=16, choices=Area.choices, default=Area.SEMUA)
    # Outside Java–Bali, levels 1–2 depended on the zone; blank = any zone.
    zone = models.CharField(_("zona"), max_length=8, choices=Zone.choices, blank=True)
    cap_percent = models.PositiveSmallIntegerField(_("batas WFO (%)"), validators=[MaxValueValidator(100)])

    class Meta:
        ordering = ["level", "sector", "area", "zone", "-valid_from"]
        verbose_name = _("batas WFO per level PPKM")
        constraints = [
            models.CheckConstraint(name="ppkm_cap_percent_range", condition=Q(cap_percent__lte=100)),
            models.CheckConstraint(name="ppkm_level_range", condition=Q(level__gte=1, level__lte=4)),
        ]

    def __str__(self) -> str:
        return f"PPKM {self.level} {self.sector} {self.area} {self.zone}: {self.cap_percent}%"


class RegionRiskStatus(DatedRule):
    """The risk zone and/or PPKM level of a kabupaten/kota from a date (set by an admin or the health
    module through ``services.region_risk_set``)."""

    rule_key_fields = ("region",)
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("kabupaten/kota")
    )
    zone = models.CharField(_("zona risiko"), max_length=8, choices=Zone.choices, blank=True)
    ppkm_level = models.PositiveSmallIntegerField(
        _("level PPKM"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(4)]
    )

    class Meta:
        ordering = ["region_id", "-valid_from"]
        verbose_name = _("status risiko wilayah")
        constraints = [
            models.CheckConstraint(
                name="risk_status_has_value", condition=~Q(zone="") | Q(ppkm_level__isnull=False)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.zone or '-'} PPKM {self.ppkm_level or '-'} ({self.valid_from})"


class UnitWorkPolicy(TimeStampedModel):
    """How a unit is treated by the WFO rules: its sector, minimum on-site staff, piket per day."""

    unit = models.OneToOneField("org.Unit", on_delete=models.CASCADE, related_name="work_policy")
    sector = models.CharField(
        _("sektor"), max_length=12, choices=Sector.choices, default=Sector.NON_ESSENTIAL
    )
    min_onsite = models.PositiveSmallIntegerField(_("minimal pegawai di kantor per hari"), default=1)
    piket_per_day = models.PositiveSmallIntegerField(_("petugas piket per hari"), default=0)

    class Meta:
        ordering = ["unit_id"]

    def __str__(self) -> str:
        return f"{self.unit} ({self.get_sector_display()})"


class WfoExemption(TimeStampedModel):
    """Staff who stay WFO whatever the cap (leaders, critical roles), set by the head of organisation."""

    employee = models.ForeignKey("org.Employee", on_delete=models.CASCADE, related_name="wfo_exemptions")
    reason = models.CharField(_("alasan"), max_length=200)
    valid_from = models.DateField(_("berlaku mulai"))
    valid_to = models.DateField(_("berlaku sampai"), null=True, blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope_paths = EMPLOYEE_SCOPE

    class Meta:
        ordering = ["employee_id", "valid_from"]

    def __str__(self) -> str:
        return f"{self.employee}: {self.reason}"


class WorkFromHomeProfile(TimeStampedModel):
    """SE 58/2020 criteria recorded per employee (who gets WFH first) and the registered home place."""

    employee = models.OneToOneField("org.Employee", on_delete=models.CASCADE, related_name="wfh_profile")
    comorbidity = models.BooleanField(_("memiliki komorbid"), default=False)
    restricted_area = models.BooleanField(_("tinggal di wilayah pembatasan"), default=False)
    family_health = models.BooleanField(_("keluarga serumah sakit/rentan"), default=False)
    recent_travel = models.BooleanField(_("perjalanan/kontak erat baru-baru ini"), default=False)
    pregnant = models.BooleanField(_("hamil/menyusui"), default=False)
    home_latitude = models.DecimalField(
        _("lintang rumah"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    home_longitude = models.DecimalField(
        _("bujur rumah"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    home_radius_m = models.PositiveIntegerField(
        _("radius rumah (m)"), default=200, validators=[MinValueValidator(20), MaxValueValidator(5000)]
    )

    scope_paths = EMPLOYEE_SCOPE

    class Meta:
        ordering = ["employee_id"]

    def __str__(self) -> str:
        return str(self.employee)

    @property
    def priority_score(self) -> int:
        """Higher = stays home first (SE 58/2020: health, restricted area, family, travel)."""
        return (
            3 * self.comorbidity
            + 3 * self.pregnant
            + 2 * self.restricted_area
            + 2 * self.family_health
            + 1 * self.recent_travel
        )


# --- brackets and check-in policy ----------------------------------------------------------------------


class AttendanceBracket(DatedRule):
    """TL1–TL4 / PSW1–PSW4 and TK with their allowance cut (default: Permentan 68/2012)."""

    class Kind(models.TextChoices):
        TL = "TL", _("Terlambat masuk")
        PSW = "PSW", _("Pulang sebelum waktu")
        TK = "TK", _("Tanpa keterangan")

    rule_key_fields = ("code",)
    kind = models.CharField(_("jenis"), max_length=3, choices=Kind.choices)
    code = models.CharField(_("kode"), max_length=4)
    min_minutes = models.PositiveSmallIntegerField(_("dari menit"), default=0)
    max_minutes = models.PositiveSmallIntegerField(_("sampai menit"), null=True, blank=True)
    cut_percent = models.DecimalField(_("potongan (%)"), max_digits=5, decimal_places=2)

    class Meta:
        ordering = ["kind", "min_minutes", "-valid_from"]
        verbose_name = _("kategori keterlambatan")
        constraints = [
            models.CheckConstraint(
                name="bracket_range",
                condition=Q(max_minutes__isnull=True) | Q(max_minutes__gte=models.F("min_minutes")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.min_minutes}–{self.max_minutes or '∞'} ({self.cut_percent}%)"


class CheckInPolicy(DatedRule):
    """Tolerances of the check-in rules (one row in force at a time)."""

    rule_key_fields = ()
    soft_accuracy_m = models.PositiveIntegerField(_("akurasi diragukan di atas (m)"), default=100)
    max_accuracy_m = models.PositiveIntegerField(_("akurasi ditolak di atas (m)"), default=2000)
    soft_fix_age_s = models.PositiveIntegerField(
        _("posisi diragukan bila lebih tua dari (detik)"), default=120
    )
    max_fix_age_s = models.PositiveIntegerField(_("posisi ditolak bila lebih tua dari (detik)"), default=900)
    drift_allowance_m = models.PositiveIntegerField(_("toleransi geser GPS (m)"), default=30)
    device_time_future_s = models.PositiveIntegerField(_("toleransi jam perangkat maju (detik)"), default=300)
    device_time_max_delay_h = models.PositiveIntegerField(
        _("presensi luring diterima sampai (jam)"), default=48
    )
    max_speed_kmh = models.PositiveIntegerField(_("kecepatan wajar maksimal (km/jam)"), default=150)
    selfie_hash_distance = models.PositiveSmallIntegerField(_("jarak hash swafoto dianggap sama"), default=6)
    double_tap_s = models.PositiveIntegerField(_("jeda minimal antar presensi (detik)"), default=120)

    class Meta:
        ordering = ["-valid_from"]
        verbose_name = _("kebijakan presensi")

    def __str__(self) -> str:
        return f"{_('Kebijakan presensi')} {self.valid_from}"


# --- devices and check-ins -----------------------------------------------------------------------------


class BoundDevice(TimeStampedModel):
    """A phone bound to one employee: a check-in from a device bound to someone else is flagged."""

    employee = models.ForeignKey("org.Employee", on_delete=models.CASCADE, related_name="devices")
    device_id = models.CharField(_("ID perangkat"), max_length=64)
    label = models.CharField(_("keterangan"), max_length=150, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    scope_paths = EMPLOYEE_SCOPE

    class Meta:
        ordering = ["employee_id", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["device_id"], condition=Q(revoked_at__isnull=True), name="device_bound_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.device_id[:12]}… → {self.employee}"


def selfie_path(instance: CheckIn, filename: str) -> str:
    # Random name: the file name never leaks who or when.
    return f"presensi/{instance.device_time:%Y/%m/%d}/{uuid.uuid4().hex}.jpg"


class CheckIn(models.Model):
    class Kind(models.TextChoices):
        IN = "in", pgettext_lazy("check-in", "Masuk")
        OUT = "out", _("Pulang")

    class Status(models.TextChoices):
        ACCEPTED = "accepted", pgettext_lazy("check-in status", "Diterima")
        FLAGGED = "flagged", _("Ditandai")
        REFUSED = "refused", _("Ditolak")

    class Review(models.TextChoices):
        NONE = "", _("Tidak perlu")
        PENDING = "pending", _("Menunggu tinjauan")
        CONFIRMED = "confirmed", _("Dikonfirmasi atasan")
        REJECTED = "rejected", _("Ditolak atasan")

    id = models.BigAutoField(primary_key=True)
    employee = models.ForeignKey("org.Employee", on_delete=models.PROTECT, related_name="checkins")
    client_uuid = models.UUIDField(_("UUID klien"))
    kind = models.CharField(_("jenis"), max_length=3, choices=Kind.choices)
    mode = models.CharField(_("mode kerja"), max_length=5, choices=WorkMode.choices)
    device_time = models.DateTimeField(_("waktu perangkat"))
    received_at = models.DateTimeField(_("waktu diterima"))
    # The time that counts: the device's capture time when plausible (offline queue), else received_at.
    recorded_at = models.DateTimeField(_("waktu presensi"), db_index=True)
    local_date = models.DateField(_("tanggal"), db_index=True)
    device_time_accepted = models.BooleanField(default=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6)
    longitude = models.DecimalField(max_digits=9, decimal_places=6)
    accuracy_m = models.PositiveIntegerField(_("akurasi (m)"))
    fix_age_s = models.PositiveIntegerField(_("umur posisi (detik)"))
    mock_location = models.BooleanField(_("lokasi palsu (mock)"), default=False)
    device_id = models.CharField(_("ID perangkat"), max_length=64)
    user_agent = models.CharField(max_length=255, blank=True)
    selfie = models.ImageField(_("swafoto"), upload_to=selfie_path, blank=True)
    selfie_hash = models.CharField(max_length=16, blank=True, db_index=True)
    face_found = models.BooleanField(null=True)
    analysed_at = models.DateTimeField(null=True, blank=True)
    place = models.CharField(_("tempat"), max_length=150, blank=True)
    distance_m = models.PositiveIntegerField(_("jarak (m)"), null=True, blank=True)
    allowed_radius_m = models.PositiveIntegerField(_("radius (m)"), null=True, blank=True)
    signals = models.JSONField(_("tanda"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=9, choices=Status.choices)
    review = models.CharField(_("tinjauan"), max_length=9, choices=Review.choices, blank=True, default="")
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.CharField(_("catatan tinjauan"), max_length=255, blank=True)
    source = models.CharField(max_length=10, default="app")  # app | manual (outage list)

    scope_paths = EMPLOYEE_SCOPE

    class Meta:
        ordering = ["-recorded_at", "-id"]
        verbose_name = _("presensi")
        verbose_name_plural = _("presensi")
        constraints = [
            models.UniqueConstraint(fields=["employee", "client_uuid"], name="checkin_unique_client_uuid"),
            models.CheckConstraint(
                name="checkin_latitude_range", condition=Q(latitude__gte=-90, latitude__lte=90)
            ),
            models.CheckConstraint(
                name="checkin_longitude_range", condition=Q(longitude__gte=-180, longitude__lte=180)
            ),
        ]
        indexes = [
            models.Index(fields=["employee", "local_date"]),
            models.Index(fields=["local_date", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.employee} {self.get_kind_display()} {self.recorded_at:%Y-%m-%d %H:%M}"

    @property
    def counts(self) -> bool:
        """Whether this record counts for the daily attendance."""
        return self.status != self.Status.REFUSED and self.review != self.Review.REJECTED

    @property
    def signal_messages(self) -> list[str]:
        """The reasons in the reader's language."""
        return shown_all(self.signals)


# --- daily attendance ----------------------------------------------------------------------------------


class DayStatus(models.TextChoices):
    HADIR = "HADIR", _("Hadir")
    WFH_HADIR = "WFH_HADIR", _("Hadir (WFH)")
    TL1 = "TL1", "TL1"
    TL2 = "TL2", "TL2"
    TL3 = "TL3", "TL3"
    TL4 = "TL4", "TL4"
    PSW1 = "PSW1", "PSW1"
    PSW2 = "PSW2", "PSW2"
    PSW3 = "PSW3", "PSW3"
    PSW4 = "PSW4", "PSW4"
    TK = "TK", _("Tanpa keterangan")
    IZIN = "IZIN", _("Izin")
    SAKIT = "SAKIT", _("Sakit")
    CUTI = "CUTI", _("Cuti")
    DL = "DL", _("Dinas luar")
    LIBUR = "LIBUR", _("Libur")


class DailyAttendance(models.Model):
    employee = models.ForeignKey("org.Employee", on_delete=models.CASCADE, related_name="daily_attendance")
    date = models.DateField(_("tanggal"))
    status = models.CharField(_("status"), max_length=10, choices=DayStatus.choices)
    mode = models.CharField(_("mode kerja"), max_length=5, choices=WorkMode.choices, blank=True)
    late_code = models.CharField(_("kategori terlambat"), max_length=4, blank=True)
    early_code = models.CharField(_("kategori pulang cepat"), max_length=4, blank=True)
    minutes_late = models.PositiveIntegerField(_("menit terlambat"), default=0)
    minutes_early = models.PositiveIntegerField(_("menit pulang cepat"), default=0)
    check_in_at = models.DateTimeField(_("masuk"), null=True, blank=True)
    check_out_at = models.DateTimeField(_("pulang"), null=True, blank=True)
    flagged = models.BooleanField(_("ada tanda"), default=False)
    note = models.CharField(_("keterangan"), max_length=255, blank=True)
    computed_at = models.DateTimeField(auto_now=True)

    scope_paths = EMPLOYEE_SCOPE

    class Meta:
        ordering = ["-date", "employee_id"]
        verbose_name = _("kehadiran harian")
        constraints = [models.UniqueConstraint(fields=["employee", "date"], name="daily_attendance_unique")]
        indexes = [models.Index(fields=["date", "status"])]

    def __str__(self) -> str:
        return f"{self.employee} {self.date} {self.status}"


# --- leave, corrections, rosters -----------------------------------------------------------------------


class LeaveType(TimeStampedModel):
    code = models.CharField(_("kode"), max_length=8, unique=True)
    name = models.CharField(_("nama"), max_length=100)
    day_status = models.CharField(_("status harian"), max_length=10, choices=DayStatus.choices)
    yearly_quota = models.PositiveSmallIntegerField(_("jatah per tahun (hari kerja)"), null=True, blank=True)
    carry_over_max = models.PositiveSmallIntegerField(_("maksimal dibawa ke tahun berikut"), default=0)
    needs_evidence = models.BooleanField(_("perlu bukti"), default=False)
    legal_basis = models.CharField(_("dasar hukum"), max_length=255, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("jenis cuti/izin")

    def __str__(self) -> str:
        return self.name


class ApprovalStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Diajukan")
    APPROVED = "approved", _("Disetujui")
    REJECTED = "rejected", _("Ditolak")
    CANCELLED = "cancelled", _("Dibatalkan")


class LeaveRequest(TimeStampedModel):
    employee = models.ForeignKey("org.Employee", on_delete=models.PROTECT, related_name="leave_requests")
    leave_type = models.ForeignKey(
        LeaveType, on_delete=models.PROTECT, related_name="+", verbose_name=_("jenis")
    )
    start = models.DateField(_("mulai"))
    end = models.DateField(_("sampai"))
    reason = models.CharField(_("alasan"), max_length=255)
    working_days = models.PositiveSmallIntegerField(_("hari kerja"), default=0)
    # Dinas luar: the assignment place that becomes the geofence of the day.
    place_latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    place_longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    place_radius_m = models.PositiveIntegerField(default=500)
    status = models.CharField(
        _("status"), max_length=10, choices=ApprovalStatus.choices, default=ApprovalStatus.SUBMITTED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(max_length=255, blank=True)

    scope_paths = EMPLOYEE_SCOPE

    class Meta:
        ordering = ["-start", "-id"]
        verbose_name = _("pengajuan cuti/izin")
        constraints = [models.CheckConstraint(name="leave_dates", condition=Q(end__gte=models.F("start")))]

    def __str__(self) -> str:
        return f"{self.employee} {self.leave_type.code} {self.start}–{self.end}"


class LeaveBalance(models.Model):
    employee = models.ForeignKey("org.Employee", on_delete=models.CASCADE, related_name="leave_balances")
    leave_type = models.ForeignKey(LeaveType, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    entitlement = models.PositiveSmallIntegerField(default=0)
    carried_over = models.PositiveSmallIntegerField(default=0)
    used = models.PositiveSmallIntegerField(default=0)

    scope_paths = EMPLOYEE_SCOPE

    class Meta:
        ordering = ["employee_id", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["employee", "leave_type", "year"], name="leave_balance_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.employee} {self.year}: {self.remaining}"

    @property
    def remaining(self) -> int:
        return self.entitlement + self.carried_over - self.used


class AttendanceCorrection(TimeStampedModel):
    """A missed check-in or check-out with evidence, approved by the supervisor."""

    class Kind(models.TextChoices):
        IN = "in", _("Lupa/gagal presensi masuk")
        OUT = "out", _("Lupa/gagal presensi pulang")

    employee = models.ForeignKey("org.Employee", on_delete=models.PROTECT, related_name="corrections")
    date = models.DateField(_("tanggal"))
    kind = models.CharField(_("jenis"), max_length=3, choices=Kind.choices)
    time = models.TimeField(_("jam sebenarnya"))
    reason = models.CharField(_("alasan"), max_length=255)
    evidence = models.FileField(_("bukti"), upload_to="presensi/koreksi/%Y/%m/", blank=True)
    status = models.CharField(max_length=10, choices=ApprovalStatus.choices, default=ApprovalStatus.SUBMITTED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    scope_paths = EMPLOYEE_SCOPE

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("koreksi presensi")

    def __str__(self) -> str:
        return f"{self.employee} {self.date} {self.kind}"


class Roster(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draf")
        PUBLISHED = "published", _("Diterbitkan")

    unit = models.ForeignKey("org.Unit", on_delete=models.CASCADE, related_name="rosters")
    start = models.DateField(_("mulai"))
    end = models.DateField(_("sampai"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    explanation = models.JSONField(default=list, blank=True)  # per day: cap, reason, counts
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope_paths = ScopePaths(region="unit__region__code", unit="unit__path")

    class Meta:
        ordering = ["-start", "unit_id"]
        verbose_name = _("jadwal WFO/WFH")
        constraints = [models.CheckConstraint(name="roster_dates", condition=Q(end__gte=models.F("start")))]

    def __str__(self) -> str:
        return f"{self.unit} {self.start}–{self.end}"


class RosterEntry(models.Model):
    roster = models.ForeignKey(Roster, on_delete=models.CASCADE, related_name="entries")
    employee = models.ForeignKey("org.Employee", on_delete=models.CASCADE, related_name="roster_entries")
    date = models.DateField()
    mode = models.CharField(max_length=5, choices=WorkMode.choices)

    scope_paths = EMPLOYEE_SCOPE

    class Meta:
        ordering = ["date", "employee_id"]
        constraints = [
            models.UniqueConstraint(fields=["roster", "employee", "date"], name="roster_entry_unique")
        ]
        indexes = [models.Index(fields=["employee", "date"])]

    def __str__(self) -> str:
        return f"{self.employee} {self.date} {self.mode}"


class RosterSwap(TimeStampedModel):
    """Two employees of a published roster exchange their modes on one day; the requester's supervisor
    approves (the WFO count of the day does not change, so the cap still holds)."""

    roster = models.ForeignKey(Roster, on_delete=models.CASCADE, related_name="swaps")
    employee = models.ForeignKey(
        "org.Employee", on_delete=models.PROTECT, related_name="roster_swaps", verbose_name=_("pemohon")
    )
    partner = models.ForeignKey(
        "org.Employee", on_delete=models.PROTECT, related_name="+", verbose_name=_("rekan")
    )
    date = models.DateField(_("tanggal"))
    reason = models.CharField(_("alasan"), max_length=255)
    status = models.CharField(max_length=10, choices=ApprovalStatus.choices, default=ApprovalStatus.SUBMITTED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    scope_paths = EMPLOYEE_SCOPE

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("tukar jadwal")
        constraints = [
            models.CheckConstraint(name="swap_two_people", condition=~Q(employee=models.F("partner"))),
        ]

    def __str__(self) -> str:
        return f"{self.employee} ↔ {self.partner} {self.date}"


class ManualAttendanceList(TimeStampedModel):
    """Outage fallback: the head of unit enters who came and when, with a signed statement (audited).
    Its rows become check-ins with source "manual", so the daily status uses them like any other."""

    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="manual_attendance_lists")
    date = models.DateField(_("tanggal"))
    statement = models.TextField(_("pernyataan kepala unit"), max_length=2000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope_paths = ScopePaths(region="unit__region__code", unit="unit__path")

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("daftar hadir manual")
        constraints = [models.UniqueConstraint(fields=["unit", "date"], name="manual_list_once_per_day")]

    def __str__(self) -> str:
        return f"{self.unit} {self.date}"


# --- stand-by while WFH --------------------------------------------------------------------------------


class StandbyPolicy(DatedRule):
    """How WFH staff are pinged ("Apakah Anda siap dihubungi?"): the share sampled per round, the rounds
    per working day, how long an answer may take, and the quiet time after start and before the end of
    the working hours. One row in force at a time; without one the model defaults apply."""

    rule_key_fields = ()
    enabled = models.BooleanField(_("panggilan siaga aktif"), default=True)
    sample_percent = models.PositiveSmallIntegerField(
        _("sampel per putaran (% pegawai WFH)"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    rounds_per_day = models.PositiveSmallIntegerField(
        _("putaran per hari"), default=2, validators=[MinValueValidator(1), MaxValueValidator(8)]
    )
    answer_window_minutes = models.PositiveSmallIntegerField(
        _("batas waktu menjawab (menit)"),
        default=30,
        validators=[MinValueValidator(5), MaxValueValidator(240)],
    )
    quiet_after_start_minutes = models.PositiveSmallIntegerField(
        _("tanpa panggilan setelah jam masuk (menit)"), default=30, validators=[MaxValueValidator(240)]
    )
    quiet_before_end_minutes = models.PositiveSmallIntegerField(
        _("tanpa panggilan sebelum jam pulang (menit)"), default=30, validators=[MaxValueValidator(240)]
    )

    class Meta:
        ordering = ["-valid_from"]
        verbose_name = _("kebijakan panggilan siaga")
        constraints = [
            models.CheckConstraint(
                name="standby_sample_percent_range",
                condition=Q(sample_percent__gte=1, sample_percent__lte=100),
            ),
            models.CheckConstraint(
                name="standby_rounds_range", condition=Q(rounds_per_day__gte=1, rounds_per_day__lte=8)
            ),
        ]

    def __str__(self) -> str:
        return f"{_('Kebijakan panggilan siaga')} {self.valid_from}"


class StandbyPing(models.Model):
    """One "are you reachable?" ping to a WFH employee: at most one per person per day."""

    class Status(models.TextChoices):
        SENT = "sent", _("Menunggu jawaban")
        ANSWERED = "answered", _("Dijawab")
        MISSED = "missed", _("Tidak dijawab")

    class Channel(models.TextChoices):
        WEB = "web", _("Halaman web")
        API = "api", _("Aplikasi")

    employee = models.ForeignKey("org.Employee", on_delete=models.CASCADE, related_name="standby_pings")
    date = models.DateField(_("tanggal"))
    sent_at = models.DateTimeField(_("dikirim"))
    expires_at = models.DateTimeField(_("batas menjawab"))
    answered_at = models.DateTimeField(_("dijawab"), null=True, blank=True)
    response_seconds = models.PositiveIntegerField(_("waktu menjawab (detik)"), null=True, blank=True)
    answered_via = models.CharField(_("dijawab lewat"), max_length=3, choices=Channel.choices, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.SENT)

    scope_paths = EMPLOYEE_SCOPE

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = _("panggilan siaga")
        verbose_name_plural = _("panggilan siaga")
        constraints = [
            models.UniqueConstraint(fields=["employee", "date"], name="standby_ping_once_a_day"),
            models.CheckConstraint(
                name="standby_ping_expiry_after_sending", condition=Q(expires_at__gt=models.F("sent_at"))
            ),
        ]
        indexes = [
            models.Index(fields=["date", "status"]),
            models.Index(fields=["status", "expires_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.employee} {self.date} {self.status}"

    def status_at(self, now) -> str:
        """The status as the supervisor should read it now: a ping past its window is missed even before
        the expiry job has marked it."""
        if self.status == self.Status.SENT and now >= self.expires_at:
            return self.Status.MISSED
        return self.status

    @property
    def response_minutes(self) -> int | None:
        return None if self.response_seconds is None else self.response_seconds // 60
