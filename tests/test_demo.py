"""The demo: a coherent, repeatable Amiens Métropole whose counters hold."""
from __future__ import annotations

from collections import Counter

import click
import pytest
from sqlalchemy import func, select, text

from portal.demo import DEMO_PASSWORD, seed_demo
from portal.extensions import db
from portal.models import (
    OPEN_STATUSES,
    Comment,
    DailySupport,
    Follow,
    Submission,
    Territory,
    Theme,
    User,
    Vote,
)
from portal.services.accounts.access import authenticate
from portal.services.core.text import normalise


@pytest.fixture
def demo(app):
    with app.app_context():
        return seed_demo(residents=40, seed=1)


def test_territories_form_a_tree_with_consistent_paths(app, demo):
    with app.app_context():
        territories = db.session.scalars(select(Territory)).all()
        by_id = {t.id: t for t in territories}
        for territory in territories:
            parent_path = by_id[territory.parent_id].path if territory.parent_id else "/"
            assert territory.path == f"{parent_path}{territory.id}/"
        levels = Counter(t.level for t in territories)
        assert levels["metropole"] == 1 and 18 <= levels["commune"] <= 25
        assert levels["quartier"] >= 10
        amiens = next(t for t in territories if t.code == "80021")
        assert all(t.parent_id == amiens.id for t in territories if t.level == "quartier")
        assert {t.name for t in territories if t.is_priority_area} >= {"Étouvie", "Amiens Nord"}
        assert any(t.is_rural for t in territories)
        assert {t.code for t in db.session.scalars(select(Theme))} == {
            "mobilite", "alimentation", "bien-vieillir", "insertion", "logement",
            "environnement", "sante", "enfance-jeunesse", "culture-lien-social", "numerique"}
    assert demo["territoires"] == len(territories) and demo["thématiques"] == 10


def test_counters_match_the_rows(app, demo):
    with app.app_context():
        submissions = db.session.scalars(select(Submission)).all()
        votes = Counter(db.session.scalars(select(Vote.submission_id)))
        comments = Counter(db.session.scalars(
            select(Comment.submission_id).where(Comment.deleted_at.is_(None))))
        daily = dict(db.session.execute(
            select(DailySupport.submission_id, func.sum(DailySupport.count))
            .group_by(DailySupport.submission_id)).all())
        for submission in submissions:
            assert submission.support_count == votes[submission.id]
            assert submission.comment_count == comments[submission.id]
            assert daily.get(submission.id, 0) == submission.support_count
        assert sum(votes.values()) == demo["soutiens"] > 0
        assert db.session.scalar(select(func.count(Comment.id))) == demo["commentaires"] > 0


def test_supports_only_on_open_submissions_and_never_by_the_author(app, demo):
    with app.app_context():
        rows = db.session.execute(
            select(Vote.user_id, Vote.created_at, Submission.author_id, Submission.status,
                   Submission.published_at)
            .join(Submission, Submission.id == Vote.submission_id)).all()
        assert rows
        for row in rows:
            assert row.user_id != row.author_id
            assert row.status in OPEN_STATUSES
            assert row.published_at <= row.created_at
        voted_pairs = set(db.session.execute(select(Vote.submission_id, Vote.user_id)).all())
        follows = set(db.session.execute(select(Follow.submission_id, Follow.user_id)).all())
        authors = set(db.session.execute(select(Submission.id, Submission.author_id)).all())
        assert voted_pairs | authors <= follows


def test_contributions_read_like_the_real_thing(app, demo):
    with app.app_context():
        submissions = db.session.scalars(select(Submission)).all()
        moderator = db.session.scalar(select(User).where(User.role == "moderator"))
    statuses = Counter(s.status for s in submissions)
    assert {"published", "pending", "under_study", "declined"} <= set(statuses)
    assert statuses["published"] > len(submissions) / 2
    assert len({s.title for s in submissions}) == len(submissions) == demo["contributions"]
    assert {s.kind for s in submissions} == {"need", "idea"}
    for submission in submissions:
        assert submission.search_text == normalise(f"{submission.title} {submission.body}")
        assert submission.source == "resident"
        if submission.status == "pending":
            assert submission.published_at is None and submission.moderated_at is None
        else:
            assert submission.created_at < submission.published_at <= submission.moderated_at
        if submission.status == "declined":
            assert submission.public_answer and submission.answered_at
            assert submission.answered_by_id == moderator.id


def test_every_demo_account_logs_in_with_the_demo_password(app, demo):
    with app.app_context():
        users = db.session.scalars(select(User)).all()
        assert Counter(u.role for u in users) == {"resident": 40, "moderator": 1, "admin": 1}
        assert all(u.is_verified and u.email.endswith("@demo.fabrique.local") for u in users)
        assert len({u.password_hash for u in users}) == 1
        for email in ("moderatrice@demo.fabrique.local", "admin@demo.fabrique.local",
                      users[-1].email):
            assert authenticate(email, DEMO_PASSWORD) is not None


def test_the_demo_runs_only_on_an_empty_database(app, demo):
    with app.app_context(), pytest.raises(click.ClickException, match="empty database"):
        seed_demo(residents=40, seed=1)


def fingerprint(app) -> list:
    with app.app_context():
        return db.session.execute(
            select(Submission.title, Submission.status, Submission.support_count,
                   Submission.comment_count).order_by(Submission.id)).all()


def test_the_same_seed_gives_the_same_demo(app, demo):
    first = fingerprint(app)
    with app.app_context():
        for table in reversed(db.metadata.sorted_tables):
            db.session.execute(text(f"DELETE FROM {table.name}"))  # noqa: S608
        db.session.commit()
        seed_demo(residents=40, seed=1)
    assert fingerprint(app) == first


def test_the_command_prints_its_summary(app):
    result = app.test_cli_runner().invoke(args=["seed-demo", "--residents", "30"])
    assert result.exit_code == 0, result.output
    assert "30 habitant·es" in result.output and "10 thématiques" in result.output
