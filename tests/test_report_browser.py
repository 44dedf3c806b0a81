"""The HTML report in a real headless Chromium (Debian's package, driven by Playwright, which
downloads no browser here), on a desktop screen (1280 px) and a phone (420 px): no console
errors, no request but the file itself, every chart drawn with its labels, its text at least
10 px as shown; and a full-page screenshot per width in reports/ for people to look at.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from test_report import city_warehouse

from flows.core.config import ROOT
from flows.present.report import write_report

pytestmark = pytest.mark.browser

SCREENSHOTS = ROOT / "reports"
# A desktop browser and a phone; the report draws each chart wide and narrow (charts.SIZES).
WIDTHS = (1280, 420)
# The smallest chart text a reader should have to read, in CSS pixels as shown on the screen.
MIN_TEXT_PX = 10.0
# The Debian package; Playwright's own browser downloads are never used.
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
# Three Hải Phòng charts (industries, January-to-month by publisher, exports against the plan),
# three national ones and two for the revisions of the national IIP.
CHARTS = 8
# For every chart shown (the other drawing of each is display: none): its title, the texts of its
# axis labels and source line, how many marks (paths, rects, dots) it has, how many show on
# screen and how many have an area (a flat line has none), and the size its smallest text is
# drawn at: the computed font size times the SVG's scale on the screen.
MEASURE = """() => [...document.querySelectorAll('svg.chart')].filter(
    svg => svg.getBoundingClientRect().width > 0).map(svg => ({
    kind: svg.classList.contains('narrow') ? 'narrow' : 'wide',
    title: svg.querySelector('text.title').textContent,
    axes: [...svg.querySelectorAll('text.axis-label')].map(t => t.textContent),
    source: [...svg.querySelectorAll('text.source')].map(t => t.textContent).join(' '),
    periods: svg.querySelectorAll('text.period').length,
    marks: svg.querySelectorAll('.mark').length,
    seen: [...svg.querySelectorAll('.mark')].filter(m => {
        const box = m.getBBox(); return box.width > 0 || box.height > 0; }).length,
    areas: [...svg.querySelectorAll('.mark')].filter(m => {
        const box = m.getBBox(); return box.width > 0 && box.height > 0; }).length,
    smallest_text: Math.min(...[...svg.querySelectorAll('text')].map(t =>
        parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a)),
    fits: svg.getBoundingClientRect().right <= document.documentElement.clientWidth,
    overlapping: ['tick', 'period', 'legend'].flatMap(cls => {
        const boxes = [...svg.querySelectorAll('text.' + cls)].map(t => t.getBoundingClientRect());
        return boxes.flatMap((a, i) => boxes.slice(i + 1).filter(b => a.left < b.right - 1
            && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1)
            .map(() => cls));
    }),
}))"""


@pytest.fixture(scope="module")
def report(bundled_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("browser")
    return write_report(folder / "report.html", warehouse=city_warehouse(bundled_warehouse,
                                                                           folder))


@pytest.fixture(scope="module")
def chromium() -> Any:
    if not Path(CHROMIUM).is_file():
        pytest.fail(f"Chromium is not installed ({CHROMIUM} is missing): run .ci/run, which "
                    "installs it, or `apt-get install chromium`", pytrace=False)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("Playwright is not installed: pip install -e '.[dev]' (playwright==1.65.2)",
                    pytrace=False)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_report_in_a_browser(report: Path, chromium: Any, width: int) -> None:
    page = chromium.new_page(viewport={"width": width, "height": 800})
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda message: errors.append(message.text)
            if message.type in ("error", "warning") else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(report.as_uri(), wait_until="load")

    assert errors == []
    assert requests == [report.as_uri()]
    # Vietnamese labels as drawn, diacritics intact (a narrow chart wraps them on two lines)
    text = " ".join(page.inner_text("body").split())
    assert "Sản xuất xe có động cơ" in text and "Đóng tàu và cấu kiện nổi" in text
    charts = page.evaluate(MEASURE)
    assert len(charts) == CHARTS, [c["title"] for c in charts]
    assert {c["kind"] for c in charts} == {"wide" if width > 800 else "narrow"}
    for chart in charts:
        assert chart["areas"] > 0 and chart["seen"] == chart["marks"], chart
        assert len(chart["axes"]) == 2 and all(text.strip() for text in chart["axes"]), chart
        assert chart["source"].startswith("Source: "), chart
        assert "as published on 20" in chart["source"] + chart["title"], chart
        assert chart["smallest_text"] >= MIN_TEXT_PX, (chart["title"], chart["smallest_text"])
        assert chart["fits"], chart["title"]  # no chart wider than the screen
        assert chart["overlapping"] == [], chart["title"]  # labels never run into each other
    line_charts = [c for c in charts if c["periods"]]
    assert len(line_charts) == 6  # all but the two horizontal bar charts label periods

    SCREENSHOTS.mkdir(exist_ok=True)
    shot = SCREENSHOTS / f"report-{width}.png"
    page.screenshot(path=str(shot), full_page=True)
    print(f"\nscreenshot of the report at {width} px: {shot.relative_to(ROOT)}, smallest chart "
          f"text {min(c['smallest_text'] for c in charts):.1f} px")
    page.close()
