"""Public network directory: search, network pages, listed companies, contact form, join requests, open data.

The operator pages (operator_views) and the administration (admin_views) add their routes to
the same blueprint.
"""

from __future__ import annotations

import json

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app.contracts.operations import list_of_operations, operations_last_changed
from app.core.i18n import gettext as _
from app.core.refusals import refusal_shown
from app.directory import display, joining, open_data, search
from app.directory.contact import ContactDetails, send_contact_message
from app.directory.forms import CompanySearchForm, ContactForm, DirectorySearchForm, JoinRequestForm
from app.directory.joining import JoinDetails
from app.directory.models import Network
from app.extensions import limiter

DEFAULT_CONTACT_LIMIT = "5 per hour"


def directory_template_helpers() -> dict:
    """Labels, badge classes and safe links for the directory templates."""
    return {"dlabels": display, "safe_website": display.safe_website, "website_host": display.website_host}


def _page_number() -> int:
    return request.args.get("page", 1, type=int) or 1


def visible_network(slug: str) -> Network:
    """The network with its public children, if the current user may see it (published or managed), else 404."""
    network = search.load_public_network(slug)
    if network is None or not network.is_visible_to(current_user):
        abort(404)
    return network


def index():
    """The public directory: search and filter the published networks."""
    filters = search.parse_filters(request.args)
    form = DirectorySearchForm(request.args)
    choices = search.filter_choices()
    form.set_choices(sectors=choices.sectors, technologies=choices.technologies, regions=choices.regions)
    page = search.search_page(filters, _page_number())
    details = search.page_details([n.id for n in page.items])
    download_args = {k: v for k, v in vars(filters).items() if v}
    return render_template(
        "directory/index.html", form=form, filters=filters, page=page, member_counts=details.member_counts,
        technology_names=details.technology_names, download_args=download_args)


def companies():
    """The member companies that agreed to be listed, with the networks they belong to."""
    form = CompanySearchForm(request.args)
    q = (form.q.data or "")[:search.MAX_TERM] if form.validate() else ""
    page, listed = search.companies_page(q, _page_number())
    return render_template("directory/companies.html", form=form, page=page, companies=listed)


def _render_network(network: Network, contact_form: ContactForm | None = None, status: int = 200):
    contact_form = contact_form or ContactForm()
    join_state = None
    if current_user.is_authenticated and network.accepts_join_requests:
        if joining.is_member(network, current_user):
            join_state = "member"
        elif joining.pending_request(network, current_user) is not None:
            join_state = "pending"
    return render_template("directory/network.html", network=network, contact_form=contact_form,
                           posts=search.approved_posts(network), join_state=join_state,
                           may_manage=network.can_manage(current_user)), status


def network(slug: str):
    """A network's public page: description, status, listed members, approved results, contact form."""
    return _render_network(visible_network(slug))


def _contact_limit() -> str:
    return current_app.config.get("DIRECTORY_CONTACT_RATE_LIMIT", DEFAULT_CONTACT_LIMIT)


@limiter.limit(_contact_limit)
def contact(slug: str):
    """Forward a visitor's message to the network's operator by mail (the address stays hidden)."""
    network = visible_network(slug)
    if not network.accepts_contact:
        abort(404)
    form = ContactForm()
    if not form.validate_on_submit():
        return _render_network(network, form, 400)
    if form.homepage.data:
        # A bot filled the hidden field: answer as if it worked, store and send nothing.
        flash(_("Thank you. Your message has been forwarded to the network operator."), "success")
        return redirect(url_for("directory.network", slug=network.slug))
    with refusal_shown(form):
        send_contact_message(network, ContactDetails(name=form.name.data, email=form.email.data,
                                                     organisation=form.organisation.data or "",
                                                     message=form.message.data))
        flash(_("Thank you. Your message has been forwarded to the network operator."), "success")
        return redirect(url_for("directory.network", slug=network.slug))
    return _render_network(network, form, 400)


@login_required
def join(slug: str):
    """A registered company asks to join an open network."""
    network = visible_network(slug)
    if not network.accepts_join_requests:
        flash(_("This network does not take join requests at the moment."), "info")
        return redirect(url_for("directory.network", slug=network.slug))
    form = JoinRequestForm()
    if request.method == "GET":
        form.company_name.data = current_user.organisation
    if form.validate_on_submit():
        details = JoinDetails(company_name=form.company_name.data, town=form.town.data, sector=form.sector.data or "",
                              website=form.website.data or "", message=form.message.data or "",
                              listing_consent=form.listing_consent.data)
        with refusal_shown(form):
            joining.request_to_join(network, current_user, details)
            flash(_("Your join request has been sent. The network operator will answer you by email."), "success")
            return redirect(url_for("directory.network", slug=network.slug))
    return render_template("directory/join.html", network=network, form=form)


# --- open data --------------------------------------------------------------------------------


def _network_url(network: Network) -> str:
    return url_for("directory.network", slug=network.slug, _external=True)


def open_data_csv():
    """The published networks (filtered like the directory) as CSV, public fields only."""
    networks = open_data.public_networks(search.parse_filters(request.args))
    body = open_data.directory_csv(networks, _network_url)
    return Response(body, mimetype="text/csv", headers={
        "Content-Disposition": "attachment; filename=netzwerkverzeichnis.csv"})


def open_data_json():
    """The published networks with listed members and approved results as JSON, with the licence."""
    networks = open_data.public_networks(search.parse_filters(request.args))
    document = open_data.directory_json(networks, _network_url, url_for("directory.index", _external=True))
    return Response(json.dumps(document, ensure_ascii=False, indent=2), mimetype="application/json")




def operations_csv():
    """The EU list of operations (Reg. (EU) 2021/1060 Art. 49(3)) as CSV, recomputed from the contracts."""
    body = open_data.operations_csv(list_of_operations())
    last_changed = operations_last_changed()
    response = Response(body, mimetype="text/csv", headers={
        "Content-Disposition": "attachment; filename=vorhabenliste.csv"})
    if last_changed is not None:
        response.last_modified = last_changed
    return response


def operations_json():
    """The EU list of operations as JSON, with the licence and the date of its last change."""
    document = open_data.operations_json(list_of_operations(), operations_last_changed(),
                                         url_for("directory.operations_json", _external=True))
    return Response(json.dumps(document, ensure_ascii=False, indent=2), mimetype="application/json")
