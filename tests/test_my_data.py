""""Mes données": a resident downloads everything the portal holds about them."""
from __future__ import annotations

import base64
import hashlib
import json
import re
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from portal.extensions import db
from portal.models import DataExport, OfferKind, OutboxMessage, SubmissionKind, utcnow

from .conftest import PASSWORD, take_part
from .test_markup import Validity
from .test_no_raw_codes import raw_codes
from .test_submissions import need_form
from .visible import text_nodes, visible_text


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


def keys(value) -> set[str]:
    """Every key name of the JSON file, at any depth."""
    if isinstance(value, dict):
        return set(value) | {key for item in value.values() for key in keys(item)}
    if isinstance(value, list):
        return {key for item in value for key in keys(item)}
    return set()


def test_the_readable_file_says_everything_in_words(app, client, auth, make, outbox,
                                                    monkeypatch):
    """The page a person opens: each section and field in French words, each date, number and
    coded value written for a reader; no key of the JSON file, no stored code."""
    resident = make.user(email="nadia@example.org", display_name="Nadia")
    _own, other = take_part(client, auth, make, resident)
    client.post("/langue", data={"language": "fr"})
    monkeypatch.setitem(app.config, "MODERATION_MODE", "post")  # editable until a support
    place = {"commune": make.territory("Longueau"), "theme": make.theme("Mobilité")}
    draft = make.submission(resident, title="Pas de bus le dimanche à Longueau",
                            territory=place["commune"], theme=place["theme"])
    assert client.post(f"/contributions/{draft.id}/modifier", data=need_form(
        place, title="Pas de bus le dimanche matin à Longueau")).status_code == 302
    client.post(f"/projets/contribution/{other.id}/proposer", data={
        "offer-kind": "carry", "offer-message": "Je suis infirmière retraitée, je peux porter."})
    client.post(f"/contributions/{other.id}/signaler", data={"reason": "spam",
                                                            "details": "Une publicité."})
    client.post("/compte/mes-donnees")
    link = outbox.last_link("nadia@example.org")
    data = client.get(f"{link}/donnees.json")
    content = json.loads(data.data)
    data.close()
    assert content["offers"] and content["reports"] and content["notifications"]
    readable = client.get(f"{link}/donnees.html")
    page = readable.text
    policy = readable.headers["Content-Security-Policy"]
    readable.close()

    text = visible_text(page)
    for words in ("Mes données", "Compte", "Adresse e-mail", "nadia@example.org", "Nom affiché",
                  "Rôle", "Habitant·e", "Langue", "Français", "Compte créé le",
                  "Immédiatement, un e-mail par nouvelle", "Double authentification", "Non",
                  "Contributions", "Type", "Besoin", "Statut", "Publiée", "Territoire",
                  "Thématique", "Soutiens", "Date du soutien", "Suivis", "Suivie depuis le",
                  "Propositions de porter ou d'aider", "J'aimerais porter ce projet",
                  "Signalements", "Raison", "Spam ou publicité", "Une publicité.",
                  "Ce qui s'est passé", "Un repair café à Longueau", "Versions précédentes",
                  "Pas de bus le dimanche à Longueau", "Remplacée le"):
        assert words in text, words
    nodes = text_nodes(page)
    for key in keys(content) | {"email_verified_at", "support_count"}:
        assert key not in nodes, key  # a label standing alone, never a key
        assert "_" not in key or key not in page, key
    assert not raw_codes(nodes)
    other_codes = {str(code) for enum in (OfferKind, SubmissionKind) for code in enum} | {"fr"}
    assert not other_codes & set(nodes)
    assert not re.search(r"\d{4}-\d\d-\d\dT", text)  # dates in words, not ISO 8601
    assert str(utcnow().year) in text
    assert not Validity(page).problems
    style = re.search(r"<style>(.*?)</style>", page, re.S).group(1)
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    assert f"style-src 'sha256-{digest}'" in policy and "script-src" not in policy
    assert 'name="viewport"' in page


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
