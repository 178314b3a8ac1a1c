"""No page scrolls sideways (WCAG 1.4.10 reflow; issue 14 point 5, issue 15 point 2).

Every kind of page of a whole competition's life (the demo data) is visited as each role by
following the links from the home page, at 1280 px and at a phone's 390 px; a page is too wide
when the document is wider than the window. Wide tables must scroll inside their own box.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e

# Pages the issues name; they are visited first, whatever the links lead to.
NAMED = {
    "applicant": ["/my/proposals"],
    "juror": ["/jury"],
    "admin": ["/admin/competitions/1/ranking", "/admin/competitions/1/decisions"],
}
WIDTH_OF_PAGE = "document.documentElement.scrollWidth"


def too_wide_pages(demo_person, journey_pages, role: str, width: int) -> tuple[list[str], int]:
    """The pages wider than the window for this role and width, and how many pages were visited."""
    page = demo_person(role, width)
    wide, visited = [], 0
    for path in journey_pages(page, [*NAMED.get(role, []), "/"]):
        visited += 1
        scroll_width = page.evaluate(WIDTH_OF_PAGE)
        if scroll_width > width:
            wide.append(f"{path}: {scroll_width} px")
    return wide, visited


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("role", ["visitor", "applicant", "juror", "admin"])
def test_no_page_of_the_journey_is_wider_than_the_window(demo_journey, demo_person, journey_pages, role, width):
    wide, visited = too_wide_pages(demo_person, journey_pages, role, width)
    assert visited >= 5, f"only {visited} pages reached as {role}"
    assert not wide, f"pages wider than {width} px as {role}: {wide}"
