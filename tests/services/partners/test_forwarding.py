"""The partners' use cases called directly, for every refusal they can raise, including those the
API or the form would catch first: the rule holds whoever calls."""
from __future__ import annotations

from contextlib import contextmanager
from datetime import timedelta

import pytest
from flask_babel import force_locale
from sqlalchemy import event, select

from portal.extensions import db
from portal.models import ApiToken, Follow, PartnerOrganisation, Submission, User, utcnow
from portal.services.core.errors import InvalidInput, NotAllowed
from portal.services.partners import forwarding, rules
from portal.services.partners import tokens as api_tokens
from portal.services.submissions.rules import BODY_LENGTH, TITLE_LENGTH


@contextmanager
def english(app):
    """The messages are asserted in English, the source language."""
    with app.app_context(), force_locale("en"):
        yield


TITLE = "Un bâtiment vide rue de la Gare"
DESCRIPTION = "L'ancienne poste est vide depuis deux ans ; la mairie cherche un projet."


@pytest.fixture
def world(app, make, admin):
    territory, theme = make.territory("Dury"), make.theme("Logement")
    with english(app):
        organisation = forwarding.create_organisation(db.session.get(User, admin.id), "Service",
                                                      "metropole_service", None)
        return {"territory": territory.id, "theme": theme.id, "organisation": organisation.id,
                "admin": admin.id}


def forward(world, **overrides):
    values = {"title": TITLE, "description": DESCRIPTION, "territory_id": world["territory"],
              "theme_id": world["theme"]} | overrides
    organisation = db.session.get(PartnerOrganisation, world["organisation"])
    return forwarding.forward(organisation, None, **values)


def refusal(world, **overrides) -> dict[str, list[str]]:
    with pytest.raises(InvalidInput) as caught:
        forward(world, **overrides)
    return caught.value.errors


def test_an_empty_description_and_a_500_character_title_are_refused_together(app, world):
    with english(app):
        errors = refusal(world, title="x" * 500, description="")
        assert errors == {"title": [f"Write at most {TITLE_LENGTH[1]} characters."],
                          "description": ["This field is required."]}
        assert db.session.scalar(select(Submission.id)) is None


def test_every_text_is_checked_against_its_rule(app, world):
    with english(app):
        errors = refusal(world, title="Court", description="  trop court  ",
                         reference="R" * (rules.REFERENCE_LENGTH[1] + 1),
                         contact="c" * (rules.CONTACT_LENGTH[1] + 1),
                         possible_partners="p" * (rules.POSSIBLE_PARTNERS_LENGTH[1] + 1))
        assert errors == {
            "title": [f"Write at least {TITLE_LENGTH[0]} characters."],
            "description": [f"Write at least {BODY_LENGTH[0]} characters."],
            "reference": [f"Write at most {rules.REFERENCE_LENGTH[1]} characters."],
            "contact": [f"Write at most {rules.CONTACT_LENGTH[1]} characters."],
            "possible_partners": [
                f"Write at most {rules.POSSIBLE_PARTNERS_LENGTH[1]} characters."]}


def test_unknown_territory_and_theme_and_relay_answers_are_refused_together(app, world):
    with english(app):
        errors = refusal(world, territory_id=999_999, theme_id=None, kind="idea",
                         gathering_method="telepathy", people_count=0)
        assert errors == {"territory": ["Choose a territory from the list."],
                          "theme": ["Choose a theme from the list."],
                          "kind": ["Choose one of the offered kinds."],
                          "gathering_method": ["Choose one of the offered answers."],
                          "people_count": ["A whole number from 1 to 100000."]}


def test_optional_texts_may_be_blank_and_are_stored_stripped(app, world):
    with english(app):
        item, created = forward(world, title=f"  {TITLE}  ", reference="  ", contact=" Mme X ",
                                possible_partners="")
        assert created
        assert (item.title, item.external_reference, item.contact, item.possible_partners) == (
            TITLE, None, "Mme X", None)


def test_a_reference_sent_again_with_another_content_is_refused(app, world):
    with english(app):
        first, created = forward(world, reference="REF-9")
        assert created
        again, created = forward(world, reference="  REF-9 ", title=f" {TITLE} ")
        assert (again.id, created) == (first.id, False)
        for change in ({"title": "Un tout autre titre"}, {"contact": "Mme Y"},
                       {"description": DESCRIPTION + " Et plus encore."}):
            with pytest.raises(forwarding.ReferenceTaken) as caught:
                forward(world, reference="REF-9", **change)
            assert caught.value.item_id == first.id
            assert caught.value.errors == {"reference": [
                f"This reference was already used for another item (number {first.id}, "
                f"“{TITLE}”): give a new reference, or send the same content again."]}
        assert len(db.session.scalars(select(Submission)).all()) == 1


def test_the_forwarding_account_follows_the_item(app, world, make):
    agent = make.user()
    with english(app):
        organisation = db.session.get(PartnerOrganisation, world["organisation"])
        item, _created = forwarding.forward(
            organisation, db.session.get(User, agent.id), title=TITLE, description=DESCRIPTION,
            territory_id=world["territory"], theme_id=world["theme"])
        assert db.session.scalar(select(Follow.user_id).where(
            Follow.submission_id == item.id)) == agent.id


def test_a_duplicate_found_by_the_constraint_undoes_only_the_insert(app, world, backend):
    """Another request stores the same reference between our check and our insert: the unique
    constraint refuses ours, a SAVEPOINT undoes it alone, and the caller's own flushed changes
    stay in its transaction."""
    if backend != "postgresql":
        pytest.skip("SQLite serialises writers; the race only exists on PostgreSQL")
    with english(app):
        engine = db.engine
        sent, other = [], []

        def other_request_first(conn, cursor, statement, *args):
            if statement.startswith("INSERT INTO submissions") and not sent:
                sent.append(statement)
                with app.app_context():  # a second request, with a session of its own
                    other.append(forward(world, reference="DUP-1")[0].id)

        organisation = db.session.get(PartnerOrganisation, world["organisation"])
        organisation.webhook_url = "https://partenaire.example/hook"
        db.session.flush()
        event.listen(engine, "before_cursor_execute", other_request_first)
        try:
            item, created = forward(world, reference="DUP-1")
        finally:
            event.remove(engine, "before_cursor_execute", other_request_first)
        assert sent and created is False
        assert item.id == other[0]
        assert db.session.is_active
        assert db.session.scalar(select(PartnerOrganisation.webhook_url)) == (
            "https://partenaire.example/hook")
        assert len(db.session.scalars(select(Submission)).all()) == 1
        db.session.rollback()


# Tokens --------------------------------------------------------------------------------------

TOKENS_REFUSED = "Only administrators and the organisation's own accounts can manage its tokens."


def test_only_administrators_and_members_issue_and_revoke_tokens(app, world, make):
    outsider = make.user(email="agent@example.org")
    with english(app):
        organisation = db.session.get(PartnerOrganisation, world["organisation"])
        with pytest.raises(NotAllowed) as caught:
            api_tokens.issue(db.session.get(User, outsider.id), organisation, "x",
                             ["opportunities:read"])
        assert caught.value.message == TOKENS_REFUSED
        _token, record = api_tokens.issue(db.session.get(User, world["admin"]), organisation,
                                          "x", ["opportunities:read"])
        with pytest.raises(NotAllowed) as caught:
            api_tokens.revoke(db.session.get(User, outsider.id), record)
        assert caught.value.message == TOKENS_REFUSED


@pytest.mark.parametrize("scopes", [[], ["opportunities:delete"]])
def test_a_token_needs_known_scopes(app, world, scopes):
    with english(app):
        with pytest.raises(InvalidInput) as caught:
            api_tokens.issue(db.session.get(User, world["admin"]),
                             db.session.get(PartnerOrganisation, world["organisation"]), "x",
                             scopes)
        assert caught.value.errors == {"scopes": ["Choose at least one scope."]}


def test_authentication_refusals(app, world):
    with english(app):
        admin = db.session.get(User, world["admin"])
        organisation = db.session.get(PartnerOrganisation, world["organisation"])
        token, record = api_tokens.issue(admin, organisation, "x", ["opportunities:read"])
        cases = [(None, 401, "Send your token as “Authorization: Bearer <token>”."),
                 (f"Basic {token}", 401, "Send your token as “Authorization: Bearer <token>”."),
                 ("Bearer fab_unknown", 401, "This token is unknown or revoked."),
                 (f"Bearer {token}", 403, "This token lacks the scope opportunities:write.")]
        for header, status, message in cases:
            scope = "opportunities:write" if status == 403 else "opportunities:read"
            with pytest.raises(api_tokens.TokenError) as caught:
                api_tokens.authenticate(header, scope)
            assert (caught.value.status, caught.value.message) == (status, message)
        api_tokens.revoke(admin, record)
        with pytest.raises(api_tokens.TokenError) as caught:
            api_tokens.authenticate(f"Bearer {token}", "opportunities:read")
        assert (caught.value.status, caught.value.message) == (
            401, "This token is unknown or revoked.")


def test_the_last_use_is_written_at_most_once_per_precision(app, world):
    with english(app):
        token, record = api_tokens.issue(db.session.get(User, world["admin"]),
                                         db.session.get(PartnerOrganisation, world["organisation"]),
                                         "x", ["opportunities:read"])
        api_tokens.authenticate(f"Bearer {token}", "opportunities:read")
        first = db.session.get(ApiToken, record.id).last_used_at
        assert first is not None
        api_tokens.authenticate(f"Bearer {token}", "opportunities:read")
        assert db.session.get(ApiToken, record.id).last_used_at == first
        stale = utcnow() - api_tokens.LAST_USE_PRECISION - timedelta(seconds=1)
        db.session.get(ApiToken, record.id).last_used_at = stale
        db.session.commit()
        api_tokens.authenticate(f"Bearer {token}", "opportunities:read")
        assert db.session.get(ApiToken, record.id).last_used_at > stale


def test_an_organisation_needs_a_free_name_a_known_kind_and_territory(app, world):
    with english(app):
        admin = db.session.get(User, world["admin"])
        with pytest.raises(InvalidInput) as caught:
            forwarding.create_organisation(admin, "  Service ", "guild", 424242)
        assert caught.value.errors == {
            "name": ["An organisation already has this name."],
            "kind": ["Choose one of the offered kinds."],
            "territory": ["Choose a territory from the list."]}
        with pytest.raises(InvalidInput) as caught:
            forwarding.create_organisation(admin, "x", "company", None)
        assert caught.value.errors == {"name": ["Write at least 2 characters."]}


def test_only_an_admin_manages_organisations_and_only_members_their_webhook(app, world, make):
    moderator = make.user(role="moderator")
    other = make.user(email="autre-service@example.org")
    with english(app):
        organisation = db.session.get(PartnerOrganisation, world["organisation"])
        with pytest.raises(NotAllowed, match="Only administrators"):
            forwarding.create_organisation(db.session.get(User, moderator.id), "Autre",
                                           "company", None)
        with pytest.raises(NotAllowed, match="Only administrators"):
            forwarding.attach_user(db.session.get(User, moderator.id), organisation,
                                   other.email)
        with pytest.raises(NotAllowed, match="cannot change this organisation"):
            forwarding.set_webhook(db.session.get(User, other.id), organisation,
                                   "https://example.org/hook")
        assert db.session.get(PartnerOrganisation, world["organisation"]).webhook_url is None
