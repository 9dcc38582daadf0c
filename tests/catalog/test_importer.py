import gzip
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from portal.catalog.importer import import_procedures
from portal.catalog.models import Channel, Procedure, ProcedureAgency
from portal.territory.models import AdministrativeUnit

pytestmark = pytest.mark.django_db
SOURCE = Path("portal/catalog/data/procedures-2026.jsonl.gz")


def _records(count: int) -> list[dict]:
    with gzip.open(SOURCE, "rt", encoding="utf-8") as handle:
        return [json.loads(next(handle)) for _ in range(count)]


def vendored_record_count() -> int:
    """How many procedures the vendored catalogue file holds (one JSON record a line)."""
    with gzip.open(SOURCE, "rt", encoding="utf-8") as handle:
        return sum(1 for line in handle if line.strip())


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_the_whole_national_catalogue_is_imported():
    records = vendored_record_count()
    assert records > 1000  # the file is the real catalogue, not a sample
    assert Procedure.objects.count() == records
    assert Procedure.objects.filter(is_national_synced=True).count() == records


def test_running_the_import_again_changes_nothing(capsys):
    call_command("import_procedures", quiet_incomplete=True)
    out = capsys.readouterr().out
    assert "0 mới, 0 cập nhật, 1601 không đổi, 0 dòng lỗi" in out


def test_a_malformed_line_is_reported_with_its_number_and_the_rest_still_imports(tmp_path):
    first, second = _records(2)
    first["ten_thu_tuc"] = "Tên đã sửa"
    path = _write(
        tmp_path / "batch.jsonl",
        [json.dumps(first, ensure_ascii=False), '{"ma_thu_tuc": "9.9", oops', "[1, 2]", json.dumps(second)],
    )
    report = import_procedures(path)
    assert [error.line for error in report.errors] == [2, 3]
    assert "JSON" in report.errors[0].message
    assert (report.updated, report.unchanged) == (1, 1)
    assert Procedure.objects.get(code=first["ma_thu_tuc"]).name == "Tên đã sửa"


def test_a_record_without_code_or_name_is_refused_by_line(tmp_path):
    record = _records(1)[0]
    path = _write(
        tmp_path / "bad.jsonl", [json.dumps({**record, "ma_thu_tuc": ""}), json.dumps({"ten_thu_tuc": 5})]
    )
    report = import_procedures(path)
    assert [(e.line, "thiếu trường bắt buộc" in e.message) for e in report.errors] == [(1, True), (2, True)]


def test_a_new_procedure_is_created_and_counted(tmp_path):
    record = {**_records(1)[0], "ma_thu_tuc": "9.000001", "ten_thu_tuc": "Thủ tục thử nghiệm"}
    report = import_procedures(_write(tmp_path / "new.jsonl", [json.dumps(record, ensure_ascii=False)]))
    assert report.created == 1
    assert Procedure.objects.get(code="9.000001").channels.exists()


def test_procedures_missing_from_a_later_file_are_kept(tmp_path):
    import_procedures(_write(tmp_path / "one.jsonl", [json.dumps(_records(1)[0])]))
    assert Procedure.objects.count() == vendored_record_count()


def test_parsed_fields_keep_their_original_text():
    procedure = Procedure.objects.get(code="1.001193")
    assert procedure.name == "Thủ tục đăng ký khai sinh"
    assert procedure.channels_raw.startswith("Hình thức nộp")
    assert procedure.channels.filter(kind=Channel.Kind.ONLINE).exists()
    assert procedure.documents.exists()
    assert procedure.legal_documents.exclude(number="").exists()
    assert procedure.field.name == "Hộ tịch"
    assert procedure.is_commune_level


def test_channel_time_and_fee_are_parsed():
    channel = Procedure.objects.get(code="1.014850").channels.get(kind=Channel.Kind.DIRECT)
    assert (channel.duration, channel.duration_unit, channel.fee_free) == (6, "working_day", True)


def test_commune_level_procedures_are_linked_to_every_commune_and_to_the_sector_department():
    procedure = Procedure.objects.get(code="1.001193")  # đăng ký khai sinh
    links = procedure.agency_links.select_related("agency")
    communes = AdministrativeUnit.objects.filter(
        parent__code="91", kind=AdministrativeUnit.Kind.COMMUNE
    ).count()
    assert links.filter(role=ProcedureAgency.Role.IMPLEMENTING, agency__kind="commune").count() == communes
    assert [link.agency.name for link in links.filter(role=ProcedureAgency.Role.COMPETENT)] == ["Sở Tư pháp"]


def test_province_level_procedures_go_to_the_competent_department():
    police = Procedure.objects.filter(is_province_level=True, implementing_agency_raw="Công an tỉnh").first()
    competent = police.agency_links.get(role=ProcedureAgency.Role.COMPETENT).agency
    assert competent.name == "Công an tỉnh An Giang"
    assert not Procedure.objects.filter(is_province_level=True, agency_links__isnull=True).exists()


def test_the_online_service_class_is_stored():
    assert set(Procedure.objects.values_list("online_level", flat=True)) <= {1, 2, 3, 4}
    assert Procedure.objects.filter(online_scope=Procedure.OnlineScope.FULL, online_level=4).exists()
    assert Procedure.objects.filter(online_scope=Procedure.OnlineScope.PARTIAL, online_level=3).exists()


def test_the_command_lists_what_it_could_not_fully_parse(tmp_path):
    record = {**_records(1)[0], "cach_thuc_thuc_hien": "Hình thức nộpThời gianPhí, lệ phíMô tảbí ẩn"}
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "import_procedures", str(_write(tmp_path / "x.jsonl", [json.dumps(record)])), stdout=out, stderr=err
    )
    assert "1 chưa phân tích hết" in out.getvalue()
    assert f"{record['ma_thu_tuc']}: cách thức thực hiện" in out.getvalue()
    assert Procedure.objects.get(code=record["ma_thu_tuc"]).channels_raw.endswith("bí ẩn")


def test_a_missing_file_is_a_clear_command_error(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Không tìm thấy tệp"):
        call_command("import_procedures", str(tmp_path / "nope.jsonl"))
