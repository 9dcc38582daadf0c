"""A section of a definition turned into what its template draws: each field with its input names, the value as
typed, its message, and the HTML attributes that carry the same rules to the browser."""

from dataclasses import dataclass
from dataclasses import field as dataclass_field

from eforms import answers as checks

PERSONAL_ID_PATTERN = "[0-9]{12}"
PHONE_PATTERN = r"(\+84|0)[0-9]{9,10}"


@dataclass
class Widget:
    field: dict
    names: list[str]
    value: object
    error: str = ""
    shown: bool = True
    attrs: dict = dataclass_field(default_factory=dict)
    controls: bool = False  # other fields or sections depend on it: htmx refreshes the page when it changes
    verified: bool = False  # its answer is the value the national population database holds

    @property
    def name(self) -> str:
        return self.names[0]

    @property
    def id(self) -> str:
        return self.names[0]


@dataclass
class Item:
    index: int
    widgets: list[Widget]


def _attrs(field: dict) -> dict:
    attrs: dict = {}
    kind = field["type"]
    if field.get("required") and kind not in ("date", "address"):
        attrs["required"] = True
    if "max_length" in field:
        attrs["maxlength"] = field["max_length"]
    if kind == "personal_id":
        attrs.update(pattern=PERSONAL_ID_PATTERN, inputmode="numeric", maxlength=12, autocomplete="off")
    elif kind == "phone":
        attrs.update(pattern=PHONE_PATTERN, inputmode="tel", autocomplete="tel")
    elif kind == "number":
        attrs["inputmode"] = "decimal"
        attrs.update({bound: field[bound] for bound in ("min", "max") if bound in field})
    elif "pattern" in field:
        attrs["pattern"] = field["pattern"]
    return attrs


def controlling_ids(definition: dict) -> set[str]:
    ids = set()
    for section in definition["sections"]:
        if "when" in section:
            ids.add(section["when"]["field"])
        ids.update(f["when"]["field"] for f in section["fields"] if "when" in f)
    return ids


def _widgets(section, values, context, problems, prefix, controls, verified=frozenset()) -> list[Widget]:
    widgets = []
    for field in section["fields"]:
        names = checks.field_names(field, prefix)
        widgets.append(
            Widget(
                field=field,
                names=names,
                value=values.get(field["id"], checks.read_field(field, {})),
                error=problems.get(names[0], ""),
                shown=checks.shown(field.get("when"), {**context, **values}),
                attrs=_attrs(field),
                controls=field["id"] in controls,
                verified=field["id"] in verified,
            )
        )
    return widgets


def section_widgets(
    definition: dict, section: dict, answers: dict, problems: list[tuple[str, str]], verified=frozenset()
):
    """(widgets, items): the widgets of a plain section, or the items of a repeated group; ``verified`` holds the
    ids of the plain fields whose answer the national population database vouches for."""
    by_name = dict(problems)
    context = checks.plain_answers(answers)
    controls = controlling_ids(definition)
    value = answers.get(section["id"])
    if "repeat" in section:
        items = value if isinstance(value, list) else []
        return [], [
            Item(index, _widgets(section, item, context, by_name, f"{section['id']}-{index}-", controls))
            for index, item in enumerate(items)
        ]
    values = value if isinstance(value, dict) else {}
    return _widgets(section, values, context, by_name, "", controls, verified), []
