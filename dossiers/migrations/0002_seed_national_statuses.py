from django.db import migrations

# A copy, as of this migration, of dossiers.workflow.NATIONAL_STATUS_SEED: migrations must not change when code does.
SEED = {
    "submitted": (1, "Mới đăng ký, chờ tiếp nhận"),
    "received": (2, "Đã tiếp nhận"),
    "refused": (3, "Không được tiếp nhận"),
    "processing": (4, "Đang xử lý"),
    "consulting": (4, "Đang xử lý"),
    "awaiting_approval": (4, "Đang xử lý"),
    "supplement": (5, "Yêu cầu bổ sung giấy tờ"),
    "financial": (6, "Yêu cầu thực hiện nghĩa vụ tài chính"),
    "withdrawn": (7, "Công dân yêu cầu rút hồ sơ"),
    "stopped": (8, "Dừng xử lý"),
    "awaiting_return": (9, "Đã xử lý xong, chờ trả kết quả"),
    "returned": (10, "Đã trả kết quả"),
}


def seed(apps, schema_editor):
    NationalStatus = apps.get_model("dossiers", "NationalStatus")
    for state, (code, name) in SEED.items():
        NationalStatus.objects.update_or_create(state=state, defaults={"code": code, "name": name})


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
