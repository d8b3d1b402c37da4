"""The territories and themes a process keeps: a change through the portal is seen at once, one
made beside it (another process, raw SQL) within REFERENCE_KEPT_SECONDS."""
from __future__ import annotations

from sqlalchemy import insert

from portal.extensions import db
from portal.models import Territory
from portal.services.core import reference


def filter_places(client) -> str:
    return client.get("/contributions/").text.split('name="territory"')[1].split("</select>")[0]


def test_a_place_added_through_a_session_is_in_the_filter_at_once(client, make):
    metropole = make.territory("Amiens Métropole")
    assert "Amiens Métropole" in filter_places(client)
    make.territory("Camon", parent=metropole)
    assert "Camon" in filter_places(client)


def test_a_place_added_beside_the_portal_shows_once_the_kept_rows_expire(app, client, make):
    metropole = make.territory("Amiens Métropole")
    assert "Salouël" not in filter_places(client)
    with app.app_context():  # as `flask bootstrap` run in another process would
        db.session.execute(insert(Territory).values(
            code="salouel", name="Salouël", level="commune", parent_id=metropole.id,
            path=f"{metropole.path}999/"))
        db.session.commit()
    assert "Salouël" not in filter_places(client)  # kept for REFERENCE_KEPT_SECONDS
    app.config["REFERENCE_KEPT_SECONDS"] = 0
    try:
        assert "Salouël" in filter_places(client)
    finally:
        app.config["REFERENCE_KEPT_SECONDS"] = 60


def test_a_place_written_then_rolled_back_is_not_kept(app, client, make):
    metropole = make.territory("Amiens Métropole")
    with app.app_context():
        db.session.add(Territory(code="x", name="Poulainville", level="commune",
                                 parent_id=metropole.id, path="/x/"))
        db.session.flush()
        assert "Poulainville" in [place.name for place in reference.places()]
        db.session.rollback()
    assert "Poulainville" not in filter_places(client)


def test_a_commune_subtree_holds_its_quartiers_and_not_its_neighbours(app, make):
    metropole = make.territory("Amiens Métropole")
    amiens = make.territory("Amiens", parent=metropole)
    etouvie = make.territory("Étouvie", parent=amiens, level="quartier")
    dury = make.territory("Dury", parent=metropole)
    with app.app_context():
        assert sorted(reference.subtree_ids(amiens.id)) == sorted([amiens.id, etouvie.id])
        assert set(reference.subtree_ids(metropole.id)) == {metropole.id, amiens.id,
                                                            etouvie.id, dury.id}
        assert reference.subtree_ids(9999) == []
