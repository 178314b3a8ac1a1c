"""The focus indicator can be seen: at least 3:1 against its background (WCAG 2.4.7, 1.4.11; issue 15 point 4).

On every kind of page of a whole competition's life (the demo data), as each role, the first link of
the navigation bar, input, button and checkbox is focused after a key press (so the browser shows the
keyboard focus), and the colour of its focus ring is compared with the background around it.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e

KINDS = {
    "navigation link": ".navbar .nav-link",
    "input": "main input.form-control, main select.form-select, main textarea.form-control",
    "button": "main .btn",
    "checkbox": "main input[type=checkbox]",
}

# Focus the first visible, enabled element of each kind; measure its ring (outline, else box shadow)
# against the background around it (the parent's, transparent layers blended over white).
MEASURE = """(kinds) => {
  const parse = (text) => {
    const m = /rgba?\\(([^)]+)\\)/.exec(text || "");
    if (!m) { return null; }
    const p = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
    return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1};
  };
  const over = (top, base) => ({r: top.r * top.a + base.r * (1 - top.a), g: top.g * top.a + base.g * (1 - top.a),
                                b: top.b * top.a + base.b * (1 - top.a), a: 1});
  const background = (element) => {
    const layers = [];
    for (let e = element; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c.a > 0) { layers.push(c); if (c.a >= 1) { break; } }
    }
    return layers.reverse().reduce((base, layer) => over(layer, base), {r: 255, g: 255, b: 255, a: 1});
  };
  const luminance = (c) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
  };
  const ratio = (x, y) => {
    const [a, b] = [luminance(x), luminance(y)];
    return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  };
  const results = {};
  for (const [kind, selector] of Object.entries(kinds)) {
    const element = [...document.querySelectorAll(selector)].find(
      (e) => e.getClientRects().length && getComputedStyle(e).visibility !== "hidden" && !e.disabled);
    if (!element) { continue; }
    element.focus();
    const style = getComputedStyle(element);
    const around = background(element.parentElement);
    let ring = null;
    if (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 1) { ring = parse(style.outlineColor); }
    else if (style.boxShadow && style.boxShadow !== "none") { ring = parse(style.boxShadow); }
    const contrast = ring ? ratio(over(ring, around), around) : 1;
    results[kind] = {contrast: Math.round(contrast * 100) / 100, focused: document.activeElement === element,
                     element: element.outerHTML.slice(0, 80)};
  }
  return results;
}"""


@pytest.mark.parametrize("role", ["visitor", "applicant", "juror", "admin"])
def test_every_focus_indicator_of_the_journey_reaches_3_to_1(demo_journey, demo_person, journey_pages, role):
    page = demo_person(role, 1280)
    weak, measured = [], 0
    for path in journey_pages(page, ["/"]):
        page.keyboard.press("Tab")  # keyboard use: the browser now shows the focus of what gets focused
        for kind, result in page.evaluate(MEASURE, KINDS).items():
            measured += 1
            if result["focused"] and result["contrast"] < 3:
                weak.append(f"{path} {kind} {result['contrast']}:1 {result['element']}")
    assert measured >= 10, f"only {measured} focus indicators measured as {role}"
    assert not weak, f"focus indicators below 3:1 as {role}: {weak[:10]}"
