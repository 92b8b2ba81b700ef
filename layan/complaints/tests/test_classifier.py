"""The routing classifier: corpus size, slang normalisation, the fast prediction path, the JSON-lines command,
and suggestions stored on new cases. (Cross-validated accuracy is reported by
``manage.py train_complaint_classifier --evaluate``, not asserted here.)"""

import io
import json
from collections import Counter

import pytest
from django.core.management import call_command

from layan.complaints import classifier
from layan.complaints.models import Category


@pytest.fixture(scope="module")
def model():
    texts, labels = classifier.training_data()
    trained = classifier.ComplaintClassifier().fit(texts, labels)
    classifier._cached["model"] = trained
    yield trained
    classifier.reset_cache()


def test_corpus_has_at_least_60_examples_for_every_default_category(db):
    counts = Counter(row["category"] for row in classifier.load_corpus())
    assert set(counts) == set(Category.objects.values_list("code", flat=True))
    assert min(counts.values()) >= 60


def test_informal_spelling_is_normalised():
    assert classifier.normalize("Jln rusak parahhh, udh 2 mgg gak dibenerin, lampu2 mati") == (
        "jalan rusak parah sudah mgg tidak dibenerin lampu mati"
    )


def test_fast_path_gives_the_pipelines_probabilities(model):
    text = "air pdam ga ngalir udh 3 hari di kelurahan batui"
    fast = model.predict_one(text)
    slow = model.predict_many([text])[0]
    assert fast.category == slow.category and fast.confidence == pytest.approx(slow.confidence, abs=1e-3)


def test_unseen_informal_complaints_are_mostly_routed_right(model):
    samples = {
        "lampu jalan depan rumah sy mati total udh sebulan, gelap bgt": "pju",
        "ktp elektronik blm jadi2 padahal udh rekam dr tahun lalu": "adminduk",
        "tolong pak sampah di pinggir pasar bau bgt ga diangkut2": "sampah",
        "banjir lagi nih rumah kebanjiran sampe pinggang": "bencana",
        "harga minyak goreng mahal bgt di warung, langka pula": "pasar",
        "bantuan blt ga pernah nyampe ke kami, yg dapet malah keluarga kades": "bansos",
        "vaksin booster di puskesmas habis terus, kapan ada lagi": "covid",
        "guru honorer blm digaji berbulan bulan": "pendidikan",
    }
    right = sum(model.predict_one(text).category == expected for text, expected in samples.items())
    assert right >= 6


def test_classify_command_reads_and_writes_json_lines(model, monkeypatch):
    stdin = io.StringIO(
        '{"text": "air pdam mati sudah seminggu"}\n\nbukan json\n{"text": "jalan berlubang"}\n'
    )
    monkeypatch.setattr("sys.stdin", stdin)
    out = io.StringIO()
    call_command("classify_complaints", stdout=out)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert len(lines) == 3
    assert set(lines[0]) == {"category", "confidence", "alternatives"}
    assert lines[0]["category"] == "air" and 0 < lines[0]["confidence"] <= 1
    assert len(lines[0]["alternatives"]) == 2 and len(lines[0]["alternatives"][0]) == 2
    assert "error" in lines[1] and lines[2]["category"] == "jalan"


def test_new_case_gets_a_suggestion(model, regions):
    from layan.complaints.tasks import suggest_category
    from layan.complaints.tests.conftest import submit

    case = submit(
        title="Lampu jalan mati",
        description="Lampu penerangan jalan di depan masjid mati semua, gelap sekali kalau malam hari.",
    )
    assert suggest_category(case.pk) == "pju"
    case.refresh_from_db()
    assert case.suggested_category.code == "pju" and case.suggested_confidence > 0
