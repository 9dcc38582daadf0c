"""Settings of bench/dossiers.py's server and in-process phases: the portal's own, as deployed behind one reverse
proxy that appends the client's address to X-Forwarded-For. wrk runs from one address, so the tracking benchmark
presents each lookup as a different visitor through that header; without it the per-address limit of the tracking
page (10 lookups in 10 minutes) would answer 429 from the eleventh request on and the benchmark would measure that.
"""

from portal.settings import *  # noqa: F403

PORTAL_TRUSTED_PROXY_COUNT = 1
