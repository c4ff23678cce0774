"""`python -m deploy.replicas --replicas N`: N app replicas behind Debian's nginx, one port.

Each replica is `streamlit run app.py` on its own 127.0.0.1 port (bench.server.Server, the
benchmark's own launcher, headless); nginx runs in the foreground with a configuration
rendered from deploy/nginx.conf.template into a temporary folder (`nginx -p PREFIX`), so it
needs no root and writes nothing outside that folder. Readers are kept on one replica by a
cookie hash (see the template). The boundaries are built once before the replicas start, so
they all read the same cache instead of building it N times.

    make replicas N=2                      # http://127.0.0.1:8080 until Ctrl-C
    make crowd URL=http://127.0.0.1:8080   # the load test against it (bench/crowd.py --url)

Install nginx with `apt-get install -y nginx` (Debian/Ubuntu) if it is missing.
"""

from __future__ import annotations

import argparse
import html
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from bench.crowd import healthy
from bench.server import DEFAULT_CENSUS, ROOT, Server
from geo.present import APP_DESCRIPTION

TEMPLATE = Path(__file__).resolve().parent / "nginx.conf.template"
TEMP_FOLDERS = ("body", "proxy", "fastcgi", "uwsgi", "scgi")
DEFAULT_PORT = 8080


def nginx_binary() -> str | None:
    """Debian's nginx (/usr/sbin is not on every user's PATH), or None when not installed."""
    return shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if Path(p).is_file()), None
    )


def nginx_attribute(text: str) -> str:
    """Text for an HTML attribute inside the template's single-quoted sub_filter string."""
    # html.escape turns ' into &#x27;; a backslash would start an escape in nginx's string.
    return html.escape(text, quote=True).replace("\\", "&#x5c;")


def render_nginx_config(upstreams: Sequence[str], listen: str, prefix: Path) -> str:
    """The template with its replicas (host:port each), its listen address and its folder."""
    if not upstreams:
        raise ValueError("nginx needs at least one replica to send readers to")
    servers = "\n".join(f"        server {address};" for address in upstreams)
    text = TEMPLATE.read_text(encoding="utf-8")
    for marker, value in (("@@UPSTREAMS@@", servers), ("@@LISTEN@@", listen),
                          ("@@PREFIX@@", str(prefix)),
                          ("@@DESCRIPTION@@", nginx_attribute(APP_DESCRIPTION))):  # fmt: skip
        text = text.replace(marker, value)
    return text


def write_nginx_config(upstreams: Sequence[str], listen: str, prefix: Path) -> Path:
    """The rendered configuration in `prefix`, with the temporary folders it names."""
    for name in TEMP_FOLDERS:
        (prefix / "tmp" / name).mkdir(parents=True, exist_ok=True)
    # Started as root, nginx's workers run as an unprivileged user: they must reach the folder
    # (it holds the configuration and empty folders, nothing secret).
    prefix.chmod(0o755)
    path = prefix / "nginx.conf"
    path.write_text(render_nginx_config(upstreams, listen, prefix), encoding="utf-8")
    return path


def nginx_command(binary: str, config: Path, *, test: bool = False) -> list[str]:
    """`nginx -p PREFIX -c CONFIG -e LOG` (the error log too: nginx opens its compiled-in
    one before it reads the configuration)."""
    prefix = config.parent
    command = [binary, "-p", str(prefix), "-c", str(config), "-e", str(prefix / "error.log")]
    return [*command, "-t", "-q"] if test else command


def replica_env(census: Path | None) -> dict[str, str]:
    """The settings every replica shares: one cookie secret (a signed cookie made by one
    replica reads on another), and the local Census folder when there is one."""
    env = {"STREAMLIT_SERVER_COOKIE_SECRET": secrets.token_hex(32)}
    if census is not None and not os.environ.get("FRT_CENSUS_SOURCE"):
        env |= {"FRT_CENSUS_SOURCE": str(census), "FRT_CENSUS_YEAR": "2015"}
    return env


def build_boundaries_once(env: dict[str, str]) -> None:
    """Build the boundary cache before the replicas start; a failure is shown, and the
    replicas then show cities as points with the same notice."""
    done = subprocess.run(
        [sys.executable, "-m", "geo.boundaries", "build"],
        cwd=ROOT, env={**os.environ, **env}, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        print(f"boundaries: the build reported problems:\n{done.stderr[-2000:]}", file=sys.stderr)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m deploy.replicas", description=__doc__)
    parser.add_argument("--replicas", type=int, default=2, help="app processes (2)")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help="nginx's port (8080)")
    parser.add_argument("--logs", type=Path, default=ROOT / "artifacts" / "replicas-logs")
    return parser


def serve(args: argparse.Namespace, binary: str) -> int:
    """Start everything, wait for Ctrl-C, SIGTERM or a process that stops; stop everything."""
    env = replica_env(DEFAULT_CENSUS if DEFAULT_CENSUS.is_dir() else None)
    build_boundaries_once(env)
    logs = args.logs
    replicas = [
        Server(ROOT / "app.py", env, logs / f"replica-{n + 1}-of-{args.replicas}.log")
        for n in range(args.replicas)
    ]
    stop = {"now": False}
    signal.signal(signal.SIGTERM, lambda *_: stop.update(now=True))
    with tempfile.TemporaryDirectory(prefix="frt-nginx-") as folder:
        prefix = Path(folder)
        config = write_nginx_config([f"127.0.0.1:{r.port}" for r in replicas],
                                    f"127.0.0.1:{args.port}", prefix)  # fmt: skip
        nginx: subprocess.Popen | None = None
        try:
            for replica in replicas:
                replica.start()
            if not all(healthy(replica.url, seconds=120) for replica in replicas):
                print("a replica did not start; see " + str(logs), file=sys.stderr)
                return 1
            subprocess.run(nginx_command(binary, config, test=True), check=True)
            nginx = subprocess.Popen(nginx_command(binary, config))
            print(
                f"ready: http://127.0.0.1:{args.port} -> {args.replicas} replica(s) on ports "
                f"{', '.join(str(r.port) for r in replicas)}; runner pid {os.getpid()}\n"
                f"load test: python -m bench.crowd --url http://127.0.0.1:{args.port} "
                f"--rss-pid {os.getpid()}",
                flush=True,
            )
            while not stop["now"] and nginx.poll() is None:
                if any(r.process is not None and r.process.poll() is not None for r in replicas):
                    print("a replica stopped; see " + str(logs), file=sys.stderr)
                    return 1
                time.sleep(0.5)
        except KeyboardInterrupt:
            print("stopping", file=sys.stderr)
        finally:
            if nginx is not None and nginx.poll() is None:
                nginx.terminate()
                nginx.wait(timeout=20)
            for replica in replicas:
                replica.stop()
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    binary = nginx_binary()
    if binary is None:
        print(
            "nginx is not installed: sudo apt-get install -y nginx (Debian/Ubuntu)", file=sys.stderr
        )
        return 2
    if args.replicas < 1:
        print("--replicas must be 1 or more", file=sys.stderr)
        return 2
    return serve(args, binary)


if __name__ == "__main__":
    sys.exit(main())
