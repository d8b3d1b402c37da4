""""Mes données": a resident downloads everything the portal holds about them."""
from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from portal.extensions import db
from portal.models import DataExport, OutboxMessage, utcnow

from .conftest import PASSWORD, take_part


def test_a_resident_downloads_their_data_through_the_mailed_link(app, client, auth, make,
                                                                  outbox):
    resident = make.user(email="nadia@example.org", display_name="Nadia")
    take_part(client, auth, make, resident)
    page = client.get("/compte/mes-donnees")
    assert page.status_code == 200 and "/confidentialite" in page.text
    assert client.post("/compte/mes-donnees").status_code == 302
    assert "en cours de préparation" in client.get("/compte/mes-donnees").text

    assert "Vos données sont prêtes" in [m["Subject"] for m in outbox.messages()]
    link = outbox.last_link("nadia@example.org")
    downloads = client.get(link)
    assert downloads.status_code == 200
    data = client.get(f"{link}/donnees.json")
    assert data.status_code == 200 and "attachment" in data.headers["Content-Disposition"]
    assert "no-store" in data.headers["Cache-Control"]
    content = json.loads(data.data)
    data.close()  # a file response streams: close it as a browser does
    assert content["account"]["email"] == "nadia@example.org"
    assert content["consents"]["privacy_notice_and_publication"]
    assert [c["title"] for c in content["contributions"]] == ["Des bancs au parc Saint-Pierre"]
    assert content["comments"][0]["body"] == "Je viendrai avec mon grille-pain."
    assert [s["contribution"] for s in content["supports"]] == ["Un repair café à Longueau"]
    readable = client.get(f"{link}/donnees.html")
    assert readable.status_code == 200 and readable.mimetype == "text/html"
    assert "Je viendrai avec mon grille-pain." in readable.text
    assert "Des bancs au parc Saint-Pierre" in readable.text
    readable.close()


def test_the_link_opens_nothing_for_anyone_else(app, client, auth, make, outbox):
    resident = make.user(email="nadia@example.org")
    auth.login(resident)
    client.post("/compte/mes-donnees")
    link = outbox.last_link("nadia@example.org")
    stranger = app.test_client()
    assert stranger.get(f"{link}/donnees.json").status_code == 302  # to the login page
    intruder = make.user()
    stranger.post("/compte/connexion", data={"email": intruder.email, "password": PASSWORD})
    refused = stranger.get(f"{link}/donnees.json")
    assert refused.status_code == 400 and "nadia@example.org" not in refused.text


def test_the_link_expires(app, client, auth, make, outbox, monkeypatch):
    auth.login(make.user(email="nadia@example.org"))
    client.post("/compte/mes-donnees")
    link = outbox.last_link("nadia@example.org")
    monkeypatch.setitem(app.config, "DATA_EXPORT_MAX_AGE", -1)
    assert client.get(f"{link}/donnees.json").status_code == 400
    assert client.get(link).status_code == 400


def test_a_failed_export_keeps_nothing_and_is_retried(app, client, auth, make, outbox,
                                                      monkeypatch):
    """The job runs in the worker with retries, like a mail: a failure leaves no half export."""
    auth.login(make.user(email="nadia@example.org"))
    monkeypatch.setitem(app.config, "DATA_EXPORT_DIR", "/proc/pas-ici")
    client.post("/compte/mes-donnees")
    assert outbox.messages("nadia@example.org") == []
    with app.app_context():
        assert db.session.scalar(select(DataExport.ready_at)) is None
        job = db.session.scalars(select(OutboxMessage)).one()
        assert (job.kind, job.state, job.attempts) == ("job", "queued", 1)


def test_the_worker_removes_exports_whose_link_expired(app, client, auth, make, outbox):
    auth.login(make.user(email="nadia@example.org"))
    client.post("/compte/mes-donnees")
    outbox.messages()  # the worker built it
    with app.app_context():
        export = db.session.scalars(select(DataExport)).one()
        folder = Path(app.config["DATA_EXPORT_DIR"]) / export.folder
        assert (folder / "donnees.json").exists()
        export.requested_at = utcnow() - timedelta(seconds=app.config["DATA_EXPORT_MAX_AGE"] + 1)
        db.session.commit()
    assert app.test_cli_runner().invoke(args=["worker", "--burst"]).exit_code == 0
    assert not folder.exists()
    with app.app_context():
        assert db.session.scalars(select(DataExport)).all() == []
