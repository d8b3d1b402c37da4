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
    with count_queries() as counter:
        response = client.get(url)
        assert response.status_code == 200, url
    return counter.count


PAGES = [
    "/", "/contributions/", "/contributions/?sort=trending&q=besoin", "/projets/",
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
