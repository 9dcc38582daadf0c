"""The scores of Circular 01/2018 (arts. 12–15) and the Decision 766/QĐ-TTg style index, computed from counts.

Every threshold is read from ``IndicatorRule`` / ``IndexWeight`` rows valid on the day asked (the last day of the
period scored), so a changed regulation is a new row. The bands are the Circular's own.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

from ratings.models import IndexWeight, IndicatorRule

APPLICANT_INDICATORS = (1, 3, 4, 7)
SYSTEM_INDICATORS = (2, 5, 6, 8, 9)
# The indicators an officer is scored on (max 6 points: the officer bands ≥ 5 and 3.5 are out of 6). (check)
OFFICER_INDICATORS = (1, 2, 7)

AGENCY_BANDS = (
    (Decimal(15), _("Xuất sắc")),
    (Decimal(12), _("Tốt")),
    (Decimal(9), _("Khá")),
    (Decimal(6), _("Trung bình")),
    (Decimal(0), _("Yếu")),
)
OFFICER_BANDS = (
    (Decimal(5), _("Hoàn thành 100% nhiệm vụ")),
    (Decimal("3.5"), _("Hoàn thành từ 70% đến dưới 100% nhiệm vụ")),
    (Decimal(0), _("Hoàn thành dưới 70% nhiệm vụ")),
)

ONE = Decimal("0.1")


def one_decimal(value) -> Decimal:
    return Decimal(value).quantize(ONE, rounding=ROUND_HALF_UP)


def average(total: int, count: int) -> Decimal | None:
    """``total / count`` to one decimal (half up), None without data."""
    if not count:
        return None
    return (Decimal(total) / Decimal(count)).quantize(ONE, rounding=ROUND_HALF_UP)


def band(total: Decimal, bands) -> str:
    return next(str(label) for floor, label in bands if total >= floor)


class Rules:
    """The thresholds and weights valid on ``on``, read once."""

    def __init__(self, on: date):
        self.on = on
        self.params: dict[int, dict] = {}
        for rule in IndicatorRule.objects.filter(valid_from__lte=on).order_by("indicator", "valid_from"):
            self.params[rule.indicator] = rule.params  # the latest valid one wins
        self.weights: dict[str, Decimal] = {}
        for weight in IndexWeight.objects.filter(valid_from__lte=on).order_by("component", "valid_from"):
            self.weights[weight.component] = weight.weight

    def of(self, indicator: int) -> dict:
        try:
            return self.params[indicator]
        except KeyError:
            raise LookupError(f"No rule for indicator {indicator} valid on {self.on}") from None


def share(part: int, whole: int) -> Decimal | None:
    return None if not whole else Decimal(part) / Decimal(whole)


def score_each_unit_time(*, early: int, on_time: int, late: int, params: dict) -> int | None:
    """Indicator 2 for one dossier, from its steps' outcomes: 2 when the share of early steps reaches
    ``early_share_for_2``, 0 when the share of late steps exceeds ``late_share_for_0``, else 1; None without steps
    that had a deadline."""
    steps = early + on_time + late
    if not steps:
        return None
    if Decimal(late) / steps > Decimal(str(params["late_share_for_0"])):
        return 0
    if Decimal(early) / steps >= Decimal(str(params["early_share_for_2"])):
        return 2
    return 1


def score_publication(*, active: bool, decision_number: str, parse_problems: list) -> int:
    """Indicator 6 for one dossier's procedure: published in full (in force, with its publishing decision and every
    part of it read) 2, published in part 1, not published (no longer in force in the catalogue) 0."""
    if not active:
        return 0
    return 2 if decision_number.strip() and not parse_problems else 1


def score_by_share(value: Decimal | None, params: dict) -> int | None:
    """Indicators 5 and 8: 2 from ``full``, 1 from ``partial``, else 0; None without data."""
    if value is None:
        return None
    if value >= Decimal(str(params["full"])):
        return 2
    return 1 if value >= Decimal(str(params["partial"])) else 0


def score_online_progress(
    *, procedures_share: Decimal | None, dossiers_share: Decimal | None, params: dict
) -> int | None:
    """Indicator 9: 2 when the share of online procedures reaches ``procedures_full`` and the share of online
    dossiers ``dossiers_full``; 1 when the share of online dossiers reaches ``dossiers_partial``; else 0."""
    if procedures_share is None or dossiers_share is None:
        return None
    if procedures_share >= Decimal(str(params["procedures_full"])) and dossiers_share >= Decimal(
        str(params["dossiers_full"])
    ):
        return 2
    return 1 if dossiers_share >= Decimal(str(params["dossiers_partial"])) else 0


@dataclass
class Evaluation:
    """The score of one agency, commune, field or officer in a period."""

    key: int
    rated: int
    indicators: dict[int, Decimal] = field(default_factory=dict)  # only those with data
    total: Decimal = Decimal(0)
    band: str = ""
    enough: bool = False
    index: dict[str, Decimal] = field(default_factory=dict)  # Decision 766 groups, points
    index_total: Decimal | None = None
    name: str = ""


def evaluate(summary, facts, rules: Rules, *, minimum: int, officer: bool = False) -> Evaluation:
    """Score a ``RatingSummary`` (and the agency's ``AgencyPeriodFacts``, or None) under ``rules``."""
    rated = summary.rated
    result = Evaluation(key=summary.key, rated=rated, enough=rated >= minimum)
    values = {
        1: average(summary.s1, rated),
        2: average(summary.s2, summary.n2),
        3: average(summary.s3, rated),
        4: average(summary.s4, rated),
        6: average(summary.s6, rated),
        7: average(summary.s7, rated),
    }
    if not officer:
        values[5] = score_by_share(share(summary.one_stop, rated), rules.of(5))
        procedures_share = share(facts.procedures_online, facts.procedures) if facts else None
        feedback_share = share(facts.feedback_on_time, facts.feedback_answered) if facts else None
        values[8] = score_by_share(feedback_share, rules.of(8))
        values[9] = score_online_progress(
            procedures_share=procedures_share, dossiers_share=share(summary.online, rated), params=rules.of(9)
        )
    wanted = OFFICER_INDICATORS if officer else range(1, 10)
    result.indicators = {n: one_decimal(values[n]) for n in wanted if values.get(n) is not None}
    result.total = sum(result.indicators.values(), Decimal(0))
    result.band = band(result.total, OFFICER_BANDS if officer else AGENCY_BANDS)
    if not officer and rated:
        result.index = service_index(summary, facts, result.indicators, rules)
        result.index_total = sum(result.index.values(), Decimal(0)).quantize(ONE, rounding=ROUND_HALF_UP)
    return result


def service_index(summary, facts, indicators: dict[int, Decimal], rules: Rules) -> dict[str, Decimal]:
    """The Decision 766 style groups in points: each group's weight times a share in [0, 1]. Publicity: the
    procedure publication score (6) out of 2; timeliness: dossiers returned by their due date; online services: the
    mean of online dossiers and online procedures (online payment is not recorded by the portal yet, so it is not
    part of it); digitisation: dossiers with an electronic result; satisfaction: the applicant's four answers out of
    2. A group without data is left out."""
    rated = summary.rated
    satisfaction = sum(indicators.get(n, Decimal(0)) for n in APPLICANT_INDICATORS) / (
        2 * len(APPLICANT_INDICATORS)
    )
    online = [share(summary.online, rated)]
    if facts and facts.procedures:
        online.append(share(facts.procedures_online, facts.procedures))
    shares = {
        IndexWeight.Component.PUBLICITY: indicators[6] / 2 if 6 in indicators else None,
        IndexWeight.Component.TIMELINESS: share(summary.on_time, rated),
        IndexWeight.Component.ONLINE: sum(online, Decimal(0)) / len(online),
        IndexWeight.Component.DIGITISATION: share(summary.digitised, rated),
        IndexWeight.Component.SATISFACTION: satisfaction,
    }
    return {
        component: (rules.weights[component] * value).quantize(ONE, rounding=ROUND_HALF_UP)
        for component, value in shares.items()
        if value is not None and component in rules.weights
    }
