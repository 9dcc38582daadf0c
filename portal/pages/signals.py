"""Signals of the site pages app that feature apps listen to (the core names no feature app)."""

from django.dispatch import Signal

# Sent by ``manage.py load_demo`` after the core's demo data is in place (argument: ``stdout``); a feature app that
# ships demo content (the electronic declaration forms, …) connects a receiver in its AppConfig.ready.
demo_data_loaded = Signal()
