"""The one place where the codes the back-office stores become words: journal actions, what they
act on, the fields they change and the values of those fields, roles and flag reasons. Pages and
mails show these labels, never the codes (a test crawls the back-office to hold it)."""
from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from .models import AuditEntry, FlagReason, Role, SubmissionSource

ROLE_LABELS = {Role.RESIDENT: _l("Resident"), Role.MODERATOR: _l("Moderator"),
               Role.PARTNER: _l("Partner"), Role.ADMIN: _l("Administrator"),
               Role.COMMITTEE: _l("Committee member")}
SOURCE_LABELS = {SubmissionSource.RESIDENT: _l("Resident"), SubmissionSource.RELAY: _l("Relay"),
                 SubmissionSource.PARTNER: _l("Partner")}
FLAG_REASON_LABELS = {
    FlagReason.SPAM: _l("Spam or advertising"), FlagReason.INSULT: _l("Insult or harassment"),
    FlagReason.PERSONAL_DATA: _l("Personal data"), FlagReason.OFF_TOPIC: _l("Off topic"),
    FlagReason.OTHER: _l("Other"),
}

#: Every action the journal records (the code a service passes to `audit.record`).
ACTION_LABELS = {
    "publish": _l("Contribution published"),
    "decline": _l("Contribution declined"),
    "edit": _l("Contribution corrected"),
    "request_details": _l("Details asked of the author"),
    "answer": _l("Public answer given"),
    "tag": _l("Tags added"),
    "merge": _l("Contributions merged"),
    "merge_undo": _l("Merge undone"),
    "auto_hide": _l("Hidden after several reports"),
    "hide": _l("Kept hidden"),
    "restore": _l("Shown again"),
    "comment_delete": _l("Comment deleted by a moderator"),
    "block": _l("Account blocked"),
    "unblock": _l("Account unblocked"),
    "role_change": _l("Role changed"),
    "template": _l("Reply template saved"),
    "lead_convert": _l("Project lead created from contributions"),
    "lead_attach": _l("Contributions attached to a lead"),
    "lead_detach": _l("Contribution detached from its lead"),
    "lead_delete": _l("Lead deleted (made by mistake)"),
    "lead_fiche": _l("Lead fiche edited"),
    "lead_partner_add": _l("Partner added to a lead"),
    "lead_partner_remove": _l("Partner removed from a lead"),
    "lead_move": _l("Lead moved to another stage"),
    "lead_enterprise": _l("Enterprise recorded"),
    "lead_agenda": _l("Lead put on a committee's agenda"),
    "meeting_create": _l("Committee meeting planned"),
    "committee_decision": _l("Committee decision recorded"),
    "workshop_add": _l("Workshop added"),
    "workshop_outcome": _l("Workshop report saved"),
    "workshop_invite": _l("Residents invited to a workshop"),
    "offer_status": _l("Offer status changed"),
    "offer_contact": _l("Resident contacted about an offer"),
    "organisation_create": _l("Partner organisation created"),
    "webhook_change": _l("Webhook address changed"),
    "token_create": _l("API token created"),
    "token_revoke": _l("API token revoked"),
    "outbox_retry": _l("Sending retried"),
    "submission_assign": _l("Person in charge of a contribution changed"),
    "lead_assign": _l("Person in charge of a lead changed"),
    "internal_note_add": _l("Internal note added"),
    "stage_target_set": _l("Stage targets changed"),
    "workshop_event_change": _l("Workshop date, time or place changed"),
    "register_resident": _l("Resident signed up by a partner"),
    "trust": _l("Author trusted: skips pre-moderation"),
    "two_factor_on": _l("Two-factor authentication turned on"),
    "two_factor_off": _l("Two-factor authentication turned off"),
    "webhook_secret_rotate": _l("Webhook secret renewed"),
    "webhook_test": _l("Test event sent"),
    "account_deleted": _l("Account deleted by its owner"),
    "account_purged": _l("Unconfirmed account deleted"),
}

#: What an entry acts on (its `target_type`, a table name).
TARGET_LABELS = {
    "submissions": _l("Contribution"), "comments": _l("Comment"), "users": _l("Account"),
    "reply_templates": _l("Reply template"), "leads": _l("Project lead"),
    "committee_meetings": _l("Committee meeting"),
    "partner_organisations": _l("Partner organisation"), "api_tokens": _l("API token"),
    "outbox_messages": _l("Message to send"),
    "workshops": _l("Workshop"), "offers": _l("Offer"), "internal_notes": _l("Internal note"),
    "stage_targets": _l("Stage targets"),
}

#: The fields an entry's before and after may hold.
FIELD_LABELS = {
    "status": _l("Status"), "title": _l("Title"), "body": _l("Text"),
    "territory_id": _l("Territory"), "theme_id": _l("Theme"), "public_answer": _l("Public answer"),
    "merged_into_id": _l("Merged into"), "tags": _l("Tags"), "message": _l("Message"),
    "blocked": _l("Blocked"), "hidden_items": _l("Items hidden"),
    "hidden_submissions": _l("Contributions hidden"), "hidden_comments": _l("Comments hidden"),
    "restored_items": _l("Items shown again"), "hidden": _l("Hidden"),
    "flag_count": _l("Reports"), "role": _l("Role"), "organisation": _l("Organisation"),
    "scopes": _l("Rights"), "revoked": _l("Revoked"), "state": _l("State"),
    "attempts": _l("Attempts"), "next_attempt_at": _l("Next attempt"), "name": _l("Name"),
    "kind": _l("Kind"), "webhook_url": _l("Webhook address"), "lead": _l("Project lead"),
    "submissions": _l("Contributions"), "reason": _l("Reason"), "summary": _l("Summary"),
    "need": _l("The need"), "target_public": _l("For whom"),
    "existing_offers": _l("What already exists nearby"),
    "economic_model": _l("Economic model hypotheses"), "carrier_profile": _l("Carrier sought"),
    "budget": _l("Budget and funding leads"), "notes": _l("Internal notes"),
    "origin": _l("Origin"), "owner_id": _l("Person in charge"), "is_public": _l("Public"),
    "public_sections": _l("Public sections"), "partner": _l("Partner"),
    "partner_kind": _l("Kind of partner"), "partner_role": _l("Role of the partner"),
    "stage": _l("Stage"), "note": _l("Decision note"), "committee": _l("Committee"),
    "decision": _l("Decision"), "enterprise": _l("Enterprise"), "legal_form": _l("Legal form"),
    "created_on": _l("Date of creation"), "meeting": _l("Committee meeting"),
    "held_on": _l("Date"), "place": _l("Place"), "participant_count": _l("Participants"),
    "organisations": _l("Organisations present"), "outcome": _l("Outcome"),
    "invited": _l("Residents invited"), "offer_status": _l("Offer status"),
    "carrier": _l("Carrier"), "resident": _l("Resident"),
    "assignee_id": _l("Person in charge"), "trusted": _l("Trusted"),
    "new_secret": _l("New secret"), "starts_at": _l("Time"),
    "contributions_withdrawn": _l("Contributions withdrawn"),
}

#: Fields whose values are ids, and the table they point to.
REFERENCES = {
    "territory_id": "territories", "theme_id": "themes", "owner_id": "users",
    "assignee_id": "users",
    "merged_into_id": "submissions", "lead": "leads", "submissions": "submissions",
    "organisation": "partner_organisations", "hidden_submissions": "submissions",
    "hidden_comments": "comments",
}

#: Where a target of each kind is worked on: (endpoint, its id parameter).
TARGET_PAGES = {
    "submissions": ("moderation.review", "submission_id"),
    "leads": ("leads.detail", "lead_id"),
    "committee_meetings": ("committee.meeting", "meeting_id"),
    "partner_organisations": ("admin.organisation", "organisation_id"),
    "reply_templates": ("moderation.templates", "template_id"),
}
#: The longest piece of a text the journal shows before cutting it.
TEXT_EXCERPT = 200


def value_labels() -> dict[str, Mapping]:
    """The labels of coded values, by field; read where they are defined, not copied."""
    from .admin.forms import KIND_LABELS as ORGANISATION_KIND_LABELS
    from .admin.forms import MESSAGE_STATE_LABELS
    from .leads.forms import (
        DECISION_LABELS,
        OFFER_STATUS_LABELS,
        ORIGIN_LABELS,
        PARTNER_KIND_LABELS,
        PARTNER_ROLE_LABELS,
        SECTION_LABELS,
    )
    from .services.leads.stages import STAGE_LABELS
    from .services.partners.tokens import SCOPE_LABELS
    from .submissions.forms import STATUS_LABELS

    return {"status": STATUS_LABELS, "role": ROLE_LABELS, "stage": STAGE_LABELS,
            "decision": DECISION_LABELS, "scopes": SCOPE_LABELS, "state": MESSAGE_STATE_LABELS,
            "kind": ORGANISATION_KIND_LABELS, "origin": ORIGIN_LABELS,
            "partner_kind": PARTNER_KIND_LABELS, "partner_role": PARTNER_ROLE_LABELS,
            "offer_status": OFFER_STATUS_LABELS, "public_sections": SECTION_LABELS}


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, _l("Other action")))


def target_label(target_type: str) -> str:
    return str(TARGET_LABELS.get(target_type, _l("Other")))


def show_value(field: str, value, names: Mapping[tuple[str, int], str]) -> str:
    """One stored value in words: a label for a code, a name for an id, a date, an excerpt."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, list):
        return ", ".join(show_value(field, item, names) for item in value)
    if field in REFERENCES and isinstance(value, int):
        return names.get((REFERENCES[field], value), f"#{value}")
    labels = value_labels().get(field)
    if labels is not None:
        return str(labels.get(value, value))
    text = str(value)
    return text if len(text) <= TEXT_EXCERPT else text[:TEXT_EXCERPT].rstrip() + "…"


def changes(entry: AuditEntry, names: Mapping[tuple[str, int], str]
            ) -> list[tuple[str, str, str]]:
    """(field, before, after) in words, for every field the entry holds."""
    before, after = entry.before or {}, entry.after or {}
    fields = list(dict.fromkeys([*before, *after]))
    def shown(values: dict, name: str) -> str:
        return show_value(name, values[name], names) if values.get(name) not in (
            None, "", []) else ""

    return [(str(FIELD_LABELS.get(name, _l("Other detail"))), shown(before, name),
             shown(after, name) or ("—" if before.get(name) not in (None, "", []) else ""))
            for name in fields]


#: "Mes données": the sections of a resident's copy of their data, in words.
EXPORT_SECTION_LABELS = {
    "account": _l("Account"), "consents": _l("Consents"), "contributions": _l("Contributions"),
    "comments": _l("Comments"), "supports": _l("Supports"), "follows": _l("Follows"),
    "offers": _l("Offers to carry or help"), "reports": _l("Reports"),
    "notifications": _l("Notifications"),
}
#: The fields of that copy, by name; "section.field" when a section needs its own words.
EXPORT_FIELD_LABELS = {
    "email": _l("E-mail address"), "display_name": _l("Display name"), "role": _l("Role"),
    "home_commune": _l("Home commune"), "language": _l("Language"),
    "notification_frequency": _l("E-mails about what I follow"),
    "account.created_at": _l("Account created on"),
    "email_confirmed_at": _l("E-mail address confirmed on"),
    "last_login_at": _l("Last logged in on"),
    "two_factor_authentication": _l("Two-factor authentication"),
    "blocked_at": _l("Account blocked on"),
    "privacy_notice_and_publication": _l("Privacy notice and publication of my contributions "
                                         "accepted on"),
    "id": _l("Contribution number"), "kind": _l("Kind"), "status": _l("Status"),
    "title": _l("Title"), "body": _l("Text"), "territory": _l("Territory"), "theme": _l("Theme"),
    "target_public": _l("For whom"), "created_at": _l("Date"),
    "published_at": _l("Published on"), "public_answer": _l("Public answer"),
    "revisions": _l("Earlier versions"), "replaced_at": _l("Replaced on"),
    "contribution": _l("Contribution"), "edited_at": _l("Edited on"),
    "deleted_at": _l("Deleted on"), "supports.at": _l("Supported on"),
    "follows.since": _l("Followed since"), "message": _l("Message"),
    "contact_consent": _l("My e-mail address shared with the Fabrique"),
    "reason": _l("Reason"), "details": _l("Details"), "reports.at": _l("Reported on"),
    "event": _l("What happened"), "read_at": _l("Read on"),
}
#: What a notification of each event was about, in a few words.
NOTIFICATION_EVENT_LABELS = {
    "published": _l("Published"), "declined": _l("Not retained"), "answered": _l("Answered"),
    "status_changed": _l("New status"), "merged": _l("Merged into another contribution"),
    "merged_here": _l("Another contribution was merged into it"),
    "merge_undone": _l("No longer merged"), "details_requested": _l("Details requested"),
    "hidden": _l("Hidden after reports"),
    "comment_hidden": _l("My comment was hidden after reports"),
    "in_project": _l("Became part of a project lead"),
    "left_lead": _l("No longer part of a project lead"),
    "lead_stage": _l("The lead changed stage"),
    "workshop_invitation": _l("Invitation to a workshop"),
}
#: The languages a person may choose, each written in itself.
LANGUAGE_NAMES = {"fr": "Français", "en": "English"}
#: The fields of the copy that hold a date and time (ISO 8601, in UTC).
EXPORT_MOMENTS = {"created_at", "email_confirmed_at", "last_login_at", "blocked_at",
                  "privacy_notice_and_publication", "published_at", "replaced_at", "edited_at",
                  "deleted_at", "at", "since", "read_at"}


def export_value_labels() -> dict[str, Mapping]:
    """The labels of the coded values of the copy, by "section.field"."""
    from .leads.forms import OFFER_STATUS_LABELS
    from .notifications.forms import FREQUENCY_LABELS
    from .projects.forms import OFFER_KIND_LABELS
    from .submissions.forms import KIND_LABELS, STATUS_LABELS

    return {"account.role": ROLE_LABELS, "account.language": LANGUAGE_NAMES,
            "account.notification_frequency": FREQUENCY_LABELS,
            "contributions.kind": KIND_LABELS, "contributions.status": STATUS_LABELS,
            "offers.kind": OFFER_KIND_LABELS, "offers.status": OFFER_STATUS_LABELS,
            "reports.reason": FLAG_REASON_LABELS,
            "notifications.event": NOTIFICATION_EVENT_LABELS}


def export_field_label(section: str, field: str) -> str:
    return str(EXPORT_FIELD_LABELS.get(f"{section}.{field}")
               or EXPORT_FIELD_LABELS.get(field, _l("Other detail")))


def export_sections(data: Mapping) -> list[tuple[str, list[list[tuple[str, str, object]]]]]:
    """A copy of a resident's data (`services.accounts.my_data.collect`) as a page shows it:
    (section, its rows), each row a list of (label, how, value). `how` says how to write the
    value: "when" a date and time, "number", "rows" the rows of a nested list, "text" words
    (a code already turned into its label, yes or no)."""
    codes = export_value_labels()

    def row(section: str, values: Mapping) -> list[tuple[str, str, object]]:
        shown = []
        for field, value in values.items():
            labels = codes.get(f"{section}.{field}")
            if value is None or value == "" or value == []:
                how, value = "text", None
            elif isinstance(value, bool):
                how, value = "text", _("Yes") if value else _("No")
            elif isinstance(value, list):
                how, value = "rows", [row(field, item) for item in value]
            elif field in EXPORT_MOMENTS:
                how, value = "when", datetime.fromisoformat(str(value).removesuffix("Z"))
            elif labels is not None:
                how, value = "text", str(labels.get(value, _l("Other")))
            elif isinstance(value, int):
                how = "number"
            else:
                how = "text"
            shown.append((export_field_label(section, field), how, value))
        return shown

    sections = []
    for section, content in data.items():
        rows = content if isinstance(content, list) else [content]
        sections.append((str(EXPORT_SECTION_LABELS.get(section, _l("Other"))),
                         [row(section, values) for values in rows]))
    return sections
