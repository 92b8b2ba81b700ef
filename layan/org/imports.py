"""Importing employees from an xlsx/CSV table (BKPSDM's spreadsheets), row by row.

Each row is validated and saved in its own transaction through the same services as the forms; a rejected
row is kept with its reasons for the downloadable report. Re-importing a file is idempotent: an employee is
found by NIP (or NIK for non-ASN) and updated only when something changed. Supervisors are resolved after
every row is in, because a supervisor may come later in the file.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from layan.core.calendar import local_today
from layan.core.exports import xlsx_bytes
from layan.core.identifiers import normalize_digits
from layan.core.personal_data import keyed_hash
from layan.core.scopes import scoped
from layan.org import services
from layan.org.models import Employee, Position, Unit

logger = logging.getLogger(__name__)

COLUMNS = [
    "nip",
    "nama",
    "jenis_pegawai",
    "nik",
    "jenis_kelamin",
    "tempat_lahir",
    "tanggal_lahir",
    "kode_unit",
    "jabatan",
    "kelas_jabatan",
    "nip_atasan",
    "tmt",
    "telepon",
    "email",
]
REQUIRED_COLUMNS = ["nip", "nama", "jenis_pegawai", "kode_unit"]
DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y")
KINDS = {
    "PNS": Employee.Kind.PNS,
    "PPPK": Employee.Kind.PPPK,
    "NON_ASN": Employee.Kind.NON_ASN,
    "NONASN": Employee.Kind.NON_ASN,
}
# Where a service's field error belongs in the file.
FIELD_COLUMNS = {
    "nip": "nip",
    "name": "nama",
    "kind": "jenis_pegawai",
    "nik": "nik",
    "sex": "jenis_kelamin",
    "birth_place": "tempat_lahir",
    "birth_date": "tanggal_lahir",
    "unit": "kode_unit",
    "to_unit": "kode_unit",
    "position": "jabatan",
    "kelas_jabatan": "kelas_jabatan",
    "supervisor": "nip_atasan",
    "employment_start": "tmt",
    "phone": "telepon",
    "email": "email",
    "effective_date": "tmt",
}
EXAMPLE_ROW = [
    "199006052015032001",
    "Siti Rahma",
    "PNS",
    "7201014506900003",
    "P",
    "Luwuk",
    "05-06-1990",
    "KEC-TOILI",
    "Pengelola Data",
    "7",
    "",
    "2015-03-01",
    "081234567890",
    "siti@example.go.id",
]


class Status:
    CREATED = "dibuat"
    UPDATED = "diperbarui"
    UNCHANGED = "tidak berubah"
    REJECTED = "ditolak"


@dataclass
class RowOutcome:
    number: int  # row number in the file (the header is row 1)
    values: dict[str, str]
    status: str = Status.REJECTED
    reasons: list[str] = field(default_factory=list)
    employee_id: int | None = None


@dataclass
class ImportResult:
    outcomes: list[RowOutcome] = field(default_factory=list)
    positions_created: int = 0
    ignored_columns: list[str] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def problems(self) -> list[RowOutcome]:
        """Rejected rows, and saved rows that carry a remark (e.g. a supervisor that could not be set)."""
        return [o for o in self.outcomes if o.status == Status.REJECTED or o.reasons]

    def summary(self, limit: int = 200) -> dict:
        return {
            "total": len(self.outcomes),
            "created": self.count(Status.CREATED),
            "updated": self.count(Status.UPDATED),
            "unchanged": self.count(Status.UNCHANGED),
            "rejected": self.count(Status.REJECTED),
            "positions_created": self.positions_created,
            "ignored_columns": self.ignored_columns,
            "problems": [
                {
                    "row": o.number,
                    "nip": o.values.get("nip", ""),
                    "nama": o.values.get("nama", ""),
                    "status": o.status,
                    "reasons": o.reasons,
                }
                for o in self.problems[:limit]
            ],
        }

    def report_xlsx(self) -> bytes:
        headers = ["baris", "status", "alasan", *COLUMNS]
        rows = (
            [o.number, o.status, "; ".join(o.reasons), *[o.values.get(c, "") for c in COLUMNS]]
            for o in self.problems
        )
        return xlsx_bytes(headers, rows, sheet_title="Baris bermasalah")


def template_xlsx() -> bytes:
    return xlsx_bytes(COLUMNS, [EXAMPLE_ROW], sheet_title="Pegawai")


def check_headers(headers: Sequence[str]) -> list[str]:
    """Raise a clear error when required columns are missing; return the columns that will be ignored."""
    present = {h.strip().lower() for h in headers}
    missing = [c for c in REQUIRED_COLUMNS if c not in present]
    if missing:
        raise ValidationError(
            _("Kolom wajib tidak ada: %(missing)s. Gunakan templat impor (kolom: %(columns)s).")
            % {"missing": ", ".join(missing), "columns": ", ".join(COLUMNS)},
            code="missing_columns",
        )
    return [h for h in headers if h and h not in COLUMNS]


def parse_date(text: str, column: str) -> date | None:
    text = (text or "").strip()
    if not text:
        return None
    text = text.split(" ")[0]  # "2015-03-01 00:00:00" from some spreadsheets
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a calendar date, no time
        except ValueError:
            continue
    raise ValidationError(
        {
            column: _(
                "%(column)s: tanggal %(value)s tidak sah (gunakan YYYY-MM-DD, DD-MM-YYYY atau DD/MM/YYYY)."
            )
            % {"column": column, "value": text}
        }
    )


def _messages(exc: ValidationError) -> list[str]:
    if not hasattr(exc, "error_dict"):
        return list(exc.messages)
    out = []
    for name, messages in exc.message_dict.items():
        column = FIELD_COLUMNS.get(name, "" if name == "__all__" else name)
        out.extend(f"{column}: {m}" if column and not m.startswith(f"{column}:") else m for m in messages)
    return out


class _Importer:
    def __init__(self, actor, progress: Callable[[int, int], None] | None):
        self.actor = actor
        self.progress = progress or (lambda done, total: None)
        self.result = ImportResult()
        self.seen_nips: dict[str, int] = {}
        self.seen_niks: dict[str, int] = {}
        self.row_positions_created = 0  # counted into the result only when the row is saved

    # -- one row ------------------------------------------------------------------------------------------
    def _unit(self, code: str) -> Unit:
        unit = Unit.objects.filter(code__iexact=code.strip()).first() if code.strip() else None
        outside = self.actor is not None and unit is not None
        if (
            outside
            and not scoped(Unit.objects.filter(pk=unit.pk), self.actor, "org.manage_employee").exists()
        ):
            unit = None
        if unit is None:
            raise ValidationError(
                {
                    "unit": _("Kode unit %(code)s tidak dikenal atau di luar wilayah kerja Anda.")
                    % {"code": code or "-"}
                }
            )
        return unit

    def _position(self, name: str, kelas_text: str) -> Position | None:
        name = " ".join((name or "").split())
        if not name:
            if kelas_text.strip():
                raise ValidationError({"position": _("Kelas jabatan diisi tetapi nama jabatan kosong.")})
            return None
        try:
            kelas = int(kelas_text.strip())
        except ValueError:
            kelas = 0
        if not 1 <= kelas <= 17:
            raise ValidationError({"kelas_jabatan": _("Kelas jabatan harus bilangan bulat 1–17.")})
        position = Position.objects.filter(name__iexact=name, kelas_jabatan=kelas).first()
        if position is None:
            try:
                position = services.position_create(
                    actor=self.actor, name=name, kind=Position.Kind.PELAKSANA, kelas_jabatan=kelas
                )
            except PermissionDenied as exc:
                raise ValidationError(
                    {
                        "position": _("Jabatan %(name)s kelas %(kelas)s belum terdaftar.")
                        % {"name": name, "kelas": kelas}
                    }
                ) from exc
            self.row_positions_created += 1
        return position

    def _fields(self, values: dict[str, str]) -> dict:
        """The row as service arguments, or a ValidationError listing every bad cell."""
        errors: dict[str, list[str]] = {}
        data: dict = {}
        kind_text = values["jenis_pegawai"].strip().upper().replace("-", "_").replace(" ", "_")
        if kind_text not in KINDS:
            errors["kind"] = [
                _("Jenis pegawai %(value)s tidak dikenal (PNS, PPPK atau NON_ASN).")
                % {"value": values["jenis_pegawai"] or "-"}
            ]
        else:
            data["kind"] = KINDS[kind_text]
        data["nip"] = normalize_digits(values["nip"]) or None
        data["name"] = values["nama"]
        data["nik"] = normalize_digits(values["nik"])
        sex = values["jenis_kelamin"].strip().upper()
        if sex and sex not in ("L", "P"):
            errors["sex"] = [_("Jenis kelamin harus L atau P.")]
        data["sex"] = sex
        for column, name in (("tanggal_lahir", "birth_date"), ("tmt", "employment_start")):
            try:
                data[name] = parse_date(values[column], column)
            except ValidationError as exc:
                errors[name] = exc.message_dict[column]
        data["birth_place"] = values["tempat_lahir"]
        data["phone"] = values["telepon"]
        data["email"] = values["email"]
        if data["email"]:
            try:
                validate_email(data["email"])
            except ValidationError:
                errors["email"] = [_("Alamat surel %(value)s tidak sah.") % {"value": data["email"]}]
        for key, resolve in (
            ("unit", lambda: self._unit(values["kode_unit"])),
            ("position", lambda: self._position(values["jabatan"], values["kelas_jabatan"])),
        ):
            try:
                data[key] = resolve()
            except ValidationError as exc:
                errors.update(exc.message_dict)
        if errors:
            raise ValidationError(errors)
        return data

    def _existing(self, data: dict) -> Employee | None:
        if data["nip"]:
            return Employee.objects.filter(nip=data["nip"]).first()
        if data["nik"]:
            return Employee.objects.filter(nik_hash=keyed_hash(data["nik"])).first()
        return None

    def _save(self, outcome: RowOutcome) -> None:
        data = self._fields(outcome.values)
        existing = self._existing(data)
        if existing is None:
            employee = services.employee_create(actor=self.actor, **data)
            outcome.status, outcome.employee_id = Status.CREATED, employee.pk
            return
        if (
            self.actor is not None
            and not scoped(
                Employee.objects.filter(pk=existing.pk), self.actor, "org.manage_employee"
            ).exists()
        ):
            raise ValidationError(
                {
                    "nip": _(
                        "Pegawai dengan NIP/NIK ini sudah terdaftar di unit di luar wilayah "
                        "kerja Anda; hubungi BKPSDM."
                    )
                }
            )
        stamp = existing.updated_at
        unit, position = data.pop("unit"), data.pop("position")
        # Empty optional cells leave stored values as they are: an import never erases what it was not given.
        changes = {k: v for k, v in data.items() if v not in (None, "")}
        employee = services.employee_update(actor=self.actor, employee=existing, **changes)
        if unit.pk != employee.unit_id or (position is not None and position.pk != employee.position_id):
            services.employee_move(
                actor=self.actor,
                employee=employee,
                to_unit=unit,
                to_position=position,
                effective_date=local_today(unit.region_id),
                note=_("Impor data pegawai"),
            )
        employee.refresh_from_db()
        outcome.employee_id = employee.pk
        outcome.status = Status.UPDATED if employee.updated_at != stamp else Status.UNCHANGED

    def _duplicate_in_file(self, outcome: RowOutcome) -> str | None:
        nip = normalize_digits(outcome.values["nip"])
        nik = normalize_digits(outcome.values["nik"])
        if nip and nip in self.seen_nips:
            return _("NIP %(nip)s sudah muncul di baris %(row)s.") % {"nip": nip, "row": self.seen_nips[nip]}
        if nik and nik in self.seen_niks:
            return _("NIK sudah muncul di baris %(row)s.") % {"row": self.seen_niks[nik]}
        if nip:
            self.seen_nips[nip] = outcome.number
        if nik:
            self.seen_niks[nik] = outcome.number
        return None

    def row(self, outcome: RowOutcome) -> None:
        if not outcome.values["nama"].strip() and not outcome.values["nip"].strip():
            outcome.reasons.append(_("Baris tanpa NIP dan nama."))
            return
        duplicate = self._duplicate_in_file(outcome)
        if duplicate:
            outcome.reasons.append(duplicate)
            return
        self.row_positions_created = 0
        try:
            with transaction.atomic():  # the row and anything it created (a new position) or nothing
                self._save(outcome)
            self.result.positions_created += self.row_positions_created
        except ValidationError as exc:
            outcome.status = Status.REJECTED
            outcome.reasons.extend(_messages(exc))
        except PermissionDenied:
            outcome.status = Status.REJECTED
            outcome.reasons.append(_("Anda tidak berwenang mengubah pegawai ini."))
        except Exception:  # a bug must not lose the other rows; it is logged and reported on this row
            logger.exception("employee import row failed", extra={"row": outcome.number})
            outcome.status = Status.REJECTED
            outcome.reasons.append(
                _("Kesalahan sistem saat menyimpan baris ini; baris lain tidak terpengaruh.")
            )

    # -- supervisors, after every row ----------------------------------------------------------------------
    def supervisors(self) -> None:
        for outcome in self.result.outcomes:
            boss_nip = normalize_digits(outcome.values["nip_atasan"])
            if outcome.status == Status.REJECTED or not boss_nip or outcome.employee_id is None:
                continue
            employee = Employee.objects.get(pk=outcome.employee_id)
            supervisor = Employee.objects.filter(nip=boss_nip).first()
            if supervisor is None:
                outcome.reasons.append(
                    _(
                        "nip_atasan: atasan dengan NIP %(nip)s tidak ditemukan; pegawai disimpan "
                        "tanpa mengubah atasan."
                    )
                    % {"nip": boss_nip}
                )
                continue
            if supervisor.pk == employee.supervisor_id:
                continue
            try:
                services.employee_set_supervisor(actor=self.actor, employee=employee, supervisor=supervisor)
            except (ValidationError, PermissionDenied) as exc:
                detail = _messages(exc) if isinstance(exc, ValidationError) else [_("tidak berwenang")]
                outcome.reasons.append(
                    _("nip_atasan: atasan tidak dapat diatur: %(why)s") % {"why": "; ".join(detail)}
                )
                continue
            if outcome.status == Status.UNCHANGED:
                outcome.status = Status.UPDATED

    def run(self, headers: Sequence[str], rows: Sequence[Sequence[str]]) -> ImportResult:
        headers = [h.strip().lower() for h in headers]
        self.result.ignored_columns = check_headers(headers)
        index = {name: headers.index(name) for name in COLUMNS if name in headers}
        total = len(rows)
        for number, row in enumerate(rows, start=2):
            values = {
                name: (str(row[i]).strip() if i < len(row) and row[i] is not None else "")
                for name, i in index.items()
            }
            values.update({name: "" for name in COLUMNS if name not in values})
            outcome = RowOutcome(number=number, values=values)
            self.result.outcomes.append(outcome)
            self.row(outcome)
            self.progress(number - 1, total)
        self.supervisors()
        self.progress(total, total)
        return self.result


def import_employees(
    *,
    actor,
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    """Import the table's rows. ``actor`` None is the system (management command)."""
    return _Importer(actor, progress).run(headers, rows)
