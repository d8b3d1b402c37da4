"""Every page costs the same number of queries however many rows it shows (issue 13)."""
from __future__ import annotations

import pytest


@pytest.fixture
def grow(make):
    """Add contributions with supports and comments, leads made of them, and their places."""
    metropole = make.territory("Amiens Métropole")

    def add(count: int) -> list:
        made = []
        for _ in range(count):
            place = make.territory(parent=metropole)
            submission = make.submission(author=make.user(), territory=place, theme=make.theme())
            make.support(submission)
            make.comment(submission)
            made.append(submission)
        make.lead(made[:2], public=True)
        return made

    return add


def queries(client, count_queries, url: str) -> int:
    """The queries of a page read a second time: the territories and themes were then read once
    and are kept (services/core/reference.py)."""
    client.get(url)
    with count_queries() as counter:
        response = client.get(url)
        assert response.status_code == 200, url
    return counter.count


PAGES = [
    "/", "/contributions/", "/contributions/?sort=trending&q=besoin", "/contributions/?q=besoin",
    "/projets/",
    "/api/v1/submissions", "/api/v1/leads", "/donnees-ouvertes/contributions.csv",
    "/donnees-ouvertes/contributions.json", "/donnees-ouvertes/projets.csv",
    "/donnees-ouvertes/projets.json", "/flux/contributions.atom", "/flux/projets.atom",
]


@pytest.mark.parametrize("url", PAGES)
def test_lists_and_exports_cost_the_same_with_more_rows(client, count_queries, grow, url):
    grow(2)
    few = queries(client, count_queries, url)
    grow(6)
    assert queries(client, count_queries, url) == few


def test_a_contribution_page_costs_the_same_with_more_comments(client, make, count_queries,
                                                               auth):
    submission = make.submission()
    make.comment(submission)
    auth.login(make.user())
    url = f"/contributions/{submission.id}"
    few = queries(client, count_queries, url)
    for _ in range(6):
        author = make.user()
        make.comment(submission, author=author)
        make.support(submission, author)
    assert queries(client, count_queries, url) == few


def test_the_lead_list_and_its_export_cost_the_same_with_more_leads(client, make, auth,
                                                                  count_queries, grow):
    moderator = make.user(role="moderator")
    grow(2)
    auth.login(moderator)
    urls = ["/pistes/liste", "/pistes/export.csv", "/pistes/"]
    few = [queries(client, count_queries, url) for url in urls]
    grow(6)
    assert [queries(client, count_queries, url) for url in urls] == few


def test_cards_by_the_team_and_by_partners_cost_no_more_queries(app, client, auth, count_queries,
                                                                grow, make, moderator):
    """A card loads only what it shows (its author's name and role, the forwarding
    organisation's name): none of them may send a query of its own."""
    from portal.extensions import db
    from portal.models import User
    from portal.services.partners import forwarding

    grow(2)
    before = {url: queries(client, count_queries, url) for url in ("/", "/contributions/")}
    make.submission(author=make.user(role="moderator"), title="Un besoin noté par l'équipe")
    admin = make.user(role="admin")
    with app.app_context():
        organisation = forwarding.create_organisation(db.session.get(User, admin.id),
                                                      "Centre communal", "association", None)
        db.session.commit()
        item, _created = forwarding.forward(
            organisation, None, title="Un local vide à reprendre", description="Le local de "
            "l'ancienne poste est vide depuis deux ans.", territory_id=make.territory().id,
            theme_id=make.theme().id, reference="R-1")
        item_id = item.id
    auth.login(moderator)
    client.post(f"/contributions/{item_id}/publier")
    auth.logout()
    page = client.get("/contributions/").text
    assert "Par Centre communal" in page and "Un besoin noté par l" in page
    assert {url: queries(client, count_queries, url) for url in before} == before


def test_a_place_listing_costs_no_more_than_the_whole_metropole(client, count_queries, grow,
                                                                 make):
    """Filtered by a commune, the listing costs what the whole métropole's does: the commune's
    subtree (its quartiers) and its code for the feed's address come from the kept places."""
    grow(2)
    commune = make.territory("Longueau")
    make.submission(title="Un besoin au Château",
                    territory=make.territory("Le Château", parent=commune))
    everywhere = queries(client, count_queries, "/contributions/")
    assert queries(client, count_queries, f"/contributions/?territory={commune.id}") == everywhere
    assert queries(client, count_queries, f"/contributions/?territory={commune.id}&q=besoin") \
        == everywhere
