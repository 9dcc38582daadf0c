"""``python -m integrations.standin --port N [--seed S]``: run the stand-in state systems on loopback until
Ctrl-C or SIGTERM. The first line on stdout is ``listening on http://127.0.0.1:<port>`` (the port chosen when
``--port 0``)."""

import argparse
import signal
import sys
import threading

from integrations.standin.documents import DocumentManagement
from integrations.standin.dvcqg import NationalPortal
from integrations.standin.payment import PaymentPlatform
from integrations.standin.population import PopulationDatabase
from integrations.standin.postal import PostalService
from integrations.standin.server import StandinCore, make_server


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m integrations.standin", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (loopback by default)")
    parser.add_argument("--port", type=int, default=8790, help="port (0: any free port)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the fault decisions")
    parser.add_argument(
        "--keep", type=int, default=20000, help="how many received calls to keep for inspection"
    )
    parser.add_argument("--verbose", action="store_true", help="log every request to stderr")
    args = parser.parse_args(argv)

    standin = StandinCore(
        seed=args.seed,
        systems=[
            NationalPortal(keep=args.keep),
            PopulationDatabase(seed=args.seed),
            PaymentPlatform(),
            PostalService(),
            DocumentManagement(),
        ],
    )
    server = make_server(standin, args.host, args.port, verbose=args.verbose)

    def stop(signum, frame):
        # shutdown() waits for serve_forever to return, so it must not run in the serving thread itself.
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    host, port = server.server_address[:2]
    print(f"listening on http://{host}:{port}", flush=True)
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        server.server_close()
    print("stopped", file=sys.stderr, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
