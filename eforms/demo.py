"""The shipped declaration forms (``eforms/definitions/*.json``), loaded by ``manage.py load_demo`` and
``manage.py import_eform``."""

import json
from pathlib import Path

from eforms.services import definition_import

DEFINITIONS_DIR = Path(__file__).resolve().parent / "definitions"


def shipped_definition_files() -> list[Path]:
    return sorted(DEFINITIONS_DIR.glob("*.json"))


def shipped_definitions_load(stdout=None) -> int:
    """Import every shipped definition (a new version only where the file changed); returns how many were new."""
    created = 0
    for path in shipped_definition_files():
        definition, new = definition_import(data=json.loads(path.read_text(encoding="utf-8")))
        created += new
        if stdout is not None and new:
            stdout.write(
                f"Tờ khai điện tử: {definition.title} (thủ tục {definition.procedure.code}, v{definition.version})"
            )
    return created


def shipped_definitions_load_for_demo(sender, stdout=None, **kwargs) -> None:
    shipped_definitions_load(stdout)
