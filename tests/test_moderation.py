"""The moderators' back-office: who gets in, the queue, the review screen, decisions, accounts."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEntry, Revision, Submission, User


def fetch(app, model, object_id):
    with app.app_context():
        obj = db.session.get(model, object_id)
        db.session.expunge(obj)
        return obj


def journal(app, action: str) -> list[AuditEntry]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


BACK_OFFICE = ["/moderation/", "/moderation/file-d-attente", "/moderation/signalements",
               "/moderation/comptes", "/moderation/modeles", "/moderation/masques"]


@pytest.mark.parametrize("url", [*BACK_OFFICE, "/moderation/journal"])
def test_visitors_are_sent_to_log_in_and_residents_refused(client, auth, resident, url):
    response = client.get(url)
    assert response.status_code == 302 and "/compte/connexion" in response.headers["Location"]
    auth.login(resident)
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("url", BACK_OFFICE)
def test_moderators_and_admins_get_in(client, auth, make, url):
    for role in ("moderator", "admin"):
        auth.login(make.user(role=role))
        assert client.get(url).status_code == 200
        auth.logout()


def test_the_journal_is_for_admins_only(client, auth, moderator, admin):
    auth.login(moderator)
    assert client.get("/moderation/journal").status_code == 403
    auth.logout()
    auth.login(admin)
    assert client.get("/moderation/journal").status_code == 200
    assert client.get("/moderation/journal?page=x").status_code == 400


def test_a_moderator_fixes_the_title_publishes_and_the_author_is_told(app, client, auth, make,
                                                                     moderator, outbox):
    author = make.user(email="auteur@example.org")
    territory, theme = make.territory(), make.theme()
    need = make.submission(author, status="pending", title="Pas de bus le dimance",
                           territory=territory, theme=theme)
    with app.app_context():
        from portal.services.accounts.notifications import follow
        follow(db.session.get(User, author.id), db.session.get(Submission, need.id))
        db.session.commit()
    auth.login(moderator)
    queue = client.get("/moderation/file-d-attente")
    assert "Pas de bus le dimance" in queue.text
    response = client.post(f"/moderation/contributions/{need.id}", data={
        "title": "Pas de bus le dimanche", "body": need.body, "territory": territory.id,
        "theme": theme.id, "tags": "transport, Dimanche"})
    assert response.status_code == 302
    fixed = fetch(app, Submission, need.id)
    assert fixed.title == "Pas de bus le dimanche"
    with app.app_context():
        revisions = db.session.scalars(select(Revision).where(
            Revision.submission_id == need.id)).all()
        assert [r.title for r in revisions] == ["Pas de bus le dimance"]
        assert [t.name for t in db.session.get(Submission, need.id).tags] == [
            "dimanche", "transport"]
    assert client.post(f"/moderation/contributions/{need.id}/publier").status_code == 302
    assert fetch(app, Submission, need.id).status == "published"
    assert [e.action for e in journal(app, "edit")] == ["edit"]
    assert journal(app, "publish")[0].after["status"] == "published"
    assert "Pas de bus le dimanche" in outbox.messages("auteur@example.org")[-1].get_content()


def test_a_bad_review_keeps_the_typed_text(app, client, auth, make, moderator):
    need = make.submission(status="pending")
    auth.login(moderator)
    response = client.post(f"/moderation/contributions/{need.id}", data={
        "title": "Court", "body": "Un texte corrigé qui reste affiché malgré l'erreur.",
        "territory": "abc", "theme": "1", "tags": ""})
    assert response.status_code == 422
    assert "Un texte corrigé qui reste affiché" in response.text
    assert fetch(app, Submission, need.id).title == need.title


def test_the_review_screen_shows_the_text_first_and_folds_each_action(client, auth, make,
                                                                       moderator):
    need = make.submission(status="pending", body="Le texte que la modération lit d'abord.")
    auth.login(moderator)
    page = client.get(f"/moderation/contributions/{need.id}").text
    assert page.index("Le texte que la modération lit d'abord.") < page.index('id="decide-title"')
    decline = page.index(f'action="/moderation/contributions/{need.id}/refuser"')
    folded = page.rindex('<details class="confirm">', 0, decline)
    assert "</details>" not in page[folded:decline], "the decline form is not in its disclosure"
    assert 'class="button button-danger"' in page[decline:page.index("</details>", decline)]
    correct = page.index(f'action="/moderation/contributions/{need.id}"')
    assert page.rindex("<details", 0, correct) > page.index('id="decide-title"')


def test_a_review_in_error_opens_the_action_that_failed(client, auth, make, moderator):
    need = make.submission(status="pending")
    auth.login(moderator)
    page = client.post(f"/moderation/contributions/{need.id}", data={
        "title": "Court", "body": "Un texte corrigé.", "territory": "abc", "theme": "1",
        "tags": ""}).text
    correct = page.index(f'action="/moderation/contributions/{need.id}"')
    assert page[page.rindex("<details", 0, correct):correct].startswith(
        '<details class="disclosure" open>')


def test_asking_for_details_sends_it_back_to_the_author_then_to_the_queue(app, client, auth, make,
                                                                          moderator, outbox):
    author = make.user(email="precis@example.org")
    need = make.submission(author, status="pending")
    auth.login(moderator)
    client.post(f"/moderation/contributions/{need.id}/details",
                data={"message": "Dans quel quartier exactement ?"})
    assert fetch(app, Submission, need.id).details_requested_at is not None
    assert "Dans quel quartier" in outbox.messages("precis@example.org")[-1].get_content()
    auth.logout()
    auth.login(author)
    client.post(f"/contributions/{need.id}/modifier", data={
        "title": need.title, "body": need.body + " Dans le quartier Saint-Leu.",
        "territory": need.territory_id, "theme": need.theme_id, "author_offer": "none"})
    assert fetch(app, Submission, need.id).details_requested_at is None


def test_bulk_publish_asks_for_confirmation_first(app, client, auth, make, moderator):
    first, second = make.submission(status="pending"), make.submission(status="pending")
    auth.login(moderator)
    ask = client.post("/moderation/file-d-attente/lot",
                      data={"ids": [first.id, second.id], "action": "publish"})
    assert ask.status_code == 200 and 'name="confirmed" value="yes"' in ask.text
    assert fetch(app, Submission, first.id).status == "pending"
    client.post("/moderation/file-d-attente/lot", data={
        "ids": [first.id, second.id], "action": "publish", "confirmed": "yes"})
    assert {fetch(app, Submission, s.id).status for s in (first, second)} == {"published"}
    assert len(journal(app, "publish")) == 2


def test_bulk_tagging(app, client, auth, make, moderator):
    need = make.submission(status="pending")
    auth.login(moderator)
    client.post("/moderation/file-d-attente/lot", data={
        "ids": [need.id], "action": "tag", "tags": "alimentation", "confirmed": "yes"})
    with app.app_context():
        assert [t.name for t in db.session.get(Submission, need.id).tags] == ["alimentation"]


def test_a_public_answer_changes_the_status_and_notifies_followers(app, client, auth, make,
                                                                   moderator, outbox):
    need = make.submission()
    supporter = make.user(email="soutien@example.org")
    make.support(need, supporter)
    auth.login(moderator)
    response = client.post(f"/moderation/contributions/{need.id}/reponse", data={
        "text": "Nous lançons une étude d'opportunité.", "status": "under_study"})
    assert response.status_code == 302
    answered = fetch(app, Submission, need.id)
    assert (answered.status, answered.public_answer) == ("under_study",
                                                         "Nous lançons une étude d'opportunité.")
    assert outbox.messages("soutien@example.org")
    assert client.post(f"/moderation/contributions/{need.id}/reponse", data={
        "text": "x", "status": "hidden"}).status_code == 422


def test_declining_from_a_template(app, client, auth, make, moderator):
    need = make.submission(status="pending")
    auth.login(moderator)
    client.post("/moderation/modeles", data={"title": "Hors périmètre",
                                             "body": "Cette demande relève d'un autre service."})
    assert client.post("/moderation/modeles", data={"title": "", "body": ""}).status_code == 422
    with app.app_context():
        from portal.models import ReplyTemplate
        template_id = db.session.scalar(select(ReplyTemplate.id))
    client.post(f"/moderation/contributions/{need.id}/refuser",
                data={"template": template_id, "reason": ""})
    declined = fetch(app, Submission, need.id)
    assert declined.status == "declined"
    assert declined.public_answer == "Cette demande relève d'un autre service."


def test_blocking_stops_posting_and_login_says_why(app, client, auth, make, moderator):
    troll = make.user(email="troll@example.org")
    post = make.submission(troll)
    auth.login(moderator)
    client.post(f"/moderation/comptes/{troll.id}/bloquer", data={"hide_content": "y"})
    assert fetch(app, User, troll.id).blocked_at is not None
    assert fetch(app, Submission, post.id).status == "hidden"
    auth.logout()
    response = auth.login(troll)
    assert response.status_code == 422 and "bloqué" in response.text
    auth.login(moderator)
    client.post(f"/moderation/comptes/{troll.id}/debloquer")
    assert fetch(app, User, troll.id).blocked_at is None
    assert [e.action for e in journal(app, "block")] == ["block"]


def test_moderators_cannot_block_each_other_nor_change_roles(app, client, auth, make, moderator):
    colleague = make.user(role="moderator")
    auth.login(moderator)
    assert client.post(f"/moderation/comptes/{colleague.id}/bloquer").status_code == 403
    assert client.post(f"/moderation/comptes/{colleague.id}/role",
                       data={"role": "admin"}).status_code == 403


def test_an_admin_changes_a_role_and_it_is_journaled(app, client, auth, make, admin):
    resident = make.user()
    auth.login(admin)
    client.post(f"/moderation/comptes/{resident.id}/role", data={"role": "moderator"})
    assert fetch(app, User, resident.id).role == "moderator"
    entry = journal(app, "role_change")[0]
    assert (entry.before, entry.after) == ({"role": "resident"}, {"role": "moderator"})
    assert client.post(f"/moderation/comptes/{resident.id}/role",
                       data={"role": "emperor"}).status_code == 400
    assert "role_change" in client.get("/moderation/journal?action=role_change").text


def test_unknown_ids_are_404(client, auth, moderator):
    auth.login(moderator)
    assert client.get("/moderation/contributions/999").status_code == 404
    assert client.post("/moderation/comptes/999/bloquer").status_code == 404
    assert client.post("/moderation/signalements/autre/1/retablir").status_code == 404


def test_the_queue_makes_the_same_number_of_queries_whatever_its_length(client, auth, make,
                                                                        moderator, count_queries):
    auth.login(moderator)
    make.submission(status="pending")
    with count_queries() as few:
        client.get("/moderation/file-d-attente")
    for _ in range(15):
        make.submission(status="pending", territory=make.territory(), theme=make.theme())
    with count_queries() as many:
        client.get("/moderation/file-d-attente")
    assert many.count == few.count


def test_the_dashboard_counts_the_work(client, auth, make, moderator):
    make.submission(status="pending")
    make.submission()
    auth.login(moderator)
    page = client.get("/moderation/").text
    assert "<strong>1</strong>" in page
