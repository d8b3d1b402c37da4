"""Every back-office edit form shows the stored values: saved unchanged, nothing moves."""
from __future__ import annotations

import pytest

from portal.extensions import db
from portal.models import Lead, ReplyTemplate, Submission, User
from portal.services.submissions import moderation

from .form_roundtrip import resubmit_unchanged, submitted_fields


def _tags(submission):
    return {"tags": sorted(t.name for t in submission.tags)}


def test_saving_the_review_form_unchanged_keeps_place_theme_and_tags(app, client, auth, make,
                                                                     moderator):
    metropole = make.territory("Amiens Métropole")
    commune = make.territory("Saint-Maurice", parent=metropole)
    make.theme("Mobilité")
    insertion = make.theme("Insertion")
    need = make.submission(status="pending", territory=commune, theme=insertion,
                           title="Un atelier vélo solidaire")
    with app.app_context():
        moderation.bulk_tag([need.id], db.session.get(User, moderator.id), "vélo, atelier")
    auth.login(moderator)
    url = f"/moderation/contributions/{need.id}"
    fields = dict(submitted_fields(client.get(url).text, url))
    assert (fields["territory"], fields["theme"], fields["tags"]) == (
        str(commune.id), str(insertion.id), "atelier, vélo")
    resubmit_unchanged(app, client, url, url, Submission, need.id, extra=_tags)


def test_saving_the_review_form_of_a_published_contribution_changes_nothing(app, client, auth,
                                                                           make, moderator):
    need = make.submission(territory=make.territory(parent=make.territory()))
    auth.login(moderator)
    url = f"/moderation/contributions/{need.id}"
    resubmit_unchanged(app, client, url, url, Submission, need.id, extra=_tags)


def _members(lead):
    return {"members": sorted(m.user_id for m in lead.members)}


def test_saving_the_lead_fiche_unchanged_changes_nothing(app, client, auth, make, moderator):
    territory = make.territory(parent=make.territory())
    make.theme()
    need = make.submission(territory=territory, theme=make.theme())
    # The sections in the order the fiche stores them (the factory's order is its own).
    lead = make.lead([need], moderator, public=True, notes="Rencontré le centre social.",
                     sections=("need", "partners", "workshops", "decisions"))
    auth.login(moderator)
    url = f"/pistes/{lead.id}/modifier"
    resubmit_unchanged(app, client, url, url, Lead, lead.id, extra=_members)


def test_saving_a_reply_template_unchanged_changes_nothing(app, client, auth, moderator):
    auth.login(moderator)
    client.post("/moderation/modeles", data={"title": "Hors territoire",
                                             "body": "Ce besoin concerne\nune autre commune."})
    with app.app_context():
        template = db.session.scalar(db.select(ReplyTemplate))
    url = f"/moderation/modeles/{template.id}"
    resubmit_unchanged(app, client, url, url, ReplyTemplate, template.id)


@pytest.mark.parametrize("role", ["committee", "moderator", "partner", "admin", "resident"])
def test_the_role_select_shows_the_current_role(app, client, auth, make, admin, role):
    member = make.user(role=role, email=f"{role}-membre@example.org")
    auth.login(admin)
    page = f"/moderation/comptes?q={member.email}"
    action = f"/moderation/comptes/{member.id}/role"
    assert dict(submitted_fields(client.get(page).text, action))["role"] == role
    resubmit_unchanged(app, client, page, action, User, member.id)


def test_the_committee_role_is_granted_from_the_accounts_page(app, client, auth, make, admin):
    member = make.user(email="elue@example.org")
    auth.login(admin)
    page = client.get(f"/moderation/comptes?q={member.email}")
    assert "Membre du comité" in page.text
    response = client.post(f"/moderation/comptes/{member.id}/role", data={"role": "committee"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(User, member.id).role == "committee"
    page = client.get(f"/moderation/comptes?q={member.email}")
    assert dict(submitted_fields(page.text, f"/moderation/comptes/{member.id}/role"))[
        "role"] == "committee"


def test_asking_for_details_reopens_editing_until_the_author_resubmits(app, client, auth, make,
                                                                       moderator):
    author = make.user(email="autrice@example.org")
    need = make.submission(author, status="pending", title="Pas de bus le dimance")
    edit = f"/contributions/{need.id}/modifier"
    review = f"/moderation/contributions/{need.id}"
    auth.login(moderator)
    fields = dict(submitted_fields(client.get(review).text, review))
    client.post(review, data={**fields, "title": "Pas de bus le dimanche"})
    auth.logout()
    auth.login(author)
    assert client.get(edit).status_code == 403  # a moderator touched it: the author waits
    auth.logout()
    auth.login(moderator)
    client.post(f"{review}/details", data={"message": "Quelles heures vous manquent ?"})
    auth.logout()
    auth.login(author)
    page = client.get(edit)
    assert page.status_code == 200
    fields = dict(submitted_fields(page.text, edit, edit))
    assert fields["title"] == "Pas de bus le dimanche"
    response = client.post(edit, data={**fields, "body": fields["body"] + " Surtout le soir."})
    assert response.status_code == 302
    with app.app_context():
        saved = db.session.get(Submission, need.id)
        assert saved.body.endswith("Surtout le soir.") and saved.details_requested_at is None
    assert client.get(edit).status_code == 403  # sent back: the moderators have it again
    auth.logout()
    auth.login(moderator)
    assert "Pas de bus le dimanche" in client.get("/moderation/file-d-attente").text.split(
        "Waiting for their author")[0].split("En attente de leur auteur")[0]
