"""Internal notes on a contribution (Decidim's private notes): what the team tells itself.

Kept with their author and date, read on the review screen only: no public page, API, open data,
feed nor the resident's own data reads this table."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from ... import policies
from ...extensions import db
from ...models import InternalNote, Submission, User
from ..core import audit
from ..core.errors import NotAllowed, Problems, check_length
from .rules import INTERNAL_NOTE_LENGTH


def add_note(submission: Submission, author: User, body: str) -> InternalNote:
    if not policies.can_keep_internal_notes(author):
        raise NotAllowed(_("Only the Fabrique's team reads and writes internal notes."))
    problems = Problems()
    if not (body or "").strip():
        problems.add("note", _("Write the note."))
    body = check_length(problems, "note", body, INTERNAL_NOTE_LENGTH, required=False)
    problems.raise_if_any()
    note = InternalNote(submission_id=submission.id, author_id=author.id, body=body)
    db.session.add(note)
    db.session.flush()
    # The journal says a note was written, not what it says: the note stays where it is kept.
    audit.record(author, "internal_note_add", submission, {}, {"note_id": note.id})
    db.session.commit()
    return note


def notes_of(submission: Submission) -> list[InternalNote]:
    """The notes on a contribution, the newest first."""
    return list(db.session.scalars(
        select(InternalNote).where(InternalNote.submission_id == submission.id)
        .options(db.joinedload(InternalNote.author)).order_by(InternalNote.id.desc())))
