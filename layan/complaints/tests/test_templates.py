"""Response templates per state: admins edit them; officers are offered the ones of the case's state, with
the case's code, unit and category filled in (a click fills the form; without JavaScript, ?templat=)."""

import re

from layan.complaints.models import ResponseTemplate
from layan.conftest import client_for
from layan.core.models import AuditEvent


def test_admin_adds_a_template_and_it_is_audited(regions, verifier):
    response = client_for(verifier).post(
        "/pengaduan/templat/baru/",
        {
            "name": "Jalan masuk anggaran",
            "state": "diproses",
            "action": "reply",
            "body": "Perbaikan jalan pada laporan {kode} masuk anggaran tahun depan.",
            "is_active": "on",
            "sort_order": 5,
        },
    )
    assert response.status_code == 302
    template = ResponseTemplate.objects.get(name="Jalan masuk anggaran")
    assert AuditEvent.objects.filter(action="complaints.response_template_save", object_id=str(template.pk))
    listing = client_for(verifier).get("/pengaduan/templat/").content.decode()
    assert "Jalan masuk anggaran" in listing


def test_bad_template_is_refused_with_a_message_and_nothing_saved(regions, verifier):
    before = ResponseTemplate.objects.count()
    response = client_for(verifier).post(
        "/pengaduan/templat/baru/",
        {"name": "", "state": "entah", "action": "reply", "body": "", "sort_order": 1},
    )
    assert response.status_code == 400
    assert "bukan salah satu pilihan" in response.content.decode() or "valid" in response.content.decode()
    assert ResponseTemplate.objects.count() == before


def test_templates_pages_are_404_without_the_manage_permission(regions, head, other_officer):
    template = ResponseTemplate.objects.first()
    client = client_for(head)
    assert client.get("/pengaduan/templat/").status_code == 404
    assert client.get(f"/pengaduan/templat/{template.pk}/").status_code == 404
    assert client.post("/pengaduan/templat/baru/", {"name": "x"}).status_code == 404


def test_officer_is_offered_the_templates_of_the_case_state_filled_from_the_case(routed_case, officer):
    page = client_for(officer).get(f"/pengaduan/kasus/{routed_case.code}/").content.decode()
    assert "Diterima unit" in page and "Sudah ditindaklanjuti" in page
    assert f"Laporan {routed_case.code} sudah diterima Dinas PUPR" in page
    assert "Minta lokasi lebih jelas" not in page  # a template of another state
    assert "complaints/templates.js" in page


def test_without_javascript_a_template_link_prefills_its_form(routed_case, officer):
    template = ResponseTemplate.objects.get(state="didisposisikan", action="resolve")
    page = client_for(officer).get(f"/pengaduan/kasus/{routed_case.code}/?templat={template.pk}")
    # The pre-filled text is the content of a textarea (the offer itself only sits in a data attribute).
    filled = re.search(
        r"<textarea[^>]*>\s*Laporan (\S+) sudah ditindaklanjuti oleh Dinas PUPR", page.content.decode()
    )
    assert filled and filled.group(1) == routed_case.code


def test_inactive_templates_are_not_offered(routed_case, officer):
    ResponseTemplate.objects.filter(state="didisposisikan").update(is_active=False)
    page = client_for(officer).get(f"/pengaduan/kasus/{routed_case.code}/").content.decode()
    assert "Diterima unit" not in page
