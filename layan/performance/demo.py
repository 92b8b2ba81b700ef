"""Demo data of the performance module (idempotent), on the demo kabupaten's units and employees.

Diskominfo (the attendance demo's unit) gets SKP for this year — the head's RHK and each staff RHK cascaded
under it — and daily reports for the last ten working days (most approved, today's waiting for the
supervisor); a TPP run of the previous month for the unit is computed as a draft when attendance exists."""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from layan.core import calendar
from layan.org.models import Employee, Unit
from layan.performance.models import DailyReport, Indicator, Rhk, Skp

UNIT_CODE = "DISKOMINFO"
NAMESPACE = uuid.UUID("0b7f3c1e-2d4a-4e55-9a61-7f3e5d2c9b11")
ACTIVITIES = [
    ("Memutakhirkan data layanan di portal", "halaman", 3),
    ("Menindaklanjuti gangguan jaringan kantor kecamatan", "tiket", 2),
    ("Menyusun bahan rapat koordinasi", "dokumen", 1),
    ("Melayani permintaan data dari OPD", "permintaan", 4),
]


def _say(stdout, message: str) -> None:
    if stdout is not None:
        stdout.write(message)


@transaction.atomic
def load_demo(*, stdout=None) -> None:
    unit = Unit.objects.filter(code=UNIT_CODE).first() or Unit.objects.filter(employees__isnull=False).first()
    if unit is None:
        _say(stdout, "performance: no demo unit, skipped\n")
        return
    staff = list(Employee.objects.filter(unit=unit, employment_end__isnull=True).select_related("supervisor"))
    today = calendar.local_today(unit.region_id)
    year = today.year
    skps = {}
    for employee in sorted(staff, key=lambda e: e.supervisor_id is not None):
        skp, _ = Skp.objects.get_or_create(
            employee=employee,
            year=year,
            defaults={"supervisor": employee.supervisor, "status": Skp.Status.AGREED},
        )
        skps[employee.pk] = skp
        if skp.rhks.exists():
            continue
        parent = None
        if employee.supervisor_id and employee.supervisor_id in skps:
            parent = skps[employee.supervisor_id].rhks.first()
        rhk = Rhk.objects.create(
            skp=skp,
            parent=parent,
            title="Layanan TIK pemerintah daerah andal"
            if parent is None
            else "Layanan data dan jaringan tepat waktu",
            behaviour_expectation="Berorientasi pelayanan: menanggapi permintaan OPD pada hari yang sama.",
        )
        Indicator.objects.create(
            rhk=rhk,
            aspect=Indicator.Aspect.QUANTITY,
            description="Permintaan layanan selesai",
            target=200,
            target_unit="permintaan",
        )
    days = calendar.working_days_in(today - timedelta(days=16), today, unit.region_id)[-10:]
    created = 0
    for employee in staff:
        if employee.supervisor_id is None:
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
    _say(stdout, f"performance: {len(skps)} SKP, {created} new daily reports in {unit.name}\n")
