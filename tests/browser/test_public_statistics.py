"""The public statistics in Chromium: the overview, a drill-down, the commune map and a procedure page with its
figures pass axe (WCAG 2.1 A/AA), do not scroll sideways at 320 px, and the chart's table matches the chart (each
month's bar carries the same counts as its row). Screenshots at 1280 and 320 px go to var/screens/.

Every test here must stay ``django_db`` and non-transactional: see the docstring of ``conftest.py``.
"""

from pathlib import Path

import pytest

from dossiers.models import Dossier
from loadtest.generator import generate_dossiers
from portal.catalog.models import Procedure
from public_statistics.rebuild import statistics_rebuild

pytestmark = [pytest.mark.browser, pytest.mark.django_db]
SCREENS = Path(__file__).resolve().parents[2] / "var" / "screens"


@pytest.fixture
def history(settings):
    settings.PORTAL_STATISTICS_CACHE_SECONDS = 0
    generate_dossiers(count=120, seed=9)
    statistics_rebuild()


def _look(page, name: str, axe_check) -> None:
    axe_check(page)
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=str(SCREENS / f"statistics-{name}-1280.png"), full_page=True)
    page.set_viewport_size({"width": 320, "height": 800})
    page.screenshot(path=str(SCREENS / f"statistics-{name}-320.png"), full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"{page.url} scrolls sideways at 320 px (scrollWidth {width})"


def test_the_overview_map_and_drill_down_pass_axe_and_the_chart_matches_its_table(page, axe_check, history):
    page.goto("/thong-ke/")
    titles = page.locator("svg.chart g > title").all_text_contents()
    rows = page.locator("#trend-table tbody tr").all()
    assert titles and len(titles) == len(rows)
    for title, row in zip(titles, rows, strict=True):
        cells = row.locator("th, td").all_text_contents()
        month, received, resolved = cells[0], cells[1], cells[3]
        assert title == f"{month}: tiếp nhận {received}, giải quyết {resolved}"
    _look(page, "overview", axe_check)

    page.goto("/thong-ke/ban-do/")
    assert page.locator("svg.map path").count() == 102
    _look(page, "map", axe_check)
    page.locator("svg.map a").first.click()
    assert "xa=" in page.url

    page.goto("/thong-ke/theo/linh-vuc/?sap-xep=ten")
    _look(page, "by-field", axe_check)


def test_a_procedure_page_with_its_figures_passes_axe(page, axe_check, history):
    procedure_id = (
        Dossier.objects.filter(state=Dossier.State.RETURNED).values_list("procedure_id", flat=True).first()
    )
    page.goto(f"/thu-tuc/{Procedure.objects.get(pk=procedure_id).code}/")
    assert page.get_by_role("heading", name="Tình hình giải quyết").is_visible()
    _look(page, "procedure", axe_check)
