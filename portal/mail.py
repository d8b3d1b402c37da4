"""Outgoing mail: SMTP when configured, otherwise files in a local outbox a developer can open."""
from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

from flask import current_app, render_template

from .models import utcnow


def send_mail(to: str, subject: str, template: str, **context) -> EmailMessage:
    """Render `templates/mail/<template>.txt` and send it to one address."""
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["MAIL_DEFAULT_SENDER"]
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain="fabrique.local")
    message.set_content(render_template(f"mail/{template}.txt", **context))
    if config["MAIL_SERVER"]:
        _send_smtp(message)
    else:
        _write_outbox(message)
    return message


def _send_smtp(message: EmailMessage) -> None:
    config = current_app.config
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=15) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls(context=ssl.create_default_context())
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(message)


def _write_outbox(message: EmailMessage) -> None:
    outbox = Path(current_app.config["MAIL_OUTBOX_DIR"])
    outbox.mkdir(parents=True, exist_ok=True)
    stamp = utcnow().strftime("%Y%m%dT%H%M%S%f")
    path = outbox / f"{stamp}-{message['Message-ID'].strip('<>').split('@')[0]}.eml"
    path.write_bytes(bytes(message))
    current_app.logger.info("Mail to %s written to %s", message["To"], path)
