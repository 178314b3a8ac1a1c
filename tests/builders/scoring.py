"""Builds a competition in review with two criteria and rubrics, submitted reviews and review-form data."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

from app.core.time import utcnow
from app.extensions import db
from tests.factories import CompetitionFactory, CriterionFactory, ReviewFactory, ScoreFactory

JUSTIFICATION = "Das Clusterpotenzial ist gut belegt, die Ziele sind messbar."


def review_competition(**kwargs):
    """A competition in the review phase (deadline in two weeks) with two criteria and rubrics."""
    kwargs.setdefault("phase", "review")
    kwargs.setdefault("review_deadline", utcnow() + timedelta(days=14))
    competition = CompetitionFactory(submission_opens_at=utcnow() - timedelta(days=60),
                                     submission_deadline=utcnow() - timedelta(days=20), **kwargs)
    CriterionFactory(competition=competition, name_de="Clusterpotenzial", name_en="Cluster potential",
                     rubric_de="0 = nicht belegt\n5 = überzeugend belegt",
                     rubric_en="0 = not shown\n5 = convincingly shown", weight=Decimal("2"), priority=1)
    CriterionFactory(competition=competition, name_de="Maßnahmenkatalog", name_en="Catalogue of measures",
                     rubric_de="0 = fehlt\n5 = vollständig und realistisch",
                     rubric_en="0 = missing\n5 = complete and realistic", weight=Decimal("1"), priority=2)
    db.session.refresh(competition)
    return competition


def submitted_review(user, proposal, values, justification: str = JUSTIFICATION, comment: str = ""):
    """A submitted review with one score per criterion (values in criterion order)."""
    review = ReviewFactory(proposal=proposal, user=user, status="submitted", submitted_at=utcnow(),
                           overall_comment=comment)
    for criterion, value in zip(proposal.competition.criteria, values, strict=True):
        ScoreFactory(review=review, criterion=criterion, value=Decimal(str(value)),
                     justification=f"{justification} ({criterion.name_de}: {value})")
    return review


def review_payload(competition, values, justifications=None, version="0", **extra):
    """Form data for the review form: every field, an unchosen score empty (as the autosave script sends it)."""
    data = {"version": str(version), "overall_comment": extra.pop("overall_comment", "")}
    for index, criterion in enumerate(competition.criteria):
        value = values[index] if index < len(values) else None
        data[f"score_{criterion.id}"] = "" if value is None else str(value)
        text = justifications[index] if justifications and index < len(justifications) else ""
        data[f"justification_{criterion.id}"] = text
    data.update(extra)
    return data


def form_version(body: str) -> str:
    """The version the page carries in its hidden field."""
    return re.search(r'name="version" type="hidden" value="(\d+)"', body).group(1)
