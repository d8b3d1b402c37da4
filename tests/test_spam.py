"""Spam held off without a captcha: a honeypot and a minimum fill time on the public forms, a
daily allowance for new accounts, and the moderators' "publish and trust this author" and
"decline and block" (one action each)."""
from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import AuditEntry, Submission, User, utcnow
from portal.services.core.tokens import form_shown_token

from .test_submissions import need_form

TOO_FAST = "plus vite qu&#39;une personne"
TRAP_FILLED = "laissez vide le dernier champ"
REGISTRATION = {"email": "nouvelle@example.org", "display_name": "Nouvelle",
                "password": "un mot de passe solide", "password_confirm": "un mot de passe solide",
                "home_territory": "", "consent": "y"}


@pytest.fixture
def place(make):
    return {"commune": make.territory("Longueau"), "theme": make.theme("Mobilité")}


@pytest.fixture
def min_fill(app, monkeypatch):
    """The production setting: a form sent back within 3 s of being shown is refused."""
    monkeypatch.setitem(app.config, "FORM_MIN_SECONDS", 3)


def shown_ago(app, seconds: float) -> str:
    """The signed moment a form was shown `seconds` ago: tests go back in time, never sleep."""
    with app.test_request_context():
        return form_shown_token(time.time() - seconds)


def users(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(User.id)))


def test_a_filled_honeypot_is_refused_and_what_was_typed_comes_back(app, client):
    page = client.get("/compte/inscription")
    assert 'class="trap" aria-hidden="true"' in page.text and 'tabindex="-1"' in page.text
    response = client.post("/compte/inscription",
                           data={**REGISTRATION, "leave_empty": "https://casino.example"})
    assert response.status_code == 422 and TRAP_FILLED in response.text
    assert 'value="nouvelle@example.org"' in response.text and users(app) == 0


def test_a_form_sent_back_at_once_is_refused_then_accepted_when_sent_again(app, client,
                                                                         min_fill):
    page = client.get("/compte/inscription")
    shown = re.search(r'name="shown" type="hidden" value="([^"]+)"', page.text)[1]
    at_once = client.post("/compte/inscription", data={**REGISTRATION, "shown": shown})
    assert at_once.status_code == 422 and TOO_FAST in at_once.text
    assert 'value="Nouvelle"' in at_once.text and users(app) == 0
    fresh = re.search(r'name="shown" type="hidden" value="([^"]+)"', at_once.text)[1]
    assert fresh != shown  # the person's second try is timed from this page
    for missing_or_forged in ("", "not-a-token", shown_ago(app, 10) + "x"):
        refused = client.post("/compte/inscription",
                              data={**REGISTRATION, "shown": missing_or_forged})
        assert refused.status_code == 422 and TOO_FAST in refused.text
    later = client.post("/compte/inscription", data={**REGISTRATION, "shown": shown_ago(app, 4)})
    assert later.status_code == 302 and users(app) == 1


@pytest.fixture
def forms(app, client, auth, admin, make, place):
    """Every public form, as (page, action, data) for a logged-in person of the right kind."""
    from .test_partners import create_organisation

    published = make.submission()
    agent = make.user(email="agent@metropole.example")
    auth.login(admin)
    organisation_id = create_organisation(client)
    client.post(f"/admin/organisations/{organisation_id}/membres", data={"email": agent.email})
    auth.logout()
    return {
        "register": (None, "/compte/inscription", "/compte/inscription", REGISTRATION),
        "post": (make.user(), "/contributions/nouvelle", "/contributions/nouvelle",
                 need_form(place)),
        "comment": (make.user(), f"/contributions/{published.id}",
                    f"/contributions/{published.id}/commentaires",
                    {"body": "Je prends ce bus aussi."}),
        "forward": (agent, "/partenaires/transmettre", "/partenaires/transmettre", {
            "title": "Un local vacant rue Jean Jaurès", "description": "Le local est vide "
            "depuis deux ans ; la mairie cherche un projet.", "territory": place["commune"].id,
            "theme": place["theme"].id}),
    }


@pytest.mark.parametrize("name", ["register", "post", "comment", "forward"])
def test_every_public_form_has_both_checks(app, client, auth, forms, min_fill, name):
    person, page, action, data = forms[name]
    if person is not None:
        auth.login(person)
    assert 'class="trap"' in client.get(page).text
    trapped = client.post(action, data={**data, "shown": shown_ago(app, 60),
                                        "leave_empty": "spam"})
    assert trapped.status_code == 422 and TRAP_FILLED in trapped.text
    hasty = client.post(action, data={**data, "shown": shown_ago(app, 1)})
    assert hasty.status_code == 422 and TOO_FAST in hasty.text
    assert client.post(action, data={**data, "shown": shown_ago(app, 5)}).status_code == 302


def test_the_check_before_publishing_keeps_both_checks(app, client, auth, make, place, min_fill):
    """The look-alikes step carries the honeypot and the signed moment; sending again at once
    from that page is no robot, a filled trap is still refused."""
    make.submission(title="Pas de bus le dimanche matin à Longueau", territory=place["commune"])
    auth.login(make.user())
    step = client.post("/contributions/nouvelle",
                       data={**need_form(place), "shown": shown_ago(app, 5)})
    assert step.status_code == 200 and "Est-ce l'une de celles-ci" in step.text
    assert 'class="trap"' in step.text
    shown = re.search(r'name="shown" type="hidden" value="([^"]+)"', step.text)[1]
    checked = re.search(r'name="checked"[^>]*value="([^"]*)"', step.text)[1]
    again = {**need_form(place), "shown": shown, "checked": checked}
    trapped = client.post("/contributions/nouvelle", data={**again, "leave_empty": "spam"})
    assert trapped.status_code == 422 and TRAP_FILLED in trapped.text
    assert client.post("/contributions/nouvelle", data=again).status_code == 302


def test_a_new_account_posts_a_few_contributions_a_day(app, client, auth, make, place,
                                                        monkeypatch):
    monkeypatch.setitem(app.config, "NEW_ACCOUNT_DAILY_POSTS", 2)
    newcomer = make.user()
    auth.login(newcomer)
    for n in range(2):
        response = client.post("/contributions/nouvelle",
                               data=need_form(place, title=f"Un besoin numéro {n}"))
        assert response.status_code == 302
    third = client.post("/contributions/nouvelle", data=need_form(place, title="Un troisième"))
    assert third.status_code == 422
    assert "Un nouveau compte publie au plus 2 contributions par jour" in third.text
    assert 'value="Un troisième"' in third.text
    with app.app_context():  # a month later the account is no longer new
        db.session.get(User, newcomer.id).created_at = utcnow() - timedelta(days=30)
        db.session.commit()
    assert client.post("/contributions/nouvelle",
                       data=need_form(place, title="Un mois après")).status_code == 302


def test_publish_and_trust_lets_the_author_skip_the_queue(app, client, auth, make, moderator,
                                                          place, monkeypatch):
    monkeypatch.setitem(app.config, "NEW_ACCOUNT_DAILY_POSTS", 1)
    author = make.user()
    first = make.submission(author, status="pending")
    auth.login(moderator)
    review = client.get(f"/moderation/contributions/{first.id}")
    assert "Publier et faire confiance à cette personne" in review.text
    done = client.post(f"/moderation/contributions/{first.id}/publier-et-faire-confiance",
                       follow_redirects=True)
    assert done.status_code == 200 and "publiées sans attendre" in done.text
    with app.app_context():
        assert db.session.get(Submission, first.id).status == "published"
        assert db.session.get(User, author.id).trusted_at is not None
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "trust"))
        assert (entry.actor_id, entry.target_id) == (moderator.id, author.id)
    auth.logout()
    auth.login(author)
    posted = client.post("/contributions/nouvelle", data=need_form(place),
                         follow_redirects=True)  # trusted: no daily allowance either
    assert "Votre contribution est publiée" in posted.text


def test_decline_and_block_is_one_action(app, client, auth, make, moderator):
    spammer = make.user()
    spam = make.submission(spammer, status="pending", title="Gagnez de l'argent vite")
    other = make.submission(spammer, status="published", title="Casino en ligne gratuit")
    auth.login(moderator)
    review = client.get(f"/moderation/contributions/{spam.id}")
    assert "Refuser et bloquer la personne" in review.text
    action = f"/moderation/contributions/{spam.id}/refuser-et-bloquer"
    missing = client.post(action, data={"reason": "", "template": ""})
    assert missing.status_code == 422
    with app.app_context():  # nothing half done
        assert db.session.get(User, spammer.id).blocked_at is None
    client.post(action, data={"reason": "Publicité.", "template": ""})
    with app.app_context():
        assert db.session.get(Submission, spam.id).status == "declined"
        assert db.session.get(Submission, other.id).status == "hidden"
        assert db.session.get(User, spammer.id).is_blocked
        actions = set(db.session.scalars(select(AuditEntry.action)))
        assert {"decline", "block"} <= actions
    assert client.post(f"/moderation/contributions/{other.id}/refuser-et-bloquer",
                       data={"reason": "Publicité."}).status_code in (400, 403)
