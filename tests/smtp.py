"""A real SMTP server on 127.0.0.1 (aiosmtpd), for tests that need one to be down, then up."""
from __future__ import annotations

import asyncio
import socket
import threading
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller


def free_port() -> int:
    """A port nothing listens on (yet): the mail server is "down" until started there."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Recorder:
    def __init__(self, delay: float = 0.0):
        self.delay = delay
        self.lock = threading.Lock()
        self.received: list[EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        with self.lock:
            self.received.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted"

    def message_ids(self) -> list[str]:
        with self.lock:
            return [message["Message-ID"] for message in self.received]


class MailServer:
    def __init__(self, port: int, delay: float = 0.0):
        self.port = port
        self.recorder = Recorder(delay)
        self.controller = Controller(self.recorder, hostname="127.0.0.1", port=port)

    def __enter__(self) -> Recorder:
        self.controller.start()
        return self.recorder

    def __exit__(self, *exc) -> None:
        self.controller.stop()
