"""Pistes de projet: the qualified opportunities made from residents' submissions."""
from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import utcnow
from .submissions import Submission
from .territories import Territory
from .themes import Theme
from .users import User


class LeadStage(StrEnum):
    DETECTED = "detected"
    OPPORTUNITY = "opportunity"
    CARRIER_SEARCH = "carrier_search"
    FEASIBILITY = "feasibility"
    LAUNCH = "launch"
    CREATED = "created"
    PAUSED = "paused"
    ABANDONED = "abandoned"


#: The main line of the "inverted" creation process, in order.
MAIN_STAGES = (LeadStage.DETECTED, LeadStage.OPPORTUNITY, LeadStage.CARRIER_SEARCH,
               LeadStage.FEASIBILITY, LeadStage.LAUNCH, LeadStage.CREATED)
ALL_STAGES = (*MAIN_STAGES, LeadStage.PAUSED, LeadStage.ABANDONED)


class LeadOrigin(StrEnum):
    RESIDENTS = "residents"
    RELAY = "relay"
    COLLECTIVITY = "collectivity"
    PARTNER = "partner"
    REPLICATION = "replication"


#: Sections of the fiche a lead may choose to show on its public page. Title, summary, stage,
#: territory, theme and source submissions are public whenever the lead is; notes never are.
PUBLIC_SECTIONS = ("need", "existing", "model", "partners", "carrier_profile", "budget",
                   "workshops", "decisions", "outcome")


class Lead(db.Model):
    __tablename__ = "leads"
    __table_args__ = (Index("ix_leads_stage_updated_at", "stage", "updated_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(160))
    summary: Mapped[str] = mapped_column(Text, default="")
    stage: Mapped[str] = mapped_column(String(20), default=LeadStage.DETECTED, index=True)
    origin: Mapped[str] = mapped_column(String(20), default=LeadOrigin.RESIDENTS)
    territory_id: Mapped[int] = mapped_column(ForeignKey("territories.id"), index=True)
    theme_id: Mapped[int] = mapped_column(ForeignKey("themes.id"), index=True)
    # The fiche opportunité.
    need: Mapped[str] = mapped_column(Text, default="")
    target_public: Mapped[str] = mapped_column(String(160), default="")
    existing_offers: Mapped[str] = mapped_column(Text, default="")
    economic_model: Mapped[str] = mapped_column(Text, default="")
    carrier_profile: Mapped[str] = mapped_column(Text, default="")
    budget: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    # What is public.
    is_public: Mapped[bool] = mapped_column(default=False)
    public_sections: Mapped[list] = mapped_column(JSON, default=list)
    # People.
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    carrier_name: Mapped[str] = mapped_column(String(160), default="")
    # The outcome.
    enterprise_name: Mapped[str] = mapped_column(String(160), default="")
    enterprise_legal_form: Mapped[str] = mapped_column(String(80), default="")
    enterprise_created_on: Mapped[date | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    stage_changed_at: Mapped[datetime] = mapped_column(default=utcnow)

    territory: Mapped[Territory] = relationship()
    theme: Mapped[Theme] = relationship()
    owner: Mapped[User | None] = relationship(foreign_keys=[owner_id])
    members: Mapped[list[LeadMember]] = relationship(back_populates="lead",
                                                     cascade="all, delete-orphan")
    partners: Mapped[list[LeadPartner]] = relationship(back_populates="lead",
                                                       cascade="all, delete-orphan",
                                                       order_by="LeadPartner.id")
    history: Mapped[list[StageChange]] = relationship(back_populates="lead",
                                                      cascade="all, delete-orphan",
                                                      order_by="StageChange.id")
    links: Mapped[list[LeadSubmission]] = relationship(back_populates="lead",
                                                       cascade="all, delete-orphan",
                                                       order_by="LeadSubmission.id")

    @property
    def submissions(self) -> list[Submission]:
        return [link.submission for link in self.links]

    def shows(self, section: str) -> bool:
        """Whether the public page shows this section of the fiche."""
        return self.is_public and section in (self.public_sections or [])

    def __repr__(self) -> str:
        return f"<Lead {self.id} {self.stage}>"


class LeadSubmission(db.Model):
    """A submission belongs to at most one lead."""

    __tablename__ = "lead_submissions"

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id"), index=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), unique=True)
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    added_at: Mapped[datetime] = mapped_column(default=utcnow)

    lead: Mapped[Lead] = relationship(back_populates="links")
    submission: Mapped[Submission] = relationship()


class LeadMember(db.Model):
    """Team members assigned to a lead besides the moderator in charge."""

    __tablename__ = "lead_members"
    __table_args__ = (UniqueConstraint("lead_id", "user_id", name="uq_lead_members_lead_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)

    lead: Mapped[Lead] = relationship(back_populates="members")
    user: Mapped[User] = relationship()


class PartnerKind(StrEnum):
    COLLECTIVITY = "collectivity"
    COMPANY = "company"
    ASSOCIATION = "association"
    OTHER = "other"


class PartnerRole(StrEnum):
    FUNDER = "funder"
    TECHNICAL = "technical"
    PRESCRIBER = "prescriber"
    OTHER = "other"


class LeadPartner(db.Model):
    __tablename__ = "lead_partners"

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id"), index=True)
    name: Mapped[str] = mapped_column(String(160))
    kind: Mapped[str] = mapped_column(String(20))
    role: Mapped[str] = mapped_column(String(20))
    commitment: Mapped[str] = mapped_column(Text, default="")

    lead: Mapped[Lead] = relationship(back_populates="partners")


class Decision(StrEnum):
    GO = "go"
    NO_GO = "no_go"


class StageChange(db.Model):
    """One move of a lead: the project's memory and the residents' answer."""

    __tablename__ = "stage_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id"), index=True)
    from_stage: Mapped[str | None] = mapped_column(String(20))
    to_stage: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text, default="")
    committee_name: Mapped[str] = mapped_column(String(160), default="")
    decision_date: Mapped[date | None]
    decision: Mapped[str | None] = mapped_column(String(10))
    document_url: Mapped[str] = mapped_column(String(500), default="")
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    lead: Mapped[Lead] = relationship(back_populates="history")
    actor: Mapped[User | None] = relationship()

    @property
    def is_backward(self) -> bool:
        if self.from_stage in MAIN_STAGES and self.to_stage in MAIN_STAGES:
            return MAIN_STAGES.index(self.to_stage) < MAIN_STAGES.index(self.from_stage)
        return False


class StageTarget(db.Model):
    """How long, in months, a lead is expected to stay at a stage; an administrator sets it.
    A stage with no row uses the default of `services/leads/timing.DEFAULT_TARGET_MONTHS`."""

    __tablename__ = "stage_targets"

    id: Mapped[int] = mapped_column(primary_key=True)
    stage: Mapped[str] = mapped_column(String(20), unique=True)
    months: Mapped[int]
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
