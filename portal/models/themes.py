"""Thématiques, named in French and English because they are data, not code."""
from __future__ import annotations

from flask_babel import get_locale
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db


class Theme(db.Model):
    __tablename__ = "themes"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name_fr: Mapped[str] = mapped_column(String(80))
    name_en: Mapped[str] = mapped_column(String(80))
    position: Mapped[int] = mapped_column(default=0)

    @property
    def name(self) -> str:
        return self.name_in_locale(self.name_fr, self.name_en)

    @staticmethod
    def name_in_locale(name_fr: str, name_en: str) -> str:
        """The name in the language of the page."""
        locale = get_locale()
        return name_en if locale is not None and locale.language == "en" else name_fr

    def __repr__(self) -> str:
        return f"<Theme {self.code}>"
