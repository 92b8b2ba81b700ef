"""The one PDF mechanism: a template becomes a real PDF with the government's letterhead and sign-off."""

import io

import pytest
from pypdf import PdfReader

from layan.core import pdf


@pytest.fixture
def doc_template(tmp_path, settings):
    (tmp_path / "doc.html").write_text(
        '{% extends "core/pdf/base.html" %}{% block content %}<h1>Rekap {{ month }}</h1>'
        '<img src="http://example.invalid/x.png">{% endblock %}'
    )
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    return "doc.html"


def test_render_pdf_is_a_pdf_with_the_text_and_no_outside_fetch(doc_template):
    data = pdf.render_pdf(doc_template, {"month": "November 2026", "signer_title": "Kepala BKPSDM"})
    assert data.startswith(b"%PDF")
    text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert "Rekap November 2026" in text
    assert "Kepala BKPSDM" in text


def test_pdf_download_names_the_attachment(doc_template):
    response = pdf.pdf_download("Rekap Unit", doc_template, {"month": "Mei"})
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="rekap-unit-')
