"""The ranking table's rows as HTML, written in Python: a hundred-odd rows of fifteen cells cost the template engine
(and its per-number localisation) far more than the figures themselves. Every value is escaped by ``format_html``."""

from django.utils import formats
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from ratings.models import IndexWeight

DASH = "–"


def number_formatter():
    separator = formats.get_format("DECIMAL_SEPARATOR")

    def number(value) -> str:
        return DASH if value is None else f"{value:.1f}".replace(".", separator)

    return number


def ranking_rows_html(rows, indicator_numbers) -> SafeString:
    number = number_formatter()
    not_enough = _("chưa đủ số phiếu")
    labels = {key: str(label) for key, label in IndexWeight.Component.choices}

    def cells(row):
        indicators = format_html_join(
            "", "<td>{}</td>", ((number(row.indicators.get(n)),) for n in indicator_numbers)
        )
        title = "; ".join(f"{labels.get(k, k)}: {number(v)}" for k, v in row.index.items())
        index = (
            format_html('<span title="{}">{}</span>', title, number(row.index_total)) if row.index else DASH
        )
        return (
            row.rank or DASH,
            row.name,
            row.rated,
            indicators,
            number(row.total),
            row.band if row.enough else not_enough,
            index,
        )

    return format_html_join(
        "\n",
        '<tr><td>{}</td><th scope="row">{}</th><td>{}</td>{}<td>{}</td><td>{}</td><td>{}</td></tr>',
        (cells(row) for row in rows),
    )
