"""The mail transport the worker uses: SMTP when configured, otherwise `.eml` files in a local
outbox folder a developer can open. Use cases never send mail: they queue it
(services/core/outbox)."""
from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import urlsplit

from flask import current_app

from .models import OutboxMessage, utcnow

#: Seconds the SMTP client may wait on the server for any one step.
SMTP_TIMEOUT = 15


def build_message(message: OutboxMessage) -> EmailMessage:
    """The mail as it leaves; its Message-ID comes from the outbox row, so a resend after a crash
    carries the same id and the receiving side can drop the repeat."""
    config = current_app.config
    mail = EmailMessage()
    mail["From"] = config["MAIL_DEFAULT_SENDER"]
    mail["To"] = message.recipient
    mail["Subject"] = message.subject
    domain = urlsplit(config["PUBLIC_URL"]).hostname or "localhost"
    mail["Message-ID"] = f"<{message.idempotency_key}@{domain}>"
    for name, value in (message.headers or {}).items():
        mail[name] = value
    mail.set_content(message.body)
    for attachment in (message.payload or {}).get("attachments", []):
        # Sent as UTF-8 bytes in base64, so the file arrives exactly as made (a calendar file's
        # CRLF line ends included).
        maintype, subtype = attachment["content_type"].split("/", 1)
        mail.add_attachment(attachment["content"].encode(), maintype=maintype, subtype=subtype,
                            filename=attachment["filename"], params={"charset": "utf-8"})
    return mail


def send_message(message: OutboxMessage) -> None:
    """Send one queued mail; raises on failure, which the worker records as a failed attempt."""
    mail = build_message(message)
    if current_app.config["MAIL_SERVER"]:
        _send_smtp(mail)
    else:
        _write_file(mail)


def _send_smtp(mail: EmailMessage) -> None:
    config = current_app.config
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=SMTP_TIMEOUT) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls(context=ssl.create_default_context())
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(mail)


def _write_file(mail: EmailMessage) -> None:
    folder = Path(current_app.config["MAIL_OUTBOX_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    stamp = utcnow().strftime("%Y%m%dT%H%M%S%f")
    path = folder / f"{stamp}-{mail['Message-ID'].strip('<>').split('@')[0]}.eml"
    path.write_bytes(bytes(mail))
    current_app.logger.info("Mail to %s written to %s", mail["To"], path)
