"""Show a service's refusal (a DomainError) to the user: on its form field, on the page, or as a flash."""

from __future__ import annotations

from flask import flash

from app.core.errors import DomainError
from app.extensions import db

# Upload checks name the field "file"; forms that take several files call it "files".
_FIELD_ALIASES = {"file": "files"}


def _field_named(form, name: str | None):
    """The form field a refusal belongs to, or None (no form, no name, or a list of subforms)."""
    if form is None or not name:
        return None
    field = getattr(form, name, None)
    if field is None and name in _FIELD_ALIASES:
        field = getattr(form, _FIELD_ALIASES[name], None)
    if field is None or hasattr(field, "entries"):
        return None  # a FieldList keeps one error list per row: the page shows the message instead
    return field


def place_refusal(form, error: DomainError) -> str | None:
    """Put the error on its field(s); return the message when it belongs on the page instead."""
    gaps = dict(getattr(error, "fields", None) or {})  # e.g. a review with several missing scores
    if error.field:
        gaps[error.field] = error.message
    placed = 0
    for name, message in gaps.items():
        field = _field_named(form, name)
        if field is not None:
            field.errors = [*field.errors, str(message)]
            placed += 1
    if placed == 0 or hasattr(error, "fields"):
        return str(error.message)  # the summary of a list of gaps is shown above the form as well
    return None


class refusal_shown:  # noqa: N801 - used as a statement: `with refusal_shown(form):`
    """Catch a DomainError in the block: roll back and show it on its form field or as a flash.

    With `inline=True` a message that has no field is not flashed but kept in `.message` for the
    page's own alert. Errors of the types in `shown_by_view` are rolled back but not shown: the view
    shows them itself from `.error` (e.g. warnings that wait for a confirmation). `.refused` tells
    whether the block was refused.
    """

    def __init__(self, form=None, *, inline: bool = False, shown_by_view: tuple[type[DomainError], ...] = ()):
        self.form = form
        self.inline = inline
        self.shown_by_view = shown_by_view
        self.error: DomainError | None = None
        self.message: str | None = None

    @property
    def refused(self) -> bool:
        """Whether the block raised a DomainError."""
        return self.error is not None

    def __enter__(self) -> refusal_shown:
        return self

    def __exit__(self, exc_type, exc, traceback) -> bool:
        if exc is None or not isinstance(exc, DomainError):
            return False
        # The refused action may have flushed part of its change: none of it may stay.
        db.session.rollback()
        self.error = exc
        if isinstance(exc, self.shown_by_view):
            return True
        message = place_refusal(self.form, exc)
        if message is not None:
            if self.inline:
                self.message = message
            else:
                flash(message, "danger")
        return True
