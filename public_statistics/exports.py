"""Every table of the statistics pages as CSV (UTF-8 with BOM, so spreadsheet programs read the diacritics) or JSON."""

import csv
import io
import json

from django.http import HttpResponse, JsonResponse

FORMATS = ("csv", "json")


def table_response(fmt: str, filename: str, header: list[str], keys: list[str], rows: list[dict], meta: dict):
    if fmt == "json":
        return JsonResponse(
            {**meta, "rows": [{k: row.get(k) for k in keys} for row in rows]},
            json_dumps_params={"ensure_ascii": False},
        )
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if row.get(k) is None else row.get(k) for k in keys])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False)
