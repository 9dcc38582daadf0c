"""Vietnamese alphabetical order (portal/catalog/collation.py): letters first, then tones, then case, as ICU's "vi"
collation sorts; keys that order the same as strings in Python and in the database. Pure functions, no database."""

import re
import unicodedata

import pytest

from portal.catalog.collation import LETTERS, collation_elements, sort_key, sorted_vi


def _in_order(*texts: str) -> bool:
    keys = [sort_key(text) for text in texts]
    return all(a < b for a, b in zip(keys, keys[1:], strict=False))


def test_bao_hiem_comes_before_bien():
    """The issue's example: "a" < "i" decides, whatever the tones and however code points compare."""
    assert "Biển" < "Bảo hiểm"  # code point order gets it wrong
    assert sort_key("Bảo hiểm") < sort_key("Biển")
    assert sorted_vi(["Biển và hải đảo", "Biến đổi khí hậu", "Bảo hiểm", "Bồi thường nhà nước"]) == [
        "Bảo hiểm",
        "Biến đổi khí hậu",
        "Biển và hải đảo",
        "Bồi thường nhà nước",
    ]


def test_d_with_stroke_is_a_letter_of_its_own_after_d():
    assert "Đ" > "Z"  # code point order puts Đ after every ASCII letter
    assert _in_order("D", "Dz", "Đ", "Đa", "E")  # and a word before the longer words it begins
    assert _in_order("Dự trữ", "Đăng kiểm", "Đất đai", "Em")
    assert _in_order("đa", "Đa")  # same letter, lower case first


def test_the_alphabet_in_order():
    letters = list(LETTERS)
    assert letters[:9] == ["a", "ă", "â", "b", "c", "d", "đ", "e", "ê"]
    assert _in_order(*letters)
    assert _in_order("o", "ô", "ơ", "p") and _in_order("u", "ư", "v")


def test_tones_count_only_after_the_letters():
    # Tones in dictionary order: none, huyền, hỏi, ngã, sắc, nặng.
    assert _in_order("a", "à", "ả", "ã", "á", "ạ")
    assert _in_order("ma", "mà", "mả", "mã", "má", "mạ")
    # A tone never outranks a letter: "bạ" before "bac", "tỷ" before "tya".
    assert _in_order("ba", "bà", "bạ", "bac")
    assert _in_order("tỷ", "tya")
    # Letters with marks (ă, â, ê, ô, ơ, ư) are letters, not tones: "ăn" after "az".
    assert _in_order("az", "ăn", "ân")


def test_upper_and_lower_case_tie_until_the_end():
    assert _in_order("an", "An", "anh")
    assert _in_order("Hộ tịch", "hộ tịch x")


def test_spaces_and_punctuation_before_digits_before_letters():
    assert _in_order("Cấp sổ", "Cấp, quản lý", "Cấp1", "Cấpa")
    assert _in_order("10", "9", "a")  # digit by digit, as ICU does by default


def test_decomposed_text_sorts_as_the_composed_text():
    composed = "Đăng ký, quản lý cư trú"
    decomposed = unicodedata.normalize("NFD", composed)
    assert decomposed != composed
    assert sort_key(decomposed) == sort_key(composed)
    # Marks in any order (NFD puts the dot below before the circumflex): "ậ" is â with nặng.
    assert sort_key("a\u0302\u0323") == sort_key("a\u0323\u0302") == sort_key("ậ")


def test_look_alike_eth_reads_as_d_with_stroke():
    assert sort_key("Ðất đai") == sort_key("Đất đai")


@pytest.mark.parametrize(
    "text", ["", "Bảo hiểm", "ĐĂNG KÝ", "Mẫu số 06.docx", "Ω ü ç", "\u0301 lone mark", "日本", "a\x00b"]
)
def test_keys_are_lower_case_ascii_letters_and_digits(text):
    """Such strings compare the same in Python, in PostgreSQL's C collation, any glibc or ICU locale and SQLite."""
    assert re.fullmatch(r"[0-9a-z]*", sort_key(text))


def test_other_scripts_sort_after_z():
    assert _in_order("z", "Ω")


def test_a_cut_key_keeps_the_order_of_the_beginning():
    long_a, long_b = "Cấp giấy phép " * 40 + "a", "Cấp giấy phép " * 40 + "b"
    assert sort_key(long_a) < sort_key(long_b)
    assert sort_key(long_a, 100) == sort_key(long_b, 100) == sort_key(long_a)[:100]
    assert sort_key("Bảo hiểm", 100) < sort_key("Biển", 100)


def test_sorted_vi_sorts_by_a_key():
    rows = [("bien", "Biển"), ("bao-hiem", "Bảo hiểm"), ("dat-dai", "Đất đai"), ("dan-toc", "Dân tộc")]
    assert [slug for slug, _ in sorted_vi(rows, key=lambda row: row[1])] == [
        "bao-hiem",
        "bien",
        "dan-toc",
        "dat-dai",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Ủy ban nhân dân Xã Vĩnh Thạnh Trung",
        unicodedata.normalize("NFD", "Đặc khu Phú Quốc"),
        "ǅ ligature",
        "İ",
        "a\u0301\u0301",
        "\u0301x",
        "日本",
    ],
)
def test_the_quick_way_gives_the_same_key_as_reading_mark_by_mark(text):
    """Keys are built from a table of composed characters; texts with loose marks are read mark by mark."""
    elements = collation_elements(text)
    slow = (
        "".join(
            f"{'0123456789abcdefghijklmnopqrstuvwxyz'[w // 36]}{'0123456789abcdefghijklmnopqrstuvwxyz'[w % 36]}"
            for w, _, _ in elements
        )
        + "00"
        + "".join(str(tone) for _, tone, _ in elements)
        + "".join(str(upper) for _, _, upper in elements)
    )
    assert sort_key(text) == slow
