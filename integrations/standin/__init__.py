"""One loopback server that plays the state systems the portal talks to, so the portal's real clients can be
exercised (``make run``, the tests, the bench) without reaching any of them: it validates what it receives, keeps
it for inspection, and injects faults on request. Each system is a module registering its routes (``dvcqg.py``:
the national public-service portal under ``/dvcqg/``); ``/_control/`` is the control API; ``testing.py`` starts
it in its own process for tests. Never used in production: production points the same clients elsewhere."""
