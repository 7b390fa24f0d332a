"""Headless Chromium (Debian's package) driven by Playwright; never a downloaded browser."""

import os
import shutil

import pytest

# pytest-django's live_server runs in this process; Playwright's sync API needs this.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("BATTLEMAP_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        pytest.skip(
            "browser tests SKIPPED: Debian's chromium is not installed (apt-get install chromium fonts-noto-cjk)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def _code_tables(code_tables):
    """Every browser test is transactional (tests/conftest.py: code_tables)."""


# Every Content-Security-Policy violation is reported to the console, where the page
# fixture collects it: a browser test fails if anything it showed broke the policy.
REPORT_CSP = """
document.addEventListener("securitypolicyviolation", (e) => {
  console.error("CSP violation: " + e.violatedDirective + " " + (e.blockedURI || "inline")
    + " at " + e.sourceFile + ":" + e.lineNumber);
});
"""


def is_csp_violation(text: str) -> bool:
    return "CSP violation" in text or "Content Security Policy" in text


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-US")
    context.add_init_script(REPORT_CSP)
    page = context.new_page()
    page.requests = []
    page.csp_violations = []
    page.on("request", lambda request: page.requests.append(request.url))
    page.on(
        "console",
        lambda message: (
            page.csp_violations.append(message.text) if is_csp_violation(message.text) else None
        ),
    )
    yield page
    context.close()
    assert page.csp_violations == [], "\n".join(page.csp_violations)
