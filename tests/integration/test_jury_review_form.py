"""The review form's score radio buttons: written out in one pass, exactly as WTForms renders them."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pytest
from flask import render_template_string
from flask_babel import force_locale

from app.jury.forms import build_review_form, score_choices, score_radios, text_field
from app.jury.scoring import scale_values

# The markup the review form had while WTForms rendered each option.
WTFORMS_OPTIONS = '''{% for option in score_field %}
                <div class="form-check form-check-inline me-2">
                  {{ option(class_="form-check-input" ~ (" is-invalid" if score_field.errors else "")) }}
                  {{ option.label(class_="form-check-label") }}
                </div>
              {% endfor %}'''


@pytest.mark.parametrize("locale", ["de", "en"])
@pytest.mark.parametrize("scale", [("0", "5", "0.5"), ("1", "10", "1")])
@pytest.mark.parametrize("data,errors", [(None, []), ("4.5", []), ("3", ["Bitte wählen"]), ("4.3", ["falsch"]),
                                         ('"><script>', ["falsch"])])
def test_score_radios_match_the_wtforms_rendering(app, locale, scale, data, errors):
    criterion = SimpleNamespace(id=7, name=lambda _locale: "Innovation")
    competition = SimpleNamespace(scale_min=Decimal(scale[0]), scale_max=Decimal(scale[1]),
                                  scale_step=Decimal(scale[2]))
    with app.test_request_context(), force_locale(locale):
        form = build_review_form([criterion], locale, score_choices(scale_values(competition)),
                                 data={"score_7": data})
        field = form["score_7"]
        field.errors = errors
        assert str(score_radios(field)) == render_template_string(WTFORMS_OPTIONS, score_field=field)


def _blank_lines_removed(html: str) -> str:
    """The markup without blank lines and indentation (the textarea content keeps its \\r\\n)."""
    return "\n".join(line.strip() for line in html.split("\n") if line.strip())


@pytest.mark.parametrize("locale", ["de", "en"])
@pytest.mark.parametrize("text,errors", [("", []), ("Gut <belegt> & \"messbar\"", []),
                                         ("x", ["Bitte begründen Sie die Bewertung.", "<b>zweiter</b>"])])
def test_text_field_matches_the_field_macro(app, locale, text, errors):
    criterion = SimpleNamespace(id=3, name=lambda _locale: "Innovation & Transfer")
    with app.test_request_context(), force_locale(locale):
        form = build_review_form([criterion], locale, [], data={"justification_3": text})
        field = form["justification_3"]
        field.errors = errors
        macro = render_template_string('{% from "macros/forms.html" import field as f %}'
                                       '{{ f(field, help=_("Required for submitting.")) }}', field=field)
        with_helper = render_template_string('{{ text_field(field, _("Required for submitting.")) }}',
                                             field=field, text_field=text_field)
        assert _blank_lines_removed(with_helper) == _blank_lines_removed(macro)
        assert "\r\n" in with_helper
