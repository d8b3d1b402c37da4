"""Refusals of internal notes."""
from __future__ import annotations

import pytest

from portal.models import InternalNote
from portal.services.core.errors import InvalidInput, NotAllowed
from portal.services.submissions import notes


def test_only_the_team_writes_notes(ctx, make):
    need = ctx.get(make.submission())
    for role in ("resident", "committee", "partner"):
        with pytest.raises(NotAllowed) as refused:
            notes.add_note(need, ctx.get(make.user(role=role)), "Une note")
        assert refused.value.message == "Only the Fabrique's team reads and writes internal notes."


def test_a_note_is_written_and_not_too_long(ctx, make):
    need = ctx.get(make.submission())
    moderator = ctx.get(make.user(role="moderator"))
    with pytest.raises(InvalidInput) as refused:
        notes.add_note(need, moderator, " ")
    assert refused.value.errors == {"note": ["Write the note."]}
    with pytest.raises(InvalidInput) as refused:
        notes.add_note(need, moderator, "x" * 5001)
    assert refused.value.errors == {"note": ["Write at most 5000 characters."]}
    note = notes.add_note(need, moderator, "Rappeler l'autrice")
    assert [n.id for n in notes.notes_of(need)] == [note.id]
    assert isinstance(note, InternalNote) and note.author_id == moderator.id
