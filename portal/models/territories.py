"""Where a need lies: a tree métropole > commune > quartier."""
from __future__ import annotations

from enum import StrEnum

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db


class TerritoryLevel(StrEnum):
    METROPOLE = "metropole"
    COMMUNE = "commune"
    QUARTIER = "quartier"


class Territory(db.Model):
    """`path` holds the ids from the root ("/1/4/17/") so a subtree is one indexed prefix match."""

    __tablename__ = "territories"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    level: Mapped[str] = mapped_column(String(20))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("territories.id"))
    path: Mapped[str] = mapped_column(String(255), default="", index=True)
    is_priority_area: Mapped[bool] = mapped_column(default=False)
    is_rural: Mapped[bool] = mapped_column(default=False)

    parent: Mapped[Territory | None] = relationship(remote_side=[id])

    @property
    def depth(self) -> int:
        return self.depth_of(self.path)

    @staticmethod
    def depth_of(path: str) -> int:
        """0 for the métropole, 1 for a commune, 2 for a quartier ("/1/4/17/")."""
        return path.count("/") - 2

    def __repr__(self) -> str:
        return f"<Territory {self.code}>"
