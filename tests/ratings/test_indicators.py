"""Each indicator's computation at its thresholds, the bands, and the rules read as dated data."""

from datetime import date
from decimal import Decimal

import pytest

from ratings import indicators as ind
from ratings.models import IndexWeight, IndicatorRule, RatingSummary

pytestmark = pytest.mark.django_db


def rules(on=date(2026, 12, 31)):
    return ind.Rules(on)


def test_the_seeded_thresholds_are_the_circulars():
    r = rules()
    assert r.of(8) == {"full": 1.0, "partial": 0.9}
    assert r.of(9) == {"procedures_full": 0.2, "dossiers_full": 0.3, "dossiers_partial": 0.15}
    assert sum(r.weights.values()) == Decimal(100)


def test_a_later_rule_replaces_the_earlier_one_from_its_date_only():
    IndicatorRule.objects.create(
        indicator=8, valid_from=date(2027, 1, 1), params={"full": 0.95, "partial": 0.8}
    )
    assert rules(date(2026, 12, 31)).of(8)["full"] == 1.0
    assert rules(date(2027, 3, 31)).of(8)["full"] == 0.95


@pytest.mark.parametrize(
    ("early", "on_time", "late", "score"),
    [(3, 0, 0, 2), (2, 1, 0, 1), (0, 3, 0, 1), (2, 0, 1, 0), (0, 0, 0, None)],
)
def test_indicator_2_each_units_time(early, on_time, late, score):
    assert ind.score_each_unit_time(early=early, on_time=on_time, late=late, params=rules().of(2)) == score


@pytest.mark.parametrize(
    ("active", "decision", "problems", "score"),
    [(True, "QĐ 1/2024", [], 2), (True, "", [], 1), (True, "QĐ 1", ["steps"], 1), (False, "QĐ 1", [], 0)],
)
def test_indicator_6_publication(active, decision, problems, score):
    assert ind.score_publication(active=active, decision_number=decision, parse_problems=problems) == score


@pytest.mark.parametrize(
    ("on_time", "answered", "score"),
    [(10, 10, 2), (99, 100, 1), (9, 10, 1), (89, 100, 0), (0, 0, None)],
)
def test_indicator_8_feedback_answered_on_time_at_100_and_90_percent(on_time, answered, score):
    assert ind.score_by_share(ind.share(on_time, answered), rules().of(8)) == score


@pytest.mark.parametrize(
    ("one_stop", "rated", "score"), [(20, 100, 2), (19, 100, 1), (10, 100, 1), (9, 100, 0)]
)
def test_indicator_5_share_handled_at_the_one_stop_unit(one_stop, rated, score):
    assert ind.score_by_share(ind.share(one_stop, rated), rules().of(5)) == score


@pytest.mark.parametrize(
    ("procedures", "dossiers", "score"),
    [
        (("20", "30"), None, 2),
        (("19.9", "30"), None, 1),
        (("20", "29.9"), None, 1),
        (("50", "15"), None, 1),
        (("50", "14.9"), None, 0),
    ],
)
def test_indicator_9_online_progress_at_20_30_and_15_percent(procedures, dossiers, score):
    p, d = (Decimal(v) / 100 for v in procedures)
    assert ind.score_online_progress(procedures_share=p, dossiers_share=d, params=rules().of(9)) == score
    assert ind.score_online_progress(procedures_share=None, dossiers_share=d, params=rules().of(9)) is None


@pytest.mark.parametrize(
    ("total", "band"),
    [
        ("15", "Xuất sắc"),
        ("14.9", "Tốt"),
        ("12", "Tốt"),
        ("11.9", "Khá"),
        ("9", "Khá"),
        ("8.9", "Trung bình"),
        ("6", "Trung bình"),
        ("5.9", "Yếu"),
    ],
)
def test_agency_bands(total, band):
    assert ind.band(Decimal(total), ind.AGENCY_BANDS) == band


@pytest.mark.parametrize(
    ("total", "start"),
    [
        ("5", "Hoàn thành 100%"),
        ("4.9", "Hoàn thành từ 70%"),
        ("3.5", "Hoàn thành từ 70%"),
        ("3.4", "Hoàn thành dưới 70%"),
    ],
)
def test_officer_bands(total, start):
    assert ind.band(Decimal(total), ind.OFFICER_BANDS).startswith(start)


def test_averages_are_rounded_to_one_decimal_half_up_and_indicators_without_data_left_out():
    summary = RatingSummary(
        scope="agency",
        key=1,
        year=2026,
        quarter=0,
        rated=3,
        s1=5,
        s3=4,
        s4=6,
        s7=6,
        s2=0,
        n2=0,
        s6=6,
        on_time=3,
        online=1,
        digitised=0,
        one_stop=0,
    )
    evaluation = ind.evaluate(summary, None, rules(), minimum=3)
    # 5/3 = 1.666… → 1.7; 4/3 → 1.3; indicator 2 has no step with a deadline, 8 and 9 no agency facts.
    assert evaluation.indicators == {
        1: Decimal("1.7"),
        3: Decimal("1.3"),
        4: Decimal("2.0"),
        5: 0,
        6: Decimal("2.0"),
        7: Decimal("2.0"),
    }
    assert evaluation.total == Decimal("9.0") and evaluation.band == "Khá" and evaluation.enough
    assert ind.evaluate(summary, None, rules(), minimum=4).enough is False


def test_the_service_index_is_the_weighted_groups_out_of_100():
    summary = RatingSummary(
        scope="agency",
        key=1,
        year=2026,
        quarter=0,
        rated=4,
        s1=8,
        s3=8,
        s4=8,
        s7=8,
        s2=8,
        n2=4,
        s6=8,
        on_time=4,
        online=4,
        digitised=4,
        one_stop=4,
    )
    evaluation = ind.evaluate(summary, None, rules(), minimum=1)
    assert evaluation.index_total == Decimal("100.0")
    summary.on_time, summary.digitised = 2, 0
    evaluation = ind.evaluate(summary, None, rules(), minimum=1)
    assert evaluation.index[IndexWeight.Component.TIMELINESS] == Decimal("10.0")
    assert evaluation.index[IndexWeight.Component.DIGITISATION] == Decimal("0.0")
    assert evaluation.index_total == Decimal("68.0")
