"""Facial recognition ban map: records, timeline, boundaries and map building.

Flow, one direction: load -> validate -> fold -> present (ARCHITECTURE.md draws it). Nothing in
this package imports Streamlit except the `geo.ui` package, which holds the cached loaders and
the widgets the pages share (tests/test_layout.py keeps it so).
"""
