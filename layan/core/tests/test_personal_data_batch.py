"""Many personal-data values at once (imports, duplicate finding): ``encrypt_many``, ``decrypt_many`` and
``keyed_hashes`` give exactly what the one-value functions give, under key rotation too."""

from __future__ import annotations

import os

import pytest
from cryptography.fernet import Fernet, MultiFernet
from django.test import override_settings

from layan.core.personal_data import (
    _fernet,
    decrypt_many,
    decrypt_text,
    encrypt_many,
    encrypt_text,
    keyed_hash,
    keyed_hashes,
)

OLD_KEY = Fernet.generate_key().decode()
NEW_KEY = Fernet.generate_key().decode()
# Empty, one block, exactly one block (a whole padding block follows), two and three blocks, non-ASCII.
VALUES = ["", "0812345678", "7201010505600001", "72010105056000011", "x" * 40, "Jl. Kakao No. 7 — Toili"]


@pytest.fixture
def keys():
    """Switch LAYAN_FIELD_KEYS; the cached MultiFernet (and the batch keys kept with it) is renewed."""
    overrides = []

    def use(*field_keys):
        override = override_settings(LAYAN_FIELD_KEYS=list(field_keys))
        override.enable()
        overrides.append(override)
        _fernet.cache_clear()

    yield use
    for override in reversed(overrides):
        override.disable()
    _fernet.cache_clear()


def test_batch_tokens_are_the_tokens_fernet_makes_byte_for_byte(keys):
    keys(NEW_KEY)
    ivs = os.urandom(16 * len(VALUES))
    tokens = encrypt_many(VALUES, _now=1_700_000_000, _ivs=ivs)
    reference = Fernet(NEW_KEY)
    expected = [
        reference._encrypt_from_parts(value.encode(), 1_700_000_000, ivs[16 * i : 16 * i + 16]).decode()
        for i, value in enumerate(VALUES)
    ]
    assert tokens == expected


def test_round_trip_through_the_batch_and_the_single_value_functions(keys):
    keys(NEW_KEY)
    values = VALUES * 50  # several AES rounds of different lengths in one batch
    tokens = encrypt_many(values)
    assert decrypt_many(tokens) == values
    assert [decrypt_text(t) for t in tokens] == values
    assert decrypt_many([encrypt_text(v) for v in values]) == values
    assert len(set(tokens)) == len(tokens)  # a fresh IV per value: equal values do not look equal
    assert encrypt_many([]) == [] and decrypt_many([]) == []


def test_after_key_rotation_old_and_new_tokens_still_decrypt_and_new_ones_use_the_new_key(keys):
    keys(OLD_KEY)
    old_tokens = encrypt_many(VALUES)
    keys(NEW_KEY, OLD_KEY)
    new_tokens = encrypt_many(VALUES)
    mixed = [t for pair in zip(old_tokens, new_tokens, strict=True) for t in pair]
    assert decrypt_many(mixed) == [v for v in VALUES for _ in range(2)]
    assert [Fernet(NEW_KEY).decrypt(t.encode()).decode() for t in new_tokens] == VALUES
    assert MultiFernet([Fernet(OLD_KEY)]).decrypt(old_tokens[1].encode()).decode() == VALUES[1]


def test_a_token_of_a_removed_key_or_a_tampered_token_is_refused(keys):
    keys(OLD_KEY)
    token = encrypt_many(["7201010505600001"])[0]
    keys(NEW_KEY)
    with pytest.raises(ValueError, match="cannot be decrypted"):
        decrypt_many([token])
    good = encrypt_many(["7201010505600001"])[0]
    tampered = good[:30] + ("A" if good[30] != "A" else "B") + good[31:]
    for bad in (tampered, "not a token", ""):
        with pytest.raises(ValueError, match="cannot be decrypted"):
            decrypt_many([good, bad])


def test_batch_hashes_equal_the_single_value_hash():
    values = ["7201010505600001", "7201 0105 0560 0001", "7201-0105-0560-0001", "7201010101100001", ""]
    hashes = keyed_hashes(values)
    assert hashes == [keyed_hash(v) for v in values]
    assert hashes[0] == hashes[1] == hashes[2]  # a NIK pasted with spaces or dashes is the same NIK
    with override_settings(LAYAN_HASH_KEY="another-hash-key"):
        assert keyed_hashes(values[:1]) == [keyed_hash(values[0])] != hashes[:1]
