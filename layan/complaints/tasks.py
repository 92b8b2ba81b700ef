"""Background work of complaints: notifications, the classifier's suggestion and retraining, channel pollers,
and the SLA sweep (auto-close, escalation to the unit head and then the leaders)."""

from __future__ import annotations

import json
import logging
from datetime import datetime, time

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from layan.complaints.channels import outbound, setting
from layan.complaints.models import OPEN_STATES, Case, CaseEvent, Clock, InboundMessage, State
from layan.core.audit import audit_write
from layan.core.calendar import zone_for_region
from layan.core.models import Notification, RoleAssignment
from layan.core.roles import ROLE_PERMISSIONS, Role

logger = logging.getLogger(__name__)


def public_url(path: str) -> str:
    return (getattr(settings, "LAYAN_PUBLIC_URL", "") or "http://127.0.0.1:8000").rstrip("/") + path


def tracking_url(case: Case) -> str:
    return public_url(reverse("complaints:track_case", args=[case.code]))


# --- notifications --------------------------------------------------------------------------------------


def _citizen_message(event: CaseEvent) -> tuple[str, str]:
    case = event.case
    subject = f"[{case.code}] {event.get_kind_display()}: {case.title[:60]}"
    lines = [
        _("Laporan Anda dengan kode %(code)s: %(state)s.")
        % {"code": case.code, "state": case.get_state_display()},
    ]
    if event.body:
        lines += ["", event.body]
    if case.state == State.MENUNGGU_PELAPOR:
        lines += ["", _("Balas pesan ini atau buka halaman lacak untuk melengkapi laporan.")]
    if case.state == State.SELESAI:
        lines += [
            "",
            _(
                "Jika masalah belum selesai, buka kembali laporan dari halaman lacak. Beri penilaian Anda "
                "di sana juga."
            ),
        ]
    lines += ["", _("Lacak laporan: %(url)s") % {"url": tracking_url(case)}]
    return subject, "\n".join(lines)


@shared_task
def notify_citizens(event_id: int) -> int:
    """Email (and WhatsApp/SMS when a gateway is configured) to the reporter and the followers."""
    event = CaseEvent.objects.select_related("case").filter(pk=event_id, is_public=True).first()
    if event is None:
        return 0
    case = event.case
    subject, body = _citizen_message(event)
    sent = 0
    recipients = [(case.reporter_email, case.reporter_phone)]
    recipients += [(f.email, f.phone) for f in case.followers.all()]
    for email_address, phone in recipients:
        try:
            if email_address:
                sent += int(outbound.send_email(to=email_address, subject=subject, body=body))
            elif phone:
                sender = outbound.send_whatsapp if case.channel == "whatsapp" else outbound.send_sms
                sent += int(sender(to=phone, body=f"{subject}\n{body}"))
        except Exception:  # noqa: BLE001 - one failed address must not stop the others
            logger.warning("complaint notification failed", extra={"case": case.code})
    return sent


def _handlers_of_unit(unit, *, heads_only: bool = False) -> list[int]:
    """Users whose unit-scoped roles cover ``unit`` and can handle complaints (or only kepala unit)."""
    roles = (
        [Role.KEPALA_UNIT]
        if heads_only
        else [role for role, perms in ROLE_PERMISSIONS.items() if "complaints.handle" in perms]
    )
    today = timezone.localdate()
    users = set()
    for assignment in RoleAssignment.objects.filter(
        role__in=roles, scope_unit__isnull=False, valid_from__lte=today
    ).select_related("scope_unit"):
        if assignment.valid_to and assignment.valid_to < today:
            continue
        if unit.path.startswith(assignment.scope_unit.path):
            users.add(assignment.user_id)
    return sorted(users)


def _verifiers() -> list[int]:
    today = timezone.localdate()
    return sorted(
        set(
            RoleAssignment.objects.filter(
                role=Role.OPERATOR_PENGADUAN, scope_unit__isnull=True, valid_from__lte=today
            ).values_list("user_id", flat=True)
        )
    )


def _leaders() -> list[int]:
    today = timezone.localdate()
    return sorted(
        set(
            RoleAssignment.objects.filter(role=Role.PIMPINAN, valid_from__lte=today).values_list(
                "user_id", flat=True
            )
        )
    )


@shared_task
def notify_unit(case_id: int) -> int:
    case = Case.objects.select_related("assigned_unit").filter(pk=case_id).first()
    if case is None:
        return 0
    users = _handlers_of_unit(case.assigned_unit) if case.assigned_unit_id else _verifiers()
    url = reverse("complaints:case_detail", args=[case.code])
    Notification.objects.bulk_create(
        [
            Notification(
                user_id=u,
                title=_("Laporan %(code)s perlu ditindaklanjuti") % {"code": case.code},
                body=case.title[:200],
                url=url,
            )
            for u in users
        ]
    )
    return len(users)


@shared_task
def send_message_answer(message_id: int) -> bool:
    message = InboundMessage.objects.filter(pk=message_id).first()
    if message is None or not message.answer:
        return False
    subject = _("Jawaban atas pesan Anda") + (f": {message.subject[:80]}" if message.subject else "")
    if "@" in message.sender:
        return outbound.send_email(to=message.sender, subject=subject, body=message.answer)
    if message.channel == "whatsapp":
        return outbound.send_whatsapp(to=message.sender, body=message.answer)
    if message.channel == "sms":
        return outbound.send_sms(to=message.sender, body=message.answer)
    return False


# --- classifier ------------------------------------------------------------------------------------------


@shared_task
def suggest_category(case_id: int) -> str | None:
    from layan.complaints import classifier
    from layan.complaints.services import case_set_suggestion

    case = Case.objects.filter(pk=case_id).only("title", "description").first()
    if case is None:
        return None
    model = classifier.get_classifier(train_if_missing=False)
    if model is None:
        return None
    prediction = model.predict_one(f"{case.title}. {case.description}")
    case_set_suggestion(case_id=case_id, category_code=prediction.category, confidence=prediction.confidence)
    return prediction.category


@shared_task
def retrain_classifier(job_id: str) -> None:
    """Retrain on the starter corpus plus every verified case (the verifiers' corrections), then save."""
    from layan.complaints import classifier
    from layan.core.jobs import job_progress, job_running

    with job_running(job_id) as job:
        job_progress(job, done=0, total=3, message=_("Mengumpulkan data latih"))
        texts, labels = classifier.training_data(include_cases=True)
        job_progress(job, done=1, total=3, message=_("Melatih model"))
        model = classifier.ComplaintClassifier().fit(texts, labels)
        path = classifier.save(model)
        classifier.reset_cache()
        job_progress(job, done=3, total=3, message=_("Selesai"))
        job.result = {"examples": len(texts), "path": str(path)}


# --- channel pollers ---------------------------------------------------------------------------------------


@shared_task
def poll_imap() -> int:
    """Read unseen mail of the complaints mailbox (switched on by LAYAN_COMPLAINTS_IMAP_HOST)."""
    from layan.complaints.channels.email import fetch_unseen
    from layan.complaints.views_channels import receive_raw_email

    host = setting("LAYAN_COMPLAINTS_IMAP_HOST")
    if not host:
        return 0
    raws = fetch_unseen(
        host=host,
        user=setting("LAYAN_COMPLAINTS_IMAP_USER"),
        password=setting("LAYAN_COMPLAINTS_IMAP_PASSWORD"),
        folder=setting("LAYAN_COMPLAINTS_IMAP_FOLDER") or "INBOX",
    )
    for raw in raws:
        receive_raw_email(raw)
    return len(raws)


@shared_task
def poll_twitter() -> int:
    """Mentions of the government's X account (switched on by LAYAN_TWITTER_BEARER_TOKEN)."""
    from layan.complaints.channels.twitter import fetch_mentions, parse_mentions
    from layan.complaints.services import message_receive

    token, user_id = setting("LAYAN_TWITTER_BEARER_TOKEN"), setting("LAYAN_TWITTER_USER_ID")
    if not (token and user_id):
        return 0
    newest = (
        InboundMessage.objects.filter(channel="twitter")
        .order_by("-received_at")
        .values_list("external_id", flat=True)
        .first()
    )
    payload = fetch_mentions(bearer_token=token, user_id=user_id, since_id=newest or "")
    for item in parse_mentions(payload):
        message_receive(
            channel=item.channel,
            external_id=item.external_id,
            sender=item.sender,
            sender_name=item.sender_name,
            body=item.body,
            raw=json.dumps(payload)[:20000],
            received_at=item.received_at,
        )
    return len(payload.get("data") or [])


# --- SLA sweep ---------------------------------------------------------------------------------------------


def move_with_events(qs, *, values: dict, event: dict) -> int:
    """One set-based step of the sweep: update every case the queryset selects and add one timeline event
    per moved case, without pulling a single id into Python.

    PostgreSQL: one statement, ``WITH moved AS (UPDATE ... RETURNING id) INSERT INTO events SELECT ... FROM
    moved`` — the events are exactly the rows the UPDATE changed, even with officers writing at the same
    time. SQLite: ``INSERT ... SELECT`` then ``UPDATE`` with the same predicate in one transaction (SQLite
    lets no other writer in between once the first write took the lock)."""
    from django.db import connections
    from django.db.models.sql import UpdateQuery

    qs = qs.order_by()
    connection = connections[qs.db]
    quote = connection.ops.quote_name
    columns = ["case_id", "at", "kind", "is_public", "body", "from_state", "to_state", "data"]
    event_params = [
        CaseEvent._meta.get_field(name).get_db_prep_save(event.get(name, default), connection)
        for name, default in (
            ("at", None),
            ("kind", ""),
            ("is_public", False),
            ("body", ""),
            ("from_state", ""),
            ("to_state", ""),
            ("data", {}),
        )
    ]
    placeholders = ", ".join(["%s"] * len(event_params))
    insert = f"INSERT INTO {quote(CaseEvent._meta.db_table)} ({', '.join(quote(c) for c in columns)}) "
    with transaction.atomic(using=qs.db), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            update = qs.query.chain(UpdateQuery)
            update.add_update_values(values)
            update.annotations = {}
            update_sql, update_params = update.get_compiler(qs.db).as_sql()
            # Only Django-compiled SQL and quoted identifiers are joined here; every value is a parameter.
            returning = f"{quote(Case._meta.db_table)}.{quote('id')}"
            cursor.execute(
                f"WITH moved AS ({update_sql} RETURNING {returning}) {insert}SELECT moved.id, {placeholders} FROM moved",  # noqa: S608, E501
                [*update_params, *event_params],
            )
            return cursor.rowcount
        select_sql, select_params = qs.values_list("id").query.get_compiler(qs.db).as_sql()
        cursor.execute(
            f"{insert}SELECT moving.id, {placeholders} FROM ({select_sql}) moving",  # noqa: S608
            [*event_params, *select_params],
        )
        return qs.update(**values)


def run_sla_sweep(now: datetime | None = None) -> dict:
    """Set-based, so that 200,000 open cases take seconds: auto-close answered cases whose window passed,
    escalate overdue clocks to the unit head (level 1) and, still overdue after the rule's extra working
    days, to the leaders (level 2). The clock of a case waiting for its reporter is paused (no due_at).
    Each step is one UPDATE straight from the query with its timeline events (``move_with_events``)."""
    from layan.complaints import sla

    now = now or timezone.now()
    result = {"closed": 0, "escalated_unit": 0, "escalated_leaders": 0}

    result["closed"] = move_with_events(
        Case.objects.filter(state=State.SELESAI, clock=Clock.AUTO_CLOSE, due_at__lt=now),
        values={
            "state": State.DITUTUP,
            "closed_at": now,
            "clock": Clock.NONE,
            "due_at": None,
            "updated_at": now,
        },
        event={
            "at": now,
            "kind": CaseEvent.Kind.CLOSED,
            "is_public": True,
            "from_state": State.SELESAI,
            "to_state": State.DITUTUP,
            "body": _("Ditutup otomatis: tidak ada tanggapan pelapor setelah jawaban."),
            "data": {"auto": True},
        },
    )

    running = Case.objects.filter(state__in=OPEN_STATES - {State.MENUNGGU_PELAPOR}, due_at__lt=now).exclude(
        clock__in=[Clock.NONE, Clock.AUTO_CLOSE]
    )
    first = running.filter(escalation_level=0)
    by_unit = dict(
        first.order_by()
        .values_list("assigned_unit")
        .annotate(n=Count("id"))
        .values_list("assigned_unit", "n")
    )
    result["escalated_unit"] = move_with_events(
        first,
        values={"escalation_level": 1, "updated_at": now},
        event={
            "at": now,
            "kind": CaseEvent.Kind.ESCALATED,
            "data": {"level": 1},
            "body": _("Batas waktu terlewati: diteruskan ke kepala unit."),
        },
    )
    _notify_escalation(by_unit, now)

    region = settings.LAYAN_REGION_CODE
    today = now.astimezone(zone_for_region(region)).date()
    days = sla.sla_for(kind="", category_id=None, on=today).escalate_after
    last_day = sla.date_working_days_before(today, days, region)
    threshold = datetime.combine(last_day, time(23, 59, 59), tzinfo=zone_for_region(region))
    escalated = move_with_events(
        running.filter(escalation_level=1, due_at__lte=threshold),
        values={"escalation_level": 2, "updated_at": now},
        event={
            "at": now,
            "kind": CaseEvent.Kind.ESCALATED,
            "data": {"level": 2},
            "body": _("Masih terlambat: diteruskan ke pimpinan daerah."),
        },
    )
    result["escalated_leaders"] = escalated
    if escalated:
        url = reverse("complaints:overdue")
        Notification.objects.bulk_create(
            [
                Notification(
                    user_id=u,
                    title=_("%(n)s laporan pengaduan terlambat ditindaklanjuti") % {"n": escalated},
                    url=url,
                )
                for u in _leaders()
            ]
        )
    if any(result.values()):
        audit_write(
            actor=None, action="complaints.sla_sweep", object_type="complaints.case", note=json.dumps(result)
        )
    return result


def _notify_escalation(by_unit: dict, now: datetime) -> None:
    from layan.org.models import Unit

    url = reverse("complaints:overdue")
    notes = []
    for unit_id, count in by_unit.items():
        if unit_id is None:
            users = _verifiers()
        else:
            unit = Unit.objects.filter(pk=unit_id).first()
            users = _handlers_of_unit(unit, heads_only=True) if unit else []
        notes += [
            Notification(user_id=u, title=_("%(n)s laporan melewati batas waktu") % {"n": count}, url=url)
            for u in users
        ]
    Notification.objects.bulk_create(notes)


@shared_task
def sla_sweep() -> dict:
    return run_sla_sweep()
