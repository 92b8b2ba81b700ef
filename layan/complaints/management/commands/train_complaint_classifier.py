"""Train the routing classifier on the starter corpus (and verified cases with --with-cases), save it, and
with --evaluate report the cross-validated accuracy (stratified, and grouped by story: the honest figure)."""

from __future__ import annotations

import json
import time

from django.core.management.base import BaseCommand

from layan.complaints import classifier


class Command(BaseCommand):
    help = "Train (and optionally evaluate) the complaint category classifier."

    def add_arguments(self, parser):
        parser.add_argument("--evaluate", action="store_true")
        parser.add_argument("--with-cases", action="store_true", help="add verified cases to the corpus")
        parser.add_argument("--no-save", action="store_true")

    def handle(self, *args, **options):
        texts, labels = classifier.training_data(include_cases=options["with_cases"])
        report: dict = {"examples": len(texts), "categories": len(set(labels))}
        if options["evaluate"]:
            rows = classifier.load_corpus()
            corpus_texts = [r["text"] for r in rows]
            corpus_labels = [r["category"] for r in rows]
            report["cv_accuracy_stratified_5fold"] = round(
                classifier.cross_validated_accuracy(corpus_texts, corpus_labels), 4
            )
            report["cv_accuracy_grouped_by_story_5fold"] = round(
                classifier.cross_validated_accuracy(corpus_texts, corpus_labels, [r["group"] for r in rows]),
                4,
            )
        started = time.perf_counter()
        model = classifier.ComplaintClassifier().fit(texts, labels)
        report["train_seconds"] = round(time.perf_counter() - started, 2)
        started = time.perf_counter()
        for text in texts[:300]:
            model.predict_one(text)
        report["ms_per_prediction"] = round((time.perf_counter() - started) / min(len(texts), 300) * 1000, 2)
        if not options["no_save"]:
            report["saved_to"] = str(classifier.save(model))
            classifier.reset_cache()
        self.stdout.write(json.dumps(report, ensure_ascii=False))
