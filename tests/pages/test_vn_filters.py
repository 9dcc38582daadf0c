"""Money and durations as each language writes them."""

from decimal import Decimal

import pytest
from django.utils import translation

from portal.pages.templatetags.vn import duration, vnd


@pytest.mark.parametrize(
    ("value", "unit", "vietnamese", "english"),
    [
        (Decimal("1"), "working_day", "1 ngày làm việc", "1 working day"),
        (Decimal("1.5"), "working_day", "1,5 ngày làm việc", "1.5 working days"),
        (Decimal("20"), "working_day", "20 ngày làm việc", "20 working days"),
        (Decimal("1"), "month", "1 tháng", "1 month"),
        (Decimal("4"), "hour", "4 giờ", "4 hours"),
        (Decimal("1"), "", "1", "1"),
    ],
)
def test_a_duration_reads_in_the_pages_language_with_the_right_number(value, unit, vietnamese, english):
    with translation.override("vi"):
        assert duration(value, unit) == vietnamese
    with translation.override("en"):
        assert duration(value, unit) == english


def test_money_uses_each_languages_separators():
    with translation.override("vi"):
        assert vnd(1500000) == "1.500.000 đ"
    with translation.override("en"):
        assert vnd(1500000) == "1,500,000 VND"
