"""Demo data of complaints (idempotent): categories mapped to the demo units, ~30 cases from every channel in
every state (SLA visible at each step), a WhatsApp message and an email kept in the inbox, one confidential
and one anonymous case, ratings, and an Open311 client key for trying /open311/v2/."""

from __future__ import annotations

import hashlib
import json
import random
import uuid
from pathlib import Path

from django.conf import settings
from django.db import transaction

from layan.complaints import services
from layan.complaints.models import Case, Category, InboundMessage, Open311Client, State

NAMESPACE = uuid.UUID("0b4f4c1e-5c1a-4e0f-9a57-62f1a3d0c311")
CATEGORY_UNITS = {
    "jalan": "DPUPR",
    "pju": "DPUPR",
    "air": "DPUPR",
    "kesehatan": "DINKES",
    "covid": "DINKES",
    "pendidikan": "DISDIKBUD",
    "adminduk": "DISDUKCAPIL",
    "bansos": "DINSOS",
    "bencana": "BPBD",
    "pasar": "DISPERINDAG",
    "perizinan": "DISPERINDAG",
    "asn": "BKPSDM",
    "lainnya": "DISKOMINFO",
    "sampah": "DPUPR",
    "transportasi": "DPUPR",
    "ketertiban": "DISKOMINFO",
}
DEMO_OPEN311_KEY = "demo-open311-kunci-layan"
PAYLOADS = Path(__file__).resolve().parent / "tests" / "payloads"


def _say(stdout, message: str) -> None:
    if stdout is not None:
        stdout.write(message)


def load_demo(*, stdout=None) -> dict:
    if settings.PRODUCTION:
        raise RuntimeError("Demo data is never loaded in production")
    from layan.core.models import User
    from layan.org.models import Unit
    from layan.regions.models import Region

    operator = User.objects.filter(username="operator.pengaduan").first()
    head = User.objects.filter(username="kepala.unit").first()
    if operator is None:
        _say(stdout, "complaints demo: account operator.pengaduan not found; run the core demo first")
        return {}
    units = {u.code: u for u in Unit.objects.filter(code__in=set(CATEGORY_UNITS.values()))}
    for category in Category.objects.all():
        unit = units.get(CATEGORY_UNITS.get(category.code, ""))
        if unit is not None and category.unit_id is None:
            Category.objects.filter(pk=category.pk).update(unit=unit)
    villages = list(
        Region.objects.filter(code__startswith=settings.LAYAN_REGION_CODE + ".", level=4)
        .order_by("code")
        .values_list("code", flat=True)[:60]
    )
    if not villages:
        _say(stdout, "complaints demo: no desa/kelurahan of the kabupaten loaded")
        return {}
    from layan.complaints.classifier import load_corpus

    rng = random.Random(7205)
    corpus = [row for row in load_corpus() if row["group"].endswith("-00") or row["group"].endswith("-01")]
    rng.shuffle(corpus)
    created = 0
    plans = [
        "baru",
        "diverifikasi",
        "didisposisikan",
        "diproses",
        "menunggu",
        "selesai",
        "ditutup",
        "dinilai",
        "ditolak",
        "bukan_wewenang",
        "duplikat",
    ]
    categories = {c.code: c for c in Category.objects.select_related("unit")}
    originals: dict[str, Case] = {}
    for index, row in enumerate(corpus[:33]):
        key = uuid.uuid5(NAMESPACE, f"case-{index}")
        if Case.objects.filter(client_key=key).exists():
            continue
        plan = plans[index % len(plans)]
        category = categories[row["category"]]
        with transaction.atomic():
            case = services.case_submit(
                actor=None,
                category=category if index % 3 else None,
                title=row["text"][:70],
                description=row["text"]
                if len(row["text"]) >= 20
                else row["text"] + " mohon segera ditangani.",
                region_code=villages[index % len(villages)],
                reporter_name=f"Warga Demo {index + 1}",
                reporter_email=f"warga{index + 1}@contoh.id",
                is_anonymous=index % 7 == 3,
                is_confidential=index % 9 == 4,
                client_key=key,
                channel=["web", "phone", "walk_in", "api"][index % 4],
                latitude=-0.95 + rng.uniform(-0.3, 0.3),
                longitude=122.8 + rng.uniform(-0.6, 0.3),
            )
            created += 1
            _advance(case, plan, operator=operator, head=head, category=category, originals=originals)
    received = _demo_messages(operator)
    Open311Client.objects.get_or_create(
        key_hash=hashlib.sha256(DEMO_OPEN311_KEY.encode()).hexdigest(),
        defaults={"name": "Aplikasi Open311 (demo)"},
    )
    _say(
        stdout,
        f"complaints demo: {created} cases, {received} inbound messages, Open311 key {DEMO_OPEN311_KEY}",
    )
    return {"cases": created, "messages": received}


def _advance(case: Case, plan: str, *, operator, head, category: Category, originals: dict) -> None:
    if plan == "baru":
        return
    if plan == "duplikat" and category.code in originals:
        services.case_mark_duplicate(actor=operator, case=case, original=originals[category.code])
        return
    if plan in {"ditolak", "bukan_wewenang"}:
        services.case_reject(
            actor=operator,
            case=case,
            reason="Laporan ini menyangkut perkara pidana.",
            not_authority=plan == "bukan_wewenang",
            redirect_to="Polres Banggai (SPKT)" if plan == "bukan_wewenang" else "",
        )
        return
    case = services.case_verify(actor=operator, case=case, category=category)
    originals.setdefault(category.code, case)
    if plan == "diverifikasi" or category.unit is None:
        return
    case = services.case_route(actor=operator, case=case, unit=category.unit)
    if plan == "didisposisikan":
        return
    services.case_reply(actor=operator, case=case, body="Terima kasih, laporan sedang kami tindak lanjuti.")
    case.refresh_from_db()
    if plan == "diproses":
        return
    if plan == "menunggu":
        services.case_request_info(
            actor=operator, case=case, question="Mohon kirim foto dan patokan lokasinya."
        )
        return
    case = services.case_resolve(
        actor=operator, case=case, answer="Sudah ditangani oleh tim lapangan hari ini."
    )
    if plan in {"ditutup", "dinilai"}:
        case = services.case_close(actor=None, case=case, by_citizen=True)
    if plan in {"selesai", "dinilai"}:
        services.case_rate(case=case, rating=4 if plan == "dinilai" else 5, comment="Terima kasih, cepat.")


def _demo_messages(operator) -> int:
    """A WhatsApp message and an email as the providers send them; the WhatsApp one becomes a case."""
    from layan.complaints.channels.email import parse_mailgun_form
    from layan.complaints.channels.meta import parse_whatsapp

    count = 0
    whatsapp = json.loads((PAYLOADS / "whatsapp_text.json").read_text())
    for item in parse_whatsapp(whatsapp):
        message = services.message_receive(
            channel=item.channel,
            external_id=item.external_id,
            sender=item.sender,
            sender_name=item.sender_name,
            body=item.body,
            raw=json.dumps(whatsapp),
            received_at=item.received_at,
        )
        count += 1
        if message.status == InboundMessage.Status.NEW:
            services.message_convert(
                actor=operator, message=message, category=Category.objects.get(code="pju")
            )
    form = json.loads((PAYLOADS / "mailgun_inbound.json").read_text())
    parsed = parse_mailgun_form(form)
    services.message_receive(
        channel="email",
        external_id=parsed.external_id,
        sender=parsed.sender,
        sender_name=parsed.sender_name,
        subject=parsed.subject,
        body=parsed.body,
        raw=json.dumps(form),
    )
    return count + 1


__all__ = ["load_demo", "DEMO_OPEN311_KEY", "State"]
