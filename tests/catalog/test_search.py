"""Tests for the pure-Python catalogue search (``portal.catalog.search``), against the real catalogue.

Plain pytest: no database, no Django. The index is built once per module from the 1,601 real procedures.
"""

from __future__ import annotations

import gzip
import importlib
import json
import pickle
import sys
import types
import unicodedata
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DATA_FILES = (
    REPO / "portal" / "catalog" / "data" / "procedures-2026.jsonl.gz",
    Path("/work/shared/data/tthc/procedures.jsonl"),
)


def _import_search():
    """Import the search module. Without Celery (a bare test venv), bypass ``portal/__init__.py``, which
    imports Celery, with namespace stand-ins for the two packages; the search module only needs the stdlib."""
    try:
        return importlib.import_module("portal.catalog.search")
    except ImportError:
        pass
    for name, path in (("portal", REPO / "portal"), ("portal.catalog", REPO / "portal" / "catalog")):
        package = types.ModuleType(name)
        package.__path__ = [str(path)]
        sys.modules[name] = package
    return importlib.import_module("portal.catalog.search")


search = _import_search()
synonyms = importlib.import_module("portal.catalog.synonyms")
Document, Hit, SearchIndex, normalize = search.Document, search.Hit, search.SearchIndex, search.normalize


def _load_rows() -> list[dict]:
    for path in DATA_FILES:
        if path.exists():
            opener = gzip.open if path.suffix == ".gz" else open
            with opener(path, "rt", encoding="utf-8") as fh:
                return [json.loads(line) for line in fh if line.strip()]
    pytest.skip("procedure catalogue data not found")


def _document(number: int, row: dict) -> Document:
    return Document(
        id=number,
        title=row["ten_thu_tuc"],
        keywords=f"{row['ma_thu_tuc']} {row['linh_vuc']}",
        body=" ".join([row["co_quan_thuc_hien"], row["ket_qua_xu_ly"], row["trinh_tu_thuc_hien"]]),
    )


@pytest.fixture(scope="module")
def rows() -> list[dict]:
    return _load_rows()


@pytest.fixture(scope="module")
def index(rows) -> SearchIndex:
    return SearchIndex.build(_document(i, row) for i, row in enumerate(rows))


@pytest.fixture(scope="module")
def find(index, rows):
    """``find(query)`` -> the matching rows, best first."""

    def run(query: str, limit: int = 200) -> list[dict]:
        return [rows[hit.id] for hit in index.search(query, limit)]

    return run


def _codes(found: list[dict]) -> list[str]:
    return [row["ma_thu_tuc"] for row in found]


def _folded_name(row: dict) -> str:
    return normalize(row["ten_thu_tuc"])


def _indexed_words(row: dict) -> set[str]:
    document = _document(0, row)
    return set(search.folding.tokens(normalize(f"{document.title} {document.keywords} {document.body}")))


# --- normalize ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Đăng ký khai sinh", "dang ky khai sinh"),
        ("ĐĂNG KÝ KẾT HÔN", "dang ky ket hon"),
        ("Giấy chứng nhận quyền sử dụng đất", "giay chung nhan quyen su dung dat"),
        ("  hộ\tchiếu \n\n phổ   thông ", "ho chieu pho thong"),
        ("khai\x00sinh", "khai sinh"),
        ("căn\u200bcước", "cancuoc"),
        ("１.００１１９３", "1.001193"),
        ("Hoà giải", "hoa giai"),
        ("Hòa giải", "hoa giai"),
        ("", ""),
        ("\x00\x01\x7f", ""),
    ],
)
def test_normalize(text, expected):
    assert normalize(text) == expected


def test_normalize_is_the_same_for_composed_and_decomposed_text():
    text = "Thủ tục đăng ký khai sinh có yếu tố nước ngoài"
    assert normalize(unicodedata.normalize("NFD", text)) == normalize(text) == normalize(text.upper())


@pytest.mark.parametrize(
    "text",
    [
        "a" * 10_000,
        "đăng ký " * 2_000,
        "\ud800\udfff\ud834 lone surrogates",
        "a" + "\u0301" * 500,
        "\u0301" * 500,
        "\u202e\u200f RTL override",
        "emoji 🎉👍🏽 and CJK 身份证 and Cyrillic Паспорт",
        "'; DROP TABLE procedures; --",
        "<script>alert(1)</script>",
    ],
)
def test_normalize_is_safe_on_hostile_input(text):
    folded = normalize(text)
    assert isinstance(folded, str)
    assert "\x00" not in folded
    assert not any(unicodedata.category(ch) in {"Mn", "Cc", "Cf", "Cs"} for ch in folded)
    assert "  " not in folded and folded == folded.strip()


def test_normalize_accepts_non_strings():
    assert normalize(None) == ""
    assert normalize(12) == "12"


def test_fast_index_tokenizer_agrees_with_normalize(rows):
    """The index folds long body text on a faster path; it must produce the very tokens queries produce."""
    samples = [_document(i, row).body for i, row in enumerate(rows)]
    samples += [
        "Ĩ ĩ Ỹ Ð ð ł ß İ ﬁ",
        "Việt Nam–Lào “AB” • tab\there\x00nul",
        "\u0345\u0360 marks from the 0xCD block",
        "\ud800 lone surrogate",
        "Kỹ thuật, lý lịch, quý, LÝ",
    ]
    for text in samples:
        tokens = search.folding.tokens(normalize(text))
        assert search.folding.index_tokens(text) == (set(tokens), len(tokens))


# --- ranking ------------------------------------------------------------------------------------------------


def test_exact_name_ranks_first(find):
    top = find("đăng ký khai sinh")[0]
    assert top["ma_thu_tuc"] == "1.001193"
    assert top["ten_thu_tuc"] == "Thủ tục đăng ký khai sinh"


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("đăng ký kết hôn", "1.000894"),
        ("đăng ký khai tử", "1.000656"),
        ("đăng ký tạm trú", "1.004194"),
        ("đăng ký thường trú", "1.004222"),
        ("cấp lại giấy phép lái xe", "3.000348"),
        ("hòa giải tranh chấp đất đai", "1.012812"),
        ("đăng ký thành lập hộ kinh doanh", "1.001612"),
    ],
)
def test_names_typed_in_full_rank_first(find, query, code):
    assert _codes(find(query))[0] == code


def test_queries_without_diacritics_give_the_same_results(index):
    for accented, plain in [
        ("đăng ký khai sinh", "dang ky khai sinh"),
        ("lý lịch tư pháp", "ly lich tu phap"),
        ("giấy phép xây dựng", "giay phep xay dung"),
        ("Đăng ký kết hôn", "DANG KY KET HON"),
    ]:
        assert index.search(accented) == index.search(plain)
        assert index.search(unicodedata.normalize("NFD", accented)) == index.search(accented)


def test_i_and_y_spellings_are_the_same(index):
    assert index.search("lí lịch tư pháp") == index.search("lý lịch tư pháp")
    assert index.search("dang ki tam tru") == index.search("đăng ký tạm trú")


def test_exact_phrase_in_the_name_beats_scattered_words(find):
    codes = _codes(find("đăng ký khai sinh"))
    # "... đăng ký khai sinh lưu động" holds the phrase; "... đăng ký lại khai sinh" scatters it.
    assert codes.index("1.003583") < codes.index("1.004884")
    codes = _codes(find("giấy phép xây dựng"))
    # "Cấp giấy phép hoạt động xây dựng cho nhà thầu nước ngoài" scatters the words.
    assert codes.index("1.013222") > max(codes.index(c) for c in ("1.005134", "1.005126", "1.013225"))


def test_name_beats_body_text(find):
    found = find("hộ chiếu")
    in_name = [row for row in found if "ho chieu" in _folded_name(row)]
    assert len(in_name) >= 5
    assert found[: len(in_name)] == in_name, "every name match must rank above every body-only match"


def test_all_query_words_are_required(find):
    found = find("khai sinh lưu động")
    assert found
    for row in found:
        assert {"khai", "sinh", "luu", "dong"} <= _indexed_words(row)


def test_partial_matches_when_no_procedure_has_every_word(index):
    full = index.search("đăng ký khai sinh")
    partial = index.search("đăng ký khai sinh qwzxv")  # no procedure contains "qwzxv"
    assert partial, "fall back to the procedures matching most words"
    assert partial[0].id == full[0].id
    assert partial[0].score < full[0].score, "partial matches score lower than full matches"


def test_filler_words_are_optional(find):
    top = find("thủ tục làm hộ chiếu như thế nào")[0]
    assert "hộ chiếu" in top["ten_thu_tuc"]


def test_results_are_sorted_unique_and_limited(index):
    hits = index.search("đăng ký", limit=50)
    assert len(hits) == 50
    assert all(isinstance(hit, Hit) for hit in hits)
    assert len({hit.id for hit in hits}) == len(hits)
    assert [hit.score for hit in hits] == sorted((hit.score for hit in hits), reverse=True)
    assert index.search("đăng ký", limit=0) == []
    assert len(index.search("đăng ký")) == 200


# --- typos --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected_in_name"),
    [
        ("khai sihn", "khai sinh"),
        ("dăng ky kết hon", "đăng ký kết hôn"),
        ("ho chieuu", "hộ chiếu"),
        ("ly lich tu phapp", "lý lịch tư pháp"),
        ("giay phep xay dungg", "giấy phép xây dựng"),
        ("ddawng kys khai sinh", "đăng ký khai sinh"),  # Telex typed without an input method
        ("d9a8ng ky1 khai sinh", "đăng ký khai sinh"),  # VNI typed without an input method
        ("khaisinh", "khai sinh"),  # missing space
        ("căn cươc", "căn cước"),
    ],
)
def test_typos_are_tolerated(find, query, expected_in_name):
    assert expected_in_name in find(query)[0]["ten_thu_tuc"].lower()


def test_short_syllables_are_not_expanded(find):
    """Three-letter syllables are not corrected: "hon" must not bring "hop", "hoa" or "ho" matches."""
    found = find("kết hôn")
    assert found
    for row in found:
        assert {"ket", "hon"} <= _indexed_words(row)


# --- synonyms -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["sổ đỏ", "so do", "SỔ ĐỎ", "bìa đỏ", "sổ hồng"])
def test_red_book_finds_the_land_use_certificate(find, query):
    assert "quyền sử dụng đất" in find(query)[0]["ten_thu_tuc"]


def test_diacritics_that_contradict_a_synonym_do_not_expand_it(find):
    found = find("sơ đồ")  # "diagram", not "sổ đỏ"
    assert not found or "quyền sử dụng đất" not in found[0]["ten_thu_tuc"]


@pytest.mark.parametrize(
    ("query", "expected_in_name"),
    [
        ("giấy phép xây dựng", "giấy phép xây dựng"),
        ("xin phép xây nhà", "giấy phép xây dựng"),
        ("hộ chiếu", "cấp hộ chiếu"),
        ("passport", "hộ chiếu"),
        ("lý lịch tư pháp", "lý lịch tư pháp"),
        ("tiền án", "lý lịch tư pháp"),
        ("cccd", "căn cước"),
        ("chứng minh nhân dân", "căn cước"),
        ("hộ khẩu", "thường trú"),
        ("sổ tạm trú", "tạm trú"),
        ("giấy chứng tử", "khai tử"),
        ("giấy kết hôn", "kết hôn"),
        ("xác nhận độc thân", "tình trạng hôn nhân"),
        ("khắc dấu", "con dấu"),
        ("con dấu", "con dấu"),
        ("kinh doanh cá thể", "hộ kinh doanh"),
        ("bằng lái", "giấy phép lái xe"),
        ("bằng lái xe", "giấy phép lái xe"),
        ("cà vẹt", "chứng nhận đăng ký xe"),
        ("nhà đất", "đất đai"),
        ("sao y bản chính", "bản sao"),
        ("mất hộ chiếu", "trình báo mất hộ chiếu"),
    ],
)
def test_everyday_words_find_official_names(find, query, expected_in_name):
    assert expected_in_name in find(query)[0]["ten_thu_tuc"].lower()


def test_synonym_table_is_substantial_and_every_official_phrase_exists(index):
    assert len(synonyms.SYNONYMS) >= 25
    for key, phrases in synonyms.SYNONYMS.items():
        assert phrases, key
        for phrase in phrases:
            assert index.search(phrase), f"{key!r} -> {phrase!r} matches no procedure"


# --- codes --------------------------------------------------------------------------------------------------


def test_code_lookup(find, index):
    assert _codes(find("1.001193")) == ["1.001193"]
    assert _codes(find("  1.001193 "))[0] == "1.001193"
    prefix = _codes(find("1.00119"))
    assert prefix and all(code.startswith("1.00119") for code in prefix)
    assert prefix[0] == "1.001193" or "1.001193" in prefix
    assert index.search("9.999999") == []


def test_exact_code_comes_before_prefix_matches_and_text(find):
    found = _codes(find("1.000894 kết hôn"))
    assert found[0] == "1.000894"
    assert len(found) > 1


# --- empty and hostile queries ------------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["", " ", "\n\t ", "!!!", "...", "\x00", "\u0301" * 500, "-- ;"])
def test_empty_queries_return_nothing(index, query):
    assert index.search(query) == []


@pytest.mark.parametrize(
    "query",
    [
        "a" * 10_000,
        "đăng ký khai sinh " * 600,
        "khai\x00sinh",
        "\x00" * 1000,
        "'; DROP TABLE procedures; --",
        "1' OR '1'='1",
        "<script>alert('x')</script>",
        "%00%27%22",
        "khai sinh" + "\u0301" * 500,
        "\ud800\udc00\udfff",
        "🎉" * 300,
        "身份证 Паспорт",
        "((((((((((((((((",
        "a b c d e f g h i j k l m n o p q r s t u v w x y z",
        "xyzzyxyzzyxyzzyxyzzyxyzzyxyzzyxyzzy",
        "1.",
        "1." + "0" * 5000,
    ],
)
def test_garbage_queries_do_not_raise(index, query):
    hits = index.search(query)
    assert isinstance(hits, list)
    assert all(isinstance(hit, Hit) for hit in hits)


def test_only_the_start_of_a_long_query_is_used(index):
    query = "đăng ký khai sinh " * 600
    assert index.search(query) == index.search(query[: search.query.MAX_QUERY_CHARS])
    assert index.search(query)[0].id == index.search("đăng ký khai sinh")[0].id


def test_non_string_queries_return_nothing(index):
    assert index.search(None) == []  # type: ignore[arg-type]
    assert index.search(b"khai sinh") == []  # type: ignore[arg-type]


# --- index --------------------------------------------------------------------------------------------------


def test_empty_index():
    empty = SearchIndex.build([])
    assert len(empty) == 0
    assert empty.search("khai sinh") == []
    assert len(SearchIndex()) == 0 and SearchIndex().search("khai sinh") == []


def test_odd_documents_are_indexed():
    docs = [
        Document(1, ""),
        Document(2, "\x00\ud800", keywords="\u0301" * 50, body="<script>"),
        Document(3, "Đăng ký khai sinh", body="x" * 100_000),
        Document(4, "ĐĂNG KÝ KHAI SINH LƯU ĐỘNG", keywords="1.003583 Hộ tịch"),
    ]
    index = SearchIndex.build(iter(docs))
    assert len(index) == 4
    assert [hit.id for hit in index.search("dang ky khai sinh")] == [3, 4]
    assert [hit.id for hit in index.search("1.003583")] == [4]


def test_len_and_pickle_round_trip(index, rows):
    assert len(index) == len(rows)
    copy = pickle.loads(pickle.dumps(index))  # noqa: S301 - our own bytes
    for query in ("sổ đỏ", "khai sihn", "1.001193", "giấy phép xây dựng"):
        assert copy.search(query) == index.search(query)


def test_twenty_thousand_synthetic_documents(rows):
    base = [_document(i, row) for i, row in enumerate(rows)]
    suffixes = ["", " (thực hiện tại cấp xã)", " lần đầu", " cho tổ chức", " (bản {k})", " - trực tuyến"]
    docs = []
    for i in range(20_000):
        doc = base[i % len(base)]
        k = i // len(base)
        code, _, field = doc.keywords.partition(" ")
        docs.append(
            Document(
                id=i,
                title=doc.title + suffixes[k % len(suffixes)].format(k=k),
                keywords=f"{code if k == 0 else f'9.{i:06d}'} {field}",
                body=doc.body,
            )
        )
    big = SearchIndex.build(docs)
    assert len(big) == 20_000
    found = big.search("đăng ký khai sinh")
    assert len(found) == 200
    assert docs[found[0].id].title.startswith("Thủ tục đăng ký khai sinh")
    assert "quyền sử dụng đất" in docs[big.search("sổ đỏ")[0].id].title
    assert [docs[hit.id].keywords.split()[0] for hit in big.search("1.001193")] == ["1.001193"]
    assert isinstance(big.search("a" * 10_000), list)
