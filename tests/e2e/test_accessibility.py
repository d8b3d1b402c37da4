"""Automated accessibility audit (axe-core, WCAG 2.1 A and AA) and the page outline, per page."""
from __future__ import annotations

import re
from importlib import resources

import pytest
from playwright.sync_api import expect

from portal.models import Submission

from .conftest import log_in

pytestmark = pytest.mark.e2e

AXE_SOURCE = resources.files("axe_playwright_python").joinpath("axe.min.js").read_text()
AXE_RUN = """async () => {
  const result = await axe.run(document, {runOnly: {type: "tag",
    values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.map(n => n.target.join(" "))}));
}"""
OUTLINE = """() => {
  const headings = [...document.querySelectorAll("h1, h2, h3, h4, h5, h6")]
    .map(h => Number(h.tagName[1]));
  const controls = [...document.querySelectorAll(
    "input:not([type=hidden]), select, textarea, button")];
  const unnamed = controls.filter(c => {
    const labelled = c.labels && c.labels.length > 0;
    return !labelled && !c.getAttribute("aria-label") && !c.getAttribute("aria-labelledby")
      && !(c.tagName === "BUTTON" && c.textContent.trim());
  }).map(c => c.outerHTML);
  const navs = [...document.querySelectorAll("nav")].filter(n => !n.getAttribute("aria-label"));
  return {headings, unnamed, mains: document.querySelectorAll("main").length,
          navs_without_name: navs.length};
}"""


def audit(page) -> None:
    page.evaluate(AXE_SOURCE)
    serious = [v for v in page.evaluate(AXE_RUN) if v["impact"] in ("serious", "critical")]
    assert not serious, "\n".join(f"{v['id']}: {v['help']} at {v['targets']}" for v in serious)
    outline = page.evaluate(OUTLINE)
    assert outline["headings"].count(1) == 1, outline["headings"]
    for previous, current in zip(outline["headings"], outline["headings"][1:], strict=False):
        assert current <= previous + 1, f"heading level skipped: {outline['headings']}"
    assert outline["mains"] == 1
    assert outline["navs_without_name"] == 0
    assert not outline["unnamed"], outline["unnamed"]


@pytest.fixture(scope="module")
def published_need(live_site, browser):
    """A published need with a comment, made through the site itself."""
    site = live_site
    site.user("auteur-a11y@example.org", "Awa T.")
    site.user("moderation-a11y@example.org", "Claire", role="moderator")
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    log_in(page, site, "auteur-a11y@example.org")
    page.goto(f"{site.url}/contributions/nouvelle?kind=need")
    expect(page.get_by_role("radio", name=re.compile("^Un besoin"))).to_be_checked()
    page.get_by_role("textbox", name=re.compile("^Titre")).fill("Un jardin partagé à Dury")
    page.get_by_role("textbox", name=re.compile("^Description")).fill(
        "Un terrain communal est en friche depuis des années : les voisins aimeraient y jardiner.")
    page.locator("#territory").select_option(index=2)
    page.locator("#theme").select_option(index=1)
    with page.expect_navigation():  # under load the next page may come late: read its address
        page.get_by_role("button", name="Envoyer").click()
    url = page.url
    page.get_by_role("button", name="Se déconnecter").click()
    log_in(page, site, "moderation-a11y@example.org")
    page.goto(url)
    with page.expect_navigation():
        page.get_by_role("button", name="Publier", exact=True).click()
    page.get_by_role("textbox", name=re.compile("^Votre commentaire")).fill("Bonne idée !")
    page.get_by_role("button", name="Publier le commentaire").click()
    context.close()
    assert site.ids(Submission, status="published")
    return url


@pytest.mark.parametrize("path", [
    "/", "/contributions/", "/contributions/?kind=need&sort=trending", "/compte/inscription",
    "/compte/connexion", "/compte/mot-de-passe-oublie", "/confidentialite", "/nulle-part",
    "/donnees-ouvertes", "/projets/",
])
def test_public_pages_pass_the_audit(page, live_site, path):
    page.goto(live_site.url + path)
    audit(page)


def test_a_submission_page_with_comments_passes_the_audit(page, published_need):
    page.goto(published_need)
    expect(page.get_by_text("Bonne idée !")).to_be_visible()
    audit(page)


def test_forms_showing_errors_pass_the_audit(page, live_site):
    live_site.user("erreurs-a11y@example.org", "Jo L.")
    log_in(page, live_site, "erreurs-a11y@example.org")
    page.goto(f"{live_site.url}/contributions/nouvelle")
    page.get_by_role("button", name="Envoyer").click()
    expect(page.locator(".error-summary")).to_be_visible()
    audit(page)
    page.goto(f"{live_site.url}/contributions/?page=zero")
    audit(page)


def test_back_office_pages_pass_the_audit(browser, live_site, published_need):
    """The staff work here all day, with a keyboard and sometimes a screen reader."""
    from portal.extensions import db
    from portal.models import Lead, User
    from portal.services.leads.pipeline import convert

    site = live_site
    need_id = int(published_need.rsplit("/", 1)[1])
    with site.app.test_request_context(base_url=site.url):
        moderator = db.session.scalar(db.select(User).where(
            User.email == "moderation-a11y@example.org"))
        need = db.session.get(Submission, need_id)
        lead = db.session.scalar(db.select(Lead)) or convert(
            moderator, [need_id], title="Jardin partagé de Dury", summary="Un terrain en friche.",
            territory_id=need.territory_id, theme_id=need.theme_id)
        lead_id = lead.id
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    try:
        log_in(page, site, "moderation-a11y@example.org")
        for path in [
            "/moderation/",
            "/moderation/file-d-attente",
            f"/moderation/contributions/{need_id}",
            "/moderation/signalements",
            "/moderation/comptes?q=a",
            "/moderation/modeles",
            "/compte/notifications/",
            "/pistes/",
            "/pistes/liste",
            f"/pistes/{lead_id}",
            "/pistes/synthese",
            "/projets/",
        ]:
            page.goto(site.url + path)
            assert page.locator("h1").count() == 1, path
            audit(page)
    finally:
        context.close()


def test_admin_and_partner_pages_pass_the_audit(browser, live_site):
    site = live_site
    site.user("admin-a11y@example.org", "Admin", role="admin")
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    try:
        log_in(page, site, "admin-a11y@example.org")
        page.goto(f"{site.url}/admin/organisations")
        audit(page)
        page.locator("#name").fill("Centre social d'Étouvie")
        page.locator("#kind").select_option("relay")
        page.get_by_role("button", name=re.compile("Créer|Create")).click()
        audit(page)
        page.locator("#email").fill("admin-a11y@example.org")
        page.get_by_role("button", name=re.compile("Rattacher|Attach")).click()
        page.goto(f"{site.url}/partenaires/")
        audit(page)
        page.goto(f"{site.url}/partenaires/transmettre")
        audit(page)
        # The outbox now holds the mails this test's actions queued (no server sends them here).
        page.goto(f"{site.url}/admin/envois")
        audit(page)
    finally:
        context.close()
