"""Facial recognition ban map: records, timeline, boundaries and map building.

Flow, one direction: load -> validate -> compute -> present. Nothing in this package
imports streamlit except `geo.cached`, which holds the cached loaders the pages share.
"""
