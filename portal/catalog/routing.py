"""Which of this province's agencies handles an imported procedure.

Province-level procedures go to the competent department, chosen by the rules stored on each agency (loaded from
``agencies/data/<province>.json`` and editable in the admin): words in the implementing or competent agency text
first, then words in the field, then the ministry whose list published the procedure. Commune-level procedures
go to every commune's People's Committee, with the sector's department as the competent agency.
"""

from dataclasses import dataclass

from portal.agencies.models import Agency
from portal.catalog.models import ProcedureAgency
from portal.catalog.search import normalize


@dataclass(frozen=True)
class RoutingInput:
    agency_text: str
    field_name: str
    ministry: str
    province_level: bool
    commune_level: bool


class AgencyRouter:
    """Built once per import from the agencies table; routes many procedures without further queries."""

    def __init__(self, agencies: list[Agency], fallback_code: str | None = None):
        self.departments = [a for a in agencies if a.kind in {Agency.Kind.DEPARTMENT, Agency.Kind.CENTRAL}]
        self.communes = [a for a in agencies if a.kind == Agency.Kind.COMMUNE]
        self.fallback = next((a for a in agencies if a.code == fallback_code), None)
        self._agency_words = [(a, [normalize(w) for w in a.agency_keywords]) for a in self.departments]
        self._field_words = [(a, [normalize(w) for w in a.field_keywords]) for a in self.departments]

    @classmethod
    def for_active_agencies(cls, fallback_code: str | None = None) -> "AgencyRouter":
        return cls(list(Agency.objects.filter(is_active=True)), fallback_code)

    def competent_department(self, item: RoutingInput) -> Agency | None:
        text = normalize(item.agency_text)
        for agency, words in self._agency_words:
            if any(word and word in text for word in words):
                return agency
        field = normalize(item.field_name)
        for agency, words in self._field_words:
            if any(word and _contains_word(field, word) for word in words):
                return agency
        for agency in self.departments:
            if item.ministry and item.ministry in agency.ministries:
                return agency
        return self.fallback

    def route(self, item: RoutingInput) -> list[tuple[Agency, str]]:
        links: list[tuple[Agency, str]] = []
        department = self.competent_department(item)
        if department is not None and (item.province_level or item.commune_level):
            links.append((department, ProcedureAgency.Role.COMPETENT))
        if item.commune_level:
            links.extend((commune, ProcedureAgency.Role.IMPLEMENTING) for commune in self.communes)
        return links


def _contains_word(text: str, word: str) -> bool:
    """Whole-word containment: the field word "thue" (tax) must not match inside a longer word."""
    return f" {word} " in f" {text} "
