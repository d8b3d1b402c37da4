""""Is it still a need?" (issue 10): the author of a quiet need, or of a need whose project is
paused or abandoned, is asked by mail and on Mon activité; the answer reaches the team's review
screen, the queue and the steering summary; a person is asked again only if they agree."""
from __future__ import annotations

import re

import pytest

from portal.extensions import db
from portal.models import StillANeedQuestion

from .lead_pages import french, text_of


@pytest.fixture
def right_away(app, monkeypatch):
    """Weeks pass in an instant: a need published now is already 'without news'."""
    monkeypatch.setitem(app.config, "STILL_A_NEED_AFTER_DAYS", 0)


def _ask(app) -> str:
    return app.test_cli_runner().invoke(args=["ask-still-a-need"]).output.strip()


def _questions(app, submission_id: int) -> list[tuple[str, str | None]]:
    with app.app_context():
        return [(q.reason, q.answer) for q in db.session.scalars(
            db.select(StillANeedQuestion).where(StillANeedQuestion.submission_id == submission_id)
            .order_by(StillANeedQuestion.id))]


def _question_link(outbox, to: str) -> str:
    """The link of the last question mailed to `to` (news mails may come after it)."""
    links = [match.group(1) for message in outbox.messages(to) for match in re.finditer(
        r"https?://[^/\s]+(/compte/activite/toujours-un-besoin/\d+)", message.get_content())]
    assert links, f"no question mailed to {to}"
    return links[-1]


def test_a_quiet_need_asks_its_author_by_mail_and_the_answer_reaches_the_team(
        app, client, auth, make, moderator, outbox, right_away):
    author = make.user(email="ines@example.org", display_name="Inès")
    need = make.submission(author, title="Une laverie solidaire à Étouvie")
    make.submission(author, kind="idea", title="Une idée, pas un besoin")  # ideas are not asked

    assert _ask(app) == "1 questions asked."
    assert _ask(app) == "0 questions asked."  # idempotent: one question waits
    mails = outbox.messages("ines@example.org")
    question_mails = [m for m in mails if m["Subject"] == french(app, "Is it still a need?")]
    assert len(question_mails) == 1
    assert "Une laverie solidaire à Étouvie" in question_mails[0].get_content()
    link = _question_link(outbox, "ines@example.org")

    # The mail's link asks to log in first, then opens the question; a GET never answers.
    assert client.get(link).status_code == 302
    auth.login(author)
    page = text_of(client.get(f"{link}?answer=solved"))
    assert french(app, "It has been solved elsewhere or by someone else") in page
    assert _questions(app, need.id) == [("quiet", None)]
    activity = text_of(client.get("/compte/activite"))
    assert french(app, "Answer for “%(title)s”", title="Une laverie solidaire à Étouvie") \
        in activity

    response = client.post(link, data={"answer": "solved",
                                       "comment": "Une laverie a ouvert rue Delpech."})
    assert response.status_code == 302
    assert french(app, "Thank you: the Fabrique has your answer.") in text_of(
        client.get(response.headers["Location"]))
    assert _questions(app, need.id) == [("quiet", "solved")]
    assert french(app, "Answer for “%(title)s”", title="Une laverie solidaire à Étouvie") \
        not in text_of(client.get("/compte/activite"))
    auth.logout()

    auth.login(moderator)
    review = text_of(client.get(f"/moderation/contributions/{need.id}"))
    assert french(app, "It has been solved") in review
    assert "Une laverie a ouvert rue Delpech." in review
    assert french(app, "No news for several weeks") in review
    queue = text_of(client.get("/moderation/file-d-attente"))
    assert french(app, "Authors' answers: is it still a need?") in queue
    assert "Une laverie solidaire à Étouvie" in queue
    summary = text_of(client.get("/pistes/synthese"))
    assert french(app, "Is it still a need? The authors' answers") in summary
    csv_text = client.get("/pistes/synthese.csv").get_data(as_text=True)
    assert f"still_a_need,solved,{french(app, 'It has been solved')},1" in csv_text
    assert f"still_a_need,still_a_need,{french(app, 'It is still a need')},0" in csv_text

    assert _ask(app) == "0 questions asked."  # solved: never asked again


def test_a_paused_then_abandoned_lead_asks_the_authors_once_not_the_supporters(
        app, client, auth, make, moderator, outbox):
    author = make.user(email="autrice@example.org")
    supporter = make.user(email="voisin@example.org")
    need = make.submission(author, title="Une épicerie solidaire")
    auth.login(supporter)
    client.post(f"/contributions/{need.id}/soutenir")
    auth.logout()
    lead = make.lead([need], moderator)
    auth.login(moderator)

    def move(to_stage, **extra):
        data = {"to_stage": to_stage, "note": "Note interne", **extra}
        assert client.post(f"/pistes/{lead.id}/etape", data={
            f"lead{lead.id}-{k}": v for k, v in data.items()}).status_code == 302

    move("opportunity")
    assert _questions(app, need.id) == []
    move("paused", reason="Attente d'un local")
    assert _questions(app, need.id) == [("lead_paused", None)]
    move("abandoned", reason="Aucun porteur")
    assert _questions(app, need.id) == [("lead_paused", None)]  # one question waits
    auth.logout()
    subject = french(app, "Is it still a need?")
    assert [m["Subject"] for m in outbox.messages("autrice@example.org")].count(subject) == 1
    assert subject not in [m["Subject"] for m in outbox.messages("voisin@example.org")]

    auth.login(author)
    link = _question_link(outbox, "autrice@example.org")
    page = text_of(client.get(link))
    assert "Une épicerie solidaire" in page
    client.post(link, data={"answer": "still_a_need", "ask_again": "y"})
    auth.logout()
    auth.login(moderator)
    review = text_of(client.get(f"/moderation/contributions/{need.id}"))
    assert french(app, "Its project was paused") in review
    assert french(app, "may be asked again") in review


def test_asked_again_only_after_still_a_need_with_consent(app, client, auth, make, outbox,
                                                          right_away):
    author = make.user(email="ines@example.org")
    need = make.submission(author)
    auth.login(author)
    _ask(app)
    client.post(_question_link(outbox, "ines@example.org"),
                data={"answer": "still_a_need", "ask_again": "y"})
    assert _ask(app) == "1 questions asked."
    client.post(_question_link(outbox, "ines@example.org"), data={"answer": "still_a_need"})
    assert _ask(app) == "0 questions asked."
    assert _questions(app, need.id) == [("quiet", "still_a_need"), ("quiet", "still_a_need")]
    # Consent given with another answer does not count.
    other = make.submission(author)
    _ask(app)
    client.post(_question_link(outbox, "ines@example.org"),
                data={"answer": "no_longer_relevant", "ask_again": "y"})
    assert _ask(app) == "0 questions asked."
    assert _questions(app, other.id) == [("quiet", "no_longer_relevant")]


def test_refusals_someone_else_answered_twice_bad_choice_unknown(app, client, auth, make,
                                                                outbox, right_away):
    author = make.user(email="ines@example.org")
    need = make.submission(author)
    _ask(app)
    link = _question_link(outbox, "ines@example.org")

    auth.login(make.user())
    for response in (client.get(link), client.post(link, data={"answer": "solved"})):
        assert response.status_code == 403
        assert french(app, "This question was put to someone else. Log in with the account "
                           "that received the e-mail.") in text_of(response)
    auth.logout()

    auth.login(author)
    response = client.post(link, data={"answer": "perhaps", "comment": "Je ne sais pas"})
    assert response.status_code == 422
    page = text_of(response)
    assert french(app, "Choose one of the offered answers.") in page
    assert "Je ne sais pas" in page  # what was typed is kept
    response = client.post(link, data={"answer": "solved", "comment": "x" * 2001})
    assert response.status_code == 422
    assert french(app, "Write at most %(count)d characters.", count=2000) in text_of(response)
    assert _questions(app, need.id) == [("quiet", None)]

    assert client.post(link, data={"answer": "solved"}).status_code == 302
    response = client.post(link, data={"answer": "still_a_need"})
    assert response.status_code == 403
    assert french(app, "You have already answered this question. Thank you!") in text_of(response)
    assert _questions(app, need.id) == [("quiet", "solved")]
    answered = text_of(client.get(link))
    assert french(app, "You answered on %(date)s:", date="@").split("@")[0] in answered
    assert french(app, "It has been solved") in answered
    assert client.get("/compte/activite/toujours-un-besoin/999999").status_code == 404


def test_an_author_who_wants_no_mail_finds_the_question_on_mon_activite(app, client, auth, make,
                                                                        outbox, right_away):
    author = make.user(email="discret@example.org")
    auth.login(author)
    client.post("/compte/notifications/", data={"frequency": "never"})
    need = make.submission(author, title="Un besoin discret")
    assert _ask(app) == "1 questions asked."
    assert outbox.messages("discret@example.org") == []
    page = text_of(client.get("/compte/activite"))
    assert french(app, "Answer for “%(title)s”", title="Un besoin discret") in page
    assert _questions(app, need.id) == [("quiet", None)]
