"""What a screen reader, a password manager and an HTML validator read in the pages' markup."""
from __future__ import annotations

import re
from html.parser import HTMLParser


class Markup(HTMLParser):
    """The few facts of a page these tests read: each element's attributes by id and by name."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, {name: value or "" for name, value in attrs}))

    def by_id(self, element_id: str) -> tuple[str, dict[str, str]]:
        return next((tag, attrs) for tag, attrs in self.elements if attrs.get("id") == element_id)

    def named(self, name: str) -> list[dict[str, str]]:
        return [attrs for _tag, attrs in self.elements if attrs.get("name") == name]


def autocomplete_of(html: str) -> dict[str, str]:
    return {attrs["name"]: attrs.get("autocomplete") for tag, attrs in Markup(html).elements
            if tag in ("input", "select") and attrs.get("type") != "hidden" and "name" in attrs}


def test_identity_fields_say_what_a_browser_may_fill_in(client, auth, resident):
    """WCAG 1.3.5: e-mail, name, passwords and commune are marked with their purpose."""
    assert autocomplete_of(client.get("/compte/inscription").text) == {
        "email": "email", "display_name": "nickname", "password": "new-password",
        "password_confirm": "new-password", "home_territory": "address-level2", "consent": None,
        "language": None}
    login = autocomplete_of(client.get("/compte/connexion").text)
    assert login["email"] == "email" and login["password"] == "current-password"
    assert autocomplete_of(client.get("/compte/mot-de-passe-oublie").text)["email"] == "email"


def test_a_radio_group_in_error_is_reached_from_the_summary_and_marked_invalid(
        client, auth, resident):
    auth.login(resident)
    page = client.post("/contributions/nouvelle", data={"title": "Un titre"})
    assert page.status_code == 422
    markup = Markup(page.text)
    summary_link = re.search(r'<a href="#(kind)">', page.text)
    assert summary_link, "the summary links to the kind of contribution"
    tag, first = markup.by_id("kind")
    assert tag == "input" and first["type"] == "radio" and first["aria-invalid"] == "true"
    assert all(radio["aria-invalid"] == "true" for radio in markup.named("kind"))
    fieldset = next(attrs for tag, attrs in markup.elements
                    if tag == "fieldset" and "kind-error" in attrs.get("aria-describedby", ""))
    assert fieldset
    assert markup.by_id("kind-error")[0] == "ul"
    assert '<label for="kind">' in page.text


def test_the_offer_radio_group_in_error_is_reached_from_the_summary(client, auth, resident, make):
    need = make.submission()
    auth.login(resident)
    page = client.post(f"/projets/contribution/{need.id}/proposer",
                       data={"offer-message": "Je connais bien le quartier et ses habitants."})
    assert page.status_code == 422
    assert '<a href="#offer-kind">' in page.text
    tag, first = Markup(page.text).by_id("offer-kind")
    assert tag == "input" and first["type"] == "radio" and first["aria-invalid"] == "true"


def title_of(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()


def test_a_form_in_error_says_so_first_in_the_title(client, auth, resident):
    """The title is the first thing a screen reader reads of the page that comes back."""
    page = client.post("/compte/connexion", data={"email": "", "password": ""})
    assert title_of(page.text).startswith("Erreur\u202f: Se connecter ·")
    assert not title_of(client.get("/compte/connexion").text).startswith("Erreur")
    client.post("/langue", data={"language": "en", "next": "/"})
    page = client.post("/compte/connexion", data={"email": "", "password": ""})
    assert title_of(page.text).startswith("Error: Log in ·")


def test_pages_that_look_alike_have_their_own_titles(client, auth, moderator, admin, make):
    lead = make.lead(moderator=moderator, public=True)
    auth.login(moderator)
    titles = {path: title_of(client.get(path).text) for path in [
        "/pistes/", "/pistes/liste", f"/pistes/{lead.id}", f"/projets/{lead.id}",
        f"/pistes/{lead.id}/modifier", "/contributions/", "/contributions/?kind=need",
        "/contributions/?kind=idea"]}
    assert len(set(titles.values())) == len(titles), titles
