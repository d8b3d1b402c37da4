"""No raw code reaches a back-office page: the demo's back-office is crawled as the staff and a
partner read it, in French and in English, and no stored code (role, flag reason, status, stage,
journal action, webhook event, token scope...) may show as visible text."""
from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from portal.demo import DEMO_PASSWORD, DOMAIN, seed_demo
from portal.labels import ACTION_LABELS, TARGET_LABELS
from portal.models import (
    Decision,
    FlagReason,
    LeadOrigin,
    LeadStage,
    MessageState,
    OfferStatus,
    OrganisationKind,
    PartnerKind,
    PartnerRole,
    Role,
    Scope,
    SubmissionSource,
    SubmissionStatus,
)
from portal.services.accounts.notifications import EVENT_MESSAGES
from portal.services.partners.webhooks import EVENT_LABELS

from .visible import text_nodes

CODES = {str(code) for enum in (Decision, FlagReason, LeadOrigin, LeadStage, MessageState,
                                OfferStatus, OrganisationKind, PartnerKind, PartnerRole, Role,
                                Scope, SubmissionSource, SubmissionStatus) for code in enum}
CODES |= set(ACTION_LABELS) | set(TARGET_LABELS) | set(EVENT_LABELS) | set(EVENT_MESSAGES)
#: Strings that are not codes yet must not show either.
FORBIDDEN = ("Whole métropole",)
#: Where each account starts; links inside these areas are followed.
START = {
    "admin": ["/moderation/", "/moderation/file-d-attente", "/moderation/signalements",
              "/moderation/masques", "/moderation/comptes", "/moderation/modeles",
              "/moderation/journal", "/pistes/", "/pistes/liste", "/pistes/comite",
              "/pistes/synthese", "/admin/organisations", "/admin/envois"],
    "metropole": ["/partenaires/", "/partenaires/transmettre"],
}
AREAS = ("/moderation", "/pistes", "/admin", "/partenaires")
#: At least this many pages per account, so a crawl that stopped early cannot pass.
MIN_PAGES = {"admin": 25, "metropole": 2}
#: Pages opened per kind of address (numbers folded), so every screen is seen, not every row.
PER_PATTERN = 2


def raw_codes(nodes: list[str]) -> list[str]:
    """The codes a person would read: a code with "_" or ":" anywhere, or any code standing
    alone in a piece of text (a cell, a list item, after a colon, between "·")."""
    found = []
    for node in nodes:
        for code in CODES:
            if ("_" in code or ":" in code) and re.search(
                    rf"(?<![\w/.-]){re.escape(code)}(?![\w/-])", node):
                found.append(f"{code!r} in {node!r}")
        pieces = {piece.strip() for piece in re.split(r"[·:|]", node)}
        found += [f"{code!r} in {node!r}" for code in CODES & pieces]
        found += [f"{text!r} in {node!r}" for text in FORBIDDEN if text in node]
    return found


def crawl(client, starts: list[str]) -> tuple[set[str], dict[str, list[str]]]:
    """Every page reachable from `starts` inside the back-office, a few per pattern: (the pages
    opened, the raw codes found on each)."""
    seen_patterns: dict[str, int] = {}
    queue, visited, problems = list(starts), set(), {}
    while queue:
        url = queue.pop(0)
        if url in visited:
            continue
        visited.add(url)
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        if "text/html" not in response.content_type:
            continue
        found = raw_codes(text_nodes(response.text))
        if found:
            problems[url] = found
        for href in re.findall(r'href="([^"#]+)"', response.text):
            parts = urlsplit(href.replace("&amp;", "&"))
            if parts.netloc or not parts.path.startswith(AREAS) or parts.path.endswith(".csv"):
                continue
            link = parts.path + (f"?{parts.query}" if parts.query else "")
            pattern = re.sub(r"\d+", "N", parts.path) + ("?" if parts.query else "")
            if link not in visited and seen_patterns.get(pattern, 0) < PER_PATTERN:
                seen_patterns[pattern] = seen_patterns.get(pattern, 0) + 1
                queue.append(link)
    return visited, problems


@pytest.fixture
def demo(app):
    with app.app_context():
        return seed_demo(residents=40, seed=1)


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("account", sorted(START))
def test_no_back_office_page_shows_a_raw_code(app, client, auth, demo, account, language):
    assert auth.login(f"{account}@{DOMAIN}", DEMO_PASSWORD).status_code == 302
    client.post("/langue", data={"language": language})
    visited, problems = crawl(client, START[account])
    assert len(visited) >= MIN_PAGES[account]
    assert not problems, problems


def test_the_check_finds_what_it_looks_for():
    assert raw_codes(["Signalé : insult"]) and raw_codes(["under_study"])
    assert raw_codes(["Jeton : opportunities:write"]) and raw_codes(["Whole métropole"])
    assert not raw_codes(["Une association du quartier", "Insulte ou harcèlement"])
