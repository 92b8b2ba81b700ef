"""Demo data of the performance module (idempotent), on the demo kabupaten's units and employees.

Two units (Diskominfo and Dinas Kesehatan) get agreed SKP for this year cascading from the top of their
chain: the Sekda's RHK → the unit head's → the middle managers' → the staff's, each with indicators
(quantity, quality, time) and BerAKHLAK expectations. Diskominfo also gets daily reports for the last ten
working days (most approved, today's waiting for the supervisor). Both units get their organisation
rating and last month's evaluation in progress (about half of the staff rated, not yet finalised)."""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from layan.core import calendar
from layan.org.models import Employee, Unit
from layan.performance.models import (
    BehaviourExpectation,
    BerAkhlak,
    DailyReport,
    Evaluation,
    Indicator,
    OrganisationRating,
    OrgRating,
    Rating,
    Rhk,
    Skp,
    TppBasicRate,
    TppBudget,
)
from layan.performance.services import predikat_for

UNIT_CODE = "DISKOMINFO"
CASCADE_UNITS = ("DISKOMINFO", "DINKES")
NAMESPACE = uuid.UUID("0b7f3c1e-2d4a-4e55-9a61-7f3e5d2c9b11")
ACTIVITIES = [
    ("Memutakhirkan data layanan di portal", "halaman", 3),
    ("Menindaklanjuti gangguan jaringan kantor kecamatan", "tiket", 2),
    ("Menyusun bahan rapat koordinasi", "dokumen", 1),
    ("Melayani permintaan data dari OPD", "permintaan", 4),
]
TOP_TITLE = "Tata kelola pemerintahan daerah yang efektif dan akuntabel"
# Titles per unit and tier: (head, middle managers, staff); other units get the generic ones.
TITLES = {
    "DISKOMINFO": (
        "Layanan TIK pemerintah daerah andal",
        "Jaringan dan aplikasi perangkat daerah berfungsi tanpa gangguan",
        "Layanan data dan jaringan tepat waktu",
    ),
    "DINKES": (
        "Derajat kesehatan masyarakat meningkat",
        "Cakupan layanan kesehatan dasar tercapai",
        "Data dan laporan program kesehatan tepat waktu",
    ),
}
GENERIC = (
    "Kinerja perangkat daerah tercapai",
    "Program bidang terlaksana sesuai rencana",
    "Tugas pelayanan terselesaikan tepat waktu",
)
BEHAVIOURS = {
    BerAkhlak.BERORIENTASI_PELAYANAN: "Menanggapi permintaan layanan pada hari yang sama.",
    BerAkhlak.KOLABORATIF: "Berbagi data dan bahan kerja dengan bidang lain tanpa diminta.",
}
# Last month's ratings of the rated half: (results, behaviour), in turn.
RATINGS = [
    (Rating.AS_EXPECTED, Rating.AS_EXPECTED),
    (Rating.ABOVE, Rating.ABOVE),
    (Rating.AS_EXPECTED, Rating.ABOVE),
    (Rating.BELOW, Rating.AS_EXPECTED),
]


def _say(stdout, message: str) -> None:
    if stdout is not None:
        stdout.write(message)


def _indicators(rhk: Rhk, tier: int) -> None:
    target = (12, 48, 200)[min(tier, 2)]
    Indicator.objects.bulk_create(
        [
            Indicator(
                rhk=rhk,
                aspect=Indicator.Aspect.QUANTITY,
                description="Keluaran selesai",
                target=target,
                target_unit="keluaran",
            ),
            Indicator(
                rhk=rhk,
                aspect=Indicator.Aspect.QUALITY,
                description="Keluaran diterima tanpa revisi",
                target=90,
                target_unit="persen",
            ),
            Indicator(
                rhk=rhk,
                aspect=Indicator.Aspect.TIME,
                description="Selesai sesuai jadwal",
                target=12,
                target_unit="bulan",
            ),
        ]
    )


def _plan(employee: Employee, year: int, title: str, parent: Rhk | None, tier: int) -> Skp:
    """An agreed plan with one RHK under ``parent`` (created once; a missing parent is filled in later)."""
    skp, _ = Skp.objects.get_or_create(
        employee=employee,
        year=year,
        defaults={
            "supervisor_id": employee.supervisor_id,
            "status": Skp.Status.AGREED,
            "agreed_at": timezone.now(),
            "submitted_at": timezone.now(),
        },
    )
    rhk = skp.rhks.first()
    if rhk is None:
        rhk = Rhk.objects.create(
            skp=skp,
            parent=parent,
            title=title,
            behaviour_expectation="Berorientasi pelayanan: menanggapi permintaan OPD pada hari yang sama.",
        )
        _indicators(rhk, tier)
    elif rhk.parent_id is None and parent is not None:
        rhk.parent = parent
        rhk.save(update_fields=["parent", "updated_at"])
    for value, text in BEHAVIOURS.items():
        BehaviourExpectation.objects.get_or_create(skp=skp, value=value, defaults={"expectation": text})
    return skp


def _cascade(unit: Unit, year: int) -> dict[int, Skp]:
    """Plans for the unit's staff in chain order (each supervisor before their reports), after the plans
    of the chain above the unit's head (e.g. the Sekda, the top)."""
    staff = {e.pk: e for e in Employee.objects.filter(unit=unit, employment_end__isnull=True)}
    if not staff:
        return {}

    def depth(employee: Employee, seen=()) -> int:
        supervisor = employee.supervisor_id
        if supervisor not in staff or supervisor in seen:
            return 0
        return depth(staff[supervisor], (*seen, employee.pk)) + 1

    head_title, middle_title, staff_title = TITLES.get(unit.code, GENERIC)
    ordered = sorted(staff.values(), key=lambda e: (depth(e), e.name, e.pk))
    skps: dict[int, Skp] = {}
    # Above the unit: the head's supervisor chain, top first.
    above, current = [], ordered[0].supervisor
    while current is not None and current.pk not in staff and len(above) < 5:
        above.insert(0, current)
        current = current.supervisor
    parent = None
    for boss in above:
        skp = _plan(boss, year, TOP_TITLE if boss.supervisor_id is None else GENERIC[0], parent, 0)
        parent = skp.rhks.first()
        skps[boss.pk] = skp
    for employee in ordered:
        tier = depth(employee)
        title = (head_title, middle_title, staff_title)[min(tier, 2)]
        supervisor_skp = skps.get(employee.supervisor_id)
        parent = supervisor_skp.rhks.first() if supervisor_skp else None
        skps[employee.pk] = _plan(employee, year, title, parent, tier)
    return skps


def _reports(unit: Unit, skps: dict[int, Skp], today) -> int:
    staff = list(Employee.objects.filter(unit=unit, employment_end__isnull=True).select_related("supervisor"))
    days = calendar.working_days_in(today - timedelta(days=16), today, unit.region_id)[-10:]
    created = 0
    for employee in staff:
        if employee.supervisor_id is None or employee.pk not in skps:
            continue
        rhk = skps[employee.pk].rhks.first()
        for index, day in enumerate(days):
            activity, output, quantity = ACTIVITIES[(employee.pk + index) % len(ACTIVITIES)]
            key = uuid.uuid5(NAMESPACE, f"{employee.pk}:{day.isoformat()}")
            is_today = day == today
            _, made = DailyReport.objects.get_or_create(
                employee=employee,
                client_uuid=key,
                defaults={
                    "date": day,
                    "rhk": rhk,
                    "activity": activity,
                    "output": output,
                    "quantity": quantity,
                    "minutes": 120,
                    "mode": DailyReport.Mode.WFO if index % 3 else DailyReport.Mode.WFH,
                    "status": DailyReport.Status.SUBMITTED if is_today else DailyReport.Status.APPROVED,
                    "decided_at": None if is_today else timezone.now(),
                    "decided_by": None
                    if is_today or not employee.supervisor.user_id
                    else employee.supervisor.user,
                    "submitted_at": timezone.now(),
                },
            )
            created += made
    return created


def _evaluation_in_progress(unit: Unit, today) -> int:
    """Last month's evaluation of the unit, half done: every other employee rated by their supervisor."""
    end = today.replace(day=1) - timedelta(days=1)
    start = end.replace(day=1)
    OrganisationRating.objects.get_or_create(
        unit=unit,
        year=start.year,
        defaults={"rating": OrgRating.BAIK, "basis": "Demo: hasil evaluasi SAKIP (contoh)"},
    )
    staff = list(
        Employee.objects.filter(unit=unit, employment_end__isnull=True, supervisor__isnull=False)
        .select_related("supervisor")
        .order_by("name", "id")
    )
    created = 0
    for index, employee in enumerate(staff[::2]):
        result, behaviour = RATINGS[index % len(RATINGS)]
        _, made = Evaluation.objects.get_or_create(
            employee=employee,
            kind=Evaluation.Kind.MONTHLY,
            period_start=start,
            defaults={
                "period_end": end,
                "result_rating": result,
                "behaviour_rating": behaviour,
                "predikat": predikat_for(result=result, behaviour=behaviour),
                "feedback": "Pertahankan ketepatan waktu laporan; dokumentasikan hasil dengan foto.",
                "evaluator": employee.supervisor.user,
            },
        )
        created += made
    return created


def _budgets(year: int) -> int:
    """This year's TPP budget (pagu) of every unit with staff, for the leaders' view: the basic TPP of its
    staff for twelve months (created once; BKPSDM changes it on the budget page)."""
    rates = {r.kelas_jabatan: r.amount for r in TppBasicRate.in_force(timezone.localdate())}
    created = 0
    for unit in Unit.objects.filter(is_active=True, employees__employment_end__isnull=True).distinct():
        kelas = unit.employees.filter(employment_end__isnull=True, position__isnull=False).values_list(
            "position__kelas_jabatan", flat=True
        )
        amount = sum(rates.get(k, 0) for k in kelas) * 12
        if amount:
            _budget, new = TppBudget.objects.get_or_create(
                unit=unit, year=year, defaults={"amount": amount, "note": "Demo: TPP dasar × 12 bulan"}
            )
            created += new
    return created


@transaction.atomic
def load_demo(*, stdout=None) -> None:
    units = list(Unit.objects.filter(code__in=CASCADE_UNITS).order_by("code"))
    if not units:
        fallback = Unit.objects.filter(employees__isnull=False).first()
        units = [fallback] if fallback else []
    if not units:
        _say(stdout, "performance: no demo unit, skipped\n")
        return
    main = next((u for u in units if u.code == UNIT_CODE), units[0])
    today = calendar.local_today(main.region_id)
    plans = {unit.pk: _cascade(unit, today.year) for unit in units}
    reports = _reports(main, plans[main.pk], today)
    evaluations = sum(_evaluation_in_progress(unit, today) for unit in units)
    budgets = _budgets(today.year)
    count = sum(len(p) for p in plans.values())
    _say(
        stdout,
        f"performance: {count} SKP in {len(units)} units, {reports} new daily reports in {main.name}, "
        f"{evaluations} new evaluations (last month, in progress), {budgets} new TPP budgets\n",
    )
