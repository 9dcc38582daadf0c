"""``python -m integrations.standin.beside [--port N] -- COMMAND …``: run COMMAND (the portal) with the stand-in
state systems beside it, the portal's settings of each system that has no address of its own (``DVCQG_*``,
``POPULATION_*``, ``PAYMENT_*``, ``POSTAL_*``, ``DOCUMENTS_*``) pointed at the stand-in, and the stand-in stopped when the command
ends (Ctrl-C, SIGTERM, or the command exiting). When every system already has an address (real systems), the
command runs alone. ``make run`` uses it for the demo."""

import argparse
import os
import signal
import subprocess
import sys

from integrations.standin.testing import StandinError, standin_start, stop_with_parent

DEMO_CREDENTIALS = {"DVCQG_USERNAME": "cong-tinh-demo", "DVCQG_PASSWORD": "demo-standin"}
DEMO_MERCHANT = ("CONG-TINH-DEMO", "demo-standin-payment-secret")
DEMO_DOCUMENTS_SECRET = "demo-standin-documents-secret"  # noqa: S105 (the demo stand-in's, never production's)
# Each system: the setting that says it is configured, and the demo settings pointing it at the stand-in.
SYSTEMS = {
    "DVCQG_BASE_URL": lambda standin: {"DVCQG_BASE_URL": standin.dvcqg_url, **DEMO_CREDENTIALS},
    "POPULATION_LGSP_URL": lambda standin: {
        "POPULATION_LGSP_URL": standin.lgsp_url,
        "POPULATION_CLIENT_ID": "cong-tinh-demo",
        "POPULATION_CLIENT_SECRET": "demo-standin",
    },
    "PAYMENT_BASE_URL": lambda standin: {
        "PAYMENT_BASE_URL": standin.payment_url,
        "PAYMENT_MERCHANT_CODE": DEMO_MERCHANT[0],
        "PAYMENT_SECRET": DEMO_MERCHANT[1],
    },
    "POSTAL_BASE_URL": lambda standin: {
        "POSTAL_BASE_URL": standin.postal_url,
        "POSTAL_API_KEY": "demo-standin",
    },
}


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if "--" not in argv:
        print(
            "usage: python -m integrations.standin.beside [--port N] [--seed S] -- COMMAND ...",
            file=sys.stderr,
        )
        return 2
    split = argv.index("--")
    parser = argparse.ArgumentParser(prog="python -m integrations.standin.beside")
    parser.add_argument("--port", type=int, default=8790)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv[:split])
    command = argv[split + 1 :]
    if not command:
        print("no command after --", file=sys.stderr)
        return 2
    missing = [name for name in SYSTEMS if not os.environ.get(name)]
    if not missing:
        return subprocess.call(command)

    try:
        standin = standin_start(args.port, seed=args.seed, die_with_parent=True)
    except StandinError as exc:
        print(f"Không khởi động được hệ thống giả lập (stand-in): {exc}", file=sys.stderr)
        return 1
    print(
        f"Hệ thống giả lập (stand-in) cho {', '.join(missing)}: {standin.url}  "
        f"(điều khiển: {standin.url}/_control/stats)",
        flush=True,
    )
    standin.payment_configure(merchants=dict([DEMO_MERCHANT]))
    standin.documents_configure(secret=DEMO_DOCUMENTS_SECRET)
    env = dict(os.environ)
    for name in missing:
        env.update(SYSTEMS[name](standin))
    try:
        child = subprocess.Popen(
            command, env=env, preexec_fn=stop_with_parent if sys.platform == "linux" else None
        )
        # Ctrl-C reaches the command through the terminal's process group; this process only waits for it.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, lambda signum, frame: child.send_signal(signal.SIGTERM))
        return child.wait()
    finally:
        standin.stop()


if __name__ == "__main__":
    sys.exit(main())
