"""gunicorn settings shared by production (docker/entrypoint.sh) and the benchmark (bench/run.py).

Command-line flags still set workers, binding and timeouts; this module adds hooks and the logger class.
"""

import gc

from gunicorn.glogging import Logger

from portal.audit.scrub import PersonalIdLogFilter


class PersonalIdMaskingLogger(Logger):
    """gunicorn's logger whose access and error lines have personal id numbers masked, as Django's log lines do.

    gunicorn's loggers do not propagate to the root logger that Django configures, so the filter of ``LOGGING`` never
    sees ``GET /thu-tuc/?q=079201001234``; here it sits on gunicorn's own loggers and masks the whole formatted line
    (request line, query, referrer, any header in the format) before any handler writes it.
    """

    def setup(self, cfg) -> None:
        super().setup(cfg)  # run again on every configuration reload (HUP)
        for log in (self.error_log, self.access_log):
            if not any(isinstance(f, PersonalIdLogFilter) for f in log.filters):
                log.addFilter(PersonalIdLogFilter())


logger_class = PersonalIdMaskingLogger


def post_worker_init(worker) -> None:
    """Build the catalogue's search index before the worker takes requests, so no citizen's search waits for it; then
    put what the worker holds by now (Django, the URLconf, the templates, the index) out of the cyclic garbage
    collector's sight (``gc.freeze``). Those objects live as long as the worker; without this, every full collection
    walks all of them: ~260 ms once every several hundred requests in a worker holding the index, ~25 ms frozen
    (bench/README.md)."""
    from portal.catalog.search_index import search_index

    try:
        search_index()
    except (
        Exception
    ):  # a worker must still start when the database is briefly away; the first search builds it
        worker.log.exception("search index warm-up failed; it will be built by the first search")
    gc.collect()
    gc.freeze()
