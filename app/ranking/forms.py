"""Forms and query options of the ranking pages: method switch, sorting, draw, what-if weights."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import Form, HiddenField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, InputRequired, ValidationError

from app.core.forms import LocaleDecimalField
from app.core.i18n import lazy_gettext as _l
from app.ranking.aggregate import Method

# What the marks next to a score mean (aggregate.py's notes); shown to screen readers and in the legend.
NOTE_LABELS = {
    "trimmed_fell_back_to_mean": _l("mean: fewer than 5 reviews"),
    "no_consensus_mean": _l("mean: no approved consensus"),
    "consensus": _l("agreed consensus score"),
    "disconnected_component": _l("calibrated within a separate group of jurors"),
}
NOTE_MARKS = {"trimmed_fell_back_to_mean": "†", "no_consensus_mean": "†", "consensus": "*",
              "disconnected_component": "‡"}


def note_texts() -> dict[str, tuple[str, str]]:
    """Each note's mark and its text in the current language, translated once per page."""
    return {note: (NOTE_MARKS[note], str(label)) for note, label in NOTE_LABELS.items()}


METHOD_LABELS = {
    Method.MEAN: _l("Mean"),
    Method.MEDIAN: _l("Median"),
    Method.TRIMMED: _l("Trimmed mean"),
    Method.NORMALISED: _l("Normalised (z-score per juror)"),
    Method.CALIBRATED: _l("Calibrated (fixed effects)"),
    Method.CONSENSUS: _l("Consensus"),
}

# The largest weight the criteria column holds (Numeric(6, 3)).
MAX_WEIGHT = Decimal("999.999")
ROWS_PER_PAGE = 100

# Sort keys of the ranking table and their first direction when chosen.
SORT_KEYS = {"rank": "asc", "title": "asc", "sector": "asc", "requested": "desc", "total": "desc",
             "reviews": "desc", "spread": "desc", "interval": "asc", "p_top_k": "desc"}


class MethodForm(Form):
    """The method switch (GET, nothing is changed, so no CSRF token)."""

    method = SelectField(_l("Aggregation method"),
                         choices=[SelectChoice(m.value, label) for m, label in METHOD_LABELS.items()],
                         default=Method.MEAN.value)

    def selected(self) -> Method:
        """The chosen method, or the default for anything unknown."""
        value = self.method.data
        return Method(value) if value in Method._value2member_map_ else Method.MEAN


@dataclass(frozen=True)
class TableOptions:
    """Method, sort column, direction and page of the ranking table, from the query string."""

    method: Method
    sort: str
    direction: str
    page: int

    @property
    def by_rank(self) -> bool:
        """True in plain rank order, where the funding line can be drawn between rows."""
        return self.sort == "rank" and self.direction == "asc"

    def args(self, **changes) -> dict:
        """Query arguments for a link that changes some options."""
        values = {"method": self.method.value, "sort": self.sort, "dir": self.direction, **changes}
        return {k: v for k, v in values.items() if v is not None}

    def sort_args(self, key: str) -> dict:
        """Query arguments of a column header link: toggle when active, else its first direction."""
        if key == self.sort:
            direction = "desc" if self.direction == "asc" else "asc"
        else:
            direction = SORT_KEYS.get(key, "desc")
        return self.args(sort=key, dir=direction)

    def aria_sort(self, key: str) -> str | None:
        """aria-sort value of a column header (only the active one has it)."""
        if key != self.sort:
            return None
        return "ascending" if self.direction == "asc" else "descending"


def table_options(args: MultiDict, criterion_ids: Sequence[int]) -> TableOptions:
    """Read the table options; unknown values fall back to the defaults."""
    method = MethodForm(args).selected()
    sort = args.get("sort", "rank")
    if sort not in SORT_KEYS and sort not in {f"c{cid}" for cid in criterion_ids}:
        sort = "rank"
    direction = args.get("dir", SORT_KEYS.get(sort, "desc"))
    if direction not in ("asc", "desc"):
        direction = "asc"
    page = args.get("page", 1, type=int) or 1
    return TableOptions(method, sort, direction, max(page, 1))


_SORT_ATTRIBUTES = {
    "rank": lambda row: row.rank,
    "title": lambda row: row.title.casefold(),
    "sector": lambda row: row.sector.casefold(),
    "requested": lambda row: row.requested_cents,
    "total": lambda row: row.total,
    "reviews": lambda row: row.reviews,
    "spread": lambda row: row.spread,
    "interval": lambda row: None if row.rank_low is None else (row.rank_low, row.rank_high),
    "p_top_k": lambda row: row.p_top_k,
}


def _sort_key(key: str):
    """The function giving the value a row sorts by in one column (None when missing)."""
    if key.startswith("c") and key[1:].isdigit():
        criterion_id = int(key[1:])
        return lambda row: row.scores.get(criterion_id)
    return _SORT_ATTRIBUTES[key]


def sort_rows(rows, options: TableOptions) -> list:
    """Rows in the chosen order; ties in that column keep rank order."""
    if options.by_rank:
        return list(rows)  # the view's rows are in rank order already
    value = _sort_key(options.sort)
    keyed = [(value(r), r) for r in rows]
    present = [(v, r) for v, r in keyed if v is not None]
    missing = [r for v, r in keyed if v is None]
    present.sort(key=lambda item: item[1].rank)
    present.sort(key=lambda item: item[0], reverse=options.direction == "desc")
    return [r for _, r in present] + missing


class ListPage:
    """One page of an in-memory list, shaped like Flask-SQLAlchemy's pagination for the macro."""

    def __init__(self, items: list, page: int, per_page: int = ROWS_PER_PAGE):
        self.total = len(items)
        self.per_page = per_page
        self.pages = max(1, -(-self.total // per_page))
        self.page = min(page, self.pages)
        self.offset = (self.page - 1) * per_page
        self.items = items[self.offset:self.offset + per_page]

    def iter_pages(self, edge: int = 2, around: int = 2):
        """Page numbers with None for gaps, as Flask-SQLAlchemy yields them."""
        last = 0
        for number in range(1, self.pages + 1):
            if number <= edge or number > self.pages - edge or abs(number - self.page) <= around:
                if last and number - last > 1:
                    yield None
                yield number
                last = number


class RecordDrawForm(FlaskForm):
    """The button that records a draw by lot for the remaining ties of a method."""

    method = HiddenField(validators=[AnyOf([m.value for m in Method])])


def _weight_in_range(form, field) -> None:
    """A weight is positive, at most 999.999 and has at most three decimals."""
    if field.data is None:
        return
    if field.data <= 0:
        raise ValidationError(_l("The weight must be greater than 0."))
    if field.data > MAX_WEIGHT:
        raise ValidationError(_l("The weight must not be greater than 999.999."))
    if field.data != field.data.quantize(Decimal("0.001")):
        raise ValidationError(_l("Please use at most three decimal places."))


class WeightsFormBase(FlaskForm):
    """What-if weights: one field w_<criterion id> per criterion, added by weights_form()."""

    def weight_fields(self) -> list:
        """The weight fields in criteria order."""
        return [f for f in self if f.name.startswith("w_")]

    def weights(self) -> dict[int, Decimal]:
        """The entered weights by criterion id."""
        return {int(f.name[2:]): f.data for f in self.weight_fields()}


def weights_form(criteria, locale: str, formdata=None, csrf: bool = True) -> WeightsFormBase:
    """A weights form for the competition's criteria, prefilled with their saved weights."""
    fields = {
        f"w_{c.id}": LocaleDecimalField(
            c.name(locale), places=3, default=c.weight,
            validators=[InputRequired(message=_l("Please enter a weight.")), _weight_in_range])
        for c in criteria
    }
    form_class = type("WeightsForm", (WeightsFormBase,), fields)
    return form_class(formdata=formdata, meta={"csrf": csrf})
