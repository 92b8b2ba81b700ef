"""ASN Peduli from pledge to handover: an employee pledges (a suggestion by kelas jabatan), the unit's
collector records donations against pledges and assembles a package, a village officer aims it at a
vulnerable family receiving nothing and hands it over with a photo or a short video; totals per unit and
for the kabupaten. Scope: collectors see their unit only, families stay out of sight outside their area."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from layan.aid import selectors, services
from layan.aid.models import AsnDonation, AsnPackage, AsnPledge, Evidence, Resident
from layan.aid.tests.conftest import photo_file
from layan.aid.tests.test_offline_handover import mp4_file
from layan.conftest import assign, client_for, make_employee, make_user
from layan.org.models import Employee


@pytest.fixture
def donor(units, position):
    user = make_user("rina.donatur")
    return make_employee(
        units["kec_toili"], "Rina Donatur", "199201102019032005", position=position, user=user
    )


@pytest.fixture
def collector(units):
    """The head of Kecamatan Toili: collects for their unit (and its sub-units) only."""
    user = make_user("kepala.toili")
    assign(user, "kepala_unit", unit=units["kec_toili"])
    return user


@pytest.fixture
def collector_batui(units):
    user = make_user("kepala.batui")
    assign(user, "kepala_unit", unit=units["kec_batui"])
    return user


def _family(name):
    return Resident.objects.get(name=name).family


def test_employee_pledges_on_their_page_with_a_suggestion_by_rank(donor):
    client = client_for(donor.user)
    page = client.get(reverse("aid:asn_home"))
    assert page.status_code == 200
    assert page.context["tier"] == Decimal(50000)  # kelas jabatan 7
    assert "Rp50.000 per bulan" in page.content.decode()
    response = client.post(
        reverse("aid:asn_home"),
        {"action": "pledge", "kind": "cash", "amount_per_month": "75000", "start_month": "2021-07"},
    )
    assert response.status_code == 302
    pledge = AsnPledge.objects.get()
    assert (pledge.employee, pledge.amount_per_month, pledge.start_month) == (
        donor,
        Decimal(75000),
        date(2021, 7, 1),
    )
    # A second cash pledge over the same months is refused with a clear message.
    again = client.post(
        reverse("aid:asn_home"),
        {"action": "pledge", "kind": "cash", "amount_per_month": "10000", "start_month": "2021-09"},
    )
    assert again.status_code == 400 and "akhiri dulu" in again.content.decode()
    # Goods need a description.
    goods = client.post(
        reverse("aid:asn_home"), {"action": "pledge", "kind": "goods", "start_month": "2021-07"}
    )
    assert goods.status_code == 400 and AsnPledge.objects.count() == 1


def test_an_account_without_employee_record_has_no_asn_page(outsider):
    assert client_for(outsider).get(reverse("aid:asn_home")).status_code == 404


def test_collector_records_donations_against_pledges_and_assembles_a_package(donor, collector, units):
    pledge = services.asn_pledge_create(
        actor=donor.user,
        employee=donor,
        kind="cash",
        amount_per_month=Decimal(75000),
        start_month=date(2021, 7, 1),
    )
    client = client_for(collector)
    page = client.get(reverse("aid:asn_collect") + "?bulan=2021-07")
    assert page.status_code == 200 and list(page.context["pledges"]) == [pledge]
    assert page.context["paid"] == 0
    response = client.post(
        reverse("aid:asn_collect"),
        {"action": "donation", "pledge": pledge.pk, "month": "2021-07", "amount": ""},
    )
    assert response.status_code == 302
    donation = AsnDonation.objects.get()
    assert (donation.amount, donation.pledge, donation.recorded_by) == (Decimal(75000), pledge, collector)
    assert client.get(reverse("aid:asn_collect") + "?bulan=2021-07").context["paid"] == 1
    # The same month twice, or a month before the pledge began, is refused.
    twice = client.post(
        reverse("aid:asn_collect"), {"action": "donation", "pledge": pledge.pk, "month": "2021-07"}
    )
    assert twice.status_code == 400 and AsnDonation.objects.count() == 1
    early = client.post(
        reverse("aid:asn_collect"), {"action": "donation", "pledge": pledge.pk, "month": "2021-05"}
    )
    assert "di luar masa janji" in early.content.decode()
    # A package from what was collected; a value above the cash balance is allowed with a warning (goods).
    response = client.post(
        reverse("aid:asn_collect"),
        {
            "action": "package",
            "unit": units["kec_toili"].pk,
            "contents": "Beras 10 kg, minyak",
            "value": "100000",
        },
        follow=True,
    )
    assert "melebihi sisa uang" in response.content.decode()
    package = AsnPackage.objects.get()
    assert package.unit == units["kec_toili"] and package.status == AsnPackage.Status.ASSEMBLED
    assert selectors.asn_unit_balance(units["kec_toili"]).available == -25000


def test_collector_records_the_pledge_of_an_employee_without_an_account(collector, units):
    honorer = make_employee(units["kec_toili"], "Siti Honorer", "199201102019032099")
    Employee.objects.filter(pk=honorer.pk).update(kind=Employee.Kind.NON_ASN, nip=None)  # no NIP, no account
    other = make_employee(units["kec_batui"], "Budi Batui", "198505052010011001", nik="7201010505850001")
    client = client_for(collector)
    form = {"action": "pledge_for", "for-kind": "cash", "for-amount_per_month": "20000"}
    response = client.post(
        reverse("aid:asn_collect"),
        {**form, "for-employee": "  siti   honorer ", "for-start_month": "2021-07"},
    )
    assert response.status_code == 302
    pledge = AsnPledge.objects.get()
    assert (pledge.employee, pledge.unit, pledge.amount_per_month) == (honorer, units["kec_toili"], 20000)
    page = client.get(reverse("aid:asn_collect") + "?bulan=2021-07")
    assert list(page.context["pledges"]) == [pledge] and "Siti Honorer" in page.content.decode()
    # An employee of another unit is not theirs to record, whether named or given by NIP.
    for text in ("Budi Batui", other.nip):
        refused = client.post(
            reverse("aid:asn_collect"), {**form, "for-employee": text, "for-start_month": "2021-07"}
        )
        assert refused.status_code == 400 and "tidak ditemukan di unit Anda" in refused.content.decode()
    # Two people of the same name: the NIP decides (typed with spaces, as printed on a card).
    make_employee(units["kec_toili"], "Siti Honorer", "199001012015032001", nik="7201014101900002")
    twice = client.post(
        reverse("aid:asn_collect"), {**form, "for-employee": "Siti Honorer", "for-start_month": "2021-09"}
    )
    assert twice.status_code == 400 and "pakai NIP" in twice.content.decode()
    by_nip = client.post(
        reverse("aid:asn_collect"),
        {**form, "for-employee": "19900101 201503 2 001", "for-start_month": "2021-09"},
    )
    assert by_nip.status_code == 302 and AsnPledge.objects.count() == 2
    # An employee with an account pledges on their own page: nobody pledges money in their name.
    donor = make_employee(
        units["kec_toili"],
        "Rina Donatur",
        "199201102019032005",
        user=make_user("rina"),
        nik="7201015011920004",
    )
    theirs = client.post(
        reverse("aid:asn_collect"), {**form, "for-employee": donor.nip, "for-start_month": "2021-07"}
    )
    assert theirs.status_code == 400 and "mencatat janjinya sendiri" in theirs.content.decode()
    assert not AsnPledge.objects.filter(employee=donor).exists()


def test_collector_of_another_unit_sees_nothing_and_cannot_record(donor, collector_batui, units):
    pledge = services.asn_pledge_create(
        actor=donor.user,
        employee=donor,
        kind="cash",
        amount_per_month=Decimal(75000),
        start_month=date(2021, 7, 1),
    )
    client = client_for(collector_batui)
    page = client.get(reverse("aid:asn_collect") + "?bulan=2021-07")
    assert list(page.context["pledges"]) == []
    response = client.post(
        reverse("aid:asn_collect"), {"action": "donation", "pledge": pledge.pk, "month": "2021-07"}
    )
    assert response.status_code == 400 and AsnDonation.objects.count() == 0  # not a choice for them
    with pytest.raises(Http404):
        services.asn_donation_record(actor=collector_batui, pledge=pledge, month=date(2021, 7, 1))
    with pytest.raises(Http404):
        services.asn_package_create(
            actor=collector_batui, unit=units["kec_toili"], contents="x", value=Decimal(1)
        )


@pytest.mark.parametrize("persona", ["outsider", "sibling"])
def test_collector_pages_are_404_without_the_role(request, persona, donor):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(reverse("aid:asn_collect")).status_code == 404
    assert client.get(reverse("aid:asn_packages")).status_code == 404


def test_package_goes_to_a_vulnerable_family_receiving_nothing_with_a_video(
    registry, programs, petugas, camat, operator_desa, collector, units
):
    package = services.asn_package_create(
        actor=collector, unit=units["kec_toili"], contents="Paket sembako", value=Decimal(150000)
    )
    # Ahmad Yani's family (Singkoyo) is on a legalised PKH list this year: it receives something.
    year = timezone.localdate().year
    rnd = services.round_create(
        actor=petugas,
        program=programs["pkh"],
        area="72.01.01.2001",
        stage=1,
        period_start=date(year, 1, 1),
        period_end=date(year, 12, 31),
    )
    services.enrolment_add(actor=petugas, rnd=rnd, family=_family("Ahmad Yani"))
    services.round_submit(
        actor=petugas,
        rnd=rnd,
        meeting_date=timezone.localdate(),
        meeting_record="BA",
        meeting_signed_by="Kades",
    )
    services.round_approve(actor=camat, rnd=rnd)
    client = client_for(operator_desa)
    detail = reverse("aid:asn_package_detail", args=[package.pk])
    page = client.get(detail)
    assert page.status_code == 200
    # The target list is the coverage list: vulnerable and receiving nothing — in Singkoyo, nobody: Ahmad's
    # family receives PKH, Budi's is not vulnerable.
    assert [f.head.name for f in page.context["targets"]] == []
    refused = client.post(detail, {"action": "target", "family": _family("Ahmad Yani").pk})
    assert refused.status_code == 400 and "sudah menerima bantuan" in refused.content.decode()
    # Budi's family receives nothing but is not flagged vulnerable: allowed, with a warning.
    budi = _family("Budi Santoso")
    response = client.post(detail, {"action": "target", "family": budi.pk}, follow=True)
    assert "tidak tercatat rentan" in response.content.decode()
    package.refresh_from_db()
    assert package.family == budi and package.status == AsnPackage.Status.ASSEMBLED
    # Handed over with a short video (checked by content) instead of a photo.
    response = client.post(
        detail,
        {
            "action": "handover",
            "video": mp4_file(),
            "latitude": "-1.45",
            "longitude": "122.6",
            "consent_public": "",
        },
    )
    assert response.status_code == 302
    package.refresh_from_db()
    assert package.status == AsnPackage.Status.HANDED_OVER and package.handed_by == operator_desa
    assert package.evidence.get().kind == Evidence.Kind.VIDEO
    assert budi not in set(selectors.families_receiving_nothing(petugas, area="72.01", year=year))
    # Totals per unit and for the kabupaten count it.
    units_rows, total = selectors.asn_totals()
    assert (total.packages, total.packages_value) == (1, 150000)


def test_a_package_cannot_go_to_a_family_that_already_got_one_this_year(registry, petugas, units):
    budi = _family("Budi Santoso")
    now = timezone.now()
    first = services.asn_package_create(
        actor=petugas, unit=units["kec_toili"], contents="A", value=Decimal(1)
    )
    services.asn_package_hand_over(
        actor=petugas,
        package=first,
        family=budi,
        handed_at=now,
        evidence=[services.EvidenceInput(upload=photo_file(), taken_at=now)],
    )
    second = services.asn_package_create(
        actor=petugas, unit=units["kec_toili"], contents="B", value=Decimal(1)
    )
    with pytest.raises(ValidationError) as info:
        services.asn_package_target(actor=petugas, package=second, family=budi)
    assert "ASN Peduli" in info.value.messages[0]


def test_handed_over_package_is_404_for_outsider_and_sibling_and_hides_the_family_from_the_collector(
    registry, petugas, collector, sibling, outsider, units
):
    package = services.asn_package_create(
        actor=collector, unit=units["kec_toili"], contents="A", value=Decimal(1)
    )
    now = timezone.now()
    services.asn_package_hand_over(
        actor=petugas,
        package=package,
        family=_family("Budi Santoso"),
        handed_at=now - timedelta(minutes=1),
        evidence=[services.EvidenceInput(upload=photo_file(), taken_at=now)],
    )
    detail = reverse("aid:asn_package_detail", args=[package.pk])
    for user in (sibling, outsider):
        assert client_for(user).get(detail).status_code == 404
    # The collecting unit sees its package delivered in Singkoyo, not the family's name.
    page = client_for(collector).get(detail)
    assert page.status_code == 200 and not page.context["family_visible"]
    assert "Budi" not in page.content.decode() and "Singkoyo" in page.content.decode()
    assert "Budi" in client_for(petugas).get(detail).content.decode()


def test_an_employee_with_a_cash_and_a_goods_pledge_gives_both_in_one_month(donor, collector):
    cash = services.asn_pledge_create(
        actor=donor.user,
        employee=donor,
        kind="cash",
        amount_per_month=Decimal(50000),
        start_month=date(2021, 7, 1),
    )
    goods = services.asn_pledge_create(
        actor=donor.user, employee=donor, kind="goods", goods="Beras 5 kg", start_month=date(2021, 7, 1)
    )
    client = client_for(collector)
    for pledge in (cash, goods):
        response = client.post(
            reverse("aid:asn_collect"), {"action": "donation", "pledge": pledge.pk, "month": "2021-07"}
        )
        assert response.status_code == 302
    assert AsnDonation.objects.filter(employee=donor, month=date(2021, 7, 1)).count() == 2
    # Paid is told per pledge: with only the cash given, the goods pledge is still open.
    AsnDonation.objects.filter(pledge=goods).delete()
    rows = {p.pk: p.paid for p in selectors.asn_pledges_collected(collector, month=date(2021, 7, 1))}
    assert rows == {cash.pk: True, goods.pk: False}


def test_collector_of_several_units_sees_each_balance_from_two_grouped_queries(units, petugas, position):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    head = make_user("kepala.setda")
    assign(head, "kepala_unit", unit=units["setda"])
    for unit, nip, nik, amount in (
        (units["kec_toili"], "199201102019032005", "7201014506900003", 70000),
        (units["kec_batui"], "199001012015031001", "7201010101900007", 30000),
    ):
        employee = make_employee(unit, f"Donatur {unit.code}", nip, position=position, nik=nik)
        services.asn_donation_record(actor=petugas, employee=employee, month=date(2021, 7, 1), amount=amount)
    services.asn_package_create(actor=head, unit=units["kec_batui"], contents="Paket", value=Decimal(20000))
    with CaptureQueriesContext(connection) as queries:
        page = client_for(head).get(reverse("aid:asn_collect"))
    balances = {unit.code: (b.collected, b.committed, b.available) for unit, b in page.context["balances"]}
    assert balances == {
        "SETDA": (0, 0, 0),
        "KEC-TOILI": (70000, 0, 70000),
        "KEC-BATUI": (30000, 20000, 10000),
    }
    sums = [q["sql"] for q in queries.captured_queries if "SUM(" in q["sql"].upper()]
    assert len(sums) == 2  # one for donations, one for packages, not two per unit


def test_a_package_form_sent_twice_makes_one_package(collector, units):
    client = client_for(collector)
    page = client.get(reverse("aid:asn_collect"))
    token = page.context["package_form"].initial["client_uuid"]
    assert f'name="client_uuid" value="{token}"' in page.content.decode()  # a hidden field of the form
    data = {
        "action": "package",
        "unit": units["kec_toili"].pk,
        "contents": "Beras 10 kg",
        "value": "0",
        "client_uuid": str(token),
    }
    first = client.post(reverse("aid:asn_collect"), data)
    again = client.post(reverse("aid:asn_collect"), data)  # a double tap, or a re-send after a lost answer
    assert first.status_code == again.status_code == 302
    package = AsnPackage.objects.get()
    assert package.client_uuid == token
    # A new form is a new package.
    data["client_uuid"] = "11111111-2222-4333-8444-555555555555"
    client.post(reverse("aid:asn_collect"), data)
    assert AsnPackage.objects.count() == 2


def test_the_same_pledge_twice_at_once_is_refused_by_the_database(donor):
    from django.db import IntegrityError, transaction

    AsnPledge.objects.create(employee=donor, unit=donor.unit, kind="cash", start_month=date(2021, 7, 1))
    # The second of two simultaneous requests, having passed its check before the first was saved:
    with pytest.raises(IntegrityError), transaction.atomic():
        AsnPledge.objects.create(employee=donor, unit=donor.unit, kind="cash", start_month=date(2021, 7, 1))
    # A goods pledge beside the cash one is fine.
    AsnPledge.objects.create(
        employee=donor, unit=donor.unit, kind="goods", goods="Beras", start_month=date(2021, 7, 1)
    )


def test_handover_times_read_in_the_desa_zone_whatever_zone_the_phone_or_server_uses(
    registry, petugas, collector, units
):
    from datetime import UTC
    from zoneinfo import ZoneInfo

    package = services.asn_package_create(
        actor=collector, unit=units["kec_toili"], contents="Paket", value=Decimal(75000)
    )
    services.asn_package_target(actor=petugas, package=package, family=_family("Budi Santoso"))
    taken = (timezone.now() - timedelta(minutes=5)).astimezone(UTC).replace(microsecond=0)
    detail = reverse("aid:asn_package_detail", args=[package.pk])
    client = client_for(petugas)
    with timezone.override("UTC"):  # a server or phone that keeps UTC
        response = client.post(
            detail,
            {
                "action": "handover",
                "photo": photo_file(),
                "taken_at": taken.strftime("%Y-%m-%dT%H:%M:%S.000Z"),  # what the phone's script sends
            },
        )
        assert response.status_code == 302
        page = client.get(detail).content.decode()
    wita = taken.astimezone(ZoneInfo("Asia/Makassar")).strftime("%d-%m-%Y %H:%M")
    assert f"diserahkan {wita} WITA" in page  # Singkoyo, Banggai (72.x): WITA
    assert f"· {wita} WITA" in page  # the evidence photo's capture time
    assert "Rp75.000" in page  # money is written one way on every aid page


def test_money_filters_write_thousands_with_dots():
    from layan.aid.templatetags.aid_format import rupiah, thousands

    assert rupiah(Decimal("75000.00")) == "Rp75.000"
    assert rupiah(1200000) == "Rp1.200.000"
    assert rupiah(Decimal("-2500")) == "-Rp2.500"
    assert thousands(Decimal("1500.50")) == "1.500,50"
    assert rupiah(None) == "" and rupiah("") == ""


def test_a_package_handed_over_from_the_field_page_queue_is_one_handover(
    registry, petugas, sibling, units, operator_desa
):
    """The phone's offline queue sends the handover when the signal returns, perhaps twice: one handover;
    another phone's handover of the same package is told it was done; outside the area, 404."""
    package = services.asn_package_create(
        actor=petugas, unit=units["kec_toili"], contents="Beras 10 kg", value=Decimal(150000)
    )
    services.asn_package_target(actor=petugas, package=package, family=_family("Budi Santoso"))
    # Assembled yesterday: the officer went out with it this morning.
    AsnPackage.objects.filter(pk=package.pk).update(created_at=timezone.now() - timedelta(days=1))
    client = client_for(operator_desa)
    page = client.get(reverse("aid:asn_handover"))
    assert page.status_code == 200 and f'data-target="{package.pk}"' in page.content.decode()
    assert "KK Budi Santoso" in page.content.decode()
    assert client.get(reverse("aid:asn_handover_sw")).status_code == 200
    when = timezone.now() - timedelta(hours=2)

    def send(who, uuid, seed=1):
        return who.post(
            reverse("aid_api:asn_handover"),
            {
                "package": package.pk,
                "client_uuid": uuid,
                "device_time": when.isoformat(),
                "latitude": "-1.4512",
                "longitude": "122.0571",
                "consent_public": "true",
                "photo": photo_file(seed=seed),
            },
        )

    first = send(client, "7d1f0c3e-0000-4000-8000-000000000001")
    again = send(client, "7d1f0c3e-0000-4000-8000-000000000001")
    assert (first.status_code, again.status_code) == (201, 200)
    package.refresh_from_db()
    assert package.status == AsnPackage.Status.HANDED_OVER and package.consent_public
    assert abs((package.handed_at - when).total_seconds()) < 1  # the phone's time, believed
    assert package.evidence.count() == 1
    other_phone = send(client_for(petugas), "7d1f0c3e-0000-4000-8000-000000000002", seed=2)
    assert other_phone.status_code == 409 and other_phone.json()["code"] == "already_recorded"
    assert send(client_for(sibling), "7d1f0c3e-0000-4000-8000-000000000003", seed=3).status_code == 404
    assert package.evidence.count() == 1
    done = client.get(reverse("aid:asn_handover")).content.decode()
    assert 'data-state="done"' in done


def test_the_asn_field_page_names_families_only_to_officers_who_hand_over(
    registry, petugas, collector, outsider, units
):
    package = services.asn_package_create(
        actor=petugas, unit=units["kec_toili"], contents="Beras 10 kg", value=Decimal(150000)
    )
    services.asn_package_target(actor=petugas, package=package, family=_family("Budi Santoso"))
    url = reverse("aid:asn_handover")
    assert "Budi Santoso" in client_for(petugas).get(url).content.decode()
    for user in (outsider, collector):  # the collector sees the package, never the family
        assert client_for(user).get(url).status_code == 404
