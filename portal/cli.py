"""`flask --app portal ...` commands: set-up, demo content, accounts."""
from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_migrate import upgrade
from sqlalchemy import func, select

from .extensions import db
from .models import Role, Territory
from .services.accounts import access as accounts
from .services.core import backup
from .services.core.errors import InvalidInput


def _demo_logins() -> str:
    from .demo import ACCOUNTS, DEMO_PASSWORD, DOMAIN

    lines = [f"Demo accounts (password {DEMO_PASSWORD}):"]
    lines += [f"  {local}@{DOMAIN}: {what}" for local, _name, _role, what in ACCOUNTS]
    return "\n".join(lines)


DEMO_LOGINS = _demo_logins()


@click.command("seed-demo")
@click.option("--residents", default=300, show_default=True, type=click.IntRange(min=1),
              help="How many residents to create.")
@click.option("--seed", default=2026, show_default=True, help="Random seed, for a repeatable demo.")
@with_appcontext
def seed_demo(residents: int, seed: int) -> None:
    """Fill the database with a realistic French demo métropole."""
    from .demo import seed_demo as run_seed

    summary = run_seed(residents=residents, seed=seed)
    click.echo(", ".join(f"{count} {name}" for name, count in summary.items()))
    click.echo(DEMO_LOGINS)


@click.command("create-user")
@click.option("--email", prompt=True)
@click.option("--name", "display_name", prompt="Display name")
@click.option("--role", type=click.Choice([role.value for role in Role]), default=Role.RESIDENT,
              show_default=True)
@click.password_option()
@with_appcontext
def create_user(email: str, display_name: str, role: str, password: str) -> None:
    """Create a confirmed account, e.g. the first moderators and admins. The account rules are
    the registration form's: every broken one is listed."""
    try:
        user = accounts.create_user(email, display_name, password, role=role, verified=True)
    except InvalidInput as error:
        raise click.ClickException(" ".join(
            f"{field}: {message}" for field, messages in error.errors.items()
            for message in messages)) from error
    click.echo(f"Created {user.role} {user.email} (id {user.id}).")


@click.command("bootstrap")
@click.option("--demo/--no-demo", default=True, show_default=True,
              help="Seed the demo the first time (when there is no territory yet).")
@with_appcontext
def bootstrap(demo: bool) -> None:
    """Migrate the database to the latest schema, and seed the demo on an empty one."""
    upgrade(directory=current_app.extensions["migrate"].directory)
    empty = not db.session.scalar(select(func.count(Territory.id)))
    if demo and empty:
        from .demo import seed_demo as run_seed

        summary = run_seed()
        click.echo(
            "Demo content: " + ", ".join(f"{count} {name}" for name, count in summary.items())
        )
        click.echo(DEMO_LOGINS)
    click.echo("Database ready.")


@click.command("send-digest")
@with_appcontext
def send_digest() -> None:
    """Mail the daily digest to those who chose it (run once a day, e.g. from cron)."""
    from .services.accounts.notifications import send_digests

    click.echo(f"{send_digests()} digests queued.")


@click.command("ask-still-a-need")
@with_appcontext
def ask_still_a_need() -> None:
    """Ask the authors of needs without news whether they still stand (idempotent; the worker
    also does it every hour)."""
    from .services.submissions.still_a_need import ask_quiet_needs

    click.echo(f"{ask_quiet_needs()} questions asked.")


@click.command("purge-unconfirmed")
@with_appcontext
def purge_unconfirmed() -> None:
    """Delete the accounts never confirmed after UNCONFIRMED_ACCOUNT_DAYS (the worker does it
    too, at each pass)."""
    from .services.accounts.deletion import purge_unconfirmed as purge

    click.echo(f"{purge()} unconfirmed accounts deleted.")


@click.command("decay-trending")
@with_appcontext
def decay_trending_command() -> None:
    """Let the trending sort forget supports older than TRENDING_DAYS (the worker does it
    hourly; run this from cron where no worker runs)."""
    from .services.submissions.counters import decay_trending

    decay_trending()


@click.command("worker")
@click.option("--burst", is_flag=True,
              help="Deliver what is due, then stop (cron without Redis, tests).")
@with_appcontext
def worker_command(burst: bool) -> None:
    """Deliver the outbox (mail, webhooks): run it beside gunicorn, e.g. under systemd."""
    from .worker import run_worker

    sent = run_worker(current_app._get_current_object(), burst=burst)
    if burst:
        click.echo(f"{sent} messages delivered.")


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_command(path: Path) -> None:
    """Write a consistent copy of the database to PATH (SQLite's online backup, or pg_dump's
    custom format for PostgreSQL), while the site keeps running."""
    try:
        backup.backup(path)
    except backup.BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Backup written to {path}.")


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.confirmation_option(prompt="Replace everything the database holds with this backup?")
@with_appcontext
def restore_command(path: Path) -> None:
    """Bring back the database a `backup` wrote to PATH (stop the site and the worker first)."""
    try:
        backup.restore(path)
    except backup.BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Database restored from {path}.")


commands = [seed_demo, create_user, bootstrap, send_digest, ask_still_a_need, purge_unconfirmed,
            decay_trending_command, worker_command, backup_command, restore_command]
