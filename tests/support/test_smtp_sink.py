"""aiosmtplib delivers into the aiosmtpd sink started by ``smtp_sink``."""

from email.message import EmailMessage

import aiosmtplib
import pytest
from jarvis.testing.servers import smtp_sink


def letter(to="bob@example.com", subject="Status"):
    message = EmailMessage()
    message["From"] = "jarvis@example.com"
    message["To"] = to
    message["Subject"] = subject
    message.set_content("All systems nominal.\n")
    return message


async def test_plain_delivery_is_recorded():
    async with smtp_sink() as sink:
        await aiosmtplib.send(letter(), hostname=sink.host, port=sink.port)
        [mail] = await sink.wait_for_messages(1)
    assert mail.mail_from == "jarvis@example.com"
    assert mail.rcpt_tos == ["bob@example.com"]
    assert mail.message["Subject"] == "Status"
    assert mail.message.get_content() == "All systems nominal.\n"
    assert (mail.auth_user, mail.encrypted) == (None, False)


async def test_envelope_recipients_can_differ_from_headers():
    async with smtp_sink() as sink:
        await aiosmtplib.send(letter(), hostname=sink.host, port=sink.port,
                              sender="bounce@example.com",
                              recipients=["bob@example.com", "carol@example.com"])
        [mail] = await sink.wait_for_messages(1)
    assert mail.mail_from == "bounce@example.com"
    assert mail.rcpt_tos == ["bob@example.com", "carol@example.com"]


async def test_auth_is_required_and_checked():
    async with smtp_sink(username="jarvis", password="s3cret") as sink:
        with pytest.raises(aiosmtplib.SMTPAuthenticationError):
            await aiosmtplib.send(letter(), hostname=sink.host, port=sink.port,
                                  username="jarvis", password="wrong")
        with pytest.raises(aiosmtplib.SMTPResponseException) as refused:
            await aiosmtplib.send(letter(), hostname=sink.host, port=sink.port)
        assert refused.value.code == 530
        await aiosmtplib.send(letter(), hostname=sink.host, port=sink.port,
                              username="jarvis", password="s3cret")
        messages = await sink.wait_for_messages(1)
    assert [m.auth_user for m in messages] == ["jarvis"]


@pytest.mark.parametrize(("tls", "switch"), [("starttls", "start_tls"), ("implicit", "use_tls")])
async def test_tls_then_auth(tls, switch):
    async with smtp_sink(username="jarvis", password="s3cret", tls=tls) as sink:
        await aiosmtplib.send(letter(), hostname=sink.host, port=sink.port, **{switch: True},
                              tls_context=sink.client_tls_context(),
                              username="jarvis", password="s3cret")
        [mail] = await sink.wait_for_messages(1)
    assert (mail.auth_user, mail.encrypted) == ("jarvis", True)


async def test_starttls_refuses_a_password_in_the_clear():
    async with smtp_sink(username="jarvis", password="s3cret", tls="starttls") as sink:
        with pytest.raises(aiosmtplib.SMTPException):
            await aiosmtplib.send(letter(), hostname=sink.host, port=sink.port,
                                  start_tls=False, username="jarvis", password="s3cret")
        assert sink.messages == []


async def test_untrusted_certificate_is_rejected():
    async with smtp_sink(tls="implicit") as sink:
        with pytest.raises(aiosmtplib.SMTPConnectError):
            await aiosmtplib.send(letter(), hostname=sink.host, port=sink.port, use_tls=True,
                                  timeout=5)
        assert sink.messages == []


async def test_rejected_recipient_and_temporary_failure():
    async with smtp_sink() as sink:
        sink.reject_recipients.add("ghost@example.com")
        with pytest.raises(aiosmtplib.SMTPRecipientsRefused):
            await aiosmtplib.send(letter(to="ghost@example.com"), hostname=sink.host,
                                  port=sink.port)
        sink.fail_next()
        with pytest.raises(aiosmtplib.SMTPDataError) as failed:
            await aiosmtplib.send(letter(), hostname=sink.host, port=sink.port)
        assert failed.value.code == 451
        await aiosmtplib.send(letter(subject="Retry"), hostname=sink.host, port=sink.port)
        messages = await sink.wait_for_messages(1)
    assert [m.message["Subject"] for m in messages] == ["Retry"]


async def test_waiting_for_mail_that_never_comes_times_out():
    async with smtp_sink() as sink:
        with pytest.raises(TimeoutError, match="expected 1 messages, got 0"):
            await sink.wait_for_messages(1, timeout=0.05)
