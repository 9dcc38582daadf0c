"""FAQ entries from and to CSV (``manage.py import_faq FILE``, ``manage.py export_faq``, the admin's export).

The file has a header. ``question`` and ``answer`` are required; ``agency`` (identifier code or name), ``field``
(name) and ``procedure_codes`` (separated by commas) and ``state`` (draft, review, published; default the command's
``--state``) are optional; ``id`` is the entry's external key, so a second
import of the same file updates instead of duplicating; any other column is ignored. An agency, field or procedure
code that matches nothing is a warning: the entry is kept (for the whole province, without that field or
procedure), never refused for it. A row without a question or an answer, or with text too long, is refused with
its line number; the other rows are still imported.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.db import transaction

from faq.models import FaqEntry
from portal.agencies.models import Agency
from portal.catalog.models import Field, Procedure
from portal.catalog.search import normalize

COLUMNS = ("id", "question", "answer", "agency", "field", "procedure_codes", "state")
QUESTION_MAX = FaqEntry._meta.get_field("question").max_length
ANSWER_MAX = 20_000
EXTERNAL_ID_MAX = FaqEntry._meta.get_field("external_id").max_length
# An exported entry that had no external id carries "portal-<pk>": importing the file again updates that entry.
_OWN_ID_RE = re.compile(r"^portal-(\d{1,18})$")
_CODE_SPLIT_RE = re.compile(r"[,;\s]+")
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class ImportFileError(Exception):
    """The file as a whole cannot be read (no header, a required column missing, not UTF-8)."""


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    refused: list[tuple[int, str]] = field(default_factory=list)
    warnings: list[tuple[int, str]] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"Tạo mới: {self.created}; cập nhật: {self.updated}; không đổi: {self.unchanged}; "
            f"từ chối: {len(self.refused)}; cảnh báo: {len(self.warnings)}."
        )


@dataclass
class _Row:
    line: int
    external_id: str | None
    own_pk: int | None
    question: str
    answer: str
    agency: Agency | None
    field: Field | None
    procedure_ids: list[int]
    state: str | None


class _Lookups:
    """Agencies, fields and procedures read once per import; names are matched folded (case and diacritics)."""

    def __init__(self) -> None:
        agencies = list(Agency.objects.all())
        self.agency_by_code = {a.code.lower(): a for a in agencies}
        self.agency_by_name = {normalize(a.name): a for a in agencies}
        self.agency_by_name.update({normalize(a.short_name): a for a in agencies if a.short_name})
        self.field_by_name = {normalize(f.name): f for f in Field.objects.all()}
        self.procedure_by_code = dict(Procedure.objects.values_list("code", "id"))

    def agency(self, value: str) -> Agency | None:
        return self.agency_by_code.get(value.lower()) or self.agency_by_name.get(normalize(value))

    def field(self, value: str) -> Field | None:
        return self.field_by_name.get(normalize(value))


def _cell(text: str | None) -> str:
    text = (text or "").strip()
    # An exported cell that began with a formula character was written with a quote in front (csv_safe).
    if text.startswith("'") and text[1:2] and text[1:].startswith(_FORMULA_STARTS):
        text = text[1:]
    return text


def _rows(lines: Iterable[str]) -> Iterator[tuple[int, dict[str, str]]]:
    reader = csv.DictReader(lines)
    header = [(name or "").strip().lower() for name in (reader.fieldnames or [])]
    if not header:
        raise ImportFileError("Tệp trống hoặc không có dòng tiêu đề.")
    missing = [name for name in ("question", "answer") if name not in header]
    if missing:
        raise ImportFileError("Thiếu cột bắt buộc: " + ", ".join(missing) + ".")
    reader.fieldnames = header
    line = reader.line_num + 1
    for raw in reader:
        yield line, {key: value if isinstance(value, str) else "" for key, value in raw.items() if key}
        line = reader.line_num + 1


def _parse(line: int, raw: dict[str, str], lookups: _Lookups, report: ImportReport) -> _Row | None:
    values = {name: _cell(raw.get(name)) for name in COLUMNS}
    if any("\x00" in value for value in values.values()):
        report.refused.append((line, "có ký tự rỗng (NUL)"))
        return None
    if not values["question"]:
        report.refused.append((line, "thiếu câu hỏi"))
        return None
    if not values["answer"]:
        report.refused.append((line, "thiếu câu trả lời"))
        return None
    if len(values["question"]) > QUESTION_MAX:
        report.refused.append((line, f"câu hỏi dài quá {QUESTION_MAX} ký tự"))
        return None
    if len(values["answer"]) > ANSWER_MAX:
        report.refused.append((line, f"câu trả lời dài quá {ANSWER_MAX} ký tự"))
        return None
    if len(values["id"]) > EXTERNAL_ID_MAX:
        report.refused.append((line, f"mã (id) dài quá {EXTERNAL_ID_MAX} ký tự"))
        return None
    agency = None
    if values["agency"]:
        agency = lookups.agency(values["agency"])
        if agency is None:
            report.warnings.append(
                (line, f"không tìm thấy cơ quan “{values['agency'][:100]}”: áp dụng cho toàn tỉnh")
            )
    found_field = None
    if values["field"]:
        found_field = lookups.field(values["field"])
        if found_field is None:
            report.warnings.append((line, f"không tìm thấy lĩnh vực “{values['field'][:100]}”"))
    procedure_ids = []
    for code in _CODE_SPLIT_RE.split(values["procedure_codes"]):
        if not code:
            continue
        pk = lookups.procedure_by_code.get(code)
        if pk is None:
            report.warnings.append((line, f"không tìm thấy thủ tục mã “{code[:40]}”"))
        elif pk not in procedure_ids:
            procedure_ids.append(pk)
    row_state = values["state"].lower() or None
    if row_state is not None and row_state not in FaqEntry.State.values:
        report.warnings.append((line, f"trạng thái “{values['state'][:20]}” không hợp lệ: dùng mặc định"))
        row_state = None
    own = _OWN_ID_RE.match(values["id"])
    return _Row(
        line=line,
        external_id=None if own else values["id"] or None,
        own_pk=int(own.group(1)) if own else None,
        question=values["question"],
        answer=values["answer"],
        agency=agency,
        field=found_field,
        procedure_ids=procedure_ids,
        state=row_state,
    )


def _existing(row: _Row) -> FaqEntry | None:
    if row.external_id:
        return FaqEntry.objects.filter(external_id=row.external_id).first()
    if row.own_pk is not None:
        return FaqEntry.objects.filter(pk=row.own_pk).first()
    # Without an id, the same question for the same agency is the same entry.
    return FaqEntry.objects.filter(question=row.question, agency=row.agency, external_id=None).first()


def faq_import(lines: Iterable[str], *, state: str = FaqEntry.State.PUBLISHED) -> ImportReport:
    """Create or update entries from CSV text (an iterable of lines); the whole file in one transaction."""
    report = ImportReport()
    lookups = _Lookups()
    seen_ids: dict[str, int] = {}
    with transaction.atomic():
        for line, raw in _rows(lines):
            row = _parse(line, raw, lookups, report)
            if row is None:
                continue
            key = row.external_id or (f"portal-{row.own_pk}" if row.own_pk is not None else None)
            if key is not None:
                if key in seen_ids:
                    report.refused.append((line, f"mã (id) “{key}” trùng dòng {seen_ids[key]}"))
                    continue
                seen_ids[key] = line
            _save(row, _existing(row), state, report)
    return report


def _save(row: _Row, entry: FaqEntry | None, state: str, report: ImportReport) -> None:
    if entry is None:
        entry = FaqEntry.objects.create(
            question=row.question,
            answer=row.answer,
            agency=row.agency,
            field=row.field,
            state=row.state or state,
            external_id=row.external_id,
        )
        if row.procedure_ids:
            entry.procedures.set(row.procedure_ids)
        report.created += 1
        return
    current = (entry.question, entry.answer, entry.agency_id, entry.field_id, entry.state)
    wanted = (
        row.question,
        row.answer,
        row.agency.pk if row.agency else None,
        row.field.pk if row.field else None,
        row.state or state,
    )
    same_procedures = set(entry.procedures.values_list("id", flat=True)) == set(row.procedure_ids)
    if current == wanted and same_procedures:
        report.unchanged += 1
        return
    entry.question, entry.answer, entry.agency, entry.field, entry.state = (
        row.question,
        row.answer,
        row.agency,
        row.field,
        row.state or state,
    )
    entry.save()
    if not same_procedures:
        entry.procedures.set(row.procedure_ids)
    report.updated += 1


def faq_import_file(path: str, *, state: str = FaqEntry.State.PUBLISHED) -> ImportReport:
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            text = handle.read()
    except UnicodeDecodeError as exc:
        raise ImportFileError("Tệp không phải văn bản UTF-8.") from exc
    except OSError as exc:
        raise ImportFileError(f"Không đọc được tệp: {exc.strerror or exc}.") from exc
    return faq_import(io.StringIO(text, newline=""), state=state)


def _csv_safe(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def faq_export_rows(entries) -> Iterator[list[str]]:
    """The header, then one row per entry, in the import's columns (so an export imports back unchanged)."""
    yield list(COLUMNS)
    queryset = entries.select_related("agency", "field").prefetch_related("procedures").order_by("id")
    for entry in queryset.iterator(chunk_size=1000):
        yield [
            _csv_safe(entry.external_id or f"portal-{entry.pk}"),
            _csv_safe(entry.question),
            _csv_safe(entry.answer),
            entry.agency.code if entry.agency else "",
            _csv_safe(entry.field.name) if entry.field else "",
            ",".join(sorted(p.code for p in entry.procedures.all())),
            entry.state,
        ]


def faq_export_csv(entries) -> Iterator[str]:
    """CSV text in chunks, starting with a UTF-8 BOM so that spreadsheets read the Vietnamese correctly."""

    class _Echo:
        def write(self, value: str) -> str:
            return value

    writer = csv.writer(_Echo())
    yield "\ufeff"
    for row in faq_export_rows(entries):
        yield writer.writerow(row)
