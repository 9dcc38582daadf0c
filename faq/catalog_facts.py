"""FAQ entries written from the procedure catalogue: each answer says only what the catalogue's record says.

Used by ``manage.py build_faq_data`` to write the demo data (``faq/data/faq.csv``); kept as plain functions so a
province can regenerate the entries after a catalogue import and review them before publishing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from portal.catalog.models import Channel, Procedure

_PREFIX_RE = re.compile(r"^\s*thủ tục\s+", re.IGNORECASE)
_SUFFIX_RE = re.compile(r"\s*\((?:thực hiện|cấp)[^)]*\)\s*$", re.IGNORECASE)
_SPACE_RE = re.compile(r"\s+")
MAX_DOCUMENTS = 8
MAX_ITEM_CHARS = 300


@dataclass(frozen=True)
class Fact:
    aspect: str
    question: str
    answer: str


def short_name(procedure: Procedure) -> str:
    """The name as a person says it: without a leading "Thủ tục" nor a trailing "(thực hiện tại cấp …)"."""
    name = _SUFFIX_RE.sub("", _PREFIX_RE.sub("", procedure.name.strip()))
    name = _SPACE_RE.sub(" ", name).strip(" .")
    return name[:1].lower() + name[1:] if name[:2] != name[:2].upper() else name


def _clip(text: str, limit: int = MAX_ITEM_CHARS) -> str:
    text = _SPACE_RE.sub(" ", text.replace("\u200e", "")).strip()
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def _duration(channel: Channel) -> str:
    if channel.duration is not None and channel.time_limit_known():
        value = channel.duration
        number = str(int(value)) if value == value.to_integral_value() else str(value).replace(".", ",")
        return f"{number} {channel.get_duration_unit_display()}"
    return _clip(channel.duration_text, 200)


def _money(amount: int) -> str:
    return f"{amount:,}".replace(",", ".") + " đ"


def _fee(channel: Channel) -> str:
    if channel.fee_free:
        return "không mất phí, lệ phí"
    if channel.fee_text and channel.fee_text.strip().lower() != "không có thông tin":
        return _clip(channel.fee_text, 250)
    if channel.fee_amount:
        return _money(channel.fee_amount)
    return ""


def _documents(procedure: Procedure) -> str:
    items = []
    for doc in procedure.documents.all():
        if doc.case.strip().startswith("* Lưu ý") or len(doc.name.strip()) < 5:
            continue
        count = []
        if doc.originals:
            count.append(f"{doc.originals} bản chính")
        if doc.copies:
            count.append(f"{doc.copies} bản sao")
        items.append("- " + _clip(doc.name) + (f" ({', '.join(count)})" if count else ""))
    if not items:
        return ""
    more = len(items) - MAX_DOCUMENTS
    text = "\n".join(items[:MAX_DOCUMENTS])
    if more > 0:
        text += f"\n- … và {more} giấy tờ khác (xem trang thủ tục)."
    return text


def _online(procedure: Procedure) -> str:
    scope = procedure.online_scope
    if scope == Procedure.OnlineScope.FULL:
        return (
            "Có. Đây là dịch vụ công trực tuyến toàn trình: bạn nộp hồ sơ, theo dõi và nhận kết quả trực tuyến trên "
            "Cổng, không phải đến cơ quan."
        )
    if scope == Procedure.OnlineScope.PARTIAL or procedure.online_level >= Procedure.OnlineLevel.SUBMISSION:
        return (
            "Có, một phần. Đây là dịch vụ công trực tuyến một phần: bạn nộp hồ sơ trực tuyến trên Cổng; một số bước "
            "(xuất trình bản chính, nhận kết quả hoặc nộp phí) có thể phải thực hiện trực tiếp."
        )
    return (
        "Chưa. Thủ tục này chưa nhận hồ sơ trực tuyến trên Cổng; bạn nộp hồ sơ trực tiếp hoặc qua dịch vụ bưu "
        "chính công ích tại nơi tiếp nhận. Trên Cổng bạn xem được thông tin"
        + (" và tải mẫu đơn, tờ khai." if procedure.online_level >= Procedure.OnlineLevel.FORMS else ".")
    )


def _lines(pairs) -> list[str]:
    """ "- kind: text" lines for the pairs with a text, each line once, in order."""
    out: list[str] = []
    for kind, text in pairs:
        line = f"- {kind}: {text}"
        if text and line not in out:
            out.append(line)
    return out


def procedure_facts(procedure: Procedure, receiving_names: list[str]) -> list[Fact]:
    """Up to six questions about ``procedure`` with answers read from its record; an aspect it lacks is skipped."""
    name = short_name(procedure)
    facts: list[Fact] = []
    documents = _documents(procedure)
    if documents:
        facts.append(
            Fact(
                "giay-to",
                f"Làm thủ tục {name} cần chuẩn bị những giấy tờ gì?",
                f"Theo danh mục thủ tục hành chính, hồ sơ {name} gồm:\n{documents}",
            )
        )
    channels = list(procedure.channels.all())
    times = _lines(
        (
            c.get_kind_display(),
            _duration(c)
            + (f" ({_clip(c.description, 160)})" if _duration(c) and c.description.strip() else ""),
        )
        for c in channels
    )
    if times:
        lines = "\n".join(times)
        facts.append(
            Fact(
                "thoi-han", f"Giải quyết thủ tục {name} mất bao lâu?", f"Thời hạn giải quyết {name}:\n{lines}"
            )
        )
    fees = _lines((c.get_kind_display(), _fee(c)) for c in channels)
    if fees:
        lines = "\n".join(fees)
        facts.append(
            Fact("phi", f"Thủ tục {name} có mất phí, lệ phí không?", f"Phí, lệ phí {name}:\n{lines}")
        )
    where = _clip(procedure.where_to_file, 400) if procedure.where_to_file.strip() else ""
    if receiving_names:
        listed = ", ".join(receiving_names[:3])
        if len(receiving_names) > 3:
            listed += f" (và {len(receiving_names) - 3} đơn vị khác cùng cấp)"
        where = (where + "\n" if where else "") + f"Nơi tiếp nhận trên Cổng: {listed}."
    if where:
        facts.append(Fact("noi-nop", f"Nộp hồ sơ {name} ở đâu?", f"Nơi nộp hồ sơ {name}: {where}"))
    applicants = [a.name for a in procedure.applicant_types.all()]
    if applicants:
        facts.append(
            Fact(
                "doi-tuong",
                f"Ai được thực hiện thủ tục {name}?",
                f"Đối tượng thực hiện {name}: {', '.join(applicants)}.",
            )
        )
    facts.append(Fact("truc-tuyen", f"Có nộp hồ sơ {name} trực tuyến được không?", _online(procedure)))
    return facts
