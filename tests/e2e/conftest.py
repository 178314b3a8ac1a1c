"""Browser fixtures: a live server in a thread and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import os
import re
import shutil
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from werkzeug.serving import make_server

from tests.factories import DEFAULT_PASSWORD

CHROMIUM_CANDIDATES = ("chromium", "chromium-browser", "google-chrome")
ARTIFACTS = Path(__file__).parent / "artifacts"

# Flags that keep Chromium from phoning home on a machine without internet.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def _chromium_path() -> str | None:
    explicit = os.environ.get("CHROMIUM_PATH")
    if explicit and Path(explicit).exists():
        return explicit
    for name in CHROMIUM_CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def _skip_or_fail(reason: str):
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(f"browser tests required (REQUIRE_BROWSER=1) but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def live_server(app):
    """Serve the test app on a free local port for the whole session."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    """A headless Debian Chromium; skipped (or failed with REQUIRE_BROWSER=1) when missing."""
    path = _chromium_path()
    if path is None:
        _skip_or_fail("no Chromium found (apt-get install chromium, or set CHROMIUM_PATH)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _skip_or_fail("playwright is not installed")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser page (own cookies) in English or German as the test asks."""
    context = browser.new_context(base_url=live_server, locale="de-DE")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def log_in():
    """Log a user in through a page's login form (factory users have the default password)."""

    def _log_in(page, email: str, password: str = DEFAULT_PASSWORD) -> None:
        page.goto("/login")
        page.get_by_label("E-Mail-Adresse").fill(email)
        page.get_by_label("Passwort", exact=True).fill(password)
        page.get_by_role("button", name="Anmelden").click()

    return _log_in


@pytest.fixture(scope="session")
def axe():
    """axe-core, bundled with axe-playwright-python (no download)."""
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.fixture
def check_a11y(axe):
    """Run axe-core on the current page and fail on serious or critical violations."""

    def _check(page, name: str = "") -> None:
        # A click that navigates returns before the new page's stylesheets apply; on a busy machine axe
        # then measured Bootstrap's default link colour instead of ours (a false contrast finding).
        page.wait_for_load_state("load")
        results = axe.run(page)
        bad = [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
        summary = "; ".join(
            f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes']][:3]}" for v in bad
        )
        assert not bad, f"accessibility violations on {name or page.url}: {summary}"

    return _check


@pytest.fixture
def screenshot():
    """Save a screenshot of a key page under tests/e2e/artifacts/."""

    def _shot(page, name: str, *, jpeg: bool = False) -> None:
        ARTIFACTS.mkdir(exist_ok=True)
        if jpeg:  # smaller files for the images committed into the user guide
            page.screenshot(path=str(ARTIFACTS / f"{name}.jpg"), full_page=True, type="jpeg", quality=70)
        else:
            page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)

    return _shot


# The demo data (`flask demo-data`) is a whole competition's life: call, proposals, jury, scores,
# decisions, contracts, payments and the directory. Its logins, one per role (None: not logged in).
DEMO_PASSWORD = "demo-passwort-2026"
DEMO_PEOPLE = {
    "visitor": None,
    "applicant": "info@zulieferer-west.example",  # also the operator of an awarded network
    "juror": "j.hartmann@uni-leipzig.example",
    "admin": "admin@stadt-leipzig.example",
}
# Downloads and machine-readable answers are not pages; logging out would end the visit.
NOT_A_PAGE = re.compile(r"\.(pdf|csv|xlsx|json|zip|ics|svg|txt|xml)$|/download|/export/|/files/|/attachments/\d+"
                        r"|audit-file|/logout|/api/|openapi|/print")


@pytest.fixture
def demo_journey(runner):
    """Load the demo data; return the demo login of each role."""
    result = runner.invoke(args=["demo-data"])
    assert result.exit_code == 0, result.output + repr(result.exception)
    return DEMO_PEOPLE


@pytest.fixture
def demo_person(browser, live_server):
    """A page in its own context at the given width, logged in as the role's demo person."""
    contexts = []

    def _person(role: str, width: int):
        context = browser.new_context(base_url=live_server, locale="de-DE", viewport={"width": width, "height": 844})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        if DEMO_PEOPLE[role]:
            page.goto("/login")
            page.get_by_label("E-Mail-Adresse").fill(DEMO_PEOPLE[role])
            page.get_by_label("Passwort", exact=True).fill(DEMO_PASSWORD)
            page.get_by_role("button", name="Anmelden").click()
            page.locator("form[action$='/logout']").wait_for(state="attached")  # in the closed menu on a phone
        return page

    yield _person
    for context in contexts:
        context.close()


def _page_kind(path: str) -> str:
    """Pages that differ only in their ids are one kind (one proposal page stands for all)."""
    return re.sub(r"\d+", "N", path)


@pytest.fixture
def journey_pages():
    """Visit every kind of page a person reaches by following links from the given start pages.

    Yields each page's path once the page is loaded; one page per kind, downloads left out.
    """

    def _crawl(page, starts):
        from playwright.sync_api import Error as PlaywrightError  # imported here: the browser fixture may skip

        queue, seen = list(starts), set()
        while queue:
            path = queue.pop(0)
            if _page_kind(path) in seen:
                continue
            seen.add(_page_kind(path))
            try:
                response = page.goto(path)
            except PlaywrightError as error:
                if "Download is starting" in str(error):
                    continue  # a file, not a page
                raise
            is_page = response is not None and "text/html" in response.headers.get("content-type", "")
            if not is_page or response.status >= 400:
                continue
            page.wait_for_load_state("load")
            yield path
            for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))"):
                target = urlsplit(href)
                if target.netloc or not target.path.startswith("/") or target.path.startswith("/static/"):
                    continue
                if not NOT_A_PAGE.search(target.path) and _page_kind(target.path) not in seen:
                    queue.append(target.path)

    return _crawl
