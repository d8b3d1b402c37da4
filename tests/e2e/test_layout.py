"""The face of the portal on a phone and on a wide screen: nothing scrolls sideways, the board
keeps to the screen, the header's menu works by keyboard, a move the lead cannot make is refused
where the person looks."""
from __future__ import annotations

import re
from contextlib import contextmanager

import pytest
from playwright.sync_api import expect

from .test_board import lead_on_the_board

pytestmark = pytest.mark.e2e

PUBLIC_PAGES = ["/", "/contributions/", "/contributions/?kind=need", "/projets/",
                "/compte/connexion?next=/contributions/nouvelle", "/compte/inscription",
                "/accessibilite", "/plan-du-site", "/donnees-ouvertes"]


def page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


@contextmanager
def screen(browser, width: int, height: int = 800):
    """A page in a browser window `width` px wide, closed after use."""
    context = browser.new_context(locale="fr-FR", viewport={"width": width, "height": height})
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.mark.parametrize("width", [320, 375])
def test_no_public_page_scrolls_sideways_on_a_phone(browser, live_site, width):
    with screen(browser, width, 800) as page:
        for path in PUBLIC_PAGES:
            page.goto(live_site.url + path)
            assert page_width(page) <= width, f"{path} is {page_width(page)} px wide at {width} px"


@pytest.mark.parametrize("width", [320, 375])
def test_no_back_office_page_scrolls_sideways_on_a_phone(browser, live_site, width):
    with screen(browser, width, 800) as page:
        lead_id = lead_on_the_board(page, live_site, f"etroit-{width}@example.org", "Épicerie")
        for path in ["/pistes/", "/pistes/liste", f"/pistes/{lead_id}", "/pistes/synthese",
                     "/moderation/", "/moderation/file-d-attente", "/moderation/signalements"]:
            page.goto(live_site.url + path)
            assert page_width(page) <= width, f"{path} is {page_width(page)} px wide at {width} px"


def test_the_board_keeps_to_a_wide_screen_and_scrolls_inside_itself(browser, live_site):
    with screen(browser, 1280, 800) as page:
        lead_on_the_board(page, live_site, "large@example.org", "Ressourcerie")
        assert page_width(page) <= 1280
        board = page.get_by_role("region", name="Tableau des pistes, par étape")
        board.focus()
        expect(board).to_be_focused()
        assert board.evaluate("b => b.scrollWidth > b.clientWidth"), "the columns fit: no scroll"


def test_the_phone_menu_opens_and_is_used_by_keyboard(browser, live_site):
    with screen(browser, 375, 700) as page:
        page.goto(live_site.url + "/accessibilite")
        header = page.locator(".site-header")
        assert header.bounding_box()["height"] <= 80
        needs = page.get_by_role("link", name="Besoins", exact=True)
        expect(needs).to_be_hidden()
        menu = page.locator(".site-menu > summary")
        for _ in range(5):
            page.keyboard.press("Tab")
            if menu.evaluate("m => m === document.activeElement"):
                break
        expect(menu).to_be_focused()
        page.keyboard.press("Enter")
        expect(needs).to_be_visible()
        page.keyboard.press("Tab")
        expect(needs).to_be_focused()
        page.keyboard.press("Escape")
        expect(needs).to_be_hidden()
        expect(menu).to_be_focused()
        page.keyboard.press("Enter")
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        expect(page).to_have_url(re.compile(r"/contributions/\?kind=need$"))


def test_the_menu_is_open_on_a_wide_screen(page, live_site):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(live_site.url + "/")
    expect(page.get_by_role("link", name="Besoins", exact=True)).to_be_visible()
    expect(page.locator(".site-menu > summary")).to_be_hidden()


def test_a_drop_on_a_stage_the_lead_cannot_reach_is_refused_on_the_card(page, live_site):
    page.set_viewport_size({"width": 1280, "height": 800})
    lead_id = lead_on_the_board(page, live_site, "refus@example.org", "Garage solidaire")
    card = page.locator(f'.lead-card[data-lead="{lead_id}"]')
    card.locator("h3").drag_to(page.locator('.board-column[data-stage="feasibility"] h2'))
    expect(card.locator(".move-refused")).to_contain_text("Étude de faisabilité")
    detected = page.locator('.board-column[data-stage="detected"]')
    expect(detected.locator(f'.lead-card[data-lead="{lead_id}"]')).to_be_visible()
    expect(page.locator("#board-status")).to_contain_text("ne peut pas passer")


def test_a_password_can_be_shown_while_typed(page, live_site):
    page.goto(live_site.url + "/compte/connexion")
    password = page.get_by_label("Mot de passe", exact=True)
    password.fill("un secret")
    expect(password).to_have_attribute("type", "password")
    page.get_by_label("Afficher le mot de passe").check()
    expect(password).to_have_attribute("type", "text")
