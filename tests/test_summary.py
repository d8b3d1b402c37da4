"""The steering summary's arithmetic: counts, funnel, per territory and theme, median delays."""
from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta

import pytest

from portal.extensions import db
from portal.models import Lead, StageChange
from portal.services.leads import summary

DAY0 = datetime(2026, 1, 5, 9, 0)


def history(app, lead, moves):
    """Give `lead` a history: [(day, to_stage), ...] from DAY0, which is its detection."""
    with app.app_context():
        saved = db.session.get(Lead, lead.id)
        saved.created_at = DAY0
        stage = "detected"
        for day, to_stage in moves:
            db.session.add(StageChange(lead_id=saved.id, from_stage=stage, to_stage=to_stage,
                                       note="n", created_at=DAY0 + timedelta(days=day)))
            stage = to_stage
        saved.stage = stage
        db.session.commit()


@pytest.fixture
def pipeline(make, app):
    metropole = make.territory("Métropole")
    t1, t2 = make.territory("Saint-Ouen", metropole), make.territory("Sainte-Marthe", metropole)
    x, y = make.theme("Bien-vieillir"), make.theme("Mobilité")
    s1, s2, s3 = (make.submission(territory=t1, theme=x) for _ in range(3))
    make.submission(territory=t1, theme=x, status="pending")
    s5 = make.submission(territory=t2, theme=y)
    make.submission(territory=t2, theme=y)
    l1 = make.lead([s1, s2])
    l2 = make.lead([s5])
    l3 = make.lead([s3])
    history(app, l1, [(10, "opportunity"), (30, "carrier_search"), (40, "feasibility"),
                      (100, "launch"), (130, "created")])
    history(app, l2, [(20, "opportunity"), (25, "abandoned")])
    history(app, l3, [(30, "opportunity"), (31, "detected"), (40, "opportunity")])
    return {"metropole": metropole, "t1": t1, "t2": t2, "x": x, "y": y}


def test_totals_and_funnel(pipeline, app):
    with app.app_context():
        data = summary.build()
    assert (data.received, data.published, data.in_leads, data.leads, data.created) == (
        6, 5, 4, 3, 1)
    assert data.per_stage["created"] == 1 and data.per_stage["abandoned"] == 1
    assert data.per_stage["opportunity"] == 1 and data.per_stage["detected"] == 0
    assert sum(data.per_stage.values()) == 3
    assert data.funnel == [("received", 6), ("published", 5), ("in_leads", 4), ("leads", 3),
                           ("opportunity", 3), ("carrier_search", 1), ("feasibility", 1),
                           ("launch", 1), ("created", 1)]


def test_median_time_between_stages_counts_the_first_entry(pipeline, app):
    with app.app_context():
        medians = {(a, b): (days, n) for a, b, days, n in summary.build().median_days}
    assert medians[("detected", "opportunity")] == (20.0, 3)
    assert medians[("opportunity", "carrier_search")] == (20.0, 1)
    assert medians[("feasibility", "launch")] == (60.0, 1)
    assert medians[("launch", "created")] == (30.0, 1)


def test_per_territory_and_theme_and_filters(pipeline, app):
    with app.app_context():
        data = summary.build()
        rows = {r.label: r for r in data.per_territory}
        assert (rows["Saint-Ouen"].received, rows["Saint-Ouen"].published,
                rows["Saint-Ouen"].in_leads, rows["Saint-Ouen"].leads,
                rows["Saint-Ouen"].created) == (4, 3, 3, 2, 1)
        assert (rows["Sainte-Marthe"].received, rows["Sainte-Marthe"].leads) == (2, 1)
        assert rows["Saint-Ouen"].stages == {"created": 1, "opportunity": 1}
        assert rows["Sainte-Marthe"].stages == {"abandoned": 1}
        themes = {r.label: r for r in data.per_theme}
        assert themes["Mobilité"].in_leads == 1
        only_y = summary.build(theme_id=pipeline["y"].id)
        assert (only_y.received, only_y.leads, only_y.created) == (2, 1, 0)
        whole = summary.build(territory=pipeline["metropole"])
        assert (whole.received, whole.leads) == (6, 3)


def test_summary_page_and_csv(pipeline, client, auth, moderator, committee_member):
    auth.login(committee_member)
    page = client.get("/pistes/synthese")
    assert page.status_code == 200 and "<svg" in page.text and "<title" in page.text
    export = client.get(f"/pistes/synthese.csv?territory={pipeline['t1'].id}")
    rows = list(csv.DictReader(io.StringIO(export.text.lstrip("\ufeff"))))
    funnel = {r["key"]: int(r["value"]) for r in rows if r["section"] == "funnel"}
    assert funnel["received"] == 4 and funnel["leads"] == 2 and funnel["created"] == 1
    per_stage = {r["key"]: int(r["value"]) for r in rows
                 if r["section"] == "territory" and r["label"] == "Saint-Ouen"}
    assert per_stage["stage:opportunity"] == 1 and per_stage["stage:abandoned"] == 0
    assert client.get("/pistes/synthese?territory=zz").status_code == 400
    assert client.get("/pistes/synthese.csv?theme=zz").status_code == 400


def test_an_empty_portal_has_a_summary(client, auth, moderator):
    auth.login(moderator)
    assert client.get("/pistes/synthese").status_code == 200
