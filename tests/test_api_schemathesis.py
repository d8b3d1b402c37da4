"""Schemathesis generates requests from the OpenAPI document and checks every answer against it:
documented status codes, response schemas, never a 500."""
from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from portal.extensions import db
from portal.models import PartnerOrganisation, User
from portal.services.partners import forwarding as partners
from portal.services.partners import tokens as api_tokens


@pytest.fixture
def api_schema(app, make, admin):
    metropole = make.territory("Amiens Métropole")
    make.territory("Dury", parent=metropole)
    make.theme("Mobilité")
    make.submission()
    with app.app_context():
        organisation = partners.create_organisation(db.session.get(User, admin.id), "Service",
                                                    "metropole_service", None)
        token, _record = api_tokens.issue(
            db.session.get(User, admin.id), db.session.get(PartnerOrganisation, organisation.id),
            "schemathesis", ["opportunities:read", "opportunities:write"])
    app.config["API_RATE_LIMIT"] = "100000/hour"
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    schema.config.headers = {"Authorization": f"Bearer {token}"}
    yield schema
    app.config["API_RATE_LIMIT"] = "300/hour"


def test_the_api_keeps_to_its_openapi_document(api_schema):
    """Every operation, 15 generated cases each, reproducible (derandomized)."""
    checked = []
    for result in api_schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(max_examples=15, derandomize=True, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        def check(case):
            case.call_and_validate()

        check()
        checked.append(operation.label)
    assert len(checked) == 8
