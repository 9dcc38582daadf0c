"""gunicorn settings shared by production (docker/entrypoint.sh) and the benchmark (bench/run.py).

Command-line flags still set workers, binding and timeouts; this module only adds hooks.
"""


def post_worker_init(worker) -> None:
    """Build the catalogue's search index before the worker takes requests, so no citizen's search waits for it."""
    from portal.catalog.search_index import search_index

    try:
        search_index()
    except (
        Exception
    ):  # a worker must still start when the database is briefly away; the first search builds it
        worker.log.exception("search index warm-up failed; it will be built by the first search")
