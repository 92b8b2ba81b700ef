"""Reclassify complaints: JSON lines ``{"text": ...}`` on stdin, JSON lines ``{"category": ...,
"confidence": ..., "alternatives": [[category, confidence], ...]}`` on stdout, one per input line, in order.
A line that is not a JSON object with a text gets ``{"error": ...}`` instead, so
the output stays aligned with the input."""

from __future__ import annotations

import json
import sys

from django.core.management.base import BaseCommand

from layan.complaints import classifier

BATCH = 256


class Command(BaseCommand):
    help = 'Suggest a category for each JSON line {"text": ...} read on stdin (JSON lines out).'

    def add_arguments(self, parser):
        parser.add_argument(
            "--alternatives", type=int, default=2, help="how many runner-up categories to list"
        )

    def handle(self, *args, **options):
        model = classifier.get_classifier(train_if_missing=True)
        stdin = sys.stdin
        out = self.stdout
        batch: list[tuple[int, str | None, str | None]] = []

        def flush():
            texts = [text for _, text, error in batch if error is None]
            predictions = (
                iter(model.predict_many(texts, alternatives=options["alternatives"])) if texts else iter(())
            )
            for _, _text, error in batch:
                if error is not None:
                    out.write(json.dumps({"error": error}, ensure_ascii=False))
                    continue
                p = next(predictions)
                out.write(
                    json.dumps(
                        {
                            "category": p.category,
                            "confidence": p.confidence,
                            "alternatives": [[c, v] for c, v in p.alternatives],
                        },
                        ensure_ascii=False,
                    )
                )
            batch.clear()

        for number, line in enumerate(stdin, start=1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
                text = data.get("text") if isinstance(data, dict) else None
                error = None if isinstance(text, str) and text.strip() else 'baris tanpa "text"'
            except json.JSONDecodeError:
                text, error = None, "baris bukan JSON"
            batch.append((number, text, error))
            if len(batch) >= BATCH:
                flush()
        if batch:
            flush()
