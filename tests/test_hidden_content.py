"""Hidden content never vanishes: the "Masqués" list, and unblocking restores what a block hid."""
from __future__ import annotations

import html

from portal.extensions import db
from portal.models import Comment, Submission, User
from portal.services.submissions import flags, moderation


def _status(app, submission):
    with app.app_context():
        return db.session.get(Submission, submission.id).status


def test_kept_hidden_content_is_listed_and_can_be_restored(app, client, auth, make, moderator):
    need = make.submission(title="Un besoin signalé à tort")
    with app.app_context():
        flags.confirm_hidden(db.session.get(User, moderator.id),
                             db.session.get(Submission, need.id))
    auth.login(moderator)
    page = html.unescape(client.get("/moderation/masques").text)
    assert "Masqués" in page and "Un besoin signalé à tort" in page
    assert "Statut avant d'être masquée\u202f: Publiée" in page
    response = client.post(f"/moderation/masques/contribution/{need.id}/retablir")
    assert response.status_code == 302
    assert _status(app, need) == "published"
    assert "Aucune contribution masquée." in html.unescape(client.get("/moderation/masques").text)


def test_unblocking_offers_to_restore_what_the_block_hid_and_only_that(app, client, auth, make,
                                                                      moderator):
    author = make.user(email="bloque@example.org", display_name="Dominique")
    before_block = make.submission(author, title="Masquée avant le blocage")
    with app.app_context():
        flags.confirm_hidden(db.session.get(User, moderator.id),
                             db.session.get(Submission, before_block.id))
    need = make.submission(author, title="Un besoin de Dominique")
    comment = make.comment(make.submission(), author, body="Un commentaire de Dominique")
    auth.login(moderator)
    client.post(f"/moderation/comptes/{author.id}/bloquer", data={"hide_content": "y"})
    assert _status(app, need) == "hidden"
    page = html.unescape(client.get("/moderation/masques").text)
    assert "Un besoin de Dominique" in page and "Un commentaire de Dominique" in page
    accounts = html.unescape(client.get(f"/moderation/comptes?q={author.email}").text)
    assert "Rétablir aussi ce que le blocage a masqué" in accounts
    client.post(f"/moderation/comptes/{author.id}/debloquer", data={"restore_content": "y"})
    with app.app_context():
        assert db.session.get(User, author.id).blocked_at is None
        assert db.session.get(Comment, comment.id).hidden_at is None
    assert _status(app, need) == "published"
    assert _status(app, before_block) == "hidden"  # hidden for its own reasons: it stays


def test_unblocking_without_the_box_leaves_the_content_hidden(app, client, auth, make,
                                                              moderator):
    author = make.user()
    need = make.submission(author)
    auth.login(moderator)
    client.post(f"/moderation/comptes/{author.id}/bloquer", data={"hide_content": "y"})
    client.post(f"/moderation/comptes/{author.id}/debloquer", data={})
    assert _status(app, need) == "hidden"
    with app.app_context():
        submissions, _ = moderation.hidden_by_last_block(db.session.get(User, author.id))
        assert [s.id for s in submissions] == [need.id]


def test_the_hidden_list_is_paginated(app, client, auth, make, moderator, monkeypatch):
    monkeypatch.setattr("portal.moderation.views.PAGE_SIZE", 2)
    author = make.user()
    for n in range(3):
        make.submission(author, title=f"Contribution masquée {n}")
    auth.login(moderator)
    client.post(f"/moderation/comptes/{author.id}/bloquer", data={"hide_content": "y"})
    first = html.unescape(client.get("/moderation/masques").text)
    assert "Page 1 sur 2" in first or "Page 1 of 2" in first
    second = html.unescape(client.get("/moderation/masques?page=2").text)
    titles = [f"Contribution masquée {n}" for n in range(3)]
    assert sorted(t for t in titles if t in first + second) == titles
    assert client.get("/moderation/masques?page=x").status_code == 400


def _next_link(page: str) -> str:
    return html.unescape(page.split('rel="next" href="')[1].split('"')[0])


def test_the_queue_is_paginated_and_keeps_its_filters(app, client, auth, make, moderator,
                                                      monkeypatch):
    monkeypatch.setattr("portal.moderation.views.PAGE_SIZE", 2)
    theme = make.theme()
    for n in range(3):
        make.submission(status="pending", theme=theme, title=f"En attente numéro {n}")
    make.submission(status="pending", title="Autre thématique en attente")
    auth.login(moderator)
    first = client.get(f"/moderation/file-d-attente?theme={theme.id}").text
    assert "3 contributions" in first and "En attente numéro 0" in first
    link = _next_link(first)
    assert f"theme={theme.id}" in link and "page=2" in link
    second = client.get(link).text
    assert "En attente numéro 2" in second and "Autre thématique" not in second


def test_the_accounts_list_is_paginated_and_keeps_the_search(app, client, auth, make, moderator,
                                                             monkeypatch):
    monkeypatch.setattr("portal.moderation.views.PAGE_SIZE", 2)
    for n in range(3):
        make.user(email=f"voisin{n}@example.org", display_name=f"Voisin {n}")
    auth.login(moderator)
    first = client.get("/moderation/comptes?q=voisin").text
    link = _next_link(first)
    assert "q=voisin" in link and "page=2" in link
    assert "voisin2@example.org" in client.get(link).text
    assert client.get("/moderation/comptes?page=0").status_code == 400
