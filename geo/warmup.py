"""Once per server process: import the app's modules under one lock, then freeze the heap.

Streamlit runs every session's script in a thread of its own. On a cold server, sessions that
arrive together import geopandas, shapely, folium and altair at the same moment; Python's
per-module import locks can then hand one thread a partially initialised module (seen here
once: a circular-import error from shapely with two sessions). `warm_up()` makes the first
caller import the app's modules (all of `geo` but DEFERRED, and streamlit_folium) while the
others wait on one lock; after that, those imports only find modules in `sys.modules`.

It then calls `gc.freeze()`: the ~150,000 objects those imports made live as long as the
process, and Streamlit runs a full garbage collection after every script run
(`runner.postScriptGC`), which otherwise walks all of them each time (about 0.17 s of every
rerun on a small server). Frozen objects are skipped; everything a script run makes is still
collected as before.

This module imports no Streamlit and nothing heavy itself; `app.py` calls it first.
"""

from __future__ import annotations

import gc
import importlib
import pkgutil
import threading

_LOCK = threading.Lock()
_done = False


def modules_of(package: str) -> list[str]:
    """The package and every module in it. Not recursive: the subpackages (`geo.boundaries`,
    `geo.ui`) import all their modules in their `__init__`."""
    root = importlib.import_module(package)
    return [package] + [f"{package}.{info.name}" for info in pkgutil.iter_modules(root.__path__)]


# Left to the page that needs it: geo.charts (Altair, about 0.5 s of every cold start, used by
# the timeline page only). It has one entry point (`import altair`), which module locks alone
# serialise safely; the race needs two threads entering one package by different modules.
DEFERRED = ("geo.charts",)


def warm_up(package: str = "geo", extra: tuple[str, ...] = ("streamlit_folium",)) -> bool:
    """Import `package`'s modules (but DEFERRED) and `extra` once per process; True if this
    call did it."""
    global _done  # one flag per process, set under the lock
    if _done:
        return False
    with _LOCK:
        if _done:
            return False
        for name in [*extra, *modules_of(package)]:
            if name not in DEFERRED:
                importlib.import_module(name)
        gc.collect()
        gc.freeze()
        _done = True
        return True
