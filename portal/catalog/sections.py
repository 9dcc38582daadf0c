"""Sections a feature app adds to a procedure's catalogue page (the public statistics add its figures), registered
from the app's ``AppConfig.ready`` so the catalogue imports no feature app.

A section is a template and a function of the procedure returning that template's context (or None to show
nothing). The page is cached like the rest of the catalogue (``page_cache``), so what a section shows may be as old
as ``PORTAL_PAGE_CACHE_SECONDS``.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    template_name: str
    context: dict


_sections: dict[str, Callable] = {}


def procedure_section_register(template_name: str, context_of: Callable) -> None:
    """Show ``template_name`` on every procedure's page with ``context_of(procedure)``; twice counts once."""
    _sections[template_name] = context_of


def procedure_sections(procedure) -> list[Section]:
    out = []
    for template_name, context_of in _sections.items():
        context = context_of(procedure)
        if context is not None:
            out.append(Section(template_name, context))
    return out
