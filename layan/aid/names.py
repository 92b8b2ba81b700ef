"""Indonesian name and address normalisation for search and record linkage.

The same person is written "Muhammad Rizki", "MUHAMAD RIZKY", "Moh. Rizki" or "M. Rizki, S.Pd." in
different lists; comparing raw strings treats them as different people. Normalising first lets exact
matching, blocking and string similarity work on what the name is, not how it was typed.
"""

from __future__ import annotations

import functools
import re
import unicodedata

# Spellings of the same given name, mapped to one form. Muhammad is by far the most varied.
_NAME_VARIANTS = {
    "muhammad": "muhammad",
    "muhamad": "muhammad",
    "mohammad": "muhammad",
    "mohamad": "muhammad",
    "mochammad": "muhammad",
    "mochamad": "muhammad",
    "muchammad": "muhammad",
    "muchamad": "muhammad",
    "mohamed": "muhammad",
    "muhammed": "muhammad",
    "moh": "muhammad",
    "moch": "muhammad",
    "muh": "muhammad",
    "mhd": "muhammad",
    "md": "muhammad",
    "m": "muhammad",
    "abd": "abdul",
    "abdul": "abdul",
    "ahmad": "ahmad",
    "achmad": "ahmad",
    "akhmad": "ahmad",
    "ahmat": "ahmad",
    "nur": "nur",
    "noor": "nur",
    "nurul": "nurul",
    "siti": "siti",
    "sitti": "siti",
    "st": "siti",
    "yusuf": "yusuf",
    "yusup": "yusuf",
    "yosef": "yusuf",
}
# Academic and religious titles and honorifics carry no identity.
_TITLES = {
    "h",
    "hj",
    "haji",
    "hajjah",
    "dr",
    "drs",
    "dra",
    "ir",
    "prof",
    "s",
    "pd",
    "spd",
    "sh",
    "se",
    "st",
    "skm",
    "skom",
    "ssos",
    "sag",
    "sip",
    "ssi",
    "mm",
    "mpd",
    "msi",
    "mh",
    "mt",
    "amd",
    "amk",
    "bsc",
    "ners",
    "ns",
    "kh",
    "ust",
    "ustadz",
    "bapak",
    "bpk",
    "pak",
    "ibu",
    "bu",
    "sdr",
    "sdri",
    "tn",
    "ny",
    "nn",
    "almarhum",
    "alm",
    "almh",
}
# "st" is both Siti (before a name) and S.T. (a title after one): a leading "st" is Siti.
_LEADING_ONLY = {"st"}
_ADDRESS_WORDS = {
    "jalan": "jl",
    "jln": "jl",
    "jl": "jl",
    "lorong": "lr",
    "lrg": "lr",
    "gang": "gg",
    "gg": "gg",
    "dusun": "dsn",
    "dsn": "dsn",
    "desa": "ds",
    "ds": "ds",
    "kelurahan": "kel",
    "kel": "kel",
    "nomor": "no",
    "nmr": "no",
    "no": "no",
    "blok": "blk",
    "blk": "blk",
    "rt": "rt",
    "rw": "rw",
}


def _ascii_lower(value: str) -> str:
    if value.isascii():
        return value.lower()
    value = unicodedata.normalize("NFKD", value or "").encode("ascii", "ignore").decode()
    return value.lower()


_NOT_NAME_RE = re.compile(r"[^a-z\s.'-]")
_SEPARATOR_RE = re.compile(r"[\s.]+")
_RUN_RE = re.compile(r"(.)\1+")


def normalise_name(value: str) -> str:
    """``"Moh. Rizki, S.Pd."`` → ``"muhammad rizki"``: titles dropped, variants unified, spacing fixed."""
    text = _ascii_lower(value)
    # Titles after a comma ("Budi, S.Pd., M.M.") go entirely.
    text = text.split(",")[0]
    text = _NOT_NAME_RE.sub(" ", text)
    text = text.replace("'", "").replace("-", " ")
    tokens = [t for t in _SEPARATOR_RE.split(text) if t]
    words: list[str] = []
    for position, token in enumerate(tokens):
        if token in _LEADING_ONLY and position == 0 and len(tokens) > 1:
            words.append(_NAME_VARIANTS[token])
            continue
        if token in _TITLES:
            continue
        words.append(_NAME_VARIANTS.get(token) or _squeeze(token))
    return " ".join(words)


@functools.lru_cache(maxsize=65536)  # given names repeat: an import of 300,000 rows has a few thousand
def _squeeze(token: str) -> str:
    # Doubled letters are typed either way ("Rizky"/"Rizki", "Ahmad"/"Achmad" are handled above):
    # collapse runs and the common y/i, dj/j, tj/c, oe/u old spellings.
    token = token.replace("dj", "j").replace("tj", "c").replace("oe", "u").replace("ch", "h")
    token = _RUN_RE.sub(r"\1", token)
    if token.endswith("y") and len(token) > 2:
        token = token[:-1] + "i"
    return token


def normalise_address(value: str) -> str:
    """Lower case, abbreviations unified, punctuation and spacing removed from the comparison."""
    text = re.sub(r"[^a-z0-9\s]", " ", _ascii_lower(value))
    return " ".join(_ADDRESS_WORDS.get(t, t) for t in text.split())


def name_initial(normalised: str) -> str:
    """The first letter of the first word that is not Muhammad (so "M. Rizki" and "Rizki" block together)."""
    for word in normalised.split():
        if word != "muhammad":
            return word[0]
    return normalised[:1]
