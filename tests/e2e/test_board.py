"""The leads board in a real browser: a card moves with the keyboard or by dragging, and in both
cases through its own move form."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from portal.extensions import db
from portal.models import Lead, Submission, User
from portal.services.leads.pipeline import convert

from .conftest import log_in

pytestmark = pytest.mark.e2e


def lead_on_the_board(page, site, moderator_email: str, title: str) -> int:
    """A published need turned into a lead, and a moderator looking at the board."""
    site.user(moderator_email, "Inès", role="moderator")
    author_id = site.user("auteur-" + moderator_email, "Léo")
    with site.app.test_request_context(base_url=site.url):
        need = Submission(kind="need", status="published", title=f"Besoin : {title}",
                          body="Les habitants âgés ont besoin d'aide pour les petites courses.",
                          territory_id=1, theme_id=1, author_id=author_id, search_text="")
        db.session.add(need)
        db.session.commit()
        moderator = db.session.scalar(db.select(User).where(User.email == moderator_email))
        lead_id = convert(moderator, [need.id], title=title, summary="Un résumé.", territory_id=1,
                          theme_id=1).id
    log_in(page, site, moderator_email)
    page.goto(f"{site.url}/pistes/")
    return lead_id


def test_a_card_moves_one_column_with_the_arrow_key(page, live_site):
    lead_id = lead_on_the_board(page, live_site, "tableau@example.org", "Conciergerie")
    card = page.locator(f'.lead-card[data-lead="{lead_id}"]')
    card.focus()
    page.keyboard.press("ArrowRight")
    form = card.locator(".move-form")
    expect(form.locator("select[name$='to_stage']")).to_have_value("opportunity")
    note = form.locator("textarea[name$='note']")
    expect(note).to_be_focused()
    note.fill("Le besoin est confirmé par trois structures du quartier.")
    form.get_by_role("button").click()
    column = page.locator('.board-column[data-stage="opportunity"]')
    expect(column.locator(f'.lead-card[data-lead="{lead_id}"]')).to_be_visible()
    with live_site.app.app_context():
        assert db.session.get(Lead, lead_id).stage == "opportunity"


def test_dragging_a_card_to_a_column_fills_its_form(page, live_site):
    lead_id = lead_on_the_board(page, live_site, "glisser@example.org", "Atelier vélo")
    card = page.locator(f'.lead-card[data-lead="{lead_id}"]')
    card.locator("h3").drag_to(page.locator('.board-column[data-stage="opportunity"] h2'))
    column = page.locator('.board-column[data-stage="opportunity"]')
    moved = column.locator(f'.lead-card[data-lead="{lead_id}"]')
    expect(moved.locator("select[name$='to_stage']")).to_have_value("opportunity")
