"""The versioned JSON API under /api/v1/, its OpenAPI 3.1 document and reference page, and the token pages.

flask-smorest builds the OpenAPI document from the views' marshmallow schemas, validates input
with webargs and answers conditional GETs with ETags, on our plain Flask app and blueprints.
"""

from __future__ import annotations

import re

from flask import Blueprint, Flask, render_template
from flask_cors import CORS
from flask_smorest import Api
from werkzeug.exceptions import HTTPException

from app.api import private, public, token_views
from app.api.auth import identify_api_client, rate_limit, rate_limit_key
from app.api.problems import handle_other_http_error, render_api_error
from app.core.errors import register_error_renderer
from app.extensions import csrf, limiter

API_SETTINGS = {
    "API_TITLE": "Ideenwettbewerb API",
    "API_VERSION": "1.0",
    "OPENAPI_VERSION": "3.1.0",
    "OPENAPI_URL_PREFIX": "/api/v1",
    "OPENAPI_JSON_PATH": "openapi.json",
    "API_SPEC_OPTIONS": {
        "info": {"description": "Open data and the funder's integration API of the ideas competition."},
        "components": {"securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}}},
    },
}


class ProjectApi(Api):
    """flask-smorest's Api without its own error handler: errors go through core.errors as problem+json."""

    def _register_error_handlers(self):
        """Errors are answered by problems.render_api_error (registered with core.errors)."""


def _resolved(spec: dict, item: dict) -> dict:
    """Follow a local "$ref" (e.g. #/components/responses/DEFAULT_ERROR) to its definition."""
    ref = item.get("$ref", "")
    if not ref.startswith("#/"):
        return item
    target = spec
    for part in ref[2:].split("/"):
        target = target.get(part, {})
    return target


def reference():
    """A readable reference of the API, rendered from the OpenAPI document (no scripts from elsewhere)."""
    from flask import current_app

    spec = current_app.extensions["flask-smorest"]["apis"][""]["ext_obj"].spec.to_dict()
    operations = []
    for path, item in spec.get("paths", {}).items():
        for method, op in item.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            operations.append({
                "anchor": re.sub(r"[^a-z0-9]+", "-", f"{method}{path}".lower()).strip("-"), "method": method,
                "path": path, "summary": op.get("summary") or op.get("description", ""),
                "parameters": [*item.get("parameters", []), *op.get("parameters", [])],
                "responses": [(code, _resolved(spec, response))
                              for code, response in sorted(op.get("responses", {}).items())],
                "secured": bool(op.get("security")),
            })
    return render_template("api/reference.html", spec=spec, operations=operations)


def init_app(app: Flask) -> None:
    """Register the API, its reference page, the token pages and the API's rules for errors, CORS and limits."""
    for key, value in API_SETTINGS.items():
        app.config.setdefault(key, value)
    app.config.setdefault("API_RATE_LIMIT", "300 per minute")
    app.before_request(identify_api_client)
    for blp in (public.blp, private.blp):
        csrf.exempt(blp)  # no cookie authorises the API (auth.py), so there is nothing to forge
        limiter.limit(rate_limit, key_func=rate_limit_key)(blp)
    # Browsers of other sites may read the public data, never the token endpoints.
    CORS(app, resources={r"/api/v1/(calls|networks|results|operations|openapi\.json).*": {"origins": "*"}},
         allow_headers=["Accept-Language", "If-None-Match"], expose_headers=["ETag"], send_wildcard=True)
    api = ProjectApi(app)
    api.register_blueprint(public.blp)
    api.register_blueprint(private.blp)
    register_error_renderer(render_api_error)
    app.register_error_handler(HTTPException, handle_other_http_error)

    pages = Blueprint("api_docs", __name__)
    pages.add_url_rule("/api/v1/docs", view_func=reference)
    pages.add_url_rule("/profile/api-tokens", view_func=token_views.create_token, methods=["GET", "POST"])
    pages.add_url_rule("/profile/api-tokens/<int:token_id>/revoke", view_func=token_views.revoke_token,
                       methods=["POST"])
    app.register_blueprint(pages)
    app.context_processor(lambda: {"api_token_panel": token_views.token_panel})
