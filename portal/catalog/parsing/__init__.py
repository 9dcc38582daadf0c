"""Parsers for the flattened tables of the national procedure catalogue (dichvucong.gov.vn).

The scraped fields are web tables whose cells run together ("Trực tuyến1Miễn phíTrực tiếp1Miễn phí").
Each parser here recovers what structure it can and reports honestly what it could not:
``Parsed.complete`` is False whenever some source text was not attributed to an item or a value
could only be had by guessing; ``Parsed.problems`` says why, in a short human-readable line.

All functions are pure (standard library only), accept any ``str`` (empty, garbage, NUL bytes,
decomposed Unicode) without raising, and run in roughly linear time: every regular expression
has bounded or non-nested repetition, so hostile input cannot trigger catastrophic backtracking.
"""

from portal.catalog.parsing.channels import ChannelRow, parse_channels
from portal.catalog.parsing.documents import RequiredDocumentRow, parse_documents
from portal.catalog.parsing.legal import LegalBasisRow, parse_legal_basis
from portal.catalog.parsing.lists import parse_agencies, parse_applicants, parse_levels, parse_steps
from portal.catalog.parsing.results import has_online_submission, parse_result, parse_result_codes
from portal.catalog.parsing.text import NO_INFO, Parsed, is_no_information, tidy_name, tidy_text

__all__ = [
    "NO_INFO",
    "ChannelRow",
    "LegalBasisRow",
    "Parsed",
    "RequiredDocumentRow",
    "has_online_submission",
    "is_no_information",
    "parse_agencies",
    "parse_applicants",
    "parse_channels",
    "parse_documents",
    "parse_legal_basis",
    "parse_levels",
    "parse_result",
    "parse_result_codes",
    "parse_steps",
    "tidy_name",
    "tidy_text",
]
