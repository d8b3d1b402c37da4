"""The stage machine: who may move a lead, what a move needs, and the history it leaves."""
from __future__ import annotations

import re

import pytest

from portal.extensions import db
from portal.models import Lead, Notification, StageChange
from portal.services.leads.stages import allowed_targets

from .lead_pages import french, text_of


def move(client, lead_id, to_stage, note="Note de décision", **extra):
    data = {"to_stage": to_stage, "note": note, **extra}
    return client.post(f"/pistes/{lead_id}/etape",
                       data={f"lead{lead_id}-{k}": v for k, v in data.items()})


GO = {"committee_name": "Comité d'engagement", "decision_date": "2026-03-12", "decision": "go"}


def stage_of(app, lead_id):
    with app.app_context():
        return db.session.get(Lead, lead_id).stage


def test_a_moderator_moves_a_lead_and_the_history_keeps_who_when_and_why(client, auth,
                                                                          moderator, make, app):
    lead = make.lead(moderator=moderator)
    auth.login(moderator)
    response = move(client, lead.id, "opportunity", note="Besoin confirmé par le CCAS",
                    document_url="https://example.org/etude.pdf")
    assert response.status_code == 302
    with app.app_context():
        change = db.session.query(StageChange).one()
        assert (change.from_stage, change.to_stage) == ("detected", "opportunity")
        assert change.actor_id == moderator.id and change.created_at is not None
        assert change.document_url == "https://example.org/etude.pdf"
    page = client.get(f"/pistes/{lead.id}")
    assert "Besoin confirmé par le CCAS" in page.text


@pytest.mark.parametrize("role", ["resident", "committee"])
def test_residents_and_committee_members_may_not_move_a_lead(client, auth, make, app, role):
    lead = make.lead()
    auth.login(make.user(role=role))
    assert move(client, lead.id, "opportunity").status_code == 403
    assert stage_of(app, lead.id) == "detected"


def test_a_visitor_is_sent_to_log_in(client, make, app):
    lead = make.lead()
    assert move(client, lead.id, "opportunity").status_code == 302
    assert stage_of(app, lead.id) == "detected"


def test_a_note_is_required_and_typed_text_is_kept(client, auth, moderator, make, app):
    lead = make.lead(moderator=moderator)
    auth.login(moderator)
    response = move(client, lead.id, "opportunity", note="  ", reason="Raison tapée")
    assert response.status_code == 422
    assert "Raison tapée" in response.text
    assert stage_of(app, lead.id) == "detected"


def test_abandoning_needs_a_reason(client, auth, moderator, make, app):
    lead = make.lead(moderator=moderator)
    auth.login(moderator)
    assert move(client, lead.id, "abandoned", note="Arrêt").status_code == 422
    assert move(client, lead.id, "abandoned", note="Arrêt",
                reason="Une offre équivalente vient d'ouvrir").status_code == 302
    assert stage_of(app, lead.id) == "abandoned"


def test_no_skipping_stages_forward(client, auth, moderator, make, app):
    lead = make.lead(moderator=moderator)
    auth.login(moderator)
    assert move(client, lead.id, "feasibility").status_code == 422
    assert move(client, lead.id, "created").status_code == 422
    assert stage_of(app, lead.id) == "detected"


def test_past_the_opportunity_study_the_committee_decision_is_required(client, auth, moderator,
                                                                       make, app):
    lead = make.lead(moderator=moderator)
    auth.login(moderator)
    move(client, lead.id, "opportunity")
    assert move(client, lead.id, "carrier_search").status_code == 422
    assert move(client, lead.id, "carrier_search",
                **{**GO, "decision": "no_go"}).status_code == 422
    assert move(client, lead.id, "carrier_search",
                **{**GO, "decision_date": ""}).status_code == 422
    assert stage_of(app, lead.id) == "opportunity"
    assert move(client, lead.id, "carrier_search", **GO).status_code == 302
    with app.app_context():
        change = db.session.query(StageChange).order_by(StageChange.id.desc()).first()
        assert change.decision == "go" and change.committee_name == "Comité d'engagement"
        assert change.decision_date.isoformat() == "2026-03-12"


def test_past_feasibility_the_committee_decision_is_required(client, auth, moderator, make, app):
    lead = make.lead(moderator=moderator)
    auth.login(moderator)
    move(client, lead.id, "opportunity")
    move(client, lead.id, "carrier_search", **GO)
    move(client, lead.id, "feasibility")
    assert move(client, lead.id, "launch").status_code == 422
    assert move(client, lead.id, "launch", **GO).status_code == 302
    assert stage_of(app, lead.id) == "launch"


def test_moving_back_and_pausing_are_allowed_and_recorded(client, auth, moderator, make, app):
    lead = make.lead(moderator=moderator)
    auth.login(moderator)
    move(client, lead.id, "opportunity")
    assert move(client, lead.id, "detected", note="Retour au repérage").status_code == 302
    assert move(client, lead.id, "paused", note="En veille").status_code == 302
    assert move(client, lead.id, "opportunity", note="Reprise").status_code == 302
    with app.app_context():
        trail = [(c.from_stage, c.to_stage) for c in db.session.query(StageChange)
                 .order_by(StageChange.id)]
        assert trail == [("detected", "opportunity"), ("opportunity", "detected"),
                         ("detected", "paused"), ("paused", "opportunity")]
        assert db.session.query(StageChange).filter_by(to_stage="detected").one().is_backward
    assert "retour en arrière" in client.get(f"/pistes/{lead.id}").text


def test_bad_values_are_422_not_500(client, auth, moderator, make):
    lead = make.lead(moderator=moderator)
    auth.login(moderator)
    assert move(client, lead.id, "nowhere").status_code == 422
    assert move(client, lead.id, "opportunity", decision_date="pas une date").status_code == 422
    assert move(client, lead.id, "opportunity",
                document_url="javascript:alert(1)").status_code == 422


def test_the_enterprise_is_recorded_to_reach_created(client, auth, moderator, make, app):
    lead = make.lead(moderator=moderator)
    auth.login(moderator)
    move(client, lead.id, "opportunity")
    move(client, lead.id, "carrier_search", **GO)
    move(client, lead.id, "feasibility")
    move(client, lead.id, "launch", **GO)
    assert move(client, lead.id, "created").status_code == 422
    response = client.post(f"/pistes/{lead.id}/entreprise", data={
        "enterprise-name": "Les Aînés Connectés", "enterprise-legal_form": "SCIC",
        "enterprise-created_on": "2026-09-01", "enterprise-note": "Statuts déposés"})
    assert response.status_code == 302
    with app.app_context():
        saved = db.session.get(Lead, lead.id)
        assert saved.stage == "created" and saved.enterprise_legal_form == "SCIC"
        assert saved.enterprise_created_on.isoformat() == "2026-09-01"


def test_allowed_targets(make, app):
    lead = make.lead()
    with app.app_context():
        assert allowed_targets(lead) == ["opportunity", "paused", "abandoned"]
        lead.stage = "feasibility"
        assert allowed_targets(lead) == ["detected", "opportunity", "carrier_search", "launch",
                                         "paused", "abandoned"]
        lead.stage = "paused"
        assert "created" not in allowed_targets(lead)


def test_every_move_notifies_the_followers_of_the_sources_once(client, auth, moderator, make,
                                                               app):
    one, two = make.submission(), make.submission()
    fan = make.user()
    make.support(one, fan)
    make.support(two, fan)
    private = make.lead([one], moderator, title="Privée")
    public = make.lead([two], moderator, title="Publique", public=True)
    auth.login(moderator)
    move(client, private.id, "opportunity")
    with app.app_context():
        told = db.session.query(Notification).filter_by(event="lead_stage", user_id=fan.id).all()
        assert [n.submission_id for n in told] == [one.id]
        assert told[0].payload["stage"] == "opportunity"
    move(client, public.id, "opportunity")
    with app.app_context():
        assert db.session.query(Notification).filter_by(event="lead_stage",
                                                        user_id=fan.id).count() == 2


def test_the_board_move_form_goes_back_to_the_board(client, auth, moderator, make):
    lead = make.lead(moderator=moderator)
    auth.login(moderator)
    response = client.post(f"/pistes/{lead.id}/etape", data={
        f"lead{lead.id}-to_stage": "opportunity", f"lead{lead.id}-note": "Vu", "next": "board"})
    assert response.headers["Location"].endswith("/pistes/")


def test_a_move_from_a_filtered_board_comes_back_to_the_same_filters(client, auth, moderator,
                                                                    make, app):
    lead = make.lead(moderator=moderator)
    with app.app_context():
        theme_id = db.session.get(Lead, lead.id).theme_id
    auth.login(moderator)
    board = client.get(f"/pistes/?theme={theme_id}").text
    carried = re.findall(r'<input type="hidden" name="(board-[a-z]+)" value="([^"]*)">', board)
    assert ("board-theme", str(theme_id)) in carried
    response = client.post(f"/pistes/{lead.id}/etape", data={
        f"lead{lead.id}-to_stage": "opportunity", f"lead{lead.id}-note": "Vu", "next": "board",
        **dict(carried)})
    assert response.headers["Location"].endswith(f"/pistes/?theme={theme_id}")
    assert stage_of(app, lead.id) == "opportunity"


def test_only_a_lead_in_launch_support_becomes_an_enterprise(client, auth, moderator, make, app):
    lead = make.lead(moderator=moderator)
    auth.login(moderator)
    response = client.post(f"/pistes/{lead.id}/entreprise", data={
        "enterprise-name": "Les Aînés Connectés", "enterprise-legal_form": "SCIC",
        "enterprise-created_on": "2026-09-01", "enterprise-note": "Statuts déposés"})
    assert response.status_code == 422 and "Les Aînés Connectés" in response.text
    refusal = french(app, "Only a lead in launch support can become an enterprise.")
    assert refusal in text_of(response)
    with app.app_context():
        assert db.session.get(Lead, lead.id).enterprise_name == ""
