"""Hypothesis strategies for a definition's answers: valid ones (what a careful applicant types) and one broken
field at a time (what a hurried one types)."""

from datetime import date

from hypothesis import strategies as st

from eforms import answers as checks

PREFIXES = sorted(checks.PROVINCE_PREFIXES)
SAFE_TEXT = (
    st.text(
        alphabet=st.sampled_from(
            "abcdeghiklmnopqrstuvxyĐđàáảãạâầấẩẫậăằắẳẵặêềếểễệôồốổỗộơờớởỡợưừứửữựýỳỷỹỵ ABCDEGHIKLMNOPQRSTUVXY0123456789"
        ),
        min_size=1,
        max_size=40,
    )
    .map(str.strip)
    .filter(bool)
)


def _bound(value, default):
    if value is None:
        return default
    return date.today() if value == "today" else date.fromisoformat(value)


def valid_value(field: dict, communes: list[str]):
    kind = field["type"]
    if kind == "date":
        low, high = (
            _bound(field.get("date_min"), date(1950, 1, 1)),
            _bound(field.get("date_max"), date(2030, 12, 31)),
        )
        return st.dates(min_value=low, max_value=high).map(
            lambda d: {"ngay": f"{d.day:02d}", "thang": f"{d.month:02d}", "nam": str(d.year)}
        )
    if kind == "address":
        return st.builds(
            lambda unit, detail: {"unit": unit, "detail": detail}, st.sampled_from(communes), SAFE_TEXT
        )
    if kind in ("choice", "radio"):
        return st.sampled_from([choice["value"] for choice in field["choices"]])
    if kind == "checkbox":
        return st.just(True) if field.get("required") else st.booleans()
    if kind == "personal_id":
        year = date.today().year % 100
        return st.builds(
            lambda p, century, yy, rest: f"{p}{century}{yy:02d}{rest:06d}",
            st.sampled_from(PREFIXES),
            st.sampled_from("0123"),
            st.integers(0, year),
            st.integers(0, 999999),
        )
    if kind == "phone":
        return st.integers(10**8, 10**9 - 1).map(lambda n: f"09{n}"[:10])
    if kind == "email":
        return st.from_regex(r"[a-z]{1,10}@[a-z]{2,8}\.vn", fullmatch=True)
    if kind == "number":
        return st.integers(int(field.get("min", 0)) + 1, int(field.get("max", 10**6))).map(str)
    if "pattern" in field:
        return st.from_regex(field["pattern"], fullmatch=True).filter(lambda v: v.strip() == v and v)
    return SAFE_TEXT.map(lambda v: v[: field.get("max_length", 2000)])


def valid_answers(definition: dict, communes: list[str]):
    """Answers for every section (repeated groups get between min and min+2 items)."""
    parts = {}
    for section in definition["sections"]:
        item = st.fixed_dictionaries({f["id"]: valid_value(f, communes) for f in section["fields"]})
        if "repeat" in section:
            low = section["repeat"].get("min", 0)
            parts[section["id"]] = st.lists(
                item, min_size=max(low, 1), max_size=min(low + 2, section["repeat"]["max"])
            )
        else:
            parts[section["id"]] = item
    return st.fixed_dictionaries(parts)


def invalid_value(field: dict):
    """A value this field must refuse (None when the type has nothing to refuse beyond emptiness)."""
    kind = field["type"]
    if kind == "date":
        return st.sampled_from(
            [
                {"ngay": "31", "thang": "02", "nam": "2020"},
                {"ngay": "00", "thang": "13", "nam": "2020"},
                {"ngay": "1", "thang": "1", "nam": "20"},
                {"ngay": "x", "thang": "1", "nam": "2020"},
                {"ngay": "01", "thang": "01", "nam": str(date.today().year + 5)}
                if field.get("date_max") == "today"
                else {"ngay": "30", "thang": "02", "nam": "2021"},
            ]
        )
    if kind == "personal_id":
        return st.one_of(
            st.from_regex(r"[0-9]{1,11}", fullmatch=True),
            st.from_regex(r"[0-9]{13,20}", fullmatch=True),
            st.just("999190000123"),
            st.just("08919000012a"),
        )
    if kind == "address":
        return st.builds(lambda d: {"unit": "99999", "detail": d}, SAFE_TEXT)
    if kind in ("choice", "radio"):
        return st.just("khong-co-lua-chon-nay")
    if kind == "phone":
        return st.sampled_from(["12345", "abcdefghij", "0912"])
    if kind == "email":
        return st.sampled_from(["khong-phai-email", "a@", "@b.vn"])
    if kind == "number":
        return st.sampled_from(["abc", str(field.get("max", 10**6) + 1000), str(field.get("min", 0) - 1000)])
    if field.get("required"):
        return st.just("")
    return None


def refusable_fields(definition: dict):
    """(section, field) pairs of plain sections that always show and can be given a value they must refuse."""
    pairs = []
    for section in definition["sections"]:
        if "repeat" in section or "when" in section:
            continue
        for field in section["fields"]:
            if "when" not in field and (field["type"] != "checkbox" or field.get("required")):
                pairs.append((section, field))
    return pairs


def post_data(section: dict, value) -> dict:
    """What the browser would post for ``value`` of ``section``."""
    data = {}
    items = value if "repeat" in section else [value]
    if "repeat" in section:
        data[f"{section['id']}-so_muc"] = str(len(items))
    for index, item in enumerate(items):
        prefix = f"{section['id']}-{index}-" if "repeat" in section else ""
        for field in section["fields"]:
            names = checks.field_names(field, prefix)
            raw = item.get(field["id"])
            if field["type"] == "date":
                data.update(dict(zip(names, (raw["ngay"], raw["thang"], raw["nam"]), strict=True)))
            elif field["type"] == "address":
                data[names[0]], data[names[1]] = raw["unit"], raw["detail"]
            elif field["type"] == "checkbox":
                if raw:
                    data[names[0]] = "on"
            else:
                data[names[0]] = raw
    return data
