"""The FAQ importer and export, against the real agencies and catalogue loaded for the test run."""

import io

import pytest
from django.core.management import CommandError, call_command

from faq.importer import faq_export_csv, faq_import
from faq.models import FaqEntry
from portal.catalog.models import Procedure

pytestmark = pytest.mark.django_db

HEADER = "id,question,answer,agency,field,procedure_codes,note\n"


def _import(text: str, **kwargs):
    return faq_import(io.StringIO(text, newline=""), **kwargs)


def test_rows_are_created_with_agency_by_code_field_by_name_and_procedures_by_code():
    procedure = Procedure.objects.filter(field__isnull=False).order_by("code").first()
    report = _import(
        HEADER + f'q1,"Hỏi gì?","Trả lời.",000.00.05.H01,{procedure.field.name},"{procedure.code}",ghi chú\n'
    )
    assert (report.created, report.updated, report.unchanged, report.refused) == (1, 0, 0, [])
    entry = FaqEntry.objects.get(external_id="q1")
    assert entry.agency.name == "Sở Tư pháp"
    assert entry.field == procedure.field
    assert list(entry.procedures.all()) == [procedure]
    assert entry.state == FaqEntry.State.PUBLISHED


def test_agency_matches_by_name_without_diacritics_and_case():
    report = _import("question,answer,agency\nA?,B.,so tu PHAP\n")
    assert report.warnings == []
    assert FaqEntry.objects.get().agency.code == "000.00.05.H01"


def test_reimporting_the_same_file_changes_nothing_and_a_changed_answer_updates():
    text = HEADER + "q1,Hỏi một?,Trả lời một.,,,,\nq2,Hỏi hai?,Trả lời hai.,,,,\n"
    _import(text)
    again = _import(text)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    changed = _import(text.replace("Trả lời hai.", '"Trả lời hai, sửa lại."'))
    assert (changed.created, changed.updated, changed.unchanged) == (0, 1, 1)
    assert FaqEntry.objects.count() == 2
    assert FaqEntry.objects.get(external_id="q2").answer == "Trả lời hai, sửa lại."


def test_unknown_agency_or_field_is_a_warning_and_the_entry_is_kept_for_the_whole_province():
    report = _import(HEADER + "q1,Hỏi?,Đáp.,Sở Không Có,Lĩnh vực lạ,9.999999,\n")
    assert report.created == 1
    assert [line for line, _ in report.warnings] == [2, 2, 2]
    entry = FaqEntry.objects.get()
    assert entry.agency is None and entry.field is None and not entry.procedures.exists()


def test_rows_without_question_or_answer_are_refused_with_their_line_numbers_and_the_rest_kept():
    text = HEADER + 'q1,,Đáp.,,,,\nq2,"Hỏi\nhai dòng?",Đáp.,,,,\nq3,Hỏi?,,,,,\nq4,Hỏi bốn?,Đáp.,,,,\n'
    report = _import(text)
    assert report.refused == [(2, "thiếu câu hỏi"), (5, "thiếu câu trả lời")]
    assert set(FaqEntry.objects.values_list("external_id", flat=True)) == {"q2", "q4"}


def test_a_duplicate_id_in_one_file_is_refused_on_its_second_line():
    report = _import(HEADER + "q1,Hỏi?,Đáp.,,,,\nq1,Hỏi khác?,Đáp khác.,,,,\n")
    assert report.created == 1
    assert report.refused == [(3, "mã (id) “q1” trùng dòng 2")]


def test_rows_without_id_match_the_same_question_on_reimport():
    text = "question,answer\nHỏi?,Đáp.\n"
    _import(text)
    assert _import(text).unchanged == 1
    assert FaqEntry.objects.count() == 1


def test_a_file_without_the_required_columns_is_refused_as_a_whole(tmp_path):
    path = tmp_path / "faq.csv"
    path.write_text("cau_hoi,tra_loi\nA,B\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Thiếu cột bắt buộc: question, answer"):
        call_command("import_faq", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    assert not FaqEntry.objects.exists()


def test_a_file_that_is_not_utf8_is_refused_with_a_message(tmp_path):
    path = tmp_path / "faq.csv"
    path.write_bytes("question,answer\nHỏi,Đáp\n".encode("utf-16"))
    with pytest.raises(CommandError, match="UTF-8"):
        call_command("import_faq", str(path), stdout=io.StringIO(), stderr=io.StringIO())


def test_the_command_reports_counts_and_line_numbers(tmp_path):
    path = tmp_path / "faq.csv"
    path.write_text(HEADER + "q1,Hỏi?,Đáp.,Sở Lạ,,,\nq2,,Đáp.,,,,\n", encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    call_command("import_faq", str(path), stdout=out, stderr=err)
    assert "Tạo mới: 1; cập nhật: 0; không đổi: 0; từ chối: 1" in out.getvalue()
    assert "Dòng 2: cảnh báo: không tìm thấy cơ quan “Sở Lạ”" in err.getvalue()
    assert "Dòng 3: từ chối: thiếu câu hỏi" in err.getvalue()


def test_export_imports_back_unchanged_and_guards_formula_cells():
    procedure = Procedure.objects.order_by("code").first()
    _import(HEADER + f'q1,=Hỏi?,"Đáp, có dấu phẩy.",000.00.05.H01,,{procedure.code},\n')
    own = FaqEntry.objects.create(question="Không mã?", answer="Đáp.", state=FaqEntry.State.DRAFT)
    exported = "".join(faq_export_csv(FaqEntry.objects.all()))
    assert "'=Hỏi?" in exported
    report = _import(exported.lstrip("\ufeff"))
    assert (report.created, report.updated, report.unchanged) == (0, 0, 2)
    own.refresh_from_db()
    assert own.state == FaqEntry.State.DRAFT
    assert FaqEntry.objects.get(external_id="q1").question == "=Hỏi?"
