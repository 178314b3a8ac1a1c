"""Administration of the directory (/admin/networks): entries, publishing, results approval, contact metadata."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.accounts.forms import ConfirmActionForm
from app.core.i18n import gettext as _
from app.core.permissions import admin_required
from app.core.refusals import refusal_shown
from app.directory import queries, results, services
from app.directory.forms import NetworkForm, PostDecisionForm
from app.directory.models import Network
from app.extensions import db
from app.proposals.models import Proposal


def _network_or_404(network_id: int) -> Network:
    network = queries.load_managed_network(network_id)
    if network is None:
        abort(404)
    return network


def _network_form(network: Network | None) -> NetworkForm:
    """The entry form; a funded network takes status and contact from contract and operator, so those go."""
    form = NetworkForm(obj=network)
    if network is not None and network.is_funded:
        del form.contact_email
        del form.external_status
    return form


def _details(form: NetworkForm, network: Network | None = None) -> services.NetworkDetails:
    """The form's values as plain data for the service (technology fields parsed)."""
    external = network is None or not network.is_funded
    return services.NetworkDetails(
        name=form.name.data, summary=form.summary.data, description=form.description.data or "",
        technology_fields=services.parse_technology_fields(form.technology_fields.data),
        sector=form.sector.data, region=form.region.data, operator_name=form.operator_name.data,
        website=form.website.data or "", contact_email=(form.contact_email.data or "") if external else "",
        external_status=form.external_status.data if external else network.external_status,
        open_for_members=form.open_for_members.data)


@admin_required
def admin_networks():
    """Every directory entry, awarded proposals still without one, and the work waiting."""
    waiting, _decided = queries.posts_for_review()
    return render_template("directory/admin_networks.html", networks=queries.all_networks(),
                           member_counts=queries.member_counts(), post_counts=queries.submitted_post_counts(),
                           awarded=queries.awarded_proposals_without_entry(), waiting_posts=len(waiting),
                           action_form=ConfirmActionForm())


@admin_required
def admin_network_new():
    """Enter an external network (not funded by this programme)."""
    form = _network_form(None)
    if form.validate_on_submit():
        with refusal_shown(form):
            network = services.create_external_network(_details(form), current_user)
            flash(_("The network has been entered. It is not public until you publish it."), "success")
            return redirect(url_for("directory.admin_network_edit", network_id=network.id))
    return render_template("directory/admin_network_form.html", form=form, network=None)


@admin_required
def admin_network_from_proposal(proposal_id: int):
    """Create the entry of an awarded proposal, prefilled from the proposal."""
    proposal = db.session.get(Proposal, proposal_id) or abort(404)
    if not ConfirmActionForm().validate_on_submit():
        abort(400)
    with refusal_shown():
        network = services.create_funded_network(proposal, current_user)
        flash(_("The entry has been prefilled from the proposal. Please check it, then publish it."), "success")
        return redirect(url_for("directory.admin_network_edit", network_id=network.id))
    return redirect(url_for("directory.admin_networks"))


@admin_required
def admin_network_edit(network_id: int):
    """Edit every field of an entry; publish or withdraw it."""
    network = _network_or_404(network_id)
    form = _network_form(network)
    if request.method == "GET":
        form.technology_fields.data = ", ".join(network.technology_names)
    if form.validate_on_submit():
        with refusal_shown(form):
            services.update_network(network, _details(form, network), current_user)
            flash(_("The network entry has been saved."), "success")
            return redirect(url_for("directory.admin_network_edit", network_id=network.id))
    return render_template("directory/admin_network_form.html", form=form, network=network,
                           action_form=ConfirmActionForm())


def _publish(network_id: int, published: bool):
    network = _network_or_404(network_id)
    if not ConfirmActionForm().validate_on_submit():
        abort(400)
    with refusal_shown():
        services.set_published(network, published, current_user)
        flash(_("%(name)s is now public in the directory.", name=network.name) if published
              else _("%(name)s has been withdrawn from the directory.", name=network.name), "success")
    if request.form.get("back") == "list":
        return redirect(url_for("directory.admin_networks"))
    return redirect(url_for("directory.admin_network_edit", network_id=network.id))


@admin_required
def admin_network_publish(network_id: int):
    """Publish an entry (audited; the operator is told)."""
    return _publish(network_id, True)


@admin_required
def admin_network_unpublish(network_id: int):
    """Withdraw an entry from the public directory (audited)."""
    return _publish(network_id, False)


@admin_required
def admin_posts():
    """Results posts awaiting approval and the ones decided last."""
    waiting, decided = queries.posts_for_review()
    return render_template("directory/admin_posts.html", waiting=waiting, decided=decided)


@admin_required
def admin_post(post_id: int):
    """Read a submitted post and approve it or return it with a reason."""
    post = queries.load_post(post_id) or abort(404)
    form = PostDecisionForm()
    if request.method == "POST" and form.validate_on_submit():
        with refusal_shown(form):
            if form.approve.data:
                results.approve_post(post, current_user)
            else:
                results.reject_post(post, form.reason.data or "", current_user)
            flash(_("The post has been approved and is public once the network is published.")
                  if post.status == "approved" else _("The post has been returned to the operator."), "success")
            return redirect(url_for("directory.admin_posts"))
    return render_template("directory/admin_post.html", post=post, form=form)


@admin_required
def admin_contact_messages():
    """When which network was contacted and whether the mail went out (not what was written)."""
    page = queries.contact_messages_page(request.args.get("page", 1, type=int) or 1)
    return render_template("directory/admin_messages.html", page=page)
