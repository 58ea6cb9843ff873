"""The browser page as a user sees it: ``alliance-sim viz`` in a subprocess, Debian's chromium.

Playwright drives the system's chromium (``/usr/bin/chromium``; no browser is ever downloaded).
The test presses Step, checks that both variants' pictures hold drawn data in their colours (not
just that a counter moved), that both stepped, that a lever reaches B only, that a second session
has its own model, and that the server listens on loopback only; it saves the screenshot used in
the README (``docs/img/viz.png``).
"""

from __future__ import annotations

import io
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("solara", reason="the viz extra is not installed (pip install -e '.[viz]')")
playwright = pytest.importorskip("playwright.sync_api", reason="pip install playwright")

from PIL import Image  # noqa: E402

from analysis.style import ROLE_STYLE, variant_colors  # noqa: E402

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOT = ROOT / "docs" / "img" / "viz.png"
VARIANTS = ("baseline", "qualified_majority")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def outward_address() -> str | None:
    """The address of this machine on its default route (no packet is sent), or None."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("10.255.255.255", 1))
            address = s.getsockname()[0]
        except OSError:
            return None
    return None if address.startswith("127.") else address


@pytest.fixture(scope="module")
def server():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"chromium not found at {CHROMIUM} (apt-get install -y chromium)")
    port = free_port()
    proc = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "alliance-sim"),
            "viz",
            "scenarios/nato_2024.yaml",
            "--variants",
            ",".join(VARIANTS),
            "--seed",
            "7",
            "--port",
            str(port),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "MPLBACKEND": "Agg"},
    )
    url = None
    deadline = time.time() + 600  # the first start fetches the front-end files
    lines = []
    while time.time() < deadline and url is None:
        line = proc.stdout.readline()
        if not line:
            break
        lines.append(line)
        match = re.search(r"open (http://\S+)", line)
        url = match.group(1) if match else None
    assert url, "".join(lines)
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.5)
    yield url, port
    proc.send_signal(signal.SIGINT)  # Ctrl-C
    try:
        rest, _ = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        raise
    assert proc.returncode == 0, rest
    assert "stopped" in rest


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()


def open_page(browser, url):
    page = browser.new_context(viewport={"width": 1500, "height": 1900}).new_page()
    page.goto(url)
    page.wait_for_selector("img.alliance-network-img-A", timeout=180_000)
    return page


def steps_of(page) -> str:
    return page.inner_text(".alliance-steps")


def step(page, times: int) -> None:
    for _ in range(times):
        before = steps_of(page)
        page.get_by_role("button", name="Step").click()
        page.wait_for_function(
            "b => document.querySelector('.alliance-steps').innerText !== b",
            arg=before,
            timeout=60_000,
        )


def pixels_near(png: bytes, hex_color: str, tol: int = 40) -> int:
    rgb = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)
    target = np.array([int(hex_color[k : k + 2], 16) for k in (1, 3, 5)])
    return int((np.abs(rgb - target).sum(axis=-1) < tol).sum())


def metric(page, name: str) -> tuple[float, float, float]:
    row = page.locator(".alliance-metrics-table tr", has_text=re.compile(rf"^\s*{re.escape(name)}"))
    return tuple(float(x) for x in row.first.locator("td").all_inner_texts())


def test_page_steps_both_variants_and_draws_them(server, browser):
    url, _ = server
    page = open_page(browser, url)
    colors = variant_colors(VARIANTS)
    assert "Step 0 (A) / 0 (B)" in steps_of(page)
    series_before = page.locator("img.alliance-timeseries-img").screenshot()
    step(page, 10)
    assert "Step 10 (A) / 10 (B)" in steps_of(page)
    for label, name in zip("AB", VARIANTS, strict=True):
        img = page.locator(f"img.alliance-network-img-{label}")
        shot = img.screenshot()
        # nodes drawn: member blue and partner green in the picture, and the title in the
        # variant's colour says which variant and step it shows
        assert pixels_near(shot, ROLE_STYLE["member"][0]) > 300, label
        assert pixels_near(shot, ROLE_STYLE["partner"][0]) > 100, label
        assert pixels_near(shot, colors[name]) > 100, label
    series = page.locator("img.alliance-timeseries-img").screenshot()
    for name in VARIANTS:  # both lines drawn (they part from step 5 with this seed)
        assert pixels_near(series, colors[name]) > pixels_near(series_before, colors[name]) + 20

    cohesion = metric(page, "cohesion")
    assert 0 < cohesion[0] <= 1 and 0 < cohesion[1] <= 1
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=True)
    page.context.close()


def test_a_lever_reaches_b_only_and_sessions_are_separate(server, browser):
    url, _ = server
    page = open_page(browser, url)
    other = open_page(browser, url)
    page.locator(".alliance-lever-exercises\\.enabled input").click(force=True)
    page.wait_for_function(
        "() => document.querySelector('.alliance-levers-applied').innerText.includes('Reset')"
    )
    page.get_by_role("button", name="Reset").click()
    page.wait_for_function(
        "() => document.querySelector('.alliance-levers-applied').innerText"
        ".includes('exercises.enabled=False')"
    )
    step(page, 6)
    a, b, diff = metric(page, "exercises (total)")
    assert a > 0 and b == 0 and diff == -a
    # the other session has its own model: still at step 0, no lever applied
    assert "Step 0 (A) / 0 (B)" in steps_of(other)
    assert "its variant as written" in other.inner_text(".alliance-levers-applied")
    step(other, 1)
    assert "Step 1 (A) / 1 (B)" in steps_of(other)
    assert "Step 6 (A) / 6 (B)" in steps_of(page)
    page.context.close()
    other.context.close()


def test_server_listens_on_loopback_only(server):
    _, port = server
    address = outward_address()
    if address is None:
        pytest.skip("this machine has no non-loopback address to try")
    with pytest.raises(OSError), socket.create_connection((address, port), timeout=3):
        pass
