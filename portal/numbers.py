"""Reading numbers people or scripts put in addresses and forms: ASCII digits only ("²" and "٣" are digits to
``str.isdigit`` but not ids), and not longer than a database integer."""

import re

_ID = re.compile(r"[0-9]{1,18}")


def id_or_none(value) -> int | None:
    """``value`` as a positive integer id, or None when it is not one."""
    text = str(value or "").strip()
    return int(text) if _ID.fullmatch(text) else None
