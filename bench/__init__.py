"""Benchmark and load test: `python -m bench` and `python -m bench.crowd` (loopback only)."""
