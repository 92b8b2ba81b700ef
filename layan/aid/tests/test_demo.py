from layan.aid.demo import load_demo
from layan.aid.models import Enrolment, Resident, ResidentImport, Round


def test_demo_loads_and_a_second_run_changes_nothing(regions, people):
    load_demo()
    counts = (Resident.objects.count(), Round.objects.count(), Enrolment.objects.count())
    assert counts[0] > 50 and counts[1] == 2
    assert ResidentImport.objects.get().rejected == 3
    blt = Round.objects.get(program__code="blt-dd")
    assert blt.status == Round.Status.TO_APPROVE
    assert any(e.conflicts for e in blt.enrolments.all())  # two families already on PKH
    load_demo()
    assert (Resident.objects.count(), Round.objects.count(), Enrolment.objects.count()) == counts
