"""The crowd, short form: readers in waves on a cold server, over Streamlit's own websocket.

The full form is `python -m bench.crowd` (50 readers x 3 waves; figures in BENCHMARKS.md).
Here: 10 readers x 2 waves x 2 year changes, about 20 s. The first wave arrives all at once
on a server that has run no script yet, where a cold-import race shows (two sessions importing
shapely at the same moment once failed with a circular-import error; app.py now imports under
one lock, see geo/warmup.py).

Memory: the same limit as the full form, later wave's RSS peak <= 1.1 x the first's. The first
peak already holds the app's fixed cost (about 265 MB: libraries, data, boundaries), and a reader
adds well under 1 MB while connected, so a healthy server stays near 1.0 (measured 0.99-1.01).
With 10 readers the check catches a leak above about 2.6 MB per reader (0.1 x 265 MB / 10);
the full form, with 100 readers before its last wave, catches about 0.27 MB per reader.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bench.crowd import run_crowd, summary_lines
from tests.support.census import require_census

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> dict:
    census = require_census()
    return run_crowd(
        sessions=10,
        waves=2,
        moves=2,
        pause=2.0,
        timeout=60.0,
        census=census,
        logs=tmp_path_factory.mktemp("crowd-logs"),
        say=lambda _message: None,
    )


def test_no_reader_fails_even_on_a_cold_server(report):
    assert report["failed_sessions"] == 0, "\n".join(summary_lines(report) + report["failures"])
    assert all(w["failed"] == 0 for w in report["waves"])


def test_no_traceback_in_the_server_log(report):
    assert report["tracebacks"] == 0, report["log_tail"]


def test_memory_does_not_grow_from_wave_to_wave(report):
    assert report["memory_growth"] <= 1.1, "\n".join(summary_lines(report))


RACE = """
import sys, threading
from geo.warmup import warm_up

entries = ["shapely", "shapely.geometry", "geopandas", "pyogrio"]
errors = []
barrier = threading.Barrier(len(entries))

def session(name):
    barrier.wait()
    try:
        warm_up()
        __import__(name)
    except Exception as error:
        errors.append(f"{name}: {error!r}")

threads = [threading.Thread(target=session, args=(n,)) for n in entries]
for t in threads:
    t.start()
for t in threads:
    t.join()
print("\\n".join(errors))
sys.exit(1 if errors else 0)
"""


@pytest.mark.server
def test_sessions_importing_at_once_do_not_race():
    """Regression: threads importing shapely through different entry points at the same moment
    fail about 7 times in 8 without the lock (ImportError: partially initialized module
    'shapely.geometry.base'; _DeadlockError). With warm_up() first, never."""
    done = subprocess.run(
        [sys.executable, "-c", RACE], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr[-2000:]
