"""Units (a tree), their office locations, positions, employees (ASN and non-ASN) and their moves."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from layan.core.calendar import zone_for_region, zone_label
from layan.core.models import TimeStampedModel
from layan.core.personal_data import NikField
from layan.core.scopes import ScopePaths


class Unit(TimeStampedModel):
    class Kind(models.TextChoices):
        SETDA = "setda", _("Sekretariat daerah")
        SEKRETARIAT_DPRD = "setwan", _("Sekretariat DPRD")
        DINAS = "dinas", _("Dinas")
        BADAN = "badan", _("Badan")
        INSPEKTORAT = "inspektorat", _("Inspektorat")
        BAGIAN = "bagian", _("Bagian/Bidang")
        KECAMATAN = "kecamatan", _("Kantor kecamatan")
        KELURAHAN = "kelurahan", _("Kantor kelurahan")
        DESA = "desa", _("Kantor desa")
        PUSKESMAS = "puskesmas", _("Puskesmas")
        RSUD = "rsud", _("Rumah sakit daerah")
        UPT = "upt", _("UPT")

    code = models.CharField(_("kode unit"), max_length=30, unique=True)
    name = models.CharField(_("nama unit"), max_length=200)
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("unit induk"),
    )
    # Materialised path of ids ("/3/17/"): a unit subtree is one prefix query. Kept by org.services.
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="units", verbose_name=_("wilayah")
    )
    is_active = models.BooleanField(_("aktif"), default=True)

    scope_paths = ScopePaths(region="region__code", unit="path")

    class Meta:
        ordering = ["path"]
        verbose_name = _("unit kerja")
        verbose_name_plural = pgettext_lazy("plural", "unit kerja")

    def __str__(self) -> str:
        return self.name

    @property
    def depth(self) -> int:
        return max(self.path.count("/") - 2, 0)

    @property
    def time_zone(self):
        return zone_for_region(self.region_id)

    @property
    def time_zone_label(self) -> str:
        return zone_label(self.time_zone)


class OfficeLocation(TimeStampedModel):
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="locations")
    name = models.CharField(_("nama lokasi"), max_length=150)
    latitude = models.DecimalField(
        _("lintang"),
        max_digits=9,
        decimal_places=6,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("bujur"),
        max_digits=9,
        decimal_places=6,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    radius_m = models.PositiveIntegerField(
        _("radius geofence (m)"), default=100, validators=[MinValueValidator(10), MaxValueValidator(5000)]
    )
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["unit_id", "name"]
        constraints = [
            models.CheckConstraint(
                name="office_latitude_range", condition=Q(latitude__gte=-90, latitude__lte=90)
            ),
            models.CheckConstraint(
                name="office_longitude_range", condition=Q(longitude__gte=-180, longitude__lte=180)
            ),
            models.CheckConstraint(
                name="office_radius_range", condition=Q(radius_m__gte=10, radius_m__lte=5000)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.radius_m} m)"


class Position(TimeStampedModel):
    class Kind(models.TextChoices):
        STRUKTURAL = "struktural", _("Struktural")
        FUNGSIONAL = "fungsional", _("Fungsional")
        PELAKSANA = "pelaksana", _("Pelaksana")

    name = models.CharField(_("nama jabatan"), max_length=150)
    kind = models.CharField(_("jenis jabatan"), max_length=12, choices=Kind.choices)
    kelas_jabatan = models.PositiveSmallIntegerField(
        _("kelas jabatan"), validators=[MinValueValidator(1), MaxValueValidator(17)]
    )

    class Meta:
        ordering = ["-kelas_jabatan", "name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "kelas_jabatan"], name="position_unique_name_kelas"),
            models.CheckConstraint(
                name="position_kelas_range", condition=Q(kelas_jabatan__gte=1, kelas_jabatan__lte=17)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} (kelas {self.kelas_jabatan})"


class Employee(TimeStampedModel):
    class Kind(models.TextChoices):
        PNS = "pns", _("PNS")
        PPPK = "pppk", _("PPPK")
        NON_ASN = "non_asn", _("Non-ASN")

    class Sex(models.TextChoices):
        L = "L", _("Laki-laki")
        P = "P", _("Perempuan")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="employee"
    )
    kind = models.CharField(_("status kepegawaian"), max_length=8, choices=Kind.choices)
    # NIP for PNS, NI PPPK for PPPK; NULL for non-ASN (unique only where present).
    nip = models.CharField(_("NIP / NI PPPK"), max_length=18, null=True, blank=True, unique=True)
    name = models.CharField(_("nama"), max_length=150, db_index=True)
    nik = NikField(_("NIK"))
    sex = models.CharField(_("jenis kelamin"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("tanggal lahir"))
    birth_place = models.CharField(_("tempat lahir"), max_length=100, blank=True)
    phone = models.CharField(_("telepon"), max_length=20, blank=True)
    email = models.EmailField(_("surel"), blank=True)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="employees", verbose_name=_("unit"))
    position = models.ForeignKey(
        Position,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="employees",
        verbose_name=_("jabatan"),
    )
    supervisor = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="direct_reports",
        verbose_name=_("atasan langsung"),
    )
    employment_start = models.DateField(_("TMT"))
    employment_end = models.DateField(_("tanggal berhenti"), null=True, blank=True)
    # Disagreements between the NIP/NIK and the record (sex, birth date): flagged, never rejected, because
    # the national registries hold such errors (DOMAIN.md "Identifiers"). Recomputed on every save.
    data_warnings = models.JSONField(_("peringatan data"), default=list, blank=True)

    scope_paths = ScopePaths(
        region="unit__region__code", unit="unit__path", owner="user", supervisor="supervisor__user"
    )

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("pegawai")
        verbose_name_plural = pgettext_lazy("plural", "pegawai")
        constraints = [
            models.CheckConstraint(
                name="employee_not_own_supervisor", condition=~Q(supervisor=models.F("id"))
            ),
            models.CheckConstraint(
                name="employee_asn_has_nip", condition=Q(kind="non_asn") | Q(nip__isnull=False)
            ),
            # One person, one employee record: the NIK (through its keyed hash) is unique where present.
            models.UniqueConstraint(
                fields=["nik_hash"],
                condition=~Q(nik_hash=""),
                name="employee_unique_nik",
                violation_error_message=_("NIK ini sudah dipakai pegawai lain."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.nip})" if self.nip else self.name

    @cached_property
    def has_direct_reports(self) -> bool:
        return self.direct_reports.filter(employment_end__isnull=True).exists()

    @property
    def is_active(self) -> bool:
        return self.employment_end is None


class EmployeeMove(models.Model):
    """A move between units or positions. Append-only: the past is never rewritten (org.services only ever
    adds rows, dated on or after the latest one)."""

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="moves")
    effective_date = models.DateField(_("berlaku mulai"))
    from_unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    to_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    from_position = models.ForeignKey(
        Position, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_position = models.ForeignKey(
        Position, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decree_number = models.CharField(_("nomor SK"), max_length=100, blank=True)
    note = models.CharField(_("catatan"), max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["employee_id", "effective_date", "id"]
        indexes = [models.Index(fields=["employee", "effective_date"])]

    def __str__(self) -> str:
        return f"{self.employee} → {self.to_unit} ({self.effective_date})"
