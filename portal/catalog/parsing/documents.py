"""The required documents table (``thanh_phan_ho_so``): name, templates and counts per row, grouped by case."""

import re
from dataclasses import dataclass
from itertools import pairwise

from portal.catalog.parsing.text import Parsed, clean, done, is_no_information, short, squeeze


@dataclass(frozen=True)
class RequiredDocumentRow:
    """One required document; ``originals``/``copies`` are None when the count cell omits them."""

    name: str
    templates: tuple[str, ...]
    originals: int | None
    copies: int | None
    case: str


_DOC_HEADER = "Tên giấy tờMẫu đơn, tờ khaiSố lượng"
# A count cell is glued to the text before it and to the next row after it; "01 bản sao có
# chứng thực…" (followed by a space) or "(01 bản chính)" are prose inside a name. After a digit
# ("…ngày 28/8/20201 bản chính") only one digit is taken: every count seen in the data is < 10.
_QTY = re.compile(
    r"(?:(?<![ \n\xa0(\d])(?P<a>\d{1,2})|(?<=\d)(?P<b>\d))"
    r" bản (?:chính(?:,[ \t]*(?P<copies>\d{1,2}) bản sao)?|(?P<only_copies>sao))(?!\s)"
)


def _count_cells(body: str) -> list[re.Match[str]]:
    """Count cells in order, skipping prose such as ": 01 bản chính" (two digits after a space);
    a longer run keeps its last digit as the count ("…Nghị định 1161 bản chính")."""
    cells, pos = [], 0
    while m := _QTY.search(body, pos):
        pos = m.start() + 1
        if m.group("b") is not None:
            run = m.start()
            while run > 0 and body[run - 1].isdigit():
                run -= 1
            if m.end("b") - run <= 2 and (run == 0 or body[run - 1] in " \n\xa0("):
                continue
        cells.append(m)
        pos = m.end()
    return cells


_EXT = re.compile(r"\.(?:docx|doc|xlsx|xls|pdf|rar|zip|odt)", re.I)
# Words that start a template file name ("Mẫu số 06.docx", "Mau 36 - Phu luc…", "TK 1.002381.docx").
_TEMPLATE_WORD = re.compile(r"Mẫu|Mau|MẪU|MAU|mẫu|mau|Mus|Phụ lục|Phu luc|PL|Phlc|PHLC|TK|BM|Biểu mẫu")
# Names often end "…theo mẫu" / "…theo quy định" with the file name glued on ("theo mẫuvăn bản…").
_TEMPLATE_AFTER = re.compile(r"(?:theo mẫu|quy định)(?=[^\W\d_])")
_TEMPLATE_WINDOW = 160


def _glue_points(text: str, lo: int) -> dict[str, list[int]]:
    """Places in ``text[lo:]`` where a new cell may have been glued on, by kind of evidence."""
    found: dict[str, list[int]] = {"word": [], "punct": [], "camel": [], "dot": []}
    for m in _TEMPLATE_WORD.finditer(text, lo):
        if m.start() > 0 and text[m.start() - 1] not in " \t\n-_(/":
            found["word"].append(m.start())
    found["word"] += [m.end() for m in _TEMPLATE_AFTER.finditer(text, lo)]
    for i in range(max(lo, 2), len(text)):
        before, prev, cur = text[i - 2], text[i - 1], text[i]
        if cur.isspace() or cur in ".,;:)-_":
            continue
        if prev in ";)”":
            found["punct"].append(i)
        elif prev.islower() and (cur.isupper() or cur.isdigit()):
            found["camel"].append(i)
        elif prev == "." and (before.isalpha() or before == ")" or cur.isupper()):
            found["dot"].append(i)  # "…Bộ Công an.12-Mẫu NA14.doc", "…30/6/2023.NA5.doc", not "1.2"
    return found


def _template_start(stem: str) -> int | None:
    """Where the first template file name starts in ``stem`` (the cell up to its extension).

    Evidence, strongest first: a glued "Mẫu…/Mau…/TK…" word, then ";" or ")", then lower→upper
    case, then a sentence full stop. Squashed file names ("1.MuCT01banhnhkmtheoThngts53") have
    inner case changes, so a full stop earlier in the same unbroken token wins over those.
    Without any evidence the cell is taken as a bare file name only when it plainly is one
    (short and starting "Mẫu…", or without spaces); otherwise None.
    """
    lo = max(0, len(stem) - _TEMPLATE_WINDOW)
    found = _glue_points(stem[: len(stem) - 1], lo)  # a file name has two characters at least
    kind = next((k for k in ("word", "punct", "camel", "dot") if found[k]), None)
    if kind is None:
        bare = lo == 0 and _TEMPLATE_WORD.match(stem) or not any(c.isspace() for c in stem)
        return 0 if bare else None
    start = max(found[kind])
    if kind == "camel":
        token_start = max(stem.rfind(" ", 0, start), stem.rfind("\n", 0, start)) + 1
        earlier = [p for p in found["dot"] if token_start <= p < start]
        start = min(earlier, default=start)
    return start


def _split_templates(cell: str) -> tuple[str, tuple[str, ...], str | None]:
    """Split "name + template file names" into (name, templates, problem or None).

    File names are glued after the name and to each other; each ends in an extension
    (.doc, .docx, .pdf, …). When the first one's start cannot be told, the whole cell stays
    the name and a problem is returned. The name is "" for a row that only has a file name.
    """
    exts = [m for m in _EXT.finditer(cell) if m.end() == len(cell) or cell[m.end()].isalnum()]
    if not exts or exts[-1].end() != len(cell):
        return squeeze(cell), (), None
    start = _template_start(cell[: exts[0].start()])
    if start is None:
        return squeeze(cell), (), f"không tách được tên mẫu khỏi '{short(cell[-50:])}'"
    cuts = [start] + [m.end() for m in exts if m.end() > start]
    templates = tuple(squeeze(cell[a:b]) for a, b in pairwise(cuts))
    return squeeze(cell[:start]), templates, None


def _parse_doc_rows(body: str, case: str) -> tuple[list[RequiredDocumentRow], str, list[str]]:
    """Parse one table body; return (documents, text after the last count, problems)."""
    docs, problems, pos = [], [], 0
    for m in _count_cells(body):
        name, templates, problem = _split_templates(body[pos : m.start()])
        pos = m.end()
        if problem:
            problems.append(problem)
        if not name and not templates:
            problems.append(f"số lượng '{m.group(0)}' không có tên giấy tờ")
            continue
        originals = None if m.group("only_copies") else int(m.group("a") or m.group("b"))
        copies = m.group("copies") or (m.group("a") or m.group("b") if m.group("only_copies") else None)
        docs.append(RequiredDocumentRow(name, templates, originals, int(copies) if copies else None, case))
    return docs, body[pos:], problems


def _case_header(text: str) -> str:
    """The case text before a table; "--" (the portal's placeholder) means no case."""
    text = squeeze(text)
    return "" if not text.strip("- ") else text


def parse_documents(text: str) -> Parsed[RequiredDocumentRow]:
    """Parse "Tên giấy tờ | Mẫu đơn, tờ khai | Số lượng" tables into RequiredDocuments.

    Text before a table header is that table's case ("Trường hợp cấp lại…"); "--" means none.
    Each row ends at its count cell ("1 bản chính", "0 bản chính,1 bản sao", "1 bản sao");
    template file names are split off the end of the name. Text after the last row of the
    last table, or a name whose template boundary is unclear, makes the result incomplete.
    """
    body = clean(text)
    if is_no_information(body) or body.strip() == "--":
        return done([], [])
    parts = body.split(_DOC_HEADER)
    if len(parts) == 1:
        return done([], [f"không có tiêu đề bảng giấy tờ: '{short(body)}'"])
    items: list[RequiredDocumentRow] = []
    problems: list[str] = []
    case = _case_header(parts[0])
    for i, part in enumerate(parts[1:], start=1):
        docs, rest, row_problems = _parse_doc_rows(part, case)
        items += docs
        problems += row_problems
        if not docs:
            problems.append(f"bảng không có hàng nào: '{short(part)}'")
        case = _case_header(rest)
        if i == len(parts) - 1 and case:
            problems.append(f"văn bản sau hàng cuối: '{short(case)}'")
    return done(items, problems)
