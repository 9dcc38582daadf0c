"""Container health check for the web service: GET /healthz on the local gunicorn, exit 0 when it answers 200.

Uses only the standard library (the image has no curl). Django refuses a Host header that is not in
ALLOWED_HOSTS, so the request names the first allowed host ('.example.gov.vn' becomes 'example.gov.vn').
/healthz is exempt from the HTTPS redirect (SECURE_REDIRECT_EXEMPT), so plain HTTP is enough.
"""

import os
import sys
import urllib.request


def main() -> int:
    hosts = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h.strip()]
    host = hosts[0].lstrip(".") if hosts and hosts[0] != "*" else "localhost"
    port = os.environ.get("PORT", "8000")
    request = urllib.request.Request(f"http://127.0.0.1:{port}/healthz", headers={"Host": host})
    try:
        with urllib.request.urlopen(request, timeout=4) as response:  # noqa: S310 (fixed loopback URL)
            return 0 if response.status == 200 else 1
    except Exception as exc:
        print(f"healthz failed: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
