"""Every write on complaints: intake from each channel, the state machine, SLA clocks, followers, ratings.

Who may do what (on a case inside their scope; out of scope the case does not exist for them):
- ``complaints.verify`` (operator pengaduan): verify, route, reject / bukan wewenang, mark duplicate,
  convert/merge/answer inbound messages;
- ``complaints.handle`` (unit officers, kepala unit, operators): assign an officer, reply, internal note,
  ask the reporter for information, resolve, close, reopen;
- the citizen holding the tracking code (no account): reply, reopen, close, rate, follow.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import uuid
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

import phonenumbers
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from layan.complaints import sla
from layan.complaints.models import (
    Attachment,
    Case,
    CaseEvent,
    CaseFollower,
    Category,
    Channel,
    Clock,
    InboundMessage,
    Kind,
    ResponseTemplate,
    State,
)
from layan.core.audit import audit_write, snapshot
from layan.core.personal_data import keyed_hash
from layan.core.scopes import has_permission, scoped
from layan.core.uploads import validate_image_upload

VERIFY = "complaints.verify"
HANDLE = "complaints.handle"
MAX_ATTACHMENTS = 5
MAX_PDF_BYTES = 5 * 1024 * 1024
CODE_IN_TEXT_RE = re.compile(r"\bLYN-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{2}\b", re.IGNORECASE)


class RateLimited(Exception):
    """Too many submissions or lookups from one address or contact (views answer 429)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# --- helpers ----------------------------------------------------------------------------------------------


def contact_hash(value: str) -> str:
    """Keyed hash of an email (lower-case) or phone number (E.164) for threading and rate limits.

    Hex-encoded first because ``keyed_hash`` strips dots (made for NIKs) and two e-mail addresses that
    differ by a dot are different people."""
    value = (value or "").strip().lower()
    return keyed_hash(value.encode().hex()) if value else ""


def normalize_phone(value: str) -> str:
    """E.164 (+62…) or a ValidationError in Indonesian; local numbers (08…) are read as Indonesian."""
    value = (value or "").strip()
    if not value:
        return ""
    try:
        number = phonenumbers.parse(value, "ID")
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(_("Nomor telepon tidak dapat dibaca.")) from exc
    if not phonenumbers.is_possible_number(number):
        raise ValidationError(_("Nomor telepon tidak sah."))
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _rate_hit(key: str, limit: int, window_seconds: int) -> bool:
    """Count one hit; False when the limit for the window is passed (shared cache: works across servers)."""
    if cache.add(key, 1, window_seconds):
        return limit >= 1
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window_seconds)
        count = 1
    return count <= limit


def check_rate(scope: str, ident: str, *, limit: int, window_seconds: int) -> None:
    if not ident:
        return
    digest = hashlib.sha256(ident.encode()).hexdigest()[:32]
    if not _rate_hit(f"layan:complaints:rate:{scope}:{digest}", limit, window_seconds):
        raise RateLimited(_("Terlalu banyak permintaan dari alamat atau kontak ini. Coba lagi nanti."))


def _now() -> datetime:
    return timezone.now()


def _event(
    case: Case,
    *,
    kind: str,
    actor=None,
    body: str = "",
    public: bool = False,
    from_state: str = "",
    to_state: str = "",
    data: dict | None = None,
    at: datetime | None = None,
) -> CaseEvent:
    return CaseEvent.objects.create(
        case=case,
        kind=kind,
        actor=actor if getattr(actor, "pk", None) else None,
        body=body,
        is_public=public,
        from_state=from_state,
        to_state=to_state,
        data=data or {},
        at=at or _now(),
    )


def _locked(case: Case) -> Case:
    """The case re-read under a row lock: two operators acting at once must not both win."""
    return Case.objects.select_for_update().get(pk=case.pk)


def _require(actor, case: Case, permission: str) -> None:
    """The actor must hold ``permission`` over this case (a case outside every scope: 404 in views)."""
    if not scoped(Case.objects.filter(pk=case.pk), actor, permission).exists():
        raise PermissionDenied(_("Anda tidak berwenang melakukan tindakan ini pada laporan ini."))


def _require_state(case: Case, allowed: Iterable[str], action: str) -> None:
    if case.state not in set(allowed):
        raise ValidationError(
            _("Laporan berstatus “%(state)s” tidak dapat %(action)s.")
            % {"state": case.get_state_display(), "action": action}
        )


def _text(value: str, *, field: str, minimum: int, maximum: int, label: str) -> str:
    value = (value or "").strip()
    if len(value) < minimum:
        raise ValidationError(
            {field: _("%(label)s terlalu pendek (minimal %(n)s karakter).") % {"label": label, "n": minimum}}
        )
    if len(value) > maximum:
        raise ValidationError(
            {
                field: _("%(label)s terlalu panjang (maksimal %(n)s karakter).")
                % {"label": label, "n": maximum}
            }
        )
    return value


def looks_like_garbage(text: str) -> bool:
    """Keyboard mashing and copy-paste floods: too few real words or one character repeated."""
    words = re.findall(r"[A-Za-zÀ-ÿ]{2,}", text)
    if len(words) < 3:
        return True
    letters = [c.lower() for c in text if c.isalpha()]
    if letters and max(letters.count(c) for c in set(letters)) / len(letters) > 0.5:
        return True
    vowels = sum(1 for c in letters if c in "aiueo")
    return bool(letters) and vowels / len(letters) < 0.15


def _sla_for(case: Case) -> sla.SlaDays:
    return sla.sla_for(kind=case.kind, category_id=case.category_id, on=timezone.localdate())


def _set_clock(case: Case, clock: str) -> None:
    """Point ``due_at`` at the clock now running (None while paused or stopped)."""
    case.clock = clock
    due = {
        Clock.VERIFY: case.verify_due,
        Clock.ANSWER: case.answer_due,
        Clock.RESOLVE: case.resolve_due,
        Clock.AUTO_CLOSE: case.close_due,
    }.get(clock)
    case.due_at = None if case.paused_at else due


def _save(case: Case, *, actor, action: str, before: dict, note: str = "") -> Case:
    case.full_clean()
    case.save()
    audit_write(actor=actor, action=action, instance=case, before=before, after=snapshot(case), note=note)
    return case


def _notify(case: Case, event: CaseEvent) -> None:
    """Tell the reporter and followers about a public event once the transaction commits."""
    if not event.is_public:
        return
    from layan.complaints.tasks import notify_citizens

    transaction.on_commit(lambda: notify_citizens.delay(event.pk))


def _store_attachments(
    case: Case, uploads: Iterable, *, event: CaseEvent | None = None, public: bool = False
) -> list[Attachment]:
    stored = []
    for upload in uploads:
        content_type = check_attachment(upload)
        upload.seek(0)
        digest = hashlib.sha256(upload.read()).hexdigest()
        upload.seek(0)
        attachment = Attachment(
            case=case,
            event=event,
            content_type=content_type,
            size=upload.size,
            sha256=digest,
            is_public=public,
        )
        attachment.file.save("upload", upload, save=False)
        attachment.save()
        stored.append(attachment)
    return stored


def check_attachment(upload) -> str:
    """A real photo (JPEG/PNG/WebP, checked by Pillow) or a real PDF (by its bytes), under the size limit."""
    head = upload.read(5)
    upload.seek(0)
    if head == b"%PDF-":
        if upload.size > MAX_PDF_BYTES:
            raise ValidationError(_("Berkas PDF terlalu besar (maksimal 5 MB)."))
        return "application/pdf"
    image_format = validate_image_upload(upload)
    return {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}[image_format]


# --- intake -----------------------------------------------------------------------------------------------


def _validate_region(region_code: str, *, require_village: bool) -> str:
    from layan.regions.models import Region

    region_code = (region_code or "").strip()
    if not region_code:
        if require_village:
            raise ValidationError({"region_code": _("Pilih desa/kelurahan tempat kejadian.")})
        return settings.LAYAN_REGION_CODE
    region = Region.objects.filter(code=region_code).only("code", "level").first()
    if region is None or not (region_code + ".").startswith(settings.LAYAN_REGION_CODE + "."):
        raise ValidationError({"region_code": _("Desa/kelurahan tidak dikenal di wilayah ini.")})
    if require_village and region.level != 4:
        raise ValidationError({"region_code": _("Pilih desa/kelurahan, bukan kecamatan.")})
    return region_code


def _validate_contact(email: str, phone: str) -> tuple[str, str]:
    email = (email or "").strip().lower()
    if email:
        try:
            validate_email(email)
        except ValidationError as exc:
            raise ValidationError({"reporter_email": _("Alamat surel tidak sah.")}) from exc
    try:
        phone = normalize_phone(phone)
    except ValidationError as exc:
        raise ValidationError({"reporter_phone": exc.messages}) from exc
    return email, phone


def case_submit(
    *,
    actor=None,
    kind: str = Kind.PENGADUAN,
    category: Category | None = None,
    title: str = "",
    description: str,
    region_code: str = "",
    location_detail: str = "",
    latitude: Decimal | float | None = None,
    longitude: Decimal | float | None = None,
    occurred_on: date | None = None,
    reporter_name: str = "",
    reporter_email: str = "",
    reporter_phone: str = "",
    is_anonymous: bool = False,
    is_confidential: bool = False,
    channel: str = Channel.WEB,
    attachments: Iterable = (),
    client_key: uuid.UUID | str | None = None,
    ip: str | None = None,
    require_village: bool = True,
) -> Case:
    """File a report (public: no account needed). Idempotent on ``client_key``; rate limited per IP and
    contact; guided: a report without what/where is refused with a message saying what is missing."""
    if client_key:
        try:
            client_key = uuid.UUID(str(client_key))
        except ValueError as exc:
            raise ValidationError({"client_key": _("client_key harus UUID.")}) from exc
        existing = Case.objects.filter(client_key=client_key).first()
        if existing is not None:
            return existing
    if kind not in Kind.values:
        raise ValidationError({"kind": _("Jenis laporan tidak dikenal.")})
    description = _text(description, field="description", minimum=20, maximum=5000, label=_("Uraian"))
    if looks_like_garbage(description):
        raise ValidationError(
            {
                "description": _(
                    "Uraian belum dapat dipahami. Ceritakan apa yang terjadi dengan kalimat biasa."
                )
            }
        )
    title = (title or "").strip() or description.split("\n")[0][:80]
    title = _text(title, field="title", minimum=5, maximum=200, label=_("Judul"))
    region_code = _validate_region(region_code, require_village=require_village)
    email, phone = _validate_contact(reporter_email, reporter_phone)
    if (latitude is None) != (longitude is None):
        raise ValidationError({"latitude": _("Isi lintang dan bujur bersama-sama, atau kosongkan keduanya.")})
    if occurred_on and occurred_on > timezone.localdate():
        raise ValidationError({"occurred_on": _("Tanggal kejadian tidak boleh di masa depan.")})
    attachments = list(attachments)
    if len(attachments) > MAX_ATTACHMENTS:
        raise ValidationError({"attachments": _("Paling banyak %(n)s lampiran.") % {"n": MAX_ATTACHMENTS}})
    for upload in attachments:
        try:
            check_attachment(upload)
        except ValidationError as exc:
            raise ValidationError({"attachments": exc.messages}) from exc
    if category is not None and not category.is_active:
        raise ValidationError({"category": _("Kategori ini tidak aktif lagi.")})

    contact = contact_hash(email or phone)
    if actor is None or not getattr(actor, "is_authenticated", False):
        check_rate(
            "ip", ip or "", limit=getattr(settings, "LAYAN_COMPLAINTS_PER_IP_HOUR", 10), window_seconds=3600
        )
        check_rate(
            "contact",
            contact,
            limit=getattr(settings, "LAYAN_COMPLAINTS_PER_CONTACT_DAY", 5),
            window_seconds=86400,
        )

    now = _now()
    with transaction.atomic():
        case = Case(
            kind=kind,
            category=category,
            channel=channel,
            title=title,
            description=description,
            region_code=region_code,
            location_detail=(location_detail or "").strip()[:255],
            latitude=None if latitude is None else Decimal(str(latitude)).quantize(Decimal("0.000001")),
            longitude=None if longitude is None else Decimal(str(longitude)).quantize(Decimal("0.000001")),
            occurred_on=occurred_on,
            reporter_name=(reporter_name or "").strip()[:150],
            reporter_email=email,
            reporter_phone=phone,
            contact_hash=contact,
            is_anonymous=is_anonymous,
            is_confidential=is_confidential,
            received_at=now,
            client_key=client_key,
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        days = sla.sla_for(kind=kind, category_id=category.pk if category else None, on=timezone.localdate())
        case.verify_due = sla.deadline(now, days.verify, region_code)
        _set_clock(case, Clock.VERIFY)
        # The table's check constraints (rating, coordinates, duplicate rules) cannot fail for a new case
        # whose fields passed their validators above, and Django checks each with its own query: skip them
        # on this hot public path; the database still enforces every one of them.
        case.full_clean(exclude=["code", "client_key"], validate_constraints=False)
        try:
            with transaction.atomic():
                case.save()
        except IntegrityError:
            # A retry raced us on the same client_key, or (one in ~10^9) a code collision: re-read / re-draw.
            existing = Case.objects.filter(client_key=client_key).first() if client_key else None
            if existing is not None:
                return existing
            from layan.complaints.models import new_tracking_code

            case.code = new_tracking_code()
            case.save()
        created = _event(
            case,
            kind=CaseEvent.Kind.CREATED,
            actor=actor,
            public=True,
            to_state=State.BARU,
            body=_("Laporan diterima melalui %(channel)s.") % {"channel": case.get_channel_display()},
        )
        _store_attachments(case, attachments, event=created)
        audit_write(actor=actor, action="complaints.case_submit", instance=case, after=snapshot(case))
        from layan.complaints.tasks import suggest_category

        transaction.on_commit(lambda: suggest_category.delay(case.pk))
        _notify(case, created)
    return case


def case_follow(
    *, case: Case, email: str = "", phone: str = "", source_case: Case | None = None, ip: str | None = None
) -> CaseFollower:
    """A citizen follows an existing case instead of filing the same report again ("ikuti saja")."""
    email, phone = _validate_contact(email, phone)
    if not email and not phone:
        raise ValidationError({"reporter_email": _("Isi surel atau nomor telepon untuk menerima kabar.")})
    if case.is_confidential or case.state in {State.DITOLAK, State.BUKAN_WEWENANG, State.DUPLIKAT}:
        raise ValidationError(_("Laporan ini tidak dapat diikuti."))
    check_rate("follow", ip or "", limit=30, window_seconds=3600)
    digest = contact_hash(email or phone)
    with transaction.atomic():
        follower, created = CaseFollower.objects.get_or_create(
            case=case,
            contact_hash=digest,
            defaults={"email": email, "phone": phone, "source_case": source_case},
        )
        if created:
            audit_write(actor=None, action="complaints.case_follow", instance=follower)
    return follower


# --- inbound messages (every channel) -------------------------------------------------------------------


def message_receive(
    *,
    channel: str,
    external_id: str,
    sender: str,
    body: str,
    sender_name: str = "",
    subject: str = "",
    raw: str = "",
    received_at: datetime | None = None,
) -> InboundMessage:
    """Keep a message exactly as received; thread it onto the sender's open case (or the case whose code it
    quotes). Idempotent on (channel, external_id): webhook retries do not duplicate anything."""
    existing = InboundMessage.objects.filter(channel=channel, external_id=external_id[:255]).first()
    if existing is not None:
        return existing
    sender = (sender or "").strip()
    if channel in {Channel.WHATSAPP, Channel.SMS}:
        with contextlib.suppress(ValidationError):  # not a phone number: keep it as sent
            sender = normalize_phone(sender if sender.startswith("+") else f"+{sender}") or sender
    digest = contact_hash(sender)
    with transaction.atomic():
        message = InboundMessage(
            channel=channel,
            external_id=external_id[:255],
            sender=sender,
            sender_name=(sender_name or "")[:150],
            sender_hash=digest,
            subject=(subject or "")[:255],
            body=body or "",
            raw=raw or "",
            received_at=received_at or _now(),
            region_code=settings.LAYAN_REGION_CODE,
        )
        try:
            with transaction.atomic():
                message.save()
        except IntegrityError:
            return InboundMessage.objects.get(channel=channel, external_id=external_id[:255])
        case = _thread_target(message)
        if case is not None:
            _attach_message(case, message, status=InboundMessage.Status.THREADED, actor=None)
        audit_write(actor=None, action="complaints.message_receive", instance=message)
    return message


def _thread_target(message: InboundMessage) -> Case | None:
    quoted = CODE_IN_TEXT_RE.search(f"{message.subject} {message.body}")
    if quoted:
        case = Case.objects.filter(code=quoted.group(0).upper()).first()
        if case is not None and case.state not in {State.DITOLAK, State.BUKAN_WEWENANG, State.DUPLIKAT}:
            return case
    if not message.sender_hash:
        return None
    open_states = [
        State.BARU,
        State.DIVERIFIKASI,
        State.DIDISPOSISIKAN,
        State.DIPROSES,
        State.MENUNGGU_PELAPOR,
        State.SELESAI,
    ]
    return (
        Case.objects.filter(contact_hash=message.sender_hash, state__in=open_states)
        .order_by("-received_at")
        .first()
    )


def _attach_message(case: Case, message: InboundMessage, *, status: str, actor) -> None:
    """A citizen's message on their own case: resumes a paused clock; on a solved case it reopens it."""
    message.case = case
    message.status = status
    message.handled_by = actor if getattr(actor, "pk", None) else None
    message.save(update_fields=["case", "status", "handled_by", "updated_at"])
    text = message.body.strip() or message.subject
    try:
        if case.state == State.MENUNGGU_PELAPOR:
            case_citizen_reply(case=case, body=text, via=message.channel)
            return
        if case.state == State.SELESAI:
            case_reopen(actor=None, case=case, reason=text, via=message.channel)
            return
    except ValidationError:
        pass  # too short to reopen or answer: still kept on the timeline below, never lost
    _event(
        case,
        kind=CaseEvent.Kind.MESSAGE,
        body=text,
        public=True,
        data={"channel": message.channel, "message": message.pk},
    )


def _require_message(actor, message: InboundMessage) -> None:
    if not scoped(InboundMessage.objects.filter(pk=message.pk), actor, VERIFY).exists():
        raise PermissionDenied(_("Anda tidak berwenang mengolah pesan masuk."))


def message_convert(
    *,
    actor,
    message: InboundMessage,
    kind: str = Kind.PENGADUAN,
    category: Category | None = None,
    title: str = "",
    region_code: str = "",
    description: str = "",
) -> Case:
    """An operator turns a message into a case on the sender's behalf."""
    _require_message(actor, message)
    if message.status not in {InboundMessage.Status.NEW}:
        raise ValidationError(_("Pesan ini sudah diolah."))
    sender = message.sender
    email = sender if "@" in sender else ""
    phone = "" if email else sender
    try:
        phone = normalize_phone(phone)
    except ValidationError:
        phone = ""
    with transaction.atomic():
        case = case_submit(
            actor=actor,
            kind=kind,
            category=category,
            title=title or message.subject,
            description=description or message.body,
            region_code=region_code,
            reporter_name=message.sender_name,
            reporter_email=email,
            reporter_phone=phone,
            channel=message.channel,
            require_village=False,
        )
        before = snapshot(message)
        message.case = case
        message.status = InboundMessage.Status.CONVERTED
        message.handled_by = actor
        message.save(update_fields=["case", "status", "handled_by", "updated_at"])
        audit_write(
            actor=actor,
            action="complaints.message_convert",
            instance=message,
            before=before,
            after=snapshot(message),
        )
    return case


def message_merge(*, actor, message: InboundMessage, case: Case) -> InboundMessage:
    """An operator adds a message to an existing case (the same matter from another channel)."""
    _require(actor, case, VERIFY)
    _require_message(actor, message)
    if message.status != InboundMessage.Status.NEW:
        raise ValidationError(_("Pesan ini sudah diolah."))
    with transaction.atomic():
        before = snapshot(message)
        _attach_message(case, message, status=InboundMessage.Status.MERGED, actor=actor)
        audit_write(
            actor=actor,
            action="complaints.message_merge",
            instance=message,
            before=before,
            after=snapshot(message),
        )
    return message


def message_answer(*, actor, message: InboundMessage, answer: str) -> InboundMessage:
    """An operator answers a question directly (no case needed), through the channel it came from."""
    _require_message(actor, message)
    if message.status != InboundMessage.Status.NEW:
        raise ValidationError(_("Pesan ini sudah diolah."))
    answer = _text(answer, field="answer", minimum=5, maximum=4000, label=_("Jawaban"))
    with transaction.atomic():
        before = snapshot(message)
        message.answer = answer
        message.status = InboundMessage.Status.ANSWERED
        message.handled_by = actor
        message.save(update_fields=["answer", "status", "handled_by", "updated_at"])
        audit_write(
            actor=actor,
            action="complaints.message_answer",
            instance=message,
            before=before,
            after=snapshot(message),
        )
        from layan.complaints.tasks import send_message_answer

        transaction.on_commit(lambda: send_message_answer.delay(message.pk))
    return message


# --- the state machine ------------------------------------------------------------------------------------


def case_verify(*, actor, case: Case, category: Category, kind: str | None = None, note: str = "") -> Case:
    """The verifier confirms or corrects the category (corrections become classifier training data)."""
    _require(actor, case, VERIFY)
    with transaction.atomic():
        case = _locked(case)
        _require_state(case, [State.BARU], _("diverifikasi"))
        before = snapshot(case)
        now = _now()
        case.category = category
        if kind:
            case.kind = kind
        case.state = State.DIVERIFIKASI
        case.verified_at = now
        # The 60-day resolution clock runs from a complete file (Perpres 76/2013).
        case.resolve_due = sla.deadline(now, _sla_for(case).resolve, case.region_code)
        _set_clock(case, Clock.VERIFY)
        _event(
            case,
            kind=CaseEvent.Kind.VERIFIED,
            actor=actor,
            public=True,
            from_state=State.BARU,
            to_state=case.state,
            body=note,
            data={
                "category": category.code,
                "suggested": getattr(case.suggested_category, "code", None),
                "confidence": case.suggested_confidence,
            },
        )
        return _save(case, actor=actor, action="complaints.case_verify", before=before)


def case_route(*, actor, case: Case, unit, note: str = "") -> Case:
    """Forward (disposisi) to the unit that must answer; a case still ``baru`` is verified on the way."""
    _require(actor, case, VERIFY)
    with transaction.atomic():
        case = _locked(case)
        _require_state(
            case, [State.BARU, State.DIVERIFIKASI, State.DIDISPOSISIKAN, State.DIPROSES], _("didisposisikan")
        )
        if case.category_id is None:
            raise ValidationError({"category": _("Tetapkan kategori sebelum mendisposisikan.")})
        before = snapshot(case)
        now = _now()
        from_state = case.state
        if case.verified_at is None:
            case.verified_at = now
            case.resolve_due = sla.deadline(now, _sla_for(case).resolve, case.region_code)
        case.assigned_unit = unit
        case.assigned_officer = None
        case.state = State.DIDISPOSISIKAN
        case.routed_at = now
        case.answer_due = sla.deadline(now, _sla_for(case).answer, case.region_code)
        case.escalation_level = 0
        _set_clock(case, Clock.ANSWER if case.first_answer_at is None else Clock.RESOLVE)
        event = _event(
            case,
            kind=CaseEvent.Kind.ROUTED,
            actor=actor,
            public=True,
            from_state=from_state,
            to_state=case.state,
            body=note,
            data={"unit": unit.pk, "unit_name": unit.name},
        )
        _save(case, actor=actor, action="complaints.case_route", before=before)
        _notify(case, event)
        from layan.complaints.tasks import notify_unit

        transaction.on_commit(lambda: notify_unit.delay(case.pk))
        return case


def eligible_officers(case: Case):
    """Users who may handle this case: holders of ``complaints.handle`` whose scope includes it."""
    from layan.core.models import User
    from layan.core.roles import ROLE_PERMISSIONS

    roles = [role for role, perms in ROLE_PERMISSIONS.items() if HANDLE in perms]
    today = timezone.localdate()
    candidates = User.objects.filter(
        is_active=True, role_assignments__role__in=roles, role_assignments__valid_from__lte=today
    ).distinct()
    return [user for user in candidates if scoped(Case.objects.filter(pk=case.pk), user, HANDLE).exists()]


def case_assign(*, actor, case: Case, officer) -> Case:
    """Name the officer who handles the case inside the unit."""
    _require(actor, case, HANDLE)
    with transaction.atomic():
        case = _locked(case)
        _require_state(case, [State.DIDISPOSISIKAN, State.DIPROSES], _("ditugaskan"))
        if not scoped(Case.objects.filter(pk=case.pk), officer, HANDLE).exists():
            raise ValidationError({"officer": _("Petugas ini tidak menangani laporan unit tersebut.")})
        before = snapshot(case)
        from_state = case.state
        case.assigned_officer = officer
        case.state = State.DIPROSES
        _event(
            case,
            kind=CaseEvent.Kind.ASSIGNED,
            actor=actor,
            from_state=from_state,
            to_state=case.state,
            data={"officer": officer.pk, "officer_name": str(officer)},
        )
        return _save(case, actor=actor, action="complaints.case_assign", before=before)


def case_reply(*, actor, case: Case, body: str, public: bool = True, attachments: Iterable = ()) -> CaseEvent:
    """A public reply (the citizen sees it and is notified) or an internal note (only officers see it)."""
    _require(actor, case, HANDLE)
    body = _text(
        body,
        field="body",
        minimum=3 if not public else 10,
        maximum=5000,
        label=_("Tanggapan") if public else _("Catatan"),
    )
    with transaction.atomic():
        case = _locked(case)
        if public:
            _require_state(
                case,
                [State.DIVERIFIKASI, State.DIDISPOSISIKAN, State.DIPROSES, State.SELESAI],
                _("ditanggapi"),
            )
        before = snapshot(case)
        from_state = case.state
        if public:
            if case.first_answer_at is None:
                case.first_answer_at = _now()
            if case.state == State.DIDISPOSISIKAN:
                case.state = State.DIPROSES
            if case.clock == Clock.ANSWER:
                _set_clock(case, Clock.RESOLVE)
        event = _event(
            case,
            kind=CaseEvent.Kind.REPLY if public else CaseEvent.Kind.NOTE,
            actor=actor,
            body=body,
            public=public,
            from_state=from_state,
            to_state=case.state,
        )
        _store_attachments(case, attachments, event=event, public=public)
        _save(
            case,
            actor=actor,
            action="complaints.case_reply" if public else "complaints.case_note",
            before=before,
        )
        _notify(case, event)
    return event


def case_request_info(*, actor, case: Case, question: str) -> Case:
    """Ask the reporter for what is missing; the SLA clock stands still until they answer."""
    if not (
        scoped(Case.objects.filter(pk=case.pk), actor, HANDLE).exists()
        or scoped(Case.objects.filter(pk=case.pk), actor, VERIFY).exists()
    ):
        raise PermissionDenied(_("Anda tidak berwenang melakukan tindakan ini pada laporan ini."))
    question = _text(question, field="question", minimum=10, maximum=3000, label=_("Pertanyaan"))
    with transaction.atomic():
        case = _locked(case)
        _require_state(
            case,
            [State.BARU, State.DIVERIFIKASI, State.DIDISPOSISIKAN, State.DIPROSES],
            _("menunggu pelapor"),
        )
        if not case.reporter_email and not case.reporter_phone:
            # The citizen can still answer from the tracking page; say so to the officer, do not refuse.
            pass
        before = snapshot(case)
        case.state_before_pause = case.state
        from_state = case.state
        case.state = State.MENUNGGU_PELAPOR
        case.paused_at = _now()
        _set_clock(case, case.clock)
        event = _event(
            case,
            kind=CaseEvent.Kind.INFO_REQUESTED,
            actor=actor,
            body=question,
            public=True,
            from_state=from_state,
            to_state=case.state,
        )
        _save(case, actor=actor, action="complaints.case_request_info", before=before)
        _notify(case, event)
        return case


def case_citizen_reply(
    *, case: Case, body: str, attachments: Iterable = (), via: str = Channel.WEB, ip: str | None = None
) -> CaseEvent:
    """The reporter answers (tracking page, email reply, WhatsApp…). A paused clock resumes, its due times
    moved by the working days it stood still."""
    body = _text(body, field="body", minimum=3, maximum=5000, label=_("Balasan"))
    attachments = list(attachments)
    for upload in attachments:
        check_attachment(upload)
    if via == Channel.WEB:
        check_rate("reply", ip or "", limit=20, window_seconds=3600)
    with transaction.atomic():
        case = _locked(case)
        _require_state(
            case,
            [State.BARU, State.DIVERIFIKASI, State.DIDISPOSISIKAN, State.DIPROSES, State.MENUNGGU_PELAPOR],
            _("dibalas"),
        )
        before = snapshot(case)
        from_state = case.state
        data: dict = {"channel": via}
        if case.state == State.MENUNGGU_PELAPOR:
            now = _now()
            days = sla.paused_days(case.paused_at, now, case.region_code)
            case.verify_due = sla.extend(case.verify_due, days, case.region_code)
            case.answer_due = sla.extend(case.answer_due, days, case.region_code)
            case.resolve_due = sla.extend(case.resolve_due, days, case.region_code)
            case.paused_working_days += days
            case.paused_at = None
            case.state = case.state_before_pause or State.DIPROSES
            case.state_before_pause = ""
            _set_clock(case, case.clock)
            data["paused_working_days"] = days
        event = _event(
            case,
            kind=CaseEvent.Kind.CITIZEN_REPLY,
            body=body,
            public=True,
            from_state=from_state,
            to_state=case.state,
            data=data,
        )
        _store_attachments(case, attachments, event=event)
        _save(case, actor=None, action="complaints.case_citizen_reply", before=before)
        from layan.complaints.tasks import notify_unit

        transaction.on_commit(lambda: notify_unit.delay(case.pk))
    return event


def case_resolve(*, actor, case: Case, answer: str, attachments: Iterable = ()) -> Case:
    """The unit's answer that settles the matter; the case closes itself after the auto-close days unless
    the citizen reopens it."""
    _require(actor, case, HANDLE)
    answer = _text(answer, field="answer", minimum=10, maximum=5000, label=_("Jawaban"))
    with transaction.atomic():
        case = _locked(case)
        _require_state(case, [State.DIDISPOSISIKAN, State.DIPROSES], _("diselesaikan"))
        before = snapshot(case)
        from_state = case.state
        now = _now()
        case.first_answer_at = case.first_answer_at or now
        case.resolved_at = now
        case.state = State.SELESAI
        case.close_due = sla.deadline(now, _sla_for(case).auto_close, case.region_code)
        _set_clock(case, Clock.AUTO_CLOSE)
        event = _event(
            case,
            kind=CaseEvent.Kind.RESOLVED,
            actor=actor,
            body=answer,
            public=True,
            from_state=from_state,
            to_state=case.state,
        )
        _store_attachments(case, attachments, event=event, public=True)
        _save(case, actor=actor, action="complaints.case_resolve", before=before)
        _notify(case, event)
        return case


def case_close(*, actor, case: Case, note: str = "", by_citizen: bool = False) -> Case:
    """Close a solved case: an officer, the citizen (from the tracking page) or the SLA sweep."""
    if not by_citizen and actor is not None:
        _require(actor, case, HANDLE)
    with transaction.atomic():
        case = _locked(case)
        _require_state(case, [State.SELESAI], _("ditutup"))
        before = snapshot(case)
        case.state = State.DITUTUP
        case.closed_at = _now()
        _set_clock(case, Clock.NONE)
        event = _event(
            case,
            kind=CaseEvent.Kind.CLOSED,
            actor=actor,
            body=note,
            public=True,
            from_state=State.SELESAI,
            to_state=case.state,
            data={"by_citizen": by_citizen},
        )
        _save(case, actor=actor, action="complaints.case_close", before=before)
        _notify(case, event)
        return case


def case_reopen(*, actor, case: Case, reason: str, ip: str | None = None, via: str = Channel.WEB) -> Case:
    """Reopen a solved case with the citizen's update (FixMyStreet #897): the unit gets it back with a fresh
    answer clock. A citizen may reopen a closed case only within the auto-close window after closing."""
    reason = _text(reason, field="reason", minimum=10, maximum=5000, label=_("Alasan"))
    if actor is not None:
        _require(actor, case, HANDLE)
    elif via == Channel.WEB:
        check_rate("reopen", ip or "", limit=10, window_seconds=3600)
    with transaction.atomic():
        case = _locked(case)
        _require_state(case, [State.SELESAI, State.DITUTUP], _("dibuka kembali"))
        days = _sla_for(case)
        if actor is None and case.state == State.DITUTUP:
            window_end = sla.deadline(case.closed_at, days.auto_close, case.region_code)
            if _now() > window_end:
                raise ValidationError(
                    _("Laporan ini sudah terlalu lama ditutup. Silakan kirim laporan baru.")
                )
        before = snapshot(case)
        from_state = case.state
        now = _now()
        case.state = State.DIPROSES if case.assigned_unit_id else State.DIVERIFIKASI
        case.closed_at = None
        case.close_due = None
        case.resolved_at = None
        case.answer_due = sla.deadline(now, days.answer, case.region_code)
        case.escalation_level = 0
        _set_clock(case, Clock.ANSWER if case.assigned_unit_id else Clock.VERIFY)
        if not case.assigned_unit_id:
            case.verify_due = sla.deadline(now, days.verify, case.region_code)
            _set_clock(case, Clock.VERIFY)
        _event(
            case,
            kind=CaseEvent.Kind.REOPENED,
            actor=actor,
            body=reason,
            public=True,
            from_state=from_state,
            to_state=case.state,
        )
        _save(case, actor=actor, action="complaints.case_reopen", before=before)
        from layan.complaints.tasks import notify_unit

        transaction.on_commit(lambda: notify_unit.delay(case.pk))
        return case


def case_reject(
    *, actor, case: Case, reason: str, not_authority: bool = False, redirect_to: str = ""
) -> Case:
    """Refuse a report with a reason; "bukan wewenang" says where the citizen should go instead."""
    _require(actor, case, VERIFY)
    reason = _text(reason, field="reason", minimum=10, maximum=3000, label=_("Alasan"))
    redirect_to = (redirect_to or "").strip()
    if not_authority and not redirect_to:
        raise ValidationError(
            {"redirect_to": _("Sebutkan instansi yang berwenang agar pelapor tahu ke mana.")}
        )
    with transaction.atomic():
        case = _locked(case)
        _require_state(case, [State.BARU, State.DIVERIFIKASI, State.DIDISPOSISIKAN], _("ditolak"))
        before = snapshot(case)
        from_state = case.state
        case.state = State.BUKAN_WEWENANG if not_authority else State.DITOLAK
        case.reject_reason = reason
        case.redirect_to = redirect_to[:255]
        case.closed_at = _now()
        case.paused_at = None
        _set_clock(case, Clock.NONE)
        event = _event(
            case,
            kind=CaseEvent.Kind.REJECTED,
            actor=actor,
            public=True,
            from_state=from_state,
            to_state=case.state,
            body=reason,
            data={"redirect_to": redirect_to},
        )
        _save(case, actor=actor, action="complaints.case_reject", before=before)
        _notify(case, event)
        return case


def case_mark_duplicate(*, actor, case: Case, original: Case) -> Case:
    """Close ``case`` as a duplicate of ``original``; its reporter and followers now follow the original."""
    _require(actor, case, VERIFY)
    if original.pk == case.pk:
        raise ValidationError({"original": _("Laporan tidak dapat menjadi duplikat dirinya sendiri.")})
    with transaction.atomic():
        case = _locked(case)
        original = Case.objects.select_for_update().get(pk=original.pk)
        _require_state(
            case,
            [State.BARU, State.DIVERIFIKASI, State.DIDISPOSISIKAN, State.DIPROSES, State.MENUNGGU_PELAPOR],
            _("ditandai duplikat"),
        )
        if original.state in {State.DUPLIKAT, State.DITOLAK, State.BUKAN_WEWENANG}:
            raise ValidationError(
                {"original": _("Laporan asal tidak boleh berstatus ditolak atau duplikat.")}
            )
        before = snapshot(case)
        from_state = case.state
        moved = 0
        if case.contact_hash and case.contact_hash != original.contact_hash:
            _follower, created = CaseFollower.objects.get_or_create(
                case=original,
                contact_hash=case.contact_hash,
                defaults={"email": case.reporter_email, "phone": case.reporter_phone, "source_case": case},
            )
            moved += int(created)
        existing = set(CaseFollower.objects.filter(case=original).values_list("contact_hash", flat=True))
        for follower in CaseFollower.objects.filter(case=case):
            if follower.contact_hash in existing or follower.contact_hash == original.contact_hash:
                follower.delete()
                continue
            follower.case = original
            follower.save(update_fields=["case", "updated_at"])
            moved += 1
        case.state = State.DUPLIKAT
        case.duplicate_of = original
        case.closed_at = _now()
        case.paused_at = None
        _set_clock(case, Clock.NONE)
        event = _event(
            case,
            kind=CaseEvent.Kind.DUPLICATE,
            actor=actor,
            public=True,
            from_state=from_state,
            to_state=case.state,
            data={"original": original.code, "followers_moved": moved},
            body=_(
                "Laporan yang sama sudah ditangani dengan kode %(code)s. Anda akan menerima kabar "
                "dari laporan tersebut."
            )
            % {"code": original.code},
        )
        _event(
            original,
            kind=CaseEvent.Kind.NOTE,
            actor=actor,
            body=_("Laporan %(code)s digabung ke laporan ini sebagai duplikat.") % {"code": case.code},
        )
        _save(case, actor=actor, action="complaints.case_mark_duplicate", before=before)
        _notify(case, event)
        return case


def case_rate(*, case: Case, rating: int, comment: str = "", ip: str | None = None) -> Case:
    """The citizen's one-click satisfaction rating (1–5 and a comment) once the case is answered."""
    try:
        rating = int(rating)
    except (TypeError, ValueError) as exc:
        raise ValidationError({"rating": _("Pilih nilai 1 sampai 5.")}) from exc
    if not 1 <= rating <= 5:
        raise ValidationError({"rating": _("Pilih nilai 1 sampai 5.")})
    comment = (comment or "").strip()
    if len(comment) > 2000:
        raise ValidationError({"comment": _("Komentar terlalu panjang (maksimal 2000 karakter).")})
    check_rate("rate", ip or "", limit=20, window_seconds=3600)
    with transaction.atomic():
        case = _locked(case)
        _require_state(case, [State.SELESAI, State.DITUTUP], _("dinilai"))
        before = snapshot(case)
        case.rating = rating
        case.rating_comment = comment
        case.rated_at = _now()
        _event(case, kind=CaseEvent.Kind.RATED, public=True, body=comment, data={"rating": rating})
        return _save(case, actor=None, action="complaints.case_rate", before=before)


def case_set_suggestion(*, case_id: int, category_code: str, confidence: float) -> None:
    """Store the classifier's suggestion (a system write: no actor, no state change)."""
    category = Category.objects.filter(code=category_code, is_active=True).first()
    if category is None:
        return
    Case.objects.filter(pk=case_id).update(
        suggested_category=category, suggested_confidence=round(confidence, 4)
    )


def category_update(
    *, actor, category: Category, name: str, unit=None, is_active: bool = True, description: str = ""
) -> Category:
    """Admins edit a category and map it to the unit that handles it."""
    if not has_permission(actor, "complaints.manage"):
        raise PermissionDenied(_("Anda tidak berwenang mengubah kategori."))
    with transaction.atomic():
        before = snapshot(category)
        category.name = (name or "").strip()
        category.unit = unit
        category.is_active = is_active
        category.description = (description or "").strip()
        category.full_clean()
        category.save()
        audit_write(
            actor=actor,
            action="complaints.category_update",
            instance=category,
            before=before,
            after=snapshot(category),
        )
    return category


def response_template_save(
    *,
    actor,
    template: ResponseTemplate | None = None,
    name: str,
    state: str,
    action: str,
    body: str,
    is_active: bool = True,
    sort_order: int = 100,
) -> ResponseTemplate:
    """Admins add or edit a ready answer offered to officers in one state of a case."""
    if not has_permission(actor, "complaints.manage"):
        raise PermissionDenied(_("Anda tidak berwenang mengubah templat tanggapan."))
    with transaction.atomic():
        template = template or ResponseTemplate()
        before = snapshot(template) if template.pk else None
        template.name = (name or "").strip()
        template.state = state
        template.action = action
        template.body = (body or "").strip()
        template.is_active = is_active
        template.sort_order = sort_order
        template.full_clean()
        template.save()
        audit_write(
            actor=actor,
            action="complaints.response_template_save",
            instance=template,
            before=before,
            after=snapshot(template),
        )
    return template
