"""Feedback that tells the truth: no thanks for a support already given, a report already sent
is said before the form, the dashboard's counts lead to exactly what they count, a page past
the end does not invite to post, numbers are written the French way and labels agree in number."""
from __future__ import annotations

from .visible import visible_text


def page_text(client, url: str) -> str:
    return visible_text(client.get(url).text)


def test_a_second_support_click_does_not_thank_again(client, auth, make, resident):
    submission = make.submission()
    auth.login(resident)
    first = client.post(f"/contributions/{submission.id}/soutenir", follow_redirects=True)
    assert "Merci pour votre soutien." in visible_text(first.text)
    second = client.post(f"/contributions/{submission.id}/soutenir", follow_redirects=True)
    assert "Merci pour votre soutien." not in visible_text(second.text)
    assert "Vous soutenez déjà cette contribution." in visible_text(second.text)


def test_withdrawing_a_support_never_given_says_so(client, auth, make, resident):
    submission = make.submission()
    auth.login(resident)
    response = client.post(f"/contributions/{submission.id}/retirer-soutien",
                           follow_redirects=True)
    assert "Vous ne souteniez pas cette contribution." in visible_text(response.text)
    assert "Votre soutien est retiré." not in visible_text(response.text)


def test_the_page_says_a_report_was_already_sent_before_any_form(client, auth, make, resident):
    submission = make.submission()
    comment = make.comment(submission)
    auth.login(resident)
    url = f"/contributions/{submission.id}"
    assert "Signaler cette contribution" in page_text(client, url)
    client.post(f"{url}/signaler", data={"reason": "spam"})
    client.post(f"/contributions/commentaires/{comment.id}/signaler", data={"reason": "insult"})
    page = client.get(url).text
    text = visible_text(page)
    assert "Vous avez déjà signalé cette contribution : l'équipe de modération va l'examiner." \
        in text
    assert "Vous avez déjà signalé ce commentaire." in text
    assert f'action="{url}/signaler"' not in page
    assert f'action="/contributions/commentaires/{comment.id}/signaler"' not in page


def test_the_dashboard_link_lists_exactly_the_published_without_answer(client, auth, make,
                                                                       moderator):
    waiting = [make.submission(title=f"Sans réponse {n}") for n in range(3)]
    answered = make.submission(title="Déjà répondue")
    make.submission(status="pending", title="Pas encore publiée")
    make.submission(status="declined", title="Refusée par la Fabrique")
    auth.login(moderator)
    client.post(f"/moderation/contributions/{answered.id}/reponse",
                data={"text": "Merci, nous la gardons ouverte.", "status": "published"})
    dashboard = client.get("/moderation/").text
    assert 'href="/moderation/sans-reponse"' in dashboard
    assert "3\npubliées sans réponse" in visible_text(dashboard)
    listed = page_text(client, "/moderation/sans-reponse")
    assert "3 contributions publiées attendent une réponse de la Fabrique." in listed
    assert all(s.title in listed for s in waiting)
    for other in ("Déjà répondue", "Pas encore publiée", "Refusée par la Fabrique"):
        assert other not in listed


def test_one_item_reads_in_the_singular(client, auth, make, moderator):
    make.submission(title="Seule sans réponse")
    auth.login(moderator)
    assert "1\npubliée sans réponse" in page_text(client, "/moderation/")


def test_a_listing_page_past_the_end_does_not_invite_to_post(client, make):
    make.submission(title="Un seul besoin")
    past = page_text(client, "/contributions/?page=9")
    assert "Cette page est au-delà de la fin de la liste." in past
    assert "Aller à la dernière page" in past
    assert "Soyez la première personne" not in past and "Soyez le premier" not in past
    assert "Partager un besoin ou une idée" not in past.split("Cette page")[1]


def test_counts_are_written_the_french_way(app, client, auth, make, moderator):
    from flask_babel import force_locale

    with app.test_request_context(), force_locale("fr"):
        number = app.jinja_env.filters["number"]
        assert number(1699) == "1\u202f699"
        assert number(0.94) == "0,94"
    with app.test_request_context(), force_locale("en"):
        assert app.jinja_env.filters["number"](1699) == "1,699"


def test_the_summary_labels_agree_in_number(client, auth, make, moderator):
    make.submission()
    auth.login(moderator)
    summary = page_text(client, "/pistes/synthese")
    assert "Publiées" in summary and "Nombre" in summary
    assert "\nPubliée\n" not in summary and "Numéro" not in summary

