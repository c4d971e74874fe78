"""Browser tests of `gov-lint serve`: Playwright for Python driving Debian's Chromium.

The server runs in a thread on a free loopback port; the browser uploads a broken
example and the tests look at what a person would see: the highlighted cell, its
message, and the layout at a phone width (390×844) and a desktop width (1366×900).

Skipped, with the reason, when /usr/bin/chromium (or $GOV_LINT_CHROMIUM) is missing
or the playwright package is not installed; `playwright install` is never needed.
With GOV_LINT_SCREENSHOTS=1 the phone and desktop views are saved to docs/images/.
"""

from __future__ import annotations

import os
import random
import shutil
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("GOV_LINT_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SCREENSHOTS = os.environ.get("GOV_LINT_SCREENSHOTS") == "1"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}

if not Path(CHROMIUM).exists():
    pytest.skip(
        f"Chromium not found at {CHROMIUM}: install Debian's browser (apt-get install -y chromium) "
        "or set GOV_LINT_CHROMIUM; browser tests skipped",
        allow_module_level=True,
    )
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install playwright)")
uvicorn = pytest.importorskip("uvicorn", reason="uvicorn (web extra) is not installed")
pytest.importorskip("starlette", reason="starlette (web extra) is not installed")
if __import__("importlib").util.find_spec("gov_lint.check") is None:
    pytest.skip("gov_lint.check is not in the tree yet", allow_module_level=True)

from gov_lint import web  # noqa: E402


# --------------------------------------------------------------------------- fixtures


def broken_report(tmp_dir: Path) -> Path:
    """examples/2021/errors.docx, or a generated report with one wrong number."""
    example = ROOT / "examples" / "2021" / "errors.docx"
    if example.exists():
        return example
    from gov_lint.synth import generate, mutate, write_docx

    bad, _ = mutate(generate("2021", random.Random(2021)), random.Random(7))
    path = tmp_dir / "broken.docx"
    path.write_bytes(write_docx(bad))
    return path


@pytest.fixture(scope="module")
def server():
    config = uvicorn.Config(web.create_app(), host="127.0.0.1", port=0, log_level="warning", access_log=False)
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail("the test server did not start")
        time.sleep(0.05)
    host, port = srv.servers[0].sockets[0].getsockname()[:2]
    assert host == "127.0.0.1"
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def broken(tmp_path_factory):
    return broken_report(tmp_path_factory.mktemp("upload"))


@pytest.fixture(scope="module")
def expected(broken):
    """The findings the server's checker gives for the broken file (cell findings only)."""
    result = web.default_checker(broken.name, broken.read_bytes(), "zh")
    cells = [f for f in result.findings if f.table and f.row and f.column and f.severity == "error"]
    assert cells, "the broken example has no cell errors"
    return cells


def upload(page, base: str, path: Path) -> None:
    page.goto(base + "/")
    page.set_input_files("#file", str(path))
    with page.expect_navigation():
        page.click("button[type=submit]")


def overflow(page) -> dict:
    return page.evaluate(
        """() => ({page: document.documentElement.scrollWidth, view: window.innerWidth,
                  body: document.body.scrollWidth})"""
    )


# --------------------------------------------------------------------------- tests


def test_upload_shows_highlighted_cell_and_message(server, browser, broken, expected):
    page = browser.new_page(viewport=DESKTOP)
    upload(page, server, broken)
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    first = expected[0]
    cells = page.locator("td.hit.sev-error")
    assert cells.count() >= 1
    # the finding's cell: highlighted, showing what was printed, scrolled into view
    cell = cells.filter(has_text=first.stated) if first.stated else cells.filter(has_text="空白")
    target = cell.first
    target.scroll_into_view_if_needed()
    sync_api.expect(target).to_be_visible()
    sync_api.expect(target.locator(".mk-error")).to_be_visible()
    # clicking the cell jumps to its finding, whose message is shown
    target.locator("a.go").click()
    fid = page.evaluate("location.hash").lstrip("#")
    finding = page.locator(f"li#{fid}")
    sync_api.expect(finding).to_be_visible()
    sync_api.expect(finding).to_be_in_viewport()
    message = finding.locator(".msg").inner_text()
    assert message in [f.text() for f in expected]
    assert finding.locator(".badge").inner_text().endswith("错误")
    # and back to the cell
    finding.locator("a.back").click()
    back_id = page.evaluate("location.hash").lstrip("#")
    sync_api.expect(page.locator(f"#{back_id}")).to_be_in_viewport()
    assert "hit" in page.locator(f"#{back_id}").get_attribute("class")
    # every error about a cell has its message in the page
    text = page.locator(".flist").inner_text()
    for f in expected:
        assert f.text() in text
    if SCREENSHOTS:
        # the bottom of the section-三 table (（七）总计), the section-四 table and the first findings
        page.locator(".t3 td.hit.sev-error").last.evaluate("e => e.scrollIntoView({block: 'center'})")
        page.screenshot(path=str(ROOT / "docs" / "images" / "web-desktop.png"))
    page.close()


def test_desktop_layout(server, browser, broken):
    page = browser.new_page(viewport=DESKTOP)
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(server + "/")
    o = overflow(page)
    assert o["page"] <= o["view"], o
    upload(page, server, broken)
    o = overflow(page)
    assert o["page"] <= o["view"], o
    # at desktop width the section-三 table is fully visible in its container
    box = page.locator(".t3").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= DESKTOP["width"]
    # the pages load nothing but themselves: no CDN, fonts or images
    assert set(requests) == {server + "/", server + "/check"}, requests
    page.close()


def test_phone_layout(server, browser, broken):
    page = browser.new_page(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    page.goto(server + "/")
    o = overflow(page)
    assert o["page"] <= o["view"], f"the upload page overflows at phone width: {o}"
    sync_api.expect(page.locator(".drop")).to_be_visible()
    upload(page, server, broken)
    o = overflow(page)
    assert o["page"] <= o["view"], f"the report page overflows at phone width: {o}"
    # the wide section-三 table scrolls inside its own container, which fits the screen
    wrap = page.locator("div.scroll").nth(1)
    dims = wrap.evaluate("e => ({sw: e.scrollWidth, cw: e.clientWidth, right: e.getBoundingClientRect().right})")
    assert dims["sw"] > dims["cw"], dims
    assert dims["right"] <= PHONE["width"], dims
    # the findings reflow: no finding is wider than the screen
    widths = page.locator("li.finding").evaluate_all("els => els.map(e => e.getBoundingClientRect().right)")
    assert widths and max(widths) <= PHONE["width"]
    # a highlighted cell can be reached by scrolling the table's container
    cell = page.locator("td.hit.sev-error").first
    cell.scroll_into_view_if_needed()
    sync_api.expect(cell).to_be_in_viewport()
    if SCREENSHOTS:
        # the section-三 table in its own box, at a wrong cell of （七）总计
        page.locator(".t3 td.hit.sev-error").last.evaluate("e => e.scrollIntoView({block: 'center', inline: 'nearest'})")
        page.locator(".t3").evaluate("e => { e.parentElement.scrollLeft = 0; }")
        page.screenshot(path=str(ROOT / "docs" / "images" / "web-phone.png"))
    page.close()


def test_dropped_file_is_checked(server, browser, broken):
    page = browser.new_page(viewport=DESKTOP)
    page.goto(server + "/")
    data = list(broken.read_bytes())
    dt = page.evaluate_handle(
        """([name, bytes]) => { const dt = new DataTransfer();
             dt.items.add(new File([new Uint8Array(bytes)], name)); return dt; }""",
        [broken.name, data],
    )
    page.dispatch_event("#drop", "drop", {"dataTransfer": dt})
    sync_api.expect(page.locator("#chosen")).to_contain_text(broken.name)
    with page.expect_navigation():
        page.click("button[type=submit]")
    sync_api.expect(page.locator("td.hit.sev-error").first).to_be_attached()
    assert broken.name in page.locator("h2 .path").first.inner_text()
    page.close()


def test_pasted_text_in_english(server, browser):
    src = ROOT / "examples" / "2019" / "errors.txt"
    if not src.exists():
        pytest.skip("examples/2019/errors.txt missing")
    page = browser.new_page(viewport=DESKTOP)
    page.goto(server + "/")
    page.click("text=English")
    assert page.locator("html").get_attribute("lang") == "en"
    page.fill("#text", src.read_text(encoding="utf-8"))
    with page.expect_navigation():
        page.click("button[type=submit]")
    assert page.locator("html").get_attribute("lang") == "en"
    sync_api.expect(page.get_by_role("heading", name="Findings")).to_be_visible()
    sync_api.expect(page.locator("td.hit.sev-error").first).to_be_attached()
    page.close()


def test_report_scripts_related_cells_and_filter(server, browser, broken):
    page = browser.new_page(viewport=DESKTOP)
    upload(page, server, broken)
    # opening a finding with related cells outlines those cells in the table
    with_related = page.locator("li.finding[data-related]").first
    fid = with_related.get_attribute("id")
    related = with_related.get_attribute("data-related").split()
    page.evaluate(f"location.hash = '#{fid}'")
    page.wait_for_function("n => document.querySelectorAll('.hl-rel').length === n", arg=len(related))
    assert sorted(page.locator(".hl-rel").evaluate_all("els => els.map(e => e.id)")) == sorted(related)
    # the severity filter hides and shows the findings of one severity
    errors = page.locator("li.finding.sev-error")
    n = errors.count()
    page.locator(".filter input[value=error]").uncheck()
    assert page.locator("li.finding.sev-error.is-hidden").count() == n
    sync_api.expect(errors.first).to_be_hidden()
    sync_api.expect(page.locator("li.finding.sev-warning").first).to_be_visible()
    page.locator(".filter input[value=error]").check()
    sync_api.expect(errors.first).to_be_visible()
    page.close()
