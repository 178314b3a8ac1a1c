"""Public endpoints (no token): open calls, the network directory, results posts, the list of operations."""

from __future__ import annotations

from flask_smorest import Blueprint
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from app.api import schemas
from app.api.auth import refuse
from app.api.paging import page_of_list, page_of_rows
from app.api.records import call_record, directory_network_record, results_post_record
from app.competitions.models import Competition
from app.contracts.operations import list_of_operations, operations_last_changed
from app.core.i18n import lazy_gettext as _l
from app.directory.models import Network, NetworkMember, ResultsPost
from app.directory.open_data import funding_by_network, operations_licence
from app.directory.search import DirectoryFilters, filtered_networks
from app.extensions import db

blp = Blueprint("api_public", __name__, url_prefix="/api/v1", description="Public data: no token needed.")


@blp.route("/calls")
@blp.etag
@blp.arguments(schemas.CallArgs, location="query", as_kwargs=False)
@blp.response(200, schemas.page_of(schemas.CallOut, "CallPage"))
def list_calls(args):
    """Published calls with their criteria and deadlines (by default only open ones)."""
    query = select(Competition).where(Competition.phase != "draft").options(selectinload(Competition.criteria))
    if args["open_only"]:
        query = query.where(Competition.phase == "open")
    rows, meta = page_of_rows(query, args, order_by=Competition.id, updated_column=Competition.updated_at)
    return {"items": [call_record(c) for c in rows], "pagination": meta}


@blp.route("/calls/<int:call_id>")
@blp.etag
@blp.response(200, schemas.CallOut)
@blp.alt_response(404, description="No published call with this id.")
def get_call(call_id):
    """One published call."""
    competition = db.session.get(Competition, call_id)
    if competition is None or not competition.is_public:
        refuse(404, _l("There is no published call with this id."))
    return call_record(competition)


@blp.route("/networks")
@blp.etag
@blp.arguments(schemas.NetworkArgs, location="query", as_kwargs=False)
@blp.response(200, schemas.page_of(schemas.NetworkOut, "NetworkPage"))
def list_networks(args):
    """The published networks of the directory, filtered like the directory page, with consenting members."""
    filters = DirectoryFilters(q=args["q"], sector=args["sector"], technology=args["technology"],
                               region=args["region"], status=args["status"], kind=args["kind"])
    query = filtered_networks(filters).options(
        selectinload(Network.technology_fields),
        selectinload(Network.members.and_(NetworkMember.listed_consent.is_(True))),
        selectinload(Network.posts.and_(ResultsPost.status == "approved")))
    rows, meta = page_of_rows(query, args, order_by=Network.id, updated_column=Network.updated_at)
    funding = funding_by_network(rows)
    return {"items": [directory_network_record(n, funding.get(n.id)) for n in rows], "pagination": meta}


@blp.route("/results")
@blp.etag
@blp.arguments(schemas.PageArgs, location="query", as_kwargs=False)
@blp.response(200, schemas.page_of(schemas.ResultPostOut, "ResultPostPage"))
def list_results(args):
    """Approved results posts of published networks."""
    query = (select(ResultsPost).join(Network, Network.id == ResultsPost.network_id)
             .where(ResultsPost.status == "approved", Network.published.is_(True))
             .options(joinedload(ResultsPost.network)))
    rows, meta = page_of_rows(query, args, order_by=ResultsPost.id, updated_column=ResultsPost.updated_at)
    return {"items": [results_post_record(p) for p in rows], "pagination": meta}


@blp.route("/operations")
@blp.etag
@blp.arguments(schemas.PageArgs, location="query", as_kwargs=False)
@blp.response(200, schemas.OperationsOut)
def list_operations(args):
    """The EU list of operations (Reg. (EU) 2021/1060 Art. 49(3)), recomputed from the contracts."""
    operations = list_of_operations()
    if args.get("updated_since") is not None:
        operations = [o for o in operations if o.updated_at >= args["updated_since"]]
    items, meta = page_of_list(operations, args)
    last_changed = operations_last_changed()
    return {"licence": operations_licence(),
            "last_changed": last_changed.isoformat() if last_changed else None,
            "items": [o.record() for o in items], "pagination": meta}
