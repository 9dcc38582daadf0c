"""The demo data hook: ``manage.py load_demo`` sends ``demo_data_loading`` after the core data is loaded, so a
feature app loads its own demo data from its own receiver and the core never imports a feature app."""

from django.dispatch import Signal

# Sent with ``stdout`` and ``stderr`` (the command's streams) once units, agencies and procedures are in place.
demo_data_loading = Signal()
