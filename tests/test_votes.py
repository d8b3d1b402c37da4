"""Supports: one per resident, counted exactly, even when many arrive at once."""
from __future__ import annotations

import html
import re
import threading

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import DailySupport, Follow, Submission, User, Vote
from portal.services.core.errors import NotAllowed
from portal.services.submissions import votes


def counts(app, submission_id):
    with app.app_context():
        column = db.session.get(Submission, submission_id).support_count
        rows = db.session.scalar(select(func.count(Vote.id)).where(
            Vote.submission_id == submission_id))
        daily = db.session.scalar(select(func.coalesce(func.sum(DailySupport.count), 0)).where(
            DailySupport.submission_id == submission_id))
        return column, rows, daily


def test_a_resident_supports_from_a_card_of_the_listing_and_comes_back_to_it(app, client, auth,
                                                                            resident, make):
    submission = make.submission()
    auth.login(resident)
    listing = client.get("/contributions/?sort=newest").text
    form = re.search(rf'<form method="post" action="/contributions/{submission.id}/soutenir"'
                     rf'.*?name="next" value="([^"]+)"', listing, re.S)
    assert form, "no support form on the card"
    back = html.unescape(form.group(1))
    response = client.post(f"/contributions/{submission.id}/soutenir", data={"next": back})
    anchor = f"#contribution-{submission.id}"
    assert response.headers["Location"] == f"/contributions/?sort=newest{anchor}"
    assert counts(app, submission.id) == (1, 1, 1)
    listing = client.get("/contributions/?sort=newest").text
    assert f"/contributions/{submission.id}/soutenir" not in listing
    assert "Merci pour votre soutien" in listing


def test_a_resident_supports_once_and_can_withdraw(app, client, auth, resident, make):
    submission = make.submission()
    auth.login(resident)
    assert client.post(f"/contributions/{submission.id}/soutenir").status_code == 302
    client.post(f"/contributions/{submission.id}/soutenir")
    assert counts(app, submission.id) == (1, 1, 1)
    page = client.get(f"/contributions/{submission.id}").text
    assert f"/contributions/{submission.id}/retirer-soutien" in page
    with app.app_context():
        assert db.session.scalar(select(func.count(Follow.id)).where(
            Follow.user_id == resident.id)) == 1
    client.post(f"/contributions/{submission.id}/retirer-soutien")
    client.post(f"/contributions/{submission.id}/retirer-soutien")
    assert counts(app, submission.id) == (0, 0, 0)


@pytest.mark.parametrize("status", ["pending", "declined", "withdrawn"])
def test_no_support_unless_open(app, client, auth, resident, make, status):
    submission = make.submission(status=status)
    auth.login(resident)
    response = client.post(f"/contributions/{submission.id}/soutenir")
    assert response.status_code in (403, 404)
    assert counts(app, submission.id) == (0, 0, 0)


def test_no_support_on_ones_own_submission(app, client, auth, resident, make):
    submission = make.submission(resident)
    auth.login(resident)
    assert client.post(f"/contributions/{submission.id}/soutenir").status_code == 403
    assert counts(app, submission.id) == (0, 0, 0)


def test_visitors_and_unconfirmed_residents_cannot_support(app, client, auth, make):
    submission = make.submission()
    response = client.post(f"/contributions/{submission.id}/soutenir")
    assert response.status_code == 302 and "/compte/connexion" in response.headers["Location"]
    auth.login(make.user(verified=False))
    client.post(f"/contributions/{submission.id}/soutenir")
    assert counts(app, submission.id) == (0, 0, 0)


def test_the_service_refuses_the_author(app, make):
    author = make.user()
    submission = make.submission(author)
    with app.app_context(), pytest.raises(NotAllowed):
        votes.support(db.session.get(User, author.id), db.session.get(Submission, submission.id))


def test_concurrent_supports_keep_the_column_equal_to_the_rows(app, make, backend):
    """24 residents support at once, 8 of them twice and 6 then withdraw: no update is lost."""
    if backend != "postgresql":
        pytest.skip("SQLite serialises writers; the race only exists on PostgreSQL")
    submission = make.submission()
    residents = [make.user() for _ in range(24)]
    barrier = threading.Barrier(len(residents))
    failures: list[BaseException] = []

    def act(index: int, user_id: int) -> None:
        try:
            with app.app_context():
                user = db.session.get(User, user_id)
                target = db.session.get(Submission, submission.id)
                db.session.commit()  # give the connection back before waiting for the others
                barrier.wait(timeout=30)
                votes.support(user, target)
                if index % 3 == 0:
                    votes.support(user, target)
                if index % 4 == 0:
                    votes.withdraw_support(user, target)
                db.session.remove()
        except BaseException as error:  # surfaced in the main thread below
            failures.append(error)

    threads = [threading.Thread(target=act, args=(i, u.id)) for i, u in enumerate(residents)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not failures, failures
    expected = len(residents) - len([i for i in range(len(residents)) if i % 4 == 0])
    assert counts(app, submission.id) == (expected, expected, expected)


def test_a_support_does_not_count_as_an_edit(app, make):
    submission = make.submission()
    make.support(submission)
    with app.app_context():
        assert db.session.get(Submission, submission.id).updated_at == submission.updated_at
