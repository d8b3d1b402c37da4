"""A resident deletes their account; unconfirmed accounts are purged after a delay."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import AuditEntry, Comment, Submission, User, Vote, utcnow

from .conftest import PASSWORD, take_part


def count(app, model, *where) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


@pytest.mark.parametrize("choice", ["keep", "withdraw"])
def test_a_resident_deletes_their_account(app, client, auth, make, outbox, choice):
    user = make.user(email="nadia@example.org", display_name="Nadia Belkacem")
    own, other = take_part(client, auth, make, user)
    page = client.get("/compte/supprimer")
    assert page.status_code == 200 and "/confidentialite" in page.text
    refused = client.post("/compte/supprimer", data={"contributions": choice,
                                                      "password": "pas le bon"})
    assert refused.status_code == 422 and count(app, User, User.id == user.id) == 1

    done = client.post("/compte/supprimer", data={"contributions": choice,
                                                   "password": PASSWORD})
    assert done.status_code == 302 and client.get("/compte/").status_code == 302
    assert count(app, User, User.email == "nadia@example.org") == 0
    assert auth.login("nadia@example.org").status_code == 422
    with app.app_context():
        supported = db.session.get(Submission, other.id)
        assert supported.support_count == count(app, Vote, Vote.submission_id == other.id) == 0
        mine = db.session.get(Submission, own.id)
        assert mine.author_id is None
        assert mine.status == ("withdrawn" if choice == "withdraw" else "published")
        comment = db.session.scalar(select(Comment).where(Comment.submission_id == other.id))
        assert comment.author_id is None
        assert (comment.deleted_at is not None) == (choice == "withdraw")
        assert supported.comment_count == (0 if choice == "withdraw" else 1)
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "account_deleted"))
        assert entry.actor_id is None
        assert "nadia" not in str(entry.before).lower() + str(entry.after).lower()
    if choice == "keep":
        thread = client.get(f"/contributions/{other.id}").text
        assert "Je viendrai avec mon grille-pain." in thread and "Nadia" not in thread
        assert "ancien·ne participant·e" in thread
    assert [m["Subject"] for m in outbox.messages("nadia@example.org")][-1] == \
        "Votre compte est supprimé"


def test_staff_accounts_are_not_deleted_from_the_account_page(app, client, auth, moderator):
    auth.login(moderator)
    response = client.post("/compte/supprimer", data={"contributions": "keep",
                                                      "password": PASSWORD})
    assert response.status_code == 422 and "administrat" in response.text
    assert count(app, User, User.id == moderator.id) == 1


def age(app, user, days: int) -> None:
    with app.app_context():
        db.session.get(User, user.id).created_at = utcnow() - timedelta(days=days)
        db.session.commit()


def test_unconfirmed_accounts_are_purged_after_the_delay(app, make):
    late = make.user(email="jamais@example.org", verified=False)
    recent = make.user(email="bientot@example.org", verified=False)
    confirmed = make.user(email="confirme@example.org")
    delay = app.config["UNCONFIRMED_ACCOUNT_DAYS"]
    age(app, late, delay + 1)
    age(app, recent, delay - 1)
    age(app, confirmed, delay + 30)
    result = app.test_cli_runner().invoke(args=["purge-unconfirmed"])
    assert "1 unconfirmed accounts deleted" in result.output
    with app.app_context():
        assert sorted(db.session.scalars(select(User.email))) == [
            "bientot@example.org", "confirme@example.org"]


def test_the_worker_purges_them_too(app, make):
    late = make.user(email="jamais@example.org", verified=False)
    age(app, late, app.config["UNCONFIRMED_ACCOUNT_DAYS"] + 1)
    assert app.test_cli_runner().invoke(args=["worker", "--burst"]).exit_code == 0
    assert count(app, User, User.email == "jamais@example.org") == 0
