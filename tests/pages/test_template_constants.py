"""Tags whose output only the language decides are rendered once per language (portal/template_constants.py), and
the page is the same as Django renders it."""

from django.template import Context, Engine
from django.test import override_settings
from django.urls import set_script_prefix
from django.utils import translation

from portal.template_constants import FixedOutput

SOURCE = (
    "{% load i18n static %}"
    '<a href="{% url \'home\' %}">{% translate "Trang chủ" %}</a>'
    "{% if show %}<a href=\"{% url 'catalog:procedure_detail' '1.000253' %}\">"
    "{% blocktranslate %}Thủ tục hành chính{% endblocktranslate %}</a>{% endif %}"
    "{% for name in names %}<i>{% translate name %}{% url 'catalog:procedure_detail' name %}</i>{% endfor %}"
    "<img src=\"{% static 'img/favicon.svg' %}\" alt=\"{% translate 'Lỗi:' %}\">"
)


LIBRARIES = {"i18n": "django.templatetags.i18n", "static": "django.templatetags.static"}


def engine(source: str = SOURCE) -> Engine:
    loader = ("django.template.loaders.locmem.Loader", {"t.html": source})
    return Engine(loaders=[("portal.template_constants.Loader", [loader])], libraries=LIBRARIES)


def render(template, language: str, **context) -> str:
    with translation.override(language):
        return template.render(Context({"show": True, "names": ["1.000931"], **context}))


def test_fixed_tags_render_as_django_renders_them_in_each_language_and_again():
    fixed = engine().get_template("t.html")
    # Not through the loader: every tag renders each time.
    plain = Engine(libraries=LIBRARIES).from_string(SOURCE)
    for language in ("vi", "en", "vi", "en"):
        assert render(fixed, language) == render(plain, language)
    assert 'href="/en/"' in render(fixed, "en") and ">Home<" in render(fixed, "en")
    assert 'href="/"' in render(fixed, "vi") and ">Trang chủ<" in render(fixed, "vi")
    assert ">Administrative procedures<" in render(fixed, "en")


def test_only_tags_with_constant_arguments_are_fixed_and_those_inside_branches_and_loops_are_found():
    template = engine().get_template("t.html")
    fixed = [node.node for node in template.nodelist.get_nodes_by_type(FixedOutput)]
    names = sorted(type(node).__name__ for node in fixed)
    # url 'home', translate "Trang chủ", url with a constant code, blocktranslate, static, translate 'Lỗi:';
    # not the translate and url of the loop, which read ``name``.
    assert names == [
        "BlockTranslateNode",
        "StaticNode",
        "TranslateNode",
        "TranslateNode",
        "URLNode",
        "URLNode",
    ]
    assert "/thu-tuc/1.000931/" in render(template, "vi")


def test_a_tag_with_context_or_filters_renders_each_time():
    template = engine(
        "{% load i18n %}{% translate 'Trang chủ'|upper %}{% blocktranslate %}Có {{ n }} hồ sơ{% endblocktranslate %}"
        "{% url 'home' as home %}{{ home }}"
    ).get_template("t.html")
    assert not template.nodelist.get_nodes_by_type(FixedOutput)
    assert render(template, "vi", n=3) == "TRANG CHỦCó 3 hồ sơ/"
    assert render(template, "vi", n=4).startswith("TRANG CHỦCó 4 hồ sơ")


def test_a_changed_script_prefix_renders_anew():
    template = engine("{% url 'home' %}").get_template("t.html")
    assert render(template, "vi") == "/"
    set_script_prefix("/cong/")
    try:
        assert render(template, "vi") == "/cong/"
    finally:
        set_script_prefix("/")
    assert render(template, "vi") == "/"


def test_a_changed_setting_drops_what_was_kept():
    """A static file's address is kept under nothing but the escaping: only the setting's change can renew it."""
    template = engine("{% load static %}{% static 'img/favicon.svg' %}").get_template("t.html")
    before = render(template, "vi")
    with override_settings(STATIC_URL="/tinh/"):
        assert render(template, "vi").startswith("/tinh/img/favicon")
    assert render(template, "vi") == before
