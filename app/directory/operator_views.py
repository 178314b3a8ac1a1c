"""Operator pages (/my/networks): edit the public entry, members, results posts, join requests.

A funded network is managed by its operator (the awarded applicant) and by administrators;
anyone else gets 404 for it, as if it did not exist. A company that joined through a request
manages its own listing consent here too.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app.accounts.forms import ConfirmActionForm
from app.core.i18n import gettext as _
from app.core.refusals import refusal_shown
from app.directory import joining, queries, results, services
from app.directory.forms import JoinDecisionForm, MemberForm, OperatorNetworkForm, ResultsPostForm
from app.directory.models import JoinRequest, Network, NetworkMember, ResultsPost
from app.extensions import db


def managed_network(network_id: int) -> Network:
    """The network if the current user manages it (operator or admin), else 404."""
    network = queries.load_managed_network(network_id)
    if network is None or not network.can_manage(current_user):
        abort(404)
    return network


def _child(items, child_id: int):
    """A member, post or request of the network by id; another network's (or none) is not found."""
    found = next((item for item in items if item.id == child_id), None)
    if found is None:
        abort(404)
    return found


def _to_network(network: Network, anchor: str | None = None):
    return redirect(url_for("directory.operator_network", network_id=network.id, _anchor=anchor))


@login_required
def my_networks():
    """The networks the user operates, their join requests and their company's memberships."""
    return render_template("directory/my_networks.html", networks=queries.operated_networks(current_user),
                           join_requests=queries.own_join_requests(current_user),
                           memberships=queries.own_memberships(current_user))


@login_required
def operator_network(network_id: int):
    """Manage one network: entry, members, join requests and results posts."""
    network = managed_network(network_id)
    return render_template("directory/operator_network.html", network=network, action_form=ConfirmActionForm())


@login_required
def operator_edit(network_id: int):
    """The operator edits description, technology fields, website and openness."""
    network = managed_network(network_id)
    form = OperatorNetworkForm(obj=network)
    if request.method == "GET":
        form.technology_fields.data = ", ".join(network.technology_names)
    if form.validate_on_submit():
        with refusal_shown(form):
            details = services.OperatorDetails(
                summary=form.summary.data, description=form.description.data or "",
                technology_fields=services.parse_technology_fields(form.technology_fields.data),
                website=form.website.data or "", open_for_members=form.open_for_members.data)
            services.update_network_by_operator(network, details, current_user)
            flash(_("The network entry has been saved."), "success")
            return _to_network(network)
    return render_template("directory/operator_edit.html", network=network, form=form)


# --- members ----------------------------------------------------------------------------------


def _member_details(form: MemberForm) -> services.MemberDetails:
    return services.MemberDetails(company_name=form.company_name.data, town=form.town.data or "",
                                  sector=form.sector.data or "", website=form.website.data or "",
                                  listed_consent=form.listed_consent.data)


@login_required
def operator_import_partners(network_id: int):
    """Import the proposal's partner companies as (unlisted) members."""
    network = managed_network(network_id)
    if not ConfirmActionForm().validate_on_submit():
        abort(400)
    with refusal_shown():
        count = services.import_partners(network, current_user)
        flash(_("%(num)s partner companies have been added as members. They are listed publicly only once "
                "their consent is recorded.", num=count), "success")
    return _to_network(network, "members")


@login_required
def operator_member_new(network_id: int):
    """Add a member company by hand."""
    network = managed_network(network_id)
    form = MemberForm()
    if form.validate_on_submit():
        with refusal_shown(form):
            services.add_member(network, _member_details(form), current_user)
            flash(_("The member company has been added."), "success")
            return _to_network(network, "members")
    return render_template("directory/member_form.html", network=network, form=form, member=None)


@login_required
def operator_member_edit(network_id: int, member_id: int):
    """Edit a member company and record its listing consent."""
    network = managed_network(network_id)
    member: NetworkMember = _child(network.members, member_id)
    form = MemberForm(obj=member)
    if form.validate_on_submit():
        with refusal_shown(form):
            services.update_member(member, _member_details(form), current_user)
            flash(_("The member company has been saved."), "success")
            return _to_network(network, "members")
    return render_template("directory/member_form.html", network=network, form=form, member=member)


@login_required
def operator_member_remove(network_id: int, member_id: int):
    """Remove a member company."""
    network = managed_network(network_id)
    member = _child(network.members, member_id)
    if not ConfirmActionForm().validate_on_submit():
        abort(400)
    services.remove_member(member, current_user)
    flash(_("The member company has been removed."), "success")
    return _to_network(network, "members")


@login_required
def member_consent(member_id: int):
    """A member company gives or withdraws its consent to be listed publicly."""
    member = db.session.get(NetworkMember, member_id)
    if member is None or not member.can_change_consent(current_user):
        abort(404)
    if not ConfirmActionForm().validate_on_submit():
        abort(400)
    listed = request.form.get("listed") == "1"
    services.set_member_consent(member, listed, current_user)
    flash(_("Your company is now listed publicly.") if listed else _("Your company is no longer listed publicly."),
          "success")
    return redirect(url_for("directory.my_networks"))


# --- results posts --------------------------------------------------------------------------------


def _post_details(form: ResultsPostForm) -> results.PostDetails:
    return results.PostDetails(title=form.title.data, body=form.body.data or "", event_date=form.event_date.data)


@login_required
def operator_post_new(network_id: int):
    """Write a results post (saved as a draft or submitted for approval)."""
    network = managed_network(network_id)
    form = ResultsPostForm()
    if form.validate_on_submit():
        with refusal_shown(form):
            results.create_post(network, _post_details(form), current_user, submit=form.submit.data)
            flash(_("The post has been submitted for approval.") if form.submit.data
                  else _("The draft has been saved."), "success")
            return _to_network(network, "posts")
    return render_template("directory/post_form.html", network=network, form=form, post=None)


@login_required
def operator_post_edit(network_id: int, post_id: int):
    """Edit a draft or returned post; submitted and approved posts are shown read-only."""
    network = managed_network(network_id)
    post: ResultsPost = _child(network.posts, post_id)
    form = ResultsPostForm(obj=post)
    if form.validate_on_submit():
        with refusal_shown(form):  # the service refuses changes to submitted and approved posts
            results.update_post(post, _post_details(form), current_user, submit=form.submit.data)
            flash(_("The post has been submitted for approval.") if form.submit.data
                  else _("The draft has been saved."), "success")
            return _to_network(network, "posts")
    return render_template("directory/post_form.html", network=network, form=form, post=post)


# --- join requests --------------------------------------------------------------------------------


@login_required
def operator_join_request(network_id: int, request_id: int):
    """Read a join request and accept or decline it."""
    network = managed_network(network_id)
    join_request: JoinRequest = _child(network.join_requests, request_id)
    form = JoinDecisionForm()
    if request.method == "POST" and join_request.status == "pending" and form.validate_on_submit():
        with refusal_shown(form):
            if form.accept.data:
                joining.accept_join_request(join_request, form.response_message.data or "", current_user)
            else:
                joining.decline_join_request(join_request, form.response_message.data or "", current_user)
            flash(_("%(company)s is now a member of the network.", company=join_request.company_name)
                  if join_request.status == "accepted" else
                  _("The join request has been declined; the company has been told."), "success")
            return _to_network(network, "join-requests")
    return render_template("directory/join_request.html", network=network, join_request=join_request, form=form)
