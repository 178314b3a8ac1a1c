"""Ranking pages: the ranking, one proposal under every method, what-if weights, statistics."""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from markupsafe import Markup

from app.competitions.models import Competition
from app.competitions.phases import PHASE_LABELS
from app.core.cache import cached
from app.core.conditional import conditional, not_modified, page_etag
from app.core.formatting import current_locale
from app.core.i18n import gettext as _
from app.core.permissions import admin_required
from app.core.refusals import refusal_shown
from app.extensions import db
from app.ranking import charts, forms, service, weights
from app.ranking.aggregate import Method


def _competition_for_ranking(competition_id: int) -> Competition:
    """The competition, if the current user may see its ranking (else 404/403)."""
    competition = db.get_or_404(Competition, competition_id)
    if not service.can_view_ranking(current_user, competition):
        abort(403)
    return competition


def _versions(competition: Competition) -> tuple[str, str]:
    """What the ranking pages follow from: the ranking's inputs, and (for jurors' names) the progress inputs."""
    return competition.ranking_stamp, competition.progress_stamp


@dataclass(frozen=True)
class _RankingBody:
    """The ranking page's body as rendered, and what the page around it needs to know of the view."""

    html: Markup
    method: Method
    methods: tuple[Method, ...]
    draw_pending: bool


def _ranking_body(competition: Competition, options: forms.TableOptions, locale: str) -> _RankingBody:
    """Render the body of the ranking page (everything computed from the ranking) for the current viewer."""
    view = service.filter_for_viewer(service.compute_ranking(competition, options.method), current_user)
    page = forms.ListPage(forms.sort_rows(view.rows, options), options.page)
    show_cumulative = options.by_rank and not view.filtered
    chart = (charts.rank_interval_chart(view.rows, len(view.rows), view.winners_max)
             if view.with_uncertainty else None)
    html = render_template(
        "ranking/_ranking_body.html", competition=competition, view=view, options=options, page=page,
        locale=locale, show_cumulative=show_cumulative, chart=chart, method_labels=forms.METHOD_LABELS,
        note_texts=forms.note_texts(),
        columns=10 + len(view.criteria) + show_cumulative + 2 * view.with_uncertainty)
    # The template autoescapes, so its output is safe HTML.
    return _RankingBody(Markup(html), view.method, tuple(service.methods_for_viewer(view)),  # noqa: S704  # nosec B704
                        view.unresolved_ties and view.weights_saved)


@login_required
def ranking(competition_id: int):
    """The ranking with flags, rank intervals, the funding line and the method switch."""
    competition = _competition_for_ranking(competition_id)
    can_change_weights = current_user.is_admin and weights.can_change_weights(competition)
    etag = page_etag(*_versions(competition), can_change_weights)
    if (unchanged := not_modified(etag)) is not None:
        return unchanged
    options = forms.table_options(request.args, [c.id for c in competition.criteria])
    locale = current_locale()
    # Rendering 100 rows of 8 criteria is most of this page's time (make bench: cached rankings missed
    # their target without this), so the body is kept by the one cache under the ranking's stamp, the
    # options, the language and the viewer (a juror's conflicts decide which rows they see).
    viewer = "admin" if current_user.is_admin else f"user:{current_user.id}"
    body = cached("ranking-page", competition,
                  (options.method.value, options.sort, options.direction, options.page, locale, viewer),
                  lambda: _ranking_body(competition, options, locale))
    return conditional(render_template(
        "ranking/ranking.html", competition=competition, body=body.html, method=body.method,
        methods=[(m, label) for m, label in forms.METHOD_LABELS.items() if m in body.methods],
        method_labels=forms.METHOD_LABELS, draw_needed=current_user.is_admin and body.draw_pending,
        draw_form=forms.RecordDrawForm(method=body.method.value), options=options,
        phase_label=PHASE_LABELS[competition.phase], can_change_weights=can_change_weights,
    ), etag)


@admin_required
def record_draw(competition_id: int):
    """Settle the remaining ties of a method's ranking by a recorded draw by lot."""
    competition = db.get_or_404(Competition, competition_id)
    form = forms.RecordDrawForm()
    if not form.validate_on_submit():
        abort(400)
    with refusal_shown():
        draw = service.record_draw(competition, form.method.data, current_user)
        flash(_("The draw by lot has been recorded (seed %(seed)s).", seed=draw.seed), "success")
    return redirect(url_for("ranking.ranking", competition_id=competition.id, method=form.method.data))


@login_required
def proposal(competition_id: int, proposal_id: int):
    """One proposal: its scores under every method side by side and the individual scores."""
    competition = _competition_for_ranking(competition_id)
    etag = page_etag(*_versions(competition))
    if (unchanged := not_modified(etag)) is not None:
        return unchanged
    method = forms.MethodForm(request.args).selected()
    detail = service.proposal_detail(competition, proposal_id, current_user, method)
    if detail is None:
        abort(404)
    locale = current_locale()
    picture = charts.score_chart(
        [(c.name(locale), [j.scores[c.id] for j in detail.jurors or ()],
          detail.row.scores.get(c.id) if detail.row else None, float(c.threshold)) for c in detail.view.criteria],
        float(competition.scale_min), float(competition.scale_max))
    return conditional(render_template(
        "ranking/proposal.html", competition=competition, detail=detail, view=detail.view, method=method,
        method_labels=forms.METHOD_LABELS, picture=picture, locale=locale, note_texts=forms.note_texts(),
    ), etag)


@admin_required
def what_if_weights(competition_id: int):
    """Try other criterion weights (GET preview, nothing saved) and confirm them (POST, audited)."""
    competition = db.get_or_404(Competition, competition_id)
    can_change = weights.can_change_weights(competition)
    etag = page_etag(*_versions(competition), can_change) if request.method == "GET" else None
    if (unchanged := not_modified(etag)) is not None:
        return unchanged
    locale = current_locale()
    method = forms.MethodForm(request.values).selected()
    base = preview = movements = page = used = None
    if request.method == "POST":
        form = forms.weights_form(competition.criteria, locale, formdata=request.form)
        if form.validate_on_submit():
            with refusal_shown(form):
                weights.apply_weights(competition, form.weights(), current_user)
                flash(_("The new weights have been saved; the ranking now uses them."), "success")
                return redirect(url_for("ranking.ranking", competition_id=competition.id, method=method.value))
    else:
        entered = any(key.startswith("w_") for key in request.args)
        form = forms.weights_form(competition.criteria, locale, formdata=request.args if entered else None,
                                  csrf=False)
        if entered and form.validate():
            # Both sides on the score scale: the saved weights too, should they not sum to 1.
            saved = weights.normalised({c.id: c.weight for c in competition.criteria})
            base = service.compute_ranking(competition, method, with_uncertainty=False,
                                           weights=saved if competition.weights_off_one() else None)
            used = weights.normalised(form.weights())
            preview = service.compute_ranking(competition, method, weights=used, with_uncertainty=False)
            movements = weights.compare(base, preview)
            page = forms.ListPage(movements, request.args.get("page", 1, type=int) or 1)
    return conditional(render_template(
        "ranking/ranking_weights.html", competition=competition, form=form, method=method, base=base,
        method_form=forms.MethodForm(request.values), method_labels=forms.METHOD_LABELS, preview=preview,
        movements=movements, page=page, locale=locale, can_change=can_change,
        saved={c.id: c.weight for c in competition.criteria}, used=used,
    ), etag)


@admin_required
def statistics(competition_id: int):
    """Reliability of the jury, juror leniency and score distributions."""
    competition = db.get_or_404(Competition, competition_id)
    etag = page_etag(*_versions(competition))  # jurors' names: the progress stamp
    if (unchanged := not_modified(etag)) is not None:
        return unchanged
    stats = service.competition_statistics(competition)
    locale = current_locale()
    lenient = sorted(stats.leniency.values(), key=lambda item: (item.weighted, item.juror_id))
    leniency_picture = charts.leniency_chart([(stats.juror_names[item.juror_id], item.weighted) for item in lenient])
    histograms = {cid: charts.histogram(dist.counts, float(competition.scale_min), float(competition.scale_max),
                                        float(competition.scale_step))
                  for cid, dist in stats.distributions.items()}
    return conditional(render_template(
        "ranking/statistics.html", competition=competition, stats=stats, lenient=lenient,
        leniency_picture=leniency_picture, histograms=histograms, locale=locale,
    ), etag)
