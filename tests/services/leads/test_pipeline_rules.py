"""Refusals of converting, attaching, the fiche, partners and the enterprise."""
from __future__ import annotations

from datetime import date

import pytest

from portal.models import Lead, LeadPartner, Submission
from portal.services.core.errors import InvalidInput, NotAllowed
from portal.services.leads import pipeline
from portal.services.leads.rules import LEAD_TITLE_LENGTH, LONG_TEXT_LENGTH
from portal.services.submissions.moderation import answer

from .conftest import user


def test_only_the_team_converts(ctx, make):
    need = make.submission()
    for role in ("resident", "committee", "partner"):
        with pytest.raises(NotAllowed) as refused:
            pipeline.convert(user(make, role), [need.id], title="Une piste", summary="Un résumé",
                             territory_id=need.territory_id, theme_id=need.theme_id)
        assert refused.value.message == "Only the Fabrique's team manages project leads."


def test_conversion_refuses_every_field_at_once(ctx, make):
    moderator = user(make, "moderator")
    with pytest.raises(InvalidInput) as refused:
        pipeline.convert(moderator, [], title="", summary=" ", territory_id=None, theme_id=999)
    assert refused.value.errors == {
        "submission_ids": ["Give at least one contribution number."],
        "title": ["Give the lead a title."],
        "summary": ["Sum the lead up in a few sentences."],
        "territory": ["Choose a territory from the list."],
        "theme": ["Choose a theme from the list."],
    }
    assert ctx.query(Lead).count() == 0


def test_conversion_checks_each_contribution_and_the_lengths(ctx, make):
    moderator = user(make, "moderator")
    pending, published = make.submission(status="pending"), make.submission()
    with pytest.raises(InvalidInput) as refused:
        pipeline.convert(moderator, [published.id, 999999, pending.id],
                         title="x" * (LEAD_TITLE_LENGTH[1] + 1), summary="Un résumé",
                         territory_id=published.territory_id, theme_id=published.theme_id)
    assert refused.value.errors == {
        "submission_ids": ["There is no contribution number 999999.",
                           f"Contribution {pending.id} is not published: it cannot become a "
                           "project lead."],
        "title": [f"Write at most {LEAD_TITLE_LENGTH[1]} characters."],
    }
    assert ctx.get(Submission, published.id).status == "published"


def test_a_contribution_belongs_to_one_lead_only(ctx, make):
    need = make.submission()
    lead = make.lead([need])
    # A moderator may answer a contribution in project and set it back to "published".
    answer(ctx.get(Submission, need.id), user(make, "moderator"), "Toujours ouverte.",
           "published")
    with pytest.raises(InvalidInput) as refused:
        pipeline.attach(ctx.get(Lead, lead.id), user(make, "moderator"), [need.id])
    assert refused.value.errors == {
        "submission_ids": [f"Contribution {need.id} already belongs to a project lead."]}


def test_the_fiche_refuses_every_field_at_once(ctx, make, lead_of):
    lead, moderator = lead_of()
    resident = user(make)
    with pytest.raises(InvalidInput) as refused:
        pipeline.update_fiche(lead, moderator, territory_id=None, theme_id=None,
                              owner_id=resident.id, member_ids=[resident.id], is_public=True,
                              public_sections=["need", "secrets"], title="", summary="",
                              origin="nowhere", need="x" * (LONG_TEXT_LENGTH[1] + 1))
    assert refused.value.errors == {
        "title": ["Give the lead a title."],
        "summary": ["Sum the lead up in a few sentences."],
        "need": [f"Write at most {LONG_TEXT_LENGTH[1]} characters."],
        "origin": ["Choose one of the offered answers."],
        "territory": ["Choose a territory from the list."],
        "theme": ["Choose a theme from the list."],
        "owner": ["The person in charge must belong to the Fabrique's team."],
        "members": ["Team members must belong to the Fabrique's team."],
        "public_sections": ["Choose one of the offered answers."],
    }
    with pytest.raises(NotAllowed):
        pipeline.update_fiche(lead, resident, territory_id=lead.territory_id,
                              theme_id=lead.theme_id, owner_id=None, member_ids=[],
                              is_public=False, public_sections=[], title="T", summary="S",
                              origin="residents")


def test_the_fiche_keeps_the_texts_it_is_not_given(ctx, lead_of):
    lead, moderator = lead_of()
    need = lead.need
    pipeline.update_fiche(lead, moderator, territory_id=lead.territory_id, theme_id=lead.theme_id,
                          owner_id=moderator.id, member_ids=[], is_public=False,
                          public_sections=[], title="  Nouveau titre ", summary="Résumé",
                          origin="relay")
    saved = ctx.get(Lead, lead.id)
    assert (saved.title, saved.origin, saved.need) == ("Nouveau titre", "relay", need)


def test_partners_need_a_name_a_kind_and_a_role(ctx, make, lead_of):
    lead, moderator = lead_of()
    with pytest.raises(InvalidInput) as refused:
        pipeline.add_partner(lead, moderator, name=" ", kind="friend", role="boss",
                             commitment="x" * 1001)
    assert refused.value.errors == {
        "name": ["Give the partner's name."],
        "kind": ["Choose one of the offered answers."],
        "role": ["Choose one of the offered answers."],
        "commitment": ["Write at most 1000 characters."],
    }
    partner = pipeline.add_partner(lead, moderator, name="CCAS", kind="collectivity",
                                   role="funder")
    with pytest.raises(NotAllowed):
        pipeline.remove_partner(partner, user(make))
    with pytest.raises(NotAllowed):
        pipeline.add_partner(lead, user(make), name="CCAS", kind="collectivity", role="funder")
    pipeline.remove_partner(partner, moderator)
    assert ctx.query(LeadPartner).count() == 0


def test_the_enterprise_refuses_every_field_at_once(ctx, make, lead_of):
    lead, moderator = lead_of()
    with pytest.raises(InvalidInput) as refused:
        pipeline.record_creation(lead, moderator, name="", legal_form="", created_on=None,
                                 note="")
    assert refused.value.errors == {
        "name": ["Give the enterprise's name."],
        "legal_form": ["Give the legal form, for example SCIC or association."],
        "created_on": ["Give the date of creation."],
        "note": ["Write the decision note: it is the project's memory."],
        "__all__": ["Only a lead in launch support can become an enterprise."],
    }
    with pytest.raises(NotAllowed):
        pipeline.record_creation(lead, user(make), name="SCIC", legal_form="SCIC",
                                 created_on=date(2026, 1, 1), note="Statuts")
    assert ctx.get(Lead, lead.id).enterprise_name == ""
