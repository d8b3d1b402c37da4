"""Correcting the pipeline: a contribution detached from a lead, a mistaken lead deleted with a
reason, a need whose lead was abandoned feeding a new lead. Driven through the pages."""
from __future__ import annotations

from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEntry, Lead, LeadSubmission, Notification, Submission

from .lead_pages import text_of
from .test_stages import move


def plain(response) -> str:
    return text_of(response).replace("\u202f", " ")


def status_of(app, submission_id):
    with app.app_context():
        return db.session.get(Submission, submission_id).status


def told(app, submission_id, event):
    with app.app_context():
        return db.session.scalars(select(Notification.user_id).where(
            Notification.submission_id == submission_id, Notification.event == event)).all()


def test_a_contribution_detached_from_a_lead_goes_back_and_its_author_is_told(
        client, auth, moderator, make, app, outbox):
    author = make.user(email="autrice@example.org")
    need, other = make.submission(author), make.submission()
    lead = make.lead([need, other], moderator)
    auth.login(moderator)
    page = client.get(f"/pistes/{lead.id}").text
    assert f"/pistes/{lead.id}/contributions/{need.id}/detacher" in page
    response = client.post(f"/pistes/{lead.id}/contributions/{need.id}/detacher")
    assert response.status_code == 302
    assert "ne fait plus partie de cette piste" in plain(client.get(response.location))
    assert status_of(app, need.id) == "published"
    assert status_of(app, other.id) == "in_project"
    assert told(app, need.id, "left_lead") == [author.id]
    assert any("ne fait plus partie de la piste de projet" in m.get_content().replace("\n", " ")
               for m in outbox.messages("autrice@example.org"))
    with app.app_context():
        entry = db.session.scalars(select(AuditEntry).where(
            AuditEntry.action == "lead_detach")).one()
        assert (entry.target_id, entry.before["lead"]) == (need.id, lead.id)
    # Not part of it any more: a second detach is refused with its reason.
    again = client.post(f"/pistes/{lead.id}/contributions/{need.id}/detacher")
    assert again.status_code == 400
    assert f"La contribution {need.id} ne fait pas partie de cette piste." in plain(again)


def test_a_studied_contribution_goes_back_to_under_study(client, auth, moderator, make, app):
    need = make.submission()
    auth.login(moderator)
    client.post(f"/moderation/contributions/{need.id}/reponse",
                data={"text": "Nous étudions ce besoin.", "status": "under_study"})
    lead = make.lead([need], moderator)
    client.post(f"/pistes/{lead.id}/contributions/{need.id}/detacher")
    assert status_of(app, need.id) == "under_study"


def test_a_mistaken_lead_is_deleted_with_a_reason_and_its_contributions_come_back(
        client, auth, moderator, make, app):
    author = make.user()
    need = make.submission(author)
    lead = make.lead([need], moderator, title="Piste en double")
    auth.login(moderator)
    form = client.get(f"/pistes/{lead.id}/supprimer")
    assert form.status_code == 200 and "Pourquoi supprimer cette piste" in plain(form)
    empty = client.post(f"/pistes/{lead.id}/supprimer", data={"reason": "  "})
    assert empty.status_code == 422
    response = client.post(f"/pistes/{lead.id}/supprimer",
                           data={"reason": "Créée deux fois par erreur"})
    assert response.status_code == 302
    assert "La piste est supprimée" in plain(client.get(response.location))
    with app.app_context():
        assert db.session.get(Lead, lead.id) is None
        assert db.session.scalar(select(LeadSubmission)) is None
        submission = db.session.get(Submission, need.id)
        assert (submission.status, submission.body) == ("published", need.body)
        entry = db.session.scalars(select(AuditEntry).where(
            AuditEntry.action == "lead_delete")).one()
        assert entry.before["title"] == "Piste en double"
        assert entry.before["submissions"] == [need.id]
        assert entry.after == {"reason": "Créée deux fois par erreur"}
    assert told(app, need.id, "left_lead") == [author.id]


def test_a_lead_with_workshops_is_not_deleted_but_abandoned(client, auth, moderator, make, app):
    lead = make.lead(moderator=moderator)
    auth.login(moderator)
    client.post(f"/pistes/{lead.id}/ateliers", data={"held_on": "2026-02-10",
                                                     "place": "Centre social"})
    page = client.get(f"/pistes/{lead.id}/supprimer")
    assert "abandonnez-la avec une raison" in plain(page)
    refused = client.post(f"/pistes/{lead.id}/supprimer", data={"reason": "Erreur"})
    assert refused.status_code == 422
    assert "abandonnez-la avec une raison" in plain(refused)
    with app.app_context():
        assert db.session.get(Lead, lead.id) is not None


def test_residents_cannot_detach_or_delete(client, auth, resident, moderator, make, app):
    need = make.submission()
    lead = make.lead([need], moderator)
    auth.login(resident)
    assert client.post(f"/pistes/{lead.id}/contributions/{need.id}/detacher").status_code == 403
    assert client.post(f"/pistes/{lead.id}/supprimer",
                       data={"reason": "Erreur"}).status_code == 403
    assert status_of(app, need.id) == "in_project"


def test_a_need_whose_lead_was_abandoned_feeds_a_new_lead(client, auth, moderator, make, app):
    need = make.submission()
    old = make.lead([need], moderator, title="Première tentative")
    auth.login(moderator)
    with app.app_context():
        territory_id = db.session.get(Submission, need.id).territory_id
        theme_id = db.session.get(Submission, need.id).theme_id
    data = {"submission_ids": str(need.id), "title": "Seconde tentative",
            "summary": "On reprend avec un autre partenaire.", "territory": territory_id,
            "theme": theme_id}
    taken = client.post("/pistes/nouvelle", data=data)
    assert taken.status_code == 422
    assert f"La contribution {need.id} appartient déjà à une piste de projet." in plain(taken)
    move(client, old.id, "abandoned", note="Arrêt", reason="Pas de porteur trouvé")
    response = client.post("/pistes/nouvelle", data=data)
    assert response.status_code == 302
    with app.app_context():
        new = db.session.scalars(select(Lead).where(Lead.title == "Seconde tentative")).one()
        assert [s.id for s in new.submissions] == [need.id]
        assert db.session.get(Lead, old.id).links == []
        assert db.session.get(Lead, old.id).history  # the abandoned lead keeps its trail
    assert status_of(app, need.id) == "in_project"
