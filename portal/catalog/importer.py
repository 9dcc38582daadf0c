"""Import of the national procedure catalogue (one JSON object per line, as the national portal publishes it).

Upserts by procedure code and is idempotent: a record whose source text has not changed is left alone. Each
record is written in its own savepoint, so a bad record never leaves a half-written procedure and the rest still
imports. Parsed fields keep their original text; whatever the parsers could not fully read is reported, never
guessed silently. Procedures are never deleted (dossiers refer to them).

Text is stored tidy: NFC (the source mixes composed and decomposed accents), runs of spaces as one, and names
(procedures, fields, applicant types, documents, results) without the list marks (". ", "- ") in front or the ";"
at the end the source leaves (``parsing.tidy_text``, ``parsing.tidy_name``). Rows written by an import that did not
tidy are tidied by the next one: ``IMPORT_VERSION`` is part of every record's hash, so raising it rewrites every
procedure once, and the fields and applicant types are tidied (merged when two become the same) at every start.
A procedure's required documents are updated in place, matched by their tidy case and name, so the files of
dossiers that point to one keep their place.
"""

import gzip
import hashlib
import json
import unicodedata
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.text import slugify

from portal import cache as versioned
from portal.catalog import collation, parsing
from portal.catalog.models import (
    SORT_KEY_LENGTH,
    ApplicantType,
    Channel,
    Field,
    LegalDocument,
    Procedure,
    ProcedureAgency,
    RequiredDocument,
)
from portal.catalog.routing import AgencyRouter, RoutingInput
from portal.catalog.search import normalize
from portal.catalog.search_index import NAMESPACE

REQUIRED_KEYS = ("ma_thu_tuc", "ten_thu_tuc")
# Part of every record's hash: raise it when the same source text should be stored differently (2: tidy text), so
# the next import rewrites every procedure once instead of reporting it unchanged.
IMPORT_VERSION = 2


@dataclass
class LineError:
    line: int
    message: str


@dataclass
class Incomplete:
    code: str
    fields: list[str]


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[LineError] = field(default_factory=list)
    incomplete: list[Incomplete] = field(default_factory=list)

    @property
    def processed(self) -> int:
        return self.created + self.updated + self.unchanged


class RecordError(Exception):
    """A line that is not a usable procedure record; the message says why, in words an operator understands."""


def read_records(lines: Iterable[str]) -> Iterator[tuple[int, dict | RecordError]]:
    """Yield (line number, record or the error that line has); blank lines are skipped."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield number, RecordError(f"không phải JSON hợp lệ ({exc.msg}, cột {exc.colno})")
            continue
        if not isinstance(record, dict):
            yield number, RecordError("dòng không phải một đối tượng JSON")
            continue
        missing = [key for key in REQUIRED_KEYS if not str(record.get(key) or "").strip()]
        if missing:
            yield number, RecordError(f"thiếu trường bắt buộc: {', '.join(missing)}")
            continue
        non_text = [key for key, value in record.items() if value is not None and not isinstance(value, str)]
        if non_text:
            yield number, RecordError(f"trường phải là chuỗi: {', '.join(non_text)}")
            continue
        yield number, record


def _text(record: dict, key: str) -> str:
    """The source text of ``key`` as the parsers read it: NFC, without NUL and no-break spaces; "" for no information."""
    value = unicodedata.normalize(
        "NFC", (record.get(key) or "").replace("\x00", "").replace("\xa0", " ")
    ).strip()
    return "" if parsing.is_no_information(value) else value


def _tidy(record: dict, key: str) -> str:
    return parsing.tidy_text(_text(record, key))


def content_hash(record: dict) -> str:
    """The record's fingerprint, with the version of how it is stored (``IMPORT_VERSION``)."""
    text = f"{IMPORT_VERSION}\n" + json.dumps(record, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


class CatalogImporter:
    def __init__(self, *, progress: Callable[[int], None] | None = None, relink: bool = False):
        self.report = ImportReport()
        self.progress = progress
        self.relink = relink
        self.router = AgencyRouter.for_active_agencies(fallback_code=_fallback_agency_code())
        self._terms_tidied = _tidy_terms(Field) | _tidy_terms(ApplicantType)
        self._fields: dict[str, Field] = {f.name: f for f in Field.objects.all()}
        self._applicants: dict[str, ApplicantType] = {a.name: a for a in ApplicantType.objects.all()}
        self._hashes = dict(Procedure.objects.values_list("code", "content_hash"))

    def run(self, lines: Iterable[str]) -> ImportReport:
        with versioned.bumps_deferred():  # the receivers' bumps, once at the end instead of once per row
            for number, item in read_records(lines):
                if isinstance(item, RecordError):
                    self.report.errors.append(LineError(number, str(item)))
                else:
                    self._import_one(number, item)
                if self.progress:
                    self.progress(number)
            if self.report.created or self.report.updated or self._terms_tidied:
                versioned.bump(NAMESPACE)  # the bulk writes send no signal
        return self.report

    def _import_one(self, number: int, record: dict) -> None:
        code = record["ma_thu_tuc"].strip()
        digest = content_hash(record)
        if self._hashes.get(code) == digest and not self.relink:
            self.report.unchanged += 1
            return
        try:
            with transaction.atomic():
                created, problems = self._write(code, record, digest)
        except Exception as exc:  # one bad record must not stop the catalogue; it is reported with its line
            self.report.errors.append(
                LineError(number, f"{code}: không ghi được ({type(exc).__name__}: {exc})")
            )
            return
        if problems:
            self.report.incomplete.append(Incomplete(code, problems))
        self._hashes[code] = digest
        if created:
            self.report.created += 1
        else:
            self.report.updated += 1

    def _write(self, code: str, record: dict, digest: str) -> tuple[bool, list[str]]:
        channels = parsing.parse_channels(_text(record, "cach_thuc_thuc_hien"))
        documents = parsing.parse_documents(_text(record, "thanh_phan_ho_so"))
        legal = parsing.parse_legal_basis(_text(record, "can_cu_phap_ly"))
        results = parsing.parse_result(_text(record, "ket_qua_xu_ly"))
        problems = [
            f"{label}: {'; '.join(parsed.problems) or 'chưa phân tích hết'}"
            for label, parsed in (
                ("cách thức thực hiện", channels),
                ("thành phần hồ sơ", documents),
                ("căn cứ pháp lý", legal),
                ("kết quả", results),
            )
            if not parsed.complete
        ]
        levels = parsing.parse_levels(_text(record, "cap_thuc_hien"))
        online_level, online_scope = online_class(
            channels.items, documents.items, parsing.has_online_submission(record.get("ket_qua_xu_ly") or "")
        )
        values = {
            "name": parsing.tidy_name(_text(record, "ten_thu_tuc"))[:1000],
            "decision_number": _tidy(record, "so_quyet_dinh")[:200],
            "kind": _tidy(record, "loai_thu_tuc")[:200],
            "field": self._field(parsing.tidy_name(_text(record, "linh_vuc"))),
            "levels_raw": _tidy(record, "cap_thuc_hien")[:200],
            "is_ministry_level": "Cấp bộ" in levels,
            "is_province_level": "Cấp tỉnh" in levels,
            "is_commune_level": "Cấp xã" in levels,
            "applicants_raw": _tidy(record, "doi_tuong_thuc_hien"),
            "competent_authority": _tidy(record, "co_quan_co_tham_quyen"),
            "implementing_agency_raw": _tidy(record, "co_quan_thuc_hien"),
            "delegated_agency": _tidy(record, "co_quan_duoc_uy_quyen"),
            "coordinating_agency": _tidy(record, "co_quan_phoi_hop"),
            "where_to_file": _tidy(record, "dia_chi_tiep_nhan"),
            "related_procedures": _tidy(record, "thu_tuc_lien_quan"),
            "steps": [
                parsing.tidy_text(step) for step in parsing.parse_steps(_text(record, "trinh_tu_thuc_hien"))
            ],
            "steps_raw": _tidy(record, "trinh_tu_thuc_hien"),
            "channels_raw": _tidy(record, "cach_thuc_thuc_hien"),
            "documents_raw": _tidy(record, "thanh_phan_ho_so"),
            "legal_basis_raw": _tidy(record, "can_cu_phap_ly"),
            "conditions": _tidy(record, "yeu_cau_dieu_kien"),
            "results": [parsing.tidy_name(name) for name in results.items],
            "result_codes": parsing.parse_result_codes(_text(record, "ket_qua_xu_ly")),
            "result_raw": _tidy(record, "ket_qua_xu_ly"),
            "online_level": online_level,
            "online_scope": online_scope,
            "is_national_synced": True,
            "source_url": _text(record, "detail_url")[:500],
            "source_ministry": _tidy(record, "source_ministry")[:60],
            "parse_problems": problems,
            "content_hash": digest,
        }
        procedure, created = Procedure.objects.update_or_create(code=code, defaults=values)
        applicants = parsing.parse_applicants(_text(record, "doi_tuong_thuc_hien"))
        procedure.applicant_types.set({self._applicant(parsing.tidy_name(name)) for name in applicants})
        if not created:
            procedure.channels.all().delete()
            procedure.legal_documents.all().delete()
        Channel.objects.bulk_create(
            Channel(procedure=procedure, position=i, **_channel(c)) for i, c in enumerate(channels.items)
        )
        _sync_documents(procedure, [_document(d) for d in documents.items], created=created)
        LegalDocument.objects.bulk_create(
            LegalDocument(
                procedure=procedure,
                position=i,
                title=parsing.tidy_name(d.title),
                number=parsing.tidy_text(d.number)[:120],
            )
            for i, d in enumerate(legal.items)
        )
        self._link_agencies(procedure, record, levels)
        return created, problems

    def _link_agencies(self, procedure: Procedure, record: dict, levels: list[str]) -> None:
        routing = RoutingInput(
            agency_text=" ".join(
                (
                    _text(record, "co_quan_thuc_hien"),
                    _text(record, "co_quan_co_tham_quyen"),
                    _text(record, "dia_chi_tiep_nhan"),
                )
            ),
            field_name=_text(record, "linh_vuc"),
            ministry=_text(record, "source_ministry"),
            province_level="Cấp tỉnh" in levels,
            commune_level="Cấp xã" in levels,
        )
        # Links made by hand in the admin are kept: the import only adds what the rules say.
        existing = set(procedure.agency_links.values_list("agency_id", flat=True))
        ProcedureAgency.objects.bulk_create(
            ProcedureAgency(procedure=procedure, agency=agency, role=role)
            for agency, role in self.router.route(routing)
            if agency.pk not in existing
        )

    def _field(self, name: str) -> Field | None:
        return _term(Field, self._fields, name) if name else None

    def _applicant(self, name: str) -> ApplicantType:
        return _term(ApplicantType, self._applicants, name)


def _sync_documents(procedure: Procedure, items: list[dict], *, created: bool) -> None:
    """Make the procedure's required documents ``items``, in order, keeping the rows whose case and name stay.

    Dossier files point to the row of the document they were filed for (``DossierFile.requirement``); a row that
    is deleted loses that link. So a document whose tidy case and name are still in the list keeps its row
    (updated in place: position, counts, templates, tidied text), and only the documents that are gone are deleted.
    """
    existing = [] if created else list(procedure.documents.order_by("position", "pk"))
    rows_by_key: dict[tuple[str, str], deque] = defaultdict(deque)
    for row in existing:
        rows_by_key[(parsing.tidy_text(row.case), parsing.tidy_name(row.name))].append(row)
    changed, new = [], []
    for position, values in enumerate(items):
        rows = rows_by_key.get((values["case"], values["name"]))
        if not rows:
            new.append(RequiredDocument(procedure=procedure, position=position, **values))
            continue
        row = rows.popleft()
        values = {**values, "position": position}
        if any(getattr(row, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(row, name, value)
            changed.append(row)
    gone = [row.pk for rows in rows_by_key.values() for row in rows]
    if gone:
        RequiredDocument.objects.filter(pk__in=gone).delete()
    if changed:
        RequiredDocument.objects.bulk_update(changed, [*items[0], "position"])
    RequiredDocument.objects.bulk_create(new)


def _tidy_terms(model) -> bool:
    """Tidy the names of a vocabulary (fields or applicant types) stored by an older import; True if any changed.

    A term whose tidy name is free is renamed (its slug, and so its links, stay); one whose tidy name another term
    already has is merged into that one (its procedures move over, then it is deleted). Keys are renewed too.
    """
    terms = list(model.objects.all())
    by_name = {term.name: term for term in terms}
    changed = False
    for term in terms:
        name = parsing.tidy_name(term.name)[:200]
        if name == term.name and term.sort_key == collation.sort_key(name, SORT_KEY_LENGTH):
            continue
        changed = True
        twin = by_name.get(name)
        if twin is not None and twin.pk != term.pk:
            _merge_term(term, into=twin)
            continue
        by_name.pop(term.name, None)
        term.name = name
        term.save(update_fields=["name"])
        by_name[name] = term
    return changed


def _merge_term(term, *, into) -> None:
    if isinstance(term, Field):
        Procedure.objects.filter(field=term).update(field=into)
    else:
        through = Procedure.applicant_types.through
        have = set(through.objects.filter(applicanttype=into).values_list("procedure_id", flat=True))
        moving = through.objects.filter(applicanttype=term).values_list("procedure_id", flat=True)
        through.objects.bulk_create(
            through(procedure_id=procedure_id, applicanttype=into)
            for procedure_id in moving
            if procedure_id not in have
        )
    term.delete()


def _term(model, known: dict, name: str):
    """The vocabulary entry called ``name``, created with a unique slug the first time it is seen."""
    name = name[:200]
    if name not in known:
        known[name] = model.objects.get_or_create(name=name, defaults={"slug": _unique_slug(model, name)})[0]
    return known[name]


def online_class(
    channels: list[parsing.ChannelRow], documents: list[parsing.RequiredDocumentRow], online_submission: bool
) -> tuple[int, str]:
    """Derive the online-service level (1–4) and scope (toàn trình / một phần) from what the catalogue shows.

    The national data does not state the class, so this is a documented estimate an admin can correct: an online
    channel with the portal's "Nộp hồ sơ" button and nothing to pay is full (level 4, toàn trình); any other
    online channel is partial (level 3, một phần); downloadable forms alone are level 2; otherwise level 1.
    """
    online = any(c.kind == "online" for c in channels)
    if online and online_submission and all(c.fee_free for c in channels if c.kind == "online"):
        return Procedure.OnlineLevel.COMPLETE, Procedure.OnlineScope.FULL
    if online:
        return Procedure.OnlineLevel.SUBMISSION, Procedure.OnlineScope.PARTIAL
    if any(d.templates for d in documents):
        return Procedure.OnlineLevel.FORMS, Procedure.OnlineScope.NONE
    return Procedure.OnlineLevel.INFORMATION, Procedure.OnlineScope.NONE


def _channel(channel: parsing.ChannelRow) -> dict:
    return {
        "kind": channel.kind,
        "duration": channel.duration,
        "duration_unit": channel.duration_unit,
        "duration_text": parsing.tidy_text(channel.duration_text),
        "fee_text": parsing.tidy_text(channel.fee_text),
        "fee_amount": channel.fee_amount,
        "fee_free": channel.fee_free,
        "description": parsing.tidy_text(channel.description),
    }


def _document(document: parsing.RequiredDocumentRow) -> dict:
    return {
        "case": parsing.tidy_text(document.case),
        "name": parsing.tidy_name(document.name),
        "templates": [parsing.tidy_text(template) for template in document.templates],
        "originals": document.originals,
        "copies": document.copies,
    }


def _unique_slug(model, name: str) -> str:
    base = slugify(normalize(name))[:180] or "muc"
    slug, n = base, 2
    while model.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _fallback_agency_code() -> str | None:
    from portal.agencies.services import AgencyDataMissing, agency_data_read

    try:
        return agency_data_read(settings.PORTAL_PROVINCE_CODE).get("fallback_agency")
    except AgencyDataMissing:
        return None


def import_procedures(path: Path, **options) -> ImportReport:
    """Import a ``.jsonl`` file (or ``.jsonl.gz``); undecodable bytes become U+FFFD rather than stopping the run."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", errors="replace") as handle:
        return CatalogImporter(**options).run(handle)
