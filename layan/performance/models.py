"""Performance (PermenPAN-RB 6/2022) and the regional performance allowance (TPP).

SKP per employee and year with RHK cascaded under the supervisor's RHK; daily work reports (idempotent by
a client UUID, versioned once the supervisor has acted); evaluations with the predikat matrix; the TPP
parameters as dated rules; TPP runs per unit and month whose lines keep every step of the computation.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from layan.core.models import DatedRule, TimeStampedModel
from layan.core.scopes import ScopePaths

EMPLOYEE_SCOPE = ScopePaths(
    region="employee__unit__region__code",
    unit="employee__unit__path",
    owner="employee__user",
    supervisor="employee__supervisor__user",
)


class Rating(models.TextChoices):
    BELOW = "below", _("Di bawah ekspektasi")
    AS_EXPECTED = "as", _("Sesuai ekspektasi")
    ABOVE = "above", _("Di atas ekspektasi")


class Predikat(models.TextChoices):
    SANGAT_BAIK = "sangat_baik", _("Sangat Baik")
    BAIK = "baik", _("Baik")
    BUTUH_PERBAIKAN = "butuh_perbaikan", _("Butuh Perbaikan")
    KURANG = "kurang", _("Kurang")
    SANGAT_KURANG = "sangat_kurang", _("Sangat Kurang")


# --- plan ----------------------------------------------------------------------------------------------


class Skp(TimeStampedModel):
    """One employee's performance plan for a year: drafted by the employee, agreed by the supervisor."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Konsep")
        SUBMITTED = "submitted", _("Diajukan")
        RETURNED = "returned", _("Dikembalikan")
        AGREED = "agreed", _("Disetujui")

    EDITABLE = frozenset({Status.DRAFT, Status.RETURNED})

    employee = models.ForeignKey("org.Employee", on_delete=models.PROTECT, related_name="skps")
    year = models.PositiveSmallIntegerField(_("tahun"))
    # The supervisor at the time of drafting: a later move must not rewrite whom the plan was agreed with.
    supervisor = models.ForeignKey(
        "org.Employee", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    agreed_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    return_note = models.CharField(_("catatan pengembalian"), max_length=500, blank=True)

    scope_paths = EMPLOYEE_SCOPE

    class Meta:
        ordering = ["-year", "employee_id"]
        verbose_name = _("SKP")
        constraints = [models.UniqueConstraint(fields=["employee", "year"], name="skp_one_per_year")]

    def __str__(self) -> str:
        return f"SKP {self.year} {self.employee}"

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE


class BerAkhlak(models.TextChoices):
    """The core values of ASN (SE MenPAN-RB 20/2021), the behaviour side of the SKP."""

    BERORIENTASI_PELAYANAN = "pelayanan", _("Berorientasi Pelayanan")
    AKUNTABEL = "akuntabel", _("Akuntabel")
    KOMPETEN = "kompeten", _("Kompeten")
    HARMONIS = "harmonis", _("Harmonis")
    LOYAL = "loyal", _("Loyal")
    ADAPTIF = "adaptif", _("Adaptif")
    KOLABORATIF = "kolaboratif", _("Kolaboratif")


class BehaviourExpectation(models.Model):
    """The leader's specific expectation for one BerAKHLAK value in one plan (PermenPAN-RB 6/2022)."""

    skp = models.ForeignKey(Skp, on_delete=models.CASCADE, related_name="behaviours")
    value = models.CharField(_("nilai BerAKHLAK"), max_length=12, choices=BerAkhlak.choices)
    expectation = models.TextField(_("ekspektasi khusus"), max_length=1000)

    class Meta:
        ordering = ["skp_id", "id"]
        constraints = [models.UniqueConstraint(fields=["skp", "value"], name="behaviour_one_per_value")]

    def __str__(self) -> str:
        return f"{self.get_value_display()}: {self.expectation[:40]}"


class Rhk(TimeStampedModel):
    """A planned result (Rencana Hasil Kerja), hanging under one of the supervisor's RHK (cascading)."""

    skp = models.ForeignKey(Skp, on_delete=models.CASCADE, related_name="rhks")
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("RHK atasan yang diintervensi"),
    )
    title = models.CharField(_("rencana hasil kerja"), max_length=255)
    behaviour_expectation = models.TextField(_("ekspektasi perilaku (BerAKHLAK)"), blank=True)

    scope_paths = ScopePaths(
        region="skp__employee__unit__region__code",
        unit="skp__employee__unit__path",
        owner="skp__employee__user",
        supervisor="skp__employee__supervisor__user",
    )

    class Meta:
        ordering = ["skp_id", "id"]
        verbose_name = _("RHK")

    def __str__(self) -> str:
        return self.title


class Indicator(models.Model):
    class Aspect(models.TextChoices):
        QUANTITY = "quantity", _("Kuantitas")
        QUALITY = "quality", _("Kualitas")
        TIME = "time", _("Waktu")

    rhk = models.ForeignKey(Rhk, on_delete=models.CASCADE, related_name="indicators")
    aspect = models.CharField(_("aspek"), max_length=10, choices=Aspect.choices)
    description = models.CharField(_("indikator"), max_length=255)
    target = models.DecimalField(_("target"), max_digits=10, decimal_places=2)
    target_unit = models.CharField(_("satuan"), max_length=40)

    class Meta:
        ordering = ["rhk_id", "aspect", "id"]
        constraints = [models.CheckConstraint(name="indicator_target_positive", condition=Q(target__gt=0))]

    def __str__(self) -> str:
        return f"{self.description}: {self.target} {self.target_unit}"


# --- daily work reports --------------------------------------------------------------------------------


def evidence_path(instance: DailyReport, filename: str) -> str:
    return f"kinerja/bukti/{instance.date:%Y/%m}/{uuid.uuid4().hex}-{filename[-60:]}"


class DailyReport(TimeStampedModel):
    """What one employee did on one working day. Editable until the supervisor acts; afterwards a change
    is a new version (the previous one is kept in DailyReportVersion)."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Menunggu persetujuan")
        APPROVED = "approved", _("Disetujui")
        RETURNED = "returned", _("Dikembalikan")

    class Mode(models.TextChoices):
        WFO = "WFO", "WFO"
        WFH = "WFH", "WFH"

    employee = models.ForeignKey("org.Employee", on_delete=models.PROTECT, related_name="daily_reports")
    client_uuid = models.UUIDField(_("UUID perangkat"), default=uuid.uuid4)
    date = models.DateField(_("tanggal"))
    rhk = models.ForeignKey(
        Rhk, null=True, blank=True, on_delete=models.PROTECT, related_name="reports", verbose_name=_("RHK")
    )
    activity = models.TextField(_("kegiatan"), max_length=2000)
    output = models.CharField(_("hasil/output"), max_length=120, blank=True)
    quantity = models.DecimalField(_("jumlah"), max_digits=8, decimal_places=2, default=1)
    minutes = models.PositiveSmallIntegerField(_("waktu (menit)"), default=60)
    mode = models.CharField(_("mode kerja"), max_length=3, choices=Mode.choices, default=Mode.WFO)
    evidence_file = models.FileField(_("bukti (berkas)"), upload_to=evidence_path, blank=True)
    evidence_link = models.URLField(_("bukti (tautan)"), blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    version = models.PositiveSmallIntegerField(default=1)
    supervisor_note = models.CharField(_("catatan atasan"), max_length=500, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    scope_paths = EMPLOYEE_SCOPE

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("laporan kinerja harian")
        constraints = [
            models.UniqueConstraint(fields=["employee", "client_uuid"], name="daily_report_client_uuid"),
            models.CheckConstraint(
                name="daily_report_minutes", condition=Q(minutes__gt=0, minutes__lte=1440)
            ),
            models.CheckConstraint(name="daily_report_quantity", condition=Q(quantity__gt=0)),
        ]
        indexes = [
            models.Index(fields=["employee", "date"]),
            models.Index(fields=["status", "date"]),
            # The supervisor's page: a team's waiting reports, newest first, without reading its history.
            models.Index(fields=["employee", "status", "submitted_at"], name="daily_report_team_waiting"),
        ]

    def __str__(self) -> str:
        return f"{self.employee} {self.date:%d-%m-%Y}"

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.SUBMITTED and self.decided_at is None


class DailyReportVersion(models.Model):
    """A previous version of a report, kept when it changed after the supervisor acted."""

    report = models.ForeignKey(DailyReport, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveSmallIntegerField()
    data = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["report_id", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["report", "version"], name="daily_report_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.report} v{self.version}"


# --- evaluation ----------------------------------------------------------------------------------------


class Evaluation(TimeStampedModel):
    class Kind(models.TextChoices):
        MONTHLY = "monthly", _("Bulanan")
        QUARTERLY = "quarterly", _("Triwulan")
        ANNUAL = "annual", _("Tahunan")

    employee = models.ForeignKey("org.Employee", on_delete=models.PROTECT, related_name="evaluations")
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices)
    period_start = models.DateField(_("awal periode"))
    period_end = models.DateField(_("akhir periode"))
    result_rating = models.CharField(_("hasil kerja"), max_length=5, choices=Rating.choices)
    behaviour_rating = models.CharField(_("perilaku kerja"), max_length=5, choices=Rating.choices)
    predikat = models.CharField(_("predikat"), max_length=16, choices=Predikat.choices)
    feedback = models.TextField(_("umpan balik"), blank=True)
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope_paths = EMPLOYEE_SCOPE

    class Meta:
        ordering = ["-period_start", "employee_id"]
        verbose_name = _("evaluasi kinerja")
        constraints = [
            models.UniqueConstraint(fields=["employee", "kind", "period_start"], name="evaluation_unique"),
            models.CheckConstraint(
                name="evaluation_period", condition=Q(period_end__gte=models.F("period_start"))
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employee} {self.get_kind_display()} {self.period_start}: {self.get_predikat_display()}"


class OrgRating(models.TextChoices):
    """The organisation's own performance rating (predikat kinerja organisasi), which bounds the share of
    each employee predikat in it (PermenPAN-RB 6/2022)."""

    ISTIMEWA = "istimewa", _("Istimewa")
    BAIK = "baik", _("Baik")
    BUTUH_PERBAIKAN = "butuh_perbaikan", _("Butuh Perbaikan/Cukup")
    KURANG = "kurang", _("Kurang")
    SANGAT_KURANG = "sangat_kurang", _("Sangat Kurang")


class OrganisationRating(TimeStampedModel):
    """A unit's organisation rating for a year, entered by BKPSDM (sub-units without one use their
    parent's)."""

    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="performance_ratings", verbose_name=_("unit")
    )
    year = models.PositiveSmallIntegerField(_("tahun"))
    rating = models.CharField(_("predikat kinerja organisasi"), max_length=16, choices=OrgRating.choices)
    basis = models.CharField(_("dasar penilaian"), max_length=255, blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope_paths = ScopePaths(region="unit__region__code", unit="unit__path")

    class Meta:
        ordering = ["-year", "unit__name", "id"]
        verbose_name = _("predikat kinerja organisasi")
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="organisation_rating_one_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.year}: {self.get_rating_display()}"


class PredikatDistributionRule(DatedRule):
    """One bound on the share of employee predikat in an organisation with a given rating, e.g. "rated
    Baik: at most 70% Baik" or "at least one Butuh Perbaikan/Kurang". ``predikats`` lists the predikat
    counted together (comma-separated values of ``Predikat``)."""

    rule_key_fields = ("org_rating", "predikats")
    org_rating = models.CharField(_("predikat kinerja organisasi"), max_length=16, choices=OrgRating.choices)
    predikats = models.CharField(_("predikat pegawai yang dihitung"), max_length=100)
    min_percent = models.DecimalField(
        _("paling sedikit (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    max_percent = models.DecimalField(
        _("paling banyak (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    min_count = models.PositiveSmallIntegerField(_("paling sedikit (orang)"), default=0)

    class Meta:
        ordering = ["org_rating", "predikats", "-valid_from"]
        verbose_name = _("aturan distribusi predikat")
        constraints = [
            models.CheckConstraint(
                name="distribution_percent_range",
                condition=(Q(min_percent__isnull=True) | Q(min_percent__gte=0, min_percent__lte=100))
                & (Q(max_percent__isnull=True) | Q(max_percent__gte=0, max_percent__lte=100)),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_org_rating_display()}: {self.predikats}"

    @property
    def predikat_list(self) -> list[str]:
        return [p for p in self.predikats.split(",") if p]

    @property
    def predikat_label(self) -> str:
        return " / ".join(str(Predikat(p).label) for p in self.predikat_list if p in Predikat.values)

    def clean(self) -> None:
        super().clean()
        unknown = [p for p in self.predikat_list if p not in Predikat.values]
        if unknown or not self.predikat_list:
            raise ValidationError(
                {"predikats": _("Predikat tidak dikenal: %(p)s.") % {"p": ", ".join(unknown)}}
            )


class EvaluationFinalisation(TimeStampedModel):
    """The evaluations of one unit and period, finalised: the distribution and its differences from the
    organisation's rating as they were, and the reason given for accepting them."""

    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    kind = models.CharField(_("jenis"), max_length=10, choices=Evaluation.Kind.choices)
    period_start = models.DateField(_("awal periode"))
    period_end = models.DateField(_("akhir periode"))
    org_rating = models.CharField(
        _("predikat kinerja organisasi"), max_length=16, choices=OrgRating.choices, blank=True
    )
    distribution = models.JSONField(_("distribusi predikat"), default=dict)
    differences = models.JSONField(_("selisih dengan aturan"), default=list, blank=True)
    reason = models.CharField(_("alasan menerima selisih"), max_length=500, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope_paths = ScopePaths(region="unit__region__code", unit="unit__path")

    class Meta:
        ordering = ["-period_start", "unit_id"]
        verbose_name = _("penetapan evaluasi kinerja")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "kind", "period_start"], name="evaluation_finalisation_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.get_kind_display()} {self.period_start}"


# --- TPP parameters (dated rules) ----------------------------------------------------------------------


class TppBasicRate(DatedRule):
    """Basic TPP per kelas jabatan (reference × regional index), set by the Perbup."""

    rule_key_fields = ("kelas_jabatan",)
    kelas_jabatan = models.PositiveSmallIntegerField(_("kelas jabatan"))
    amount = models.DecimalField(_("TPP dasar (Rp)"), max_digits=12, decimal_places=0)

    class Meta:
        ordering = ["kelas_jabatan", "-valid_from"]
        verbose_name = _("TPP dasar per kelas jabatan")
        constraints = [
            models.CheckConstraint(
                name="tpp_basic_rate_range", condition=Q(kelas_jabatan__gte=1, kelas_jabatan__lte=17)
            ),
            models.CheckConstraint(name="tpp_basic_rate_positive", condition=Q(amount__gte=0)),
        ]

    def __str__(self) -> str:
        return f"Kelas {self.kelas_jabatan}: Rp{self.amount:,.0f}"


class TppParameter(DatedRule):
    """Weights of performance and discipline, the cut per working day without a daily report and the cap of
    the month's discipline cut. One row in force at a time."""

    rule_key_fields = ()
    weight_performance = models.DecimalField(_("bobot kinerja (%)"), max_digits=5, decimal_places=2)
    weight_discipline = models.DecimalField(_("bobot disiplin (%)"), max_digits=5, decimal_places=2)
    missing_report_cut = models.DecimalField(
        _("potongan per hari tanpa laporan harian (%)"), max_digits=5, decimal_places=2
    )
    discipline_cut_cap = models.DecimalField(_("batas potongan disiplin (%)"), max_digits=5, decimal_places=2)

    class Meta:
        ordering = ["-valid_from"]
        verbose_name = _("parameter TPP")
        constraints = [
            models.CheckConstraint(
                name="tpp_weights_sum_100",
                condition=Q(weight_performance__gte=0, weight_discipline__gte=0)
                & Q(weight_performance=100 - models.F("weight_discipline")),
                violation_error_message=_("Bobot kinerja dan bobot disiplin harus berjumlah 100%%."),
            ),
            models.CheckConstraint(
                name="tpp_cap_range", condition=Q(discipline_cut_cap__gte=0, discipline_cut_cap__lte=100)
            ),
        ]

    def __str__(self) -> str:
        return f"Kinerja {self.weight_performance}% / disiplin {self.weight_discipline}%"


class Sanction(TimeStampedModel):
    """A PP 94/2021 allowance cut decided by a human (e.g. 25% for 6 months); may cross months."""

    employee = models.ForeignKey("org.Employee", on_delete=models.PROTECT, related_name="tpp_sanctions")
    cut_percent = models.DecimalField(_("potongan (%)"), max_digits=5, decimal_places=2)
    start_date = models.DateField(_("mulai"))
    end_date = models.DateField(_("sampai"))
    decree_number = models.CharField(_("nomor keputusan"), max_length=100)
    reason = models.CharField(_("alasan"), max_length=255)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope_paths = EMPLOYEE_SCOPE

    class Meta:
        ordering = ["-start_date", "employee_id"]
        verbose_name = _("hukuman disiplin (PP 94/2021)")
        constraints = [
            models.CheckConstraint(name="sanction_period", condition=Q(end_date__gte=models.F("start_date"))),
            models.CheckConstraint(
                name="sanction_cut_range", condition=Q(cut_percent__gt=0, cut_percent__lte=100)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employee} {self.cut_percent}% {self.start_date}–{self.end_date}"


# --- TPP runs ------------------------------------------------------------------------------------------


class TppRun(TimeStampedModel):
    """The month's TPP of one unit: draft → reviewed → locked. A locked month changes only through a
    correction run, which supersedes it and keeps it."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Konsep")
        REVIEWED = "reviewed", _("Diperiksa")
        LOCKED = "locked", _("Dikunci")

    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="tpp_runs")
    year = models.PositiveSmallIntegerField(_("tahun"))
    month = models.PositiveSmallIntegerField(_("bulan"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    corrects = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
        verbose_name=_("mengoreksi"),
    )
    correction_reason = models.CharField(_("alasan koreksi"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    computed_at = models.DateTimeField(null=True, blank=True)
    locked_at = models.DateTimeField(null=True, blank=True)
    parameters = models.JSONField(_("parameter yang dipakai"), default=dict, blank=True)
    total_amount = models.DecimalField(_("jumlah TPP (Rp)"), max_digits=16, decimal_places=0, default=0)

    scope_paths = ScopePaths(region="unit__region__code", unit="unit__path")

    class Meta:
        ordering = ["-year", "-month", "unit_id", "-id"]
        verbose_name = _("perhitungan TPP")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "month"],
                condition=Q(corrects__isnull=True),
                name="tpp_run_one_regular",
            ),
            models.CheckConstraint(name="tpp_run_month", condition=Q(month__gte=1, month__lte=12)),
        ]

    def __str__(self) -> str:
        label = _("koreksi") if self.corrects_id else ""
        return f"TPP {self.unit} {self.month:02d}/{self.year} {label}".strip()


class TppLine(models.Model):
    """One employee's TPP in a run, with every step of its computation (``steps``) and the underlying
    days (``days``) so that "why is my TPP this amount" is answered from stored data."""

    run = models.ForeignKey(TppRun, on_delete=models.CASCADE, related_name="lines")
    employee = models.ForeignKey("org.Employee", on_delete=models.PROTECT, related_name="tpp_lines")
    kelas_jabatan = models.PositiveSmallIntegerField(null=True, blank=True)
    basic_amount = models.DecimalField(max_digits=12, decimal_places=0, default=0)
    working_days = models.PositiveSmallIntegerField(default=0)
    days_in_unit = models.PositiveSmallIntegerField(default=0)
    performance_percent = models.DecimalField(max_digits=6, decimal_places=2, default=0)
    attendance_cut_percent = models.DecimalField(max_digits=6, decimal_places=2, default=0)
    missing_report_days = models.PositiveSmallIntegerField(default=0)
    discipline_cut_percent = models.DecimalField(max_digits=6, decimal_places=2, default=0)
    sanction_cut_percent = models.DecimalField(max_digits=6, decimal_places=2, default=0)
    gross_amount = models.DecimalField(max_digits=12, decimal_places=0, default=0)
    amount = models.DecimalField(max_digits=12, decimal_places=0, default=0)
    problems = models.JSONField(default=list, blank=True)
    steps = models.JSONField(default=list, blank=True)
    days = models.JSONField(default=list, blank=True)

    scope_paths = EMPLOYEE_SCOPE

    class Meta:
        ordering = ["run_id", "employee__name", "id"]
        constraints = [models.UniqueConstraint(fields=["run", "employee"], name="tpp_line_unique")]

    def __str__(self) -> str:
        return f"{self.run} {self.employee}: Rp{self.amount:,.0f}"


class TppBudget(TimeStampedModel):
    """The TPP budget (pagu) of one unit for one year, entered by BKPSDM from the APBD; the leaders' view
    sets each unit's TPP totals against it."""

    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="tpp_budgets")
    year = models.PositiveSmallIntegerField(_("tahun"))
    amount = models.DecimalField(_("pagu TPP (Rp)"), max_digits=16, decimal_places=0)
    note = models.CharField(_("keterangan (mis. nomor DPA)"), max_length=255, blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope_paths = ScopePaths(region="unit__region__code", unit="unit__path")

    class Meta:
        ordering = ["-year", "unit_id"]
        verbose_name = _("pagu TPP")
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="tpp_budget_one_per_year"),
            models.CheckConstraint(name="tpp_budget_positive", condition=Q(amount__gte=0)),
        ]

    def __str__(self) -> str:
        return f"Pagu TPP {self.unit} {self.year}: Rp{self.amount:,.0f}"
