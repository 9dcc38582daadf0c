"""The result field (``ket_qua_xu_ly``): the result documents, their codes, and whether online submission is
offered."""

import re

from portal.catalog.parsing.text import Parsed, clean, done, is_no_information, squeeze

_RESULT_CODE = re.compile(r"Mã:[ \t]*([A-Za-z0-9][A-Za-z0-9.\-_]{0,40})")
_CHROME = "Từ khóa"


def _split_result(text: str) -> tuple[str, str]:
    """Split the result field into (results part, page chrome from "Từ khóa" on)."""
    body = clean(text)
    codes = list(_RESULT_CODE.finditer(body))
    cut = body.find(_CHROME, codes[-1].start(1) if codes else 0)
    return (body, "") if cut < 0 else (body[:cut], body[cut:])


def _code_end(text: str, start: int, end: int) -> int:
    """End of the result code that starts ``text[start:end]``, a run of code-like characters.

    The next name is glued on ("KQ.G12.000227Văn bản…", "…000231văn bản…", "…000245KBNN…"):
    codes with digits end at their last digit; others ("VBTT") at a capital followed by lower
    case.
    """
    digits = [i for i in range(start, end) if text[i].isdigit()]
    if digits:
        return digits[-1] + 1
    for i in range(start + 1, end):
        if text[i].isupper() and text[i + 1 : i + 2].islower():
            return i
    return end


def _result_pairs(results: str) -> list[tuple[str, str]]:
    """(name, code) pairs in order; a trailing name without code gets code ""."""
    pairs, pos = [], 0
    for m in _RESULT_CODE.finditer(results):
        end = _code_end(results, m.start(1), m.end(1))
        pairs.append((squeeze(results[pos : m.start()]), results[m.start(1) : end]))
        pos = end
    if results[pos:].strip():
        pairs.append((squeeze(results[pos:]), ""))
    return pairs


def parse_result(text: str) -> Parsed[str]:
    """Result names, in order, without the "Mã: …" codes and the page chrome after them."""
    if is_no_information(text):
        return done([], [])
    results, _ = _split_result(text)
    names, problems = [], []
    for name, code in _result_pairs(results):
        if name:
            names.append(name)
        else:
            problems.append(f"mã kết quả {code or '?'} không có tên")
    return done(names, problems)


def parse_result_codes(text: str) -> list[str]:
    """Result codes such as "KQ.G15.000031", in order of appearance."""
    results, _ = _split_result(text)
    return [code for _, code in _result_pairs(results) if code]


def has_online_submission(result_text: str) -> bool:
    """True when the page chrome ends with the portal's "Nộp hồ sơ" (online filing) button."""
    _, chrome = _split_result(result_text)
    return chrome.rstrip().endswith("Nộp hồ sơ")
