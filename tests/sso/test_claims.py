"""The claim mapping: national names first, standard ones after, every value checked, nothing personal logged."""

import datetime
import logging

import pytest

from portal.accounts.oidc import SSOFailure, claims_snapshot, profile_from_claims


def test_national_claims_take_precedence_over_standard_ones():
    profile = profile_from_claims(
        {"HoVaTen": "Nguyễn Thị Lan", "name": "Lan N.", "ThuDienTu": "", "email": "a@b.vn"}
    )

    assert profile.full_name == "Nguyễn Thị Lan"
    assert profile.email == "a@b.vn"  # an empty national claim falls back to the standard one


def test_an_unusable_national_value_falls_back_to_the_standard_claim():
    assert (
        profile_from_claims({"ThuDienTu": "not an address", "email": "lan@example.vn"}).email
        == "lan@example.vn"
    )


@pytest.mark.parametrize(
    "value",
    ["12345", "0010900123456", "00109001234a", "٠٠١٠٩٠٠١٢٣٤٥", 1090012345, ["001090012345"], True],
    ids=["short", "long", "letter", "arabic-indic digits", "number losing its leading zeros", "list", "bool"],
)
def test_a_personal_id_that_is_not_12_ascii_digits_is_dropped_without_logging_it(value, caplog):
    caplog.set_level(logging.DEBUG)

    assert profile_from_claims({"SoDinhDanh": value}).personal_id == ""
    assert "SoDinhDanh" in caplog.text
    assert str(value) not in caplog.text


def test_birth_dates_in_the_national_and_the_standard_format():
    assert profile_from_claims({"NgayThangNamSinh": "05/01/1970"}).birth_date == datetime.date(1970, 1, 5)
    assert profile_from_claims({"birthdate": "1970-01-05"}).birth_date == datetime.date(1970, 1, 5)
    assert profile_from_claims({"NgayThangNamSinh": "1970"}).birth_date is None
    assert profile_from_claims({"NgayThangNamSinh": "01/01/2999"}).birth_date is None


def test_account_type_one_is_a_citizen_anything_else_an_organisation():
    assert profile_from_claims({"LoaiTaiKhoan": "1"}).is_organisation is False
    assert profile_from_claims({"LoaiTaiKhoan": 1}).is_organisation is False
    assert profile_from_claims({"LoaiTaiKhoan": "2"}).is_organisation is True
    assert profile_from_claims({}).is_organisation is False


def test_a_tech_id_too_long_to_store_refuses_the_sign_in_rather_than_cutting_the_key():
    with pytest.raises(SSOFailure):
        profile_from_claims({"TechID": "x" * 256})


def test_the_snapshot_leaves_out_the_personal_id_and_keeps_values_short():
    snapshot = claims_snapshot(
        {
            "SoDinhDanh": "001090012345",
            "HoVaTen": "A" * 10_000,
            "loAs": ["LoA1", {"x": 1}],
            "nonce": "n",
            "deep": {},
        }
    )

    assert snapshot == {"HoVaTen": "A" * 255, "loAs": ["LoA1"]}
