"""Redirect targets: a `next` sends a person back inside the portal, never to another site."""
from __future__ import annotations

import pytest

from portal.urls import safe_target

from .conftest import PASSWORD

#: Spellings a browser resolves to another host, or that are not a path of ours at all.
FOREIGN = [
    "https://evil.example/",
    "http://evil.example/compte/",
    "//evil.example",
    "///evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/\t/evil.example",  # browsers drop tabs and newlines: this is //evil.example
    "/\n/evil.example",
    "https:evil.example",
    "javascript:alert(1)",
    "data:text/html,bonjour",
    "evil.example",
    " /contributions/",
    "contributions/",
]
LOCAL = ["/", "/contributions/", "/contributions/?kind=need&page=2", "/compte/#mes-contributions",
         "/projets/%2F"]


@pytest.mark.parametrize("target", FOREIGN)
def test_foreign_or_odd_targets_are_refused(target):
    """Every spelling of another site is refused, including those browsers silently repair."""
    assert safe_target(target) is None


@pytest.mark.parametrize("target", LOCAL)
def test_local_paths_are_kept_as_they_are(target):
    """A path of the portal, with its query and fragment, is a fine place to go back to."""
    assert safe_target(target) == target


@pytest.mark.parametrize("target", [None, ""])
def test_no_target_means_no_redirect_target(target):
    """Nothing asked: the caller falls back on its default page."""
    assert safe_target(target) is None


@pytest.mark.parametrize("target", FOREIGN)
def test_logging_in_never_leaves_the_site(client, resident, target):
    """A crafted login link cannot hand a fresh session over to a phishing page."""
    response = client.post("/compte/connexion", data={
        "email": resident.email, "password": PASSWORD, "next": target})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_logging_in_goes_back_where_the_person_was(client, resident):
    """A local `next` in the query string (as the locked-door redirect writes it) is followed."""
    response = client.post("/compte/connexion?next=/contributions/%3Fkind%3Didea", data={
        "email": resident.email, "password": PASSWORD})
    assert response.headers["Location"] == "/contributions/?kind=idea"


def test_the_form_field_wins_over_the_query_string(client, resident):
    """The hidden `next` of the form is what the page asked for; it comes first."""
    response = client.post("/compte/connexion?next=/projets/", data={
        "email": resident.email, "password": PASSWORD, "next": "/contributions/"})
    assert response.headers["Location"] == "/contributions/"


@pytest.mark.parametrize("target, expected", [
    ("/contributions/?kind=need", "/contributions/?kind=need"),
    ("https://evil.example/", "/"),
    ("//evil.example", "/"),
])
def test_changing_language_goes_back_to_the_same_page_only(client, target, expected):
    """The language switch in the footer returns to the page it was on, and only to ours."""
    response = client.post("/langue", data={"language": "en", "next": target})
    assert response.status_code == 302
    assert response.headers["Location"] == expected


@pytest.mark.parametrize("query", ["page=²", "page=١٢", "page=" + "9" * 40,
                                   "territory=²", "territory=99999999999", "theme=١"])
def test_odd_digits_and_huge_numbers_are_a_clear_400_not_a_500(client, query):
    """"²".isdigit() is True in Python; int("²") is not a number."""
    response = client.get(f"/contributions/?{query}")
    assert response.status_code == 400


def test_huge_or_odd_contribution_numbers_in_the_lead_form_are_refused(client, auth, moderator,
                                                                      make):
    make.territory(), make.theme()
    auth.login(moderator)
    for ids in ("99999999999999", "²", "12, ٣"):
        response = client.post(
            "/pistes/nouvelle",
            data={"submission_ids": ids, "title": "Une piste", "summary": "Un résumé."},
        )
        assert response.status_code == 422, ids
        assert "numéros de contributions" in response.text


def test_a_control_character_is_refused_at_the_door_and_what_was_typed_comes_back(
        client, auth, resident, make):
    """One BEL in a title once broke the public Atom feed for every subscriber."""
    territory, theme = make.territory(), make.theme()
    auth.login(resident)
    response = client.post("/contributions/nouvelle", data={
        "kind": "need", "title": "Pas de bus\x07 le dimanche",
        "body": "Le dimanche, aucun bus ne passe : impossible d'aller voir sa famille.",
        "territory": territory.id, "theme": theme.id, "author_offer": "none"})
    assert response.status_code == 400
    assert "caractère de contrôle invisible" in response.text
    assert "aller voir sa famille" in response.text and "Pas de bus" in response.text
    api = client.get("/api/v1/submissions?q=bus%07")
    assert api.status_code == 400
    feed = client.get("/flux/contributions.atom")
    assert feed.status_code == 200 and "\x07" not in feed.text
