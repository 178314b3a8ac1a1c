"""Requests without NUL characters: no text field, query or path may carry one into the database.

PostgreSQL refuses NUL in text (a 500 instead of a form error), and no legitimate input contains it.
"""

from __future__ import annotations

from flask import Flask, abort, request
from flask.wrappers import Request
from werkzeug.datastructures import ImmutableMultiDict, MultiDict
from werkzeug.utils import cached_property

NUL = "\x00"


def _without_nul(values: MultiDict) -> MultiDict:
    """The same multidict with NUL removed from every key and value (unchanged when there is none)."""
    items = list(values.items(multi=True))
    if not any(NUL in key or NUL in value for key, value in items):
        return values
    return ImmutableMultiDict((key.replace(NUL, ""), value.replace(NUL, "")) for key, value in items)


class CleanRequest(Request):
    """A request whose form fields and query arguments never contain NUL (uploaded files are untouched)."""

    def _load_form_data(self) -> None:
        """Parse the body as usual, then drop NUL from the text fields."""
        super()._load_form_data()
        self.__dict__["form"] = _without_nul(self.__dict__["form"])

    @cached_property
    def args(self) -> MultiDict:
        """The query arguments without NUL."""
        return _without_nul(super().args)


def init_app(app: Flask) -> None:
    """Use CleanRequest and answer 404 for paths with NUL (they could name no page or object)."""
    app.request_class = CleanRequest

    @app.before_request
    def refuse_nul_in_path():
        if NUL in request.path:
            abort(404)
