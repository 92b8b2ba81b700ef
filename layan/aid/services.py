"""Writes of the aid module: residents and families, imports, programs and rules, rounds and their lists,
distributions with evidence, duplicate decisions, ASN Peduli. Each in one transaction, validated, audited."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import io
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from layan.aid import importing
from layan.aid.models import (
    VULNERABILITY_FLAGS,
    AsnDonation,
    AsnPackage,
    AsnPledge,
    Distribution,
    DuplicatePair,
    Enrolment,
    Evidence,
    ExclusivityRule,
    Family,
    FamilyMembership,
    Program,
    RejectedRow,
    Resident,
    ResidentImport,
    Round,
    SourceRecord,
)
from layan.aid.names import normalise_name
from layan.aid.rules import RuleBook
from layan.aid.selectors import aid_warnings, enrolment_conflicts, enrolment_for_distribution
from layan.core import calendar
from layan.core.audit import audit_write, snapshot
from layan.core.identifiers import nik_mismatches, normalize_digits, parse_nik
from layan.core.jobs import job_progress, job_start
from layan.core.models import Notification
from layan.core.personal_data import keyed_hashes
from layan.core.scopes import (
    code_prefix_q,
    get_in_scope_or_404,
    holders_over_region,
    region_prefixes,
    require_permission,
    scoped,
)
from layan.core.stored_text import from_error, message, shown
from layan.core.uploads import read_table_bytes, validate_image_upload, validate_video_upload
from layan.regions.models import Region

BATCH = 1000


def _in_scope(actor, model_qs, permission, pk):
    """Re-read an object through the actor's scope (404 outside it) before writing to it."""
    return get_in_scope_or_404(model_qs, actor, permission, pk=pk)


# --- residents ----------------------------------------------------------------------------------------


def _resident_warnings(resident: Resident) -> list[dict]:
    if not resident.nik:
        return [message(N_("NIK kosong."))]
    try:
        info = parse_nik(resident.nik)
    except ValidationError as exc:
        return [message(N_("NIK tidak sah: %(reason)s"), reason=m) for m in from_error(exc)]
    return nik_mismatches(info, sex=resident.sex, birth_date=resident.birth_date)


def resident_create(
    *,
    actor,
    name: str,
    sex: str,
    birth_date: date,
    desa: str,
    nik: str = "",
    birth_place: str = "",
    address: str = "",
    rt: str = "",
    rw: str = "",
    occupation: str = "",
    phone: str = "",
    flags: dict[str, bool] | None = None,
) -> Resident:
    require_permission(actor, "aid.manage_resident")
    prefixes = region_prefixes(actor, "aid.manage_resident")
    if prefixes is not None and not any(desa == p or desa.startswith(p + ".") for p in prefixes):
        raise ValidationError({"desa": _("Desa %(code)s di luar wilayah kerja Anda.") % {"code": desa}})
    if birth_date and birth_date > timezone.localdate():
        raise ValidationError({"birth_date": _("Tanggal lahir tidak boleh di masa depan.")})
    with transaction.atomic():
        resident = Resident(
            nik=normalize_digits(nik),
            name=" ".join(name.split()),
            name_key=normalise_name(name),
            sex=sex,
            birth_date=birth_date,
            desa_id=desa,
            birth_place=birth_place,
            address=address,
            rt=rt,
            rw=rw,
            occupation=occupation,
            phone=phone,
        )
        for model_field, _column, _label in VULNERABILITY_FLAGS:
            setattr(resident, model_field, bool((flags or {}).get(model_field)))
        resident.data_warnings = _resident_warnings(resident)
        resident.full_clean()
        resident.save()
        audit_write(actor=actor, action="aid.resident_create", instance=resident, after=snapshot(resident))
    return resident


def resident_move_family(
    *, actor, resident: Resident, family: Family | None, relation: str = "", on: date | None = None
) -> Resident:
    """Move a person to another KK (or off any KK), keeping the past membership with its dates."""
    require_permission(actor, "aid.manage_resident")
    on = on or timezone.localdate()
    with transaction.atomic():
        resident = Resident.objects.select_for_update().get(
            pk=_in_scope(actor, Resident.objects.all(), "aid.manage_resident", resident.pk).pk
        )
        if family is not None:
            family = _in_scope(actor, Family.objects.all(), "aid.manage_resident", family.pk)
        before = snapshot(resident, ["family", "relation"])
        if resident.family_id == (family.pk if family else None):
            return resident
        FamilyMembership.objects.filter(resident=resident, valid_to__isnull=True).update(valid_to=on)
        if family is not None:
            FamilyMembership.objects.create(
                resident=resident, family=family, relation=relation, valid_from=on
            )
        resident.family = family
        resident.relation = relation
        resident.save(update_fields=["family", "relation", "updated_at"])
        audit_write(
            actor=actor,
            action="aid.resident_move_family",
            instance=resident,
            before=before,
            after=snapshot(resident, ["family", "relation"]),
        )
    return resident


# --- import -------------------------------------------------------------------------------------------


@dataclass
class ImportCounts:
    read: int = 0
    imported: int = 0
    attached: int = 0
    unchanged: int = 0
    rejected: int = 0
    flagged: int = 0
    moved: int = 0
    new_resident_ids: list[int] = field(default_factory=list)


Table = tuple[list[str], list[list[str]]]


def resident_import_create(
    *, actor, data: bytes, file_name: str, source: str, table: Table | None = None
) -> ResidentImport:
    """Check the file's columns now (so a wrong file is refused at once) and keep it for the job.
    ``table``: the file already read (``read_table_bytes``), when the caller runs the import at once."""
    source = (source or "").strip()
    if not source:
        raise ValidationError({"source": _("Isi nama sumber data (mis. DTKS 2020).")})
    headers, rows = table or read_table_bytes(data)
    importing.check_columns(headers)
    if not rows:
        raise ValidationError(_("Berkas hanya berisi judul kolom; tidak ada baris penduduk."), code="empty")
    prefixes = region_prefixes(actor, "aid.manage_resident")
    if actor is not None:
        require_permission(actor, "aid.manage_resident")
    with transaction.atomic():
        record = ResidentImport.objects.create(
            source=source[:100],
            file_name=file_name[:255],
            file_sha256=hashlib.sha256(data).hexdigest(),
            # Kept (encrypted) for the background job; a caller that already read the file runs it at
            # once, and 50 MB encrypted into the database and out again is wasted work then.
            content="" if table is not None else base64.b64encode(data).decode(),
            uploaded_by=actor if getattr(actor, "pk", None) else None,
            scope_region=(prefixes[0] if prefixes else "") if prefixes is not None else "",
        )
        audit_write(
            actor=actor,
            action="aid.resident_import_create",
            instance=record,
            after=snapshot(record, ["source", "file_name", "file_sha256"]),
        )
    return record


def resident_import_start(*, actor, data: bytes, file_name: str, source: str) -> ResidentImport:
    """Create the import and run it as a background job with a progress bar."""
    from layan.aid.tasks import run_resident_import

    with transaction.atomic():
        record = resident_import_create(actor=actor, data=data, file_name=file_name, source=source)
        job = job_start(
            actor=actor,
            kind="aid.import_residents",
            title=message(N_("Impor penduduk: %(f)s"), f=file_name),
            task=run_resident_import,
            params={"import_id": record.pk},
        )
        record.job = job
        record.save(update_fields=["job"])
    return record


def resident_import_run(
    *, resident_import: ResidentImport, job=None, today: date | None = None, table: Table | None = None
) -> ImportCounts:
    """Validate every row, then write the valid ones in bulk inside one transaction (all or nothing).

    - (source, id_sumber) already imported with the same details: unchanged (a second import of the same
      file changes nothing); with other details: rejected, never overwritten.
    - NIK in the registry with the same name and birth date: the same person — the source id is attached.
    - NIK in the registry with another name or birth date: a new record, flagged as a pair for review.
    - The same NIK twice in the file for different people: both imported and flagged as a pair.
    """
    with _no_cyclic_gc():
        return _resident_import_run(resident_import=resident_import, job=job, today=today, table=table)


@contextlib.contextmanager
def _no_cyclic_gc():
    """The import holds a few million small objects (rows, dicts, strings) and makes no reference cycles:
    the cyclic collector's passes over that growing heap made the import slower per row the bigger the
    file. Reference counting still frees everything."""
    import gc

    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _resident_import_run(
    *, resident_import: ResidentImport, job, today: date | None, table: Table | None
) -> ImportCounts:
    actor = resident_import.uploaded_by
    today = today or timezone.localdate()
    # An xlsx file is read once, not twice, when the caller already has it (openpyxl is the slow part).
    headers, raw_rows = table or read_table_bytes(base64.b64decode(resident_import.content))
    importing.check_columns(headers)
    regions = importing.RegionCodes.load()
    prefixes = region_prefixes(actor, "aid.manage_resident") if actor else None
    counts = ImportCounts(read=len(raw_rows))
    total = len(raw_rows)
    if job is not None:
        job_progress(job, done=0, total=total, message=_("Memeriksa baris…"))

    valid: list[importing.ValidRow] = []
    rejected: list[tuple[int, dict, list[dict]]] = []
    seen_ids: dict[str, int] = {}
    for index, cells in enumerate(raw_rows):
        number = index + 2  # the header is line 1
        raw = importing.row_cells(headers, cells)
        row, reasons = importing.validate_row(
            number, raw, regions=regions, today=today, allowed_prefixes=prefixes, complete=True
        )
        if row is not None and row.source_id in seen_ids:
            reasons = [
                message(
                    N_("id_sumber %(id)s sudah dipakai di baris %(line)s berkas ini."),
                    id=row.source_id,
                    line=seen_ids[row.source_id],
                )
            ]
            row = None
        if row is None:
            rejected.append((number, raw, reasons))
        else:
            seen_ids[row.source_id] = number
            valid.append(row)
        if job is not None and (index + 1) % 5000 == 0:
            job_progress(job, done=index + 1, total=total)

    with transaction.atomic(), _bulk_write_cache():
        _write_rows(resident_import, valid, rejected, counts)
        _insert_rows(
            RejectedRow,
            [
                {
                    "resident_import_id": resident_import.pk,
                    "row_number": n,
                    "data": _json_dumps(raw),
                    "reasons": reasons,
                }
                for n, raw, reasons in rejected
            ],
            returning=False,
        )
        counts.rejected = len(rejected)
        before = snapshot(
            resident_import, ["status", "imported", "attached", "unchanged", "rejected", "flagged"]
        )
        resident_import.status = ResidentImport.Status.DONE
        resident_import.rows_read = counts.read
        resident_import.imported = counts.imported
        resident_import.attached = counts.attached
        resident_import.unchanged = counts.unchanged
        resident_import.rejected = counts.rejected
        resident_import.flagged = counts.flagged
        resident_import.content = ""  # read; the registry now holds what was valid
        resident_import.save()
        audit_write(
            actor=actor,
            action="aid.resident_import_run",
            instance=resident_import,
            before=before,
            after=snapshot(
                resident_import, ["status", "imported", "attached", "unchanged", "rejected", "flagged"]
            ),
            note=_("%(moved)s orang pindah KK") % {"moved": counts.moved},
        )
    if job is not None:
        job_progress(job, done=total, total=total, message=_("Selesai."))
    return counts


def _json_dumps(raw: dict) -> str:
    import json

    return json.dumps(raw, ensure_ascii=False)


@contextlib.contextmanager
def _bulk_write_cache():
    """A bigger SQLite page cache while an import writes: the random keyed-hash and source-id index
    inserts of 300,000 rows thrash the default 2 MB cache (throughput fell with size). No-op elsewhere."""
    from django.db import connection

    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (previous,) = cursor.fetchone()
        cursor.execute("PRAGMA cache_size = -262144")  # KiB: up to 256 MB, allocated only as used
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(previous)}")


def _write_rows(
    resident_import: ResidentImport,
    rows: list[importing.ValidRow],
    rejected: list[tuple[int, dict, list[dict]]],
    counts: ImportCounts,
) -> None:
    source = resident_import.source
    # 1. Rows already imported from this source.
    existing_sources: dict[str, tuple[str, int]] = {}
    for sid, row_hash, resident_id in _select_in(
        SourceRecord,
        ["source_id", "row_hash", "resident_id"],
        "source_id",
        [r.source_id for r in rows],
        also={"source": source},
    ):
        existing_sources[sid] = (row_hash, resident_id)
    fresh: list[importing.ValidRow] = []
    for row in rows:
        known = existing_sources.get(row.source_id)
        if known is None:
            fresh.append(row)
        elif known[0] == row.row_hash:
            counts.unchanged += 1
        else:
            rejected.append(
                (
                    row.number,
                    _row_as_raw(row),
                    [
                        message(
                            N_(
                                "id_sumber %(id)s dari sumber %(src)s sudah diimpor dengan data lain; "
                                "data lama tidak ditimpa."
                            ),
                            id=row.source_id,
                            src=source,
                        )
                    ],
                )
            )

    # Keyed hashes once per value (HMAC-SHA256: cheap, but not free at 300,000 rows); a KK is shared by
    # the members of a family.
    with_nik = [row for row in fresh if row.nik]
    for row, nik_hash in zip(with_nik, keyed_hashes([row.nik for row in with_nik]), strict=True):
        row.nik_hash = nik_hash
    kks = list({row.kk for row in fresh if row.kk})
    kk_hashes = dict(zip(kks, keyed_hashes(kks), strict=True))
    for row in fresh:
        if row.kk:
            row.kk_hash = kk_hashes[row.kk]

    # 2. Registry residents with the same NIKs (exact lookup through the keyed hash).
    by_hash: dict[str, list[tuple[int, str, date, int | None]]] = defaultdict(list)
    for pk, nik_hash, name_key, birth, family_id in _select_in(
        Resident,
        ["id", "nik_hash", "name_key", "birth_date", "family_id"],
        "nik_hash",
        list({r.nik_hash for r in fresh if r.nik_hash}),
    ):
        birth = date.fromisoformat(birth) if isinstance(birth, str) else birth  # SQLite gives text
        by_hash[nik_hash].append((pk, name_key, birth, family_id))

    # 3. Families by KK: existing ones, then new ones for KKs not seen before.
    first_of_kk: dict[str, importing.ValidRow] = {}
    for row in fresh:
        if row.kk_hash and row.kk_hash not in first_of_kk:
            first_of_kk[row.kk_hash] = row
    families: dict[str, int] = dict(_select_in(Family, ["kk_hash", "id"], "kk_hash", list(first_of_kk)))
    new_families = [
        {"kk": row.kk, "kk_hash": kk_hash, "desa_id": row.desa, "address": row.address}
        for kk_hash, row in first_of_kk.items()
        if kk_hash not in families
    ]
    new_family_ids = _insert_rows(Family, new_families)
    for family, pk in zip(new_families, new_family_ids, strict=True):
        families[family["kk_hash"]] = pk
    new_family_ids = set(new_family_ids)

    # 4. Decide per row: attach to an existing person, or a new resident (a pair when the NIK conflicts).
    to_create: list[tuple[importing.ValidRow, dict]] = []
    attach: list[tuple[importing.ValidRow, object]] = []  # (row, resident pk or a resident dict)
    pairs: list[tuple[object, object, str]] = []  # (pk or dict, pk or dict, reason)
    in_file: dict[str, list[tuple[importing.ValidRow, dict]]] = defaultdict(list)
    moves: list[tuple[int, int, str]] = []
    for row in fresh:
        nik_hash = row.nik_hash
        family_id = families.get(row.kk_hash) if row.kk_hash else None
        target = None
        if nik_hash:
            for pk, name_key, birth, current_family in by_hash.get(nik_hash, ()):
                if row.same_person_as(name_key=name_key, birth_date=birth):
                    target = pk
                    if family_id and family_id != current_family:
                        moves.append((pk, family_id, row.relation))
                    break
            if target is None:
                for earlier, person in in_file.get(nik_hash, ()):
                    if row.same_person_as(name_key=earlier.name_key, birth_date=earlier.birth_date):
                        target = person
                        break
        if target is not None:
            attach.append((row, target))
            continue
        resident = {
            "nik": row.nik,
            "nik_hash": nik_hash,
            "name": row.name,
            "name_key": row.name_key,
            "sex": row.sex,
            "birth_place": row.birth_place,
            "birth_date": row.birth_date,
            "family_id": family_id,
            "relation": row.relation,
            "address": row.address,
            "rt": row.rt,
            "rw": row.rw,
            "desa_id": row.desa,
            "occupation": row.occupation,
            "phone": row.phone,
            "data_warnings": row.warnings,
            **row.flags,
        }
        to_create.append((row, resident))
        if nik_hash:
            for pk, _name_key, _birth, _family in by_hash.get(nik_hash, ()):
                pairs.append((pk, resident, DuplicatePair.Reason.SAME_NIK))
            for _earlier, person in in_file.get(nik_hash, ()):
                pairs.append((person, resident, DuplicatePair.Reason.SAME_NIK_IN_FILE))
            in_file[nik_hash].append((row, resident))

    resident_ids = _insert_rows(Resident, [r for _row, r in to_create])
    for (_row, resident), pk in zip(to_create, resident_ids, strict=True):
        resident["id"] = pk
    counts.imported = len(to_create)
    counts.new_resident_ids = resident_ids

    # 5. Memberships (history) and heads of new families.
    today = timezone.localdate()
    _insert_rows(
        FamilyMembership,
        [
            {
                "resident_id": r["id"],
                "family_id": r["family_id"],
                "relation": r["relation"],
                "valid_from": today,
            }
            for _row, r in to_create
            if r["family_id"]
        ],
        returning=False,
    )
    heads: dict[int, int] = {}
    for row, resident in to_create:
        # The row marked kepala keluarga heads a new family; failing that, its first member.
        if resident["family_id"] in new_family_ids and (
            row.relation == "kepala" or resident["family_id"] not in heads
        ):
            heads[resident["family_id"]] = resident["id"]
    from django.db import connection

    with connection.cursor() as cursor:  # one prepared UPDATE per head (bulk_update's CASE was slower)
        cursor.executemany(
            f"UPDATE {Family._meta.db_table} SET head_id = %s WHERE id = %s",  # noqa: S608 - names from the model
            [(head, family) for family, head in heads.items()],
        )
    for pk, family_id, relation in moves:
        FamilyMembership.objects.filter(resident_id=pk, valid_to__isnull=True).update(valid_to=today)
        FamilyMembership.objects.create(
            resident_id=pk, family_id=family_id, relation=relation, valid_from=today
        )
        Resident.objects.filter(pk=pk).update(family_id=family_id, relation=relation)
    counts.moved = len(moves)

    # 6. Source ids: every fresh row's id points at its person.
    records = [
        {
            "resident_id": resident["id"],
            "source": source,
            "source_id": row.source_id,
            "row_hash": row.row_hash,
            "resident_import_id": resident_import.pk,
        }
        for row, resident in to_create
    ]
    records.extend(
        {
            "resident_id": target if isinstance(target, int) else target["id"],
            "source": source,
            "source_id": row.source_id,
            "row_hash": row.row_hash,
            "resident_import_id": resident_import.pk,
        }
        for row, target in attach
    )
    _insert_rows(SourceRecord, records, returning=False)
    counts.attached = len(attach)

    # 7. Pairs to review: never merged silently. Queued, not flagged: a mistyped NIK is often another real
    # person's NIK, so the same NIK with other details is as often two people as one. Duplicate finding
    # promotes the pair to flagged when the rest of the record agrees; otherwise a person decides.
    pair_rows = []
    seen = set()
    for left, right, reason in pairs:
        a = left if isinstance(left, int) else left["id"]
        b = right if isinstance(right, int) else right["id"]
        a, b = min(a, b), max(a, b)
        if (a, b) in seen:
            continue
        seen.add((a, b))
        pair_rows.append(
            DuplicatePair(
                resident_a_id=a,
                resident_b_id=b,
                score=1.0,
                status=DuplicatePair.Status.QUEUED,
                reason=reason,
            )
        )
    DuplicatePair.objects.bulk_create(pair_rows, batch_size=BATCH, ignore_conflicts=True)
    counts.flagged = len(pair_rows)


def _select_in(model, columns: list[str], key: str, values: list, *, also: dict | None = None) -> list:
    """``SELECT columns FROM model WHERE key IN values [AND column = value …]`` as tuples, in chunks.
    Raw SQL: the ORM prepared each of the values through the field machinery (an import looks up
    hundreds of thousands of hashes and source ids). Values come back as the driver gives them."""
    from django.db import connection

    if not values:
        return []
    quote, opts = connection.ops.quote_name, model._meta
    selected = ", ".join(quote(opts.get_field(c).column) for c in columns)
    conditions = "".join(f" AND {quote(opts.get_field(c).column)} = %s" for c in also or {})
    # Table and column names come from the model's metadata; every value is a parameter.
    head = f"SELECT {selected} FROM {quote(opts.db_table)} WHERE {quote(opts.get_field(key).column)} IN ("  # noqa: S608
    found: list = []
    with connection.cursor() as cursor:
        for start in range(0, len(values), 5000):
            chunk = values[start : start + 5000]
            cursor.execute(
                head + ", ".join(["%s"] * len(chunk)) + ")" + conditions, [*chunk, *(also or {}).values()]
            )
            found.extend(cursor.fetchall())
    return found


def _insert_rows(model, rows: list[dict], *, returning: bool = True) -> list[int]:
    """Insert rows given as ``{attname: value}`` with multi-row INSERT … RETURNING, and return their
    primary keys in order. The import writes hundreds of thousands of rows: building model instances and
    preparing every value through the ORM's field machinery was most of its time. Values are converted
    here a column of a batch at a time: personal data encrypted together (layan.core.personal_data's
    ``encrypt_many``), keyed hashes taken from the row or computed, JSON dumped, dates adapted; missing
    columns take the field's default."""
    import functools
    import json
    import sqlite3
    from itertools import chain

    from django.db import connection, models

    from layan.core.personal_data import EncryptedTextField, IdentifierField

    if not rows:
        return []
    ops = connection.ops
    stamp = ops.adapt_datetimefield_value(timezone.now())
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    identifiers = {f.attname for f in fields if isinstance(f, IdentifierField)}
    # One function per column: the column's values for a batch of rows (list comprehensions, no call
    # per cell).
    getters = []
    for model_field in fields:
        name = model_field.attname
        default = model_field.get_default() if model_field.has_default() else None
        if getattr(model_field, "auto_now", False) or getattr(model_field, "auto_now_add", False):
            getters.append(lambda chunk, v=stamp: [v] * len(chunk))
        elif isinstance(model_field, EncryptedTextField):
            getters.append(lambda chunk, n=name: _encrypted_column([row.get(n) for row in chunk]))
        elif name.endswith("_hash") and name[:-5] in identifiers:
            getters.append(lambda chunk, n=name, s=name[:-5]: _hash_column(chunk, n, s))
        elif isinstance(model_field, models.JSONField):
            empty = json.dumps(default)
            # Most rows carry the default (no data warnings): no json.dumps for them.
            getters.append(
                lambda chunk, n=name, d=default, e=empty: [
                    e if (v := row.get(n)) is None or v == d else json.dumps(v, ensure_ascii=False)
                    for row in chunk
                ]
            )
        elif isinstance(model_field, models.DateTimeField):
            getters.append(lambda chunk, n=name: [ops.adapt_datetimefield_value(row.get(n)) for row in chunk])
        elif isinstance(model_field, models.DateField):
            if connection.vendor == "sqlite":  # what SQLite's adapt_datefield_value does, without the call
                getters.append(
                    lambda chunk, n=name: [
                        None if (v := row.get(n)) is None else v.isoformat() for row in chunk
                    ]
                )
            else:
                getters.append(lambda chunk, n=name: [ops.adapt_datefield_value(row.get(n)) for row in chunk])
        else:
            getters.append(lambda chunk, n=name, d=default: [row.get(n, d) for row in chunk])
    columns = ", ".join(ops.quote_name(f.column) for f in fields)
    on_sqlite = connection.vendor == "sqlite"
    row_sql = "(" + ", ".join(["?" if on_sqlite else "%s"] * len(fields)) + ")"
    # Django's SQLite limit (999) is the old compile-time default; SQLite 3.32+ allows 32,766.
    if on_sqlite and sqlite3.sqlite_version_info >= (3, 32):
        limit = 32766
    else:
        limit = getattr(connection.features, "max_query_params", None) or 30000
    batch = max(1, min(limit, 30000) // len(fields))
    pk_column = ops.quote_name(model._meta.pk.column)
    table = ops.quote_name(model._meta.db_table)
    pks: list[int] = []
    with connection.cursor() as cursor:
        # Django's SQLite cursor rewrites each %s of a statement to ? with a regular expression (30,000 of
        # them per batch here): on SQLite the statement is written with ? for the driver's own cursor.
        execute = functools.partial(sqlite3.Cursor.execute, cursor.cursor) if on_sqlite else cursor.execute
        for start in range(0, len(rows), batch):
            chunk = rows[start : start + batch]
            params = list(chain.from_iterable(zip(*[get(chunk) for get in getters], strict=True)))
            # Table and column names come from the model's metadata; every value is a parameter.
            sql = f"INSERT INTO {table} ({columns}) VALUES " + ", ".join([row_sql] * len(chunk))  # noqa: S608
            if returning:
                execute(sql + f" RETURNING {pk_column}", params)
                pks.extend(pk for (pk,) in cursor.fetchall())
            else:
                execute(sql, params)
    return pks


def _encrypted_column(values: list) -> list[str]:
    """Encrypt a column's non-empty values in one batch; empty stays empty."""
    from layan.core.personal_data import encrypt_many

    filled = [i for i, v in enumerate(values) if v]
    result = [""] * len(values)
    for i, token in zip(filled, encrypt_many([str(values[i]) for i in filled]), strict=True):
        result[i] = token
    return result


def _hash_column(chunk: list[dict], name: str, source: str) -> list[str]:
    """A keyed-hash column: the row's own hash when it carries one, else the hash of its identifier."""
    result = [row.get(name) for row in chunk]
    missing = [i for i, v in enumerate(result) if v is None]
    values = [chunk[i].get(source) or "" for i in missing]
    hashes = keyed_hashes([v for v in values if v])
    filled = iter(hashes)
    for i, value in zip(missing, values, strict=True):
        result[i] = next(filled) if value else ""
    return result


def _row_as_raw(row: importing.ValidRow) -> dict:
    return {
        "id_sumber": row.source_id,
        "nik": row.nik,
        "no_kk": row.kk,
        "nama": row.name,
        "jenis_kelamin": row.sex,
        "tempat_lahir": row.birth_place,
        "tanggal_lahir": row.birth_date.isoformat(),
        "alamat": row.address,
        "rt": row.rt,
        "rw": row.rw,
        "kode_desa": row.desa,
        "pekerjaan": row.occupation,
        "telepon": row.phone,
    }


# --- programs and rules -------------------------------------------------------------------------------


def program_create(
    *,
    actor,
    code: str,
    name: str,
    target: str,
    source: str,
    benefit: str,
    amount_per_period: Decimal | None = None,
    goods: str = "",
    stages: int = 1,
    area_prefix: str = "",
    required_flags: list[str] | None = None,
    description: str = "",
) -> Program:
    require_permission(actor, "aid.manage_program")
    valid_flags = {f for f, _c, _l in VULNERABILITY_FLAGS}
    if any(f not in valid_flags for f in required_flags or []):
        raise ValidationError({"required_flags": _("Syarat kerentanan tidak dikenal.")})
    with transaction.atomic():
        program = Program(
            code=code,
            name=name,
            target=target,
            source=source,
            benefit=benefit,
            amount_per_period=amount_per_period,
            goods=goods,
            stages=stages,
            area_prefix=area_prefix,
            required_flags=required_flags or [],
            description=description,
        )
        program.full_clean()
        program.save()
        audit_write(actor=actor, action="aid.program_create", instance=program, after=snapshot(program))
    return program


def exclusivity_rule_create(
    *,
    actor,
    program: Program,
    kind: str,
    other_program: Program | None,
    valid_from: date,
    valid_to: date | None = None,
    legal_basis: str = "",
) -> ExclusivityRule:
    require_permission(actor, "aid.manage_program")
    with transaction.atomic():
        rule = ExclusivityRule(
            program=program,
            kind=kind,
            other_program=other_program,
            valid_from=valid_from,
            valid_to=valid_to,
            legal_basis=legal_basis,
            set_by=actor,
        )
        rule.full_clean()
        rule.save()
        audit_write(actor=actor, action="aid.exclusivity_rule_create", instance=rule, after=snapshot(rule))
    return rule


# --- rounds and lists ---------------------------------------------------------------------------------


def _editable_round(actor, rnd: Round) -> Round:
    rnd = Round.objects.select_for_update().get(
        pk=_in_scope(actor, Round.objects.all(), "aid.distribute", rnd.pk).pk
    )
    if rnd.is_frozen:
        raise ValidationError(
            _("Daftar putaran ini sudah disahkan dan dikunci; tidak dapat diubah."), code="frozen"
        )
    if rnd.status != Round.Status.DRAFT:
        raise ValidationError(
            _("Daftar sedang menunggu pengesahan; kembalikan ke draf untuk mengubahnya."), code="submitted"
        )
    return rnd


def round_create(
    *, actor, program: Program, area: str, stage: int, period_start: date, period_end: date
) -> Round:
    require_permission(actor, "aid.distribute")
    prefixes = region_prefixes(actor, "aid.distribute")
    if prefixes is not None and not any(area == p or area.startswith(p + ".") for p in prefixes):
        raise ValidationError({"area": _("Wilayah %(code)s di luar wilayah kerja Anda.") % {"code": area}})
    if not Region.objects.filter(code=area).exists():
        raise ValidationError({"area": _("Kode wilayah %(code)s tidak dikenal.") % {"code": area}})
    if stage > program.stages:
        raise ValidationError({"stage": _("Program ini hanya memiliki %(n)s tahap.") % {"n": program.stages}})
    with transaction.atomic():
        rnd = Round(
            program=program,
            area_id=area,
            stage=stage,
            period_start=period_start,
            period_end=period_end,
            created_by=actor,
        )
        rnd.full_clean()
        rnd.save()
        audit_write(actor=actor, action="aid.round_create", instance=rnd, after=snapshot(rnd))
    return rnd


@dataclass
class EnrolmentResult:
    enrolment: Enrolment
    warnings: list  # AidWarning: the entry warning shown at once


def enrolment_add(
    *,
    actor,
    rnd: Round,
    resident: Resident | None = None,
    family: Family | None = None,
    origin: str = Enrolment.Origin.MANUAL,
) -> EnrolmentResult:
    """Put a person or family on a draft list; returns the "already receives X" warnings at once."""
    require_permission(actor, "aid.distribute")
    with transaction.atomic():
        rnd = _editable_round(actor, rnd)
        if rnd.program.target == Program.Target.FAMILY:
            if family is None and resident is not None:
                family = resident.family
                if family is None:
                    raise ValidationError(
                        _("Program ini untuk keluarga, tetapi orang ini belum terdaftar di KK.")
                    )
            resident = None
        elif resident is None:
            raise ValidationError(_("Program ini untuk perorangan: pilih penduduk."))
        else:
            family = None
        target = resident or family
        model_qs = Resident.objects.all() if resident else Family.objects.all()
        target = _in_scope(actor, model_qs, "aid.distribute", target.pk)
        desa = target.desa_id
        if not (desa == rnd.area_id or desa.startswith(rnd.area_id + ".")):
            raise ValidationError(
                _("Penerima tidak tinggal di wilayah putaran ini (%(area)s).") % {"area": rnd.area.name}
            )
        enrolment = Enrolment(
            round=rnd, resident=resident, family=family, desa_id=desa, origin=origin, added_by=actor
        )
        if (
            Enrolment.objects.filter(round=rnd)
            .filter(Q(resident=resident) if resident else Q(family=family))
            .exists()
        ):
            raise ValidationError(_("Penerima ini sudah ada di daftar."), code="duplicate")
        enrolment.conflicts = enrolment_conflicts(enrolment)
        enrolment.full_clean(validate_constraints=False)
        enrolment.save()
        audit_write(actor=actor, action="aid.enrolment_add", instance=enrolment, after=snapshot(enrolment))
    warnings = aid_warnings(
        program=rnd.program,
        period_start=rnd.period_start,
        period_end=rnd.period_end,
        resident=resident,
        family=family,
        exclude_round=rnd,
    )
    return EnrolmentResult(enrolment=enrolment, warnings=warnings)


def round_propose_from_eligibility(*, actor, rnd: Round) -> int:
    """Fill a draft list from the program's criteria: inside the area, holding a required flag, and not
    already receiving an aid the rules exclude. Returns how many were added."""
    require_permission(actor, "aid.distribute")
    with transaction.atomic():
        rnd = _editable_round(actor, rnd)
        program = rnd.program
        people = scoped(Resident.objects.all(), actor, "aid.distribute").filter(
            code_prefix_q("desa__code", rnd.area_id)
        )
        if program.area_prefix:
            people = people.filter(code_prefix_q("desa__code", program.area_prefix))
        if program.required_flags:
            flag_q = Q()
            for flag in program.required_flags:
                flag_q |= Q(**{flag: True})
            people = people.filter(flag_q)
        book = RuleBook(rnd.period_start)
        added = 0
        if program.target == Program.Target.FAMILY:
            candidates = Family.objects.filter(pk__in=people.exclude(family=None).values("family_id"))
            existing = set(Enrolment.objects.filter(round=rnd).values_list("family_id", flat=True))
        else:
            candidates = people
            existing = set(Enrolment.objects.filter(round=rnd).values_list("resident_id", flat=True))
        for candidate in candidates.iterator():
            if candidate.pk in existing:
                continue
            is_family = isinstance(candidate, Family)
            warnings = aid_warnings(
                program=program,
                period_start=rnd.period_start,
                period_end=rnd.period_end,
                resident=None if is_family else candidate,
                family=candidate if is_family else None,
                exclude_round=rnd,
                rulebook=book,
            )
            if any(not w.allowed for w in warnings):
                continue
            enrolment = Enrolment(
                round=rnd,
                resident=None if is_family else candidate,
                family=candidate if is_family else None,
                desa_id=candidate.desa_id,
                origin=Enrolment.Origin.ELIGIBILITY,
                added_by=actor,
            )
            enrolment.conflicts = enrolment_conflicts(enrolment, rulebook=book)
            enrolment.save()
            added += 1
        audit_write(
            actor=actor,
            action="aid.round_propose",
            instance=rnd,
            note=_("%(n)s penerima diusulkan") % {"n": added},
        )
    return added


def enrolment_remove(*, actor, enrolment: Enrolment) -> None:
    require_permission(actor, "aid.distribute")
    with transaction.atomic():
        enrolment = _in_scope(actor, Enrolment.objects.all(), "aid.distribute", enrolment.pk)
        _editable_round(actor, enrolment.round)
        audit_write(
            actor=actor, action="aid.enrolment_remove", instance=enrolment, before=snapshot(enrolment)
        )
        enrolment.delete()


def round_refresh_conflicts(*, actor, rnd: Round) -> int:
    """Recompute every recipient's conflicts (other lists change after this one was drafted)."""
    require_permission(actor, "aid.view_resident")
    rnd = _in_scope(actor, Round.objects.all(), "aid.view_resident", rnd.pk)
    if rnd.is_frozen:
        return 0
    _recompute_conflicts(rnd)
    return sum(1 for e in rnd.enrolments.all() if e.conflicts)


def _recompute_conflicts(rnd: Round) -> None:
    """Every recipient's conflicts as they stand now: when asked, when the list is submitted (so the
    approver reads today's conflicts) and when it is legalised (kept on record with the frozen list)."""
    book = RuleBook(rnd.period_start)
    changed = []
    for enrolment in rnd.enrolments.select_related("round__program", "resident", "family"):
        conflicts = enrolment_conflicts(enrolment, rulebook=book)
        if conflicts != enrolment.conflicts:
            enrolment.conflicts = conflicts
            changed.append(enrolment)
    Enrolment.objects.bulk_update(changed, ["conflicts"], batch_size=BATCH)


def round_submit(
    *, actor, rnd: Round, meeting_date: date, meeting_record: str, meeting_signed_by: str
) -> Round:
    """Send the list set by the special village meeting for legalisation (due in 5 working days)."""
    require_permission(actor, "aid.distribute")
    if meeting_date > timezone.localdate():
        raise ValidationError({"meeting_date": _("Tanggal musyawarah tidak boleh di masa depan.")})
    if not meeting_record.strip() or not meeting_signed_by.strip():
        raise ValidationError(
            _("Isi nomor berita acara musyawarah dan nama kepala desa yang menandatangani.")
        )
    with transaction.atomic():
        rnd = _editable_round(actor, rnd)
        if not rnd.enrolments.exists():
            raise ValidationError(_("Daftar penerima masih kosong."))
        before = snapshot(rnd)
        rnd.meeting_date = meeting_date
        rnd.meeting_record = meeting_record.strip()
        rnd.meeting_signed_by = meeting_signed_by.strip()
        rnd.legalisation_due = calendar.add_working_days(meeting_date, 5, rnd.area_id)
        rnd.status = Round.Status.TO_APPROVE
        rnd.submitted_at = timezone.now()
        rnd.full_clean()
        rnd.save()
        _recompute_conflicts(rnd)
        audit_write(actor=actor, action="aid.round_submit", instance=rnd, before=before, after=snapshot(rnd))
        _tell_approvers(rnd)
    return rnd


def _tell_approvers(rnd: Round) -> None:
    """A notification to each camat and bupati who may legalise the list: it waits for them, with a
    deadline of 5 working days."""
    url = reverse("aid:round_detail", args=[rnd.pk])
    title = message(
        N_("Daftar %(program)s tahap %(stage)s — %(area)s menunggu pengesahan (batas %(day)s)"),
        program=rnd.program.code.upper(),
        stage=rnd.stage,
        area=rnd.area.name,
        day=rnd.legalisation_due.strftime("%d-%m-%Y"),
    )
    with translation.override(settings.LANGUAGE_CODE):
        default_title = shown(title)[:200]
    Notification.objects.bulk_create(
        Notification(user_id=user_id, title=default_title, title_message=title, url=url)
        for user_id in holders_over_region("aid.approve_round", rnd.area_id)
    )


def _approvers_told(rnd: Round) -> None:
    """The list is legalised or sent back: the "waiting for legalisation" notifications are done."""
    Notification.objects.filter(url=reverse("aid:round_detail", args=[rnd.pk]), read_at__isnull=True).update(
        read_at=timezone.now()
    )


def round_return_to_draft(*, actor, rnd: Round) -> Round:
    require_permission(actor, "aid.approve_round")
    with transaction.atomic():
        rnd = Round.objects.select_for_update().get(
            pk=_in_scope(actor, Round.objects.all(), "aid.approve_round", rnd.pk).pk
        )
        if rnd.status != Round.Status.TO_APPROVE:
            raise ValidationError(_("Hanya daftar yang menunggu pengesahan yang dapat dikembalikan."))
        before = snapshot(rnd)
        rnd.status = Round.Status.DRAFT
        rnd.save(update_fields=["status", "updated_at"])
        audit_write(actor=actor, action="aid.round_return", instance=rnd, before=before, after=snapshot(rnd))
        _approvers_told(rnd)
    return rnd


def round_approve(*, actor, rnd: Round) -> Round:
    """Legalisation by the camat/bupati: the list is frozen. Conflicts are recomputed and kept on record;
    a legalisation after the 5-working-day limit is marked late (it is still a legalisation)."""
    require_permission(actor, "aid.approve_round")
    with transaction.atomic():
        rnd = Round.objects.select_for_update().get(
            pk=_in_scope(actor, Round.objects.all(), "aid.approve_round", rnd.pk).pk
        )
        if rnd.status != Round.Status.TO_APPROVE:
            raise ValidationError(
                _("Hanya daftar yang menunggu pengesahan yang dapat disahkan."), code="status"
            )
        _recompute_conflicts(rnd)
        before = snapshot(rnd)
        rnd.status = Round.Status.APPROVED
        rnd.approved_at = timezone.now()
        rnd.approved_by = actor
        today = calendar.local_today(rnd.area_id)
        rnd.legalisation_late = bool(rnd.legalisation_due and today > rnd.legalisation_due)
        rnd.save()
        audit_write(actor=actor, action="aid.round_approve", instance=rnd, before=before, after=snapshot(rnd))
        _approvers_told(rnd)
    return rnd


def round_close(*, actor, rnd: Round) -> Round:
    require_permission(actor, "aid.distribute")
    with transaction.atomic():
        rnd = Round.objects.select_for_update().get(
            pk=_in_scope(actor, Round.objects.all(), "aid.distribute", rnd.pk).pk
        )
        if rnd.status != Round.Status.APPROVED:
            raise ValidationError(_("Hanya putaran yang sudah disahkan yang dapat diselesaikan."))
        before = snapshot(rnd)
        rnd.status = Round.Status.DONE
        rnd.save(update_fields=["status", "updated_at"])
        audit_write(actor=actor, action="aid.round_close", instance=rnd, before=before, after=snapshot(rnd))
    return rnd


# --- distribution and evidence ------------------------------------------------------------------------


@dataclass
class EvidenceInput:
    upload: object  # an UploadedFile
    taken_at: datetime
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    kind: str = Evidence.Kind.PHOTO  # or Evidence.Kind.VIDEO: a short video instead of a photo


# A phone's clock may run a few minutes off; a record may wait in the offline queue for days in a desa
# without signal. Outside these bounds the device time is not believed (the receive time is kept).
# Both are settings (docs/OPERATIONS.md) so an installation can widen them for remote desa.
DEVICE_CLOCK_SKEW = timedelta(minutes=settings.LAYAN_AID_DEVICE_CLOCK_SKEW_MINUTES)
DEVICE_TIME_MAX_DELAY = timedelta(days=settings.LAYAN_AID_DEVICE_TIME_MAX_DELAY_DAYS)


def device_time_plausible(
    device_time: datetime, received: datetime, *, not_before: datetime | None = None
) -> bool:
    """Whether a time taken from the phone can stand for when it happened: not in the future, not older than
    the longest plausible wait in the offline queue, and not before ``not_before`` (e.g. the list's
    legalisation: a handover cannot precede the frozen list it was recorded on)."""
    if device_time > received + DEVICE_CLOCK_SKEW:
        return False
    if received - device_time > DEVICE_TIME_MAX_DELAY:
        return False
    return not (not_before is not None and device_time < not_before - DEVICE_CLOCK_SKEW)


def _phash(upload) -> str:
    import imagehash
    from PIL import Image

    upload.seek(0)
    with Image.open(upload) as image:
        value = str(imagehash.phash(image))
    upload.seek(0)
    return value


def _sha256(upload) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks() if hasattr(upload, "chunks") else iter(lambda: upload.read(65536), b""):
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def _reused_photo(phash: str, max_distance: int = 4) -> Evidence | None:
    """An earlier evidence photo that is (nearly) the same image: a photo re-used for another handover."""
    import imagehash

    exact = Evidence.objects.filter(phash=phash).order_by("pk").first()
    if exact is not None:
        return exact
    target = imagehash.hex_to_hash(phash)
    # Near-duplicates (re-compressed, resized): compare with recent photos only, the usual re-use window.
    for pk, other in Evidence.objects.exclude(phash="").order_by("-pk").values_list("pk", "phash")[:5000]:
        if target - imagehash.hex_to_hash(other) <= max_distance:
            return Evidence.objects.get(pk=pk)
    return None


def _store_evidence(
    *,
    actor,
    items: list[EvidenceInput],
    desa: str,
    distribution: Distribution | None = None,
    package: AsnPackage | None = None,
    received: datetime | None = None,
) -> list[Evidence]:
    """Photos (checked as images, perceptual hash for re-use) or short videos (checked by their first bytes,
    exact re-use by SHA-256). The capture time comes from the phone; an implausible one is replaced by the
    receive time rather than refused, so a handover recorded offline is never lost to a wrong clock."""
    received = received or timezone.now()
    stored = []
    for item in items:
        is_video = item.kind == Evidence.Kind.VIDEO
        if is_video:
            validate_video_upload(item.upload)
        else:
            validate_image_upload(item.upload)
        digest = _sha256(item.upload)
        phash = "" if is_video else _phash(item.upload)
        if is_video:
            reused = Evidence.objects.filter(sha256=digest).order_by("pk").first()
        else:
            reused = _reused_photo(phash)
        taken_at = item.taken_at if device_time_plausible(item.taken_at, received) else received
        evidence = Evidence(
            distribution=distribution,
            package=package,
            kind=Evidence.Kind.VIDEO if is_video else Evidence.Kind.PHOTO,
            file=item.upload,
            taken_at=taken_at,
            latitude=item.latitude,
            longitude=item.longitude,
            phash=phash,
            sha256=digest,
            reused_from=reused,
            desa_id=desa,
            uploaded_by=actor,
        )
        evidence.full_clean(exclude=["file"])
        evidence.save()
        stored.append(evidence)
    return stored


def _same_person_already_served(enrolment: Enrolment) -> Resident | None:
    """Someone a person decided is the same as a recipient of ``enrolment`` (a confirmed duplicate pair)
    whose aid on the same list was already handed over: the one person would be paid twice."""
    ids = (
        [enrolment.resident_id]
        if enrolment.resident_id
        else list(Resident.objects.filter(family=enrolment.family_id).values_list("pk", flat=True))
    )
    twins = set()
    for a, b in DuplicatePair.objects.filter(
        Q(resident_a_id__in=ids) | Q(resident_b_id__in=ids), status=DuplicatePair.Status.CONFIRMED
    ).values_list("resident_a_id", "resident_b_id"):
        twins.add(b if a in ids else a)
    twins -= set(ids)
    if not twins:
        return None
    twin_families = Resident.objects.filter(pk__in=twins, family__isnull=False).values_list(
        "family_id", flat=True
    )
    served = (
        Distribution.objects.filter(enrolment__round_id=enrolment.round_id)
        .filter(Q(enrolment__resident_id__in=twins) | Q(enrolment__family_id__in=twin_families))
        .select_related("enrolment__resident", "enrolment__family__head")
        .first()
    )
    if served is None:
        return None
    served_enrolment = served.enrolment
    if served_enrolment.resident_id in twins:
        return served_enrolment.resident
    return Resident.objects.filter(pk__in=twins, family_id=served_enrolment.family_id).first()


def distribution_record(
    *,
    actor,
    enrolment: Enrolment,
    handed_at: datetime,
    evidence: list[EvidenceInput],
    amount: Decimal | None = None,
    goods: str = "",
    confirmed_by_recipient: bool = False,
    receiver_name: str = "",
    note: str = "",
    client_uuid: uuid.UUID | None = None,
) -> Distribution:
    """Record a handover on a frozen list, with at least one photo or video. ``handed_at`` is the time the
    phone gives (possibly recorded offline hours ago): kept as the device time, and used as the handover
    time when plausible, else the receive time is. A re-send (same ``client_uuid``, e.g. from the offline
    queue) returns the first record instead of a second handover; ``was_created`` tells which."""
    require_permission(actor, "aid.distribute")
    client_uuid = client_uuid or uuid.uuid4()
    existing = Distribution.objects.filter(client_uuid=client_uuid).first()
    if existing is not None:
        existing = _in_scope(actor, Distribution.objects.all(), "aid.distribute", existing.pk)
        existing.was_created = False
        return existing
    if not evidence:
        raise ValidationError({"evidence": _("Lampirkan minimal satu foto atau video penyerahan.")})
    received = timezone.now()
    try:
        with transaction.atomic():
            enrolment = (
                Enrolment.objects.select_for_update()
                .select_related("round__program")
                .get(pk=enrolment_for_distribution(actor, enrolment.pk).pk)
            )
            if not enrolment.round.accepts_handovers:
                raise ValidationError(
                    _("Penyerahan hanya untuk daftar yang sudah disahkan dan belum selesai.")
                )
            if Distribution.objects.filter(enrolment=enrolment).exists():
                raise ValidationError(_("Penyerahan untuk penerima ini sudah dicatat."), code="already")
            twin = _same_person_already_served(enrolment)
            if twin is not None:
                raise ValidationError(
                    _(
                        "%(name)s sudah menerima bantuan pada daftar ini dan telah dipastikan orang "
                        "yang sama dengan penerima ini: penyerahan kedua tidak dicatat."
                    )
                    % {"name": twin.name},
                    code="same_person",
                )
            program = enrolment.round.program
            if program.benefit == Program.Benefit.CASH and not amount:
                amount = program.amount_per_period or None
                if amount is None:
                    raise ValidationError(
                        {"amount": _("Isi nilai uang yang diserahkan: program ini tidak berjumlah tetap.")}
                    )
            if program.benefit == Program.Benefit.GOODS and not goods:
                goods = program.goods
            accepted = device_time_plausible(handed_at, received, not_before=enrolment.round.approved_at)
            distribution = Distribution(
                enrolment=enrolment,
                client_uuid=client_uuid,
                handed_at=handed_at if accepted else received,
                device_time=handed_at,
                received_at=received,
                device_time_accepted=accepted,
                amount=amount,
                goods=goods.strip(),
                officer=actor,
                confirmed_by_recipient=confirmed_by_recipient,
                receiver_name=receiver_name.strip(),
                note=note.strip(),
                desa_id=enrolment.desa_id,
            )
            distribution.full_clean(exclude=["enrolment", "officer", "desa"])
            distribution.save()
            stored = _store_evidence(
                actor=actor,
                items=evidence,
                desa=enrolment.desa_id,
                distribution=distribution,
                received=received,
            )
            notes = []
            if any(e.reused_from_id for e in stored):
                notes.append(_("Foto/video dipakai ulang"))
            if not accepted:
                notes.append(_("Jam perangkat tidak wajar; dipakai waktu diterima server"))
            audit_write(
                actor=actor,
                action="aid.distribution_record",
                instance=distribution,
                after=snapshot(distribution),
                note="; ".join(notes),
            )
    except IntegrityError as exc:  # the same handover sent twice at once
        existing = Distribution.objects.filter(client_uuid=client_uuid).first()
        if existing is None:
            raise ValidationError(_("Penyerahan untuk penerima ini sudah dicatat."), code="already") from exc
        existing.was_created = False
        return existing
    distribution.was_created = True
    return distribution


# --- duplicates ---------------------------------------------------------------------------------------


def duplicate_decide(*, actor, pair: DuplicatePair, same_person: bool, note: str = "") -> DuplicatePair:
    """A person's decision on a pair; later runs of duplicate finding keep it."""
    require_permission(actor, "aid.manage_resident")
    with transaction.atomic():
        pair = DuplicatePair.objects.select_for_update().get(
            pk=_in_scope(actor, DuplicatePair.objects.all(), "aid.manage_resident", pair.pk).pk
        )
        _in_scope(actor, Resident.objects.all(), "aid.manage_resident", pair.resident_b_id)
        before = snapshot(pair)
        pair.status = DuplicatePair.Status.CONFIRMED if same_person else DuplicatePair.Status.REJECTED
        pair.decided_by = actor
        pair.decided_at = timezone.now()
        pair.note = note.strip()[:255]
        pair.save()
        audit_write(
            actor=actor, action="aid.duplicate_decide", instance=pair, before=before, after=snapshot(pair)
        )
    return pair


@dataclass
class LinkageCounts:
    compared_pairs: int = 0
    flagged: int = 0
    queued: int = 0
    kept_decisions: int = 0
    updated: int = 0


def duplicates_store(
    *, actor, scored: list[tuple[int, int, float]], high: float, low: float
) -> LinkageCounts:
    """Store the pairs a linkage run found: above ``high`` flagged, between ``low`` and ``high`` queued.
    Pairs a person already decided keep their decision; a pair no longer found is left as it was."""
    counts = LinkageCounts(compared_pairs=len(scored))
    with transaction.atomic():
        existing = {}
        for pk, a, b, status, score, reason in DuplicatePair.objects.values_list(
            "pk", "resident_a_id", "resident_b_id", "status", "score", "reason"
        ).iterator():
            existing[(a, b)] = (pk, status, score, reason)
        new, updates = [], []
        for left, right, score in scored:
            if score < low:
                continue
            a, b = min(left, right), max(left, right)
            status = DuplicatePair.Status.FLAGGED if score >= high else DuplicatePair.Status.QUEUED
            known = existing.get((a, b))
            if known is None:
                new.append(
                    DuplicatePair(
                        resident_a_id=a,
                        resident_b_id=b,
                        score=round(score, 6),
                        status=status,
                        reason=DuplicatePair.Reason.LINKAGE,
                    )
                )
            elif known[1] in (DuplicatePair.Status.CONFIRMED, DuplicatePair.Status.REJECTED):
                counts.kept_decisions += 1
                continue
            elif known[3] != DuplicatePair.Reason.LINKAGE and status != DuplicatePair.Status.FLAGGED:
                # A same-NIK pair from an import that the rest of the record does not confirm stays in
                # the queue for a person (never dropped, never auto-rejected).
                counts.queued += 1
                continue
            elif abs(known[2] - score) > 1e-6 or known[1] != status:
                updates.append(DuplicatePair(pk=known[0], score=round(score, 6), status=status))
                counts.updated += 1
            if status == DuplicatePair.Status.FLAGGED:
                counts.flagged += 1
            else:
                counts.queued += 1
        DuplicatePair.objects.bulk_create(new, batch_size=BATCH, ignore_conflicts=True)
        DuplicatePair.objects.bulk_update(updates, ["score", "status"], batch_size=BATCH)
        audit_write(
            actor=actor,
            action="aid.duplicates_find",
            object_type="aid.duplicatepair",
            note=_("%(f)s ditandai, %(q)s antre, %(k)s keputusan dipertahankan")
            % {"f": counts.flagged, "q": counts.queued, "k": counts.kept_decisions},
        )
    return counts


# --- ASN Peduli ---------------------------------------------------------------------------------------
#
# An employee pledges (cash per month or goods); the unit's collector records what was actually given,
# month by month, against the pledge; the unit assembles packages; a village officer (or the petugas
# bansos) targets a package at a family receiving nothing — the vulnerable ones first, from the coverage
# list — and hands it over with a photo or a short video. Totals per unit and for the kabupaten are public.


def _collector_unit(actor, unit):
    """``unit`` if the actor collects ASN Peduli there (the system always does); 404 otherwise."""
    if actor is None:
        return unit
    from layan.org.selectors import units_visible_to

    require_permission(actor, "aid.asn_collect")
    return get_in_scope_or_404(
        units_visible_to(actor, "aid.asn_collect"), actor, "aid.asn_collect", pk=unit.pk
    )


def _month(value: date | None) -> date | None:
    return value.replace(day=1) if value else None


def asn_pledge_create(
    *,
    actor,
    employee,
    kind: str,
    start_month: date,
    amount_per_month: Decimal | None = None,
    goods: str = "",
    end_month: date | None = None,
) -> AsnPledge:
    """An employee's pledge, made by the employee themself or recorded by their unit's collector."""
    own = actor is not None and getattr(employee, "user_id", None) == getattr(actor, "pk", None)
    if own:
        require_permission(actor, "aid.asn_pledge")
    else:
        _collector_unit(actor, employee.unit)
    start, end = _month(start_month), _month(end_month)
    goods = (goods or "").strip()
    if kind == AsnPledge.Kind.CASH and not amount_per_month:
        raise ValidationError({"amount_per_month": _("Isi nilai donasi per bulan.")})
    if kind == AsnPledge.Kind.GOODS and not goods:
        raise ValidationError({"goods": _("Sebutkan barang yang dijanjikan (mis. beras 5 kg per bulan).")})
    if end and end < start:
        raise ValidationError({"end_month": _("Bulan akhir tidak boleh sebelum bulan mulai.")})
    with transaction.atomic():
        # Two pledges sent at once (a double tap) wait for each other here, so the second sees the first.
        from layan.org.models import Employee

        Employee.objects.select_for_update().filter(pk=employee.pk).first()
        overlapping = AsnPledge.objects.filter(employee=employee, kind=kind).filter(
            Q(end_month__isnull=True) | Q(end_month__gte=start)
        )
        if end:
            overlapping = overlapping.filter(start_month__lte=end)
        if overlapping.exists():
            raise ValidationError(
                _("Sudah ada janji %(kind)s yang berlaku pada bulan itu; akhiri dulu janji yang lama.")
                % {"kind": AsnPledge.Kind(kind).label.lower()}
            )
        pledge = AsnPledge(
            employee=employee,
            unit=employee.unit,
            kind=kind,
            amount_per_month=amount_per_month if kind == AsnPledge.Kind.CASH else None,
            goods=goods,
            start_month=start,
            end_month=end,
        )
        pledge.full_clean(validate_constraints=False)
        try:
            with transaction.atomic():
                pledge.save()
        except IntegrityError as exc:  # the same pledge saved meanwhile (no lock on this database)
            raise ValidationError(
                _("Sudah ada janji %(kind)s yang berlaku pada bulan itu; akhiri dulu janji yang lama.")
                % {"kind": AsnPledge.Kind(kind).label.lower()}
            ) from exc
        audit_write(actor=actor, action="aid.asn_pledge_create", instance=pledge, after=snapshot(pledge))
    return pledge


def asn_pledge_end(*, actor, pledge: AsnPledge, last_month: date) -> AsnPledge:
    """Stop a pledge after ``last_month`` (by the employee or their collector); donations stay."""
    with transaction.atomic():
        pledge = AsnPledge.objects.select_for_update().select_related("unit").get(pk=pledge.pk)
        own = actor is not None and pledge.employee.user_id == getattr(actor, "pk", None)
        if own:
            require_permission(actor, "aid.asn_pledge")
        else:
            pledge = _in_scope(actor, AsnPledge.objects.all(), "aid.asn_collect", pledge.pk)
        last = _month(last_month)
        if last < pledge.start_month:
            raise ValidationError({"end_month": _("Bulan akhir tidak boleh sebelum bulan mulai.")})
        before = snapshot(pledge)
        pledge.end_month = last
        pledge.save(update_fields=["end_month", "updated_at"])
        audit_write(
            actor=actor, action="aid.asn_pledge_end", instance=pledge, before=before, after=snapshot(pledge)
        )
    return pledge


def asn_donation_record(
    *,
    actor,
    month: date,
    employee=None,
    amount: Decimal | None = None,
    goods: str = "",
    pledge: AsnPledge | None = None,
) -> AsnDonation:
    """Money or goods collected from an employee for a month (one record per pledge and month), by the
    collector of the employee's unit; against a pledge, the pledge's month range and values apply."""
    month = _month(month)
    goods = (goods or "").strip()
    if pledge is not None:
        if actor is not None:
            require_permission(actor, "aid.asn_collect")
            pledge = _in_scope(
                actor, AsnPledge.objects.select_related("employee__unit"), "aid.asn_collect", pledge.pk
            )
        employee = pledge.employee
        if month < pledge.start_month or (pledge.end_month and month > pledge.end_month):
            raise ValidationError({"month": _("Bulan ini di luar masa janji pegawai tersebut.")})
        if amount is None and pledge.kind == AsnPledge.Kind.CASH:
            amount = pledge.amount_per_month
        if not goods and pledge.kind == AsnPledge.Kind.GOODS:
            goods = pledge.goods
    elif employee is None:
        raise ValidationError({"pledge": _("Pilih janji donasi pegawai.")})
    else:
        _collector_unit(actor, employee.unit)
    amount = amount or Decimal(0)
    if amount <= 0 and not goods:
        raise ValidationError({"amount": _("Isi nilai uang atau barang yang diterima.")})
    with transaction.atomic():
        # One per pledge and month (a cash and a goods pledge are two); without a pledge, one per employee.
        same = AsnDonation.objects.filter(month=month)
        if pledge is not None:
            same = same.filter(pledge=pledge)
        else:
            same = same.filter(employee=employee, pledge=None)
        if same.exists():
            raise ValidationError(
                _("Donasi %(name)s untuk bulan ini sudah dicatat.") % {"name": employee.name}
            )
        donation = AsnDonation(
            pledge=pledge,
            employee=employee,
            unit=employee.unit,
            month=month,
            amount=amount,
            goods=goods,
            recorded_by=actor,
        )
        donation.full_clean(validate_constraints=False)
        donation.save()
        audit_write(
            actor=actor, action="aid.asn_donation_record", instance=donation, after=snapshot(donation)
        )
    return donation


def asn_package_create(
    *,
    actor,
    unit,
    contents: str,
    value: Decimal,
    family: Family | None = None,
    client_uuid: uuid.UUID | None = None,
) -> AsnPackage:
    """A package the unit assembles from what it collected. Its value may exceed the cash collected only by
    goods given in kind (the page shows the unit's balance). ``family``: targeted at once (see
    ``asn_package_target``). ``client_uuid`` (made with the form): the same form sent again returns the
    package it made (``was_created`` False) instead of a second one."""
    unit = _collector_unit(actor, unit)
    if client_uuid is not None:
        existing = _package_of_form(actor, client_uuid)
        if existing is not None:
            return existing
    try:
        with transaction.atomic():
            return _asn_package_insert(
                actor=actor, unit=unit, contents=contents, value=value, family=family, client_uuid=client_uuid
            )
    except IntegrityError:
        existing = _package_of_form(actor, client_uuid) if client_uuid is not None else None
        if existing is None:
            raise
        return existing


def _package_of_form(actor, client_uuid) -> AsnPackage | None:
    package = AsnPackage.objects.filter(client_uuid=client_uuid).first()
    if package is None:
        return None
    if actor is not None:
        package = _in_scope(actor, AsnPackage.objects.all(), "aid.asn_collect", package.pk)
    package.was_created = False
    return package


def _asn_package_insert(*, actor, unit, contents, value, family, client_uuid) -> AsnPackage:
    with transaction.atomic():
        package = AsnPackage(
            unit=unit, contents=(contents or "").strip(), value=value or Decimal(0), client_uuid=client_uuid
        )
        package.full_clean(validate_unique=False)  # a form sent twice at once: the database decides
        package.save()
        audit_write(actor=actor, action="aid.asn_package_create", instance=package, after=snapshot(package))
        if family is not None:
            package = asn_package_target(actor=actor, package=package, family=family)
    return package


def _check_receives_nothing(family: Family, *, year: int, package: AsnPackage) -> None:
    from layan.aid.selectors import family_aid_received

    received = family_aid_received(family, year=year)
    if received:
        raise ValidationError(
            {
                "family": _(
                    "Keluarga ini sudah menerima bantuan pada %(year)s (%(aid)s). Paket ASN Peduli untuk "
                    "keluarga yang belum menerima bantuan apa pun."
                )
                % {"year": year, "aid": ", ".join(received)}
            }
        )
    other = AsnPackage.objects.filter(family=family, status=AsnPackage.Status.ASSEMBLED).exclude(
        pk=package.pk
    )
    if other.exists():
        raise ValidationError({"family": _("Keluarga ini sudah dituju paket ASN Peduli lain.")})


def _package_for_distributor(actor, package: AsnPackage) -> AsnPackage:
    from layan.aid.selectors import asn_packages_visible

    require_permission(actor, "aid.distribute")
    if not asn_packages_visible(actor).filter(pk=package.pk).exists():
        from django.http import Http404

        raise Http404
    # Locked on its own: FOR UPDATE cannot cover the outer joins of the visibility condition (PostgreSQL).
    return AsnPackage.objects.select_for_update().get(pk=package.pk)


def asn_package_target(*, actor, package: AsnPackage, family: Family) -> AsnPackage:
    """Aim a package at a family in the actor's area that receives no aid this year (refused otherwise)."""
    with transaction.atomic():
        package = _package_for_distributor(actor, package)
        family = _in_scope(actor, Family.objects.all(), "aid.distribute", family.pk)
        if package.status != AsnPackage.Status.ASSEMBLED:
            raise ValidationError(_("Paket ini sudah diserahkan."))
        _check_receives_nothing(family, year=calendar.local_today(family.desa_id).year, package=package)
        before = snapshot(package)
        package.family = family
        package.desa_id = family.desa_id
        package.save(update_fields=["family", "desa", "updated_at"])
        audit_write(
            actor=actor,
            action="aid.asn_package_target",
            instance=package,
            before=before,
            after=snapshot(package),
        )
    return package


def asn_package_hand_over(
    *,
    actor,
    package: AsnPackage,
    handed_at: datetime,
    evidence: list[EvidenceInput],
    family: Family | None = None,
    consent_public: bool = False,
    client_uuid: uuid.UUID | None = None,
) -> AsnPackage:
    """Hand a package to a family (in the actor's area, receiving nothing that year) with photo or video
    evidence; the family then counts as covered. ``family`` defaults to the one the package was aimed at.
    A re-send of the same ``client_uuid`` (the phone's offline queue) returns the package as handed over,
    ``was_created`` False; another handover of a handed-over package is refused (code ``already``)."""
    require_permission(actor, "aid.distribute")
    if client_uuid is not None:
        again = AsnPackage.objects.filter(handover_uuid=client_uuid, pk=package.pk).first()
        if again is not None:
            with transaction.atomic():
                again = _package_for_distributor(actor, again)
            again.was_created = False
            return again
    if not evidence:
        raise ValidationError({"evidence": _("Lampirkan minimal satu foto atau video penyerahan.")})
    received = timezone.now()
    with transaction.atomic():
        package = _package_for_distributor(actor, package)
        if package.status == AsnPackage.Status.HANDED_OVER:
            raise ValidationError(_("Paket ini sudah diserahkan."), code="already")
        if family is None and package.family_id is None:
            raise ValidationError({"family": _("Pilih keluarga penerima.")})
        if family is not None and package.family_id and family.pk != package.family_id:
            raise ValidationError({"family": _("Paket ini ditujukan untuk keluarga lain.")})
        family = _in_scope(actor, Family.objects.all(), "aid.distribute", (family or package.family).pk)
        when = (
            handed_at
            if device_time_plausible(handed_at, received, not_before=package.created_at)
            else received
        )
        _check_receives_nothing(family, year=timezone.localtime(when).year, package=package)
        before = snapshot(package)
        package.family = family
        package.desa_id = family.desa_id
        package.status = AsnPackage.Status.HANDED_OVER
        package.handed_at = when
        package.handed_by = actor
        package.consent_public = consent_public
        package.handover_uuid = client_uuid
        package.save()
        _store_evidence(actor=actor, items=evidence, desa=family.desa_id, package=package, received=received)
        audit_write(
            actor=actor,
            action="aid.asn_package_hand_over",
            instance=package,
            before=before,
            after=snapshot(package),
        )
    package.was_created = True
    return package


def read_upload_bytes(upload) -> bytes:
    """The bytes of an uploaded file (limited by the import size limit)."""
    from django.conf import settings

    if upload.size > settings.LAYAN_MAX_IMPORT_BYTES:
        raise ValidationError(
            _("Berkas terlalu besar (maksimal %(mb)s MB).")
            % {"mb": settings.LAYAN_MAX_IMPORT_BYTES // (1024 * 1024)}
        )
    buffer = io.BytesIO()
    for chunk in upload.chunks():
        buffer.write(chunk)
    return buffer.getvalue()
