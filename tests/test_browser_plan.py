"""The Plan tab in a real headless Chromium (Debian's `chromium`, driven by Playwright).

Screenshots (desktop 1280 px and phone 390 px wide) go to reports/screenshots/plan-*.png.
"""
from __future__ import annotations

import shutil
import socket
import time
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
if not CHROMIUM:
    pytest.skip("chromium is not installed (sudo apt-get install chromium; `make test` does it) — "
                "browser tests skipped", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright (python) is not installed")

from assistant import ui  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
SHOTS = REPO / "reports" / "screenshots"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
TIMEOUT = 30_000  # ms
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning", "ignore::FutureWarning")


@pytest.fixture(scope="module")
def server(assistant, built_settings, tmp_path_factory):
    settings = built_settings.with_(data_dir=tmp_path_factory.mktemp("browser-plan-data"))
    demo = ui.build_app(assistant, settings=settings)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    demo.launch(prevent_thread_lock=True, server_port=port, server_name="127.0.0.1", quiet=True)
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        demo.close()


@pytest.fixture(scope="module")
def browser():
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


def open_plan_tab(browser, url, viewport):
    ctx = browser.new_context(viewport=viewport)
    page = ctx.new_page()
    page.set_default_timeout(TIMEOUT)
    page.goto(url)
    page.wait_for_selector("#rsa-status :text('Ready')")
    page.get_by_role("tab", name="Plan").click()
    page.wait_for_selector("#rsa-plan-btn")
    return ctx, page


def choose(page, elem_id: str, label: str):
    """Pick an option of a Gradio dropdown by its label."""
    page.locator(f"#{elem_id} input").click()
    page.get_by_role("option", name=label, exact=True).click()


def tick(page, elem_id: str, labels: set[str]):
    """Set a Gradio checkbox group to exactly ``labels``."""
    for box in page.locator(f"#{elem_id} label").all():
        want = box.inner_text().strip() in labels
        if box.locator("input").is_checked() != want:
            box.click()


def build(page):
    """Press the button and wait for a new plan or a new error (Gradio replaces the HTML it updates)."""
    page.evaluate("() => document.querySelectorAll('#rsa-plan .rsa-plan, #rsa-plan-error .rsa-error')"
                  ".forEach(e => e.dataset.old = '1')")
    page.click("#rsa-plan-btn")
    page.wait_for_selector("#rsa-plan .rsa-plan:not([data-old]), #rsa-plan-error .rsa-error:not([data-old])")
    time.sleep(0.3)


def test_plan_tab_builds_a_marathon_plan_and_shows_errors_next_to_the_form(browser, server):
    ctx, page = open_plan_tab(browser, server, DESKTOP)
    try:
        choose(page, "rsa-plan-race", "Marathon")
        page.fill("#rsa-plan-weeks input", "16")
        tick(page, "rsa-plan-run", {"Mon", "Tue", "Thu", "Sat"})
        tick(page, "rsa-plan-hard", {"Tue"})
        choose(page, "rsa-plan-exp", "Lift regularly")
        page.fill("#rsa-plan-lifts textarea", "squat 80kg x 5")
        build(page)
        plan = page.locator("#rsa-plan .rsa-plan")
        assert plan.is_visible()
        assert plan.get_attribute("data-weeks") == "16"
        text = plan.inner_text()
        assert "16-week strength plan for a marathon" in text and "Working squat loads 77.5–85 kg" in text
        assert "Race and marathon evidence is limited" in text
        assert page.locator("#rsa-plan li[data-basis='evidence']").count() >= 5
        assert page.locator("#rsa-plan li[data-basis='convention']").first.inner_text().startswith("convention")
        assert page.locator("#rsa-plan details.rsa-source").count() >= 5
        assert page.locator("#rsa-plan-error .rsa-error").count() == 0
        page.locator("#rsa-plan-files").wait_for()
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=str(SHOTS / "plan-desktop-1280.png"))
        page.screenshot(path=str(SHOTS / "plan-desktop-1280-full.png"), full_page=True)

        # a bad lift: a one-line error right under the form's button, the plan left in place
        page.fill("#rsa-plan-lifts textarea", "squat 80kg x 0")
        build(page)
        err = page.locator("#rsa-plan-error .rsa-error")
        assert err.is_visible() and "reps must be 1–30" in err.inner_text() and "Traceback" not in err.inner_text()
        assert "Your previous plan" in page.locator("#rsa-plan").inner_text()  # kept, marked out of date
        btn, box = page.locator("#rsa-plan-btn").bounding_box(), err.bounding_box()
        form = page.locator("#rsa-plan-form").bounding_box()
        assert box["y"] >= btn["y"] + btn["height"] - 1 and box["y"] - (btn["y"] + btn["height"]) < 60
        assert form["x"] - 1 <= box["x"] and box["x"] + box["width"] <= form["x"] + form["width"] + 1
        err.scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / "plan-error-desktop-1280.png"))
        page.fill("#rsa-plan-lifts textarea", "squat 80kg x 5")
        build(page)
        assert page.locator("#rsa-plan-error .rsa-error").count() == 0
    finally:
        ctx.close()


def test_plan_tab_on_a_phone(browser, server):
    ctx, page = open_plan_tab(browser, server, PHONE)
    try:
        choose(page, "rsa-plan-exp", "New to lifting")
        choose(page, "rsa-plan-race", "5k")
        page.fill("#rsa-plan-weeks input", "8")
        page.locator("#rsa-plan-equipment label", has_text="None").click()
        build(page)
        plan = page.locator("#rsa-plan .rsa-plan")
        assert plan.is_visible() and "New to lifting" in plan.inner_text()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"page scrolls sideways on a phone ({width}px)"
        plan.scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / "plan-phone-390.png"))
        page.screenshot(path=str(SHOTS / "plan-phone-390-full.png"), full_page=True)
        tick(page, "rsa-plan-run", set())
        build(page)
        err = page.locator("#rsa-plan-error .rsa-error")
        assert err.is_visible() and "No run days given" in err.inner_text() and "Run days mon,wed,sat" in err.inner_text()
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        err.scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / "plan-error-phone-390.png"))
    finally:
        ctx.close()
