"""A gunicorn worker's start (portal/gunicorn_conf.py): the catalogue's search index is built before the first
request, and what the worker holds by then is put out of the cyclic garbage collector's sight."""

import gc
from types import SimpleNamespace

import pytest

from portal import gunicorn_conf
from portal.catalog import search_index


@pytest.mark.django_db
def test_a_worker_builds_the_search_index_then_freezes_what_it_holds():
    gc.unfreeze()
    try:
        gunicorn_conf.post_worker_init(SimpleNamespace(log=None))
        index = search_index.search_index()
        assert gc.get_freeze_count() > 0
        assert all(obj is not index for obj in gc.get_objects())  # the index built at the start is frozen
    finally:
        gc.unfreeze()
