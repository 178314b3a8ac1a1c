"""The administrators' competition pages: settings, phases and criteria."""

from __future__ import annotations

from decimal import Decimal

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from app.competitions import cockpit, queries, services
from app.competitions.defaults import (
    DEFAULT_ELIGIBILITY_RULES,
    DEFAULT_FUNDING_SOURCES,
    DEFAULT_LEGAL_REMEDIES_DE,
    DEFAULT_LEGAL_REMEDIES_EN,
    DEFAULT_SECTORS,
)
from app.competitions.defaults import default_criteria as default_criteria_list
from app.competitions.forms import FUNDING_ROWS, AdvancePhaseForm, CompetitionForm, ConfirmActionForm, CriterionForm
from app.competitions.models import PHASES, Competition, Criterion
from app.competitions.phases import PHASE_LABELS, next_phase, unmet_requirements
from app.competitions.rules import utc_to_local
from app.core.formatting import current_locale
from app.core.i18n import gettext as _
from app.core.permissions import admin_required
from app.core.refusals import refusal_shown
from app.extensions import db

COMPETITIONS_PER_PAGE = 50


def _competition_or_404(competition_id: int, *, for_update: bool = False) -> Competition:
    competition = db.session.get(Competition, competition_id, with_for_update=for_update)
    if competition is None:
        abort(404)
    return competition


def _settings_from(form: CompetitionForm) -> services.CompetitionSettings:
    """The typed values of the competition form, as plain values for the service."""
    return services.CompetitionSettings(
        title=form.title.data or "", programme=form.programme.data or "", measure=form.measure.data or "",
        call_text=form.call_text.data or "", eligibility_rules=form.eligibility_rules.data or "",
        legal_remedies_de=form.legal_remedies_de.data or "", legal_remedies_en=form.legal_remedies_en.data or "",
        sectors=services.sectors_from_text(form.sectors.data or ""), timezone=form.timezone.data,
        submission_opens_local=form.submission_opens_at.data,
        submission_deadline_local=form.submission_deadline.data,
        review_deadline_local=form.review_deadline.data,
        winners_min=form.winners_min.data, winners_max=form.winners_max.data,
        budget_cents=form.budget.data or 0, funding_rows=form.funding_rows(),
        contract_months=form.contract_months.data, scale_min=form.scale_min.data,
        eu_fund=form.eu_fund.data or "", eu_funding_source=form.eu_funding_source.data or "",
        specific_objective=form.specific_objective.data or "", intervention_type=form.intervention_type.data or "",
        scale_max=form.scale_max.data, scale_step=form.scale_step.data,
        reviews_per_proposal=form.reviews_per_proposal.data, blind_review=form.blind_review.data,
        other_reviews_visibility=form.other_reviews_visibility.data,
    )


def _funding_rows_data(sources: list[dict]) -> list[dict]:
    rows = [{"name": s.get("name", ""), "share": Decimal(str(s.get("share")))} for s in sources][:FUNDING_ROWS]
    return rows + [{"name": "", "share": None}] * (FUNDING_ROWS - len(rows))


def _new_competition_data() -> dict:
    """What the create form starts with: the source case's sectors, funding split and rules."""
    return {"sectors": "\n".join(DEFAULT_SECTORS), "eligibility_rules": DEFAULT_ELIGIBILITY_RULES,
            "legal_remedies_de": DEFAULT_LEGAL_REMEDIES_DE, "legal_remedies_en": DEFAULT_LEGAL_REMEDIES_EN,
            "funding_sources": _funding_rows_data(DEFAULT_FUNDING_SOURCES), "use_default_criteria": True}


def _edit_data(competition: Competition) -> dict:
    """The stored competition as form values, times in its own zone."""
    zone = competition.timezone
    return {
        "title": competition.title, "programme": competition.programme, "measure": competition.measure,
        "call_text": competition.call_text, "eligibility_rules": competition.eligibility_rules,
        "legal_remedies_de": competition.legal_remedies_de, "legal_remedies_en": competition.legal_remedies_en,
        "sectors": "\n".join(competition.sectors or []), "timezone": zone,
        "submission_opens_at": utc_to_local(competition.submission_opens_at, zone),
        "submission_deadline": utc_to_local(competition.submission_deadline, zone),
        "review_deadline": utc_to_local(competition.review_deadline, zone),
        "winners_min": competition.winners_min, "winners_max": competition.winners_max,
        "budget": competition.budget_cents, "funding_sources": _funding_rows_data(competition.funding_sources or []),
        "contract_months": competition.contract_months, "scale_min": competition.scale_min,
        "eu_fund": competition.eu_fund, "eu_funding_source": competition.eu_funding_source,
        "specific_objective": competition.specific_objective, "intervention_type": competition.intervention_type,
        "scale_max": competition.scale_max, "scale_step": competition.scale_step,
        "reviews_per_proposal": competition.reviews_per_proposal, "blind_review": competition.blind_review,
        "other_reviews_visibility": competition.other_reviews_visibility,
    }


@admin_required
def admin_list():
    """Admin list of competitions with phase and deadline."""
    page = db.paginate(queries.competitions_newest_first(), per_page=COMPETITIONS_PER_PAGE, error_out=False)
    return render_template("competitions/admin_list.html", page=page)


@admin_required
def admin_home():
    """Where an administrator lands: the running competition's cockpit, or the list when there are several."""
    running = queries.running_competitions()
    if len(running) == 1:
        return redirect(url_for("competitions.admin_cockpit", competition_id=running[0].id))
    return render_template("competitions/admin_home.html", competitions=running)


@admin_required
def admin_cockpit(competition_id: int):
    """A competition's cockpit: phase, deadlines, counts, what is overdue and the next step."""
    competition = _competition_or_404(competition_id)
    return render_template("competitions/admin_cockpit.html", competition=competition,
                           cockpit=cockpit.build_cockpit(competition), phases=PHASES)


@admin_required
def admin_create():
    """Create a draft competition, by default with the default criteria."""
    form = CompetitionForm(data=_new_competition_data())
    del form.confirm_deadline  # a new competition has no drafts
    if form.validate_on_submit():
        with refusal_shown(form):
            competition = services.create_competition(_settings_from(form), current_user,
                                                      with_default_criteria=form.use_default_criteria.data)
            flash(_("The competition has been created as a draft."), "success")
            return redirect(url_for("competitions.admin_detail", competition_id=competition.id))
    return render_template("competitions/admin_form.html", form=form, competition=None,
                           default_criteria=default_criteria_list(), locale=current_locale())


@admin_required
def admin_detail(competition_id: int):
    """A competition's phase, what the next phase still needs, its settings and criteria."""
    competition = _competition_or_404(competition_id)
    upcoming = next_phase(competition)
    missing = unmet_requirements(competition, upcoming) if upcoming else []
    return render_template("competitions/admin_detail.html", competition=competition, phases=PHASES,
                           upcoming=upcoming, missing=missing, locale=current_locale(),
                           advance_form=AdvancePhaseForm(formdata=None, target_phase=upcoming))


@admin_required
def admin_edit(competition_id: int):
    """Edit a competition's settings."""
    competition = _competition_or_404(competition_id)
    form = CompetitionForm(data=_edit_data(competition))
    del form.use_default_criteria
    cut_off: list[str] = []
    if form.validate_on_submit():
        settings = _settings_from(form)
        cut_off = services.drafts_cut_off_by(competition, settings)  # named on the page if confirmation is due
        with refusal_shown(form):
            services.update_competition(competition, settings, current_user,
                                        drafts_confirmed=form.confirm_deadline.data)
            flash(_("The changes have been saved."), "success")
            return redirect(url_for("competitions.admin_detail", competition_id=competition.id))
    if not cut_off:
        del form.confirm_deadline
    return render_template("competitions/admin_form.html", form=form, competition=competition,
                           default_criteria=[], locale=current_locale(), cut_off=cut_off)


@admin_required
def admin_advance(competition_id: int):
    """Move the competition on to its next phase once the preconditions are met."""
    competition = _competition_or_404(competition_id, for_update=True)  # two admins cannot both move it
    form = AdvancePhaseForm()
    if not form.validate_on_submit():
        abort(400)
    with refusal_shown():
        services.change_phase(competition, form.target_phase.data, current_user)
        flash(_("The competition is now in the phase “%(phase)s”.", phase=PHASE_LABELS[competition.phase]),
              "success")
    return redirect(url_for("competitions.admin_detail", competition_id=competition_id))


# --- administration: criteria ---------------------------------------------------------


def _criterion_data(form: CriterionForm) -> services.CriterionData:
    return services.CriterionData(
        name_de=form.name_de.data or "", name_en=form.name_en.data or "",
        rubric_de=form.rubric_de.data or "", rubric_en=form.rubric_en.data or "",
        weight=form.weight.data, threshold=form.threshold.data, priority=form.priority.data,
    )


def _criterion_or_404(competition: Competition, criterion_id: int) -> Criterion:
    criterion = db.session.get(Criterion, criterion_id)
    if criterion is None or criterion.competition_id != competition.id:
        abort(404)
    return criterion


@admin_required
def admin_criteria(competition_id: int):
    """List a competition's criteria and add one."""
    competition = queries.competition_with_criteria(competition_id) or abort(404)
    form = CriterionForm(data={"priority": services.next_free_priority(competition)})
    if form.validate_on_submit():
        with refusal_shown(form):
            services.add_criterion(competition, _criterion_data(form), current_user)
            flash(_("The criterion has been added."), "success")
            return redirect(url_for("competitions.admin_criteria", competition_id=competition_id))
    return render_template("competitions/admin_criteria.html", competition=competition, form=form,
                           locale=current_locale(), delete_form=ConfirmActionForm(formdata=None))


@admin_required
def admin_criterion_edit(competition_id: int, criterion_id: int):
    """Edit one criterion."""
    competition = _competition_or_404(competition_id)
    criterion = _criterion_or_404(competition, criterion_id)
    form = CriterionForm(obj=criterion)
    if form.validate_on_submit():
        with refusal_shown(form):
            services.update_criterion(criterion, _criterion_data(form), current_user)
            flash(_("The criterion has been saved."), "success")
            return redirect(url_for("competitions.admin_criteria", competition_id=competition_id))
    return render_template("competitions/admin_criterion_edit.html", competition=competition,
                           criterion=criterion, form=form)


@admin_required
def admin_criterion_delete(competition_id: int, criterion_id: int):
    """Delete one criterion (before scoring has started)."""
    competition = _competition_or_404(competition_id)
    criterion = _criterion_or_404(competition, criterion_id)
    if not ConfirmActionForm().validate_on_submit():
        abort(400)
    with refusal_shown():
        services.delete_criterion(criterion, current_user)
        flash(_("The criterion has been deleted."), "success")
    return redirect(url_for("competitions.admin_criteria", competition_id=competition_id))
