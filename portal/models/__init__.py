"""Every model, importable from one place so Alembic and the app see the whole schema."""
from .audit import AuditEntry
from .base import utcnow
from .comments import Comment
from .figures import SiteFigures
from .leads import (
    ALL_STAGES,
    MAIN_STAGES,
    PUBLIC_SECTIONS,
    Decision,
    Lead,
    LeadMember,
    LeadOrigin,
    LeadPartner,
    LeadStage,
    LeadSubmission,
    PartnerKind,
    PartnerRole,
    StageChange,
    StageTarget,
)
from .moderation import (
    Flag,
    FlagReason,
    MergeRecord,
    ReplyTemplate,
    Revision,
    Tag,
    submission_tags,
)
from .notifications import Follow, Notification, NotificationFrequency
from .offers import Offer, OfferKind, OfferStatus
from .outbox import MessageKind, MessageState, OutboxMessage
from .partners import ApiToken, OrganisationKind, PartnerOrganisation, Scope
from .questionnaires import QuestionReason, StillANeedAnswer, StillANeedQuestion
from .submissions import (
    OPEN_STATUSES,
    VISIBLE_STATUSES,
    Answer,
    AuthorOffer,
    InternalNote,
    Submission,
    SubmissionKind,
    SubmissionSource,
    SubmissionStatus,
)
from .territories import Territory, TerritoryLevel
from .themes import Theme
from .users import STAFF_ROLES, DataExport, RecoveryCode, Role, User, UserSession
from .votes import DailySupport, Vote
from .workshops import AgendaItem, Attendance, CommitteeMeeting, Workshop, WorkshopInvitation

__all__ = [
    # Leads, offers, workshops, committees.
    "ALL_STAGES",
    "MAIN_STAGES",
    "OPEN_STATUSES",
    "PUBLIC_SECTIONS",
    "STAFF_ROLES",
    "VISIBLE_STATUSES",
    "AgendaItem",
    "Answer",
    "ApiToken",
    "Attendance",
    "AuditEntry",
    "AuthorOffer",
    "Comment",
    "CommitteeMeeting",
    "DailySupport",
    "DataExport",
    "Decision",
    "Flag",
    "FlagReason",
    "Follow",
    "InternalNote",
    "Lead",
    "LeadMember",
    "LeadOrigin",
    "LeadPartner",
    "LeadStage",
    "LeadSubmission",
    "MergeRecord",
    "MessageKind",
    "MessageState",
    "Notification",
    "NotificationFrequency",
    "Offer",
    "OfferKind",
    "OfferStatus",
    "OrganisationKind",
    "OutboxMessage",
    "PartnerKind",
    "PartnerOrganisation",
    "PartnerRole",
    "QuestionReason",
    "RecoveryCode",
    "ReplyTemplate",
    "Revision",
    "Role",
    "Scope",
    "SiteFigures",
    "StageChange",
    "StageTarget",
    "StillANeedAnswer",
    "StillANeedQuestion",
    "Submission",
    "SubmissionKind",
    "SubmissionSource",
    "SubmissionStatus",
    "Tag",
    "Territory",
    "TerritoryLevel",
    "Theme",
    "User",
    "UserSession",
    "Vote",
    "Workshop",
    "WorkshopInvitation",
    "submission_tags",
    "utcnow",
]
