"""The journal of back-office actions, written in the same transaction as the action itself."""
from __future__ import annotations

from sqlalchemy import select

from ...extensions import db
from ...labels import REFERENCES
from ...models import (
    ApiToken,
    AuditEntry,
    Comment,
    CommitteeMeeting,
    Lead,
    PartnerOrganisation,
    ReplyTemplate,
    Submission,
    Territory,
    Theme,
    User,
)

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


def record_changes(actor: User | None, action: str, target, before: dict,
                   after: dict) -> AuditEntry:
    """`record`, keeping only the fields that changed: an edit of a long fiche reads as what
    was changed, not as two copies of the fiche."""
    changed = [name for name in after if before.get(name) != after[name]]
    return record(actor, action, target, {name: before.get(name) for name in changed},
                  {name: after[name] for name in changed})


def _jsonable(values: dict) -> dict:
    return {key: value if value is None or isinstance(value, (str, int, float, bool, list))
            else str(value) for key, value in values.items()}


#: How the journal names a row of each table it points to.
NAMERS = {
    "submissions": (Submission, lambda row: row.title), "leads": (Lead, lambda row: row.title),
    "users": (User, lambda row: row.display_name), "territories": (Territory, lambda row: row.name),
    "themes": (Theme, lambda row: row.name), "comments": (Comment, lambda row: row.body[:80]),
    "partner_organisations": (PartnerOrganisation, lambda row: row.name),
    "committee_meetings": (CommitteeMeeting, lambda row: row.name),
    "reply_templates": (ReplyTemplate, lambda row: row.title),
    "api_tokens": (ApiToken, lambda row: row.name),
}


def names(entries: list[AuditEntry]) -> dict[tuple[str, int], str]:
    """The names of what these entries act on and point to, one query per table, so the journal
    reads "Laverie solidaire" rather than "submissions #192"."""
    wanted: dict[str, set[int]] = {}
    for entry in entries:
        wanted.setdefault(entry.target_type, set()).add(entry.target_id)
        for values in (entry.before or {}, entry.after or {}):
            for field, table in REFERENCES.items():
                value = values.get(field)
                ids = value if isinstance(value, list) else [value]
                wanted.setdefault(table, set()).update(i for i in ids if isinstance(i, int))
    found = {}
    for table, ids in wanted.items():
        if table in NAMERS and ids:
            model, name = NAMERS[table]
            for row in db.session.scalars(select(model).where(model.id.in_(ids))):
                found[(table, row.id)] = name(row)
    return found
