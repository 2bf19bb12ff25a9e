"""Benchmarks for Wijkkapitaal; run them with ``make bench`` (see bench/README.md)."""
