""""Mes données": everything the portal holds about a resident, as JSON and as a readable page.

The resident asks from their account; the worker builds both files (a job in the outbox) in a
folder of their own under the instance folder and mails a signed link that expires. The files
are served to their owner only, logged in.
"""
from __future__ import annotations

import base64
import hashlib
import json
import secrets
import shutil
from datetime import datetime, timedelta
from pathlib import Path

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ...extensions import db
from ...labels import export_sections
from ...models import (
    Comment,
    DataExport,
    Flag,
    Follow,
    Notification,
    Offer,
    Revision,
    Submission,
    User,
    Vote,
    utcnow,
)
from ..core import outbox
from ..core.errors import InvalidToken
from ..core.links import public_url
from ..core.tokens import make_token, read_token

EXPORT_JOB = "data_export"
DOWNLOAD = "data-export"
#: The two files of an export, by the format named in their address.
FILES = {"json": ("donnees.json", "application/json"), "html": ("donnees.html", "text/html")}
#: The readable file's only style, written in it so that it reads the same once downloaded: one
#: column of labels and values that wraps at any width, down to 320 px. No character in it is
#: escaped by Jinja, so its hash is that of the text in the page.
FILE_STYLE = ("body{font:1rem/1.5 system-ui,sans-serif;max-width:48rem;margin:0 auto;"
              "padding:0 1rem;overflow-wrap:anywhere}section{margin-top:2rem}"
              "dl{margin:0 0 1rem;padding-bottom:1rem;border-bottom:1px solid #bbb}"
              "dt{font-weight:bold}dd{margin:0 0 .5rem}.text{white-space:pre-line}"
              "ol{padding-left:1.25rem}ol dl{border:0;padding:0}")
_STYLE_HASH = base64.b64encode(hashlib.sha256(FILE_STYLE.encode()).digest()).decode()
#: The readable file lets in its own style and nothing else (no script, no image, no form).
FILE_POLICY = "; ".join([
    "default-src 'none'", f"style-src 'sha256-{_STYLE_HASH}'",
    "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'",
])


def request_export(user: User) -> DataExport:
    """Ask the worker for a new export; one transaction."""
    export = DataExport(user_id=user.id, folder=secrets.token_hex(16))
    db.session.add(export)
    db.session.flush()
    outbox.queue_job(EXPORT_JOB, {"export_id": export.id})
    db.session.commit()
    return export


def latest_export(user: User) -> DataExport | None:
    return db.session.scalar(select(DataExport).where(DataExport.user_id == user.id)
                             .order_by(DataExport.id.desc()).limit(1))


def _when(value: datetime | None) -> str | None:
    return value.isoformat() + "Z" if value else None


def collect(user: User) -> dict:
    """Every row that is about `user`, as plain values."""
    def rows(model, *where, order=None):
        return db.session.scalars(select(model).where(*where).order_by(order or model.id)).all()

    submissions = rows(Submission, Submission.author_id == user.id)
    titles = dict(db.session.execute(select(Submission.id, Submission.title)).all())
    return {
        "account": {
            "email": user.email, "display_name": user.display_name, "role": user.role,
            "home_commune": user.home_territory.name if user.home_territory else None,
            "language": user.locale, "notification_frequency": user.notification_frequency,
            "created_at": _when(user.created_at), "email_confirmed_at": _when(
                user.email_verified_at), "last_login_at": _when(user.last_login_at),
            "two_factor_authentication": user.has_two_factor,
            "blocked_at": _when(user.blocked_at),
        },
        "consents": {"privacy_notice_and_publication": _when(user.consent_at)},
        "contributions": [{
            "id": s.id, "kind": s.kind, "status": s.status, "title": s.title, "body": s.body,
            "territory": s.territory.name, "theme": s.theme.name,
            "target_public": s.target_public, "created_at": _when(s.created_at),
            "published_at": _when(s.published_at), "public_answer": s.public_answer,
            "revisions": [{"title": r.title, "body": r.body, "replaced_at": _when(r.created_at)}
                          for r in rows(Revision, Revision.submission_id == s.id)],
        } for s in submissions],
        "comments": [{
            "contribution": titles.get(c.submission_id), "body": c.body,
            "created_at": _when(c.created_at), "edited_at": _when(c.edited_at),
            "deleted_at": _when(c.deleted_at),
        } for c in rows(Comment, Comment.author_id == user.id)],
        "supports": [{"contribution": titles.get(v.submission_id), "at": _when(v.created_at)}
                     for v in rows(Vote, Vote.user_id == user.id)],
        "follows": [{"contribution": titles.get(f.submission_id), "since": _when(f.created_at)}
                    for f in rows(Follow, Follow.user_id == user.id)],
        "offers": [{
            "kind": o.kind, "message": o.message, "status": o.status,
            "contribution": titles.get(o.submission_id), "contact_consent": o.contact_consent,
            "created_at": _when(o.created_at),
        } for o in rows(Offer, Offer.user_id == user.id)],
        "reports": [{"reason": f.reason, "details": f.details, "at": _when(f.created_at)}
                    for f in rows(Flag, Flag.user_id == user.id)],
        "notifications": [{
            "event": n.event, "contribution": titles.get(n.submission_id),
            "created_at": _when(n.created_at), "read_at": _when(n.read_at),
        } for n in rows(Notification, Notification.user_id == user.id)],
    }


def _folder(export: DataExport) -> Path:
    return Path(current_app.config["DATA_EXPORT_DIR"]) / export.folder


def build_export(payload: dict) -> None:
    """The worker's job: write both files, then mail the link. Does not commit (the outbox
    records the job as done in the same transaction)."""
    export = db.session.get(DataExport, payload["export_id"])
    if export is None:  # the account was deleted meanwhile
        return
    user = db.session.get(User, export.user_id)
    data = collect(user)
    folder = _folder(export)
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o700)
    (folder / FILES["json"][0]).write_text(json.dumps(data, ensure_ascii=False, indent=2),
                                           encoding="utf-8")
    with force_locale(user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        page = render_template("accounts/my_data_file.html", sections=export_sections(data),
                               user=user, style=FILE_STYLE, made_at=utcnow())
    (folder / FILES["html"][0]).write_text(page, encoding="utf-8")
    export.ready_at = utcnow()
    token = make_token(DOWNLOAD, {"export": export.id, "uid": user.id})
    outbox.queue_mail(user.email, _l("Your data is ready"), "data_export_ready",
                      locale=user.locale, user=user,
                      link=public_url("own_data.my_data_download", token=token))


def _gone() -> InvalidToken:
    return InvalidToken(_("This link is not yours, or no longer leads to a file. Ask for a new "
                          "copy of your data from your account."))


def export_file(user: User, token: str, fmt: str) -> tuple[Path, str]:
    """The path and type of one file of an export, for its owner only, while the link lasts."""
    data = read_token(DOWNLOAD, token, current_app.config["DATA_EXPORT_MAX_AGE"])
    export = db.session.get(DataExport, data.get("export"))
    if (export is None or export.user_id != user.id or data.get("uid") != user.id
            or export.ready_at is None or fmt not in FILES):
        raise _gone()
    name, mimetype = FILES[fmt]
    path = _folder(export) / name
    if not path.exists():
        raise _gone()
    return path, mimetype


def _remove(exports) -> int:
    count = 0
    for export in exports:
        shutil.rmtree(_folder(export), ignore_errors=True)
        db.session.delete(export)
        count += 1
    return count


def remove_exports(user: User) -> None:
    """Delete the files of every export of `user` (their account goes). Does not commit."""
    _remove(db.session.scalars(select(DataExport).where(DataExport.user_id == user.id)))


def remove_expired_exports() -> int:
    """The worker's sweep: a copy whose link no longer works is not kept; one transaction."""
    cutoff = utcnow() - timedelta(seconds=current_app.config["DATA_EXPORT_MAX_AGE"])
    count = _remove(db.session.scalars(select(DataExport).where(
        DataExport.requested_at < cutoff)).all())
    db.session.commit()
    return count
