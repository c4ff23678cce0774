"""Constant stylesheets for what Streamlit's theme cannot say: the app's (below), a phone's first
screen, the space of the map and legend held before they load, and presentation mode for a
room. No data reaches them: the text is constant (tests/test_one_door.py allows st.html here).

- Focus rings Streamlit leaves out (WCAG 2.4.7, focus visible): its theme has no focus
  setting, and it removes the browser's outline from sidebar links, page links, the select box
  and the toggle. This puts a ring back on whatever the keyboard focuses, or on the visible
  control around a visually hidden input.
- No fade while the script runs: Streamlit dims the elements of the last run (`data-stale`)
  until the new run replaces them, so every Play step made the page flicker. The map page
  redraws in place instead. While Play is on, the toolbar's "Running... Stop" (each step is a
  run) stays hidden: the Play switch is the one control that stops it.
"""

from __future__ import annotations

import streamlit as st

from geo.drawing import legend_size

PLAY_LABEL = "Play"  # the Play switch's label (geo.ui.controls)
FOCUS_COLOUR = "#0072B2"  # the theme's primary colour: 4.8:1 on white
# The legend image's height, reserved before it loads (numbers from geo.drawing, not data).
_, _, LEGEND_PX = legend_size()
_, _, COMPACT_PX = legend_size(columns=2)
# The legend image's space by container key (geo.ui.legend), held from the first paint.
RESERVED_LEGEND_PX = {"frt-legend": LEGEND_PX + 4, "frt-legend-compact": COMPACT_PX + 4}
# The map frame's heights (px) by layout; pages/map.py holds each one's space (with the
# frame's own margin, MAP_FRAME_MARGIN) from the first paint.
MAP_HEIGHTS = {"embedded": 330, "phone": 300, "page": 560}
MAP_FRAME_MARGIN = 8
FOCUS_CSS = f"""<style>
a:focus-visible, button:focus-visible, summary:focus-visible, [role="switch"]:focus-visible,
[tabindex]:focus-visible, input:focus-visible {{
  outline: 3px solid {FOCUS_COLOUR} !important; outline-offset: 2px;
}}
label:has(> input:focus-visible), [data-baseweb="select"]:has(input:focus-visible) {{
  outline: 3px solid {FOCUS_COLOUR} !important; outline-offset: 2px;
}}
/* Play steps through the years without fading the page, and the Play switch is the one way
   to stop it (Streamlit's own "Stop" in the toolbar hides while it plays). */
[data-stale="true"] {{ opacity: 1 !important; transition: none !important; }}
.stApp:has(input[role="switch"][aria-label="{PLAY_LABEL}"]:checked)
  [data-testid="stStatusWidget"] {{ visibility: hidden; }}
</style>"""


# Presentation mode, for a room: no top bar, the map as tall as the window allows under the
# year and the legend strip, and the side column's text read from the back (24 px and up).
# `frt-side` is the key of the side column's container (pages/map.py).
PRESENT_CSS = """<style>
[data-testid="stHeader"] { display: none; }
[data-testid="stMainBlockContainer"] { padding-top: 0.75rem; padding-bottom: 1rem; }
iframe[title="streamlit_folium.st_folium"] {
  height: max(360px, calc(100vh - 245px)) !important;
  --frt-fill: 1;  /* the map inside fills the frame (geo/static/frt-frame.js, fillFrame) */
}
.st-key-frt-side p, .st-key-frt-side li, .st-key-frt-side blockquote,
.st-key-frt-side label, .st-key-frt-side [data-baseweb="select"] { font-size: 24px !important; }
.st-key-frt-side h2 { font-size: 36px !important; }
.st-key-frt-side [data-testid="stAlert"] p { font-size: 18px !important; }
</style>"""


def app_style() -> None:
    st.html(FOCUS_CSS)


def present_style() -> None:
    st.html(PRESENT_CSS)
