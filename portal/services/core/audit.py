"""The journal of back-office actions, written in the same transaction as the action itself."""
from __future__ import annotations

from ...extensions import db
from ...models import AuditEntry, Submission, User

#: The fields of a submission the journal keeps before and after a change.
SUBMISSION_FIELDS = ("status", "title", "body", "territory_id", "theme_id", "public_answer",
                     "merged_into_id")


def snapshot(target, fields: tuple[str, ...] | None = None) -> dict:
    if fields is None:
        fields = SUBMISSION_FIELDS if isinstance(target, Submission) else ()
    return {name: getattr(target, name) for name in fields}


def record(actor: User | None, action: str, target, before: dict | None = None,
           after: dict | None = None) -> AuditEntry:
    """Add an entry; the caller's service commits it with the change it describes."""
    entry = AuditEntry(actor_id=actor.id if actor is not None else None, action=action,
                       target_type=target.__tablename__, target_id=target.id,
                       before=_jsonable(before or {}), after=_jsonable(after or {}))
    db.session.add(entry)
    return entry


def _jsonable(values: dict) -> dict:
    return {key: value if value is None or isinstance(value, (str, int, float, bool, list))
            else str(value) for key, value in values.items()}
