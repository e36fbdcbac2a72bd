"""Benchmarks: each prints a table and writes JSON (targets are checked here, not in tests)."""
