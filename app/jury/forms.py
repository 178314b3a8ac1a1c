"""Jury forms: the review (one score and justification per criterion), consensus, discussion, admin actions.

The review and consensus forms are built per competition, because their fields follow its
criteria. Scores are checked by the scoring service, not here: drafts may be incomplete, and
the same rules apply to the autosave endpoint.
"""

from __future__ import annotations

from decimal import Decimal

from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms import HiddenField, RadioField, SelectField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from app.core.bounds import parse_version
from app.core.formatting import format_exact
from app.core.i18n import lazy_gettext as _l
from app.jury.consensus import ConsensusEntry
from app.jury.scoring import ScoreEntry, canonical


def score_choices(values: list[Decimal]) -> list[SelectChoice]:
    """Scale values as (sent value, label in the user's locale): ("4.5", "4,5")."""
    return [SelectChoice(canonical(v), format_exact(v)) for v in values]


class VersionedForm(FlaskForm):
    """A form that carries the version of the record it was loaded with."""

    version = HiddenField()

    def expected_version(self) -> int | None:
        """The version the user saw, or None when the field was missing or tampered with."""
        return parse_version(self.version.data)


class ReviewForm(VersionedForm):
    """The fixed part of the review form; build_review_form adds the criteria."""

    overall_comment = TextAreaField(_l("Overall comment (optional)"), render_kw={"rows": 4})
    save_draft = SubmitField(_l("Save draft"))
    save_next = SubmitField(_l("Save and next"))
    submit_review = SubmitField(_l("Submit review"))

    criterion_ids: list[int] = []

    def action(self) -> str:
        """Which button was pressed: draft, next or submit."""
        if self.submit_review.data:
            return "submit"
        if self.save_next.data:
            return "next"
        return "draft"

    def entries(self) -> list[ScoreEntry]:
        """The typed scores and justifications, criterion by criterion."""
        return [ScoreEntry(criterion_id=cid, value=self[f"score_{cid}"].data,
                           justification=self[f"justification_{cid}"].data or "")
                for cid in self.criterion_ids]


def build_review_form(criteria, locale: str, choices: list[SelectChoice], **kwargs) -> ReviewForm:
    """A review form with a score (radio buttons) and a justification per criterion."""
    form_class = _review_form_class(tuple((c.id, c.name(locale)) for c in criteria),
                                    tuple((c.value, c.label) for c in choices))
    return form_class(**kwargs)


def _review_form_class(criteria: tuple[tuple[int, str], ...], choices: tuple[tuple[str, str], ...]) -> type:
    """The form class for these criteria (id, name) and scale options."""

    class _ReviewForm(ReviewForm):
        pass

    options = tuple(SelectChoice(value, label) for value, label in choices)
    for criterion_id, name in criteria:
        setattr(_ReviewForm, f"score_{criterion_id}",
                RadioField(_l("Score: %(criterion)s", criterion=name), choices=options, validate_choice=False))
        setattr(_ReviewForm, f"justification_{criterion_id}",
                TextAreaField(_l("Justification: %(criterion)s", criterion=name), render_kw={"rows": 4}))
    _ReviewForm.criterion_ids = [criterion_id for criterion_id, _name in criteria]
    return _ReviewForm


def posted_review(formdata, criterion_ids: list[int]) -> tuple[list[ScoreEntry], str | None, int | None]:
    """What the autosave script posts: the entries it carries, the comment (None if absent), the version.

    The autosave needs no form object: CSRF is checked for every POST by CSRFProtect, and the
    scores and texts are checked by the scoring service.
    """
    # A partial post changes only what it carries: an absent field stays as stored, an empty one is cleared.
    entries = [ScoreEntry(criterion_id=cid, value=formdata.get(f"score_{cid}"),
                          justification=formdata.get(f"justification_{cid}") or "",
                          has_value=f"score_{cid}" in formdata,
                          has_justification=f"justification_{cid}" in formdata)
               for cid in criterion_ids
               if f"score_{cid}" in formdata or f"justification_{cid}" in formdata]
    return entries, formdata.get("overall_comment"), parse_version(formdata.get("version"))


def score_radios(field: RadioField) -> Markup:
    """A score's radio buttons exactly as WTForms renders them option by option, in one pass.

    A review form has some hundred options; WTForms' widget call for each (and Markup.format)
    cost several milliseconds per page. Every value is escaped here, as the widgets do.
    """
    css = "form-check-input" + (" is-invalid" if field.errors else "")
    name = escape(field.name)
    options = []
    for index, choice in enumerate(field.iter_choices()):
        option_id, value = escape(f"{field.id}-{index}"), escape(choice.value)
        checked = "checked " if choice.selected else ""
        options.append(
            f"""
                <div class="form-check form-check-inline me-2">
                  <input {checked}class="{css}" id="{option_id}" name="{name}" type="radio" value="{value}">
                  <label class="form-check-label" for="{option_id}">{escape(choice.label or choice.value)}</label>
                </div>
              """)
    return Markup("".join(options))  # noqa: S704  # nosec B704 - every value is escaped above


def text_field(field: TextAreaField, help_text: str) -> Markup:
    """A textarea with label, help and errors as the `field` macro (macros/forms.html) renders it.

    For the review form's justification per criterion (optional fields: no required marker):
    the macro costs a quarter of a millisecond per call. Same elements, attributes and texts;
    only blank lines differ.
    """
    field_id, errors = escape(field.id), field.errors
    describedby = f"{field_id}-help" + (f" {field_id}-error" if errors else "")
    attributes = (f'aria-describedby="{describedby}"' + (' aria-invalid="true"' if errors else "")
                  + f' class="form-control{" is-invalid" if errors else ""}" id="{field_id}"'
                  + f' name="{escape(field.name)}" rows="{escape((field.render_kw or {}).get("rows", ""))}"')
    error = (f'\n    <div id="{field_id}-error" class="invalid-feedback d-block">'
             f'{escape(" ".join(str(message) for message in errors))}</div>') if errors else ""
    return Markup(  # noqa: S704  # nosec B704 - every value is escaped above
        f"""<div class="mb-3">
    <label class="form-label" for="{field_id}">{escape(field.label.text)}</label>
    <textarea {attributes}>\r\n{escape(field._value())}</textarea>
    <div id="{field_id}-help" class="form-text">{escape(help_text)}</div>{error}
  </div>""")


def review_form_data(review, criteria) -> dict:
    """The stored review as form data."""
    data = {"version": str(review.version) if review else "0",
            "overall_comment": review.overall_comment if review else ""}
    for criterion in criteria:
        score = review.score_for(criterion.id) if review else None
        data[f"score_{criterion.id}"] = canonical(score.value) if score and score.value is not None else None
        data[f"justification_{criterion.id}"] = score.justification if score else ""
    return data


class SubmitReviewForm(VersionedForm):
    """The final confirmation of a complete draft."""

    confirm = SubmitField(_l("Submit review now"))


class ReopenReviewForm(FlaskForm):
    """An administrator reopens a submitted review and tells the juror why."""

    reason = TextAreaField(_l("Reason for reopening (sent to the juror)"),
                           validators=[DataRequired(), Length(max=2000)], render_kw={"rows": 3})
    reopen = SubmitField(_l("Reopen review"))


class DiscussionPostForm(FlaskForm):
    """A message in the jury's discussion of a proposal."""

    body = TextAreaField(_l("Your message"), validators=[DataRequired(), Length(max=10_000)],
                         render_kw={"rows": 4})
    post = SubmitField(_l("Post message"))


class RapporteurForm(FlaskForm):
    """An administrator names the rapporteur of a proposal's consensus report."""

    rapporteur_id = SelectField(_l("Rapporteur"), coerce=int, validators=[DataRequired()])
    save = SubmitField(_l("Name rapporteur"))


class ConsensusForm(VersionedForm):
    """The fixed part of the consensus form; build_consensus_form adds the criteria."""

    report = TextAreaField(_l("Consensus report"), render_kw={"rows": 6})
    minority_view = TextAreaField(_l("Overall minority view (optional)"), render_kw={"rows": 3})
    save_draft = SubmitField(_l("Save draft"))
    propose = SubmitField(_l("Propose to the jury"))

    criterion_ids: list[int] = []

    def entries(self) -> list[ConsensusEntry]:
        """The agreed score, comment and minority view, criterion by criterion."""
        return [ConsensusEntry(criterion_id=cid, value=self[f"value_{cid}"].data or None,
                               comment=self[f"comment_{cid}"].data or "",
                               minority_view=self[f"minority_{cid}"].data or "")
                for cid in self.criterion_ids]


def build_consensus_form(criteria, locale: str, choices: list[SelectChoice], **kwargs) -> ConsensusForm:
    """A consensus form with agreed score, comment and minority view per criterion."""

    class _ConsensusForm(ConsensusForm):
        pass

    select_choices = [SelectChoice("", _l("– not yet agreed –")), *choices]
    for criterion in criteria:
        name = criterion.name(locale)
        setattr(_ConsensusForm, f"value_{criterion.id}",
                SelectField(_l("Agreed score: %(criterion)s", criterion=name), choices=select_choices,
                            validate_choice=False))
        setattr(_ConsensusForm, f"comment_{criterion.id}",
                TextAreaField(_l("Comment: %(criterion)s", criterion=name), render_kw={"rows": 3}))
        setattr(_ConsensusForm, f"minority_{criterion.id}",
                TextAreaField(_l("Minority view: %(criterion)s (optional)", criterion=name),
                              render_kw={"rows": 2}))
    _ConsensusForm.criterion_ids = [c.id for c in criteria]
    return _ConsensusForm(**kwargs)


def consensus_form_data(consensus, criteria) -> dict:
    """The stored report as form data."""
    data = {"version": str(consensus.version), "report": consensus.report, "minority_view": consensus.minority_view}
    scores = {s.criterion_id: s for s in consensus.scores}
    for criterion in criteria:
        score = scores.get(criterion.id)
        data[f"value_{criterion.id}"] = canonical(score.value) if score and score.value is not None else ""
        data[f"comment_{criterion.id}"] = score.comment if score else ""
        data[f"minority_{criterion.id}"] = score.minority_view if score else ""
    return data


class ApproveConsensusForm(VersionedForm):
    """A reviewer approves the proposed report they have read."""

    approve = SubmitField(_l("Approve consensus report"))


class PlainActionForm(FlaskForm):
    """A POST button with nothing but the CSRF token (revise, confirm)."""
