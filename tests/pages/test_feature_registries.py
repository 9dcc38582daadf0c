"""The core learns of the feature apps only through what they register: menu entries and personal-data sections."""

import pytest

from portal import navigation
from portal.accounts import personal_data


@pytest.fixture
def saved_registries(monkeypatch):
    monkeypatch.setattr(
        navigation, "_templates", {slot: list(names) for slot, names in navigation._templates.items()}
    )
    monkeypatch.setattr(personal_data, "_contributions", list(personal_data._contributions))


def test_the_dossiers_app_fills_the_menu_and_the_export():
    assert "dossiers/nav/_public.html" in navigation.nav_templates("public")
    assert "dossiers/nav/_account.html" in navigation.nav_templates("account")
    assert any(c.__module__ == "dossiers.selectors" for c in personal_data._contributions)


def test_a_menu_entry_registered_twice_is_shown_once_and_an_unknown_place_is_refused(saved_registries):
    navigation.nav_register("account", "tests/nav/_account.html")
    navigation.nav_register("account", "tests/nav/_account.html")
    assert navigation.nav_templates("account")[-1:] == ("tests/nav/_account.html",)
    assert navigation.nav_templates("account").count("tests/nav/_account.html") == 1
    with pytest.raises(ValueError, match="footer"):
        navigation.nav_register("footer", "tests/nav/_footer.html")


def test_two_apps_may_not_claim_the_same_section_of_the_export(saved_registries):
    personal_data._contributions[:] = [lambda user: {"ratings": []}, lambda user: {"ratings": [2], "faq": []}]
    with pytest.raises(ValueError, match="ratings"):
        personal_data.personal_data_contributed(None)


@pytest.mark.django_db
def test_a_signed_in_citizen_sees_the_registered_entries_in_the_menu_and_a_visitor_only_the_public_one(
    client, staff
):
    anonymous = client.get("/").content.decode()
    assert "/ho-so/tra-cuu/" in anonymous and "/ho-so/cua-toi/" not in anonymous
    client.force_login(staff.citizen)
    signed_in = client.get("/").content.decode()
    assert (
        "/ho-so/tra-cuu/" in signed_in and "/ho-so/cua-toi/" in signed_in and "/ho-so/thong-bao/" in signed_in
    )
