"""Personal-data fields (UU 27/2022): values stored encrypted (Fernet, keys from settings, rotatable)
and, for identifiers, a keyed hash beside them for exact lookup without decrypting.

    class Resident(models.Model):
        nik = NikField()          # adds the indexed column ``nik_hash``
    Resident.objects.filter(nik_hash=keyed_hash(nik))   # or: lookup_by_identifier(Resident, "nik", nik)
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import time
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings
from django.core import checks
from django.db import models

from layan.core.identifiers import mask_identifier, normalize_digits, validate_kk, validate_nik


@cache
def _fernet() -> MultiFernet:
    return MultiFernet(
        [Fernet(key.encode() if isinstance(key, str) else key) for key in settings.LAYAN_FIELD_KEYS]
    )


def encrypt_text(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode()


def decrypt_text(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:  # a key was removed before rotation finished
        raise ValueError(
            "Personal-data value cannot be decrypted with the configured LAYAN_FIELD_KEYS"
        ) from exc


def rotate_token(token: str) -> str:
    """Re-encrypt with the newest key (used by ``manage.py rotate_field_keys``)."""
    return _fernet().rotate(token.encode()).decode()


def keyed_hash(value: str) -> str:
    mac = _hash_base().copy()
    mac.update(normalize_digits(value).encode())
    return mac.hexdigest()


def keyed_hashes(values: list[str]) -> list[str]:
    """``keyed_hash`` of each value (an import hashes hundreds of thousands of NIKs and KKs)."""
    copy = _hash_base().copy
    result = []
    for value in values:
        mac = copy()
        mac.update((value if value.isascii() and value.isdigit() else normalize_digits(value)).encode())
        result.append(mac.hexdigest())
    return result


_HASH_BASES: dict[str, hmac.HMAC] = {}


def _hash_base() -> hmac.HMAC:
    """An HMAC already keyed with LAYAN_HASH_KEY, copied per value: keying it (two SHA-256 blocks of
    padded key) cost as much as hashing the value. Looked up by the key, so a changed setting applies."""
    key = settings.LAYAN_HASH_KEY
    base = _HASH_BASES.get(key)
    if base is None:
        base = _HASH_BASES[key] = hmac.new(key.encode(), digestmod=hashlib.sha256)
    return base


# --- many values at once --------------------------------------------------------------------------
#
# Fernet tokens (version 0x80 | timestamp | IV | AES-128-CBC(PKCS7(value)) | HMAC-SHA256), built and read
# for a whole batch: one AES context per batch instead of a Cipher, a padder and an HMAC object per value
# (the object setup was two thirds of Fernet's 15 us per value). CBC is computed block by block with the
# AES block function, all values' n-th blocks in one call; each value still gets its own random IV and
# its own HMAC, so the tokens are exactly those ``Fernet.encrypt`` makes (the tests compare them byte for
# byte) and ``decrypt_text``/``MultiFernet`` read them.

_PADDING = [bytes((n,)) * n for n in range(17)]


_URLSAFE_TO_STANDARD = bytes.maketrans(b"-_", b"+/")


class _BatchKey:
    __slots__ = ("inner", "outer", "aes")

    def __init__(self, key: str | bytes):
        Fernet(key)  # the same checks (32 url-safe base64 bytes) and error
        raw = base64.urlsafe_b64decode(key)
        # HMAC-SHA256 (RFC 2104) with both padded-key blocks hashed once: per value, two state copies
        # (the hmac module's copy() costs twice as much in Python object setup).
        signing = raw[:16].ljust(64, b"\0")
        self.inner = hashlib.sha256(bytes(b ^ 0x36 for b in signing))
        self.outer = hashlib.sha256(bytes(b ^ 0x5C for b in signing))
        # The AES block function: CBC is chained by hand below, every value with its own random IV.
        self.aes = Cipher(algorithms.AES(raw[16:]), modes.ECB())  # noqa: S305

    def mac(self, body: bytes) -> bytes:
        inner = self.inner.copy()
        inner.update(body)
        outer = self.outer.copy()
        outer.update(inner.digest())
        return outer.digest()


def _batch_keys() -> list[_BatchKey]:
    """The field keys, newest first, for the batch functions; kept with the cached MultiFernet so that
    ``_fernet.cache_clear()`` (key rotation, tests) renews both."""
    multi = _fernet()
    keys = multi.__dict__.get("_layan_batch_keys")
    if keys is None:
        keys = multi.__dict__["_layan_batch_keys"] = [_BatchKey(k) for k in settings.LAYAN_FIELD_KEYS]
    return keys


def _xor(left: bytes, right: bytes) -> bytes:
    return (int.from_bytes(left, "little") ^ int.from_bytes(right, "little")).to_bytes(len(left), "little")


def encrypt_many(values: list[str], *, _now: int | None = None, _ivs: bytes | None = None) -> list[str]:
    """``encrypt_text`` of each value, with the newest key. (``_now``/``_ivs``: tests only.)"""
    if not values:
        return []
    key = _batch_keys()[0]
    padded = []
    for value in values:
        data = value.encode()
        padded.append(data + _PADDING[16 - len(data) % 16])
    count = len(padded)
    ivs = _ivs if _ivs is not None else os.urandom(16 * count)
    encrypt_blocks = key.aes.encryptor().update
    # CBC: C[k] = AES(P[k] xor C[k-1]), C[-1] = IV; round k does the k-th block of every value still long
    # enough, in one AES call and one XOR over the whole batch.
    ciphertexts = [[] for _ in range(count)]
    previous = [ivs[16 * i : 16 * i + 16] for i in range(count)]
    active = list(range(count))
    offset = 0
    while active:
        blocks = encrypt_blocks(
            _xor(
                b"".join([padded[i][offset : offset + 16] for i in active]),
                b"".join([previous[i] for i in active]),
            )
        )
        still = []
        for position, i in enumerate(active):
            block = blocks[16 * position : 16 * position + 16]
            ciphertexts[i].append(block)
            previous[i] = block
            if len(padded[i]) > offset + 16:
                still.append(i)
        active = still
        offset += 16
    header = b"\x80" + (int(time.time()) if _now is None else _now).to_bytes(8, "big")
    mac = key.mac
    tokens = []
    for i in range(count):
        body = header + ivs[16 * i : 16 * i + 16] + b"".join(ciphertexts[i])
        tokens.append(base64.urlsafe_b64encode(body + mac(body)).decode())
    return tokens


def decrypt_many(tokens: list[str]) -> list[str]:
    """``decrypt_text`` of each token (with whichever configured key signed it)."""
    keys = _batch_keys()
    groups: list[list[int]] = [[] for _ in keys]
    datas: list[bytes] = []
    for index, token in enumerate(tokens):
        try:  # what base64.urlsafe_b64decode does, without its checks of the argument's type
            data = binascii.a2b_base64(token.encode().translate(_URLSAFE_TO_STANDARD))
        except (binascii.Error, ValueError):
            data = b""
        if len(data) < 73 or data[0] != 0x80 or (len(data) - 57) % 16:
            raise _undecryptable()
        body, signature = data[:-32], data[-32:]
        for key, group in zip(keys, groups, strict=True):
            if hmac.compare_digest(key.mac(body), signature):
                group.append(index)
                break
        else:
            raise _undecryptable()
        datas.append(data)
    result: list[str] = [""] * len(tokens)
    for key, group in zip(keys, groups, strict=True):
        if not group:
            continue
        # CBC decryption is parallel: P[k] = AES⁻¹(C[k]) xor C[k-1], every block of every token at once.
        ciphertext = b"".join([datas[i][25:-32] for i in group])
        chained = b"".join([datas[i][9:-48] for i in group])
        plain = _xor(key.aes.decryptor().update(ciphertext), chained)
        offset = 0
        for i in group:
            size = len(datas[i]) - 57
            padded = plain[offset : offset + size]
            offset += size
            pad = padded[-1]
            if not 1 <= pad <= 16 or padded[-pad:] != _PADDING[pad]:
                raise _undecryptable()
            result[i] = padded[:-pad].decode()
    return result


def _undecryptable() -> ValueError:
    return ValueError("Personal-data value cannot be decrypted with the configured LAYAN_FIELD_KEYS")


class EncryptedTextField(models.TextField):
    """Text stored encrypted. Only ``isnull`` lookups make sense on it; look up through a hash field."""

    sensitive = True

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt_text(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt_text(str(value))


class IdentifierField(EncryptedTextField):
    """An encrypted 16-digit identifier with a companion ``<name>_hash`` column for exact lookup."""

    identifier_validator = staticmethod(validate_nik)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)
        self.validators.append(self.identifier_validator)

    def contribute_to_class(self, cls, name, private_only=False):
        super().contribute_to_class(cls, name, private_only)
        # Migration state models (module "__fake__") list the hash column explicitly.
        if cls._meta.abstract or cls.__module__ == "__fake__":
            return
        hash_field = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
        cls.add_to_class(f"{name}_hash", hash_field)

    def pre_save(self, model_instance, add):
        value = normalize_digits(getattr(model_instance, self.attname) or "")
        setattr(model_instance, self.attname, value)
        setattr(model_instance, f"{self.attname}_hash", keyed_hash(value) if value else "")
        return value

    def check(self, **kwargs):
        errors = super().check(**kwargs)
        if self.unique:
            errors.append(
                checks.Error(
                    "Encrypted values differ each time: put unique on the _hash field",
                    obj=self,
                    id="layan.E001",
                )
            )
        return errors


class NikField(IdentifierField):
    identifier_validator = staticmethod(validate_nik)


class KkField(IdentifierField):
    identifier_validator = staticmethod(validate_kk)


def sensitive_field_names(model) -> set[str]:
    return {f.name for f in model._meta.concrete_fields if getattr(f, "sensitive", False)} | {
        f"{f.name}_hash" for f in model._meta.concrete_fields if isinstance(f, IdentifierField)
    }


def identifier_hashes(instance) -> list[str]:
    """The keyed hashes of the NIK/KK a record holds, so audit rows can be found by NIK later."""
    return [
        getattr(instance, f"{f.attname}_hash", "")
        for f in instance._meta.concrete_fields
        if isinstance(f, NikField) and getattr(instance, f"{f.attname}_hash", "")
    ]


def masked(value) -> str:
    return mask_identifier(str(value)) if value else ""
