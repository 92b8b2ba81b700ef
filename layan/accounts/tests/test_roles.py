"""Role management: who may see and grant what, validity dates, scopes, and the audit trail."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from layan.accounts import services
from layan.accounts.tests.conftest import confirmed_totp
from layan.conftest import assign, client_for, make_user, verified_client_for
from layan.core.models import AuditEvent, RoleAssignment
from layan.core.scopes import has_permission, roles_of

ROLE_PAGES = ["/akun/peran/", "/akun/peran/baru/", "/akun/peran/{pk}/akhiri/"]


def today():
    return timezone.localdate()


@pytest.fixture
def some_assignment(camat):
    return RoleAssignment.objects.get(user=camat)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["camat", "sibling", "outsider"])
def test_role_pages_are_404_without_manage_roles(persona, request, some_assignment):
    client = client_for(request.getfixturevalue(persona))
    for url in ROLE_PAGES:
        assert client.get(url.format(pk=some_assignment.pk)).status_code == 404
    assert client.post("/akun/peran/baru/", {}).status_code == 404
    assert client.post(f"/akun/peran/{some_assignment.pk}/akhiri/").status_code == 404


@pytest.mark.django_db
def test_pegawai_gets_404_on_role_pages(people):
    client = client_for(people["staff"].user)
    assert client.get("/akun/peran/").status_code == 404


@pytest.mark.django_db
def test_admin_lists_searches_filters_and_exports(bkpsdm_client, camat, sibling):
    page = bkpsdm_client.get("/akun/peran/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "camat.toili" in body and "camat.batui" in body
    found = bkpsdm_client.get("/akun/peran/", {"q": "batui"}).content.decode()
    assert "camat.batui" in found and "camat.toili" not in found
    by_role = bkpsdm_client.get("/akun/peran/", {"role": "admin_bkpsdm"}).content.decode()
    assert "admin.bkpsdm" in by_role and "camat.toili" not in by_role
    ended = bkpsdm_client.get("/akun/peran/", {"status": "ended"}).content.decode()
    assert "camat.toili" not in ended
    csv = bkpsdm_client.get("/akun/peran/", {"export": "csv", "q": "toili"})
    assert csv.status_code == 200
    assert csv["Content-Type"].startswith("text/csv")
    text = csv.content.decode()
    assert "camat.toili" in text and "camat.batui" not in text
    xlsx = bkpsdm_client.get("/akun/peran/", {"export": "xlsx"})
    assert xlsx.status_code == 200
    assert xlsx.content[:2] == b"PK"


@pytest.mark.django_db
def test_role_list_paginates(bkpsdm_client, regions):
    for i in range(30):
        assign(make_user(f"petugas{i:02d}"), "petugas_bansos", region="72.01.01")
    first = bkpsdm_client.get("/akun/peran/").content.decode()
    assert "Halaman 1 dari 2" in first
    assert bkpsdm_client.get("/akun/peran/", {"page": "2"}).status_code == 200
    assert bkpsdm_client.get("/akun/peran/", {"page": "zz"}).status_code == 200


@pytest.mark.django_db
def test_admin_of_one_kecamatan_sees_only_its_assignments(bkpsdm_toili, camat, sibling):
    confirmed_totp(bkpsdm_toili)
    client = verified_client_for(bkpsdm_toili)
    body = client.get("/akun/peran/").content.decode()
    assert "camat.toili" in body
    assert "camat.batui" not in body
    other = RoleAssignment.objects.get(user=sibling)
    assert client.get(f"/akun/peran/{other.pk}/akhiri/").status_code == 404


@pytest.mark.django_db
def test_assign_a_role_through_the_page(bkpsdm_client, bkpsdm, target):
    response = bkpsdm_client.post(
        "/akun/peran/baru/",
        {
            "user": "calon.petugas",
            "role": "petugas_bansos",
            "scope_region": "72.01.02",
            "valid_from": today().isoformat(),
        },
    )
    assert response.status_code == 302
    assignment = RoleAssignment.objects.get(user=target)
    assert assignment.role == "petugas_bansos"
    assert assignment.assigned_by == bkpsdm
    event = AuditEvent.objects.get(action="role.assign")
    assert event.actor == bkpsdm
    assert event.object_id == str(assignment.pk)


@pytest.mark.django_db
def test_assign_by_nip(bkpsdm_client, people):
    response = bkpsdm_client.post(
        "/akun/peran/baru/",
        {
            "user": "199201102019031002",
            "role": "operator_desa",
            "scope_region": "72.01.01.2001",
            "valid_from": today().isoformat(),
        },
    )
    assert response.status_code == 302
    assert RoleAssignment.objects.filter(user=people["staff"].user, role="operator_desa").exists()


@pytest.mark.django_db
def test_assign_with_a_unit_scope(bkpsdm_client, units, target):
    response = bkpsdm_client.post(
        "/akun/peran/baru/",
        {
            "user": "calon.petugas",
            "role": "kepala_unit",
            "scope_unit": units["kec_batui"].pk,
            "valid_from": today().isoformat(),
        },
    )
    assert response.status_code == 302
    assert RoleAssignment.objects.get(user=target).scope_unit == units["kec_batui"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"scope_region": "72.01.09"}, "tidak ditemukan"),
        ({"scope_region": "7201"}, "tidak sah"),
        ({}, "tepat satu cakupan"),
        ({"scope_region": "72.01.01", "scope_unit": "UNIT"}, "bukan keduanya"),
        ({"scope_region": "72.01.01", "valid_to": "2020-01-01"}, "sebelum tanggal mulai"),
        ({"scope_region": "72.01.01", "user": "tidak.ada"}, "tidak ditemukan"),
        ({"scope_region": "72.01.01", "role": "pegawai"}, "tidak tersedia"),
        ({"scope_region": "72.01.01", "valid_from": "bukan-tanggal"}, "tanggal"),
    ],
)
def test_bad_assignments_get_clear_messages_and_save_nothing(bkpsdm_client, units, target, data, message):
    form = {"user": "calon.petugas", "role": "camat", "valid_from": today().isoformat()}
    if data.get("scope_unit") == "UNIT":
        data = {**data, "scope_unit": units["kec_toili"].pk}
    form.update(data)
    response = bkpsdm_client.post("/akun/peran/baru/", form)
    assert response.status_code == 400
    assert message.lower() in response.content.decode().lower()
    assert not RoleAssignment.objects.filter(user=target).exists()


@pytest.mark.django_db
def test_only_admin_sistem_grants_admin_sistem_or_pimpinan(bkpsdm, admin_sistem, target):
    for role in ("admin_sistem", "pimpinan"):
        with pytest.raises(ValidationError) as exc:
            services.role_assign(actor=bkpsdm, user=target, role=role, scope_region="72.01")
        assert "admin sistem" in str(exc.value)
    assignment = services.role_assign(actor=admin_sistem, user=target, role="pimpinan", scope_region="72.01")
    assert assignment.pk
    # Nor may admin BKPSDM end it.
    with pytest.raises(ValidationError):
        services.role_end(actor=bkpsdm, assignment=assignment)


@pytest.mark.django_db
def test_the_form_does_not_offer_top_roles_to_admin_bkpsdm(bkpsdm_client):
    body = bkpsdm_client.get("/akun/peran/baru/").content.decode()
    assert 'value="camat"' in body
    assert 'value="pimpinan"' not in body and 'value="admin_sistem"' not in body


@pytest.mark.django_db
def test_granter_cannot_grant_outside_their_scope(bkpsdm_toili, units, target):
    with pytest.raises(ValidationError, match="luar wilayah"):
        services.role_assign(actor=bkpsdm_toili, user=target, role="camat", scope_region="72.01.02")
    with pytest.raises(ValidationError, match="luar wilayah"):
        services.role_assign(actor=bkpsdm_toili, user=target, role="camat", scope_region="72.01")
    with pytest.raises(ValidationError, match="luar wilayah"):
        services.role_assign(
            actor=bkpsdm_toili, user=target, role="kepala_unit", scope_unit=units["kec_batui"]
        )
    assert services.role_assign(
        actor=bkpsdm_toili, user=target, role="operator_desa", scope_region="72.01.01.2001"
    )
    assert services.role_assign(
        actor=bkpsdm_toili, user=target, role="kepala_unit", scope_unit=units["kec_toili"]
    )


@pytest.mark.django_db
def test_unit_scoped_granter_stays_in_their_subtree(units, target):
    granter = make_user("admin.unit")
    assign(granter, "admin_bkpsdm", unit=units["kec_toili"])
    assert services.role_assign(actor=granter, user=target, role="kepala_unit", scope_unit=units["kec_toili"])
    with pytest.raises(ValidationError):
        services.role_assign(actor=granter, user=target, role="kepala_unit", scope_unit=units["setda"])
    with pytest.raises(ValidationError):
        services.role_assign(actor=granter, user=target, role="camat", scope_region="72.01.01")


@pytest.mark.django_db
def test_no_one_grants_themself_a_role(bkpsdm):
    with pytest.raises(ValidationError, match="diri sendiri"):
        services.role_assign(actor=bkpsdm, user=bkpsdm, role="camat", scope_region="72.01.01")


@pytest.mark.django_db
def test_overlapping_duplicate_is_refused(bkpsdm, target):
    services.role_assign(actor=bkpsdm, user=target, role="camat", scope_region="72.01.01")
    with pytest.raises(ValidationError, match="sudah berlaku"):
        services.role_assign(
            actor=bkpsdm,
            user=target,
            role="camat",
            scope_region="72.01.01",
            valid_from=today() + timedelta(days=10),
        )


@pytest.mark.django_db
def test_future_and_ended_assignments_give_no_access(regions):
    future = make_user("admin.nanti")
    RoleAssignment.objects.create(
        user=future, role="admin_bkpsdm", scope_region="72.01", valid_from=today() + timedelta(days=1)
    )
    ended = make_user("admin.lama")
    RoleAssignment.objects.create(
        user=ended,
        role="admin_bkpsdm",
        scope_region="72.01",
        valid_from=date(2020, 1, 1),
        valid_to=today() - timedelta(days=1),
    )
    for user in (future, ended):
        assert roles_of(user) == set()
        assert not has_permission(user, "core.manage_roles")
        client = Client()
        client.force_login(user)
        # Not privileged today: no second factor asked, and the role pages do not exist for them.
        assert client.get("/akun/peran/").status_code == 404


@pytest.mark.django_db
def test_last_day_today_still_gives_access(regions):
    user = make_user("admin.terakhir")
    RoleAssignment.objects.create(
        user=user, role="camat", scope_region="72.01.01", valid_from=date(2020, 1, 1), valid_to=today()
    )
    assert "camat" in roles_of(user)


@pytest.mark.django_db
def test_end_a_role_now_through_the_page(bkpsdm_client, bkpsdm, camat):
    assignment = RoleAssignment.objects.get(user=camat)
    assert bkpsdm_client.get(f"/akun/peran/{assignment.pk}/akhiri/").status_code == 200
    response = bkpsdm_client.post(f"/akun/peran/{assignment.pk}/akhiri/", {"last_day": ""})
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.valid_to == today() - timedelta(days=1)
    fresh = type(camat).objects.get(pk=camat.pk)
    assert "camat" not in roles_of(fresh)
    event = AuditEvent.objects.get(action="role.end")
    assert event.changes["valid_to"] == [None, assignment.valid_to.isoformat()]


@pytest.mark.django_db
def test_end_a_role_on_a_later_day(bkpsdm, camat):
    assignment = RoleAssignment.objects.get(user=camat)
    services.role_end(actor=bkpsdm, assignment=assignment, last_day=today() + timedelta(days=30))
    assignment.refresh_from_db()
    assert assignment.valid_to == today() + timedelta(days=30)
    assert "camat" in roles_of(type(camat).objects.get(pk=camat.pk))


@pytest.mark.django_db
def test_ending_a_role_that_has_not_started_cancels_it(bkpsdm, target):
    assignment = services.role_assign(
        actor=bkpsdm,
        user=target,
        role="camat",
        scope_region="72.01.01",
        valid_from=today() + timedelta(days=7),
    )
    assert services.role_end(actor=bkpsdm, assignment=assignment) is None
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()
    assert AuditEvent.objects.filter(action="role.cancel", object_id=str(assignment.pk)).exists()


@pytest.mark.django_db
def test_ending_twice_gets_a_message(bkpsdm_client, camat):
    assignment = RoleAssignment.objects.get(user=camat)
    bkpsdm_client.post(f"/akun/peran/{assignment.pk}/akhiri/", {"last_day": ""})
    response = bkpsdm_client.post(f"/akun/peran/{assignment.pk}/akhiri/", {"last_day": ""})
    assert response.status_code == 400
    assert "sudah berakhir" in response.content.decode()


@pytest.mark.django_db
def test_end_with_a_past_date_is_refused(bkpsdm_client, camat):
    assignment = RoleAssignment.objects.get(user=camat)
    response = bkpsdm_client.post(f"/akun/peran/{assignment.pk}/akhiri/", {"last_day": "2021-01-01"})
    assert response.status_code == 400
    assignment.refresh_from_db()
    assert assignment.valid_to is None


@pytest.mark.django_db
def test_user_create_and_set_active_are_audited(bkpsdm):
    user = services.user_create(
        actor=bkpsdm, username="pengguna.baru", full_name="Pengguna Baru", email="baru@example.test"
    )
    assert user.has_usable_password()
    assert AuditEvent.objects.filter(action="user.create", object_id=str(user.pk)).exists()
    with pytest.raises(ValidationError):
        services.user_create(actor=bkpsdm, username="Pengguna.Baru")
    with pytest.raises(ValidationError):
        services.user_create(actor=bkpsdm, username="199201102019031002")
    with pytest.raises(ValidationError):
        services.user_create(actor=bkpsdm, username="lemah", password="12345")
    services.user_set_active(actor=bkpsdm, user=user, active=False)
    user.refresh_from_db()
    assert not user.is_active
    event = AuditEvent.objects.get(action="user.deactivate")
    assert event.changes["is_active"] == [True, False]
    assert "password" not in str(AuditEvent.objects.filter(object_id=str(user.pk)).values_list("changes"))
    with pytest.raises(ValidationError):
        services.user_set_active(actor=bkpsdm, user=bkpsdm, active=False)


@pytest.mark.django_db
def test_grant_role_command_bootstraps_the_first_admin(regions):
    from django.core.management import call_command

    user = make_user("admin.pertama")
    call_command("grant_role", "admin.pertama", "admin_sistem", region="72.01")
    assert "admin_sistem" in roles_of(user)
