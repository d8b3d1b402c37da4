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


#: Elements whose start tag closes an open <p>: inside one, the browser makes two paragraphs and an
#: empty one of the stray </p> (HTML's "in body" insertion mode).
CLOSES_A_PARAGRAPH = {
    "address", "article", "aside", "blockquote", "details", "dialog", "div", "dl", "fieldset",
    "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
    "hgroup", "hr", "main", "menu", "nav", "ol", "p", "pre", "section", "table", "ul"}


class Validity(HTMLParser):
    """The validator's findings these tests look for: an id used twice, a block in a <p>."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.problems: list[str] = []
        self.in_paragraph = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        element_id = dict(attrs).get("id")
        if element_id in self.ids:
            self.problems.append(f'id="{element_id}" used twice')
        if element_id is not None:
            self.ids.add(element_id)
        if self.in_paragraph and tag in CLOSES_A_PARAGRAPH:
            self.problems.append(f"<{tag}> inside a <p>, line {self.getpos()[0]}")
        if tag in CLOSES_A_PARAGRAPH:
            self.in_paragraph = tag == "p"

    def handle_endtag(self, tag):
        if tag == "p":
            self.in_paragraph = False


def autocomplete_of(html: str) -> dict[str, str]:
    return {attrs["name"]: attrs.get("autocomplete") for tag, attrs in Markup(html).elements
            if tag in ("input", "select") and attrs.get("type") != "hidden" and "name" in attrs}


def test_identity_fields_say_what_a_browser_may_fill_in(client, auth, resident):
    """WCAG 1.3.5: e-mail, name, passwords and commune are marked with their purpose."""
    assert autocomplete_of(client.get("/compte/inscription").text) == {
        "email": "email", "display_name": "nickname", "password": "new-password",
        "password_confirm": "new-password", "home_territory": "address-level2", "consent": None,
        "language": None,
        # The anti-spam honeypot (HumanCheck): no browser may fill it in, or it would refuse
        # the person's form; "off" is its purpose.
        "leave_empty": "off"}
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


def test_main_pages_are_valid_html(client, auth, make, moderator, admin, resident, app):
    """No id twice (several small forms once repeated id="csrf_token"), no form inside a <p>."""
    need = make.submission(author=resident)
    make.comment(need, author=resident)
    lead = make.lead([need], moderator=moderator, public=True)
    pages = {"visitor": ["/", "/contributions/", f"/contributions/{need.id}", "/projets/",
                         f"/projets/{lead.id}", "/compte/inscription", "/compte/connexion",
                         "/compte/mot-de-passe-oublie", "/plan-du-site", "/accessibilite",
                         "/donnees-ouvertes", "/nulle-part"],
             resident: [f"/contributions/{need.id}", "/contributions/nouvelle", "/compte/",
                        "/compte/activite", "/compte/notifications/", f"/projets/{lead.id}"],
             moderator: ["/moderation/", "/moderation/file-d-attente",
                         f"/moderation/contributions/{need.id}", "/moderation/signalements",
                         "/moderation/comptes?q=a", "/moderation/modeles", "/moderation/masques",
                         f"/contributions/{need.id}", "/pistes/",
                         "/pistes/liste", f"/pistes/{lead.id}", f"/pistes/{lead.id}/modifier",
                         "/pistes/nouvelle", "/pistes/synthese", "/pistes/comite"],
             admin: ["/admin/organisations", "/admin/envois", "/moderation/journal"]}
    problems = {}
    for person, paths in pages.items():
        if person != "visitor":
            auth.login(person)
        for path in paths:
            page = client.get(path)
            assert page.status_code in (200, 404), (path, page.status_code)
            problems[path] = Validity(page.text).problems
        if person != "visitor":
            auth.logout()
    assert not any(problems.values()), {path: found for path, found in problems.items() if found}


def test_the_message_after_an_action_is_announced_and_takes_the_focus(client, auth, resident):
    """A live region is always there; after an action the browser focuses its message."""
    region = Markup(client.get("/").text).by_id("messages")[1]
    assert region["role"] == "status" and region["tabindex"] == "-1"
    assert "autofocus" not in region
    auth.login(resident)
    page = client.post("/compte/deconnexion", follow_redirects=True)
    region = Markup(page.text).by_id("messages")[1]
    assert "autofocus" in region and "Vous êtes déconnecté" in page.text
