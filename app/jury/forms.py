"""Jury forms: the review (one score and justification per criterion), consensus, discussion, admin actions.

The review and consensus forms are built per competition, because their fields follow its
criteria. Scores are checked by the scoring service, not here: drafts may be incomplete, and
the same rules apply to the autosave endpoint.
"""

from __future__ import annotations

from decimal import Decimal

from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from app.jury.consensus import ConsensusEntry
from app.jury.scoring import ScoreEntry, canonical


def score_choices(values: list[Decimal]) -> list[SelectChoice]:
    """Scale values as (sent value, label in the user's locale): ("4.5", "4,5")."""
    return [SelectChoice(canonical(v), format_decimal(v, format="#,##0.#")) for v in values]


class VersionedForm(FlaskForm):
    """A form that carries the version of the record it was loaded with."""

    version = HiddenField()

    def expected_version(self) -> int | None:
        """The version the user saw, or None when the field was missing or tampered with."""
        try:
            return int(self.version.data)
        except (TypeError, ValueError):
            return None


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

    class _ReviewForm(ReviewForm):
        pass

    for criterion in criteria:
        name = criterion.name(locale)
        setattr(_ReviewForm, f"score_{criterion.id}",
                RadioField(_l("Score: %(criterion)s", criterion=name), choices=choices, validate_choice=False))
        setattr(_ReviewForm, f"justification_{criterion.id}",
                TextAreaField(_l("Justification: %(criterion)s", criterion=name), render_kw={"rows": 4}))
    _ReviewForm.criterion_ids = [c.id for c in criteria]
    return _ReviewForm(**kwargs)


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
