"""The chat app in a real headless Chromium (Debian's `chromium`, driven by Playwright).

Screenshots (desktop 1280 px and phone 390 px wide) go to reports/screenshots/.
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

from assistant import feedback, ui  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
SHOTS = REPO / "reports" / "screenshots"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
TIMEOUT = 20_000  # ms
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning", "ignore::FutureWarning",
                                        "ignore:.*no_silent_downcasting", "ignore:The copy keyword")


@pytest.fixture(scope="module")
def server(assistant, built_settings, tmp_path_factory):
    settings = built_settings.with_(data_dir=tmp_path_factory.mktemp("browser-data"))
    demo = ui.build_app(assistant, settings=settings)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    demo.launch(prevent_thread_lock=True, server_port=port, server_name="127.0.0.1", quiet=True)
    try:
        yield f"http://127.0.0.1:{port}/", settings
    finally:
        demo.close()


@pytest.fixture(scope="module")
def browser():
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


def open_page(browser, server, viewport=DESKTOP):
    url, _ = server
    ctx = browser.new_context(viewport=viewport)
    page = ctx.new_page()
    page.set_default_timeout(TIMEOUT)
    page.goto(url)
    page.wait_for_selector("#rsa-input textarea")
    page.wait_for_selector("#rsa-status :text('Ready')")
    return ctx, page


@pytest.fixture
def desktop(browser, server):
    ctx, page = open_page(browser, server)
    yield page
    ctx.close()


@pytest.fixture
def phone(browser, server):
    ctx, page = open_page(browser, server, PHONE)
    yield page
    ctx.close()


def ask(page, question: str):
    """Type a question, send it, and wait until the streamed answer is complete; return the bot message."""
    done = page.locator("#rsa-chat .bot .rsa-extras").count()
    page.fill("#rsa-input textarea", question)
    page.press("#rsa-input textarea", "Enter")
    page.wait_for_function("n => document.querySelectorAll('#rsa-chat .bot .rsa-extras').length > n", arg=done)
    time.sleep(0.3)  # let the final frame settle before screenshots
    return page.locator("#rsa-chat .bot").last


def test_chat_answer_sources_caveat_and_feedback(desktop, server):
    page = desktop
    _, settings = server
    assert page.locator("#rsa-header h1").inner_text().strip() == ui.APP_TITLE
    assert page.locator("#rsa-footer").is_visible()
    answer = ask(page, "How heavy should I lift?")
    assert "[1]" in answer.inner_text()
    source = answer.locator("details.rsa-source").first
    assert source.is_visible()
    assert not source.locator("blockquote").is_visible()  # collapsed until opened
    source.locator("summary").click()
    assert source.locator("blockquote").is_visible() and "“" in source.locator("blockquote").inner_text()
    page.locator("#rsa-chat .user").last.evaluate("e => e.scrollIntoView({block: 'start'})")
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(SHOTS / "chat-desktop-1280.png"))

    answer = ask(page, "Will squats make my marathon faster?")
    caveat = answer.locator(".rsa-caveat")
    assert caveat.is_visible() and "marathon evidence is limited" in caveat.inner_text().lower()
    caveat.scroll_into_view_if_needed()
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(SHOTS / "chat-caveat-desktop-1280.png"))

    # thumbs up on the latest answer -> one line in the feedback log
    answer.hover()
    page.locator("#rsa-chat button[aria-label='Like']").last.click()
    deadline = time.time() + 10
    while time.time() < deadline and not feedback.read(settings.feedback_log):
        time.sleep(0.1)
    records = feedback.read(settings.feedback_log)
    assert len(records) == 1, records
    assert records[0]["vote"] == "up" and records[0]["question"] == "Will squats make my marathon faster?"
    assert records[0]["sources"] and "[1]" in records[0]["answer"] and "<details" not in records[0]["answer"]


def test_example_runs_a_claim_check_in_chat(desktop):
    page = desktop
    page.locator("#rsa-chat button.example", has_text="Check: lifting heavy makes runners bulky").click()
    page.wait_for_selector("#rsa-chat .bot .rsa-extras")
    badge = page.locator("#rsa-chat .bot .rsa-badge").last
    assert badge.is_visible()  # (the chat's sanitizer drops data-* attributes; the class names the verdict)
    assert any(f"rsa-{v}" in badge.get_attribute("class").split() for v in ui.VERDICTS)
    assert "Verdict" in page.locator("#rsa-chat .bot").last.inner_text()


def test_check_a_claim_tab(desktop):
    page = desktop
    page.get_by_role("tab", name="Check a claim").click()
    page.fill("#rsa-claim textarea", "Lifting heavy makes runners bulky")
    page.click("#rsa-check-btn")
    badge = page.wait_for_selector("#rsa-verdict .rsa-badge")
    verdict = badge.get_attribute("data-verdict")
    assert verdict in ui.VERDICTS
    assert f"rsa-{verdict}" in badge.get_attribute("class")
    colour = badge.evaluate("e => getComputedStyle(e).backgroundColor")
    assert colour not in ("rgba(0, 0, 0, 0)", "transparent")
    evidence = page.locator("#rsa-evidence").inner_text()
    assert "Evidence for" in evidence and "Evidence against" in evidence and "[1]" in evidence
    assert page.locator("#rsa-evidence details.rsa-source").count() >= 2
    page.screenshot(path=str(SHOTS / "check-desktop-1280.png"), full_page=True)


def test_evidence_tab_table_search_and_chart(desktop):
    page = desktop
    page.get_by_role("tab", name="Evidence").click()
    page.wait_for_selector("#rsa-chart img")
    rows = "#rsa-table .virtual-body .virtual-row"  # Gradio's table renders the visible rows as div.virtual-row
    page.wait_for_function(f"() => document.querySelectorAll('{rows}').length >= 5")
    page.fill("#rsa-search textarea", "storen 2008")
    page.wait_for_function(f"() => document.querySelectorAll('{rows}').length == 1")
    assert "Støren" in page.locator(rows).first.inner_text()
    page.fill("#rsa-search textarea", "qqqzzz")
    page.wait_for_function(f"() => document.querySelector('{rows}')?.innerText.includes('No sources match')")
    page.fill("#rsa-search textarea", "")
    page.wait_for_function(f"() => document.querySelectorAll('{rows}').length >= 5")
    page.screenshot(path=str(SHOTS / "evidence-desktop-1280.png"), full_page=True)


def test_user_html_is_shown_as_text_not_run(desktop):
    page = desktop
    question = "<script>window.__xss=1</script> <b>bold</b> <img src=x onerror=\"window.__xss=2\"> how heavy should I lift?"
    ask(page, question)
    user = page.locator("#rsa-chat .user").last
    text = user.inner_text()
    assert "<script>window.__xss=1</script>" in text and "<b>bold</b>" in text
    assert user.locator("b, script, img").count() == 0
    assert page.evaluate("typeof window.__xss") == "undefined"


def test_empty_question_shows_an_error(desktop):
    page = desktop
    page.fill("#rsa-input textarea", "   ")
    page.press("#rsa-input textarea", "Enter")
    toast = page.wait_for_selector(".toast-body")
    text = toast.inner_text().lower()
    assert "empty" in text and "traceback" not in text
    assert page.locator("#rsa-chat .user").count() == 0


def test_phone_layout(phone):
    page = phone
    answer = ask(page, "Will squats make my marathon faster?")
    assert answer.locator(".rsa-caveat").is_visible()
    assert answer.locator("details.rsa-source").first.is_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"page scrolls sideways on a phone ({width}px)"
    page.locator("#rsa-chat .user").last.evaluate("e => e.scrollIntoView({block: 'start'})")
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(SHOTS / "chat-phone-390.png"))
    page.screenshot(path=str(SHOTS / "chat-phone-390-full.png"), full_page=True)
    page.get_by_role("tab", name="Check a claim").click()
    page.fill("#rsa-claim textarea", "Strength training prevents running injuries")
    page.click("#rsa-check-btn")
    page.wait_for_selector("#rsa-verdict .rsa-badge")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(SHOTS / "check-phone-390.png"), full_page=True)


# -- the Plan tab ------------------------------------------------------------------
PLAN_TIMEOUT = 30_000  # ms: a plan picks a quote for every element


def open_tab(page, name: str):
    """Click a tab; on a narrow screen Gradio may fold tabs into its overflow menu, so look there too."""
    tab = page.get_by_role("tab", name=name)
    try:
        tab.wait_for(state="visible", timeout=5_000)
    except sync_api.TimeoutError:
        page.locator(".overflow-menu button").first.click()
        page.locator(".overflow-dropdown button", has_text=name).first.click()
        return
    tab.click()


def open_plan_tab(browser, server, viewport):
    ctx, page = open_page(browser, server, viewport)
    page.set_default_timeout(PLAN_TIMEOUT)
    open_tab(page, "Plan")
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


def build_plan(page):
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
        build_plan(page)
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
        build_plan(page)
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
        build_plan(page)
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
        build_plan(page)
        plan = page.locator("#rsa-plan .rsa-plan")
        assert plan.is_visible() and "New to lifting" in plan.inner_text()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"page scrolls sideways on a phone ({width}px)"
        plan.scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / "plan-phone-390.png"))
        page.screenshot(path=str(SHOTS / "plan-phone-390-full.png"), full_page=True)
        tick(page, "rsa-plan-run", set())
        build_plan(page)
        err = page.locator("#rsa-plan-error .rsa-error")
        assert err.is_visible() and "No run days given" in err.inner_text() and "Run days mon,wed,sat" in err.inner_text()
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        err.scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / "plan-error-phone-390.png"))
    finally:
        ctx.close()
