"""Demo data of the aid module: a village list imported (with a few rejected and duplicate rows), a PKH
round approved, a BLT-DD round waiting for legalisation with its conflicts, an ASN Peduli donation.

``load_demo`` is idempotent: a second run finds the same import (by file hash) and changes nothing.
It builds on the demo regions (Kabupaten Banggai, 72.01) and employees loaded before it."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction

from layan.aid.models import AsnDonation, Program, Resident, ResidentImport, Round
from layan.aid.services import (
    asn_donation_record,
    enrolment_add,
    resident_import_create,
    resident_import_run,
    round_approve,
    round_create,
    round_submit,
)

HEADER = (
    "id_sumber,nik,no_kk,nama,jenis_kelamin,tempat_lahir,tanggal_lahir,alamat,rt,rw,kode_desa,pekerjaan,telepon,"
    "hubungan_keluarga,lansia,disabilitas,sakit_kronis,kehilangan_pekerjaan,kepala_keluarga_perempuan"
)
MALE = ["Ahmad", "Budi", "Muhammad Rizki", "Andi", "Hasan", "Yusuf", "Samsul", "Arifin", "Rahmat", "Darwis"]
FEMALE = [
    "Siti",
    "Nurhayati",
    "Wa Ode",
    "Fatmawati",
    "Rosmini",
    "Hasna",
    "Marlina",
    "Sitti Aminah",
    "Yuliana",
]
FAMILY = ["Lamato", "Tompo", "Sahiu", "Pakaya", "Laiya", "Dg. Masiga", "Abas", "Yotolembah"]


def _system_actor():
    from layan.core.models import RoleAssignment, User

    user, created = User.objects.get_or_create(
        username="demo.petugas.bansos", defaults={"full_name": "Petugas Bansos (demo)", "is_demo": True}
    )
    if created:
        user.set_unusable_password()
        user.save()
        RoleAssignment.objects.create(
            user=user, role="petugas_bansos", scope_region="72.01", valid_from=date(2020, 1, 1)
        )
    approver, created = User.objects.get_or_create(
        username="demo.camat.bansos", defaults={"full_name": "Camat (demo)", "is_demo": True}
    )
    if created:
        approver.set_unusable_password()
        approver.save()
        RoleAssignment.objects.create(
            user=approver, role="pimpinan", scope_region="72.01", valid_from=date(2020, 1, 1)
        )
    return user, approver


def _village_list(desa_codes: list[str]) -> bytes:
    rng = random.Random(2020)
    lines, serial = [HEADER], 0
    for family_no in range(60):
        desa = desa_codes[family_no % len(desa_codes)]
        kec = desa[:8].replace(".", "")
        kk = f"{kec}0101200{family_no + 1:03d}"
        surname = rng.choice(FAMILY)
        head_birth = date(1950, 1, 1) + timedelta(days=rng.randrange(0, 40 * 365))
        members = [("L", head_birth, "kepala keluarga"), ("P", head_birth + timedelta(days=900), "istri")]
        members += [
            (rng.choice("LP"), head_birth + timedelta(days=rng.randrange(8000, 12000)), "anak")
            for _ in range(rng.randrange(0, 3))
        ]
        for sex, birth, relation in members:
            serial += 1
            day = birth.day + (40 if sex == "P" else 0)
            nik = f"{kec}{day:02d}{birth.month:02d}{birth.year % 100:02d}{serial:04d}"
            name = f"{rng.choice(MALE if sex == 'L' else FEMALE)} {surname}"
            elderly = "1" if birth.year < 1962 else "0"
            flags = [
                elderly,
                "1" if rng.random() < 0.05 else "0",
                "1" if rng.random() < 0.05 else "0",
                "1" if rng.random() < 0.15 else "0",
                "1" if relation == "kepala keluarga" and sex == "P" else "0",
            ]
            lines.append(
                ",".join(
                    [
                        f"DESA-{serial:04d}",
                        nik,
                        kk,
                        name,
                        sex,
                        "Luwuk",
                        birth.isoformat(),
                        f"Jl. Trans Sulawesi No. {family_no + 1}",
                        "001",
                        "002",
                        desa,
                        "Petani",
                        "",
                        relation,
                        *flags,
                    ]
                )
            )
    # Rows an operator must correct: a short NIK, a birth date in the future, an unknown desa.
    lines.append(f"DESA-9001,72010112,,Nik Pendek,L,Luwuk,1980-01-01,Jl,1,1,{desa_codes[0]},,,,0,0,0,0,0")
    lines.append(f"DESA-9002,,,Lahir Nanti,P,Luwuk,2099-01-01,Jl,1,1,{desa_codes[0]},,,,0,0,0,0,0")
    lines.append("DESA-9003,,,Desa Asing,P,Luwuk,1980-01-01,Jl,1,1,72.01.99.2999,,,,0,0,0,0,0")
    return ("\n".join(lines) + "\n").encode()


NONONG = "72.01.01.2002"  # the desa of the kades.nonong and operator.desa demo accounts (layan.core.demo)


def load_demo(*, stdout=None) -> None:
    from layan.regions.models import Region

    # The demo's kepala desa and village operator serve Desa Nonong (Kecamatan Batui): the rounds are in
    # their desa, the list also covers three neighbouring desa of the kecamatan.
    nearby = Region.objects.filter(code__startswith=NONONG[:9], level=4).exclude(code=NONONG).order_by("code")
    desa_codes = [
        *Region.objects.filter(code=NONONG).values_list("code", flat=True),
        *nearby.values_list("code", flat=True)[:3],
    ]
    if len(desa_codes) < 4:  # (regions loaded without Nonong: any four desa of the kabupaten)
        desa_codes = list(
            Region.objects.filter(code__startswith="72.01.", level=4)
            .order_by("code")
            .values_list("code", flat=True)[:4]
        )
    if not desa_codes:
        if stdout:
            stdout.write("aid: no demo regions under 72.01; skipped")
        return
    actor, approver = _system_actor()
    data = _village_list(desa_codes)
    import hashlib

    earlier = ResidentImport.objects.filter(file_sha256=hashlib.sha256(data).hexdigest())
    if not earlier.exists():
        # Uploaded by the kabupaten's aid officer, so the import and its rejected rows are theirs to see.
        record = resident_import_create(
            actor=actor, data=data, file_name="daftar-desa-demo.csv", source="Daftar desa (demo)"
        )
        counts = resident_import_run(resident_import=record)
        if stdout:
            stdout.write(f"aid: imported {counts.imported}, rejected {counts.rejected}")
    else:  # a demo loaded before the import had an uploader was visible to nobody
        earlier.filter(uploaded_by=None).update(uploaded_by=actor, scope_region="72.01")
    programs = {p.code: p for p in Program.objects.all()}
    area = desa_codes[0]
    families = list(
        {
            r.family
            for r in Resident.objects.filter(desa_id=area)
            .exclude(family=None)
            .select_related("family")
            .order_by("id")
        }
    )
    families.sort(key=lambda f: f.pk)
    with transaction.atomic():
        if not Round.objects.filter(program=programs["pkh"], area_id=area, stage=1).exists():
            pkh = round_create(
                actor=actor,
                program=programs["pkh"],
                area=area,
                stage=1,
                period_start=date(2020, 4, 1),
                period_end=date(2020, 6, 30),
            )
            for family in families[:3]:
                enrolment_add(actor=actor, rnd=pkh, family=family)
            round_submit(
                actor=actor,
                rnd=pkh,
                meeting_date=date(2020, 4, 6),
                meeting_record="BA/PKH/01/2020",
                meeting_signed_by="Kepala Desa",
            )
            round_approve(actor=approver, rnd=pkh)
        if not Round.objects.filter(program=programs["blt-dd"], area_id=area, stage=1).exists():
            blt = round_create(
                actor=actor,
                program=programs["blt-dd"],
                area=area,
                stage=1,
                period_start=date(2020, 5, 1),
                period_end=date(2020, 7, 31),
            )
            for family in families[1:6]:  # two of them already on PKH: conflicts shown before approval
                enrolment_add(actor=actor, rnd=blt, family=family)
            round_submit(
                actor=actor,
                rnd=blt,
                meeting_date=date(2020, 5, 4),
                meeting_record="BA/MUSDESUS/02/2020",
                meeting_signed_by="Kepala Desa",
            )
        _asn_peduli(actor, area)


DEMO_PACKAGE = "Beras 10 kg, minyak goreng 2 liter, gula 1 kg (ASN Peduli demo)"


def _demo_photo():
    """A deterministic JPEG standing in for the handover photo taken on the phone."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    rng = random.Random(2021)
    small = Image.new("RGB", (8, 6))
    small.putdata([(rng.randrange(256), rng.randrange(256), rng.randrange(256)) for _ in range(48)])
    buffer = io.BytesIO()
    small.resize((320, 240)).save(buffer, format="JPEG")
    return SimpleUploadedFile("serah-terima-asn-peduli.jpg", buffer.getvalue(), content_type="image/jpeg")


def _asn_peduli(actor, area: str) -> None:
    """Two employees pledge (cash per month, rice), their unit records what they gave against the pledges,
    assembles a package, and the petugas bansos hands it to a vulnerable family receiving nothing."""
    from django.utils import timezone

    from layan.aid.models import AsnPackage, AsnPledge
    from layan.aid.selectors import asn_target_families
    from layan.aid.services import (
        EvidenceInput,
        asn_package_create,
        asn_package_hand_over,
        asn_pledge_create,
    )
    from layan.core.models import RoleAssignment, User
    from layan.org.models import Employee

    employees = list(Employee.objects.filter(unit__region__code__startswith="72.01").order_by("id")[:2])
    if not employees:
        return
    admin, created = User.objects.get_or_create(username="demo.admin.asn", defaults={"is_demo": True})
    if created:
        admin.set_unusable_password()
        admin.save()
        RoleAssignment.objects.create(
            user=admin, role="admin_sistem", scope_region="72.01", valid_from=date(2020, 1, 1)
        )
    plans = [
        (employees[0], AsnPledge.Kind.CASH, Decimal(100000), "", [date(2020, 5, 1), date(2020, 6, 1)]),
        (employees[-1], AsnPledge.Kind.GOODS, None, "beras 5 kg per bulan", [date(2020, 5, 1)]),
    ]
    for employee, kind, amount, goods, months in plans:
        pledge = AsnPledge.objects.filter(employee=employee, kind=kind).first()
        if pledge is None:
            pledge = asn_pledge_create(
                actor=admin,
                employee=employee,
                kind=kind,
                amount_per_month=amount,
                goods=goods,
                start_month=date(2020, 5, 1),
            )
        for month in months:
            if not AsnDonation.objects.filter(employee=employee, month=month).exists():
                asn_donation_record(actor=admin, pledge=pledge, month=month)
    if AsnPackage.objects.filter(contents=DEMO_PACKAGE).exists():
        return
    package = asn_package_create(
        actor=admin, unit=employees[0].unit, contents=DEMO_PACKAGE, value=Decimal(150000)
    )
    today = timezone.localdate()
    family = asn_target_families(actor, year=today.year, area=area).first()
    if family is None:
        return  # everyone vulnerable already receives something: the package waits in the unit
    now = timezone.now()
    asn_package_hand_over(
        actor=actor,
        package=package,
        family=family,
        handed_at=now,
        evidence=[
            EvidenceInput(
                upload=_demo_photo(),
                taken_at=now,
                latitude=Decimal("-1.451200"),
                longitude=Decimal("122.057100"),
            )
        ],
    )
