"""The commands an operator types: they keep the rules the forms keep."""
from __future__ import annotations

from sqlalchemy import select

from portal.extensions import db
from portal.models import User


def test_create_user_lists_every_broken_rule_and_creates_nothing(app):
    result = app.test_cli_runner().invoke(args=[
        "create-user", "--email", "pas-une-adresse", "--name", "A", "--role", "moderator",
        "--password", "court"])
    assert result.exit_code == 1
    for field in ("email:", "display_name:", "password:"):
        assert field in result.output
    with app.app_context():
        assert db.session.scalar(select(User.id)) is None


def test_create_user_makes_a_confirmed_account_that_logs_in(app, client):
    result = app.test_cli_runner().invoke(args=[
        "create-user", "--email", "ines@example.org", "--name", "Inès", "--role", "moderator",
        "--password", "un mot de passe solide"])
    assert result.exit_code == 0 and "Created moderator ines@example.org" in result.output
    response = client.post("/compte/connexion", data={"email": "ines@example.org",
                                                      "password": "un mot de passe solide"})
    assert response.status_code == 302
    assert client.get("/moderation/").status_code == 200
