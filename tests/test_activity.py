""""Mon activité": one page where a resident sees what became of everything they sent, supported,
followed and offered, in a fixed number of queries."""
from __future__ import annotations

from datetime import date

from portal.extensions import db
from portal.models import Lead, Submission, User
from portal.services.accounts import activity as activity_service
from portal.services.leads import offers, pipeline, workshops


def _world(app, make, moderator, resident, size: int):
    """`resident` posts `size` needs (the first becomes a private paused lead, the second is
    declined), supports and follows others, offers help on a public project and is invited to
    its workshop."""
    mine = [make.submission(resident, title=f"Mon besoin numéro {n}") for n in range(size)]
    declined = make.submission(resident, status="declined", title="Un besoin non retenu ici")
    others = [make.submission(title=f"Le besoin d'un voisin {n}") for n in range(size)]
    for other in others:
        make.support(other, resident)
    followed = make.submission(title="Un besoin suivi de loin")
    private = make.lead([mine[0]], moderator, title="Piste privée de l'épicerie")
    public = make.lead([others[0]], moderator, title="Projet public de navette", public=True)
    with app.app_context():
        actor, user = db.session.get(User, moderator.id), db.session.get(User, resident.id)
        pipeline.move(db.session.get(Lead, private.id), actor, "paused", note="Note privée",
                      reason="Attente d'un local")
        from portal.services.accounts import notifications
        notifications.follow(user, db.session.get(Submission, followed.id))
        db.session.commit()
        lead = db.session.get(Lead, public.id)
        offer = offers.offer_on_lead(user, lead, kind="contribute",
                                     message="Je peux conduire la navette le samedi.")
        offers.qualify(offer, lead, actor, "contacted")
        workshop = workshops.add_workshop(lead, actor, held_on=date(2026, 12, 3),
                                          place="Maison du quartier", participant_count=None)
        workshops.invite_residents(workshop, actor)
    return private, public, declined


def test_my_activity_tells_what_became_of_everything(app, client, auth, make, moderator):
    resident = make.user(email="ines@example.org")
    private, public, _declined = _world(app, make, moderator, resident, 2)
    auth.login(resident)
    home = client.get("/").text
    assert 'href="/compte/activite"' in home and "Mon activité" in home
    page = client.get("/compte/activite").text
    assert "Mon besoin numéro 0" in page and "Mon besoin numéro 1" in page
    assert "Le projet est en veille pour le moment. Pourquoi\u202f: Attente d&#39;un local" in page
    assert "Note privée" not in page and f"/projets/{private.id}" not in page
    assert "Un besoin non retenu ici" in page and "Non retenue" in page
    assert "Le besoin d&#39;un voisin 1" in page and "Un besoin suivi de loin" in page
    assert f'href="/projets/{public.id}"' in page
    assert "La Fabrique vous a contacté·e" in page and "Pour aider" in page
    assert "Maison du quartier" in page and "3 décembre 2026" in page


def test_an_empty_activity_says_so(client, auth, make):
    auth.login(make.user())
    page = client.get("/compte/activite").text
    assert "Vous n'avez pas encore proposé de porter ou d'aider un projet." in page
    assert "Aucune invitation pour l'instant." in page


def test_the_page_asks_for_a_login(client):
    assert "/compte/connexion" in client.get("/compte/activite").headers["Location"]


def test_activity_costs_the_same_queries_for_one_item_or_many(app, make, moderator,
                                                              count_queries):
    few, many = make.user(), make.user()
    _world(app, make, moderator, few, 1)
    _world(app, make, moderator, many, 6)

    def cost(user) -> tuple[int, int]:
        with app.app_context():
            person = db.session.get(User, user.id)
            with count_queries() as counter:
                found = activity_service.activity(person)
                shown = [(entry.submission.title, entry.submission.status,
                          entry.submission.public_answer, entry.lead and entry.lead.news)
                         for entry in found.contributions + found.supported + found.followed]
                shown += [(offer.offer.status, offer.offer.kind, offer.about)
                          for offer in found.offers]
            assert shown
            return counter.count, len(found.contributions)

    (few_queries, few_items), (many_queries, many_items) = cost(few), cost(many)
    assert (few_items, many_items) == (2, 7)
    assert few_queries == many_queries <= 8


def test_the_home_counts_residents_only_and_no_hidden_comment(app, client, make, moderator,
                                                              admin):
    from portal.services.submissions import flags

    author = make.user()
    need = make.submission(author)
    make.comment(need, body="Un commentaire correct.")
    rude = make.comment(need, body="Un commentaire insultant.")
    reporters = [make.user() for _ in range(app.config["FLAG_THRESHOLD"])]
    make.user(role="partner")
    with app.app_context():
        from portal.models import Comment
        for reporter in reporters:
            flags.flag_comment(db.session.get(User, reporter.id),
                               db.session.get(Comment, rude.id), "insult")
        assert db.session.get(Comment, rude.id).hidden_at is not None
        residents = db.session.query(User).filter_by(role="resident").count()
        everyone = db.session.query(User).count()
    assert everyone > residents
    home = client.get("/").text
    assert f"<strong>{residents}</strong> habitant·es inscrit·es" in home
    assert "<strong>1</strong> commentaire" in home
