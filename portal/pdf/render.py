"""The one place a template becomes PDF bytes.

Fonts come from ``portal/pdf/fonts/`` (DejaVu Sans, with Vietnamese glyphs), referenced by absolute ``file://`` URLs.
WeasyPrint gets a URL fetcher that serves those files and ``data:`` URIs only: a template that points at anything
else (a web font, a remote image, a file elsewhere on disk) gets nothing, and the refusal is logged.
"""

import gc
import logging
import threading
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

FONTS_DIR = (Path(__file__).resolve().parent / "fonts").resolve()
FONT_FILES = {"regular": "DejaVuSans.ttf", "bold": "DejaVuSans-Bold.ttf"}


class ResourceRefused(ValueError):
    """A template asked for a resource outside the shipped fonts and inline data."""


class LocalOnlyFetcher(URLFetcher):
    """Serves ``data:`` URIs and files inside ``FONTS_DIR``; raises ``ResourceRefused`` for anything else."""

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)  # decoded in memory by urllib's DataHandler
        if url.startswith("file:"):
            path = _font_path(url)
            return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": "font/ttf"})
        logger.warning("PDF rendering refused to fetch %s", url[:200])
        raise ResourceRefused(f"PDF rendering does not fetch {url[:200]}")


def _font_path(url: str) -> Path:
    parts = urlsplit(url)
    path = Path(url2pathname(parts.path)).resolve()
    if parts.netloc not in ("", "localhost") or not path.is_relative_to(FONTS_DIR) or not path.is_file():
        logger.warning("PDF rendering refused the local file %s", url[:200])
        raise ResourceRefused(f"PDF rendering only reads files in {FONTS_DIR}")
    return path


def font_urls() -> dict[str, str]:
    """``file://`` URLs of the shipped fonts, for the templates' ``@font-face`` rules."""
    return {weight: (FONTS_DIR / name).as_uri() for weight, name in FONT_FILES.items()}


def render_html(template_name: str, context: dict) -> str:
    """The template rendered with ``context`` plus ``fonts`` (see ``font_urls``)."""
    return render_to_string(template_name, {**context, "fonts": font_urls()})


_local = threading.local()


def _font_config() -> FontConfiguration:
    # A new FontConfiguration loads the system's Fontconfig setup and every @font-face file again, and a process
    # never gets all of that memory back: one per thread keeps renders fast and memory flat. Loading a face is
    # idempotent on an existing configuration (keyed by its descriptors), and Pango objects stay in their thread.
    if not hasattr(_local, "font_config"):
        _local.font_config = FontConfiguration()
    return _local.font_config


def _fetcher() -> LocalOnlyFetcher:
    # Building a URLFetcher builds urllib's openers, and with them an SSL context that loads the system's
    # certificates: ~35 ms, a tenth of a receipt. It holds no state between fetches; one per thread.
    if not hasattr(_local, "fetcher"):
        _local.fetcher = LocalOnlyFetcher()
    return _local.fetcher


def html_to_pdf(html: str) -> bytes:
    """PDF bytes of an HTML string; only the shipped fonts and ``data:`` URIs are read."""
    document = HTML(string=html, base_url=FONTS_DIR.as_uri() + "/", url_fetcher=_fetcher())
    return document.write_pdf(font_config=_font_config())


def render_pdf(template_name: str, context: dict) -> bytes:
    """PDF bytes of ``template_name`` rendered with ``context``; nothing is fetched from outside the project."""
    return html_to_pdf(render_html(template_name, context))


WARM_UP_HTML = """<style>@font-face {{ font-family: w; src: url({regular}); }}
@font-face {{ font-family: w; font-weight: bold; src: url({bold}); }} body {{ font-family: w; }}</style>
<p>Tiếp nhận <b>hồ sơ</b></p>"""


def worker_warm_up() -> None:
    """Make this process ready to render forms (Celery's ``worker_process_init``; the receipt benchmark too).

    One small render loads Fontconfig, the fonts and WeasyPrint's stylesheets; then everything alive is moved out of
    the garbage collector's sight (``gc.freeze``). A form allocates hundreds of thousands of objects, so full
    collections run during renders, and each walked the whole application as well (the receipt's figures with and
    without it are in ``bench/README.md``). Only objects alive now are frozen: nothing is rendering yet, so none is
    garbage later.
    """
    html_to_pdf(WARM_UP_HTML.format(**font_urls()))
    gc.collect()
    gc.freeze()
