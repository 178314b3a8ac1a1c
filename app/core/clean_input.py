"""Requests without NUL characters or numbers beyond the database's INTEGER range.

PostgreSQL refuses NUL in text (a 500 instead of a form error), and no legitimate input contains it.
Ids in paths and `type=int` values of forms and query strings must fit an INTEGER column: a larger
one would overflow in the database driver (SQLite) or the database (PostgreSQL) instead of being
"not found" or the default.
"""

from __future__ import annotations

from flask import Flask, abort, request
from flask.wrappers import Request
from werkzeug.datastructures import ImmutableMultiDict, MultiDict
from werkzeug.routing import IntegerConverter
from werkzeug.utils import cached_property

from app.core.bounds import INTEGER_MAX, bounded_int

NUL = "\x00"


class BoundedMultiDict(ImmutableMultiDict):
    """Form and query values whose `.get(name, type=int)` gives the default for numbers out of range."""

    def get(self, key, default=None, type=None):  # noqa: A002 - Werkzeug's signature
        return super().get(key, default, bounded_int if type is int else type)


class BoundedIntegerConverter(IntegerConverter):
    """The `int` URL converter, with ids above INTEGER_MAX not found (404) instead of an overflow."""

    def __init__(self, map, fixed_digits=0, min=None, max=INTEGER_MAX, signed=False):  # noqa: A002
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def _without_nul(values: MultiDict) -> MultiDict:
    """The same multidict with NUL removed from every key and value (unchanged when there is none)."""
    items = list(values.items(multi=True))
    if not any(NUL in key or NUL in value for key, value in items):
        return values
    return BoundedMultiDict((key.replace(NUL, ""), value.replace(NUL, "")) for key, value in items)


# Flask-SQLAlchemy's paginate() reads these with int() itself, so they are checked here.
PAGINATION_KEYS = ("page", "per_page")


def _fits(raw: str) -> bool:
    try:
        bounded_int(raw)
    except ValueError:
        return False
    return True


def _without_bad_pages(values: MultiDict) -> MultiDict:
    """The query without page numbers an INTEGER cannot hold (the page then falls back to the first)."""
    if all(_fits(value) for key in PAGINATION_KEYS for value in values.getlist(key)):
        return values
    return BoundedMultiDict((key, value) for key, value in values.items(multi=True)
                            if key not in PAGINATION_KEYS or _fits(value))


class CleanRequest(Request):
    """A request whose form fields and query arguments never contain NUL (uploaded files are untouched)."""

    parameter_storage_class = BoundedMultiDict

    def _load_form_data(self) -> None:
        """Parse the body as usual, then drop NUL from the text fields."""
        super()._load_form_data()
        self.__dict__["form"] = _without_nul(self.__dict__["form"])

    @cached_property
    def args(self) -> MultiDict:
        """The query arguments without NUL, and without page numbers out of range."""
        return _without_bad_pages(_without_nul(super().args))


def init_app(app: Flask) -> None:
    """Use CleanRequest and bounded ids; answer 404 for paths with NUL (they could name no page or object)."""
    app.request_class = CleanRequest
    app.url_map.converters["int"] = BoundedIntegerConverter  # before the blueprints add their rules

    @app.before_request
    def refuse_nul_in_path():
        if NUL in request.path:
            abort(404)
