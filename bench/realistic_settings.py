"""Settings of bench/realistic.py's server: the portal's own as deployed behind one reverse proxy (each simulated
visitor sends its address in X-Forwarded-For, as bench/dossiers_settings.py), plus one middleware, outermost, that
reports the worker's CPU time for the request in a response header. Nothing of it is in the portal's settings.
"""

import time

from portal.settings import *  # noqa: F403
from portal.settings import MIDDLEWARE

PORTAL_TRUSTED_PROXY_COUNT = 1
MIDDLEWARE = ["bench.realistic_settings.CpuTimeMiddleware", *MIDDLEWARE]


class CpuTimeMiddleware:
    """``X-Bench-CPU-ms``: the process's CPU time spent on this request (a sync worker serves one at a time)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.process_time()
        response = self.get_response(request)
        response["X-Bench-CPU-ms"] = f"{(time.process_time() - started) * 1000:.3f}"
        return response
