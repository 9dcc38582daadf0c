"""HTML written in Python for the rows of the busiest pages (the catalogue's results, a procedure's 102 communes, the
work queues): ``html`` and ``html_join`` mean what Django's ``format_html`` and ``format_html_join`` mean (every
argument escaped unless it is already safe HTML, the result safe), at about a quarter of the cost: one call of the
standard library's ``html.escape`` per argument instead of Django's lazy-aware wrappers (6.6 → 1.5 µs for a link
with three arguments, measured in process).
"""

from html import escape

from django.utils.safestring import SafeString


def _escaped(value) -> str:
    if hasattr(value, "__html__"):  # SafeString, or an object that renders itself (a form field)
        return value.__html__()
    return escape(str(value))


def html(pattern: str, *args) -> SafeString:
    """``pattern.format(*args)`` with each argument escaped, as safe HTML."""
    return SafeString(pattern.format(*map(_escaped, args)))


def html_join(separator, pattern: str, rows) -> SafeString:
    """``pattern`` filled with each row's arguments (escaped), joined by ``separator`` (escaped unless safe)."""
    return SafeString(_escaped(separator).join(pattern.format(*map(_escaped, row)) for row in rows))
