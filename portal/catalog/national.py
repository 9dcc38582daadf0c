"""The national procedure catalogue pulled through the national portal's client (``LayDanhSachTTHC``) and upserted
with the importer's own rules (``CatalogImporter``): by code, unchanged records left alone, a bad record reported
and the rest still written. The national service names its fields in Vietnamese PascalCase; the importer reads the
field names of the published JSON Lines file, so each record is renamed first."""

import json
import logging

from integrations.dvcqg.client import DvcqgClient, dvcqg_client
from portal.catalog.importer import CatalogImporter, ImportReport

logger = logging.getLogger(__name__)

# The national service's field → the published catalogue file's field, which the importer reads.
NATIONAL_FIELDS = {
    "MaTTHC": "ma_thu_tuc",
    "TenTTHC": "ten_thu_tuc",
    "DuongDan": "detail_url",
    "SoQuyetDinh": "so_quyet_dinh",
    "CapThucHien": "cap_thuc_hien",
    "LoaiTTHC": "loai_thu_tuc",
    "LinhVuc": "linh_vuc",
    "DoiTuongThucHien": "doi_tuong_thuc_hien",
    "CoQuanCoThamQuyen": "co_quan_co_tham_quyen",
    "DiaChiTiepNhan": "dia_chi_tiep_nhan",
    "CoQuanDuocUyQuyen": "co_quan_duoc_uy_quyen",
    "CoQuanPhoiHop": "co_quan_phoi_hop",
    "ThuTucLienQuan": "thu_tuc_lien_quan",
    "TrinhTuThucHien": "trinh_tu_thuc_hien",
    "CachThucThucHien": "cach_thuc_thuc_hien",
    "ThanhPhanHoSo": "thanh_phan_ho_so",
    "CanCuPhapLy": "can_cu_phap_ly",
    "CoQuanThucHien": "co_quan_thuc_hien",
    "YeuCauDieuKien": "yeu_cau_dieu_kien",
    "KetQuaXuLy": "ket_qua_xu_ly",
    "BoNganh": "source_ministry",
}
KNOWN = frozenset(NATIONAL_FIELDS.values())


def national_record(record) -> dict | str:
    """A national record with the catalogue file's field names; what the importer does not read is left out.
    Not an object: returned as is, for the importer to report."""
    if not isinstance(record, dict):
        return record
    renamed = {}
    for key, value in record.items():
        name = NATIONAL_FIELDS.get(key, key)
        if name in KNOWN:
            renamed[name] = value
    return renamed


def catalogue_pull(*, client: DvcqgClient | None = None) -> ImportReport:
    """Fetch the whole national catalogue and upsert it; the report counts created, updated, unchanged and the
    records that failed (by their position in the national list)."""
    client = client or dvcqg_client()
    records = client.procedures()
    lines = (json.dumps(national_record(record), ensure_ascii=False) for record in records)
    report = CatalogImporter().run(lines)
    logger.info(
        "national catalogue: %s created, %s updated, %s unchanged, %s failed",
        report.created,
        report.updated,
        report.unchanged,
        len(report.errors),
    )
    return report
