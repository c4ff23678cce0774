"""The floor of the benchmark: a Streamlit page with nothing but a year slider."""

from __future__ import annotations

import streamlit as st

year = st.slider("Year", min_value=2019, max_value=2026, value=2026)
st.write(f"Year {year}")
