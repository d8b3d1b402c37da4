"""Look-alikes shown while a resident posts: "Moi aussi" instead of a duplicate, never a block."""
from __future__ import annotations

import re

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Follow, Submission, Vote


def post_form(territory, theme, **changes) -> dict:
    data = {"kind": "need", "title": "Une laverie solidaire au centre-ville",
            "body": "Beaucoup de familles n'ont pas de machine à laver chez elles.",
            "territory": territory.id, "theme": theme.id, "author_offer": "none"}
    return {**data, **changes}


def submission_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Submission.id)))


def test_the_check_before_publishing_shows_look_alikes_then_lets_the_resident_send(
        app, client, auth, resident, make):
    territory, theme = make.territory("Étouvie"), make.theme()
    existing = make.submission(title="Des laveries solidaires à Étouvie", territory=territory)
    auth.login(resident)

    step = client.post("/contributions/nouvelle", data=post_form(territory, theme))
    assert step.status_code == 200 and "Est-ce l'une de celles-ci" in step.text
    assert "Des laveries solidaires à Étouvie" in step.text
    assert f'action="/contributions/{existing.id}/soutenir"' in step.text
    assert 'value="Une laverie solidaire au centre-ville"' in step.text  # kept as typed
    assert submission_count(app) == 1

    checked = re.search(r'name="checked"[^>]*value="([^"]*)"', step.text)[1]
    sent = client.post("/contributions/nouvelle",
                       data=post_form(territory, theme, checked=checked))
    assert sent.status_code == 302 and submission_count(app) == 2


def test_nothing_alike_means_no_extra_step(app, client, auth, resident, make):
    territory, theme = make.territory(), make.theme()
    make.submission(title="Un bus de nuit vers le CHU")
    auth.login(resident)
    response = client.post("/contributions/nouvelle", data=post_form(territory, theme))
    assert response.status_code == 302 and submission_count(app) == 2


def test_me_too_supports_and_follows_instead_of_posting(app, client, auth, resident, make):
    existing = make.submission(title="Des laveries solidaires à Étouvie")
    auth.login(resident)
    response = client.post(f"/contributions/{existing.id}/soutenir")
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count(Vote.id)).where(
            Vote.submission_id == existing.id, Vote.user_id == resident.id)) == 1
        assert db.session.scalar(select(func.count(Follow.user_id)).where(
            Follow.submission_id == existing.id, Follow.user_id == resident.id)) == 1


def test_the_hints_while_typing_weigh_the_text_and_the_territory(client, make):
    here, elsewhere = make.territory("Étouvie"), make.territory("Dury")
    far = make.submission(title="Une laverie solidaire pour les familles", territory=elsewhere)
    near = make.submission(title="Une laverie solidaire pour les familles", territory=here)
    make.submission(title="Un jardin partagé", territory=here)
    make.submission(title="Une laverie en attente de modération", territory=here,
                    status="pending")
    for n in range(6):
        make.submission(title=f"Laverie numéro {n} du quartier", territory=elsewhere)

    found = client.get(f"/contributions/semblables?title=laveries+familles&territory={here.id}")
    items = found.get_json()["items"]
    assert [item["id"] for item in items[:2]] == [near.id, far.id]
    assert len(items) == 5
    assert items[0]["support_url"] == f"/contributions/{near.id}/soutenir"
    assert items[0]["supports_label"] == "0 soutien"
    assert client.get("/contributions/semblables?title=ab").get_json() == {"items": []}


def test_the_hints_count_a_quartier_of_ones_commune_as_near_and_another_commune_as_far(
        client, make):
    """Typed from a commune, a look-alike in one of its quartiers comes before the same in
    another commune (every commune was counted as near, being in the same métropole)."""
    metropole = make.territory("Amiens Métropole")
    amiens, dury = make.territory("Amiens", metropole), make.territory("Dury", metropole)
    etouvie = make.territory("Étouvie", amiens, level="quartier")
    elsewhere = make.submission(title="Une laverie solidaire pour les familles", territory=dury)
    near = make.submission(title="Une laverie solidaire pour les familles", territory=etouvie)
    make.submission(title="Une laverie solidaire pour les familles", territory=dury)

    found = client.get(f"/contributions/semblables?title=laveries+familles&territory={amiens.id}")
    assert [item["id"] for item in found.get_json()["items"]][:1] == [near.id]
    from_etouvie = client.get(
        f"/contributions/semblables?title=laveries+familles&territory={etouvie.id}")
    assert [item["id"] for item in from_etouvie.get_json()["items"]][:1] == [near.id]
    assert elsewhere.id in [item["id"] for item in found.get_json()["items"]]


def test_the_hints_while_typing_refuse_a_territory_not_from_the_list(client, make):
    make.submission(title="Une laverie solidaire pour les familles")
    for territory in ("99999999999999999999", "9223372036854775808", "abc", "-1"):
        answer = client.get(f"/contributions/semblables?title=laverie&territory={territory}",
                            headers={"Accept": "application/json"})
        assert answer.status_code == 400, territory
        assert answer.get_json()["error"]["message"] == "Choisissez un territoire dans la liste."
    assert len(client.get("/contributions/semblables?title=laverie&territory=").get_json()[
        "items"]) == 1


def test_a_residents_own_contribution_is_shown_as_theirs_without_me_too(
        app, client, auth, resident, make):
    territory, theme = make.territory("Étouvie"), make.theme()
    mine = make.submission(resident, title="Des laveries solidaires à Étouvie",
                           territory=territory)
    theirs = make.submission(title="Une laverie solidaire pour Étouvie", territory=territory)
    auth.login(resident)

    step = client.post("/contributions/nouvelle", data=post_form(territory, theme))
    assert "Votre contribution</span>" in step.text
    assert f'action="/contributions/{mine.id}/soutenir"' not in step.text
    assert f'action="/contributions/{theirs.id}/soutenir"' in step.text

    hints = {item["id"]: item for item in client.get(
        "/contributions/semblables?title=laveries+solidaires").get_json()["items"]}
    assert hints[mine.id]["yours"] and hints[mine.id]["support_url"] is None
    assert hints[theirs.id]["support_url"] == f"/contributions/{theirs.id}/soutenir"

    refused = client.post(f"/contributions/{mine.id}/soutenir")
    assert refused.status_code == 403
    assert "Vous ne pouvez pas soutenir votre propre contribution." in refused.text


def test_hints_show_only_open_contributions_in_both_ways(app, client, auth, resident,
                                                         moderator, make):
    """Waiting, declined, withdrawn, hidden after reports, merged: none is offered, while
    typing or on the check before publishing."""
    territory, theme = make.territory("Étouvie"), make.theme()
    shown = make.submission(title="Une laverie solidaire à Étouvie", territory=territory)
    closed = {status: make.submission(title=f"Une laverie solidaire ({status})",
                                      territory=territory, status=status)
              for status in ("pending", "declined", "withdrawn")}
    hidden = make.submission(title="Une laverie solidaire signalée", territory=territory)
    for _ in range(3):
        auth.login(make.user())
        client.post(f"/contributions/{hidden.id}/signaler", data={"reason": "spam"})
        auth.logout()
    merged = make.submission(title="Une laverie solidaire fusionnée", territory=territory)
    auth.login(moderator)
    client.post(f"/moderation/contributions/{shown.id}/fusion",
                data={"sources": [merged.id], "confirmed": "yes"})
    auth.logout()
    with app.app_context():  # as the reports and the merge left them
        assert [db.session.get(Submission, other.id).status for other in (hidden, merged)] == [
            "hidden", "merged"]

    auth.login(resident)
    typed = client.get(f"/contributions/semblables?title=laverie+solidaire&territory="
                       f"{territory.id}").get_json()["items"]
    assert [item["id"] for item in typed] == [shown.id]
    step = client.post("/contributions/nouvelle", data=post_form(territory, theme))
    assert f"/contributions/{shown.id}/soutenir" in step.text
    for other in (*closed.values(), hidden, merged):
        assert other.title not in step.text


def test_hints_find_words_whose_stem_looks_like_a_plural(client, make):
    """Words such as "stress" or "procès": the hints looked for their stems stemmed a second
    time ("str"), and found nothing."""
    aidants = make.submission(title="Des ateliers contre le stress des aidants")
    proces = make.submission(title="Aide juridique avant un procès")
    for typed, expected in (("Gérer le stress", aidants.id), ("Un procès qui dure", proces.id)):
        items = client.get("/contributions/semblables", query_string={"title": typed}).get_json()
        assert [item["id"] for item in items["items"]] == [expected], typed


def test_the_check_before_publishing_keeps_every_field_as_typed(client, auth, resident, make):
    here, there = make.territory("Étouvie"), make.territory("Dury")
    make.theme("Alimentation")
    mobility = make.theme("Mobilité")
    make.submission(title="Des laveries solidaires à Étouvie", territory=here)
    auth.login(resident)
    step = client.post("/contributions/nouvelle", data=post_form(
        there, mobility, kind="idea", author_offer="carry",
        body="Des familles <b>sans</b> machine & \"loin\" de tout, depuis longtemps.",
        target_public="Les familles & les étudiants")).text
    assert "Est-ce l'une de celles-ci" in step
    assert ("Des familles &lt;b&gt;sans&lt;/b&gt; machine &amp; &#34;loin&#34; de tout, "
            "depuis longtemps.</textarea>") in step
    assert 'value="Les familles &amp; les étudiants"' in step
    assert f'<option selected value="{there.id}">Dury</option>' in step
    assert f'<option selected value="{mobility.id}">Mobilité</option>' in step
    assert '<input checked id="kind-1" name="kind" required type="radio" value="idea">' in step
    assert 'checked id="author_offer-1" name="author_offer" type="radio" value="carry"' in step
