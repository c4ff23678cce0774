"""One constant stylesheet for what Streamlit's theme cannot say. No data reaches it: the text
is a constant (tests/test_one_door.py allows st.html here and nowhere else).

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

PLAY_LABEL = "Play"  # the Play switch's label (geo.ui.controls)
FOCUS_COLOUR = "#0072B2"  # the theme's primary colour: 4.8:1 on white
APP_CSS = f"""<style>
a:focus-visible, button:focus-visible, summary:focus-visible, [role="switch"]:focus-visible,
[tabindex]:focus-visible, input:focus-visible {{
  outline: 3px solid {FOCUS_COLOUR} !important; outline-offset: 2px;
}}
label:has(> input:focus-visible), [data-baseweb="select"]:has(input:focus-visible) {{
  outline: 3px solid {FOCUS_COLOUR} !important; outline-offset: 2px;
}}
[data-stale="true"] {{ opacity: 1 !important; transition: none !important; }}
.stApp:has(input[role="switch"][aria-label="{PLAY_LABEL}"]:checked)
  [data-testid="stStatusWidget"] {{ visibility: hidden; }}
</style>"""


def app_style() -> None:
    st.html(APP_CSS)
