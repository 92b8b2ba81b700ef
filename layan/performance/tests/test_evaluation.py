"""Evaluations: the predikat matrix through the supervisor's rating, the organisation rating (entered by
BKPSDM), the differences of the unit's predikat distribution, finalising with a reason, and the pages."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from layan.conftest import assign, client_for, make_employee, make_user, verified_client_for
from layan.core.models import AuditEvent
from layan.performance import services_plans as plans
from layan.performance.models import Evaluation, EvaluationFinalisation, Predikat, Rating

B, A, U = Rating.BELOW, Rating.AS_EXPECTED, Rating.ABOVE
MARCH = (date(2023, 3, 1), date(2023, 3, 31))


def rate(actor, employee, result, behaviour, period=MARCH, kind=Evaluation.Kind.MONTHLY, feedback=""):
    return plans.evaluation_record(
        actor=actor,
        employee=employee,
        kind=kind,
        period_start=period[0],
        period_end=period[1],
        result_rating=result,
        behaviour_rating=behaviour,
        feedback=feedback,
    )


@pytest.mark.parametrize(
    ("result", "behaviour", "expected"),
    [
        (U, B, Predikat.KURANG),
        (U, A, Predikat.BAIK),
        (U, U, Predikat.SANGAT_BAIK),
        (A, B, Predikat.KURANG),
        (A, A, Predikat.BAIK),
        (A, U, Predikat.BAIK),
        (B, B, Predikat.SANGAT_KURANG),
        (B, A, Predikat.BUTUH_PERBAIKAN),
        (B, U, Predikat.BUTUH_PERBAIKAN),
    ],
)
def test_the_supervisors_rating_gives_the_matrix_predikat(people, result, behaviour, expected):
    evaluation = rate(people["head"].user, people["staff"], result, behaviour)
    assert evaluation.predikat == expected
    assert AuditEvent.objects.filter(
        action="performance.evaluation_record", object_id=str(evaluation.pk)
    ).exists()


def test_only_the_supervisor_rates_and_never_oneself(people, camat, sibling, outsider):
    for actor in (people["staff"].user, camat, sibling, outsider):
        with pytest.raises(Http404):
            rate(actor, people["staff"], A, A)
    with pytest.raises(Http404):
        rate(people["staff"].user, people["head"], A, A)  # staff do not rate their supervisor


def test_periods_are_checked(people):
    head = people["head"].user
    with pytest.raises(ValidationError, match="tidak sesuai"):
        rate(head, people["staff"], A, A, period=(date(2023, 3, 1), date(2023, 3, 15)))
    with pytest.raises(ValidationError, match="belum dimulai"):
        start = (timezone.localdate().replace(day=1) + timedelta(days=40)).replace(day=1)
        rate(head, people["staff"], A, A, period=plans.evaluation_period("monthly", start.year, start.month))
    assert plans.evaluation_period("quarterly", 2021, 2) == (date(2021, 4, 1), date(2021, 6, 30))
    assert plans.evaluation_period("annual", 2021) == (date(2021, 1, 1), date(2021, 12, 31))
    with pytest.raises(ValidationError):
        plans.evaluation_period("quarterly", 2021, 5)
    updated = rate(head, people["staff"], U, U)
    assert rate(head, people["staff"], B, B).pk == updated.pk  # one evaluation per employee and period


# --- the unit's distribution against the organisation rating -------------------------------------------


@pytest.fixture
def team(people, units, position):
    """The head of Toili supervises five staff (Budi and four more)."""
    extra = [
        make_employee(
            units["kec_toili"],
            f"Staf {n}",
            f"19900101201501100{n}",
            position=position,
            supervisor=people["head"],
            nik=f"72010141019000{n:02d}",
        )
        for n in range(1, 5)
    ]
    return [people["staff"], *extra]


def test_differences_are_listed_against_the_organisation_rating(people, units, team, bkpsdm):
    head, unit = people["head"], units["kec_toili"]
    for employee in team:
        rate(head.user, employee, A, A)  # everyone Baik
    missing = plans.unit_distribution(unit, "monthly", *MARCH)
    assert any("belum diisi BKPSDM" in d for d in missing.differences)
    assert any("1 pegawai belum dinilai: Siti Rahma" in d for d in missing.differences)
    # The kecamatan has no rating of its own: it takes its parent's (the Setda's).
    plans.org_rating_set(actor=bkpsdm, unit=units["setda"], year=2023, rating="baik", basis="LHE SAKIP 2021")
    result = plans.unit_distribution(unit, "monthly", *MARCH)
    assert result.org_rating.unit == units["setda"] and result.counts == {"baik": 5}
    text = " ".join(result.differences)
    assert "Baik: 100.0% (5 dari 5 pegawai); paling banyak 70%" in text
    assert "Butuh Perbaikan / Kurang: 0 pegawai; harus ada paling sedikit 1 pegawai" in text
    rate(head.user, team[0], B, A)  # one Butuh Perbaikan
    rate(head.user, team[1], U, U)  # one Sangat Baik
    fixed = plans.unit_distribution(unit, "monthly", *MARCH)
    assert [d for d in fixed.differences if "70%" in d or "harus ada" in d] == []


def test_finalising_refuses_differences_unless_acknowledged_with_a_reason(people, units, team, bkpsdm):
    head, unit = people["head"], units["kec_toili"]
    plans.org_rating_set(actor=bkpsdm, unit=unit, year=2023, rating="baik")
    for employee in team:
        rate(head.user, employee, A, A)
    with pytest.raises(ValidationError) as refused:
        plans.evaluation_finalise(actor=bkpsdm, unit=unit, kind="monthly", period_start=MARCH[0])
    message = " ".join(refused.value.messages)
    assert "paling banyak 70%" in message and "belum dinilai: Siti Rahma" in message
    with pytest.raises(ValidationError):
        plans.evaluation_finalise(
            actor=bkpsdm, unit=unit, kind="monthly", period_start=MARCH[0], acknowledge=True
        )
    final = plans.evaluation_finalise(
        actor=bkpsdm,
        unit=unit,
        kind="monthly",
        period_start=MARCH[0],
        acknowledge=True,
        reason="Tim kecil; kepala kantor dinilai oleh camat",
    )
    assert final.differences and final.distribution == {"baik": 5}
    event = AuditEvent.objects.get(action="performance.evaluation_finalise")
    assert event.note == "Tim kecil; kepala kantor dinilai oleh camat"
    with pytest.raises(ValidationError, match="sudah ditetapkan"):
        rate(head.user, team[0], B, B)
    with pytest.raises(ValidationError, match="sudah ditetapkan"):
        plans.evaluation_finalise(actor=bkpsdm, unit=unit, kind="monthly", period_start=MARCH[0])


def test_finalising_without_differences_needs_no_reason(people, units, team, bkpsdm):
    head, unit = people["head"], units["kec_toili"]
    plans.org_rating_set(actor=bkpsdm, unit=unit, year=2023, rating="istimewa")
    for employee in [*team, head]:
        actor = head.user if employee != head else bkpsdm  # the head has no supervisor: BKPSDM rates
        rate(actor, employee, A, A)
    final = plans.evaluation_finalise(actor=bkpsdm, unit=unit, kind="monthly", period_start=MARCH[0])
    assert final.differences == [] and final.reason == ""


def test_only_bkpsdm_enters_organisation_ratings_and_only_unit_heads_finalise(people, units, camat, sibling):
    for actor in (camat, sibling, people["head"].user):
        with pytest.raises(Http404):
            plans.org_rating_set(actor=actor, unit=units["kec_toili"], year=2023, rating="baik")
        with pytest.raises(Http404):
            plans.evaluation_finalise(
                actor=actor, unit=units["kec_toili"], kind="monthly", period_start=MARCH[0]
            )


# --- pages ---------------------------------------------------------------------------------------------

QUERY = "?jenis=monthly&tahun=2023&ke=3"


def test_supervisor_rates_on_the_page(people, team):
    head = client_for(people["head"].user)
    listing = head.get(reverse("performance:evaluation_team") + QUERY)
    assert listing.status_code == 200 and "Staf 1" in listing.content.decode()
    url = reverse("performance:evaluation_form", args=[people["staff"].pk]) + QUERY
    page = head.get(url)
    assert page.status_code == 200 and "Matriks predikat" in page.content.decode()
    response = head.post(url, {"result_rating": "above", "behaviour_rating": "above", "feedback": "Teladan"})
    assert response.status_code == 302
    evaluation = Evaluation.objects.get(employee=people["staff"])
    assert evaluation.predikat == Predikat.SANGAT_BAIK and evaluation.period_start == MARCH[0]
    assert (
        "Sangat Baik"
        in client_for(people["staff"].user).get(reverse("performance:my_evaluations")).content.decode()
    )


def test_evaluation_pages_are_404_outside_scope(people, team, camat, sibling, outsider):
    url = reverse("performance:evaluation_form", args=[people["staff"].pk]) + QUERY
    for user in (people["staff"].user, team[1].user or make_user("staf.dua"), camat, sibling, outsider):
        client = client_for(user)
        assert client.get(url).status_code == 404
        assert client.post(url, {"result_rating": "above", "behaviour_rating": "above"}).status_code == 404
    for user in (people["staff"].user, sibling, outsider):
        assert client_for(user).get(reverse("performance:evaluation_unit")).status_code == 404
        assert client_for(user).get(reverse("performance:evaluation_team")).status_code == 404
    assert client_for(camat).get(reverse("performance:org_ratings")).status_code == 404
    assert not Evaluation.objects.exists()


def test_unit_page_shows_differences_and_finalises_with_a_reason(people, units, team, bkpsdm):
    head_of_unit = make_user("kepala.toili")
    assign(head_of_unit, "kepala_unit", unit=units["kec_toili"])
    plans.org_rating_set(actor=bkpsdm, unit=units["kec_toili"], year=2023, rating="baik")
    for employee in team:
        rate(people["head"].user, employee, A, A)
    client = client_for(head_of_unit)
    url = reverse("performance:evaluation_unit") + QUERY + f"&unit={units['kec_toili'].pk}"
    page = client.get(url).content.decode()
    assert "paling banyak 70%" in page and 'id="differences"' in page
    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 400 and "nyatakan bahwa selisih ini diterima" in refused.content.decode()
    assert not EvaluationFinalisation.objects.exists()
    done = client.post(url, {"acknowledge": "on", "reason": "Pegawai baru belum genap sebulan"})
    assert done.status_code == 302
    assert EvaluationFinalisation.objects.get().reason == "Pegawai baru belum genap sebulan"
    assert "Ditetapkan" in client.get(url).content.decode()
    # The pimpinan reads the unit page but cannot finalise.
    pimpinan = make_user("bupati")
    assign(pimpinan, "pimpinan", region="72.01")
    reader = verified_client_for(pimpinan)
    assert reader.get(url).status_code == 200
    assert reader.post(url, {"acknowledge": "on", "reason": "x"}).status_code == 404


def test_bkpsdm_enters_the_organisation_rating_on_the_page(units, bkpsdm):
    client = verified_client_for(bkpsdm)
    page = client.get(reverse("performance:org_ratings") + "?tahun=2023")
    assert page.status_code == 200 and "paling banyak 70%" in page.content.decode()
    response = client.post(
        reverse("performance:org_ratings"),
        {"unit": units["kec_toili"].pk, "year": 2023, "rating": "baik", "basis": "LHE SAKIP"},
    )
    assert response.status_code == 302
    assert plans.org_rating_for(units["kec_toili"], 2023).rating == "baik"


def test_a_period_without_distribution_rules_says_so(people, units, bkpsdm):
    """PermenPAN-RB 6/2022 applies from 2022: an earlier period has no bounds, and that is a difference."""
    plans.org_rating_set(actor=bkpsdm, unit=units["kec_toili"], year=2021, rating="baik")
    rate(people["head"].user, people["staff"], A, A, period=(date(2021, 3, 1), date(2021, 3, 31)))
    result = plans.unit_distribution(units["kec_toili"], "monthly", date(2021, 3, 1), date(2021, 3, 31))
    assert any("Belum ada ketentuan sebaran predikat" in d for d in result.differences)
