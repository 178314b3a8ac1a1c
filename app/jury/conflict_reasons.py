"""A conflict's reason in the reader's language: the words a person gave, or sentences for what detection found."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.core.i18n import gettext as _
from app.jury import conflict_detection as detection
from app.jury.models import Conflict


def _contact_sentence(kind: str, params: dict[str, Any]) -> str:
    """A sentence about a matching contact of the lead, of a named partner or of an unnamed partner."""
    owner = "lead" if params.get("owner", "lead") == "lead" else ("partner" if params.get("partner") else "anonymous")
    # Lambdas: only the chosen sentence is formatted, so the others' missing parameters do no harm.
    sentences: dict[str, dict[str, Callable[[], str]]] = {
        detection.EMAIL_IS_CONTACT: {
            "lead": lambda: _("The juror's email address %(email)s is the lead organisation's contact address.",
                              **params),
            "partner": lambda: _("The juror's email address %(email)s is the contact address of the partner "
                                 "“%(partner)s”.", **params),
            "anonymous": lambda: _("The juror's email address %(email)s is the contact address of a partner.",
                                   **params),
        },
        detection.DOMAIN_MATCHES_CONTACT: {
            "lead": lambda: _("The juror's email domain %(domain)s matches the lead organisation's contact address "
                              "%(address)s.", **params),
            "partner": lambda: _("The juror's email domain %(domain)s matches the contact address %(address)s of the "
                                 "partner “%(partner)s”.", **params),
            "anonymous": lambda: _("The juror's email domain %(domain)s matches the contact address %(address)s of "
                                   "a partner.", **params),
        },
        detection.NAME_IS_CONTACT: {
            "lead": lambda: _("The juror %(juror_name)s is named as the lead organisation's contact person "
                              "(“%(contact_name)s”).", **params),
            "partner": lambda: _("The juror %(juror_name)s is named as contact person of the partner “%(partner)s” "
                                 "(“%(contact_name)s”).", **params),
            "anonymous": lambda: _("The juror %(juror_name)s is named as contact person of a partner "
                                   "(“%(contact_name)s”).", **params),
        },
    }
    return sentences[kind][owner]()


def finding_sentence(finding: dict[str, Any]) -> str:
    """One stored finding as a sentence in the current language."""
    kind = finding.get("kind", "")
    params = {k: str(v) for k, v in (finding.get("params") or {}).items()}
    try:
        if kind == detection.ORGANISATION_IS_LEAD:
            return _("The juror's organisation “%(juror_organisation)s” is the lead organisation "
                     "“%(lead_organisation)s”.", **params)
        if kind == detection.ORGANISATION_IS_PARTNER:
            return _("The juror's organisation “%(juror_organisation)s” is the partner “%(partner)s”.", **params)
        if kind in (detection.EMAIL_IS_CONTACT, detection.DOMAIN_MATCHES_CONTACT, detection.NAME_IS_CONTACT):
            return _contact_sentence(kind, params)
    except KeyError:
        pass  # a finding stored without a parameter its sentence needs: show what was stored
    return params.get("text") or "; ".join(params.values())


def findings_text(findings: list[dict[str, Any]]) -> str:
    """Stored findings as one paragraph of sentences in the current language."""
    return " ".join(finding_sentence(f) for f in findings or [])


def conflict_reason_sentences(conflict: Conflict) -> list[str]:
    """The reason of a conflict as sentences: detected findings translated, a person's own words as given."""
    if conflict.source == "detected" and conflict.findings:
        return [finding_sentence(f) for f in conflict.findings]
    return [conflict.reason] if conflict.reason else []


def conflict_reason_text(conflict: Conflict) -> str:
    """The reason of a conflict as one paragraph in the current language."""
    return " ".join(conflict_reason_sentences(conflict))
