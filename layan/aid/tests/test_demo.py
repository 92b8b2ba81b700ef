import pytest

from layan.aid.demo import DEMO_PACKAGE, load_demo
from layan.aid.models import (
    AsnDonation,
    AsnPackage,
    AsnPledge,
    Enrolment,
    Evidence,
    Resident,
    ResidentImport,
    Round,
)
from layan.aid.selectors import family_aid_received, family_is_vulnerable


def test_demo_loads_and_a_second_run_changes_nothing(regions, people):
    load_demo()
    counts = (Resident.objects.count(), Round.objects.count(), Enrolment.objects.count())
    assert counts[0] > 50 and counts[1] == 2
    assert ResidentImport.objects.get().rejected == 3
    blt = Round.objects.get(program__code="blt-dd")
    assert blt.status == Round.Status.TO_APPROVE
    assert any(e.conflicts for e in blt.enrolments.all())  # two families already on PKH
    asn = (
        AsnPledge.objects.count(),
        AsnDonation.objects.count(),
        AsnPackage.objects.count(),
        Evidence.objects.count(),
    )
    load_demo()
    assert (Resident.objects.count(), Round.objects.count(), Enrolment.objects.count()) == counts
    assert (
        AsnPledge.objects.count(),
        AsnDonation.objects.count(),
        AsnPackage.objects.count(),
        Evidence.objects.count(),
    ) == asn


def test_demo_asn_peduli_donation_reaches_a_family_that_received_nothing(regions, people):
    load_demo()
    assert AsnPledge.objects.count() == 2 and AsnDonation.objects.filter(pledge__isnull=False).count() == 3
    package = AsnPackage.objects.get(contents=DEMO_PACKAGE)
    assert package.status == AsnPackage.Status.HANDED_OVER and package.evidence.get().kind == "photo"
    assert family_is_vulnerable(package.family)
    # The family had nothing else that year: the package is all it receives.
    assert family_aid_received(package.family, year=package.handed_at.year) == ["ASN Peduli"]


@pytest.mark.django_db
def test_the_demo_village_accounts_see_the_rounds_of_their_desa():
    from io import StringIO

    from django.core.management import call_command

    from layan.conftest import verified_client_for
    from layan.core.models import User

    call_command("load_demo", stdout=StringIO())
    for username in ("kades.nonong", "operator.desa"):
        page = verified_client_for(User.objects.get(username=username)).get("/bansos/putaran/")
        assert page.status_code == 200
        assert "BLT" in page.content.decode() and "Belum ada putaran" not in page.content.decode()
    # The kabupaten's aid officer opens the demo import and its rejected rows.
    record = ResidentImport.objects.get()
    page = verified_client_for(User.objects.get(username="petugas.bansos")).get(f"/bansos/impor/{record.pk}/")
    assert page.status_code == 200 and "DESA-9003" in page.content.decode()
