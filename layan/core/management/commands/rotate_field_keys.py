"""Re-encrypt every personal-data value with the newest field key.

Rotation, step by step (also in docs/OPERATIONS.md):

1. Generate a key:
   ``python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"``.
2. Put it FIRST in ``LAYAN_FIELD_KEYS`` and keep the old keys after it (``new,old``); restart every app
   server and worker. New writes now use the new key; old values still decrypt with the old one.
3. Run ``manage.py rotate_field_keys``: every EncryptedTextField value of every model is re-encrypted with
   the new key, in batches, each batch in its own transaction. It can be interrupted and run again.
4. When it reports no failures, remove the old key from ``LAYAN_FIELD_KEYS`` and restart again.

``LAYAN_HASH_KEY`` (the keyed hash used to find a NIK) is separate and is not rotated by this command:
changing it means recomputing every ``*_hash`` column.
"""

from __future__ import annotations

from cryptography.fernet import InvalidToken
from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from layan.core.personal_data import EncryptedTextField, rotate_token


def encrypted_fields():
    """(model, field) for every concrete encrypted column of every installed model."""
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        for model_field in model._meta.concrete_fields:
            if isinstance(model_field, EncryptedTextField):
                yield model, model_field


class Command(BaseCommand):
    help = "Re-encrypt every encrypted personal-data field with the newest key of LAYAN_FIELD_KEYS."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args, batch_size: int, **options):
        total = failed = 0
        for model, model_field in encrypted_fields():
            rotated, bad = self._rotate_column(model, model_field, max(batch_size, 1))
            total += rotated
            failed += bad
            self.stdout.write(f"{model._meta.label}.{model_field.name}: {rotated} re-encrypted, {bad} failed")
        self.stdout.write(self.style.SUCCESS(f"Total: {total} values re-encrypted, {failed} failed"))
        if failed:
            self.stderr.write(
                "Some values could not be decrypted with any configured key; keep the old keys."
            )

    def _rotate_column(self, model, model_field, batch_size: int) -> tuple[int, int]:
        # Raw SQL: the ORM would decrypt on read and encrypt the ciphertext again on write.
        quote = connection.ops.quote_name
        table, column, pk = (
            quote(model._meta.db_table),
            quote(model_field.column),
            quote(model._meta.pk.column),
        )
        base = f"SELECT {pk}, {column} FROM {table} WHERE {column} IS NOT NULL AND {column} <> ''"  # noqa: S608
        tail = f" ORDER BY {pk} LIMIT {int(batch_size)}"
        first_batch, next_batch = base + tail, base + f" AND {pk} > %s" + tail
        # Compare-and-swap: a value changed by a user during the rotation is left as they wrote it.
        update = f"UPDATE {table} SET {column} = %s WHERE {pk} = %s AND {column} = %s"  # noqa: S608
        rotated = failed = 0
        last_pk = None
        while True:
            with transaction.atomic(), connection.cursor() as cursor:
                if last_pk is None:
                    cursor.execute(first_batch)
                else:
                    cursor.execute(next_batch, [last_pk])
                rows = cursor.fetchall()
                for row_pk, token in rows:
                    try:
                        new_token = rotate_token(token)
                    except InvalidToken:
                        failed += 1
                        continue
                    cursor.execute(update, [new_token, row_pk, token])
                    rotated += cursor.rowcount
            if len(rows) < batch_size:
                return rotated, failed
            last_pk = rows[-1][0]
