"""Texts the aid module keeps in the database — rejected-row reasons of an import, the conflicts recorded
on a round's list, residents' data warnings — were written in the language active when they were made
(Indonesian in the background worker). They are shown in the reader's language by recognising the message
they came from (in Indonesian or English) and translating it again with its values; a text that matches no
known message is shown as stored, so nothing is ever lost or garbled."""

from __future__ import annotations

import functools
import re

from django.utils import translation
from django.utils.translation import gettext

# The messages (msgids) that end up stored. A message changed at its source without being changed here is
# simply shown as stored (in the language it was written in).
STORED_MESSAGES = (
    # importing.validate_row and its checks
    "id_sumber kosong.",
    "id_sumber lebih dari 100 karakter.",
    "Nama kosong.",
    "Nama lebih dari 150 karakter.",
    "Jenis kelamin harus L atau P.",
    "Tanggal lahir kosong.",
    "Tanggal lahir %(value)s tidak sah (gunakan YYYY-MM-DD, DD-MM-YYYY atau DD/MM/YYYY).",
    "Tanggal lahir %(value)s ada di masa depan.",
    "Tanggal lahir %(value)s sebelum tahun 1900.",
    "Kode desa kosong.",
    "Kode desa %(code)s tidak dikenal.",
    "Desa %(code)s di luar wilayah kerja Anda.",
    "NIK harus 16 angka.",
    "NIK tidak sah: %(reason)s",
    "NIK kosong.",
    "Nomor KK harus 16 angka.",
    "Nomor KK kosong.",
    "%(label)s harus angka (paling banyak 3 digit).",
    "Nomor telepon %(value)s tidak sah.",
    "Hubungan keluarga %(value)s tidak dikenal (mis. kepala keluarga, istri, anak).",
    "Kolom %(col)s harus 1/ya atau 0/tidak.",
    "%(label)s lebih dari %(n)s karakter.",
    "Alamat",
    "Tempat lahir",
    "Pekerjaan",
    # layan.core.identifiers (NIK and KK checks)
    "Tanggal lahir dalam NIK (digit 7–12) bukan tanggal yang ada.",
    "Nomor urut NIK (4 digit terakhir) tidak boleh 0000.",
    "Kode wilayah %(code)s dalam NIK tidak dikenal.",
    "Jenis kelamin di data (%(record)s) tidak sesuai NIK (%(nik)s).",
    "Tanggal lahir di data (%(record)s) tidak sesuai NIK (%(nik)s).",
    "Kode wilayah %(code)s dalam nomor KK tidak dikenal.",
    # selectors.enrolment_conflicts and the exclusivity rules (rules.RuleBook)
    "Sudah menerima %(program)s (%(round)s): %(status)s — %(reason)s.",
    "tahap %(n)s, %(year)s",
    "boleh",
    "TIDAK boleh",
    "%(a)s tidak boleh bersamaan dengan %(b)s",
    "Penerima %(a)s hanya boleh menerima satu jenis bantuan",
    "%(name)s: NIK kosong.",
    "%(name)s: %(w)s",
    "Kemungkinan orang yang sama dengan %(name)s (%(desa)s), skor %(score).2f — %(status)s.",
    "Keduanya ada di daftar ini.",
    "Nomor KK kosong.",
    "Ditandai duplikat",
    "Menunggu pemeriksaan",
    "Orang yang sama",
    "Orang berbeda",
)

_PLACEHOLDER = re.compile(r"%\((\w+)\)(s|\.\d+f|d)")
_SENTENCE_END = re.compile(r"(?<=\.) (?=\S)")
_MAX_DEPTH = 3


def _pattern(text: str) -> re.Pattern:
    parts, last = [], 0
    for match in _PLACEHOLDER.finditer(text):
        parts.append(re.escape(text[last : match.start()]))
        # A text value keeps its brackets balanced ("Program Keluarga Harapan (PKH)"), so the brackets of
        # the message itself ("%(program)s (%(round)s)") are not taken for part of a value.
        value = r"-?\d+(?:\.\d+)?" if match.group(2) != "s" else r"(?:[^()]|\([^()]*\))+?"
        parts.append(f"(?P<{match.group(1)}>{value})")
        last = match.end()
    parts.append(re.escape(text[last:]))
    return re.compile("".join(parts), re.DOTALL)


@functools.cache
def _patterns() -> list[tuple[re.Pattern, str]]:
    """Each message as written in Indonesian and in English, with the msgid it stands for."""
    found = []
    for msgid in STORED_MESSAGES:
        found.append((_pattern(msgid), msgid))
        with translation.override("en"):
            english = gettext(msgid)
        if english != msgid:
            found.append((_pattern(english), msgid))
    return found


def _translate(text: str, depth: int) -> str | None:
    for pattern, msgid in _patterns():
        match = pattern.fullmatch(text)
        if match is None:
            continue
        params = {}
        for name, value in match.groupdict().items():
            spec = next(m.group(2) for m in _PLACEHOLDER.finditer(msgid) if m.group(1) == name)
            if spec == "s":
                params[name] = shown(value, depth=depth + 1)
            else:
                params[name] = float(value) if "f" in spec else int(float(value))
        try:
            return gettext(msgid) % params if params else gettext(msgid)
        except (KeyError, TypeError, ValueError):
            return None
    return None


def shown(text: str, *, depth: int = 0) -> str:
    """``text`` (as stored) in the active language, or unchanged when it is not a known message."""
    if not text or depth > _MAX_DEPTH:
        return text
    whole = _translate(text, depth)
    if whole is not None:
        return whole
    sentences = _SENTENCE_END.split(text)
    if len(sentences) > 1:
        return " ".join(_translate(s, depth) or s for s in sentences)
    return text
