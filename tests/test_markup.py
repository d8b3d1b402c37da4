"""What a screen reader, a password manager and an HTML validator read in the pages' markup."""
from __future__ import annotations

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
