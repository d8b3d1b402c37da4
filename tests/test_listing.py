"""The public listing: filters, sub-territories, search, sorts, pages, and a fixed query count."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import insert, select, update

from portal.extensions import db
from portal.models import Comment, DailySupport, User, Vote, utcnow
from portal.services.submissions.counters import recount


def titles(response) -> list[str]:
    """The cards' titles, in order, as read (the words searched for are marked in them)."""
    return [re.sub(r"<[^>]+>", "", title) for title in re.findall(
        r'class="card-title"><a href="/contributions/\d+">(.*?)</a>', response.text)]


@pytest.fixture
def map_(make):
    metropole = make.territory("Amiens Métropole")
    amiens = make.territory("Amiens", parent=metropole)
    etouvie = make.territory("Étouvie", parent=amiens, level="quartier")
    dury = make.territory("Dury", parent=metropole)
    return {"metropole": metropole, "amiens": amiens, "etouvie": etouvie, "dury": dury,
            "mobilite": make.theme("Mobilité"), "alimentation": make.theme("Alimentation")}


def test_filters_by_kind_theme_and_territory_including_quartiers(client, make, map_):
    make.submission(title="Épicerie solidaire à Étouvie", territory=map_["etouvie"],
                    theme=map_["alimentation"])
    make.submission(title="Navette vers le CHU depuis Amiens", territory=map_["amiens"],
                    theme=map_["mobilite"], kind="idea")
    make.submission(title="Plus de supérette à Dury", territory=map_["dury"],
                    theme=map_["alimentation"])
    make.submission(title="Une idée encore en attente", territory=map_["amiens"], status="pending")

    everything = titles(client.get("/contributions/"))
    assert len(everything) == 3 and "Une idée encore en attente" not in everything
    in_amiens = titles(client.get(f"/contributions/?territory={map_['amiens'].id}"))
    assert sorted(in_amiens) == [
        "Navette vers le CHU depuis Amiens",
        "Épicerie solidaire à Étouvie",
    ]
    assert titles(client.get(f"/contributions/?theme={map_['alimentation'].id}&kind=need")) == [
        "Plus de supérette à Dury", "Épicerie solidaire à Étouvie"]
    assert titles(client.get("/contributions/?kind=idea")) == ["Navette vers le CHU depuis Amiens"]


def test_search_ignores_case_and_accents_in_title_and_text(client, make, map_):
    make.submission(title="Épicerie solidaire à Étouvie", territory=map_["etouvie"],
                    body="Les familles du quartier font leurs courses loin, faute de magasin.")
    make.submission(title="Réparer les vélos", territory=map_["dury"],
                    body="Un atelier de réparation participatif serait utile aux étudiants.")
    assert titles(client.get("/contributions/?q=EPICERIE+etouvie")) == [
        "Épicerie solidaire à Étouvie"
    ]
    assert titles(client.get("/contributions/?q=étudiants")) == ["Réparer les vélos"]
    assert titles(client.get("/contributions/?q=100%25")) == []


def test_declined_ones_are_listed_only_when_asked(client, make):
    make.submission(title="Refusée poliment", status="declined")
    assert titles(client.get("/contributions/")) == []
    assert titles(client.get("/contributions/?status=declined")) == ["Refusée poliment"]


def test_sorts_newest_most_supported_and_trending(app, client, make):
    old_favourite = make.submission(title="Ancienne mais très soutenue", age_days=60)
    rising = make.submission(title="Récente et qui monte", age_days=5)
    newest = make.submission(title="Toute nouvelle", age_days=0)
    for _ in range(4):
        make.support(old_favourite)
    for _ in range(2):
        make.support(rising)
    with app.app_context():  # the old favourite's supports were given two months ago
        past = utcnow() - timedelta(days=50)
        db.session.execute(update(Vote).where(Vote.submission_id == old_favourite.id)
                           .values(created_at=past))
        db.session.execute(update(DailySupport).where(
            DailySupport.submission_id == old_favourite.id).values(day=past.date()))
        db.session.commit()
    # The worker's hourly pass (or cron) lets the trending scores forget supports that old.
    assert app.test_cli_runner().invoke(args=["decay-trending"]).exit_code == 0

    assert titles(client.get("/contributions/"))[0] == newest.title
    assert titles(client.get("/contributions/?sort=supported")) == [
        old_favourite.title, rising.title, newest.title]
    assert titles(client.get("/contributions/?sort=trending"))[0] == rising.title


def test_twenty_per_page_with_links_that_keep_the_filters(client, make, map_):
    for n in range(23):
        make.submission(title=f"Besoin numéro {n:02d}", theme=map_["mobilite"])
    first = client.get(f"/contributions/?theme={map_['mobilite'].id}")
    assert len(titles(first)) == 20
    assert f"theme={map_['mobilite'].id}" in re.search(r'rel="next" href="([^"]+)"', first.text)[1]
    second = client.get(f"/contributions/?theme={map_['mobilite'].id}&page=2")
    # The second page goes on where the first stopped, in the same order, with the same count.
    assert titles(second) == ["Besoin numéro 02", "Besoin numéro 01", "Besoin numéro 00"]
    assert "23 contributions" in first.text and "23 contributions" in second.text
    assert titles(client.get("/contributions/?page=9")) == []


@pytest.mark.parametrize(
    "query",
    [
        "page=0",
        "page=abc",
        "page=-1",
        "page=" + "9" * 30,
        "sort=random",
        "kind=petition",
        "territory=abc",
        "territory=424242",
        "theme=x",
        "status=hidden",
        "q=" + "x" * 201,
    ],
)
def test_bad_query_strings_get_a_400_with_a_message(client, query):
    response = client.get(f"/contributions/?{query}")
    assert response.status_code == 400
    assert 'class="error-summary"' in response.text


def test_the_listing_makes_the_same_number_of_queries_whatever_the_rows(client, make, auth,
                                                                       count_queries, map_):
    viewer = make.user()
    auth.login(viewer)

    def queries_for_listing() -> int:
        with count_queries() as counter:
            assert client.get("/contributions/?sort=trending").status_code == 200
        return counter.count

    make.submission(territory=map_["dury"])
    few = queries_for_listing()
    for _ in range(25):
        submission = make.submission(author=make.user(), territory=map_["amiens"],
                                     theme=make.theme())
        make.support(submission)
        make.comment(submission)
    assert queries_for_listing() == few
    assert few <= 8


def test_a_nul_character_in_a_query_is_a_clear_400(client):
    response = client.get("/contributions/?q=bus%00")
    assert response.status_code == 400 and "NUL" in response.text


def test_counts_on_cards_are_written_the_french_way(app, client, make):
    """1 234 soutiens, not 1234: every count on a card goes through the `number` filter, the
    plural still chosen by the count. Supports and comments written in bulk, as an import or
    the demo does, then counted by the repair the portal runs after such writes."""
    need = make.submission(title="Un repair café à Longueau")
    with app.app_context():
        now = utcnow()
        db.session.execute(insert(User), [
            {"email": f"voisin{n}@example.org", "display_name": f"Voisin {n}",
             "password_hash": "!", "role": "resident", "consent_at": now,
             "email_verified_at": now, "created_at": now} for n in range(1234)])
        neighbours = db.session.scalars(select(User.id).where(
            User.email.like("voisin%@example.org"))).all()
        db.session.execute(insert(Vote), [{"submission_id": need.id, "user_id": user_id,
                                           "created_at": now} for user_id in neighbours])
        db.session.execute(insert(Comment), [
            {"submission_id": need.id, "author_id": user_id, "body": "Moi aussi.",
             "created_at": now} for user_id in neighbours[:1000]])
        recount([need.id])
        db.session.commit()
    listing = client.get("/contributions/").text
    assert "1\u202f234 soutiens" in listing and "1\u202f000 commentaires" in listing
    assert "1234" not in listing
    page = client.get(f"/contributions/{need.id}").text
    assert "1\u202f000 commentaires" in page and "1\u202f234" in page


def test_a_card_names_its_place_theme_and_author_with_the_team_badge(client, make, map_):
    """Cards are read as plain columns (listing.Card): each still names its place and theme, its
    author, and marks the team's."""
    inès = make.user(role="moderator", display_name="Inès")
    make.submission(title="Un besoin vu par l'équipe", author=inès, territory=map_["etouvie"],
                    theme=map_["mobilite"])
    make.submission(title="Un besoin d'habitante", author=make.user(display_name="Camille"),
                    territory=map_["dury"], theme=map_["alimentation"])
    page = client.get("/contributions/").text
    resident, team = (page.split('id="contribution-')[n] for n in (1, 2))  # newest first
    assert "<span>Étouvie</span>" in team and "Mobilité" in team
    assert 'Par Inès, ' in team and "badge-staff" in team
    assert "<span>Dury</span>" in resident and "Alimentation" in resident
    assert "Par Camille, " in resident and "badge-staff" not in resident
