"""Synthetic data for development and load tests, kept out of the production apps: ``manage.py generate_dossiers``
(refused in production) writes years of realistic dossier history on the real catalogue and agencies."""
