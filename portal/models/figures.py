"""The home page's figures, kept exact by the database itself (services/submissions/figures.py)."""
from __future__ import annotations

from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db


class SiteFigures(db.Model):
    """One of a few slots of running totals: a row is picked by the id of what changed (id modulo
    the number of slots), so concurrent supports rarely wait for one another, and the figures
    are the sum of the rows. A missing row counts as zero."""

    __tablename__ = "site_figures"

    slot: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    submissions: Mapped[int] = mapped_column(default=0)
    supports: Mapped[int] = mapped_column(default=0)
    comments: Mapped[int] = mapped_column(default=0)
    residents: Mapped[int] = mapped_column(default=0)
