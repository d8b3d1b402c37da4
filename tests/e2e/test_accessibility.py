"""Accessibility audit of every page template, in a real Chromium: axe-core with every WCAG 2.1 A
and AA rule and its best practices, at every impact, at 1,280 and 375 px; then what a script can
check that axe does not: reflow at 320 px, the outline, a live region for messages, unique titles,
"Erreur" first in the title of a form in error, and where the focus lands after an action.

One browser and one crawl: each page is loaded once, audited at both widths, then its facts are
read by the tests below, so that a failure names its page."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from importlib import resources

import pytest
from playwright.sync_api import expect

from portal.extensions import db
from portal.models import Lead, Submission, User

from .conftest import FAILING_PATH, PASSWORD, log_in

pytestmark = pytest.mark.e2e

AXE_SOURCE = resources.files("axe_playwright_python").joinpath("axe.min.js").read_text()
AXE_RUN = """async () => {
  const result = await axe.run(document, {runOnly: {type: "tag",
    values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}});
  return result.violations.map(v => `${v.id} (${v.impact}): ${v.help} at ` +
    v.nodes.map(n => n.target.join(" ")).join(", "));
}"""
OUTLINE = """() => {
  const problems = [];
  const levels = [...document.querySelectorAll("h1, h2, h3, h4, h5, h6")]
    .map(h => Number(h.tagName[1]));
  if (levels.filter(level => level === 1).length !== 1) problems.push(`h1 count: ${levels}`);
  levels.forEach((level, i) => {
    if (i && level > levels[i - 1] + 1) problems.push(`heading level skipped: ${levels}`);
  });
  document.querySelectorAll("input:not([type=hidden]), select, textarea, button").forEach(c => {
    const named = (c.labels && c.labels.length) || c.getAttribute("aria-label")
      || c.getAttribute("aria-labelledby") || (c.tagName === "BUTTON" && c.textContent.trim());
    if (!named) problems.push(`control without a name: ${c.outerHTML}`);
  });
  if (document.querySelectorAll("main").length !== 1) problems.push("not one <main>");
  document.querySelectorAll("nav:not([aria-label])").forEach(() => problems.push("unnamed nav"));
  const region = document.getElementById("messages");
  if (!region || region.getAttribute("role") !== "status") problems.push("no live region");
  return problems;
}"""
#: The elements that stick out of the viewport, deepest first: what to fix when a page reflows.
STICKING_OUT = """() => [...document.body.querySelectorAll("*")]
  .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
  .filter(e => !e.closest(".table-scroll, .board"))
  .filter(e => ![...e.children].some(c => c.getBoundingClientRect().right
                                            > document.documentElement.clientWidth + 1))
  .slice(0, 5).map(e => e.outerHTML.slice(0, 120))"""
WIDTHS = (1280, 375)
NARROWEST = 320


@dataclass
class Visit:
    """What the crawl read of one page."""

    title: str = ""
    url: str = ""
    violations: list[str] = field(default_factory=list)
    outline: list[str] = field(default_factory=list)
    width_at_320: int = 0
    sticking_out: list[str] = field(default_factory=list)


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
    url = page.url.split("#")[0]
    page.get_by_role("button", name="Se déconnecter").click()
    log_in(page, site, "moderation-a11y@example.org")
    page.goto(url)
    with page.expect_navigation():
        page.get_by_role("button", name="Publier", exact=True).click()
    page.get_by_role("textbox", name=re.compile("^Votre commentaire")).fill("Bonne idée !")
    with page.expect_navigation():
        page.get_by_role("button", name="Publier le commentaire").click()
    context.close()
    assert site.ids(Submission, status="published")
    return url


def submit(page, name) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=name, exact=True).click()


def log_in_as(page, site, email: str) -> None:
    page.goto(f"{site.url}/compte/connexion")
    page.get_by_label(re.compile("^Adresse e-mail")).fill(email)
    page.get_by_label(re.compile("^Mot de passe")).fill(PASSWORD)
    submit(page, "Se connecter")


def too_large(page, site, ids) -> None:
    """More than MAX_CONTENT_LENGTH in a form: the 413 page."""
    page.goto(f"{site.url}/compte/mot-de-passe-oublie")
    page.locator("#email").evaluate("(input, size) => { input.type = 'text';"
                                    " input.value = 'a'.repeat(size); }",
                                    site.app.config["MAX_CONTENT_LENGTH"] + 1)
    submit(page, "M'envoyer un lien")


def empty_form(path: str, button: str):
    def send(page, site, ids) -> None:
        page.goto(site.url + path)
        submit(page, button)
    return send


def reset_page(page, site, ids) -> None:
    page.goto(f"{site.url}/compte/mot-de-passe-oublie")
    page.get_by_label(re.compile("^Adresse e-mail")).fill("auteur-a11y@example.org")
    submit(page, "M'envoyer un lien")
    page.goto(site.last_link("auteur-a11y@example.org"))


def bulk_confirm(page, site, ids) -> None:
    page.goto(f"{site.url}/moderation/file-d-attente")
    page.locator(f"#pick-{ids['pending']}").check()
    submit(page, "Continuer")


def unsubscribed(page, site, ids) -> None:
    page.goto(f"{site.url}/compte/notifications/desabonnement/{ids['unsubscribe']}")
    submit(page, "Ne plus recevoir de courriels")


def offer_in_error(page, site, ids) -> None:
    page.goto(f"{site.url}/projets/{ids['lead']}")
    submit(page, "Envoyer ma proposition")


#: (who, page name, what to open: a path, with {need}, {lead} or {meeting}, or a function).
PAGES = [
    ("visitor", "home", "/"),
    ("visitor", "listing", "/contributions/"),
    ("visitor", "needs by trend", "/contributions/?kind=need&sort=trending"),
    ("visitor", "listing in error", "/contributions/?page=zero"),
    ("visitor", "contribution", "/contributions/{need}"),
    ("visitor", "projects", "/projets/"),
    ("visitor", "project", "/projets/{lead}"),
    ("visitor", "register", "/compte/inscription"),
    ("visitor", "register in error", empty_form("/compte/inscription", "Créer mon compte")),
    ("visitor", "login", "/compte/connexion"),
    ("visitor", "login in error", empty_form("/compte/connexion", "Se connecter")),
    ("visitor", "forgotten password", "/compte/mot-de-passe-oublie"),
    ("visitor", "new password", reset_page),
    ("visitor", "link not valid", "/compte/nouveau-mot-de-passe/perime"),
    ("visitor", "privacy", "/confidentialite"),
    ("visitor", "legal notice", "/mentions-legales"),
    ("visitor", "accessibility", "/accessibilite"),
    ("visitor", "site plan", "/plan-du-site"),
    ("visitor", "open data", "/donnees-ouvertes"),
    ("visitor", "stop the e-mails", "/compte/notifications/desabonnement/{unsubscribe}"),
    ("visitor", "e-mails stopped", unsubscribed),
    ("visitor", "404", "/nulle-part"),
    ("visitor", "413", too_large),
    ("visitor", "500", FAILING_PATH),
    ("resident", "new contribution", "/contributions/nouvelle"),
    ("resident", "contribution in error", empty_form("/contributions/nouvelle", "Envoyer")),
    ("resident", "contribution as its author", "/contributions/{need}"),
    ("resident", "offer in error", offer_in_error),
    ("resident", "account", "/compte/"),
    ("resident", "activity", "/compte/activite"),
    ("resident", "notifications", "/compte/notifications/"),
    ("moderator", "moderation", "/moderation/"),
    ("moderator", "queue", "/moderation/file-d-attente"),
    ("moderator", "review", "/moderation/contributions/{need}"),
    ("moderator", "bulk confirmation", bulk_confirm),
    ("moderator", "edit a comment", "/contributions/commentaires/{comment}/modifier"),
    ("moderator", "reports", "/moderation/signalements"),
    ("moderator", "hidden", "/moderation/masques"),
    ("moderator", "accounts", "/moderation/comptes?q=a"),
    ("moderator", "reply templates", "/moderation/modeles"),
    ("moderator", "board", "/pistes/"),
    ("moderator", "lead list", "/pistes/liste"),
    ("moderator", "lead", "/pistes/{lead}"),
    ("moderator", "fiche", "/pistes/{lead}/modifier"),
    ("moderator", "new lead", "/pistes/nouvelle"),
    ("moderator", "new lead in error", empty_form("/pistes/nouvelle", "Créer la piste")),
    ("moderator", "steering summary", "/pistes/synthese"),
    ("moderator", "meetings", "/pistes/comite"),
    ("moderator", "meeting", "/pistes/comite/{meeting}"),
    ("moderator", "project as staff", "/projets/{lead}"),
    ("admin", "organisations", "/admin/organisations"),
    ("admin", "organisation", "/admin/organisations/{organisation}"),
    ("admin", "outbox", "/admin/envois"),
    ("admin", "journal", "/moderation/journal"),
    ("partner", "partner space", "/partenaires/"),
    ("partner", "forward", "/partenaires/transmettre"),
    ("partner", "forward in error", empty_form("/partenaires/transmettre", "Envoyer")),
]
EMAILS = {"resident": "auteur-a11y@example.org", "moderator": "moderation-a11y@example.org",
          "admin": "admin-a11y@example.org", "partner": "partenaire-a11y@example.org"}


def prepare(site, need_url: str) -> dict[str, int]:
    """A public lead on the need, a committee meeting and a partner organisation, made through
    the use cases the back-office calls."""
    from portal.models import Comment
    from portal.services.accounts.notifications import UNSUBSCRIBE
    from portal.services.core.tokens import make_token
    from portal.services.leads import committee, pipeline
    from portal.services.partners import forwarding
    from portal.services.submissions import posting

    site.user(EMAILS["admin"], "Admin", role="admin")
    site.user(EMAILS["partner"], "Agent de la Métropole")
    need_id = int(need_url.rsplit("/", 1)[1])
    with site.app.test_request_context(base_url=site.url):
        moderator = db.session.scalar(db.select(User).where(User.email == EMAILS["moderator"]))
        admin = db.session.scalar(db.select(User).where(User.email == EMAILS["admin"]))
        need = db.session.get(Submission, need_id)
        lead = db.session.scalar(db.select(Lead)) or pipeline.convert(
            moderator, [need_id], title="Jardin partagé de Dury", summary="Un terrain en friche.",
            territory_id=need.territory_id, theme_id=need.theme_id)
        lead.is_public = True
        db.session.commit()
        meeting = committee.create_meeting(moderator, name="Comité de pilotage",
                                           held_on=date(2026, 3, 12))
        organisation = forwarding.create_organisation(admin, "Direction de l'économie",
                                                      "metropole_service", None)
        forwarding.attach_user(admin, organisation, EMAILS["partner"])
        pending = posting.submit(need.author, kind="idea", title="Une recyclerie à Longueau",
                                 body="Les objets encore bons finissent à la déchetterie : une "
                                      "recyclerie leur donnerait une seconde vie.",
                                 territory_id=need.territory_id, theme_id=need.theme_id)
        return {"need": need_id, "lead": lead.id, "meeting": meeting.id,
                "organisation": organisation.id, "pending": pending.id,
                "comment": db.session.scalar(db.select(Comment.id)),
                "unsubscribe": make_token(UNSUBSCRIBE, {"uid": need.author_id})}


@pytest.fixture(scope="module")
def crawl(browser, live_site, published_need) -> dict[str, Visit]:
    site = live_site
    ids = prepare(site, published_need)
    visits: dict[str, Visit] = {}
    for who in dict.fromkeys(who for who, _name, _target in PAGES):
        context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
        page = context.new_page()
        try:
            if who != "visitor":
                log_in_as(page, site, EMAILS[who])
            for name, target in [(name, target) for w, name, target in PAGES if w == who]:
                page.set_viewport_size({"width": 1280, "height": 900})
                if callable(target):
                    target(page, site, ids)
                else:
                    page.goto(site.url + target.format(**ids))
                visits[name] = audit(page)
        finally:
            context.close()
    return visits


def audit(page) -> Visit:
    visit = Visit(title=page.title(), url=page.url)
    page.evaluate(AXE_SOURCE)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        visit.violations += [f"{width} px: {found}" for found in page.evaluate(AXE_RUN)]
    visit.outline = page.evaluate(OUTLINE)
    page.set_viewport_size({"width": NARROWEST, "height": 900})
    visit.width_at_320 = page.evaluate("document.documentElement.scrollWidth")
    if visit.width_at_320 > NARROWEST:
        visit.sticking_out = page.evaluate(STICKING_OUT)
    return visit


@pytest.mark.parametrize("name", [name for _who, name, _target in PAGES])
def test_every_page_passes_axe_at_both_widths(crawl, name):
    assert not crawl[name].violations, "\n".join(crawl[name].violations)


@pytest.mark.parametrize("name", [name for _who, name, _target in PAGES])
def test_every_page_has_an_outline_named_controls_and_a_live_region(crawl, name):
    assert not crawl[name].outline, "\n".join(crawl[name].outline)


def test_no_page_scrolls_sideways_at_320_px(crawl):
    """WCAG 1.4.10: at 320 CSS px everything reflows; only a wide table scrolls, in its box."""
    wide = {name: (visit.width_at_320, visit.sticking_out) for name, visit in crawl.items()
            if visit.width_at_320 > NARROWEST}
    assert not wide, wide


def test_every_page_has_its_own_title(crawl):
    """Two people may see one page; two pages never share a title."""
    by_title: dict[str, set[str]] = {}
    for visit in crawl.values():
        by_title.setdefault(visit.title, set()).add(visit.url)
    assert not {title: urls for title, urls in by_title.items() if len(urls) > 1}


def test_a_form_in_error_says_so_first_in_its_title(crawl):
    for name in [name for name in crawl if name.endswith("in error")]:
        assert crawl[name].title.startswith("Erreur\u202f: "), (name, crawl[name].title)
    assert not crawl["login"].title.startswith("Erreur")


def test_after_an_action_the_focus_lands_on_its_message(page, live_site, crawl):
    """Logging in leads to a page whose message takes the focus, where a screen reader reads it;
    a form sent in error puts the focus on its summary."""
    log_in_as(page, live_site, EMAILS["resident"])
    expect(page.locator("#messages .flash")).to_be_visible()
    assert page.evaluate("document.activeElement.id") == "messages"
    page.goto(f"{live_site.url}/contributions/nouvelle")
    submit(page, "Envoyer")
    assert page.evaluate("document.activeElement.className") == "error-summary"
