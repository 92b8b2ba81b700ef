"""Writes to the region tree: the import of a Kemendagri list (and population counts) and the bundled load.

The import is an idempotent upsert keyed by code, done with bulk statements inside one transaction:
importing the same file twice changes nothing the second time (and writes no second audit event).
Bad rows do not stop the import; they come back with their line and the reasons, in Indonesian.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from layan.core.audit import audit_write
from layan.core.identifiers import region_level, validate_region_code
from layan.regions import files
from layan.regions.models import Region

# Rows written per INSERT/UPDATE statement (SQLite's parameter limit is 32,766; 7 columns x 500 fits).
BATCH_SIZE = 500
# Rejected rows copied into the audit event; the full list is in the ImportResult.
AUDITED_REJECTIONS = 50


@dataclass
class RejectedRow:
    line: int  # line in the file, the header being line 1
    code: str
    name: str
    reasons: list[str]


@dataclass
class ImportResult:
    read: int = 0  # non-blank data rows
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0  # desa/kelurahan outside ``prefix``
    rejected: list[RejectedRow] = field(default_factory=list)
    population_read: int = 0
    population_updated: int = 0
    population_unchanged: int = 0
    population_skipped: int = 0  # the national total (kode 0)
    population_rejected: list[RejectedRow] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.population_updated)

    def counts(self) -> dict:
        data = asdict(self)
        data["rejected"] = len(self.rejected)
        data["population_rejected"] = len(self.population_rejected)
        return data


def parent_code(code: str) -> str | None:
    return code.rsplit(".", 1)[0] if "." in code else None


def _validate_prefix(prefix: str | None) -> str | None:
    prefix = (prefix or "").strip()
    if not prefix:
        return None
    validate_region_code(prefix)
    return prefix


def _cell(row: Sequence[str], index: int) -> str:
    return (row[index] or "").strip() if index < len(row) else ""


def _check_region_rows(rows: Iterable[Sequence[str]], prefix: str | None, result: ImportResult) -> dict:
    """The cheap checks of every row on its own (code shape, name, duplicates): {code: (line, name)} of the
    good ones. The model's full_clean runs later, on the rows that will actually be written."""
    accepted: dict[str, tuple[int, str]] = {}
    inside = prefix + "." if prefix else ""
    for line, row in enumerate(rows, start=2):
        code = _cell(row, 0)
        # Every provinsi/kabupaten/kecamatan is kept (a NIK anywhere must validate); villages only inside.
        # This test comes first: with a prefix, nine rows in ten of the national file stop here.
        if inside and code.count(".") == 3 and not code.startswith(inside):
            result.skipped += 1
            continue
        name = _cell(row, 1)
        if not code and not name and not any((cell or "").strip() for cell in row):
            continue
        result.read += 1
        reasons: list[str] = []
        if code in accepted:
            reasons.append(
                _("Kode %(code)s muncul lebih dari sekali dalam berkas (pertama di baris %(line)s).")
                % {"code": code, "line": accepted[code][0]}
            )
        try:
            validate_region_code(code)
        except ValidationError as error:
            reasons.extend(error.messages)
        if not name:
            reasons.append(_("Nama wilayah kosong."))
        if reasons:
            result.rejected.append(RejectedRow(line=line, code=code, name=name, reasons=reasons))
        else:
            accepted[code] = (line, name)
    return accepted


_POPULATION_FIELDS = ["population", "population_male", "population_female", "population_year"]


@dataclass
class _Plan:
    """What the import will write, decided before any statement runs."""

    existing: dict[str, tuple]  # code -> (name, population, male, female, year) already in the database
    to_create: dict[str, Region] = field(default_factory=dict)
    renamed: list[Region] = field(default_factory=list)
    population_changed: list[Region] = field(default_factory=list)


def _plan_regions(rows, prefix: str | None, result: ImportResult) -> _Plan:
    accepted = _check_region_rows(rows, prefix, result)
    plan = _Plan(
        existing={row[0]: row[1:] for row in Region.objects.values_list("code", "name", *_POPULATION_FIELDS)}
    )
    known: set[str] = set(plan.existing)
    # Parents before children: a row whose parent was rejected is rejected too, with the reason.
    for code in sorted(accepted, key=lambda c: (region_level(c), c)):
        line, name = accepted[code]
        parent = parent_code(code)
        if parent is not None and parent not in known:
            reason = _("Wilayah induk %(parent)s tidak ada di berkas maupun di basis data.") % {
                "parent": parent
            }
            result.rejected.append(RejectedRow(line=line, code=code, name=name, reasons=[reason]))
            continue
        if code in plan.existing and plan.existing[code][0] == name:
            known.add(code)
            result.unchanged += 1
            continue
        region = Region(code=code, name=name, level=region_level(code), parent_id=parent)
        try:
            # Unchanged rows skip this: a second import of the same file costs no validation.
            region.full_clean(exclude=["parent"], validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            reasons = [m for messages in error.message_dict.values() for m in messages]
            result.rejected.append(RejectedRow(line=line, code=code, name=name, reasons=reasons))
            continue
        known.add(code)
        if code in plan.existing:
            plan.renamed.append(region)
        else:
            plan.to_create[code] = region
    result.created, result.updated = len(plan.to_create), len(plan.renamed)
    result.rejected.sort(key=lambda r: r.line)
    return plan


def _count(value: str) -> int | None:
    value = value.replace(".", "").replace(",", "").replace(" ", "")
    return int(value) if value.isdigit() else None


def _check_population_rows(rows, result: ImportResult) -> dict[str, tuple[int, str, tuple]]:
    """{code: (line, name, (total, male, female))} of the rows that are right on their own."""
    parsed: dict[str, tuple[int, str, tuple]] = {}
    for line, row in enumerate(rows, start=2):
        if not any((cell or "").strip() for cell in row):
            continue
        code, name = _cell(row, 0), _cell(row, 1)
        if code == "0":  # the national total: not a region
            result.population_skipped += 1
            continue
        result.population_read += 1
        male, female, total = (_count(_cell(row, i)) for i in (2, 3, 4))
        reasons: list[str] = []
        try:
            validate_region_code(code)
        except ValidationError as error:
            reasons.extend(error.messages)
        if code in parsed:
            reasons.append(
                _("Kode %(code)s muncul lebih dari sekali dalam berkas (pertama di baris %(line)s).")
                % {"code": code, "line": parsed[code][0]}
            )
        if total is None:
            reasons.append(_("Jumlah penduduk (total) harus bilangan bulat tidak negatif."))
        elif male is not None and female is not None and male + female != total:
            reasons.append(
                _("Pria + wanita (%(sum)s) tidak sama dengan total (%(total)s).")
                % {"sum": male + female, "total": total}
            )
        if reasons:
            result.population_rejected.append(RejectedRow(line=line, code=code, name=name, reasons=reasons))
        else:
            parsed[code] = (line, name, (total, male, female))
    return parsed


def _plan_population(rows, year: int | None, plan: _Plan, result: ImportResult) -> None:
    for code, (line, name, (total, male, female)) in _check_population_rows(rows, result).items():
        new = plan.to_create.get(code)
        if new is not None:
            # A region created by this import gets its population in the same INSERT.
            new.population, new.population_male, new.population_female = total, male, female
            new.population_year = year
            result.population_updated += 1
            continue
        if code not in plan.existing:
            reason = _("Wilayah %(code)s tidak dikenal: impor dulu daftar wilayahnya.") % {"code": code}
            result.population_rejected.append(RejectedRow(line=line, code=code, name=name, reasons=[reason]))
            continue
        current = plan.existing[code][1:]
        values = (total, male, female, year if year is not None else current[3])
        if tuple(current) == values:
            result.population_unchanged += 1
            continue
        plan.population_changed.append(
            Region(code=code, **dict(zip(_POPULATION_FIELDS, values, strict=True)))
        )
        result.population_updated += 1
    result.population_rejected.sort(key=lambda r: r.line)


def _write(plan: _Plan) -> None:
    if plan.to_create:
        # An upsert, so that two loads racing (two servers starting) cannot fail on a duplicate key.
        Region.objects.bulk_create(
            list(plan.to_create.values()),
            batch_size=BATCH_SIZE,
            update_conflicts=True,
            unique_fields=["code"],
            update_fields=["name", "level", "parent", *_POPULATION_FIELDS],
        )
    if plan.renamed:
        Region.objects.bulk_update(plan.renamed, ["name"], batch_size=BATCH_SIZE)
    if plan.population_changed:
        Region.objects.bulk_update(plan.population_changed, _POPULATION_FIELDS, batch_size=BATCH_SIZE)


def regions_import(
    *,
    actor,
    rows: Iterable[Sequence[str]],
    population_rows: Iterable[Sequence[str]] | None = None,
    prefix: str | None = None,
    population_year: int | None = None,
) -> ImportResult:
    """Upsert regions from ``[kode, nama]`` rows (data rows of a file, the header being line 1).

    The level comes from the code; the parent is the code without its last part and must be in the file
    or already known. With ``prefix``, every provinsi, kabupaten/kota and kecamatan is imported but
    desa/kelurahan only inside the prefix. ``population_rows`` are ``[kode, nama, pria, wanita, total]``.
    Raises ValidationError only for a bad ``prefix``; bad rows are returned in ``rejected``.
    """
    prefix = _validate_prefix(prefix)
    result = ImportResult()
    with transaction.atomic():
        plan = _plan_regions(rows, prefix, result)
        if population_rows is not None:
            _plan_population(population_rows, population_year, plan, result)
        _write(plan)
        if result.changed:
            summary = result.counts()
            summary["rejected_rows"] = [asdict(r) for r in result.rejected[:AUDITED_REJECTIONS]]
            summary["population_rejected_rows"] = [
                asdict(r) for r in result.population_rejected[:AUDITED_REJECTIONS]
            ]
            audit_write(
                actor=actor,
                action="regions.import",
                object_type="regions.region",
                object_id=prefix or "",
                after=summary,
                note=_("Impor wilayah: %(created)s baru, %(updated)s diubah, %(rejected)s ditolak.")
                % {"created": result.created, "updated": result.updated, "rejected": len(result.rejected)},
            )
    return result


def regions_load_bundled(*, actor=None, prefix: str | None = "72.01") -> dict:
    """Load the bundled Kepmendagri 2025 list: every provinsi, kabupaten/kota and kecamatan of Indonesia
    (so that the region part of any NIK validates), the desa/kelurahan under ``prefix`` (all of them when
    ``prefix`` is None or empty), and the 2025 population per provinsi and kabupaten/kota.

    Idempotent: a second run changes nothing. Returns the counts and the time taken in seconds."""
    started = time.perf_counter()
    rows = files.read_region_rows(files.BUNDLED_REGIONS.read_bytes())
    population = files.read_population_rows(files.BUNDLED_POPULATION.read_bytes())
    result = regions_import(
        actor=actor,
        rows=rows,
        population_rows=population,
        prefix=prefix,
        population_year=files.BUNDLED_POPULATION_YEAR,
    )
    counts = result.counts()
    counts["seconds"] = round(time.perf_counter() - started, 3)
    return counts
