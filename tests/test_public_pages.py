"""The pages a French public site must have: accessibility statement, legal notice, site plan,
sitemap.xml, robots.txt, and a footer that says who runs the portal."""
from __future__ import annotations

from xml.etree import ElementTree

import pytest

SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture
def operator(app):
    settings = {"OPERATOR_NAME": "Fabrique à initiatives du Pays test",
                "OPERATOR_ADDRESS": "3 place de la Mairie, 80000 Amiens",
                "OPERATOR_CONTACT": "bonjour@fabrique-test.fr",
                "PUBLICATION_DIRECTOR": "Marie Durand, présidente",
                "HOST_NAME": "Hébergeur Test SAS", "HOST_ADDRESS": "1 rue du Serveur, 59000 Lille"}
    before = {key: app.config[key] for key in settings}
    app.config.update(settings)
    yield settings
    app.config.update(before)


def test_every_page_has_the_footer_with_the_operator_and_the_mandatory_links(client, operator):
    for path in ("/", "/contributions/", "/projets/", "/accessibilite", "/compte/connexion"):
        page = client.get(path).get_data(as_text=True)
        footer = page[page.index('<footer'):]
        assert "Fabrique à initiatives du Pays test" in footer
        assert "3 place de la Mairie, 80000 Amiens" in footer
        assert 'href="mailto:bonjour@fabrique-test.fr"' in footer
        assert '<a href="/accessibilite">Accessibilité\u202f: partiellement conforme</a>' in footer
        for link in ('href="/mentions-legales"', 'href="/plan-du-site"',
                     'href="/confidentialite"'):
            assert link in footer, (path, link)


def test_the_accessibility_statement(client, operator):
    response = client.get("/accessibilite")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<title>Accessibilité" in page
    assert "partiellement conforme" in page and "RGAA" in page and "4.1" in page
    assert "relève 75\u202f% des critères du RGAA respectés" in page
    assert "axe-core" in page and "Playwright" in page and "Chromium" in page
    assert "Contenus non accessibles" in page
    assert "Défenseur des droits" in page and "Libre réponse 71120" in page
    assert 'href="mailto:bonjour@fabrique-test.fr"' in page


def test_the_legal_notice_comes_from_the_settings(client, operator):
    response = client.get("/mentions-legales")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<h1>Mentions légales</h1>" in page
    for value in operator.values():
        assert value in page
    assert "Éditeur" in page and "Hébergeur" in page and "Directeur" in page


def test_the_legal_notice_has_safe_defaults(client):
    page = client.get("/mentions-legales").get_data(as_text=True)
    assert "Fabrique à initiatives d&#39;Amiens Métropole (démonstration)" in page
    assert "OPERATOR_ADDRESS" in page  # says which setting to fill


def test_the_site_plan_lists_public_pages_only(client, make):
    published = make.submission(title="Une laverie solidaire à Étouvie", status="published")
    pending = make.submission(title="Une demande encore en attente", status="pending")
    page = client.get("/plan-du-site").get_data(as_text=True)
    assert "<h1>Plan du site</h1>" in page
    assert f'href="/contributions/{published.id}"' in page
    assert f'href="/contributions/{pending.id}"' not in page
    for path in ("/accessibilite", "/mentions-legales", "/confidentialite", "/projets/"):
        assert f'href="{path}"' in page


def test_the_sitemap_is_valid_xml_with_public_url_links_only(app, client, make):
    published = make.submission(title="Une laverie solidaire à Étouvie", status="published")
    pending = make.submission(title="Une demande encore en attente", status="pending")
    lead = make.lead(submissions=[published], public=True)
    hidden_lead = make.lead(public=False)
    app.config["PUBLIC_URL"] = "https://fabrique.example.fr/portail"
    try:
        response = client.get("/sitemap.xml", headers={"Host": "evil.example"})
    finally:
        app.config["PUBLIC_URL"] = "http://portal.test"
    assert response.status_code == 200 and response.mimetype == "application/xml"
    root = ElementTree.fromstring(response.data)
    assert root.tag == f"{SITEMAP_NS}urlset"
    locations = [url.findtext(f"{SITEMAP_NS}loc") for url in root]
    assert all(loc.startswith("https://fabrique.example.fr/portail/") for loc in locations)
    assert "https://fabrique.example.fr/portail/" in locations
    assert "https://fabrique.example.fr/portail/accessibilite" in locations
    assert f"https://fabrique.example.fr/portail/contributions/{published.id}" in locations
    assert f"https://fabrique.example.fr/portail/projets/{lead.id}" in locations
    assert f"https://fabrique.example.fr/portail/contributions/{pending.id}" not in locations
    assert f"https://fabrique.example.fr/portail/projets/{hidden_lead.id}" not in locations


def test_robots_keeps_crawlers_out_of_the_back_office_and_points_to_the_sitemap(client):
    response = client.get("/robots.txt")
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and response.mimetype == "text/plain"
    assert text.startswith("User-agent: *\n")
    for prefix in ("/compte/", "/moderation/", "/pistes/", "/admin/", "/partenaires/"):
        assert f"Disallow: {prefix}\n" in text
    assert "Disallow: /\n" not in text
    assert "Sitemap: http://portal.test/sitemap.xml" in text


def test_the_pages_speak_english_too(client):
    client.post("/langue", data={"language": "en"})
    page = client.get("/accessibilite").get_data(as_text=True)
    assert "Accessibility statement" in page and "partially compliant" in page
