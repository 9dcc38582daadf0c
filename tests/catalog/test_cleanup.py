"""The catalogue is stored tidy: NFC text, names without the source's list marks and trailing ";", single spaces,
and in Vietnamese alphabetical order; rows an older import stored untidy are tidied by the next import."""

import gzip
import json
import unicodedata
from pathlib import Path

import pytest
from django.apps import apps
from django.db import models

from portal.catalog import importer
from portal.catalog.collation import sort_key
from portal.catalog.importer import import_procedures
from portal.catalog.models import SORT_KEY_LENGTH, ApplicantType, Field, Procedure, RequiredDocument
from portal.catalog.parsing import tidy_name, tidy_text
from portal.catalog.selectors import CatalogFilters, filter_choices, procedure_page

SOURCE = Path("portal/catalog/data/procedures-2026.jsonl.gz")
NFD = lambda text: unicodedata.normalize("NFD", text)  # noqa: E731


def _record(code: str) -> dict:
    with gzip.open(SOURCE, "rt", encoding="utf-8") as handle:
        return next(record for line in handle if (record := json.loads(line))["ma_thu_tuc"] == code)


def _write(path: Path, *records: dict) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


# --- the tidy functions ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "tidy"),
    [
        (". Đăng ký thuế", "Đăng ký thuế"),
        ("- Văn bản đề nghị gia hạn", "Văn bản đề nghị gia hạn"),
        ("+ Đề nghị khai báo tạm vắng;", "Đề nghị khai báo tạm vắng"),
        (". - Tên", "Tên"),
        ("Giấy khai sinh;", "Giấy khai sinh"),
        ("Giấy khai sinh ; ", "Giấy khai sinh"),
        ("Cấp  giấy\u00a0 phép \t xây dựng", "Cấp giấy phép xây dựng"),
        ("Dòng một\nDòng hai", "Dòng một Dòng hai"),
        (NFD("Hộ tịch"), "Hộ tịch"),
        ("a) Đơn đề nghị", "a) Đơn đề nghị"),  # a numbered item keeps its number
        ("-5 độ", "-5 độ"),  # a minus sign is not a list mark
        ("Mẫu số 06.docx", "Mẫu số 06.docx"),
        (";", ";"),  # nothing but marks: kept rather than emptied
        ("", ""),
    ],
)
def test_tidy_name(raw, tidy):
    assert tidy_name(raw) == tidy
    assert tidy_name(tidy) == tidy  # tidying twice changes nothing


def test_tidy_name_output_is_nfc():
    assert unicodedata.is_normalized("NFC", tidy_name(NFD(". Đăng  ký thường trú;")))


def test_tidy_text_keeps_lines_and_collapses_spaces():
    raw = NFD("Bước 1:  nộp hồ sơ  \n   Bước 2:\tnhận\u00a0\u00a0kết quả\r\n\x00")
    assert tidy_text(raw) == "Bước 1: nộp hồ sơ\nBước 2: nhận kết quả"
    assert tidy_text(tidy_text(raw)) == tidy_text(raw)


# --- the whole catalogue, as the session imported it ---------------------------------------------------------------


def _catalog_texts():
    """(model, field, value) for every text of every catalogue row, inside JSON lists too."""
    for model in apps.get_app_config("catalog").get_models():
        names = [
            f.name
            for f in model._meta.fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField)
        ]
        for row in model.objects.values_list(*names):
            for name, value in zip(names, row, strict=True):
                for text in value if isinstance(value, list) else [value]:
                    if isinstance(text, str):
                        yield model.__name__, name, text


@pytest.mark.django_db
def test_no_catalogue_text_is_stored_decomposed():
    decomposed = [
        (model, name, text[:40])
        for model, name, text in _catalog_texts()
        if not unicodedata.is_normalized("NFC", text)
    ]
    assert decomposed == []


@pytest.mark.django_db
def test_no_stored_name_has_list_marks_a_final_semicolon_or_double_spaces():
    names = [
        *Procedure.objects.values_list("name", flat=True),
        *RequiredDocument.objects.values_list("name", flat=True),
        *Field.objects.values_list("name", flat=True),
        *ApplicantType.objects.values_list("name", flat=True),
    ]
    untidy = [name for name in names if name != tidy_name(name)]
    assert untidy == []
    assert not Procedure.objects.filter(name__startswith=". ").exists()
    assert not RequiredDocument.objects.filter(name__endswith=";").exists()


@pytest.mark.django_db
def test_the_catalogue_is_listed_in_vietnamese_alphabetical_order():
    page = procedure_page(filters=CatalogFilters(), page=1, page_size=200)
    names = [procedure.name for procedure in page.items]
    assert names == sorted(names, key=lambda name: sort_key(name, SORT_KEY_LENGTH))
    # The model's default order is the same, by the key's first SORT_KEY_LENGTH characters (then by code).
    stored = list(Procedure.objects.values_list("name", flat=True))
    assert stored == sorted(stored, key=lambda name: sort_key(name, SORT_KEY_LENGTH))


@pytest.mark.django_db
def test_filter_options_are_in_vietnamese_alphabetical_order():
    choices = filter_choices()
    fields = [name for _slug, name in choices["field_choices"]]
    assert fields == sorted(fields, key=sort_key)
    assert (
        fields.index("Bảo hiểm")
        < fields.index("Biển và hải đảo")
        < fields.index("Dự trữ")
        < fields.index("Đất đai")
    )
    applicants = [name for _slug, name in choices["applicant_choices"]]
    assert applicants == sorted(applicants, key=sort_key)
    communes = [name for _code, name, kind in choices["agency_choices"] if kind == "commune"]
    assert len(communes) == 102 and communes == sorted(communes, key=sort_key)
    kinds = [kind for _code, _name, kind in choices["agency_choices"]]
    assert kinds == sorted(
        kinds, key=["province", "service_centre", "department", "central", "commune"].index
    )


# --- importing tidies, and tidies what an older import stored ------------------------------------------------------


@pytest.mark.django_db
def test_a_new_record_is_stored_tidy(tmp_path):
    record = _record("1.001193")
    record.update(
        ma_thu_tuc="9.000777",
        ten_thu_tuc=NFD(". Thủ tục  thử nghiệm;"),
        linh_vuc=NFD("Lĩnh vực  thử nghiệm"),
        doi_tuong_thuc_hien="Công dân Việt Nam;, Doanh nghiệp",
        thanh_phan_ho_so="Tên giấy tờMẫu đơn, tờ khaiSố lượng- Tờ khai  đăng ký;1 bản chính",
    )
    report = import_procedures(_write(tmp_path / "new.jsonl", record))
    assert report.created == 1
    procedure = Procedure.objects.get(code="9.000777")
    assert procedure.name == "Thủ tục thử nghiệm"
    assert procedure.field.name == "Lĩnh vực thử nghiệm"
    assert sorted(procedure.applicant_types.values_list("name", flat=True)) == [
        "Công dân Việt Nam",
        "Doanh nghiệp",
    ]
    assert list(procedure.documents.values_list("name", flat=True)) == ["Tờ khai đăng ký"]
    assert procedure.sort_key == sort_key("Thủ tục thử nghiệm")


@pytest.mark.django_db
def test_rows_an_older_import_stored_untidy_are_tidied_by_the_next_import(tmp_path, monkeypatch):
    record = _record("1.001193")
    path = _write(tmp_path / "birth.jsonl", record)
    procedure = Procedure.objects.get(code=record["ma_thu_tuc"])
    document = procedure.documents.order_by("position").first()
    tidy_document_name = document.name
    field = procedure.field
    # As the import stored them before it tidied: decomposed, with marks, under the old kind of hash.
    Procedure.objects.filter(pk=procedure.pk).update(
        name=NFD(". Thủ tục  đăng ký khai sinh;"), steps_raw=NFD(procedure.steps_raw), content_hash="0" * 64
    )
    RequiredDocument.objects.filter(pk=document.pk).update(name=NFD(f"- {tidy_document_name};"))
    Field.objects.filter(pk=field.pk).update(name=NFD(f"{field.name}  "))
    twin = ApplicantType.objects.create(name="Công dân Việt Nam;", slug="cong-dan-viet-nam-cu")
    procedure.applicant_types.add(twin)

    report = import_procedures(path)
    assert (report.updated, report.unchanged) == (1, 0)
    procedure.refresh_from_db()
    assert procedure.name == "Thủ tục đăng ký khai sinh"
    assert unicodedata.is_normalized("NFC", procedure.steps_raw)
    assert procedure.sort_key == sort_key(procedure.name)
    # The document keeps its row (dossier files point to it), tidied in place.
    assert RequiredDocument.objects.get(pk=document.pk).name == tidy_document_name
    # The field is renamed, not replaced: its address stays.
    field_now = Field.objects.get(pk=field.pk)
    assert (field_now.name, field_now.slug) == (field.name, field.slug) and procedure.field_id == field.pk
    # Two applicant types that tidy to the same name become one.
    assert not ApplicantType.objects.filter(pk=twin.pk).exists()
    assert list(procedure.applicant_types.values_list("name", flat=True)) == [
        "Công dân Việt Nam",
        "Người Việt Nam định cư ở nước ngoài",
    ]

    # A second import finds nothing to do.
    again = import_procedures(path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)


@pytest.mark.django_db
def test_raising_the_import_version_rewrites_every_record_once(tmp_path, monkeypatch):
    records = [_record("1.001193"), _record("1.014850")]
    path = _write(tmp_path / "two.jsonl", *records)
    assert import_procedures(path).unchanged == 2
    monkeypatch.setattr(importer, "IMPORT_VERSION", importer.IMPORT_VERSION + 1)
    assert import_procedures(path).updated == 2
    assert import_procedures(path).unchanged == 2


@pytest.mark.django_db
def test_documents_that_stay_keep_their_rows_and_gone_ones_are_deleted():
    procedure = Procedure.objects.get(code="1.001193")
    procedure.documents.all().delete()
    rows = [
        RequiredDocument.objects.create(procedure=procedure, position=i, name=name, originals=1)
        for i, name in enumerate(["- Tờ khai;", "Giấy chứng sinh", "Giấy tờ cũ"])
    ]
    wanted = [
        {"case": "", "name": "Giấy chứng sinh", "templates": [], "originals": 1, "copies": None},
        {"case": "", "name": "Tờ khai", "templates": ["Mẫu 01.docx"], "originals": 1, "copies": None},
        {"case": "", "name": "Giấy tờ mới", "templates": [], "originals": None, "copies": 1},
    ]
    importer._sync_documents(procedure, wanted, created=False)
    after = list(procedure.documents.order_by("position").values_list("pk", "name", "templates"))
    assert [(name, templates) for _pk, name, templates in after] == [
        (w["name"], w["templates"]) for w in wanted
    ]
    assert [pk for pk, _name, _templates in after[:2]] == [rows[1].pk, rows[0].pk]  # kept, moved, tidied
    assert not RequiredDocument.objects.filter(pk=rows[2].pk).exists()  # gone from the source
