"""Password change and reset by e-mail, with every validator applied."""

from __future__ import annotations

import re

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core import mail
from django.test import Client, override_settings

from layan.accounts.tests.conftest import login
from layan.conftest import PASSWORD, client_for
from layan.core.models import ApiToken, AuditEvent

NEW_PASSWORD = "sungai-banggai-biru-2026"


@pytest.fixture
def staff(people):
    user = people["staff"].user
    user.email = "budi@example.test"
    user.save()
    return user


def change(client, old, new, again=None):
    return client.post(
        "/akun/sandi/", {"old_password": old, "new_password1": new, "new_password2": again or new}
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("new", "message"),
    [
        ("pendek-1", "terlalu pendek"),
        ("password1234", "terlalu umum"),
        ("8302751946031", "seluruhnya terdiri dari angka"),
    ],
)
def test_weak_passwords_are_refused_in_indonesian(staff, new, message):
    client = client_for(staff)
    response = change(client, PASSWORD, new)
    assert response.status_code == 200
    assert message in response.content.decode()
    staff.refresh_from_db()
    assert staff.check_password(PASSWORD)


@pytest.mark.django_db
def test_demo_password_is_refused_in_production(staff):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    from layan.accounts.validators import DEMO_PASSWORD

    with override_settings(PRODUCTION=True), pytest.raises(ValidationError):
        validate_password(DEMO_PASSWORD, staff)


@pytest.mark.django_db
def test_change_password_keeps_the_session_and_revokes_api_tokens(staff):
    from layan.accounts import services

    services.api_token_issue(actor=staff, name="HP")
    client = client_for(staff)
    response = change(client, PASSWORD, NEW_PASSWORD)
    assert response.status_code == 302
    assert client.get("/akun/").status_code == 200
    staff.refresh_from_db()
    assert staff.check_password(NEW_PASSWORD)
    assert not ApiToken.objects.filter(revoked_at__isnull=True).exists()
    assert AuditEvent.objects.filter(action="user.password_change", object_id=str(staff.pk)).exists()


@pytest.mark.django_db
def test_wrong_old_password_is_refused(staff):
    response = change(client_for(staff), "bukan-sandi-lama", NEW_PASSWORD)
    assert response.status_code == 200
    staff.refresh_from_db()
    assert staff.check_password(PASSWORD)


@pytest.mark.django_db
def test_password_change_needs_login(client):
    response = client.get("/akun/sandi/")
    assert response.status_code == 302
    assert response.url.startswith("/akun/masuk/")


@pytest.mark.django_db
def test_reset_by_email_end_to_end(staff):
    # The owner had locked themself out; the reset proves who they are and lifts the lock.
    locked = Client(REMOTE_ADDR="10.3.3.3")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(locked, "staf.toili", "lupa-lupa-lupa-lupa")
    assert AccessAttempt.objects.exists()

    client = Client()
    assert client.get("/akun/sandi/lupa/").status_code == 200
    response = client.post("/akun/sandi/lupa/", {"email": "budi@example.test"})
    assert response.status_code == 302
    assert response.url == "/akun/sandi/lupa/terkirim/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert "kata sandi" in message.subject.lower()
    assert "staf.toili" in message.body
    link = re.search(r"http://testserver(/akun/sandi/atur-ulang/\S+/)", message.body).group(1)

    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0]
    weak = client.post(set_url, {"new_password1": "pendek", "new_password2": "pendek"})
    assert weak.status_code == 200
    assert "terlalu pendek" in weak.content.decode()
    done = client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302
    assert done.url == "/akun/sandi/atur-ulang/selesai/"
    staff.refresh_from_db()
    assert staff.check_password(NEW_PASSWORD)
    assert AuditEvent.objects.filter(action="user.password_reset").exists()
    assert login(locked, "staf.toili", NEW_PASSWORD).status_code == 302
    # The link works once.
    assert "tidak berlaku lagi" in client.get(link, follow=True).content.decode()


@pytest.mark.django_db
def test_reset_for_an_unknown_email_says_the_same_and_sends_nothing(client, db):
    response = client.post("/akun/sandi/lupa/", {"email": "siapa@example.test"})
    assert response.status_code == 302
    assert len(mail.outbox) == 0
