"""Each channel adapter against recorded payloads, and a bad signature refused with nothing stored."""

import hashlib
import hmac
import json
import time
from pathlib import Path

import pytest
from django.test import Client

from layan.complaints import services
from layan.complaints.channels.email import parse_mime, strip_quoted
from layan.complaints.channels.signatures import twilio_signature
from layan.complaints.channels.twitter import parse_mentions
from layan.complaints.models import Case, InboundMessage, State
from layan.complaints.views_channels import receive_raw_email

PAYLOADS = Path(__file__).parent / "payloads"
SECRET = "uji-rahasia-aplikasi-meta"


def payload(name: str) -> bytes:
    return (PAYLOADS / name).read_bytes()


def hub_signature(body: bytes, secret: str = SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


@pytest.fixture
def channel_settings(settings, regions):
    settings.LAYAN_WHATSAPP_APP_SECRET = SECRET
    settings.LAYAN_WHATSAPP_VERIFY_TOKEN = "token-verifikasi"
    settings.LAYAN_META_APP_SECRET = SECRET
    settings.LAYAN_META_VERIFY_TOKEN = "token-verifikasi"
    settings.LAYAN_COMPLAINTS_EMAIL_WEBHOOK_KEY = "kunci-mailgun"
    settings.LAYAN_SMS_AUTH_TOKEN = "token-twilio"
    settings.LAYAN_SMS_WEBHOOK_URL = "https://layan.example/pengaduan/webhook/sms/"
    return settings


def test_whatsapp_message_is_kept_as_received_and_becomes_a_case(channel_settings, verifier):
    body = payload("whatsapp_text.json")
    response = Client().post(
        "/pengaduan/webhook/whatsapp/",
        body,
        content_type="application/json",
        headers={"X-Hub-Signature-256": hub_signature(body)},
    )
    assert response.status_code == 200 and response.json() == {"received": 1}
    message = InboundMessage.objects.get()
    assert message.channel == "whatsapp" and message.sender == "+6281245678901"
    assert message.sender_name == "Yusuf Lamato" and "lampu jalan" in message.body
    assert json.loads(message.raw) == json.loads(body)  # kept exactly as received
    case = services.message_convert(actor=verifier, message=message, region_code="72.01.01.2001")
    assert case.channel == "whatsapp" and case.reporter_phone == "+6281245678901"


def test_whatsapp_retry_of_the_same_message_is_not_duplicated(channel_settings):
    body = payload("whatsapp_text.json")
    for _ in range(2):
        Client().post(
            "/pengaduan/webhook/whatsapp/",
            body,
            content_type="application/json",
            headers={"X-Hub-Signature-256": hub_signature(body)},
        )
    assert InboundMessage.objects.count() == 1


@pytest.mark.parametrize("header", ["", "sha256=00", None])
def test_whatsapp_bad_signature_is_refused_and_nothing_is_stored(channel_settings, header):
    body = payload("whatsapp_text.json")
    headers = {"X-Hub-Signature-256": header if header is not None else hub_signature(body, "kunci-lain")}
    response = Client().post(
        "/pengaduan/webhook/whatsapp/", body, content_type="application/json", headers=headers
    )
    assert response.status_code == 403 and response.json()["code"] == "bad_signature"
    assert not InboundMessage.objects.exists()


def test_whatsapp_delivery_status_is_acknowledged_without_a_message(channel_settings):
    body = payload("whatsapp_status.json")
    response = Client().post(
        "/pengaduan/webhook/whatsapp/",
        body,
        content_type="application/json",
        headers={"X-Hub-Signature-256": hub_signature(body)},
    )
    assert response.status_code == 200 and not InboundMessage.objects.exists()


def test_whatsapp_garbage_body_with_valid_signature_is_a_400(channel_settings):
    body = b"{not json"
    response = Client().post(
        "/pengaduan/webhook/whatsapp/",
        body,
        content_type="application/json",
        headers={"X-Hub-Signature-256": hub_signature(body)},
    )
    assert response.status_code == 400


def test_meta_subscription_handshake(channel_settings):
    ok = Client().get(
        "/pengaduan/webhook/whatsapp/",
        {"hub.mode": "subscribe", "hub.verify_token": "token-verifikasi", "hub.challenge": "1158201444"},
    )
    assert ok.status_code == 200 and ok.content == b"1158201444"
    wrong = Client().get(
        "/pengaduan/webhook/meta/",
        {"hub.mode": "subscribe", "hub.verify_token": "salah", "hub.challenge": "1"},
    )
    assert wrong.status_code == 403


def test_adapter_switched_off_when_not_configured(regions):
    body = payload("whatsapp_text.json")
    response = Client().post(
        "/pengaduan/webhook/whatsapp/",
        body,
        content_type="application/json",
        headers={"X-Hub-Signature-256": hub_signature(body)},
    )
    assert response.status_code == 404


def test_facebook_and_instagram_messages_skip_our_echoes(channel_settings):
    for name in ("messenger_page.json", "instagram_dm.json"):
        body = payload(name)
        response = Client().post(
            "/pengaduan/webhook/meta/",
            body,
            content_type="application/json",
            headers={"X-Hub-Signature-256": hub_signature(body)},
        )
        assert response.status_code == 200
    assert sorted(InboundMessage.objects.values_list("channel", flat=True)) == ["facebook", "instagram"]


def _mailgun_form(key="kunci-mailgun", timestamp=None):
    form = json.loads(payload("mailgun_inbound.json"))
    form["timestamp"] = str(int(timestamp or time.time()))
    form["token"] = "c2f7a0e1b3d4"
    form["signature"] = hmac.new(
        key.encode(), f"{form['timestamp']}{form['token']}".encode(), hashlib.sha256
    ).hexdigest()
    return form


def test_inbound_email_webhook(channel_settings):
    response = Client().post("/pengaduan/webhook/email/", _mailgun_form())
    assert response.status_code == 200
    message = InboundMessage.objects.get()
    assert message.channel == "email" and message.sender == "wati.salim@example.id"
    assert "old text" not in message.body and "air PDAM" in message.body
    assert "signature" not in message.raw


@pytest.mark.parametrize(
    "form", [lambda: _mailgun_form(key="kunci-palsu"), lambda: _mailgun_form(timestamp=time.time() - 7200)]
)
def test_inbound_email_with_bad_or_stale_signature_is_refused(channel_settings, form):
    response = Client().post("/pengaduan/webhook/email/", form())
    assert response.status_code == 403 and not InboundMessage.objects.exists()


def test_sms_gateway_webhook_with_twilio_signature(channel_settings):
    params = json.loads(payload("twilio_sms.json"))
    url = channel_settings.LAYAN_SMS_WEBHOOK_URL
    signature = twilio_signature(auth_token="token-twilio", url=url, params=params)
    response = Client().post("/pengaduan/webhook/sms/", params, headers={"X-Twilio-Signature": signature})
    assert response.status_code == 200 and b"<Response>" in response.content
    message = InboundMessage.objects.get()
    assert message.channel == "sms" and message.sender == "+6285298765432"
    bad = Client().post(
        "/pengaduan/webhook/sms/", {**params, "Body": "diubah"}, headers={"X-Twilio-Signature": signature}
    )
    assert bad.status_code == 403 and InboundMessage.objects.count() == 1


def test_email_reply_threads_onto_the_case_and_resumes_it(routed_case, officer):
    services.case_request_info(actor=officer, case=routed_case, question="Mohon jelaskan lokasi tepatnya.")
    raw = payload("reply_email.eml").replace(b"[CODE]", f"[{routed_case.code}]".encode())
    message = receive_raw_email(raw)
    routed_case.refresh_from_db()
    assert message.case == routed_case and message.status == InboundMessage.Status.THREADED
    assert routed_case.state == State.DIDISPOSISIKAN
    reply = routed_case.events.filter(kind="citizen_reply").get()
    assert "kios Pak Udin" in reply.body and "Mohon jelaskan" not in reply.body


def test_mime_parsing_and_quote_stripping():
    parsed = parse_mime(payload("reply_email.eml"))
    assert parsed.sender == "rina@example.id" and parsed.external_id == "<reply-001@mail.example.id>"
    assert strip_quoted("Baik.\n> kutipan\nOn Mon, 1 Jul 2024, X wrote:\nlama") == "Baik."


def test_imap_poller_reads_unseen_messages(channel_settings, monkeypatch):
    from layan.complaints import tasks

    raw = payload("reply_email.eml").replace(b"[CODE]", b"[LYN-ZZZZ-ZZ]")

    class FakeImap:
        def __init__(self, host, port):
            self.calls = []

        def login(self, user, password):
            return "OK", []

        def select(self, folder):
            return "OK", [b"1"]

        def search(self, charset, criterion):
            return "OK", [b"1"]

        def fetch(self, number, parts):
            return "OK", [(b"1 (RFC822 {100}", raw)]

        def logout(self):
            return "BYE", []

    from layan.complaints.channels import email as email_channel

    original = email_channel.fetch_unseen
    monkeypatch.setattr(email_channel, "fetch_unseen", lambda **kw: original(**kw, imap_factory=FakeImap))
    channel_settings.LAYAN_COMPLAINTS_IMAP_HOST = "imap.example.id"
    assert tasks.poll_imap() == 1
    assert InboundMessage.objects.get().status == InboundMessage.Status.NEW


def test_twitter_mentions_parse(regions):
    items = parse_mentions(json.loads(payload("twitter_mentions.json")))
    assert items[0].sender == "@andi_luwuk" and "drainase" in items[0].body
    services.message_receive(
        channel=items[0].channel, external_id=items[0].external_id, sender=items[0].sender, body=items[0].body
    )
    assert InboundMessage.objects.get().channel == "twitter"
    assert not Case.objects.exists()
