"""A real SMTP server on the loopback (aiosmtpd) that keeps what it receives, parsed."""

from __future__ import annotations

import asyncio
import email
import email.policy
import socket
import time
from email.message import EmailMessage

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _Keep:
    def __init__(self, sink: SmtpSink):
        self.sink = sink

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        # A slow server before it has the message: a client that dies now sent nothing.
        self.sink.recipients_seen += 1
        if self.sink.rcpt_delay:
            await asyncio.sleep(self.sink.rcpt_delay)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.sink.arrivals.append(time.time())
        self.sink.messages.append(message)
        # A slow server after it took the message: a client that dies now never hears "250"
        # (the at-least-once window of docs/NOTIFICATIONS.md).
        if self.sink.reply_delay:
            await asyncio.sleep(self.sink.reply_delay)
        return "250 OK"


class SmtpSink:
    """`with SmtpSink() as sink:` — an SMTP server on 127.0.0.1:`sink.port`; `sink.messages`
    are the e-mails received, as email.message.EmailMessage."""

    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.messages: list[EmailMessage] = []
        self.arrivals: list[float] = []  # time.time() of each message's arrival
        # Slowness on demand (seconds): before answering RCPT TO, and after receiving DATA.
        self.rcpt_delay = 0.0
        self.reply_delay = 0.0
        self.recipients_seen = 0
        # A fixed greeting name: by default every connection looks the host name up (slow).
        self.controller = Controller(
            _Keep(self), hostname="127.0.0.1", port=self.port, server_hostname="sink.localhost"
        )

    def start(self) -> SmtpSink:
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()

    def to(self, address: str) -> list[EmailMessage]:
        return [message for message in self.messages if message["To"] == address]

    def message_ids(self, address: str) -> list[str]:
        return [message["Message-ID"] for message in self.to(address)]

    def __enter__(self) -> SmtpSink:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def text_of(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def html_of(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("html",)).get_content()
