"""Errors of the API as RFC 9457 problem details (application/problem+json) in the asked language."""

from __future__ import annotations

from typing import Any

from flask import g, jsonify, request
from werkzeug.exceptions import HTTPException

from app.core.i18n import HEADER_LOCALE_ONLY
from app.core.i18n import lazy_gettext as _l

PROBLEM_MEDIA_TYPE = "application/problem+json"
IS_API_REQUEST = "is_api_request"
API_PREFIX = "/api/"
READABLE_REFERENCE = "api_docs.reference"

PROBLEM_TITLES = {
    400: _l("Bad request"),
    401: _l("Authentication required"),
    403: _l("Access denied"),
    404: _l("Not found"),
    405: _l("Method not allowed"),
    409: _l("Conflict"),
    412: _l("Precondition failed"),
    413: _l("Request too large"),
    415: _l("Unsupported media type"),
    422: _l("Invalid input"),
    428: _l("Precondition required"),
    429: _l("Too many requests"),
    500: _l("Internal error"),
}

PROBLEM_DETAILS = {
    400: _l("The request could not be read."),
    401: _l("Send a valid API token in the Authorization header (Bearer)."),
    403: _l("The token may not do this."),
    404: _l("There is no such resource, or it is not available to this token."),
    405: _l("This method is not offered for this resource."),
    409: _l("The request conflicts with the current state of the resource."),
    412: _l("The resource has changed since you read it."),
    413: _l("The request is larger than allowed."),
    415: _l("Send the request body as JSON."),
    422: _l("Some values are invalid; see errors."),
    428: _l("This request needs an If-Match header."),
    429: _l("Too many requests for this token. Please wait and try again."),
    500: _l("Something went wrong on our side. The error has been logged."),
}


def is_api_request() -> bool:
    """True while answering a request under /api/ (also one refused before the API's own steps ran)."""
    if g.get(IS_API_REQUEST):
        return True
    return request.path.startswith(API_PREFIX) and request.endpoint != READABLE_REFERENCE


def problem_response(status: int, detail: str | None = None, *, errors: Any = None, headers=None):
    """A problem+json response with a translated title and detail."""
    title = PROBLEM_TITLES.get(status, PROBLEM_TITLES[500] if status >= 500 else PROBLEM_TITLES[400])
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": str(title),
        "status": status,
        "detail": str(detail) if detail else str(PROBLEM_DETAILS.get(status, title)),
        "instance": request.path,
    }
    if errors:
        body["errors"] = errors
    response = jsonify(body)
    response.status_code = status
    response.mimetype = PROBLEM_MEDIA_TYPE
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def _validation_errors(exc: Exception | None) -> Any:
    """webargs puts the fields' messages into exc.data["messages"] (422)."""
    data = getattr(exc, "data", None) or {}
    return data.get("messages")


def render_api_error(code: int, exc: Exception | None):
    """Answer errors of API requests as problem+json (registered with core.errors); None for pages."""
    if not is_api_request():
        return None
    g.setdefault(HEADER_LOCALE_ONLY, True)  # e.g. the rate limit refuses before the API's steps set it
    status = exc.code if isinstance(exc, HTTPException) and exc.code else code
    detail = getattr(exc, "api_detail", None)
    headers = {"WWW-Authenticate": 'Bearer realm="api"'} if status == 401 else None
    if isinstance(exc, HTTPException) and status == 405:
        headers = {"Allow": ", ".join(exc.valid_methods or [])} if getattr(exc, "valid_methods", None) else None
    return problem_response(status, detail, errors=_validation_errors(exc), headers=headers)


def handle_other_http_error(exc: HTTPException):
    """Codes the site has no page for (401, 405, 409, 422, ...): problem+json in the API, Werkzeug's page elsewhere."""
    response = render_api_error(exc.code or 500, exc)
    return response if response is not None else exc
