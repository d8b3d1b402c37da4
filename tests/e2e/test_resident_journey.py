"""The resident portal as a person uses it, in a real Chromium: with and without JavaScript."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from portal.models import Territory, Theme

from .conftest import PASSWORD, log_in

pytestmark = pytest.mark.e2e


def post_need(page, site, title: str, body: str) -> None:
    page.goto(f"{site.url}/contributions/nouvelle")
    page.get_by_label(re.compile("^Un besoin")).check()
    page.get_by_role("textbox", name=re.compile("^Titre")).fill(title)
    page.get_by_role("textbox", name=re.compile("^Description")).fill(body)
    page.get_by_role("combobox", name=re.compile("^Où")).select_option(
        str(site.ids(Territory, code="80489")[0])
    )
    page.get_by_role("combobox", name=re.compile("^Thématique")).select_option(
        str(site.ids(Theme, code="bien-vieillir")[0])
    )
    send(page, page.get_by_role("button", name="Envoyer", exact=True))
    send_anyway = page.get_by_role("button", name="Envoyer la mienne quand même")
    if send_anyway.count():  # look-alikes were shown first (never a block): send it all the same
        send(page, send_anyway)


def send(page, button) -> None:
    """Press a form's button and wait for the page that answers, whatever it says (the need,
    the look-alikes, the errors): the next page's load, awaited from before the click (a load
    state asked for after it may be the page sent from)."""
    with page.expect_event("load"):
        button.click()


def post_and_publish(page, site, prefix: str, title: str, body: str) -> str:
    """A resident posts a need and a moderator publishes it, both through the pages; returns
    the need's address."""
    site.user(f"{prefix}@example.org", "Sami K.")
    log_in(page, site, f"{prefix}@example.org")
    post_need(page, site, title, body)
    need_url = page.url
    log_out(page)
    site.user(f"moderation-{prefix}@example.org", "Inès", role="moderator")
    log_in(page, site, f"moderation-{prefix}@example.org")
    page.goto(need_url)
    page.get_by_role("button", name="Publier", exact=True).click()
    log_out(page)
    return need_url


def log_out(page) -> None:
    page.get_by_role("button", name="Se déconnecter").click()


def test_register_post_publish_support_comment_search_and_switch_language(page, live_site):
    site = live_site
    page.goto(site.url)
    expect(page.locator("html")).to_have_attribute("lang", "fr")

    page.get_by_role("link", name="Créer un compte").first.click()
    page.get_by_role("textbox", name=re.compile("^Adresse e-mail")).fill("nadia@example.org")
    page.get_by_role("textbox", name=re.compile("^Nom affiché")).fill("Nadia B.")
    page.get_by_role("textbox", name="Mot de passe", exact=True).fill(PASSWORD)
    page.get_by_label("Mot de passe (confirmation)").fill(PASSWORD)
    page.get_by_label(re.compile("J'ai lu la politique")).check()
    page.get_by_role("button", name="Créer mon compte").click()
    expect(page.get_by_text("Nous avons envoyé un e-mail à cette adresse")).to_be_visible()
    page.goto(site.last_link("nadia@example.org"))
    page.get_by_role("button", name="Confirmer mon adresse").click()
    expect(page.get_by_text("Votre adresse e-mail est confirmée")).to_be_visible()
    log_in(page, site, "nadia@example.org")

    post_need(page, site, "Rompre l'isolement des aînés à Longueau",
              "Beaucoup de personnes âgées vivent seules près de la gare et ne voient personne "
              "de la semaine.")
    expect(page.get_by_text("attend l'équipe de modération")).to_be_visible()
    need_url = page.url
    log_out(page)

    site.user("claire@example.org", "Claire, chargée de mission", role="moderator")
    log_in(page, site, "claire@example.org")
    page.goto(need_url)
    page.get_by_role("button", name="Publier", exact=True).click()
    expect(page.get_by_text("La contribution est publiée.")).to_be_visible()
    log_out(page)

    site.user("marc@example.org", "Marc D.")
    log_in(page, site, "marc@example.org")
    page.goto(need_url)
    page.get_by_role("button", name="Je soutiens").click()
    expect(page.locator(".support-count strong")).to_have_text("1")
    page.get_by_role("textbox", name=re.compile("^Votre commentaire")).fill(
        "Même constat pour ma voisine, le bus passe rarement."
    )
    page.get_by_role("button", name="Publier le commentaire").click()
    expect(page.get_by_text("Même constat pour ma voisine")).to_be_visible()

    page.goto(f"{site.url}/contributions/")
    page.get_by_role("textbox", name="Rechercher").fill("AINES longueau")
    page.get_by_role("button", name="Afficher").click()
    expect(page.get_by_role("link", name="Rompre l'isolement des aînés à Longueau")).to_be_visible()

    page.get_by_role("combobox", name="Langue").select_option("en")
    page.get_by_role("button", name="Changer de langue").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("button", name="Show")).to_be_visible()


def test_a_form_error_keeps_the_text_and_points_to_the_field(page, live_site):
    site = live_site
    site.user("lea@example.org", "Léa M.")
    log_in(page, site, "lea@example.org")
    post_need(
        page, site, "Court", "Une description assez longue pour être acceptée par le portail."
    )
    title = page.get_by_role("textbox", name=re.compile("^Titre"))
    expect(title).to_have_attribute("aria-invalid", "true")
    expect(title).to_have_attribute("aria-describedby", re.compile("title-error"))
    expect(page.get_by_role("textbox", name=re.compile("^Description"))).to_have_value(
        "Une description assez longue pour être acceptée par le portail.")
    expect(page.locator(".error-summary")).to_be_focused()


def test_the_skip_link_is_the_first_stop_of_the_keyboard(page, live_site):
    page.goto(live_site.url)
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Aller au contenu")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#main")).to_be_focused()


def test_posting_and_supporting_work_without_javascript(browser, live_site):
    site = live_site
    context = browser.new_context(locale="fr-FR", java_script_enabled=False)
    page = context.new_page()
    try:
        need_url = post_and_publish(
            page, site, "sans-js", "Une laverie solidaire à Dury",
            "Les familles du quartier n'ont pas de machine et la laverie la plus proche est à "
            "Amiens.")
        site.user("soutien-sans-js@example.org", "Paul R.")
        log_in(page, site, "soutien-sans-js@example.org")
        page.goto(need_url)
        page.get_by_role("button", name="Je soutiens").click()
        expect(page.locator(".support-count strong")).to_have_text("1")
        page.get_by_role("button", name="Retirer mon soutien").click()
        expect(page.locator(".support-count strong")).to_have_text("0")
    finally:
        context.close()


def test_look_alikes_show_as_the_title_is_typed_and_me_too_supports(browser, live_site):
    """With JavaScript the hints come while typing; "Moi aussi" supports the existing one."""
    site = live_site
    page = browser.new_page(locale="fr-FR")
    try:
        post_and_publish(page, site, "navette", "Une navette de nuit vers Rivery",
                         "Après 21 h, plus aucun bus ne dessert Rivery depuis la gare d'Amiens.")
        site.user("voisine-navette@example.org", "Zoé")
        log_in(page, site, "voisine-navette@example.org")
        page.goto(f"{site.url}/contributions/nouvelle")
        page.get_by_role("textbox", name=re.compile("^Titre")).fill("Des navettes le soir")
        hints = page.locator("#similar-live")
        expect(hints.get_by_role("link", name="Une navette de nuit vers Rivery")).to_be_visible()
        hints.get_by_role("button", name="Moi aussi").first.click()
        expect(page.get_by_text("Merci pour votre soutien")).to_be_visible()
        expect(page.locator(".support-count strong")).to_have_text("1")
    finally:
        page.close()


def test_a_residents_own_look_alike_shows_as_theirs_while_typing(browser, live_site):
    """Their own contribution comes among the hints as theirs, with nothing to support."""
    site = live_site
    page = browser.new_page(locale="fr-FR")
    try:
        post_and_publish(page, site, "composteur", "Un composteur collectif à Longueau",
                         "Les habitants des immeubles n'ont nulle part où composter leurs "
                         "déchets de cuisine.")
        log_in(page, site, "composteur@example.org")
        page.goto(f"{site.url}/contributions/nouvelle")
        page.get_by_role("textbox", name=re.compile("^Titre")).fill("Des composteurs collectifs")
        hint = page.locator("#similar-live li").filter(has_text="Un composteur collectif")
        expect(hint.get_by_text("Votre contribution")).to_be_visible()
        expect(hint.get_by_role("button", name="Moi aussi")).to_have_count(0)
    finally:
        page.close()
