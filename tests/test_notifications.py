"""Following, the in-site list, the mail setting, the daily digest and the one-click unsubscribe."""
from __future__ import annotations

from portal.extensions import db
from portal.models import User


def answer(client, need, text="Nous étudions ce besoin."):
    return client.post(f"/moderation/contributions/{need.id}/reponse",
                       data={"text": text, "status": "under_study"})


def test_follow_toggle_and_the_inbox(app, client, auth, make, resident, moderator):
    need = make.submission()
    auth.login(resident)
    client.post(f"/contributions/{need.id}/suivre")
    auth.logout()
    auth.login(moderator)
    answer(client, need)
    auth.logout()
    auth.login(resident)
    inbox = client.get("/compte/notifications/")
    assert need.title in inbox.text and 'class="unread"' in inbox.text
    client.post("/compte/notifications/lues")
    assert 'class="unread"' not in client.get("/compte/notifications/").text
    client.post(f"/contributions/{need.id}/suivre")
    from portal.services.accounts.notifications import is_following
    with app.app_context():
        from portal.models import Submission
        assert not is_following(db.session.get(User, resident.id),
                                db.session.get(Submission, need.id))


def test_daily_digest_groups_the_news_and_unsubscribe_stops_mails(app, client, auth, make,
                                                                   moderator, outbox):
    reader = make.user(email="digest@example.org")
    needs = [make.submission() for _ in range(2)]
    auth.login(reader)
    client.post("/compte/notifications/", data={"frequency": "daily"})
    for need in needs:
        client.post(f"/contributions/{need.id}/suivre")
    auth.logout()
    auth.login(moderator)
    for need in needs:
        answer(client, need)
    assert outbox.messages("digest@example.org") == []
    result = app.test_cli_runner().invoke(args=["send-digest"])
    assert result.exit_code == 0 and "1 digests queued" in result.output
    mails = outbox.messages("digest@example.org")
    assert len(mails) == 1
    body = mails[0].get_content()
    assert all(need.title in body for need in needs)
    assert app.test_cli_runner().invoke(args=["send-digest"]).output.startswith("0")

    link = outbox.last_link("digest@example.org")
    unsubscribe = next(line.strip() for line in body.splitlines() if "desabonnement" in line)
    path = unsubscribe[unsubscribe.index("/compte"):]
    assert mails[0]["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert mails[0]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # Opening the link (a mail scanner does) only asks; the button unsubscribes.
    confirm = client.get(path)
    assert confirm.status_code == 200 and "Ne plus recevoir de courriels" in confirm.text and link
    with app.app_context():
        assert db.session.get(User, reader.id).notification_frequency == "daily"
    response = client.post(path, data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200 and "Désabonnement confirmé" in response.text
    with app.app_context():
        assert db.session.get(User, reader.id).notification_frequency == "never"
    assert client.get("/compte/notifications/desabonnement/forged").status_code == 400


def test_a_bad_frequency_is_refused(client, auth, resident):
    auth.login(resident)
    assert client.post("/compte/notifications/", data={"frequency": "hourly"}).status_code == 422


def test_visitors_have_no_inbox(client):
    assert client.get("/compte/notifications/").status_code == 302


def test_a_mail_client_unsubscribes_in_one_click_and_old_or_forged_links_do_not(app, client,
                                                                               make, monkeypatch):
    """RFC 8058: the mail client POSTs the link without a form token; an expired link refuses."""
    from portal.services.accounts import notifications
    from portal.services.core.tokens import make_token

    reader = make.user(email="lectrice@example.org")
    with app.app_context():
        token = make_token(notifications.UNSUBSCRIBE, {"uid": reader.id})
    path = f"/compte/notifications/desabonnement/{token}"
    monkeypatch.setattr(notifications, "UNSUBSCRIBE_LINK_MAX_AGE", -1)
    assert client.get(path).status_code == 400
    assert client.post(path).status_code == 400
    monkeypatch.setattr(notifications, "UNSUBSCRIBE_LINK_MAX_AGE", 3600)
    assert client.post(path, data={"List-Unsubscribe": "One-Click"}).status_code == 200
    with app.app_context():
        assert db.session.get(User, reader.id).notification_frequency == "never"
    assert client.post("/compte/notifications/desabonnement/forged").status_code == 400
