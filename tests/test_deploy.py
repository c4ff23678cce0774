"""deploy/: the nginx configuration in front of the replicas, and the container definition.

No server is started and nothing is timed: the configuration is rendered and, where Debian's
nginx is installed, checked by `nginx -t` itself. nginx is not part of the project's
requirements (README: "When to use the static edition, one app, or replicas"), so that check
skips on a machine without it.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from bench.crowd import Wave, crowd_report, summary_lines
from deploy.replicas import (
    nginx_attribute,
    nginx_binary,
    nginx_command,
    render_nginx_config,
    write_nginx_config,
)
from geo.present import APP_DESCRIPTION

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
REPLICAS = ["127.0.0.1:8601", "127.0.0.1:8602"]


def test_the_config_names_every_replica_and_keeps_a_reader_on_one(tmp_path: Path) -> None:
    text = render_nginx_config(REPLICAS, "127.0.0.1:8080", tmp_path)
    assert "@@" not in text
    assert all(f"server {address};" in text for address in REPLICAS)
    assert "listen 127.0.0.1:8080;" in text
    assert "hash $frt_replica consistent;" in text
    assert re.search(r"map \$cookie_frt_replica \$frt_replica \{\s*''\s+\$request_id;", text)
    assert f"pid {tmp_path}/nginx.pid;" in text
    assert "daemon off;" in text


def test_the_websocket_is_upgraded_and_may_stay_open(tmp_path: Path) -> None:
    text = render_nginx_config(REPLICAS, "127.0.0.1:8080", tmp_path)
    stream = text[text.index("location /_stcore/stream") :].split("}", 1)[0]
    assert "proxy_set_header Upgrade $http_upgrade;" in stream
    assert "proxy_set_header Connection $connection_upgrade;" in stream
    assert "proxy_set_header Host $http_host;" in stream
    assert "proxy_read_timeout 24h;" in stream
    assert "proxy_buffering off;" in stream


def test_the_proxy_answers_robots_txt_and_describes_the_page(tmp_path: Path) -> None:
    """What a Streamlit script cannot set (Lighthouse SEO): a plain-text /robots.txt and a
    meta description put into the page's head."""
    text = render_nginx_config(REPLICAS, "127.0.0.1:8080", tmp_path)
    robots = text[text.index("location = /robots.txt") :]
    assert "default_type text/plain;" in robots[: robots.index("}")]
    assert (
        f"sub_filter '<head>' '<head><meta name=\"description\" content=\"{APP_DESCRIPTION}\">';"
        in text
    )
    assert 'proxy_set_header Accept-Encoding "";' in text


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("plain words", "plain words"),
        ("it's", "it&#x27;s"),  # would end nginx's single-quoted string
        ('a "b" <c> & d', "a &quot;b&quot; &lt;c&gt; &amp; d"),  # would end the attribute
        ("back\\slash", "back&#x5c;slash"),  # would start an nginx escape
    ],
)
def test_the_description_is_safe_inside_the_proxy_string(text: str, written: str) -> None:
    assert nginx_attribute(text) == written


def test_no_replica_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="at least one replica"):
        render_nginx_config([], "127.0.0.1:8080", tmp_path)


def test_nginx_accepts_the_config(tmp_path: Path) -> None:
    binary = nginx_binary()
    if binary is None:
        pytest.skip(
            "nginx is not installed (apt-get install -y nginx); only `make replicas` uses it"
        )
    config = write_nginx_config(REPLICAS, "127.0.0.1:8080", tmp_path)
    done = subprocess.run(
        nginx_command(binary, config, test=True), capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert all((tmp_path / "tmp" / name).is_dir() for name in ("body", "proxy"))


def test_the_image_runs_the_app_headless_from_pinned_requirements() -> None:
    dockerfile = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    assert re.search(r"^FROM python:3\.11-slim\b", dockerfile, re.MULTILINE)
    # The app's own lock, checked by hash (tests/test_lock.py checks the lock itself).
    assert "--require-hashes -r /tmp/requirements.lock" in dockerfile
    assert "COPY requirements.lock " in dockerfile
    command = dockerfile[dockerfile.index("CMD") :]
    assert '"streamlit", "run", "app.py"' in command
    assert '"--server.headless=true"' in command


def test_a_crowd_sent_elsewhere_reports_memory_it_did_not_watch_as_such() -> None:
    wave = Wave(1, 2, open_s=[0.1, 0.2], move_s=[0.1, 0.3], wall_s=1.0)
    report = crowd_report([wave, wave], {"max_growth": 1.1}, None, None)
    assert report["ok"] and report["memory_growth"] is None and report["tracebacks"] is None
    shown = "\n".join(summary_lines(report))
    assert "not watched" in shown and "not read" in shown
