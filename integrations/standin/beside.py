"""``python -m integrations.standin.beside [--port N] -- COMMAND …``: run COMMAND (the portal) with the stand-in
state systems beside it, the portal's ``DVCQG_*`` settings pointed at the stand-in, and the stand-in stopped when
the command ends (Ctrl-C, SIGTERM, or the command exiting). When ``DVCQG_BASE_URL`` is already set (a real
national portal), the command runs alone. ``make run`` uses it for the demo."""

import argparse
import os
import signal
import subprocess
import sys

from integrations.standin.testing import StandinError, standin_start, stop_with_parent

DEMO_CREDENTIALS = {"DVCQG_USERNAME": "cong-tinh-demo", "DVCQG_PASSWORD": "demo-standin"}


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
    if os.environ.get("DVCQG_BASE_URL"):
        return subprocess.call(command)

    try:
        standin = standin_start(args.port, seed=args.seed, die_with_parent=True)
    except StandinError as exc:
        print(f"Không khởi động được hệ thống giả lập (stand-in): {exc}", file=sys.stderr)
        return 1
    print(
        f"Cổng DVCQG giả lập (stand-in): {standin.dvcqg_url}  (điều khiển: {standin.url}/_control/stats)",
        flush=True,
    )
    env = {**os.environ, "DVCQG_BASE_URL": standin.dvcqg_url, **DEMO_CREDENTIALS}
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
