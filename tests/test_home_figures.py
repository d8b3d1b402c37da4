"""The home page's figures are running totals kept by the database: after every kind of change a
person makes through the pages, they equal a count of the rows, and reading them costs one query
whatever the size of the tables."""
from __future__ import annotations

import re

from sqlalchemy import event, func, select, text

from portal.extensions import db
from portal.models import OPEN_STATUSES, Comment, SiteFigures, Submission, User
from portal.services.submissions import figures
from portal.services.submissions.counters import recount


def shown(app) -> list[int]:
    """The four figures of the home page, as a visitor reads them."""
    page = app.test_client().get("/").text
    block = page[page.index('<ul class="counters">'):]
    return [int(re.sub(r"\D", "", value))
            for value in re.findall(r"<strong>([^<]+)</strong>", block)[:4]]


def counted(app) -> list[int]:
    """The same figures, counted from the rows."""
    with app.app_context():
        open_ = Submission.status.in_(OPEN_STATUSES)
        return [
            db.session.scalar(select(func.count()).where(open_)),
            db.session.scalar(select(func.coalesce(func.sum(Submission.support_count), 0))
                              .where(open_)),
            db.session.scalar(select(func.count(Comment.id)).join(Submission).where(
                open_, Comment.deleted_at.is_(None), Comment.hidden_at.is_(None))),
            db.session.scalar(select(func.count()).where(User.role == "resident")),
        ]


def test_the_figures_follow_every_change_made_through_the_pages(app, client, make, auth):
    moderator = make.user(role="moderator")
    first = make.submission(title="Une laverie solidaire")
    second = make.submission(title="Un atelier vélo")
    pending = make.submission(title="Une navette", status="pending")
    assert shown(app) == counted(app) == [2, 0, 0, 3]

    camille = make.user(email="camille@example.org")
    auth.login(camille)
    client.post(f"/contributions/{first.id}/soutenir")
    client.post(f"/contributions/{second.id}/soutenir")
    client.post(f"/contributions/{first.id}/commentaires", data={"body": "Bonne idée !"})
    client.post(f"/contributions/{first.id}/commentaires", data={"body": "Et le samedi ?"})
    client.post(f"/contributions/{second.id}/retirer-soutien")
    assert counted(app) == [2, 1, 2, 4]
    with app.app_context():
        mine = db.session.scalars(select(Comment.id).order_by(Comment.id)).all()
    client.post(f"/contributions/commentaires/{mine[1]}/supprimer")
    auth.logout()
    assert shown(app) == counted(app) == [2, 1, 1, 4]

    auth.login(moderator)
    client.post(f"/moderation/contributions/{pending.id}/publier")
    client.post(f"/moderation/contributions/{first.id}/refuser",
                data={"reason": "Déjà proposé ailleurs."})
    auth.logout()
    # The declined one takes its support and its comment out of the figures.
    assert shown(app) == counted(app) == [2, 0, 0, 4]


def test_installing_counts_what_is_there_and_reading_is_one_query(app, make):
    make.submission()
    make.support(make.submission())
    make.comment(make.submission())
    with app.app_context():
        with db.engine.begin() as connection:
            connection.execute(SiteFigures.__table__.delete())
            figures.install(connection)
        seen = []

        def statement(*args) -> None:
            seen.append(args[2])

        event.listen(db.engine, "before_cursor_execute", statement)
        try:
            read = figures.read()
        finally:
            event.remove(db.engine, "before_cursor_execute", statement)
    assert list(read.values()) == counted(app)
    assert len(seen) == 1


def test_a_bulk_repair_moves_the_figures_once_and_exactly(app, make):
    """A recount rewrites every contribution in one statement: the totals follow it."""
    for _ in range(3):
        make.support(make.submission())
    make.comment(make.submission())
    with app.app_context():
        db.session.execute(text("UPDATE submissions SET support_count = 40, comment_count = 7"))
        db.session.commit()
        assert figures.read()["supports"] == 160
        recount()
        db.session.commit()
    assert shown(app) == counted(app) == [4, 3, 1, 8]
