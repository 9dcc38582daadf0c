"""Write ``faq/data/catalog.csv``: FAQ entries generated from the procedure catalogue in the database.

Run after ``import_procedures``. For every agency that is the competent agency of procedures, enough of them for sixty
entries (province-level ones with a list of documents first, online ones first), then the most asked commune-level procedures (civil status, residence,
certification, land, household business, social protection): six questions each at most (documents, time, fees,
where to file, who may apply, online or not), every answer read from the procedure's record.
"""

import csv
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db.models import Count, F, Q

from faq.catalog_facts import procedure_facts, short_name
from portal.agencies.models import Agency
from portal.catalog.models import Procedure, ProcedureAgency
from portal.catalog.selectors import procedure_receiving_agencies

DEFAULT_PATH = Path(__file__).resolve().parents[2] / "data" / "catalog.csv"
PER_AGENCY_ENTRIES = 60  # above the department quota of 50, where the agency has enough procedures
MAX_PER_AGENCY = 40
COMMUNE_PROCEDURES = 45
MAX_NAME_CHARS = 250
# Commune-level services people ask about most, in order; a procedure matching an earlier word comes first.
COMMUNE_PRIORITY = (
    "đăng ký khai sinh",
    "đăng ký kết hôn",
    "đăng ký khai tử",
    "xác nhận tình trạng hôn nhân",
    "thường trú",
    "tạm trú",
    "chứng thực bản sao",
    "chứng thực chữ ký",
    "hộ kinh doanh",
    "giấy phép xây dựng",
    "trích lục",
    "nhận cha, mẹ, con",
    "thay đổi, cải chính",
    "giám hộ",
    "trợ cấp",
    "hộ nghèo",
    "bảo hiểm y tế",
    "quyền sử dụng đất",
    "hòa giải",
    "căn cước",
)


def _priority(name: str) -> int:
    lowered = name.lower()
    for i, word in enumerate(COMMUNE_PRIORITY):
        if word in lowered:
            return i
    return len(COMMUNE_PRIORITY)


def _queryset():
    return Procedure.objects.filter(is_active=True).prefetch_related(
        "channels", "documents", "applicant_types", "agency_links__agency"
    )


class Command(BaseCommand):
    help = "Sinh tệp câu hỏi thường gặp từ danh mục thủ tục (faq/data/catalog.csv)."

    def add_arguments(self, parser):
        parser.add_argument("--output", default=str(DEFAULT_PATH))

    def handle(self, *args, output, **options):
        chosen: dict[int, Agency | None] = {}
        competent = (
            Agency.objects.filter(procedure_links__role=ProcedureAgency.Role.COMPETENT)
            .annotate(n=Count("procedure_links"))
            .order_by("code")
        )
        for agency in competent:
            procedures = (
                _queryset()
                .filter(agency_links__agency=agency, agency_links__role=ProcedureAgency.Role.COMPETENT)
                .annotate(docs=Count("documents"))
                .order_by("-is_province_level", F("docs").desc(nulls_last=True), "-online_level", "code")
            )
            written = 0
            for procedure in procedures[:MAX_PER_AGENCY]:
                if written >= PER_AGENCY_ENTRIES:
                    break
                if procedure.pk in chosen or len(short_name(procedure)) > MAX_NAME_CHARS:
                    continue
                chosen[procedure.pk] = agency
                written += len(procedure_facts(procedure, []))
        commune_level = list(
            Procedure.objects.filter(is_active=True, is_commune_level=True)
            .filter(~Q(pk__in=chosen.keys()))
            .values_list("pk", "name", "code")
        )
        commune_level.sort(key=lambda row: (_priority(row[1]), row[2]))
        for pk, _name, _code in commune_level[:COMMUNE_PROCEDURES]:
            link = (
                ProcedureAgency.objects.filter(procedure_id=pk, role=ProcedureAgency.Role.COMPETENT)
                .select_related("agency")
                .first()
            )
            chosen[pk] = link.agency if link else None

        rows = 0
        path = Path(output)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["id", "question", "answer", "agency", "field", "procedure_codes"])
            for procedure in _queryset().filter(pk__in=chosen.keys()).order_by("code"):
                if len(short_name(procedure)) > MAX_NAME_CHARS:
                    continue  # a name that is a paragraph makes no question a person would ask
                agency = chosen[procedure.pk]
                receiving = [a.name for a in procedure_receiving_agencies(procedure)]
                for fact in procedure_facts(procedure, receiving):
                    writer.writerow(
                        [
                            f"tthc-{procedure.code}-{fact.aspect}",
                            fact.question,
                            fact.answer,
                            agency.code if agency else "",
                            procedure.field.name if procedure.field_id else "",
                            procedure.code,
                        ]
                    )
                    rows += 1
        self.stdout.write(f"Đã ghi {rows} câu hỏi về {len(chosen)} thủ tục vào {path}.")
