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


def table_contents(app) -> dict[str, list[tuple]]:
    """Every row of every table, in primary-key order."""
    with app.app_context():
        db.session.remove()
        return {table.name: [tuple(row) for row in db.session.execute(
                    table.select().order_by(*table.primary_key.columns))]
                for table in db.metadata.sorted_tables}


def test_a_backup_brings_back_every_table(app, tmp_path):
    """Seed the demo, back up, lose data, restore: every table is as it was."""
    from portal.demo import seed_demo

    with app.app_context():
        seed_demo(residents=20, seed=7)
    before = table_contents(app)
    assert sum(len(rows) for rows in before.values()) > 500
    path = tmp_path / "portal.backup"
    runner = app.test_cli_runner()
    made = runner.invoke(args=["backup", str(path)])
    assert made.exit_code == 0 and path.stat().st_size > 0, made.output
    with app.app_context():  # a mistake: the accounts' names are lost, a table emptied
        db.session.execute(User.__table__.update().values(display_name="?"))
        db.session.execute(db.metadata.tables["votes"].delete())
        db.session.commit()
    assert table_contents(app) != before
    refused = runner.invoke(args=["restore", str(path)], input="n\n")
    assert refused.exit_code == 1 and table_contents(app) != before
    restored = runner.invoke(args=["restore", "--yes", str(path)])
    assert restored.exit_code == 0, restored.output
    assert table_contents(app) == before


def test_restoring_a_file_that_is_no_backup_says_why(app, tmp_path):
    junk = tmp_path / "notes.txt"
    junk.write_text("pas une sauvegarde")
    result = app.test_cli_runner().invoke(args=["restore", "--yes", str(junk)])
    assert result.exit_code == 1 and "Error" in result.output
