"""Indonesian identifiers (DOMAIN.md "Identifiers"): NIK, KK, NIP, NI PPPK and region codes.

Structure and dates are validated strictly; a NIK whose embedded sex or birth date disagrees with the
person's record is *flagged*, not rejected (the national registry holds such errors).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext_noop as N_

from layan.core.stored_text import error, message

REGION_CODE_RE = re.compile(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$")
_DIGITS16 = re.compile(r"^\d{16}$")
_DIGITS18 = re.compile(r"^\d{18}$")


def normalize_digits(value: str | None) -> str:
    """Digits only: people paste NIKs with spaces, dots or dashes."""
    return re.sub(r"[\s.\-]", "", value or "")


def region_level(code: str) -> int:
    """1 provinsi, 2 kabupaten/kota, 3 kecamatan, 4 desa/kelurahan."""
    return code.count(".") + 1


def validate_region_code(code: str) -> str:
    # fullmatch: "$" alone would accept a code followed by a newline ("72.01\n").
    if not REGION_CODE_RE.fullmatch(code or ""):
        raise error(
            N_("Kode wilayah %(code)s tidak sah (bentuk: 72, 72.01, 72.01.05 atau 72.01.05.2001)."),
            "region_code",
            code=code,
        )
    return code


def _two_digit_year(yy: int, *, not_after: date) -> int:
    year = 2000 + yy
    return year if year <= not_after.year else 1900 + yy


def _real_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


@dataclass(frozen=True)
class NikInfo:
    kecamatan_code: str  # "72.01.05"
    birth_date: date
    sex: str  # "L" or "P"
    serial: str


def nik_digits(value: str) -> str:
    """``value`` as the 16 ASCII digits of a NIK, or a ValidationError. Structure only: a NIK with an
    impossible date or unknown region is still the NIK a registry holds for a real person (flagged), so a
    lookup by NIK accepts it; ``parse_nik`` checks the rest."""
    nik = normalize_digits(value)
    if not (len(nik) == 16 and nik.isascii() and nik.isdigit()):
        raise error(N_("NIK harus 16 angka."), "nik_length")
    return nik


def parse_nik(
    value: str, *, today: date | None = None, region_exists: Callable[[str], bool] | None = None
) -> NikInfo:
    """Validate a NIK and return what it embeds. Raises ValidationError (``stored_text.error``)."""
    nik = normalize_digits(value)
    if not _DIGITS16.match(nik):
        raise error(N_("NIK harus 16 angka."), "nik_length")
    today = today or date.today()
    day, month, yy = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    sex = "P" if day > 40 else "L"
    if day > 40:
        day -= 40
    birth = _real_date(_two_digit_year(yy, not_after=today), month, day)
    if birth is None:
        raise error(N_("Tanggal lahir dalam NIK (digit 7–12) bukan tanggal yang ada."), "nik_date")
    if nik[12:] == "0000":
        raise error(N_("Nomor urut NIK (4 digit terakhir) tidak boleh 0000."), "nik_serial")
    kecamatan = f"{nik[0:2]}.{nik[2:4]}.{nik[4:6]}"
    if region_exists is not None and not region_exists(kecamatan):
        raise error(N_("Kode wilayah %(code)s dalam NIK tidak dikenal."), "nik_region", code=kecamatan)
    return NikInfo(kecamatan_code=kecamatan, birth_date=birth, sex=sex, serial=nik[12:])


# The sexes as words for stored messages: "Perempuan" / "Female" reads better than a bare "P".
SEX_WORDING = {"L": N_("Laki-laki"), "P": N_("Perempuan")}


def sex_message(code: str) -> dict | str:
    """``L``/``P`` as a stored message of its word (any other value as it is)."""
    return message(SEX_WORDING[code]) if code in SEX_WORDING else code


def nik_mismatches(info: NikInfo, *, sex: str | None, birth_date: date | None) -> list[dict]:
    """Disagreements between a NIK and the person's record, as stored messages (flag them; do not
    reject)."""
    problems = []
    if sex and sex != info.sex:
        problems.append(
            message(
                N_("Jenis kelamin di data (%(record)s) tidak sesuai NIK (%(nik)s)."),
                record=sex_message(sex),
                nik=sex_message(info.sex),
            )
        )
    if birth_date and (birth_date.day, birth_date.month, birth_date.year % 100) != (
        info.birth_date.day,
        info.birth_date.month,
        info.birth_date.year % 100,
    ):
        problems.append(
            message(
                N_("Tanggal lahir di data (%(record)s) tidak sesuai NIK (%(nik)s)."),
                record=birth_date.strftime("%d-%m-%Y"),
                nik=info.birth_date.strftime("%d-%m-%Y"),
            )
        )
    return problems


def validate_nik(value: str) -> None:
    parse_nik(value)


def validate_kk(value: str, *, region_exists: Callable[[str], bool] | None = None) -> None:
    kk = normalize_digits(value)
    if not _DIGITS16.match(kk):
        raise error(N_("Nomor KK harus 16 angka."), "kk_length")
    kecamatan = f"{kk[0:2]}.{kk[2:4]}.{kk[4:6]}"
    if region_exists is not None and not region_exists(kecamatan):
        raise error(N_("Kode wilayah %(code)s dalam nomor KK tidak dikenal."), "kk_region", code=kecamatan)


@dataclass(frozen=True)
class NipInfo:
    birth_date: date
    appointment: date | None  # TMT CPNS (first of month); None for NI PPPK
    sex: str


def parse_nip(value: str, *, today: date | None = None) -> NipInfo:
    """PNS NIP: YYYYMMDD birth + YYYYMM first appointment + G (1 male, 2 female) + NNN serial."""
    nip = normalize_digits(value)
    today = today or date.today()
    if not _DIGITS18.match(nip):
        raise error(N_("NIP harus 18 angka."), "nip_length")
    birth = _real_date(int(nip[0:4]), int(nip[4:6]), int(nip[6:8]))
    if birth is None or birth.year < 1940 or birth > today:
        raise error(N_("Tanggal lahir dalam NIP (digit 1–8) tidak sah."), "nip_birth")
    appointment = _real_date(int(nip[8:12]), int(nip[12:14]), 1)
    if appointment is None or appointment > today:
        raise error(N_("TMT CPNS dalam NIP (digit 9–14) tidak sah."), "nip_appointment")
    if _real_date(birth.year + 18, birth.month, min(birth.day, 28)) > appointment.replace(day=28):
        raise error(N_("TMT CPNS dalam NIP kurang dari 18 tahun setelah tanggal lahir."), "nip_age")
    if nip[14] not in "12":
        raise error(N_("Digit ke-15 NIP (jenis kelamin) harus 1 atau 2."), "nip_sex")
    if nip[15:] == "000":
        raise error(N_("Nomor urut NIP (3 digit terakhir) tidak boleh 000."), "nip_serial")
    return NipInfo(birth_date=birth, appointment=appointment, sex="L" if nip[14] == "1" else "P")


def parse_ni_pppk(value: str, *, today: date | None = None) -> NipInfo:
    """NI PPPK: 18 digits, birth date first, gender at position 15; digits 9–14 are not over-checked."""
    number = normalize_digits(value)
    today = today or date.today()
    if not _DIGITS18.match(number):
        raise error(N_("NI PPPK harus 18 angka."), "pppk_length")
    birth = _real_date(int(number[0:4]), int(number[4:6]), int(number[6:8]))
    if birth is None or birth.year < 1940 or birth > today:
        raise error(N_("Tanggal lahir dalam NI PPPK (digit 1–8) tidak sah."), "pppk_birth")
    if number[14] not in "12":
        raise error(N_("Digit ke-15 NI PPPK (jenis kelamin) harus 1 atau 2."), "pppk_sex")
    return NipInfo(birth_date=birth, appointment=None, sex="L" if number[14] == "1" else "P")


def mask_identifier(value: str | None) -> str:
    """``7201********0003``: enough to recognise, not enough to misuse."""
    if not value:
        return ""
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]
