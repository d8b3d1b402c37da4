"""The partners' space: forward an opportunity or a need met with a group, follow what became
of each, set the webhook."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import policies
from ..extensions import db, limiter
from ..forms import refuse, show_errors, territory_choices, theme_choices
from ..models import OrganisationKind, PartnerOrganisation, SubmissionKind
from ..services.accounts import access as accounts
from ..services.core.errors import DomainError, InvalidInput
from ..services.partners import forwarding as partners
from ..services.partners import webhooks
from ..services.submissions import opendata
from .forms import EnrolForm, ForwardForm, RelayForm, WebhookForm

bp = Blueprint("partners", __name__, url_prefix="/partenaires")
bp.before_request(policies.area_guard(policies.can_forward))


@bp.context_processor
def labels() -> dict:
    return {"webhook_event_labels": webhooks.EVENT_LABELS}


def _organisation() -> PartnerOrganisation:
    return db.session.get(PartnerOrganisation, current_user.partner_organisation_id)


@bp.route("/")
def dashboard():
    organisation = _organisation()
    items = partners.items(organisation)
    return render_template(
        "partners/dashboard.html", organisation=organisation, items=items,
        stages=opendata.lead_stages_by_submission([i.id for i in items]),
        deliveries=webhooks.recent(organisation),
        webhook_form=WebhookForm(webhook_url=organisation.webhook_url))


@bp.route("/transmettre", methods=["GET", "POST"])
@limiter.limit("60/hour", methods=["POST"])
def forward():
    organisation = _organisation()
    relay = organisation.kind == OrganisationKind.RELAY
    form = RelayForm() if relay else ForwardForm()
    form.territory.choices = territory_choices(blank=_("Choose a territory"))
    form.theme.choices = theme_choices(blank=_("Choose a theme"))
    if form.validate_on_submit():
        extra = ({"kind": SubmissionKind.NEED, "gathering_method": form.gathering_method.data,
                  "people_count": form.people_count.data} if relay else {})
        try:
            item, created = partners.forward(
                organisation, current_user, title=form.title.data,
                description=form.description.data, territory_id=form.territory.data,
                theme_id=form.theme.data, reference=form.reference.data,
                contact=form.contact.data, possible_partners=form.possible_partners.data, **extra)
        except DomainError as error:
            show_errors(form, error)
        else:
            flash(_("Thank you: it is in the moderators' queue.") if created else
                  _("You already forwarded this reference: here it is."), "success")
            return redirect(url_for(".dashboard", _anchor=f"item-{item.id}"))
    return render_template("partners/forward.html", form=form, relay=relay), \
        422 if form.errors else 200


@bp.route("/inscrire", methods=["GET", "POST"])
@limiter.limit("120/hour", methods=["POST"])
def enrol():
    """Sign up a resident met at the partner's desk; they confirm by mail."""
    form = EnrolForm()
    if form.validate_on_submit():
        try:
            user = accounts.register_met_resident(current_user, form.email.data,
                                                  form.display_name.data, form.consent.data)
        except InvalidInput as error:
            show_errors(form, error)
        except DomainError as error:
            refuse(error)
        else:
            flash(_("%(name)s is signed up: they will receive a link at %(email)s to choose "
                    "their password.", name=user.display_name, email=user.email), "success")
            return redirect(url_for(".enrol"))
    return render_template("partners/enrol.html", form=form), 422 if form.errors else 200


@bp.route("/webhook", methods=["POST"])
def webhook():
    organisation = _organisation()
    form = WebhookForm()
    if form.validate_on_submit():
        try:
            partners.set_webhook(current_user, organisation, form.webhook_url.data or "")
        except InvalidInput as error:
            show_errors(form, error)
        except DomainError as error:
            refuse(error)
        else:
            flash(_("The webhook address is saved."), "success")
            return redirect(url_for(".dashboard"))
    items = partners.items(organisation)
    return render_template(
        "partners/dashboard.html", organisation=organisation, items=items,
        stages=opendata.lead_stages_by_submission([i.id for i in items]),
        deliveries=webhooks.recent(organisation), webhook_form=form), 422
