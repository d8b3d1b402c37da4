"""Every route of `app.url_map` against every kind of person, with the status each must get.

Ten columns: visitor, resident (the author of the objects in the URLs), another resident, a
blocked resident (blocked after logging in), an unconfirmed resident, partners of two
organisations (the first owns the organisation and token in the URLs), a committee member, a
moderator, an administrator. A GET route is opened; a POST-only route is sent an empty form (the
CSRF check is tests/test_csrf.py's). Ids of records this test does not create (workshops,
offers, meetings...) are 999999: the guard answers first, a 404 follows for those let through.
The rows run in this order and the routes act (the author withdraws, a moderator publishes...),
so each row meets the records as the rows before it left them: the same every run. A new route
fails the test until its row is written here.
"""
from __future__ import annotations

import pytest

from portal.extensions import db, limiter
from portal.models import ApiToken, User
from portal.services.partners import forwarding as partners
from portal.services.partners import tokens as api_tokens
from portal.services.submissions import moderation

ROLES = ("visitor", "resident", "other", "blocked", "unconfirmed", "partner_a", "partner_b",
         "committee", "moderator", "admin")
MISSING = 999999
#: Routes that end the sessions the other rows need: asked last.
LAST = {"accounts.logout"}


@pytest.fixture
def world(app, make, admin, moderator, unlimited_matrix):
    """The people, logged in on their own clients, and the records the URLs name."""
    people = {"resident": make.user(), "other": make.user(), "blocked": make.user(),
              "unconfirmed": make.user(verified=False), "partner_a": make.user(),
              "partner_b": make.user(), "committee": make.user(role="committee"),
              "moderator": moderator, "admin": admin}
    submission = make.submission(people["resident"])
    comment = make.comment(submission, people["resident"])
    lead = make.lead([submission], moderator, public=True)
    with app.app_context():
        boss = db.session.get(User, admin.id)
        first = partners.create_organisation(boss, "Organisation A", "metropole_service", None)
        second = partners.create_organisation(boss, "Organisation B", "relay", None)
        partners.attach_user(boss, first, people["partner_a"].email)
        partners.attach_user(boss, second, people["partner_b"].email)
        api_tokens.issue(boss, first, "script", ["opportunities:read"])
        token_id = db.session.query(ApiToken.id).scalar()
        organisation_id = first.id
    clients = {"visitor": app.test_client()}
    for role, person in people.items():
        clients[role] = app.test_client()
        clients[role].post("/compte/connexion", data={"email": person.email,
                                                      "password": "correct horse battery"})
    with app.app_context():
        moderation.block(db.session.get(User, moderator.id),
                         db.session.get(User, people["blocked"].id), hide_content=False)
    values = {"submission_id": submission.id, "comment_id": comment.id, "lead_id": lead.id,
              "user_id": make.user(display_name="Cible").id, "organisation_id": organisation_id,
              "token_id": token_id, "target_id": submission.id, "kind": "contribution",
              "decision": "keep", "fmt": "csv", "token": "jeton-invalide",
              "filename": "css/portal.css"}
    return clients, values


@pytest.fixture
def unlimited_matrix(monkeypatch):
    monkeypatch.setattr(limiter, "enabled", False)


def observed(app, clients, values) -> dict[str, str]:
    with app.test_request_context():  # only to build the addresses: no request shares it
        routes = [(f"{'GET' if 'GET' in rule.methods else 'POST'} {rule.rule}",
                   rule.build({name: values.get(name, MISSING) for name in rule.arguments},
                              append_unknown=False)[1])
                  for rule in sorted(app.url_map.iter_rules(),
                                     key=lambda r: (r.endpoint in LAST, r.rule))]
    matrix = {}
    for key, url in routes:
        statuses = []
        for role in ROLES:
            client = clients[role]
            response = client.get(url) if key.startswith("GET") else client.post(url, data={})
            statuses.append(str(response.status_code))
            response.close()  # a static file's stream
        matrix[key] = " ".join(statuses)
    return matrix


def test_every_route_answers_each_person_as_expected(app, world):
    clients, values = world
    matrix = observed(app, clients, values)
    assert matrix.keys() == EXPECTED.keys(), "a route was added or removed: write its row"
    assert {key: statuses for key, statuses in matrix.items() if statuses != EXPECTED[key]} \
        == {}, "columns: " + " ".join(ROLES)


#: Columns in the order of ROLES. 302 for a visitor is the login page; for a person logged in,
#: the action done (or refused with a message on the page it goes back to).
EXPECTED: dict[str, str] = {
    'GET /': '200 200 200 200 200 200 200 200 200 200',
    'GET /accessibilite': '200 200 200 200 200 200 200 200 200 200',
    'GET /admin/envois': '302 403 403 403 403 403 403 403 403 200',
    'POST /admin/envois/<int:message_id>/relancer': '302 403 403 403 403 403 403 403 403 302',
    'GET /admin/etapes': '302 403 403 403 403 403 403 403 403 200',
    'POST /admin/jetons/<int:token_id>/revoquer': '302 403 403 403 403 403 403 403 403 302',
    'GET /admin/organisations': '302 403 403 403 403 403 403 403 403 200',
    'GET /admin/organisations/<int:organisation_id>': '302 403 403 403 403 403 403 403 403 200',
    'POST /admin/organisations/<int:organisation_id>/jetons':
        '302 403 403 403 403 403 403 403 403 422',
    'POST /admin/organisations/<int:organisation_id>/membres':
        '302 403 403 403 403 403 403 403 403 422',
    'GET /api/v1/leads': '200 200 200 200 200 200 200 200 200 200',
    'GET /api/v1/openapi.json': '200 200 200 200 200 200 200 200 200 200',
    'GET /api/v1/opportunities': '401 401 401 401 401 401 401 401 401 401',
    'POST /api/v1/opportunities': '401 401 401 401 401 401 401 401 401 401',
    'GET /api/v1/opportunities/<int:item_id>': '401 401 401 401 401 401 401 401 401 401',
    'GET /api/v1/submissions': '200 200 200 200 200 200 200 200 200 200',
    'GET /api/v1/submissions/<int:submission_id>': '200 200 200 200 200 200 200 200 200 200',
    'GET /api/v1/territories': '200 200 200 200 200 200 200 200 200 200',
    'GET /api/v1/themes': '200 200 200 200 200 200 200 200 200 200',
    'GET /compte/': '302 200 200 200 200 200 200 200 200 200',
    'GET /compte/activite': '302 200 200 200 200 200 200 200 200 200',
    'GET /compte/activite/toujours-un-besoin/<int:question_id>':
        '302 404 404 404 404 404 404 404 404 404',
    'POST /compte/confirmer': '302 302 302 302 302 302 302 302 302 302',
    'GET /compte/confirmer/<token>': '400 400 400 400 400 400 400 400 400 400',
    'POST /compte/confirmer/adresse': '400 400 400 400 400 400 400 400 400 400',
    'GET /compte/connexion': '200 302 302 302 302 302 302 302 302 302',
    'GET /compte/connexion/code': '302 302 302 302 302 302 302 302 302 302',
    'POST /compte/deconnexion': '302 302 302 302 302 302 302 302 302 302',
    'GET /compte/inscription': '200 302 302 302 302 302 302 302 302 302',
    'GET /compte/mes-donnees': '302 200 200 200 200 200 200 200 200 200',
    'GET /compte/mes-donnees/<token>': '302 400 400 400 400 400 400 400 400 400',
    'GET /compte/mes-donnees/<token>/donnees.<fmt>': '302 400 400 400 400 400 400 400 400 400',
    'GET /compte/mot-de-passe-oublie': '200 200 200 200 200 200 200 200 200 200',
    'GET /compte/notifications/': '302 200 200 200 200 200 200 200 200 200',
    'GET /compte/notifications/desabonnement/<token>': '400 400 400 400 400 400 400 400 400 400',
    'POST /compte/notifications/lues': '302 302 302 302 302 302 302 302 302 302',
    'POST /compte/nouveau-mot-de-passe': '400 400 400 400 400 400 400 400 400 400',
    'GET /compte/nouveau-mot-de-passe/<token>': '400 400 400 400 400 400 400 400 400 400',
    'POST /compte/nouvelle-adresse': '400 400 400 400 400 400 400 400 400 400',
    'GET /compte/nouvelle-adresse/<token>': '400 400 400 400 400 400 400 400 400 400',
    'GET /compte/parametres': '302 200 200 200 200 200 200 200 200 200',
    'POST /compte/parametres/adresse': '302 422 422 422 422 422 422 422 422 422',
    'POST /compte/parametres/mot-de-passe': '302 422 422 422 422 422 422 422 422 422',
    'POST /compte/parametres/profil': '302 422 422 422 422 422 422 422 422 422',
    'GET /compte/securite': '302 404 404 404 404 404 404 200 200 200',
    'POST /compte/securite/commencer': '302 302 302 302 302 302 302 302 302 302',
    'GET /compte/supprimer': '302 200 200 200 200 200 200 200 200 200',
    'GET /confidentialite': '200 200 200 200 200 200 200 200 200 200',
    'GET /contributions/': '200 200 200 200 200 200 200 200 200 200',
    'GET /contributions/<int:submission_id>': '200 200 200 200 200 200 200 200 200 200',
    'POST /contributions/<int:submission_id>/commentaires':
        '302 422 422 422 302 422 422 422 422 422',
    'GET /contributions/<int:submission_id>/modifier': '302 403 403 302 302 403 403 403 403 403',
    'POST /contributions/<int:submission_id>/publier': '302 403 403 403 403 403 403 403 403 403',
    'POST /contributions/<int:submission_id>/refuser': '302 403 403 403 403 403 403 403 302 302',
    'POST /contributions/<int:submission_id>/retirer': '302 403 403 403 302 403 403 403 403 403',
    'POST /contributions/<int:submission_id>/retirer-soutien':
        '302 302 302 302 302 302 302 302 302 302',
    'POST /contributions/<int:submission_id>/signaler': '302 302 302 302 302 302 302 302 302 302',
    'POST /contributions/<int:submission_id>/soutenir': '302 403 302 403 302 302 302 302 302 302',
    'POST /contributions/<int:submission_id>/suivre': '302 302 302 302 302 302 302 302 302 302',
    'GET /contributions/commentaires/<int:comment_id>/modifier':
        '302 200 403 302 302 403 403 403 403 403',
    'POST /contributions/commentaires/<int:comment_id>/signaler':
        '302 302 302 302 302 302 302 302 302 302',
    'POST /contributions/commentaires/<int:comment_id>/supprimer':
        '302 302 403 403 302 403 403 403 403 403',
    'GET /contributions/nouvelle': '302 200 200 403 302 200 200 200 200 200',
    'GET /contributions/semblables': '200 200 200 200 200 200 200 200 200 200',
    'GET /donnees-ouvertes': '200 200 200 200 200 200 200 200 200 200',
    'GET /donnees-ouvertes/contributions.<fmt>': '200 200 200 200 200 200 200 200 200 200',
    'GET /donnees-ouvertes/projets.<fmt>': '200 200 200 200 200 200 200 200 200 200',
    'GET /flux/contributions.atom': '200 200 200 200 200 200 200 200 200 200',
    'GET /flux/projets.atom': '200 200 200 200 200 200 200 200 200 200',
    'GET /healthz': '200 200 200 200 200 200 200 200 200 200',
    'POST /langue': '302 302 302 302 302 302 302 302 302 302',
    'GET /mentions-legales': '200 200 200 200 200 200 200 200 200 200',
    'GET /moderation/': '302 403 403 403 403 403 403 403 200 200',
    'GET /moderation/comptes': '302 403 403 403 403 403 403 403 200 200',
    'POST /moderation/comptes/<int:user_id>/bloquer': '302 403 403 403 403 403 403 403 302 302',
    'POST /moderation/comptes/<int:user_id>/debloquer': '302 403 403 403 403 403 403 403 302 302',
    'POST /moderation/comptes/<int:user_id>/role': '302 403 403 403 403 403 403 403 403 400',
    'GET /moderation/contributions/<int:submission_id>': '302 403 403 403 403 403 403 403 200 200',
    'POST /moderation/contributions/<int:submission_id>/defusion':
        '302 403 403 403 403 403 403 403 422 422',
    'POST /moderation/contributions/<int:submission_id>/details':
        '302 403 403 403 403 403 403 403 422 422',
    'POST /moderation/contributions/<int:submission_id>/fusion':
        '302 403 403 403 403 403 403 403 422 422',
    'POST /moderation/contributions/<int:submission_id>/notes':
        '302 403 403 403 403 403 403 403 422 422',
    'POST /moderation/contributions/<int:submission_id>/publier':
        '302 403 403 403 403 403 403 403 403 403',
    'POST /moderation/contributions/<int:submission_id>/publier-et-faire-confiance':
        '302 403 403 403 403 403 403 403 403 403',
    'POST /moderation/contributions/<int:submission_id>/refuser':
        '302 403 403 403 403 403 403 403 422 422',
    'POST /moderation/contributions/<int:submission_id>/refuser-et-bloquer':
        '302 403 403 403 403 403 403 403 422 422',
    'POST /moderation/contributions/<int:submission_id>/reponse':
        '302 403 403 403 403 403 403 403 422 422',
    'POST /moderation/contributions/<int:submission_id>/responsable':
        '302 403 403 403 403 403 403 403 302 302',
    'GET /moderation/file-d-attente': '302 403 403 403 403 403 403 403 200 200',
    'POST /moderation/file-d-attente/lot': '302 403 403 403 403 403 403 403 302 302',
    'GET /moderation/journal': '302 403 403 403 403 403 403 403 403 200',
    'GET /moderation/ma-file': '302 403 403 403 403 403 403 403 200 200',
    'GET /moderation/masques': '302 403 403 403 403 403 403 403 200 200',
    'POST /moderation/masques/<kind>/<int:target_id>/retablir':
        '302 403 403 403 403 403 403 403 302 302',
    'GET /moderation/modeles': '302 403 403 403 403 403 403 403 200 200',
    'GET /moderation/modeles/<int:template_id>': '302 403 403 403 403 403 403 403 404 404',
    'GET /moderation/sans-reponse': '302 403 403 403 403 403 403 403 200 200',
    'GET /moderation/signalements': '302 403 403 403 403 403 403 403 200 200',
    'POST /moderation/signalements/<kind>/<int:target_id>/<decision>':
        '302 403 403 403 403 403 403 403 400 400',
    'GET /partenaires/': '302 403 403 403 403 200 200 403 403 403',
    'GET /partenaires/inscrire': '302 403 403 403 403 200 200 403 403 403',
    'GET /partenaires/jetons': '302 403 403 403 403 200 200 403 403 403',
    'POST /partenaires/jetons/<int:token_id>/revoquer': '302 403 403 403 403 302 404 403 403 403',
    'GET /partenaires/transmettre': '302 403 403 403 403 200 200 403 403 403',
    'POST /partenaires/webhook': '302 403 403 403 403 302 302 403 403 403',
    'POST /partenaires/webhook/secret': '302 403 403 403 403 403 403 403 403 403',
    'POST /partenaires/webhook/test': '302 403 403 403 403 403 403 403 403 403',
    'GET /pistes/': '302 403 403 403 403 403 403 403 200 200',
    'GET /pistes/<int:lead_id>': '302 403 403 403 403 403 403 403 200 200',
    'POST /pistes/<int:lead_id>/ateliers': '302 403 403 403 403 403 403 403 422 422',
    'POST /pistes/<int:lead_id>/contributions/<int:submission_id>/detacher':
        '302 403 403 403 403 403 403 403 302 400',
    'POST /pistes/<int:lead_id>/entreprise': '302 403 403 403 403 403 403 403 422 422',
    'POST /pistes/<int:lead_id>/etape': '302 403 403 403 403 403 403 403 422 422',
    'GET /pistes/<int:lead_id>/modifier': '302 403 403 403 403 403 403 403 200 200',
    'POST /pistes/<int:lead_id>/offres/<int:offer_id>/contact':
        '302 403 403 403 403 403 403 403 404 404',
    'POST /pistes/<int:lead_id>/offres/<int:offer_id>/statut':
        '302 403 403 403 403 403 403 403 404 404',
    'POST /pistes/<int:lead_id>/ordre-du-jour': '302 403 403 403 403 403 403 403 422 422',
    'POST /pistes/<int:lead_id>/partenaires': '302 403 403 403 403 403 403 403 422 422',
    'POST /pistes/<int:lead_id>/partenaires/<int:partner_id>/supprimer':
        '302 403 403 403 403 403 403 403 404 404',
    'POST /pistes/<int:lead_id>/rattacher': '302 403 403 403 403 403 403 403 422 422',
    'POST /pistes/<int:lead_id>/responsable': '302 403 403 403 403 403 403 403 302 302',
    'GET /pistes/<int:lead_id>/supprimer': '302 403 403 403 403 403 403 403 200 200',
    'POST /pistes/ateliers/<int:workshop_id>/compte-rendu':
        '302 403 403 403 403 403 403 403 404 404',
    'POST /pistes/ateliers/<int:workshop_id>/evenement': '302 403 403 403 403 403 403 403 404 404',
    'POST /pistes/ateliers/<int:workshop_id>/inviter': '302 403 403 403 403 403 403 403 404 404',
    'GET /pistes/comite': '302 403 403 403 403 403 403 200 200 200',
    'GET /pistes/comite/<int:meeting_id>': '302 403 403 403 403 403 403 404 404 404',
    'POST /pistes/comite/points/<int:item_id>/decision': '302 403 403 403 403 403 403 404 404 404',
    'GET /pistes/export.csv': '302 403 403 403 403 403 403 403 200 200',
    'GET /pistes/liste': '302 403 403 403 403 403 403 403 200 200',
    'GET /pistes/mes-pistes': '302 403 403 403 403 403 403 403 200 200',
    'GET /pistes/nouvelle': '302 403 403 403 403 403 403 403 200 200',
    'GET /pistes/synthese': '302 403 403 403 403 403 403 200 200 200',
    'GET /pistes/synthese.csv': '302 403 403 403 403 403 403 200 200 200',
    'GET /plan-du-site': '200 200 200 200 200 200 200 200 200 200',
    'GET /projets/': '200 200 200 200 200 200 200 200 200 200',
    'GET /projets/<int:lead_id>': '200 200 200 200 200 200 200 200 200 200',
    'POST /projets/<int:lead_id>/proposer': '302 422 422 422 302 422 422 422 422 422',
    'GET /projets/ateliers/<int:workshop_id>': '302 404 404 404 302 404 404 404 404 404',
    'GET /projets/ateliers/<int:workshop_id>/atelier.ics':
        '302 404 404 404 302 404 404 404 404 404',
    'POST /projets/ateliers/<int:workshop_id>/reponse': '302 404 404 404 302 404 404 404 404 404',
    'POST /projets/contribution/<int:submission_id>/proposer':
        '302 422 422 422 302 422 422 422 422 422',
    'POST /projets/offres/<int:offer_id>/consentement': '302 404 404 404 302 404 404 404 404 404',
    'GET /robots.txt': '200 200 200 200 200 200 200 200 200 200',
    'GET /sitemap.xml': '200 200 200 200 200 200 200 200 200 200',
    'GET /static/<path:filename>': '200 200 200 200 200 200 200 200 200 200',
}
