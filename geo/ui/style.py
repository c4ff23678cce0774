"""One constant stylesheet: focus rings Streamlit leaves out (WCAG 2.4.7, focus visible).

Streamlit's theme has no focus setting, and it removes the browser's outline from sidebar
links, page links, the select box and the toggle. This puts a ring back on whatever the
keyboard focuses, or on the visible control around a visually hidden input. No data reaches
it: the text is a constant (tests/test_one_door.py allows st.html here and nowhere else).
"""

from __future__ import annotations

import streamlit as st

FOCUS_COLOUR = "#0072B2"  # the theme's primary colour: 4.8:1 on white
FOCUS_CSS = f"""<style>
a:focus-visible, button:focus-visible, summary:focus-visible, [role="switch"]:focus-visible,
[tabindex]:focus-visible, input:focus-visible {{
  outline: 3px solid {FOCUS_COLOUR} !important; outline-offset: 2px;
}}
label:has(> input:focus-visible), [data-baseweb="select"]:has(input:focus-visible) {{
  outline: 3px solid {FOCUS_COLOUR} !important; outline-offset: 2px;
}}
</style>"""


def focus_style() -> None:
    st.html(FOCUS_CSS)
