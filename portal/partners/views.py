"""The partners' space: forward an opportunity or a need met with a group, follow what became
of each, set the webhook."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import policies
from ..extensions import db, limiter
from ..forms import ActionForm, refuse, show_errors, territory_choices, theme_choices
from ..models import ApiToken, OrganisationKind, PartnerOrganisation, SubmissionKind
from ..services.accounts import access as accounts
from ..services.core.errors import DomainError, InvalidInput
from ..services.partners import forwarding as partners
from ..services.partners import tokens as api_tokens
from ..services.partners import webhooks
from ..services.submissions import opendata
from .forms import EnrolForm, ForwardForm, RelayForm, TokenForm, WebhookForm

bp = Blueprint("partners", __name__, url_prefix="/partenaires")


@bp.before_request
def guard():
    """The whole area needs an organisation; a partner account that has none yet is told what to
    ask the Fabrique rather than refused in two words."""
    if current_user.is_authenticated and policies.lacks_organisation(current_user):
        return render_template("partners/no_organisation.html"), 403
    return policies.area_guard(policies.can_forward)()


@bp.context_processor
def labels() -> dict:
    return {"webhook_event_labels": webhooks.EVENT_LABELS}


def _organisation() -> PartnerOrganisation:
    return db.session.get(PartnerOrganisation, current_user.partner_organisation_id)


def _dashboard(organisation: PartnerOrganisation, webhook_form: WebhookForm | None = None,
               status: int = 200):
    items = partners.items(organisation)
    return render_template(
        "partners/dashboard.html", organisation=organisation, items=items,
        stages=opendata.lead_stages_by_submission([i.id for i in items]),
        deliveries=webhooks.delivery_log(organisation), action_form=ActionForm(),
        grace=webhooks.in_grace(organisation),
        webhook_form=webhook_form or WebhookForm(webhook_url=organisation.webhook_url)), status


@bp.route("/")
def dashboard():
    return _dashboard(_organisation())


@bp.route("/jetons", methods=["GET", "POST"])
@limiter.limit("20/hour", methods=["POST"])
def tokens():
    """The organisation's API tokens: made here (shown once), their last use, revoked here."""
    organisation = _organisation()
    form = TokenForm()
    new_token = None
    if form.validate_on_submit():
        try:
            new_token, _record = api_tokens.issue(current_user, organisation, form.name.data,
                                                  form.scopes.data)
        except InvalidInput as error:
            show_errors(form, error)
        except DomainError as error:
            refuse(error)
        else:
            form = TokenForm(formdata=None)
    return render_template("partners/tokens.html", organisation=organisation,
                           tokens=api_tokens.tokens_of(organisation), token_form=form,
                           new_token=new_token), 422 if form.errors else 200


@bp.route("/jetons/<int:token_id>/revoquer", methods=["POST"])
def revoke_token(token_id: int):
    record = db.get_or_404(ApiToken, token_id)
    if record.organisation_id != current_user.partner_organisation_id:
        abort(404)  # another organisation's token: not even its existence is told
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        api_tokens.revoke(current_user, record)
    except DomainError as error:
        refuse(error)
    flash(_("The token is revoked."), "success")
    return redirect(url_for(".tokens"))


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
            secret = partners.set_webhook(current_user, organisation,
                                          form.webhook_url.data or "")
        except InvalidInput as error:
            show_errors(form, error)
        except DomainError as error:
            refuse(error)
        else:
            if secret is not None:  # the webhook is made: its secret, shown this once
                return _secret_page(organisation, secret, rotated=False)
            flash(_("The webhook address is saved."), "success")
            return redirect(url_for(".dashboard"))
    return _dashboard(organisation, form, 422)


def _secret_page(organisation: PartnerOrganisation, secret: str, *, rotated: bool):
    return render_template("partners/webhook_secret.html", organisation=organisation,
                           secret=secret, rotated=rotated,
                           grace_hours=current_app.config["WEBHOOK_SECRET_GRACE_HOURS"])


def _webhook_button(action):
    """A webhook button (empty form): run `action(user, organisation)` or show its refusal."""
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        return action(current_user, _organisation())
    except DomainError as error:
        refuse(error)


@bp.route("/webhook/secret", methods=["POST"])
@limiter.limit("10/hour")
def rotate_secret():
    """A new signing secret, shown once; the former one signs beside it for a while."""
    secret = _webhook_button(webhooks.rotate_secret)
    return _secret_page(_organisation(), secret, rotated=True)


@bp.route("/webhook/test", methods=["POST"])
@limiter.limit("30/hour")
def test_webhook():
    """Queue a test event: it leaves through the outbox and shows in the log."""
    _webhook_button(webhooks.send_test_event)
    flash(_("A test event is on its way: its delivery shows below in a moment."), "success")
    return redirect(url_for(".dashboard", _anchor="webhook-title"))
