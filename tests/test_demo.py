"""The demo: a coherent, repeatable Amiens Métropole whose counters hold."""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import click
import pytest
from sqlalchemy import func, select, text

from portal.demo import ACCOUNTS, DEMO_PASSWORD, DOMAIN, seed_demo
from portal.extensions import db
from portal.models import (
    ALL_STAGES,
    OPEN_STATUSES,
    AgendaItem,
    Comment,
    DailySupport,
    Follow,
    Lead,
    Notification,
    Offer,
    OutboxMessage,
    PartnerOrganisation,
    Submission,
    Territory,
    Theme,
    User,
    Vote,
    Workshop,
    WorkshopInvitation,
)
from portal.services.submissions import merging
from portal.services.submissions.search import excerpt, index_text


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
            assert row.status in (*OPEN_STATUSES, "hidden")  # hidden after reports
            assert row.published_at <= row.created_at
        voted_pairs = set(db.session.execute(select(Vote.submission_id, Vote.user_id)).all())
        follows = set(db.session.execute(select(Follow.submission_id, Follow.user_id)).all())
        authors = set(db.session.execute(select(Submission.id, Submission.author_id).where(
            Submission.status != "merged", Submission.source == "resident")).all())
        assert voted_pairs | authors <= follows


def test_contributions_read_like_the_real_thing(app, demo):
    with app.app_context():
        submissions = db.session.scalars(select(Submission)).all()
        moderator = db.session.scalar(select(User).where(User.role == "moderator"))
    statuses = Counter(s.status for s in submissions)
    assert {"published", "pending", "in_project", "declined", "merged", "hidden"} <= set(statuses)
    assert statuses["published"] + statuses["in_project"] > len(submissions) / 2
    assert len({s.title for s in submissions}) == len(submissions) == demo["contributions"]
    assert {s.kind for s in submissions} == {"need", "idea", "opportunity"}
    assert {s.source for s in submissions} == {"resident", "partner", "relay"}
    for submission in submissions:
        assert submission.search_text == index_text(submission.title, submission.body)
        assert submission.excerpt == excerpt(submission.body)
        if submission.status == "pending":
            assert submission.published_at is None and submission.moderated_at is None
        elif submission.published_at is not None:
            assert submission.created_at <= submission.published_at <= submission.moderated_at
        if submission.status == "declined":
            assert submission.public_answer and submission.answered_at
            assert submission.answered_by_id == moderator.id


def login_through_the_form(app, email: str):
    """The real login form, its CSRF token included, as a browser sends it."""
    client = app.test_client()
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        page = client.get("/compte/connexion").get_data(as_text=True)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
        response = client.post("/compte/connexion", data={
            "csrf_token": token, "email": email, "password": DEMO_PASSWORD})
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    return client, response


def test_every_demo_account_logs_in_through_the_form(app, demo):
    with app.app_context():
        users = db.session.scalars(select(User)).all()
        assert Counter(u.role for u in users) == {"resident": 41, "moderator": 1, "admin": 1,
                                                  "committee": 1, "partner": 2}
        assert all(u.is_verified and u.email.endswith(f"@{DOMAIN}") for u in users)
        assert len({u.password_hash for u in users}) == 1
        resident = users[-1].email
    emails = [f"{local}@{DOMAIN}" for local, *_rest in ACCOUNTS] + [resident]
    for email in emails:
        client, response = login_through_the_form(app, email)
        assert response.status_code == 302, (email, response.get_data(as_text=True)[:2000])
        home = client.get("/").get_data(as_text=True)
        assert "Bonjour" in home or "Se déconnecter" in home, email


def test_every_account_of_the_readme_is_a_demo_account(app, demo):
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    listed = set(re.findall(r"[\w.-]+@" + re.escape(DOMAIN), readme))
    listed.discard(f"contact@{DOMAIN}")  # the operator's default contact, not an account
    assert listed == {f"{local}@{DOMAIN}" for local, *_rest in ACCOUNTS}


def test_every_stage_is_present_with_its_history(app, demo):
    with app.app_context():
        leads = db.session.scalars(select(Lead)).all()
        assert {lead.stage for lead in leads} == set(ALL_STAGES)
        assert {lead.is_public for lead in leads} == {True, False}
        for lead in leads:
            assert (lead.submissions and lead.history) or lead.stage == "detected"
            assert all(change.note for change in lead.history)
            assert [c.created_at for c in lead.history] == sorted(c.created_at
                                                                   for c in lead.history)
        for lead in leads:
            if lead.stage == "abandoned":
                assert lead.history[-1].reason
        decisions = Counter(db.session.scalars(select(AgendaItem.decision)))
        assert decisions["go"] >= 4 and decisions["no_go"] >= 2 and decisions[None] >= 1
        assert db.session.scalar(select(func.count(Workshop.id))) >= 2
        assert db.session.scalar(select(func.count(WorkshopInvitation.id))) > 0
        assert {o.kind for o in db.session.scalars(select(Offer))} == {"carry", "contribute"}
        waiting = db.session.scalar(select(func.count(Notification.id)).join(User).where(
            User.email == f"habitante@{DOMAIN}", Notification.read_at.is_(None)))
        assert waiting >= 3


def test_the_enterprise_page_shows_the_trail_from_the_first_need(app, demo, client):
    with app.app_context():
        lead = db.session.scalar(select(Lead).where(Lead.stage == "created"))
        assert lead.enterprise_name and lead.enterprise_legal_form and lead.is_public
        first_need = lead.submissions[0].title
    page = client.get(f"/projets/{lead.id}").get_data(as_text=True)
    assert "Les P&#39;tits Matins" in page and "SCIC SAS" in page
    assert "7 emplois" in page
    assert first_need.replace("'", "&#39;") in page
    assert "Comité d&#39;engagement de printemps" in page


def test_the_queue_holds_look_alikes_to_merge(app, demo):
    with app.app_context():
        pending = db.session.scalars(select(Submission).where(
            Submission.status == "pending", Submission.title.ilike("%laverie%"))).all()
        assert len(pending) == 2
        for submission in pending:
            assert any("laverie" in other.title.lower()
                       for other, _score in merging.similar(submission))
        assert db.session.scalar(select(func.count(Submission.id)).where(
            Submission.status == "merged")) == 1
        assert db.session.scalar(select(func.count(Submission.id)).where(
            Submission.status == "hidden")) == 1
        assert db.session.scalar(select(func.count(Comment.id)).where(Comment.flag_count > 0))


def test_a_partner_sees_its_forwarded_items_and_webhook_log(app, demo):
    with app.app_context():
        organisations = db.session.scalars(select(PartnerOrganisation)).all()
        assert {o.kind for o in organisations} == {"metropole_service", "relay"}
        assert all(o.webhook_url.startswith("https://") and ".example/" in o.webhook_url
                   for o in organisations)
        hooks = db.session.scalar(select(func.count(OutboxMessage.id)).where(
            OutboxMessage.kind == "webhook", OutboxMessage.state == "queued"))
        assert hooks > 0
        relayed = db.session.scalar(select(Submission).where(
            Submission.external_reference == "CS-ETV-07"))
    client, _response = login_through_the_form(app, f"centre-social@{DOMAIN}")
    page = client.get("/partenaires/").get_data(as_text=True)
    assert relayed.title.replace("'", "&#39;") in page
    client, _response = login_through_the_form(app, f"metropole@{DOMAIN}")
    page = client.get("/partenaires/").get_data(as_text=True)
    assert "Reprise de la blanchisserie industrielle de Longueau" in page


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
