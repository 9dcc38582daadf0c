"""The thresholds of Circular 01/2018 (DOMAIN.md §7) and the Decision 766/QĐ-TTg weights, as dated rows an
administrator can correct or supersede with a later ``valid_from``. Values marked (check) in DOMAIN.md are seeded as
read there."""

from datetime import date
from decimal import Decimal

from django.db import migrations

FROM = date(2018, 1, 1)
RULES = [
    (2, {"early_share_for_2": 1.0, "late_share_for_0": 0.0}, "TT 01/2018/TT-VPCP: trước hạn 2, đúng hạn 1, quá hạn 0"),
    (5, {"full": 0.2, "partial": 0.1}, "TT 01/2018/TT-VPCP (check): tỷ lệ giải quyết tại Bộ phận Một cửa"),
    (8, {"full": 1.0, "partial": 0.9}, "TT 01/2018/TT-VPCP: 100 % đúng hạn 2, từ 90 % 1"),
    (
        9,
        {"procedures_full": 0.2, "dossiers_full": 0.3, "dossiers_partial": 0.15},
        "TT 01/2018/TT-VPCP: ≥ 20 % thủ tục và ≥ 30 % hồ sơ trực tuyến 2; 15–30 % 1",
    ),
]
WEIGHTS = {"publicity": 18, "timeliness": 20, "online": 22, "digitisation": 22, "satisfaction": 18}


def seed(apps, schema_editor):
    IndicatorRule = apps.get_model("ratings", "IndicatorRule")
    IndexWeight = apps.get_model("ratings", "IndexWeight")
    for indicator, params, basis in RULES:
        IndicatorRule.objects.get_or_create(
            indicator=indicator, valid_from=FROM, defaults={"params": params, "basis": basis}
        )
    for component, weight in WEIGHTS.items():
        IndexWeight.objects.get_or_create(
            component=component, valid_from=date(2022, 6, 1), defaults={"weight": Decimal(weight)}
        )


class Migration(migrations.Migration):
    dependencies = [("ratings", "0001_ratings_thresholds_summaries_outbox")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
