"""A real SMTP server on the loopback (aiosmtpd), catching what Django sends through its SMTP
backend: the e-mails go over a socket exactly as in production, and tests read them back."""

from __future__ import annotations

import email
import email.policy
import re
import socket
from dataclasses import dataclass, field
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from django.core.mail.utils import DNS_NAME


@dataclass
class Mailbox:
    """Every message the server received, parsed."""

    messages: list[EmailMessage] = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append(parsed)
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if address in m["To"]]

    @staticmethod
    def text(message: EmailMessage) -> str:
        return message.get_body(preferencelist=("plain",)).get_content()

    @staticmethod
    def html(message: EmailMessage) -> str:
        return message.get_body(preferencelist=("html",)).get_content()

    def link(self, message: EmailMessage) -> str:
        found = re.search(r"https?://\S+", self.text(message))
        assert found, self.text(message)
        return found.group(0)


@pytest.fixture
def smtp_mailbox(settings):
    """Django sends through SMTP to a server listening on 127.0.0.1 for this test."""
    # Django's SMTP backend names this machine (socket.getfqdn) at its first connection, which
    # can take seconds; done here, it does not fall into what a test measures.
    str(DNS_NAME)
    mailbox = Mailbox()
    # aiosmtpd checks the server answers on its port once started, so it needs a real one.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(mailbox, hostname="127.0.0.1", port=port, ready_timeout=5)
    controller.start()
    try:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = port
        settings.EMAIL_USE_TLS = False
        settings.EMAIL_HOST_USER = ""
        settings.EMAIL_HOST_PASSWORD = ""
        settings.SITE_URL = "https://tandem.test"
        yield mailbox
    finally:
        controller.stop()
