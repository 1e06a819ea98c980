"""Benchmarks: synthetic banks (`banks`), child processes (`probes`), the runner (`run`)."""
