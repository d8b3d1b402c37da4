"""Small factories: each creates committed rows and returns them detached but readable."""
from __future__ import annotations

from datetime import timedelta
from itertools import count

from portal.extensions import db
from portal.models import (
    Comment,
    Submission,
    SubmissionStatus,
    Territory,
    Theme,
    User,
    utcnow,
)
from portal.services.accounts.access import hash_password

_sequence = count(1)


def _publish(submission, moderator):
    from portal.services.submissions import posting

    posting.publish(submission, db.session.get(User, moderator.id))


def _decline(submission, moderator):
    from portal.services.submissions import posting

    posting.decline(submission, db.session.get(User, moderator.id),
                    "Ce besoin est déjà couvert par le service de la commune.")


def _withdraw(submission, author):
    from portal.services.submissions import posting

    posting.withdraw(submission, db.session.get(User, author.id))


#: How the factory brings a posted contribution to each status a moderator gives it.
MODERATED = {SubmissionStatus.PUBLISHED: _publish, SubmissionStatus.DECLINED: _decline}


class Factory:
    def __init__(self, app):
        self.app = app

    def _save(self, obj):
        with self.app.app_context():
            db.session.add(obj)
            db.session.commit()
            db.session.refresh(obj)
            db.session.expunge(obj)
        return obj

    def user(self, email: str | None = None, display_name: str | None = None,
             role: str = "resident", verified: bool = True, password: str | None = None) -> User:
        from .conftest import PASSWORD

        n = next(_sequence)
        with self.app.app_context():
            password_hash = hash_password(password or PASSWORD)
        return self._save(User(
            email=email or f"habitant{n}@example.org", display_name=display_name or f"Habitant {n}",
            password_hash=password_hash, role=role,
            email_verified_at=utcnow() if verified else None,
        ))

    def territory(self, name: str | None = None, parent: Territory | None = None,
                  level: str | None = None) -> Territory:
        n = next(_sequence)
        territory = Territory(code=f"t{n}", name=name or f"Commune {n}",
                              level=level or ("commune" if parent else "metropole"),
                              parent_id=parent.id if parent else None)
        with self.app.app_context():
            db.session.add(territory)
            db.session.flush()
            territory.path = (parent.path if parent else "/") + f"{territory.id}/"
            db.session.commit()
            db.session.refresh(territory)
            db.session.expunge(territory)
        return territory

    def theme(self, name: str | None = None) -> Theme:
        n = next(_sequence)
        name = name or f"Thème {n}"
        return self._save(Theme(code=f"theme{n}", name_fr=name, name_en=f"{name} (en)", position=n))

    def submission(self, author: User | None = None, *, kind: str = "need",
                   status: str = SubmissionStatus.PUBLISHED, title: str | None = None,
                   body: str | None = None, territory: Territory | None = None,
                   theme: Theme | None = None, age_days: int = 0) -> Submission:
        """A contribution as the portal makes one: posted by its author (it waits for a
        moderator, in pre-moderation), then published, declined or withdrawn through the same
        use cases. `age_days` lets time pass since it was posted."""
        from portal.services.submissions import posting

        n = next(_sequence)
        author = author or self.user()
        territory = territory or self.territory()
        theme = theme or self.theme()
        title = title or f"Contribution numéro {n}"
        body = body or "Un texte assez long pour décrire ce qui manque dans le quartier."
        moderator = self._moderator() if status in MODERATED else None
        with self.app.app_context():
            submission = posting.submit(db.session.get(User, author.id), kind=kind, title=title,
                                        body=body, territory_id=territory.id, theme_id=theme.id)
            if status != submission.status:  # in post-moderation it is published at once
                MODERATED.get(status, _withdraw)(submission, moderator or
                                                 db.session.get(User, author.id))
            if age_days:
                earlier = utcnow() - timedelta(days=age_days)
                submission.created_at = earlier
                submission.published_at = submission.published_at and earlier
                db.session.commit()
            db.session.refresh(submission)
            db.session.expunge(submission)
        return submission

    def _moderator(self) -> User:
        """The moderator who moderates what the factory posts, created once per test."""
        if not hasattr(self, "_factory_moderator"):
            self._factory_moderator = self.user(email="moderation-usine@example.org",
                                                display_name="Modération", role="moderator")
        with self.app.app_context():
            return db.session.get(User, self._factory_moderator.id)

    def comment(
        self,
        submission: Submission,
        author: User | None = None,
        body: str = "Bonne idée !",
        age_minutes: int = 0,
    ) -> Comment:
        from portal.services.submissions.comments import add_comment

        author = author or self.user()
        with self.app.app_context():
            comment = add_comment(db.session.get(User, author.id),
                                  db.session.get(Submission, submission.id), body)
            comment.created_at = utcnow() - timedelta(minutes=age_minutes)
            db.session.commit()
            db.session.refresh(comment)
            db.session.expunge(comment)
        return comment

    def support(self, submission: Submission, user: User | None = None) -> User:
        from portal.services.submissions.votes import support

        user = user or self.user()
        with self.app.app_context():
            support(db.session.get(User, user.id), db.session.get(Submission, submission.id))
        return user

    def lead(self, submissions=None, moderator=None, *, title: str = "Rompre l'isolement",
             public: bool = False, sections=("need", "decisions", "workshops", "outcome",
                                             "carrier_profile"), notes: str = ""):
        """A lead made through the conversion service from published submissions."""
        from portal.models import Lead
        from portal.services.leads import pipeline as lead_service

        moderator = moderator or self.user(role="moderator")
        submissions = submissions or [self.submission()]
        with self.app.app_context():
            actor = db.session.get(User, moderator.id)
            first = db.session.get(Submission, submissions[0].id)
            lead = lead_service.convert(actor, [s.id for s in submissions], title=title,
                                        summary="Un résumé.", territory_id=first.territory_id,
                                        theme_id=first.theme_id)
            lead.is_public, lead.public_sections, lead.notes = public, list(sections), notes
            db.session.commit()
            lead = db.session.get(Lead, lead.id)
            db.session.expunge(lead)
        return lead
