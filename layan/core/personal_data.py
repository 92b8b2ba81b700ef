"""Personal-data fields (UU 27/2022): values stored encrypted (Fernet, keys from settings, rotatable)
and, for identifiers, a keyed hash beside them for exact lookup without decrypting.

    class Resident(models.Model):
        nik = NikField()          # adds the indexed column ``nik_hash``
    Resident.objects.filter(nik_hash=keyed_hash(nik))   # or: lookup_by_identifier(Resident, "nik", nik)
"""

from __future__ import annotations

import hashlib
import hmac
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
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
    key = settings.LAYAN_HASH_KEY.encode()
    return hmac.new(key, normalize_digits(value).encode(), hashlib.sha256).hexdigest()


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
