"""Administration: partner organisations, their accounts and API tokens; the outbox."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import policies
from ..extensions import db
from ..forms import ActionForm, page_number, refuse, show_errors, territory_choices
from ..models import ApiToken, PartnerOrganisation
from ..partners.forms import TokenForm
from ..services.core import outbox
from ..services.core.errors import DomainError, InvalidInput
from ..services.leads import timing
from ..services.partners import forwarding as partners
from ..services.partners import tokens as api_tokens
from ..services.partners import webhooks
from ..services.partners.tokens import SCOPE_LABELS
from .forms import (
    MESSAGE_KIND_LABELS,
    MESSAGE_STATE_LABELS,
    AttachUserForm,
    OrganisationForm,
    OutboxFilterForm,
    StageTargetsForm,
)

bp = Blueprint("admin", __name__, url_prefix="/admin")
bp.before_request(policies.area_guard(policies.can_administer))
OUTBOX_PAGE_SIZE = 50


@bp.context_processor
def labels() -> dict:
    return {"message_state_labels": MESSAGE_STATE_LABELS,
            "message_kind_labels": MESSAGE_KIND_LABELS, "scope_labels": SCOPE_LABELS,
            "webhook_event_labels": webhooks.EVENT_LABELS}


@bp.route("/organisations", methods=["GET", "POST"])
def organisations():
    form = OrganisationForm()
    form.territory.choices = territory_choices(blank=_("None"))
    if form.validate_on_submit():
        try:
            organisation = partners.create_organisation(current_user, form.name.data,
                                                        form.kind.data, form.territory.data)
        except InvalidInput as error:
            show_errors(form, error)
        except DomainError as error:
            refuse(error)
        else:
            flash(_("The organisation is created."), "success")
            return redirect(url_for(".organisation", organisation_id=organisation.id))
    return render_template("admin/organisations.html", form=form,
                           organisations=partners.organisations()), \
        422 if form.errors else 200


def _organisation_page(organisation: PartnerOrganisation, status: int = 200, new_token=None,
                       **forms):
    return render_template(
        "admin/organisation.html", organisation=organisation,
        members=partners.members(organisation), tokens=api_tokens.tokens_of(organisation),
        attach_form=forms.get("attach_form") or AttachUserForm(),
        token_form=forms.get("token_form") or TokenForm(), new_token=new_token,
        action_form=ActionForm()), status


@bp.route("/organisations/<int:organisation_id>")
def organisation(organisation_id: int):
    return _organisation_page(db.get_or_404(PartnerOrganisation, organisation_id))


@bp.route("/organisations/<int:organisation_id>/membres", methods=["POST"])
def attach(organisation_id: int):
    organisation = db.get_or_404(PartnerOrganisation, organisation_id)
    form = AttachUserForm()
    if form.validate_on_submit():
        try:
            user = partners.attach_user(current_user, organisation, form.email.data)
        except InvalidInput as error:
            show_errors(form, error, aliases={"user": "email", "__all__": "email"})
        except DomainError as error:
            refuse(error)
        else:
            flash(_("%(name)s now forwards for this organisation.", name=user.display_name),
                  "success")
            return redirect(url_for(".organisation", organisation_id=organisation.id))
    return _organisation_page(organisation, 422, attach_form=form)


@bp.route("/organisations/<int:organisation_id>/jetons", methods=["POST"])
def create_token(organisation_id: int):
    organisation = db.get_or_404(PartnerOrganisation, organisation_id)
    form = TokenForm()
    if form.validate_on_submit():
        try:
            token, _record = api_tokens.issue(current_user, organisation, form.name.data,
                                              form.scopes.data)
        except InvalidInput as error:
            show_errors(form, error)
        else:
            return _organisation_page(organisation, new_token=token)
    return _organisation_page(organisation, 422, token_form=form)


@bp.route("/jetons/<int:token_id>/revoquer", methods=["POST"])
def revoke_token(token_id: int):
    record = db.get_or_404(ApiToken, token_id)
    if ActionForm().validate_on_submit():
        api_tokens.revoke(current_user, record)
        flash(_("The token is revoked."), "success")
    return redirect(url_for(".organisation", organisation_id=record.organisation_id))


# The outbox: what the portal owes to mail servers and partners ------------------------------------

@bp.route("/envois")
def outbox_page():
    form = OutboxFilterForm(request.args)
    page = page_number(request.args.get("page"))
    health = outbox.health()
    if not form.validate() or page is None:
        return render_template("admin/outbox.html", form=form, health=health, pagination=None,
                               retry_form=ActionForm()), 400
    pagination = db.paginate(outbox.listing(form.state.data or None), page=page,
                             per_page=OUTBOX_PAGE_SIZE, error_out=False)
    return render_template("admin/outbox.html", form=form, health=health, pagination=pagination,
                           retry_form=ActionForm(), retryable=outbox.RETRYABLE_STATES)


@bp.route("/envois/<int:message_id>/relancer", methods=["POST"])
def retry_message(message_id: int):
    if ActionForm().validate_on_submit():
        try:
            outbox.retry(current_user, message_id)
        except DomainError as error:
            flash(error.message, "error")
        else:
            flash(_("The message will be sent again in a moment."), "success")
    return redirect(url_for(".outbox_page", **request.args))


@bp.route("/etapes", methods=["GET", "POST"])
def stage_targets():
    """How long a lead is expected to stay at each stage, in months."""
    form = StageTargetsForm(data=None if request.method == "POST" else timing.targets())
    if form.validate_on_submit():
        try:
            changed = timing.set_targets(current_user, {name: form[name].data
                                                        for name in timing.DEFAULT_TARGET_MONTHS})
        except InvalidInput as error:
            show_errors(form, error)
        except DomainError as error:
            refuse(error)
        else:
            flash(_("The stage targets are saved.") if changed else _("Nothing changed."),
                  "success")
            return redirect(url_for(".stage_targets"))
    return render_template("admin/stage_targets.html", form=form,
                           defaults=timing.DEFAULT_TARGET_MONTHS), 422 if form.errors else 200
