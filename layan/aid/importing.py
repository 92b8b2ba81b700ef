"""Reading and validating resident lists (DTKS extracts, village lists): columns, then each row.

Nothing here writes; ``services.resident_import_run`` takes the validated rows and writes them in bulk.
A row is rejected with every reason at once, so an operator can correct it in one pass; reasons and warnings
are stored messages (``core.stored_text``), shown in the reader's language.
"""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from layan.aid.models import VULNERABILITY_FLAGS, Relation
from layan.aid.names import normalise_name
from layan.core.identifiers import nik_mismatches, normalize_digits, parse_nik, validate_kk
from layan.core.stored_text import from_error, message
from layan.regions.models import Region

REQUIRED_COLUMNS = [
    "id_sumber",
    "nik",
    "no_kk",
    "nama",
    "jenis_kelamin",
    "tempat_lahir",
    "tanggal_lahir",
    "alamat",
    "rt",
    "rw",
    "kode_desa",
    "pekerjaan",
    "telepon",
]
FLAG_COLUMNS = [column for _field, column, _label in VULNERABILITY_FLAGS]
OPTIONAL_COLUMNS = ["hubungan_keluarga", *FLAG_COLUMNS]
ALL_COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
# The columns the rejected-rows download adds around the data: ignored on import, so an operator can correct
# the download and import it again as it is.
REPORT_COLUMNS = ["baris", "alasan"]

_TRUE = {"1", "y", "ya", "true", "x", "v", "benar"}
_FALSE = {"", "0", "t", "n", "tidak", "no", "false", "-"}
_RELATIONS = {
    "kepala keluarga": Relation.KEPALA,
    "kepala": Relation.KEPALA,
    "kk": Relation.KEPALA,
    "suami": Relation.SUAMI,
    "istri": Relation.ISTRI,
    "isteri": Relation.ISTRI,
    "anak": Relation.ANAK,
    "menantu": Relation.MENANTU,
    "cucu": Relation.CUCU,
    "orang tua": Relation.ORANG_TUA,
    "orangtua": Relation.ORANG_TUA,
    "mertua": Relation.MERTUA,
    "famili lain": Relation.FAMILI,
    "famili": Relation.FAMILI,
    "lainnya": Relation.LAINNYA,
    "lain-lain": Relation.LAINNYA,
}
_SEX = {"l": "L", "lk": "L", "laki-laki": "L", "laki laki": "L", "p": "P", "pr": "P", "perempuan": "P"}
_PHONE_RE = re.compile(r"^\+?\d{8,15}$")
_DIGITS_RE = re.compile(r"^\d{1,3}$")
_DESA_DIGITS_RE = re.compile(r"^(\d{2})(\d{2})(\d{2})(\d{4})$")


def check_columns(headers: list[str]) -> None:
    """Exactly the issue's columns: a missing or unknown column is named, so the file can be fixed."""
    missing = [c for c in REQUIRED_COLUMNS if c not in headers]
    unknown = [h for h in headers if h and h not in ALL_COLUMNS and h not in REPORT_COLUMNS]
    duplicated = sorted({h for h in headers if h and headers.count(h) > 1})
    problems = []
    if missing:
        problems.append(_("Kolom wajib tidak ada: %(cols)s.") % {"cols": ", ".join(missing)})
    if unknown:
        problems.append(_("Kolom tidak dikenal: %(cols)s.") % {"cols": ", ".join(unknown)})
    if duplicated:
        problems.append(_("Kolom muncul lebih dari sekali: %(cols)s.") % {"cols": ", ".join(duplicated)})
    if problems:
        problems.append(_("Kolom yang diterima: %(cols)s.") % {"cols": ", ".join(ALL_COLUMNS)})
        raise ValidationError(" ".join(problems), code="columns")


@dataclass
class RegionCodes:
    """Known kecamatan (for NIK/KK) and desa codes, loaded once per import instead of once per row; and,
    for that one import, what was already decided about a value that repeats from row to row (a family's
    KK, a desa code: the same answer, translated once, instead of the same checks again)."""

    kecamatan: set[str]
    desa: set[str]
    kecamatan_digits: set[str] = field(default_factory=set)  # "720105": how a NIK or KK begins
    kk_reasons: dict[str, list[dict]] = field(default_factory=dict)
    desa_checked: dict[object, tuple[str, list[dict]]] = field(default_factory=dict)

    @classmethod
    def load(cls) -> RegionCodes:
        kecamatan, desa = set(), set()
        for code, level in Region.objects.filter(level__in=(3, 4)).values_list("code", "level").iterator():
            (kecamatan if level == 3 else desa).add(code)
        return cls(kecamatan=kecamatan, desa=desa)

    def __post_init__(self):
        self.kecamatan_digits = {code.replace(".", "") for code in self.kecamatan}


@dataclass(slots=True)
class ValidRow:
    number: int
    source_id: str
    nik: str
    kk: str
    name: str
    name_key: str
    sex: str
    birth_place: str
    birth_date: date
    address: str
    rt: str
    rw: str
    desa: str
    occupation: str
    phone: str
    relation: str
    flags: dict[str, bool]
    warnings: list[dict] = field(default_factory=list)  # stored messages (core.stored_text)
    # Keyed hashes of the NIK and KK, filled in once by the writer.
    nik_hash: str = ""
    kk_hash: str = ""
    _row_hash: str = ""

    @property
    def row_hash(self) -> str:
        if not self._row_hash:
            self._row_hash = self._compute_row_hash()
        return self._row_hash

    def _compute_row_hash(self) -> str:
        flags = self.flags
        parts = [
            self.nik,
            self.kk,
            self.name_key,
            self.sex,
            self.birth_place.lower(),
            self.birth_date.isoformat(),
            self.address.lower(),
            self.rt,
            self.rw,
            self.desa,
            self.occupation.lower(),
            self.phone,
            self.relation,
            *[
                "1" if flags[f] else "0"
                for f in (_FLAG_ORDER if len(flags) == _FLAG_COUNT else sorted(flags))
            ],
        ]
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()

    def same_person_as(self, *, name_key: str, birth_date: date) -> bool:
        """Same NIK and these details agree: the same person, not a conflict."""
        return self.name_key == name_key and self.birth_date == birth_date


_FLAG_ORDER = sorted(model_field for model_field, _column, _label in VULNERABILITY_FLAGS)
_FLAG_COUNT = len(_FLAG_ORDER)

# (label, column, limit): the label's wording, stored with the reason when a row breaks the limit.
_LENGTH_LIMITS = (
    (N_("Alamat"), "alamat", 255),
    (N_("Tempat lahir"), "tempat_lahir", 100),
    (N_("Pekerjaan"), "pekerjaan", 100),
)
_PHONE_STRIP_RE = re.compile(r"[\s\-()]")

_ISO_RE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DMY_RE = re.compile(r"^(\d{1,2})([-/])(\d{1,2})\2(\d{4})$")


@functools.lru_cache(maxsize=1 << 16)  # birth dates repeat: a kabupaten has a few tens of thousands
def parse_date(value: str) -> date | None:
    """YYYY-MM-DD, DD-MM-YYYY or DD/MM/YYYY (regular expressions: strptime was a third of row checking)."""
    match = _ISO_RE.match(value)
    if match:
        year, month, day = (int(g) for g in match.groups())
    else:
        match = _DMY_RE.match(value)
        if not match:
            return None
        day, month, year = int(match.group(1)), int(match.group(3)), int(match.group(4))
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _desa_code(value: str) -> str:
    value = value.strip()
    match = _DESA_DIGITS_RE.match(value)
    return ".".join(match.groups()) if match else value


def _check_desa(
    text: str, regions: RegionCodes, allowed_prefixes: list[str] | None
) -> tuple[str, list[dict]]:
    """A desa cell: (the desa code, the reasons it cannot be used)."""
    desa = _desa_code(text)
    if not desa:
        return desa, [message(N_("Kode desa kosong."))]
    if desa not in regions.desa:
        return desa, [message(N_("Kode desa %(code)s tidak dikenal."), code=desa)]
    if allowed_prefixes is not None and not any(
        desa == p or desa.startswith(p + ".") for p in allowed_prefixes
    ):
        return desa, [message(N_("Desa %(code)s di luar wilayah kerja Anda."), code=desa)]
    return desa, []


def _check_kk(kk: str, regions: RegionCodes) -> list[dict]:
    """A KK number's structure and region (rejected when wrong: a family cannot be built on it)."""
    if not _is_16_digits(kk):
        return [message(N_("Nomor KK harus 16 angka."))]
    try:
        validate_kk(kk, region_exists=regions.kecamatan.__contains__)
    except ValidationError as exc:
        return from_error(exc)
    return []


def row_cells(headers: list[str], cells: list[str]) -> dict[str, str]:
    """One row as {column: text}, with every known column present (empty when the file lacks it)."""
    raw = dict.fromkeys(ALL_COLUMNS, "")
    raw.update(zip(headers, cells, strict=False))
    for ignored in ("", *REPORT_COLUMNS):  # unnamed columns carry nothing; report columns are not data
        raw.pop(ignored, None)
    return raw


def _digits(value: str) -> str:
    return value if value.isdigit() else normalize_digits(value)


# Names repeat (given names, family names): normalised once per distinct spelling.
_name_key = functools.lru_cache(maxsize=1 << 17)(normalise_name)


def _nik_birth_digits(birth_date: date, sex: str) -> str:
    """Digits 7–12 of the NIK of a person born on ``birth_date``: DDMMYY, a woman's day + 40."""
    day = birth_date.day + 40 if sex == "P" else birth_date.day
    return f"{day:02d}{birth_date.month:02d}{birth_date.year % 100:02d}"


def _is_16_digits(value: str) -> bool:
    """Exactly 16 ASCII digits: the structure of a NIK and a KK (``str.isdigit`` and ``\\d`` also accept
    other scripts' digits, which no registry issues)."""
    return len(value) == 16 and value.isascii() and value.isdigit()


def validate_row(
    number: int,
    raw: dict[str, str],
    *,
    regions: RegionCodes,
    today: date,
    allowed_prefixes: list[str] | None,
    complete: bool = False,
) -> tuple[ValidRow | None, list[dict]]:
    """A valid row (with flags for the record's NIK disagreements), or the reasons it is rejected.
    ``complete``: ``raw`` comes from ``row_cells`` (every column present, cells stripped by
    layan.core.uploads), so a bound dict method reads each cell instead of a lambda (300,000 rows)."""
    reasons: list[dict] = []
    warnings: list[dict] = []
    get = raw.__getitem__ if complete else (lambda key: (raw.get(key) or "").strip())

    source_id = get("id_sumber")
    if not source_id:
        reasons.append(message(N_("id_sumber kosong.")))
    elif len(source_id) > 100:
        reasons.append(message(N_("id_sumber lebih dari 100 karakter.")))

    name = " ".join(get("nama").split())
    name_key = _name_key(name)
    if not name_key:
        reasons.append(message(N_("Nama kosong.")))
    elif len(name) > 150:
        reasons.append(message(N_("Nama lebih dari 150 karakter.")))

    sex = _SEX.get(get("jenis_kelamin").lower())
    if sex is None:
        reasons.append(message(N_("Jenis kelamin harus L atau P.")))

    birth_date = None
    birth_text = get("tanggal_lahir")
    if not birth_text:
        reasons.append(message(N_("Tanggal lahir kosong.")))
    else:
        birth_date = parse_date(birth_text)
        if birth_date is None:
            reasons.append(
                message(
                    N_("Tanggal lahir %(value)s tidak sah (gunakan YYYY-MM-DD, DD-MM-YYYY atau DD/MM/YYYY)."),
                    value=birth_text,
                )
            )
        elif birth_date > today:
            reasons.append(message(N_("Tanggal lahir %(value)s ada di masa depan."), value=birth_text))
            birth_date = None
        elif birth_date.year < 1900:
            reasons.append(message(N_("Tanggal lahir %(value)s sebelum tahun 1900."), value=birth_text))
            birth_date = None

    desa_text = get("kode_desa")
    memo_key = desa_text if allowed_prefixes is None else (desa_text, *allowed_prefixes)
    checked = regions.desa_checked.get(memo_key)
    if checked is None:
        checked = regions.desa_checked[memo_key] = _check_desa(desa_text, regions, allowed_prefixes)
    desa, desa_reasons = checked
    if desa_reasons:
        reasons.extend(desa_reasons)

    nik = _digits(get("nik"))
    if not nik:
        warnings.append(message(N_("NIK kosong.")))
    elif not _is_16_digits(nik):
        # Bad structure (too short or long, letters, another script's digits): not a NIK at all, rejected.
        reasons.append(message(N_("NIK harus 16 angka.")))
    elif (
        birth_date is not None
        and sex is not None
        and nik[6:12] == _nik_birth_digits(birth_date, sex)
        and nik[12:] != "0000"
        and nik[:6] in regions.kecamatan_digits
    ):
        pass  # the usual case: the NIK says what the record says, so it is a real date and all agrees
    else:
        try:
            info = parse_nik(nik, today=today, region_exists=regions.kecamatan.__contains__)
        except ValidationError as exc:
            if exc.code == "nik_length":
                reasons.extend(from_error(exc))
            else:
                # 16 digits with an impossible date, serial 0000 or an unknown region: a mistyped NIK of a
                # real person (DOMAIN.md: millions of such NIKs in national aid data). Rejecting the row
                # would drop the person from the registry and hide the duplicate it often is; keep it,
                # flagged, so it shows as an "invalid NIK" conflict and duplicate finding can link it.
                warnings.extend(message(N_("NIK tidak sah: %(reason)s"), reason=m) for m in from_error(exc))
        else:
            warnings.extend(nik_mismatches(info, sex=sex, birth_date=birth_date))

    kk = _digits(get("no_kk"))
    if not kk:
        warnings.append(message(N_("Nomor KK kosong.")))
    else:
        kk_reasons = regions.kk_reasons.get(kk)
        if kk_reasons is None:
            kk_reasons = regions.kk_reasons[kk] = _check_kk(kk, regions)
        if kk_reasons:
            reasons.extend(kk_reasons)

    rt, rw = get("rt"), get("rw")
    for label, value in (("RT", rt), ("RW", rw)):
        if value and not _DIGITS_RE.match(value):
            reasons.append(message(N_("%(label)s harus angka (paling banyak 3 digit)."), label=label))
    phone = _PHONE_STRIP_RE.sub("", get("telepon"))
    if phone and not _PHONE_RE.match(phone):
        reasons.append(message(N_("Nomor telepon %(value)s tidak sah."), value=get("telepon")))

    relation = ""
    relation_text = " ".join(get("hubungan_keluarga").lower().split())
    if relation_text:
        relation = _RELATIONS.get(relation_text, "")
        if not relation:
            reasons.append(
                message(
                    N_("Hubungan keluarga %(value)s tidak dikenal (mis. kepala keluarga, istri, anak)."),
                    value=get("hubungan_keluarga"),
                )
            )

    flags = {}
    for model_field, column, _label in VULNERABILITY_FLAGS:
        text = get(column).lower()
        if text in _TRUE:
            flags[model_field] = True
        elif text in _FALSE:
            flags[model_field] = False
        else:
            flags[model_field] = False
            reasons.append(message(N_("Kolom %(col)s harus 1/ya atau 0/tidak."), col=column))

    for label, column, limit in _LENGTH_LIMITS:
        if len(get(column)) > limit:
            reasons.append(message(N_("%(label)s lebih dari %(n)s karakter."), label=message(label), n=limit))

    if reasons:
        return None, reasons
    return ValidRow(
        number=number,
        source_id=source_id,
        nik=nik,
        kk=kk,
        name=name,
        name_key=name_key,
        sex=sex,
        birth_place=get("tempat_lahir"),
        birth_date=birth_date,
        address=" ".join(get("alamat").split()),
        rt=rt.zfill(3) if rt else "",
        rw=rw.zfill(3) if rw else "",
        desa=desa,
        occupation=get("pekerjaan"),
        phone=phone,
        relation=relation,
        flags=flags,
        warnings=warnings,
    ), []
