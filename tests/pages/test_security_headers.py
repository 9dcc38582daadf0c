"""Every page says what it may load and run (Content-Security-Policy without inline scripts or styles) and which
device features it may use (Permissions-Policy); the embeddable agency page may be framed, downloads keep their
sandbox, and no served template carries an inline script, an event-handler attribute or a style attribute."""

import base64
import hashlib
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from portal.agencies.models import Agency

pytestmark = pytest.mark.django_db

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {name: values for name, *values in (part.split() for part in policy.split(";"))}


@pytest.mark.parametrize("path", ["/", "/thu-tuc/", "/tai-khoan/dang-nhap/", "/en/", "/khong-co-trang-nay/"])
def test_pages_allow_only_the_sites_own_scripts_and_styles(client, path):
    response = client.get(path)

    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"] and policy["style-src"] == ["'self'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    assert policy["img-src"] == ["'self'", "data:"]
    assert policy["object-src"] == ["'none'"] and policy["base-uri"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"] and policy["form-action"] == ["'self'"]


@pytest.mark.parametrize("path", ["/", "/healthz", "/khong-co-trang-nay/", "/robots.txt"])
def test_every_response_turns_off_the_device_features(client, path):
    policy = client.get(path)["Permissions-Policy"]

    for feature in ["camera", "microphone", "geolocation", "payment", "usb"]:
        assert f"{feature}=()" in policy


def test_the_agency_page_for_other_websites_may_be_framed_and_still_runs_only_our_scripts(client):
    agency = Agency.objects.get(code="000.00.05.H01")

    response = client.get(agency.get_absolute_url() + "nhung/")

    assert response.status_code == 200
    assert "X-Frame-Options" not in response
    policy = directives(response)
    assert "frame-ancestors" not in policy
    assert policy["script-src"] == ["'self'"] and policy["style-src"] == ["'self'"]
    assert client.get(agency.get_absolute_url())["X-Frame-Options"] == "DENY"


def test_a_download_keeps_its_own_stricter_policy(client, make_user, settings, tmp_path):
    from dossiers import filing
    from tests.people import PDF, uploads_in

    uploads_in(settings, tmp_path)
    citizen = make_user("lan")
    document = filing.vault_document_add(
        user=citizen, upload=SimpleUploadedFile("cccd.pdf", PDF), doc_type="Căn cước"
    )
    client.force_login(citizen)

    response = client.get(f"/ho-so/kho-du-lieu/{document.pk}/tai-ve/")

    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert "camera=()" in response["Permissions-Policy"]


def test_the_500_page_may_apply_its_own_style_and_nothing_else(rf):
    from portal.pages.views import server_error

    response = server_error(rf.get("/"))

    [style] = re.findall(rb"<style>(.*?)</style>", response.content, re.S)
    digest = base64.b64encode(hashlib.sha256(style).digest()).decode()
    assert response._csp_config["style-src"] == ["'self'", f"'sha256-{digest}'"]
    assert response._csp_config["script-src"] == ["'self'"]


def test_forms_may_end_at_the_national_sign_on_when_it_is_configured(client, settings):
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = "https://sso.dichvucong.gov.vn/oauth2/authorize"
    settings.OIDC_OP_LOGOUT_ENDPOINT = "https://dangxuat.dichvucong.gov.vn:8443/logout?x=1"

    policy = directives(client.get("/"))

    assert policy["form-action"] == [
        "'self'",
        "https://dangxuat.dichvucong.gov.vn:8443",
        "https://sso.dichvucong.gov.vn",
    ]


def _served_templates() -> list[Path]:
    # The PDF forms are rendered by WeasyPrint on the server, never served to a browser; the 500 page is
    # self-contained on purpose (its style is allowed by hash).
    return [
        path
        for path in TEMPLATES.rglob("*.html")
        if "pdf" not in path.relative_to(TEMPLATES).parts and path.name not in {"500.html", "503.html"}
    ]


TAG = re.compile(r"<[a-zA-Z][^<>]*>", re.S)


def test_no_served_template_has_an_inline_script_a_handler_attribute_or_a_style():
    problems = []
    for path in _served_templates():
        text = path.read_text(encoding="utf-8")
        for tag in TAG.findall(text):
            name = tag[1:].split(None, 1)[0].lower()
            if name == "script" and "src=" not in tag and 'type="application/json"' not in tag:
                problems.append(f"{path.name}: inline script {tag}")
            if re.search(r"\son[a-z]+\s*=", tag) or re.search(r"\sstyle\s*=", tag):
                problems.append(f"{path.name}: {tag}")
        if re.search(r"<style[\s>]", text):
            problems.append(f"{path.name}: <style> element")
    assert _served_templates() and problems == []
