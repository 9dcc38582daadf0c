"""Synthetic dossier history for development and load tests: ``manage.py generate_dossiers``."""

from loadtest.generator.load import Summary, generate_dossiers

__all__ = ["Summary", "generate_dossiers"]
