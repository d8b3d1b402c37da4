"""The privacy notice says what article 13 of the GDPR asks, and every form that collects
personal data links to it."""
from __future__ import annotations

import pytest


def test_the_privacy_notice_states_what_article_13_asks(app, client):
    page = client.get("/confidentialite").text.replace("&#39;", "'")
    assert app.config["OPERATOR_NAME"] in page  # the controller
    assert app.config["OPERATOR_CONTACT"] in page
    for words in ("article 13", "Pourquoi", "6.1.a", "6.1.f",  # purposes and legal basis
                  "sont obligatoires", "facultative",  # mandatory fields
                  "Qui les reçoit", app.config["HOST_NAME"],  # recipients
                  f"au bout de {app.config['UNCONFIRMED_ACCOUNT_DAYS']} jours",  # retention
                  "portabilité", "rectification", "effacement", "opposition",  # rights
                  "CNIL"):
        assert words in page, words


@pytest.mark.parametrize("path", ["/compte/inscription", "/compte/mot-de-passe-oublie"])
def test_public_forms_link_to_the_notice(client, path):
    assert 'href="/confidentialite"' in client.get(path).text


def test_a_residents_forms_link_to_the_notice(client, auth, resident, make):
    submission = make.submission()
    auth.login(resident)
    for path in ("/contributions/nouvelle", f"/contributions/{submission.id}",
                 "/compte/parametres", "/compte/mes-donnees", "/compte/supprimer"):
        assert 'href="/confidentialite"' in client.get(path).text, path
